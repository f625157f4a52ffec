"""HTML to PDF with WeasyPrint, offline: the record's HTML carries its own stylesheet, fonts are
the machine's (fontconfig: Liberation Sans, DejaVu), and any URL the HTML names is refused, so
making a PDF never reaches another host (nor this one)."""
from __future__ import annotations

from functools import cache


@cache
def _fetcher():
    from weasyprint.urls import URLFetcher

    class NoFetching(URLFetcher):
        """Refuses every URL: a record is self-contained (WeasyPrint leaves the resource out)."""

        def fetch(self, url, headers=None):
            raise ValueError(f"records fetch nothing: {url!r} refused")

    return NoFetching()


def html_to_pdf(html: str) -> bytes:
    """A PDF of a self-contained HTML record."""
    from weasyprint import HTML

    return HTML(string=html, base_url="about:blank", url_fetcher=_fetcher()).write_pdf()
