"""Where documents live: the "documents" storage of settings.STORAGES, a directory outside the
web root (DUI_DOCUMENT_ROOT, never served by the web server). Files are reached only through this
brick's views, behind the access layer. Swapping the backend (object storage) is a settings change.
"""

from django.core.files.storage import storages


def private_storage():
    return storages["documents"]
