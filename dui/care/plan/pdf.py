"""The printable plan of the day as a PDF (`dui.core.pdf`: WeasyPrint fetching nothing)."""

from pathlib import Path

from dui.core import pdf

# The page layout lives beside this module: templates hold no <style> (strict CSP test).
STYLESHEET = Path(__file__).with_name("day_pdf.css")


def html_to_pdf(html: str) -> bytes:
    return pdf.html_to_pdf(html, stylesheet=STYLESHEET.read_text())
