"""HTML to PDF with WeasyPrint, offline: the records' stylesheet is record.css beside this file, fonts are
the machine's (fontconfig: Liberation Sans, DejaVu), and any URL the HTML names is refused, so
making a PDF never reaches another host (nor this one)."""
from __future__ import annotations

from functools import cache
from pathlib import Path


@cache
def _fetcher():
    from weasyprint.urls import URLFetcher

    class NoFetching(URLFetcher):
        """Refuses every URL: a record is self-contained (WeasyPrint leaves the resource out)."""

        def fetch(self, url, headers=None):
            raise ValueError(f"records fetch nothing: {url!r} refused")

    return NoFetching()


@cache
def _stylesheet():
    from weasyprint import CSS

    return CSS(string=(Path(__file__).with_name("record.css")).read_text(encoding="utf-8"), url_fetcher=_fetcher())


def html_to_pdf(html: str) -> bytes:
    """A PDF of a self-contained HTML record, with the records' stylesheet (record.css)."""
    from weasyprint import HTML

    return HTML(string=html, base_url="about:blank", url_fetcher=_fetcher()).write_pdf(stylesheets=[_stylesheet()])
