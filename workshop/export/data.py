"""Everything an export holds, read in one transaction: each step analysed, the raw answers."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pandas as pd
from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.orm import Session

from workshop.analytics.analysis import Analysis, analyse, prioritising_steps
from workshop.analytics.measures import STANCE_NAMES
from workshop.analytics.reading import consensus_note, level_groups
from workshop.export.archive_json import analysis_frame, analysis_record
from workshop.export.method import consensus_rules, step_rules
from workshop.export.options import OSLO, ExportOptions
from workshop.models import AuditEntry, Participant, Proposal, Rating, Stance, Vote, Workshop
from workshop.services.actions import actions_of
from workshop.services.closing import closed_at_of, notes_of
from workshop.services.shortlist import shortlisted_ids
from workshop.services.step_rules import counting_step, step_budget


@dataclass
class ExportData:
    """Everything an export holds, before it is formatted."""

    workshop: Workshop
    proposals: pd.DataFrame  # the archive's table: the step that counts now, as it was
    about: dict[str, Any]
    audit: list[dict[str, Any]]
    analyses: list[dict[str, Any]] = field(default_factory=list)
    levels: list[dict[str, Any]] = field(default_factory=list)
    actions: list[dict[str, Any]] = field(default_factory=list)
    notes: list[dict[str, Any]] = field(default_factory=list)
    closed_at: str | None = None
    steps: list[Analysis] = field(default_factory=list)  # every prioritising step, agenda order
    counting: Analysis | None = None  # the step whose results count now
    visible: list[dict[str, Any]] = field(default_factory=list)  # visible proposals, by id
    merged: dict[int, list[tuple[int, str]]] = field(default_factory=dict)
    participants: list[dict[str, Any]] = field(default_factory=list)
    votes: list[tuple[int, int, int, int]] = field(default_factory=list)  # step, who, what, dots
    ratings: list[tuple[int, int, int, str, int]] = field(default_factory=list)
    stances: list[tuple[int, int, int, str]] = field(default_factory=list)
    rules: dict[int, str] = field(default_factory=dict)  # step id → its rules in words
    consensus_rules: str = ""
    exported_at: datetime = field(default_factory=lambda: datetime.now(OSLO))
    options: ExportOptions = field(default_factory=ExportOptions)


def in_oslo(moment: datetime) -> datetime:
    """A stored time in Norwegian time; SQLite hands back UTC times without their zone."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(OSLO)


def collect(
    session: Session,
    workshop: Workshop,
    options: ExportOptions | None = None,
    now: datetime | None = None,
) -> ExportData:
    """Gather every step's results, the raw answers, the method and the audit trail."""
    with force_locale(workshop.language):
        return _collect(session, workshop, options or ExportOptions(), now or datetime.now(OSLO))


def _collect(
    session: Session, workshop: Workshop, options: ExportOptions, now: datetime
) -> ExportData:
    step_list = prioritising_steps(workshop)
    analyses = [analyse(session, workshop, step) for step in step_list]
    current = counting_step(workshop)
    counting = next(
        (a for a in analyses if current is not None and a.step is current),
        None,
    ) or analyse(session, workshop, None)
    rules = {
        step.id: step_rules(
            analysis.kind,
            step_budget(workshop, step) if analysis.kind == "dots" else None,
            analysis.criteria,
            _shortlist_size(workshop, step),
        )
        for step, analysis in zip(step_list, analyses, strict=True)
    }
    threshold = counting.threshold
    about = _about(workshop, counting, now)
    about["method"] = " ".join(
        [rules[counting.step.id] if counting.step is not None else "", consensus_rules(threshold)]
    ).strip()
    visible, merged = _proposals(session, workshop)
    shown = {p["id"] for p in visible}
    return ExportData(
        workshop,
        analysis_frame(counting),
        about,
        _audit(session, workshop),
        analyses=[
            analysis_record(a) for a in [counting, *(a for a in analyses if a is not counting)]
        ],
        levels=level_groups(counting.rows),
        actions=actions_of(session, workshop),
        notes=notes_of(session, workshop),
        closed_at=closed_at_of(workshop),
        steps=analyses,
        counting=counting,
        visible=visible,
        merged=merged,
        participants=_participants(session, workshop),
        votes=_votes(session, step_list, shown),
        ratings=_ratings(session, step_list, shown),
        stances=_stances(session, step_list, shown),
        rules=rules,
        consensus_rules=consensus_rules(threshold),
        exported_at=now.astimezone(OSLO),
        options=options,
    )


def _shortlist_size(workshop: Workshop, step: Any) -> int | None:
    asked = shortlisted_ids(workshop, step)
    return None if asked is None else len(asked)


def _about(workshop: Workshop, counting: Analysis, now: datetime) -> dict[str, Any]:
    """The archive's «about»: the step that counts now and the rules of the vote."""
    step = counting.step
    about: dict[str, Any] = {
        "workshop": workshop.title,
        "code": workshop.code,
        "session_plan": workshop.plan_name,
        "held": in_oslo(workshop.created_at).date().isoformat(),
        "exported_at": now.astimezone(OSLO).isoformat(timespec="seconds"),
        "participants": counting.participants,
        "voters": counting.voters,
        "step": step.title if step is not None else None,
        "step_position": step.position + 1 if step is not None else None,
        "kind": counting.kind,
        "votes_per_participant": (
            step_budget(workshop, step) if step is not None and counting.kind == "dots" else None
        ),
        "min_group_size": counting.threshold,
        "roles_shown": counting.roles_shown,
        "consensus_note": consensus_note(counting),
    }
    if counting.tables_shown is not None:
        about["tables_shown"] = counting.tables_shown
    return about


def _proposals(
    session: Session, workshop: Workshop
) -> tuple[list[dict[str, Any]], dict[int, list[tuple[int, str]]]]:
    """The visible proposals, and for each the proposals merged into it."""
    visible: list[dict[str, Any]] = []
    merged: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for proposal in session.scalars(
        select(Proposal).where(Proposal.workshop_id == workshop.id).order_by(Proposal.id)
    ):
        if proposal.status == "visible":
            visible.append(
                {
                    "id": proposal.id,
                    "title": proposal.title,
                    "body": proposal.body or "",
                    "category": proposal.category,
                    "change_level": proposal.change_level,
                    "suggested_change_level": proposal.suggested_change_level,
                    "status": proposal.status,
                    "source": proposal.source,
                }
            )
        elif proposal.status == "merged" and proposal.merged_into_id is not None:
            merged[proposal.merged_into_id].append((proposal.id, proposal.title))
    return visible, dict(merged)


def _participants(session: Session, workshop: Workshop) -> list[dict[str, Any]]:
    return [
        {"id": int(pid), "name": name, "roles": list(roles or []), "table": table}
        for pid, name, roles, table in session.execute(
            select(Participant.id, Participant.name, Participant.roles, Participant.table)
            .where(Participant.workshop_id == workshop.id)
            .order_by(Participant.id)
        )
    ]


def _step_numbers(steps: list[Any]) -> dict[int, int]:
    return {step.id: step.position + 1 for step in steps}


def _votes(session: Session, steps: list[Any], shown: set[int]) -> list[tuple[int, int, int, int]]:
    numbers = _step_numbers(steps)
    rows = session.execute(
        select(Vote.step_id, Vote.participant_id, Vote.proposal_id, Vote.dots)
        .where(Vote.step_id.in_(numbers), Vote.dots > 0)
        .order_by(Vote.participant_id, Vote.step_id, Vote.proposal_id)
    )
    return [(numbers[s], int(p), int(i), int(d)) for s, p, i, d in rows if i in shown]


def _ratings(
    session: Session, steps: list[Any], shown: set[int]
) -> list[tuple[int, int, int, str, int]]:
    numbers = _step_numbers(steps)
    rows = session.execute(
        select(Rating.step_id, Rating.participant_id, Rating.proposal_id, Rating.criterion)
        .add_columns(Rating.score)
        .where(Rating.step_id.in_(numbers))
        .order_by(Rating.participant_id, Rating.step_id, Rating.proposal_id, Rating.criterion)
    )
    return [(numbers[s], int(p), int(i), str(c), int(v)) for s, p, i, c, v in rows if i in shown]


def _stances(
    session: Session, steps: list[Any], shown: set[int]
) -> list[tuple[int, int, int, str]]:
    numbers = _step_numbers(steps)
    rows = session.execute(
        select(Stance.step_id, Stance.participant_id, Stance.proposal_id, Stance.value)
        .where(Stance.step_id.in_(numbers))
        .order_by(Stance.participant_id, Stance.step_id, Stance.proposal_id)
    )
    return [
        (numbers[s], int(p), int(i), STANCE_NAMES[v])
        for s, p, i, v in rows
        if i in shown and v in STANCE_NAMES
    ]


def _audit(session: Session, workshop: Workshop) -> list[dict[str, Any]]:
    return [
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
