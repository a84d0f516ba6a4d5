"""HTML to PDF (WeasyPrint) fetching nothing, for the printable plan of the day.

The same rule as the contracts' PDFs (`dui/admissions/pdf.py`: every URL but an inline
`data:` one refused); the care brick sits below admissions in the layers (import-linter), so
it cannot import that helper — it belongs in a shared module (reported to the integrator)."""

from weasyprint import HTML
from weasyprint.urls import URLFetcher


class LocalOnlyFetcher(URLFetcher):
    def fetch(self, url, headers=None):
        if not str(url).startswith("data:"):
            raise ValueError(f"Ressource distante refusée : {url}")
        return super().fetch(url, headers)


def html_to_pdf(html: str) -> bytes:
    return HTML(string=html, base_url=None, url_fetcher=LocalOnlyFetcher()).write_pdf()
