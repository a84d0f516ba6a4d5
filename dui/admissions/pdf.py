"""HTML to PDF (WeasyPrint) for letters and contracts, fetching nothing: the layouts have no
remote asset (`dui.core.pdf`)."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.utils.text import slugify

from dui.core.pdf import html_to_pdf


def render_pdf(layout: str, context: dict) -> bytes:
    """One of the layouts of `admissions/letters/` rendered to PDF."""
    return html_to_pdf(render_to_string(f"admissions/letters/{layout}", context))


def pdf_file(name: str, content: bytes) -> SimpleUploadedFile:
    """The PDF as an uploaded file, for `documents.services.document_upload`."""
    return SimpleUploadedFile(f"{slugify(name)[:80] or 'courrier'}.pdf", content, "application/pdf")
