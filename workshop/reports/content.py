"""What the report says, gathered once in the current language: every prioritising step's results,
the change levels, the actions and the follow-up notes, whatever step the workshop is on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy.orm import Session

from workshop.analytics import analyse, analysis_kind, analysis_payload, prioritising_steps
from workshop.analytics.reading import level_groups
from workshop.models import Step, Workshop
from workshop.reports.formatting import OSLO, day_text, decimal_text, in_oslo
from workshop.services.access import authenticate, find_workshop, require_facilitator
from workshop.services.actions import actions_of
from workshop.services.closing import notes_of
from workshop.services.queries import count_participants
from workshop.services.step_rules import step_budget, step_criteria
from workshop.services.unit import read_only

TOP_ROWS = 20  # a step's table in the body; the appendix lists every proposal
TOP_PER_LEVEL = 5  # the Word summary's top proposals per change level
LEVEL_ROWS = 10  # the report's list per change level; the appendix names every proposal's level

QUADRANT_LABELS = {
    "quick_win": _l("Raske gevinster"),
    "big_project": _l("Store prosjekter"),
    "fill_in": _l("Småplukk"),
    "time_sink": _l("Tidstyver"),
}
DECISION_BODY_LABELS = {
    "kommunestyret": _l("Kommunestyret"),
    "formannskapet": _l("Formannskapet"),
    "administrasjonen": _l("Administrasjonen"),
    "fylkeskommunen": _l("Fylkeskommunen"),
    "statsforvalteren": _l("Statsforvalteren"),
    "departementet": _l("Departementet"),
}
SHORT_LEVEL_LABELS = {"lokal": _l("Lokal"), "regional": _l("Regional"), "nasjonal": _l("Nasjonal")}
CHANGE_LEVEL_LABELS = {
    "lokal": _l("Lokal – kommunen selv"),
    "regional": _l("Regional – fylkeskommunen, statsforvalteren"),
    "nasjonal": _l("Nasjonal – lov, forskrift, departementet"),
}


@dataclass(frozen=True)
class StepResult:
    """One prioritising step analysed (``analytics.analysis_payload``) and its vote's budget."""

    payload: dict[str, Any]
    budget: int | None

    @property
    def kind(self) -> str:
        return str(self.payload["kind"])

    @property
    def title(self) -> str:
        return str(self.payload["step"]["title"])

    @property
    def position(self) -> int:
        return int(self.payload["step"]["position"])

    @property
    def proposals(self) -> list[dict[str, Any]]:
        return list(self.payload["proposals"])

    @property
    def top(self) -> list[dict[str, Any]]:
        """The proposals the body's table shows; the appendix has the rest."""
        return self.proposals[:TOP_ROWS]


@dataclass(frozen=True)
class LevelGroup:
    """The ranked proposals one level of government can change."""

    change_level: str | None
    label: str
    proposals: list[dict[str, Any]]

    @property
    def top(self) -> list[dict[str, Any]]:
        """The few the Word summary names."""
        return self.proposals[:TOP_PER_LEVEL]

    @property
    def listed(self) -> list[dict[str, Any]]:
        """The ones the report lists under the level."""
        return self.proposals[:LEVEL_ROWS]


@dataclass(frozen=True)
class ReportContent:
    """Everything the report holds, its texts already in the language it was gathered in."""

    title: str
    code: str
    language: str
    held: datetime
    printed: datetime
    participants: int
    closed_at: datetime | None
    prompts: list[str]
    method: list[str]
    steps: list[StepResult]
    levels_step: str | None
    levels: list[LevelGroup]
    actions: list[dict[str, Any]]
    notes: list[dict[str, Any]]
    appendix_columns: list[str]
    appendix: list[dict[str, Any]]


def gather(session: Session, workshop: Workshop, now: datetime | None = None) -> ReportContent:
    """Gather the report of a workshop in the current locale (call inside ``force_locale``)."""
    steps = [_step_result(session, workshop, step) for step in prioritising_steps(workshop)]
    if not steps:  # a workshop without a vote still lists its proposals
        steps_for_levels = [StepResult(analysis_payload(analyse(session, workshop, None)), None)]
    else:
        steps_for_levels = steps
    ranked = steps_for_levels[0].proposals  # the first vote ranks every visible proposal
    by_id = {row["id"]: row for row in ranked}
    levels = [
        LevelGroup(
            group["change_level"],
            group["label"],
            [{"rank": rank, **by_id[pid]} for rank, pid in enumerate(group["proposals"], 1)],
        )
        for group in level_groups(ranked)
    ]
    return ReportContent(
        title=workshop.title,
        code=workshop.code,
        language=workshop.language,
        held=in_oslo(workshop.created_at),
        printed=(now or datetime.now(OSLO)).astimezone(OSLO),
        participants=count_participants(session, workshop),
        closed_at=in_oslo(workshop.closed_at) if workshop.closed_at else None,
        prompts=[s.prompt for s in workshop.steps if s.kind == "collect" and s.prompt],
        method=method_sentences(workshop),
        steps=steps,
        levels_step=steps[0].title if steps else None,
        levels=levels,
        actions=[_action_row(a, by_id) for a in actions_of(session, workshop)],
        notes=notes_of(session, workshop),
        appendix_columns=[_appendix_header(s) for s in steps],
        appendix=_appendix(ranked, steps),
    )


def report_content(code: str, key: str | None) -> ReportContent:
    """The report for the workshop's facilitator, in the current locale."""
    with read_only() as session:
        workshop, actor = authenticate(session, code, key)
        require_facilitator(actor)
        return gather(session, workshop)


def published_content(code: str) -> ReportContent | None:
    """The report anyone with the code may read once the workshop is closed and the facilitator
    has published it; None before that."""
    with read_only() as session:
        workshop = find_workshop(session, code)
        if workshop.closed_at is None or not workshop.report_published:
            return None
        return gather(session, workshop)


def _step_result(session: Session, workshop: Workshop, step: Step) -> StepResult:
    payload = analysis_payload(analyse(session, workshop, step))
    for row in payload["proposals"]:
        if row.get("quadrant"):
            row["quadrant_label"] = str(QUADRANT_LABELS[row["quadrant"]])
    budget = step_budget(workshop, step) if payload["kind"] == "dots" else None
    return StepResult(payload, budget)


def method_sentences(workshop: Workshop) -> list[str]:
    """What the room did, step by step, in plain language."""
    sentences = []
    for step in workshop.steps:
        if step.kind == "collect":
            text = _("%(step)s: deltakerne skrev forslag fra egen mobil.", step=step.title)
        elif step.kind == "rate":
            names = ", ".join(str(c.get("label") or c.get("key")) for c in step_criteria(step))
            text = _(
                "%(step)s: deltakerne ga forslagene en verdi fra 1 til 5 for %(criteria)s.",
                step=step.title,
                criteria=names.lower(),
            )
        elif step.kind in ("vote", "agree") and _is_agree(step):
            text = _(
                "%(step)s: deltakerne svarte «enig», «uenig» eller «står over» på forslagene.",
                step=step.title,
            )
        elif step.kind == "vote":
            text = ngettext(
                "%(step)s: hver deltaker fordelte %(num)d prikk på forslagene de mente var "
                "viktigst.",
                "%(step)s: hver deltaker fordelte %(num)d prikker på forslagene de mente var "
                "viktigst.",
                step_budget(workshop, step),
                step=step.title,
            )
        elif step.kind == "actions":
            text = _(
                "%(step)s: rommet ble enige om tiltak, hvem som har ansvaret og frister.",
                step=step.title,
            )
        else:
            continue
        sentences.append(text)
    return sentences


def _is_agree(step: Step) -> bool:
    return analysis_kind(step) == "agree"


def _action_row(action: dict[str, Any], by_id: dict[int, dict[str, Any]]) -> dict[str, Any]:
    proposal = by_id.get(action["proposal_id"]) if action["proposal_id"] else None
    return {
        **action,
        "proposal_title": proposal["title"] if proposal else "",
        "due_text": day_text(action["due"]),
        "decided_by_text": decision_body_label(action["decided_by"]),
        "change_level_text": change_level_label(action["change_level"]),
    }


def decision_body_label(key: str | None) -> str:
    """A decision body in the current language (a plan's own body as written)."""
    return str(DECISION_BODY_LABELS.get(key or "", key or ""))


def change_level_label(key: str | None) -> str:
    """A change level in the current language."""
    return str(CHANGE_LEVEL_LABELS.get(key or "", key or _("Ikke avklart")))


def _appendix_header(step: StepResult) -> str:
    unit = {
        "agree": _("enig / uenig / står over"),
        "rate": _("gevinst / innsats"),
    }.get(step.kind, _("prikker"))
    return f"{step.title} ({unit})"


def result_text(step: StepResult, row: dict[str, Any]) -> str:
    """A proposal's result in one step, in a few characters."""
    if step.kind == "agree":
        return f"{row['agree']} / {row['disagree']} / {row['pass']}"
    if step.kind == "rate":
        return f"{decimal_text(row['benefit'], 1)} / {decimal_text(row['effort'], 1)}"
    return str(row["dots"])


def _appendix(ranked: list[dict[str, Any]], steps: list[StepResult]) -> list[dict[str, Any]]:
    per_step = [{row["id"]: row for row in step.proposals} for step in steps]
    return [
        {
            "rank": rank,
            "id": row["id"],
            "title": row["title"],
            "category": row.get("category") or "",
            "change_level_text": str(SHORT_LEVEL_LABELS.get(row.get("change_level") or "", "–")),
            "results": [
                result_text(step, rows[row["id"]]) if row["id"] in rows else "–"
                for step, rows in zip(steps, per_step, strict=True)
            ],
        }
        for rank, row in enumerate(ranked, start=1)
    ]
