"""HTML to PDF (WeasyPrint) fetching nothing, for the printable plan of the day.

The same rule as the contracts' PDFs (`dui/admissions/pdf.py`: every URL but an inline
`data:` one refused); the care brick sits below admissions in the layers (import-linter), so
it cannot import that helper — it belongs in a shared module (reported to the integrator)."""

from pathlib import Path

from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher


class LocalOnlyFetcher(URLFetcher):
    def fetch(self, url, headers=None):
        if not str(url).startswith("data:"):
            raise ValueError(f"Ressource distante refusée : {url}")
        return super().fetch(url, headers)


# The page layout lives beside this module: templates hold no <style> (strict CSP test).
STYLESHEET = Path(__file__).with_name("day_pdf.css")


def html_to_pdf(html: str) -> bytes:
    fetcher = LocalOnlyFetcher()
    return HTML(string=html, base_url=None, url_fetcher=fetcher).write_pdf(
        stylesheets=[CSS(string=STYLESHEET.read_text(), url_fetcher=fetcher)]
    )
