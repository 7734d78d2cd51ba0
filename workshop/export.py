"""Exports a municipality can archive: the results as DataFrames, then CSV, XLSX or JSON."""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
from flask_babel import force_locale
from flask_babel import gettext as _
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from workshop import reports
from workshop.analytics.analysis import Analysis, analyse, prioritising_steps
from workshop.analytics.measures import (
    COMMON_GROUND_CONSENSUS,
    COMMON_GROUND_MIN_SUPPORT,
    DIVISIVE_SPREAD,
    HIGH_BENEFIT,
    LOW_EFFORT,
    STRONG_BENEFIT,
)
from workshop.analytics.reading import analysis_payload, consensus_note, level_groups
from workshop.models import AuditEntry, Workshop
from workshop.schemas.step_config import StepConfig
from workshop.services.access import authenticate, require_facilitator
from workshop.services.actions import actions_of
from workshop.services.closing import closed_at_of, notes_of
from workshop.services.errors import NotFound
from workshop.services.step_rules import counting_step, step_budget
from workshop.services.unit import read_only

OSLO = ZoneInfo("Europe/Oslo")
FORMATS = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
COLUMNS = [
    "rank",
    "id",
    "title",
    "body",
    "category",
    "change_level",
    "status",
    "source",
    "dots",
    "voters",
]
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
    other_steps: list[tuple[str, pd.DataFrame]] = field(default_factory=list)
    analyses: list[dict[str, Any]] = field(default_factory=list)
    levels: list[dict[str, Any]] = field(default_factory=list)
    tables: pd.DataFrame | None = None  # table mode: the primary step per table shown
    actions: list[dict[str, Any]] = field(default_factory=list)
    notes: list[dict[str, Any]] = field(default_factory=list)
    closed_at: str | None = None

    def action_frame(self) -> pd.DataFrame:
        """The actions the workshop agreed on, with headers in the workshop's language."""
        titles = dict(zip(self.proposals["id"], self.proposals["title"], strict=False))
        with force_locale(self.workshop.language):
            columns = [
                _("Hva"),
                _("Gjelder forslag"),
                _("Ansvarlig"),
                _("Frist"),
                _("Vedtas av"),
                _("Endringsnivå"),
            ]
        rows = [
            [
                action["what"],
                titles.get(action["proposal_id"], "") if action["proposal_id"] else "",
                action["owner"] or "",
                action["due"] or "",
                action["decided_by"] or "",
                action["change_level"] or "",
            ]
            for action in self.actions
        ]
        return pd.DataFrame(rows, columns=columns)

    def action_sheet_name(self) -> str:
        """«Tiltak» in Norwegian, «Actions» in English."""
        with force_locale(self.workshop.language):
            return str(_("Tiltak"))

    def level_frame(self) -> pd.DataFrame:
        """The ranked proposals grouped by change level: who can make each change."""
        titles = dict(zip(self.proposals["id"], self.proposals["title"], strict=False))
        rows = [
            {
                "change_level": group["change_level"] or "",
                "group": group["label"],
                "rank_in_group": rank,
                "id": pid,
                "title": titles.get(pid, ""),
            }
            for group in self.levels
            for rank, pid in enumerate(group["proposals"], start=1)
        ]
        columns = ["change_level", "group", "rank_in_group", "id", "title"]
        return pd.DataFrame(rows, columns=columns)


def export_workshop(code: str, key: str | None, fmt: str) -> ExportedFile:
    """Export a workshop for its facilitator in one of FORMATS."""
    if fmt not in FORMATS:
        raise NotFound()
    with read_only() as session:
        workshop, actor = authenticate(session, code, key)
        require_facilitator(actor)
        if fmt in reports.RENDERERS:  # the report gathers its own content
            return report_file(session, workshop, fmt)
        return render(collect(session, workshop), fmt)


def collect(session: Session, workshop: Workshop, now: datetime | None = None) -> ExportData:
    """Gather the proposals, totals, role analysis, method and audit trail of a workshop.

    The main table is the prioritising step whose results count now (as the results page shows
    it); the XLSX has a sheet and the JSON an analysis for every other vote or rate step.
    """
    now = now or datetime.now(OSLO)
    primary_step = counting_step(workshop)
    primary = analyse(session, workshop, primary_step)
    frame = analysis_frame(primary)
    threshold = primary.threshold
    budget = (
        step_budget(workshop, primary_step)
        if primary_step is not None and primary.kind == "dots"
        else None
    )
    about = {
        "workshop": workshop.title,
        "code": workshop.code,
        "session_plan": workshop.plan_name,
        "held": in_oslo(workshop.created_at).date().isoformat(),
        "exported_at": now.astimezone(OSLO).isoformat(timespec="seconds"),
        "participants": primary.participants,
        "voters": primary.voters,
        "step": primary_step.title if primary_step is not None else None,
        "step_position": primary_step.position + 1 if primary_step is not None else None,
        "kind": primary.kind,
        "votes_per_participant": budget,
        "min_group_size": threshold,
        "roles_shown": primary.roles_shown,
        "consensus_note": consensus_note(primary),
        "method": method_text(primary.kind, budget, threshold, primary.criteria),
    }
    other_steps: list[tuple[str, pd.DataFrame]] = []
    analyses = [_analysis_record(primary)]
    for step in prioritising_steps(workshop):
        if primary_step is not None and step.id == primary_step.id:
            continue
        analysis = analyse(session, workshop, step)
        other_steps.append((f"Steg {step.position + 1}", analysis_frame(analysis)))
        analyses.append(_analysis_record(analysis))
    audit = [
        {
            "at": in_oslo(entry.at).isoformat(timespec="seconds"),
            "actor": entry.actor,
            "action": entry.action,
            "detail": entry.detail,
        }
        for entry in session.scalars(
            select(AuditEntry).where(AuditEntry.workshop_id == workshop.id).order_by(AuditEntry.id)
        )
    ]
    levels = level_groups(primary.rows)
    tables = None
    if primary.tables_shown is not None:
        about["tables_shown"] = primary.tables_shown
        tables = table_frame(primary)
    return ExportData(
        workshop,
        frame,
        about,
        audit,
        other_steps,
        analyses,
        levels,
        tables,
        actions=actions_of(session, workshop),
        notes=notes_of(session, workshop),
        closed_at=closed_at_of(workshop),
    )


TABLE_COUNT = {"dots": "dots", "agree": "agree", "rate": "raters"}


def table_frame(analysis: Analysis) -> pd.DataFrame:
    """Table mode: each table shown (never one below the threshold) with the proposals ranked
    by that table's count (dots, agree or raters, as ``by_role`` counts for roles)."""
    count = TABLE_COUNT.get(analysis.kind, "dots")
    rows = []
    for table in analysis.tables_shown or []:
        ranked = sorted(
            analysis.rows, key=lambda r: (-(r.get("by_table") or {}).get(table, 0), r["id"])
        )
        for rank, row in enumerate(ranked, start=1):
            rows.append(
                {
                    "table": table,
                    "participants": (analysis.table_voters or {}).get(table, 0),
                    "rank_in_table": rank,
                    "id": row["id"],
                    "title": row["title"],
                    count: (row.get("by_table") or {}).get(table, 0),
                }
            )
    columns = ["table", "participants", "rank_in_table", "id", "title", count]
    return pd.DataFrame(rows, columns=columns)


def analysis_frame(analysis: Analysis) -> pd.DataFrame:
    """One row per visible proposal, ranked; role columns only for roles large enough to show."""
    records = []
    for rank, row in enumerate(analysis.rows, start=1):
        record: dict[str, Any] = {"rank": rank}
        record.update({column: row[column] for column in COLUMNS[1:]})
        record.update(_kind_columns(analysis, row))
        record["consensus"] = row["consensus"]
        record["divisiveness"] = row["divisiveness"]
        record["flags"] = "; ".join(row["flags"])
        records.append(record)
    columns = COLUMNS + _kind_column_names(analysis) + ["consensus", "divisiveness", "flags"]
    return pd.DataFrame(records, columns=columns)


def _kind_column_names(analysis: Analysis) -> list[str]:
    roles = analysis.roles_shown
    if analysis.kind == "agree":
        return ["agree", "disagree", "pass", "support"] + [
            f"{m}: {r}" for r in roles for m in ("voters", "agree", "disagree", "pass", "support")
        ]
    if analysis.kind == "rate":
        keys = [str(c.get("key")) for c in analysis.criteria]
        return (
            [f"mean: {k}" for k in keys]
            + [f"n: {k}" for k in keys]
            + ["quadrant", "supporters", "support"]
            + [
                f"{m}: {r}"
                for r in roles
                for m in ["raters"]
                + [f"mean {k}" for k in keys]
                + ["quadrant", "supporters", "support"]
            ]
        )
    return ["paper_dots", "support"] + [
        f"{m}: {r}" for r in roles for m in ("dots", "voters", "supporters", "support")
    ]


def _kind_columns(analysis: Analysis, row: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    roles = row["roles"]
    if analysis.kind == "agree":
        values.update({k: row[k] for k in ("agree", "disagree", "pass", "support")})
        for role in analysis.roles_shown:
            for measure in ("voters", "agree", "disagree", "pass", "support"):
                values[f"{measure}: {role}"] = roles[role][measure]
        return values
    if analysis.kind == "rate":
        keys = [str(c.get("key")) for c in analysis.criteria]
        values.update({f"mean: {k}": row["means"][k] for k in keys})
        values.update({f"n: {k}": row["counts"][k] for k in keys})
        values.update(
            {
                "quadrant": row["quadrant_label"],
                "supporters": row["supporters"],
                "support": row["support"],
            }
        )
        for role in analysis.roles_shown:
            part = roles[role]
            values[f"raters: {role}"] = part["raters"]
            for k in keys:
                values[f"mean {k}: {role}"] = part["means"][k]
            values[f"quadrant: {role}"] = part["quadrant_label"]
            values[f"supporters: {role}"] = part["supporters"]
            values[f"support: {role}"] = part["support"]
        return values
    values.update({"paper_dots": row["paper_dots"], "support": row["support"]})
    for role in analysis.roles_shown:
        for measure in ("dots", "voters", "supporters", "support"):
            values[f"{measure}: {role}"] = roles[role][measure]
    return values


def _analysis_record(analysis: Analysis) -> dict[str, Any]:
    """One step's analysis for the JSON archive (the same numbers as its table)."""
    payload = analysis_payload(analysis)
    return {
        "step": payload["step"],
        "kind": payload["kind"],
        "voters": payload["voters"],
        "min_group_size": payload["min_group_size"],
        "roles_shown": payload["roles_shown"],
        "consensus_note": payload["consensus_note"],
        "criteria": payload.get("criteria"),
        "matrix": payload.get("matrix"),
        "proposals": payload["proposals"],
    }


def in_oslo(moment: datetime) -> datetime:
    """A stored time in Norwegian time; SQLite hands back UTC times without their zone."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(OSLO)


def _number(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def method_text(
    kind: str,
    budget: int | None,
    threshold: int,
    criteria: list[dict[str, Any]] | None = None,
) -> str:
    """The rules of the vote and the consensus measure in one paragraph, stated in every export."""
    if kind == "agree":
        vote = (
            "Enig/uenig-avstemning. Hver deltaker svarte «enig», «uenig» eller «pass» på "
            "forslagene; forslagene er rangert etter andelen «enig» blant dem som svarte enig "
            "eller uenig, glattet som (enig + 1) / (enig + uenig + 2). «Pass» telles og vises, "
            "men flytter ikke andelen. En rolles støtte er den samme andelen innen rollen."
        )
    elif kind == "rate":
        names = " og ".join(str(c.get("label") or c.get("key")).lower() for c in (criteria or []))
        vote = (
            f"Vurdering. Hver deltaker ga forslagene 1–5 på {names or 'kriteriene'}; tabellen "
            f"viser snittet per kriterium og hvor mange som svarte. Gevinst/innsats-matrisen "
            f"deler ved midten av skalaen: snitt for gevinst på {_number(HIGH_BENEFIT)} eller "
            f"mer er høy gevinst, snitt for innsats under {_number(LOW_EFFORT)} er lav innsats; "
            f"høy gevinst og lav innsats er «Raske gevinster», høy gevinst og høy innsats "
            f"«Store prosjekter», lav gevinst og lav innsats «Småplukk», lav gevinst og høy "
            f"innsats «Tidstyver». Forslagene er rangert etter gevinst, deretter lav innsats. "
            f"En rolles støtte er andelen av rollens deltakere som ga gevinst "
            f"{STRONG_BENEFIT} eller 5, glattet som (k + 1) / (n + 2)."
        )
    else:
        dots = f"Hver deltaker hadde {budget} prikker" if budget else "Det var ingen avstemning"
        vote = (
            f"Prikkestemming. {dots} å fordele på forslagene; forslagene er rangert etter "
            f"antall prikker, deretter antall deltakere som ga prikker. Prikker talt på papir "
            f"i rommet er med i totalene, men ikke i rollene. Alle forslag står i listen, også "
            f"de uten prikker. En rolles støtte til et forslag er andelen av rollens deltakere "
            f"som ga det minst én prikk, glattet som (k + 1) / (n + 2)."
        )
    return (
        f"{vote} Konsensus er det geometriske snittet av rollenes støtte, og er høy bare når "
        f"alle rollene støtter forslaget; splittelse (divisiveness) er støtten fra den mest "
        f"positive rollen minus støtten fra den minst positive. «common_ground» (felles grunn): "
        f"konsensus minst {_number(COMMON_GROUND_CONSENSUS)} og hver rolle minst "
        f"{_number(float(COMMON_GROUND_MIN_SUPPORT))}; «divisive» (splitter rollene): "
        f"splittelse minst {_number(float(DIVISIVE_SPREAD))}. En deltaker med flere roller "
        f"telles i hver av dem. Roller med færre enn {threshold} deltakere som deltok i steget "
        f"vises ikke hver for seg, men telles med i totalene og er ikke med i konsensus; med "
        f"færre enn to viste roller beregnes ingen konsensus. Se docs/analysis.md."
    )


def render(data: ExportData, fmt: str) -> ExportedFile:
    """Format export data as CSV, XLSX or JSON, or draw the report (HTML, PDF, Word)."""
    if fmt in reports.RENDERERS:  # the report reads the workshop's own session
        return report_file(object_session_of(data.workshop), data.workshop, fmt)
    content = {"csv": to_csv, "xlsx": to_xlsx, "json": to_json}[fmt](data)
    return ExportedFile(content, FORMATS[fmt], filename(data.workshop, data.about, fmt))


def report_file(session: Session, workshop: Workshop, fmt: str) -> ExportedFile:
    """The report (html, pdf or docx) of a workshop, named like the other exports."""
    content = reports.RENDERERS[fmt](session, workshop)
    today = {"exported_at": datetime.now(OSLO).isoformat()}
    return ExportedFile(content, FORMATS[fmt], filename(workshop, today, fmt))


def object_session_of(workshop: Workshop) -> Session:
    """The session a collected workshop was read in (still open while its export is drawn)."""
    session = object_session(workshop)
    if session is None:
        raise RuntimeError("the workshop must be read in an open session")
    return session


def filename(workshop: Workshop, about: dict[str, Any], fmt: str) -> str:
    """planverksted-<title>-<code>-<date>.<fmt>, in plain ASCII."""
    slug = workshop.title.lower()
    for letter, plain in (("æ", "ae"), ("ø", "o"), ("å", "a")):
        slug = slug.replace(letter, plain)
    slug = re.sub(r"[^a-z0-9]+", "-", slug).strip("-")[:60] or "verksted"
    date = about["exported_at"][:10]
    return f"planverksted-{slug}-{workshop.code}-{date}.{fmt}"


def neutralise(value: Any) -> Any:
    """Keep spreadsheet programs from running text as a formula, and drop the control characters
    a spreadsheet cannot hold (a vertical tab or NUL pasted from a word processor)."""
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return "'" + value if value.startswith(FORMULA_START) else value


def _safe(frame: pd.DataFrame) -> pd.DataFrame:
    safe = frame.apply(lambda column: column.map(neutralise)) if len(frame) else frame
    return safe.rename(columns=neutralise)


def to_csv(data: ExportData) -> bytes:
    """One row per proposal, UTF-8, comma-separated, with a header row."""
    return _safe(data.proposals).to_csv(index=False).encode("utf-8")


def to_xlsx(data: ExportData) -> bytes:
    """A workbook: «Forslag» (one row per proposal), «Om» (the method), «Endringsnivå» (the
    proposals grouped by who can make the change), «Bord» (table mode: the proposals ranked per
    table shown), «Tiltak» (the actions: what, proposal, owner, due, decided by and change level,
    named in the workshop's language), «Steg N» (other steps)."""
    buffer = io.BytesIO()
    about = pd.DataFrame(
        [(key, ", ".join(v) if isinstance(v, list) else v) for key, v in data.about.items()],
        columns=["field", "value"],
    )
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        _safe(data.proposals).to_excel(writer, sheet_name="Forslag", index=False)
        _safe(about).to_excel(writer, sheet_name="Om", index=False)
        _safe(data.level_frame()).to_excel(writer, sheet_name="Endringsnivå", index=False)
        if data.tables is not None:
            _safe(data.tables).to_excel(writer, sheet_name="Bord", index=False)
        _safe(data.action_frame()).to_excel(
            writer, sheet_name=data.action_sheet_name()[:31], index=False
        )
        for name, frame in data.other_steps:
            _safe(frame).to_excel(writer, sheet_name=name[:31], index=False)
        for sheet in writer.sheets.values():
            for column in sheet.columns:
                width = max(len(str(cell.value or "")) for cell in column)
                sheet.column_dimensions[column[0].column_letter].width = min(max(8, width), 60)
    return buffer.getvalue()


def archived_config(config: dict[str, Any]) -> dict[str, Any]:
    """A step's settings as the archive keeps them: the fields of schemas.step_config."""
    return {k: v for k, v in config.items() if k in StepConfig.model_fields and v is not None}


def to_json(data: ExportData) -> bytes:
    """A self-contained archive: the workshop, its method, proposals, actions, follow-up notes,
    when it was closed and its audit trail."""
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
                {
                    "position": s.position,
                    "kind": s.kind,
                    "title": s.title,
                    "prompt": s.prompt,
                    "config": archived_config(s.config),
                }
                for s in workshop.steps
            ],
        },
        "proposals": json.loads(data.proposals.to_json(orient="records", force_ascii=False)),
        "analyses": data.analyses,
        "change_levels": data.levels,
        "actions": data.actions,
        "notes": data.notes,
        "closed_at": data.closed_at,
        "audit": data.audit,
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")
