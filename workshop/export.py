"""Exports a municipality can archive: the results as DataFrames, then CSV, XLSX or JSON."""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from workshop.analytics import results_frame
from workshop.models import AuditEntry, Workshop
from workshop.services.access import authenticate, require_facilitator
from workshop.services.errors import NotFound
from workshop.services.snapshots import count_participants, step_budget, vote_step_for_results
from workshop.services.unit import read_only

OSLO = ZoneInfo("Europe/Oslo")
FORMATS = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
COLUMNS = ["rank", "id", "title", "body", "category", "change_level", "status", "source",
           "dots", "voters"]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class ExportedFile:
    """A file ready to download or write."""

    content: bytes
    mimetype: str
    filename: str


@dataclass(frozen=True)
class ExportData:
    """Everything an export holds, before it is formatted."""

    workshop: Workshop
    proposals: pd.DataFrame
    about: dict[str, Any]
    audit: list[dict[str, Any]]


def export_workshop(code: str, key: str | None, fmt: str) -> ExportedFile:
    """Export a workshop for its facilitator in one of FORMATS."""
    if fmt not in FORMATS:
        raise NotFound()
    with read_only() as session:
        workshop, actor = authenticate(session, code, key)
        require_facilitator(actor)
        return render(collect(session, workshop), fmt)


def collect(session: Session, workshop: Workshop, now: datetime | None = None) -> ExportData:
    """Gather the proposals, totals, method and audit trail of a workshop."""
    now = now or datetime.now(OSLO)
    frame, roles, voters = results_frame(session, workshop)
    frame = frame.rename(columns={f"role:{role}": f"dots: {role}" for role in roles})
    frame = frame[COLUMNS + [f"dots: {role}" for role in roles]]
    vote_step = vote_step_for_results(workshop)
    threshold = int(workshop.settings.get("min_group_size", 3))
    budget = step_budget(workshop, vote_step) if vote_step else None
    about = {
        "workshop": workshop.title,
        "code": workshop.code,
        "session_plan": workshop.plan_name,
        "held": in_oslo(workshop.created_at).date().isoformat(),
        "exported_at": now.astimezone(OSLO).isoformat(timespec="seconds"),
        "participants": count_participants(session, workshop),
        "voters": voters,
        "votes_per_participant": budget,
        "min_group_size": threshold,
        "roles_shown": roles,
        "method": method_text(budget, threshold),
    }
    audit = [
        {"at": in_oslo(entry.at).isoformat(timespec="seconds"), "actor": entry.actor,
         "action": entry.action, "detail": entry.detail}
        for entry in session.scalars(
            select(AuditEntry).where(AuditEntry.workshop_id == workshop.id).order_by(AuditEntry.id)
        )
    ]
    return ExportData(workshop, frame, about, audit)


def in_oslo(moment: datetime) -> datetime:
    """A stored time in Norwegian time; SQLite hands back UTC times without their zone."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(OSLO)


def method_text(budget: int | None, threshold: int) -> str:
    """The rules of the vote in one paragraph, stated in every export."""
    dots = f"Hver deltaker hadde {budget} prikker" if budget else "Det var ingen avstemning"
    return (
        f"Prikkestemming. {dots} å fordele på forslagene; forslagene er rangert etter "
        f"antall prikker, deretter antall deltakere som ga prikker. Alle forslag står i "
        f"listen, også de uten prikker. Roller med færre enn {threshold} deltakere som "
        f"stemte vises ikke hver for seg, men telles med i totalene."
    )


def render(data: ExportData, fmt: str) -> ExportedFile:
    """Format export data as CSV, XLSX or JSON."""
    content = {"csv": to_csv, "xlsx": to_xlsx, "json": to_json}[fmt](data)
    return ExportedFile(content, FORMATS[fmt], filename(data.workshop, data.about, fmt))


def filename(workshop: Workshop, about: dict[str, Any], fmt: str) -> str:
    """planverksted-<title>-<code>-<date>.<fmt>, in plain ASCII."""
    slug = workshop.title.lower()
    for letter, plain in (("æ", "ae"), ("ø", "o"), ("å", "a")):
        slug = slug.replace(letter, plain)
    slug = re.sub(r"[^a-z0-9]+", "-", slug).strip("-")[:60] or "verksted"
    date = about["exported_at"][:10]
    return f"planverksted-{slug}-{workshop.code}-{date}.{fmt}"


def neutralise(value: Any) -> Any:
    """Keep spreadsheet programs from running text as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _safe(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.apply(lambda column: column.map(neutralise))


def to_csv(data: ExportData) -> bytes:
    """One row per proposal, UTF-8, comma-separated, with a header row."""
    return _safe(data.proposals).to_csv(index=False).encode("utf-8")


def to_xlsx(data: ExportData) -> bytes:
    """A workbook: sheet «Forslag» with one row per proposal, sheet «Om» with the method."""
    buffer = io.BytesIO()
    about = pd.DataFrame(
        [(key, ", ".join(v) if isinstance(v, list) else v) for key, v in data.about.items()],
        columns=["field", "value"],
    )
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        _safe(data.proposals).to_excel(writer, sheet_name="Forslag", index=False)
        _safe(about).to_excel(writer, sheet_name="Om", index=False)
        for sheet in writer.sheets.values():
            for column in sheet.columns:
                width = max(len(str(cell.value or "")) for cell in column)
                sheet.column_dimensions[column[0].column_letter].width = min(max(8, width), 60)
    return buffer.getvalue()


def to_json(data: ExportData) -> bytes:
    """A self-contained archive: the workshop, its method, proposals and audit trail."""
    workshop = data.workshop
    document = {
        "format": "planverksted-export/1",
        "about": data.about,
        "workshop": {
            "code": workshop.code,
            "title": workshop.title,
            "language": workshop.language,
            "roles": workshop.roles,
            "categories": workshop.categories,
            "settings": workshop.settings,
            "steps": [
                {"position": s.position, "kind": s.kind, "title": s.title, "prompt": s.prompt}
                for s in workshop.steps
            ],
        },
        "proposals": json.loads(data.proposals.to_json(orient="records", force_ascii=False)),
        "audit": data.audit,
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")
