"""The report as one self-contained HTML file: the page /f/<code>/rapport with its CSS inlined."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy.orm import Session

from workshop.models import Workshop
from workshop.reports.charts import charts_of
from workshop.reports.content import ReportContent, gather

STYLESHEETS = ("css/report-file.css", "css/report.css")


def inline_css() -> str:
    """The page's stylesheets, to be written into the file."""
    folder = Path(current_app.static_folder or "static")
    return "\n".join((folder / name).read_text(encoding="utf-8") for name in STYLESHEETS)


def page_context(
    content: ReportContent,
    standalone: bool,
    back: tuple[str, str] | None = None,
    extra_css: str = "",
) -> dict[str, Any]:
    """What the report template needs: the content, each step's charts, on the page the way
    back (URL and label), in the file its CSS (``extra_css`` last, so it wins)."""
    return {
        "report": content,
        "back": back,
        "charts": {step.position: charts_of(step) for step in content.steps},
        "standalone": standalone,
        "css": inline_css() + extra_css if standalone else "",
    }


def report_page(
    content: ReportContent, standalone: bool, back: tuple[str, str] | None = None
) -> str:
    """The report template rendered: the page on the server, or the file (``standalone``)."""
    return render_template("report/report.html", **page_context(content, standalone, back))


def document_html(session: Session, workshop: Workshop, extra_css: str = "") -> str:
    """The self-contained report in the workshop's language (``extra_css``: the PDF's pages)."""
    with force_locale(workshop.language):
        context = page_context(gather(session, workshop), True, extra_css=extra_css)
        return render_template("report/report.html", **context)


def render_html(session: Session, workshop: Workshop) -> bytes:
    """export.html: the report as one file that opens anywhere without the network."""
    return document_html(session, workshop).encode("utf-8")
