"""HTML to PDF with WeasyPrint (imported only when a PDF is made). No file is fetched: the
document's styles are inline and its charts are inline SVG."""

from __future__ import annotations


def _no_fetch(url: str, *args: object, **kwargs: object) -> dict[str, object]:
    raise ValueError(f"The business case fetches nothing ({url})")


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML  # type: ignore[import-untyped]

    return HTML(string=html, url_fetcher=_no_fetch).write_pdf()
