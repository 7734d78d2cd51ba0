"""The report as an A4 PDF, drawn on the server by WeasyPrint from the same HTML as export.html."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import Session
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from workshop.models import Workshop
from workshop.reports.html import document_html

# A4 with page numbers; Debian's DejaVu fonts (fonts-dejavu-core), so nothing is fetched.
PAGE_CSS = """
@page {
  size: A4;
  margin: 18mm 16mm 20mm;
  @bottom-center { content: "%(page)s " counter(page) " %(of)s " counter(pages);
                   font: 9pt "DejaVu Sans", sans-serif; color: #4a5568; }
  @bottom-left { content: "%(title)s"; font: 9pt "DejaVu Sans", sans-serif; color: #4a5568; }
}
body { font-family: "DejaVu Sans", sans-serif; font-size: 9.5pt; background: #fff; }
main { max-width: none; padding: 0; margin: 0; }
h1 { font-size: 18pt; }
h2 { font-size: 13pt; break-after: avoid; }
h3 { font-size: 11pt; break-after: avoid; }
table { font-size: 8.5pt; width: 100%%; }
.report-appendix table { table-layout: fixed; }
th, td { overflow-wrap: break-word; padding: 0.2rem 0.3rem; }

thead th { font-size: 7.5pt; }
.rank { width: 2.4em; }
.report-appendix table { font-size: 7.5pt; }
.report-appendix .title { width: 48%%; }
.report-appendix td, .report-appendix th { padding: 0.1rem 0.25rem; line-height: 1.2; }
.level { width: 6.5em; }
.visually-hidden { display: none; }  /* WeasyPrint draws clipped captions */
.report-step .title { width: 30%%; }
.flag { display: block; border: 0; padding: 0; font-style: italic; }
thead { display: table-header-group; }
tr, figure { break-inside: avoid; }
.report-step, .report-appendix { break-before: page; }
svg.chart { width: 100%%; height: auto; }
"""


def refuse_network() -> URLFetcher:
    """A fetcher that loads nothing but inline data: URLs (no file, no network)."""
    return URLFetcher(allowed_protocols={"data"}, timeout=1, allow_redirects=False)


def _css_string(text: str) -> str:
    """Text inside a CSS string in a <style> element: quotes, backslashes and tags escaped."""
    for raw, escaped in (("\\", "\\\\"), ('"', '\\"'), ("<", "\\3c "), (">", "\\3e ")):
        text = text.replace(raw, escaped)
    return " ".join(text.split())


def page_css(title: str) -> str:
    """The page rules in the current language: «Side 2 av 5» in the footer."""
    return PAGE_CSS % {
        "page": _css_string(_("Side")),
        "of": _css_string(_("av")),
        "title": _css_string(title[:80]),
    }


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while WeasyPrint builds its boxes: it allocates hundreds of
    thousands of short-lived objects, and each collection walks a server's whole heap (~0.7 s of a
    3 s PDF of 300 proposals, docs/benchmarks.md). Nearly all of it is freed by reference count."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def render_pdf(session: Session, workshop: Workshop) -> bytes:
    """export.pdf: the report on A4 pages, numbered, in the workshop's language."""
    with force_locale(workshop.language):
        stylesheet = page_css(workshop.title)
    html = document_html(session, workshop, extra_css=stylesheet)
    with collector_paused():
        pdf: bytes = HTML(string=html, url_fetcher=refuse_network(), base_url=None).write_pdf()
    return pdf
