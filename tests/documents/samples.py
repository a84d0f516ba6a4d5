"""Real files made in the tests (a minimal valid PDF, images drawn with Pillow, a Windows
program renamed .pdf) and helpers to upload them and to look at the document storage."""

import io
import uuid

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from dui.access.models import InformationCategory
from dui.demo.documents import demo_pdf
from dui.documents.models import DocumentKind


def minimal_pdf(text: str = "Carte d'identite") -> bytes:
    """A one-page PDF 1.4 with a correct cross-reference table (readers open it): the demo's."""
    return demo_pdf(text, [])


def image_bytes(fmt: str = "PNG", size=(600, 300), mode="RGB") -> bytes:
    image = Image.new(mode, size, "white" if mode != "RGBA" else (0, 0, 0, 0))
    for x in range(0, size[0], 10):  # some content, so that the encoders do real work
        image.putpixel((x, x * size[1] // size[0]), (200, 30, 30) if mode == "RGB" else 0)
    out = io.BytesIO()
    image.save(out, fmt)
    return out.getvalue()


# The start of a Windows executable (DOS header "MZ" and its stub), as a renamed .exe would be.
EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00\xb8\x00\x00\x00\x00\x00\x00\x00"
    + b"\x40"
    + b"\x00" * 35
    + b"\x80\x00\x00\x00"
    + b"\x0e\x1f\xba\x0e\x00\xb4\x09\xcd\x21\xb8\x01\x4c\xcd\x21"
    + b"This program cannot be run in DOS mode.\r\r\n$"
    + b"\x00" * 2000
)


def uploaded(content: bytes, name: str = "document.pdf", content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def stored_files() -> set[str]:
    """Every file under the document storage directory (relative paths)."""
    root = settings.DUI_DOCUMENT_ROOT
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def upload_url(person) -> str:
    return reverse("documents:upload", kwargs={"person_id": person.public_id})


def list_url(person) -> str:
    return reverse("documents:list", kwargs={"person_id": person.public_id})


def file_url(document, name="file") -> str:
    return reverse(
        f"documents:{name}",
        kwargs={"person_id": document.person.public_id, "document_id": document.public_id},
    )


def post_upload(client, person, *, content=None, name="piece-identite.pdf", **fields):
    data = {
        "kind": DocumentKind.IDENTITY,
        "title": "Carte nationale d'identité",
        "document_date": "2026-01-15",
        "category": InformationCategory.ADMINISTRATIVE,
        "file": uploaded(minimal_pdf() if content is None else content, name),
        "idempotency_key": str(uuid.uuid4()),
    }
    data.update(fields)
    return client.post(upload_url(person), data)
