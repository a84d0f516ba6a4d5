"""Size limit of uploaded documents, enforced while the request body streams in.

Django writes an upload bigger than FILE_UPLOAD_MAX_MEMORY_SIZE to a temporary file before the
view runs: checking the size in the form would come after a 200 MB file reached the disk. So
the upload view refuses a body announced far too large before reading it, and installs
`DocumentSizeLimitHandler` in front of Django's handlers: it lets the chunks through until the
limit and then skips the file, whose chunks are read and thrown away (Django closes, hence
deletes, the temporary file it had started).
"""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.utils.translation import gettext as _

# Room for the other fields of the form and the multipart boundaries around the file.
FORM_OVERHEAD_BYTES = 64 * 1024


def max_document_bytes() -> int:
    return settings.DUI_DOCUMENT_MAX_MB * 1024 * 1024


def too_large_message() -> str:
    return _("Le fichier dépasse la taille maximale de %(max)s Mo.") % {
        "max": settings.DUI_DOCUMENT_MAX_MB
    }


def body_announced_too_large(request) -> bool:
    """The client announced a body that cannot hold an acceptable file: refuse before reading."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > max_document_bytes() + FORM_OVERHEAD_BYTES


class DocumentSizeLimitHandler(FileUploadHandler):
    """Counts the file bytes of the request; past the limit, the file is skipped.

    The count spans every file of the request, so that many files of just under the limit
    cannot add up on the disk. `too_large` tells the view to show the size message.
    """

    def __init__(self, request=None):
        super().__init__(request)
        self.limit = max_document_bytes()
        self.received = 0
        self.too_large = False

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.too_large = True
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handlers (memory or temporary file) build the uploaded file
