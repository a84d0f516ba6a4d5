"""HTML to PDF (WeasyPrint) fetching nothing, for every brick that prints (letters, contracts,
the plan of the day): the layouts have no remote asset, and the URL fetcher refuses every URL
but an inline `data:` one."""

from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher


class LocalOnlyFetcher(URLFetcher):
    """WeasyPrint must not fetch anything: every URL but an inline `data:` one is refused."""

    def fetch(self, url, headers=None):
        if not str(url).startswith("data:"):
            raise ValueError(f"Ressource distante refusée : {url}")
        return super().fetch(url, headers)


def html_to_pdf(html: str, *, stylesheet: str = "") -> bytes:
    """The PDF of `html`, with an optional stylesheet given as text (templates hold no
    <style>: strict CSP)."""
    fetcher = LocalOnlyFetcher()
    stylesheets = [CSS(string=stylesheet, url_fetcher=fetcher)] if stylesheet else None
    return HTML(string=html, base_url=None, url_fetcher=fetcher).write_pdf(stylesheets=stylesheets)
