"""HTML to PDF (WeasyPrint) for letters and contracts, fetching nothing: the layouts have no
remote asset, and the URL fetcher refuses every URL but an inline `data:` one."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.utils.text import slugify
from weasyprint import HTML
from weasyprint.urls import URLFetcher


class LocalOnlyFetcher(URLFetcher):
    """WeasyPrint must not fetch anything: every URL but an inline `data:` one is refused."""

    def fetch(self, url, headers=None):
        if not str(url).startswith("data:"):
            raise ValueError(f"Ressource distante refusée : {url}")
        return super().fetch(url, headers)


def html_to_pdf(html: str) -> bytes:
    return HTML(string=html, base_url=None, url_fetcher=LocalOnlyFetcher()).write_pdf()


def render_pdf(layout: str, context: dict) -> bytes:
    """One of the layouts of `admissions/letters/` rendered to PDF."""
    return html_to_pdf(render_to_string(f"admissions/letters/{layout}", context))


def pdf_file(name: str, content: bytes) -> SimpleUploadedFile:
    """The PDF as an uploaded file, for `documents.services.document_upload`."""
    return SimpleUploadedFile(f"{slugify(name)[:80] or 'courrier'}.pdf", content, "application/pdf")
