"""Exports a municipality can archive: the results as tables, then CSV, ZIP, XLSX or JSON; the
report (workshop/reports) as HTML, PDF or Word.

`FORMATS` maps each format to its media type and renderer; the API route ``export.<fmt>``, its
OpenAPI description and the CLI's ``--format`` choices all come from it, so a format added here
appears everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from importlib import import_module
from typing import TYPE_CHECKING, Any

from flask_babel import force_locale, gettext
from sqlalchemy.orm import Session

from workshop import reports
from workshop.export.options import OSLO, ExportOptions
from workshop.models import Workshop
from workshop.services.access import authenticate, require_facilitator
from workshop.services.errors import NotFound
from workshop.services.unit import read_only

if TYPE_CHECKING:
    from workshop.export.data import ExportData, collect
    from workshop.export.safety import neutralise

# pandas, openpyxl, XlsxWriter, WeasyPrint and python-docx take ~150 MB: a server running a hall
# loads them when the first export is asked for, not at start (docs/benchmarks.md).
LAZY = {
    "ExportData": "workshop.export.data",
    "collect": "workshop.export.data",
    "neutralise": "workshop.export.safety",
}


def __getattr__(name: str) -> Any:
    """ExportData, collect and neutralise, imported on first use."""
    if name in LAZY:
        return getattr(import_module(LAZY[name]), name)
    raise AttributeError(name)


__all__ = [
    "FORMATS",
    "ExportData",
    "ExportOptions",
    "ExportedFile",
    "Format",
    "collect",
    "export_workshop",
    "media_types",
    "neutralise",
    "render",
]

Renderer = Callable[[Session, Workshop, ExportOptions], bytes]


@dataclass(frozen=True)
class Format:
    """A file format: its media type and how a workshop is written in it."""

    mimetype: str
    render: Renderer


@dataclass(frozen=True)
class ExportedFile:
    """A file ready to download or write."""

    content: bytes
    mimetype: str
    filename: str


def _csv(session: Session, workshop: Workshop, options: ExportOptions) -> bytes:
    from workshop.export.data import collect
    from workshop.export.delimited import table_csv
    from workshop.export.results import proposals_table

    data = collect(session, workshop, options)
    with force_locale(workshop.language):
        return table_csv(proposals_table(data), options.dialect)


def _zip(session: Session, workshop: Workshop, options: ExportOptions) -> bytes:
    from workshop.export.bundle import to_zip
    from workshop.export.data import collect
    from workshop.export.tables import export_tables

    data = collect(session, workshop, options)
    with force_locale(workshop.language):
        title = gettext(
            "Planverksted: %(title)s (%(code)s)", title=workshop.title, code=workshop.code
        )
        return to_zip(export_tables(data), options.dialect, title)


def _xlsx(session: Session, workshop: Workshop, options: ExportOptions) -> bytes:
    from workshop.export.data import collect
    from workshop.export.tables import export_tables
    from workshop.export.xlsx import to_xlsx

    data = collect(session, workshop, options)
    with force_locale(workshop.language):
        return to_xlsx(export_tables(data))


def _json(session: Session, workshop: Workshop, options: ExportOptions) -> bytes:
    from workshop.export.archive_json import to_json
    from workshop.export.data import collect

    return to_json(collect(session, workshop, options))


def _report(fmt: str) -> Renderer:
    """The report in one format: it gathers its own content (workshop/reports/content.py)."""

    def render(session: Session, workshop: Workshop, options: ExportOptions) -> bytes:
        return reports.render(fmt, session, workshop)

    return render


FORMATS: dict[str, Format] = {
    "csv": Format("text/csv", _csv),
    "zip": Format("application/zip", _zip),
    "xlsx": Format("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _xlsx),
    "json": Format("application/json", _json),
    "html": Format("text/html; charset=utf-8", _report("html")),
    "pdf": Format("application/pdf", _report("pdf")),
    "docx": Format(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document", _report("docx")
    ),
}


def media_types() -> dict[str, str]:
    """Each format's media type, for the OpenAPI document."""
    return {fmt: spec.mimetype for fmt, spec in FORMATS.items()}


def export_workshop(
    code: str, key: str | None, fmt: str, options: ExportOptions | None = None
) -> ExportedFile:
    """Export a workshop for its facilitator in one of FORMATS."""
    if fmt not in FORMATS:
        raise NotFound()
    with read_only() as session:
        workshop, actor = authenticate(session, code, key)
        require_facilitator(actor)
        return render(session, workshop, fmt, options)


def render(
    session: Session, workshop: Workshop, fmt: str, options: ExportOptions | None = None
) -> ExportedFile:
    """A workshop in one of FORMATS, as it is now (a snapshot)."""
    spec = FORMATS[fmt]
    content = spec.render(session, workshop, options or ExportOptions())
    return ExportedFile(content, spec.mimetype, filename(workshop, datetime.now(OSLO), fmt))


def filename(workshop: Workshop, when: datetime, fmt: str) -> str:
    """planverksted-<title>-<code>-<date>.<fmt>, in plain ASCII."""
    slug = workshop.title.lower()
    for letter, plain in (("æ", "ae"), ("ø", "o"), ("å", "a")):
        slug = slug.replace(letter, plain)
    slug = re.sub(r"[^a-z0-9]+", "-", slug).strip("-")[:60] or "verksted"
    return f"planverksted-{slug}-{workshop.code}-{when.date().isoformat()}.{fmt}"
