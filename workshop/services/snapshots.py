"""Snapshots: what each audience sees of a workshop (the GET payload and socket snapshot)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workshop.models import Participant, Proposal, Step, Workshop
from workshop.services.access import Actor, authenticate, find_workshop
from workshop.services.actions import actions_of, decision_bodies, may_read_actions, suggestions_of
from workshop.services.closing import notes_of
from workshop.services.errors import ValidationFailed
from workshop.services.queries import (
    allocation_of,
    count_participants,
    count_takers,
    ratings_of,
    stances_of,
)
from workshop.services.shortlist import SHORTLIST_KINDS, shortlisted_ids
from workshop.services.step_rules import (
    counting_step,
    is_agree,
    is_dot_vote,
    results_revealed,
    step_budget,
    step_cap,
    step_criteria,
    timer_payload,
    vote_mode,
)
from workshop.services.unit import read_only


def step_payload(workshop: Workshop, step: Step) -> dict[str, Any]:
    """A step as API.md shows it, plus what the screens need to draw it."""
    payload: dict[str, Any] = {
        "position": step.position,
        "kind": step.kind,
        "title": step.title,
        "prompt": step.prompt,
        "id": step.id,
        "revealed": step.revealed,
        "timer": timer_payload(step),
    }
    if is_dot_vote(step):
        payload["votes_per_participant"] = step_budget(workshop, step)
        payload["max_votes_per_proposal"] = step_cap(workshop, step)
    if step.kind in ("vote", "agree"):
        payload["mode"] = vote_mode(step)
    if step.kind == "rate":
        payload["criteria"] = step_criteria(step)
    if step.kind in SHORTLIST_KINDS and isinstance(step.config.get("shortlist"), dict):
        payload["shortlist"] = dict(step.config["shortlist"])
        ids = shortlisted_ids(workshop, step)
        if ids is not None:
            payload["proposal_ids"] = ids
    if step.kind == "results" and step.config.get("breakdown"):
        payload["breakdown"] = step.config["breakdown"]  # role, change_level, category or table
    if step.kind == "results" and step.config.get("change_level"):
        payload["change_level"] = step.config["change_level"]  # results of one level only
    return payload


def proposal_payload(proposal: Proposal, staff: bool) -> dict[str, Any]:
    """A proposal as API.md shows it; staff also see where it came from."""
    payload: dict[str, Any] = {
        "id": proposal.id,
        "title": proposal.title,
        "body": proposal.body,
        "category": proposal.category,
        "status": proposal.status,
    }
    if staff:
        payload["change_level"] = proposal.change_level
        payload["suggested_change_level"] = proposal.suggested_change_level
        payload["classification_settled"] = proposal.classification_settled
        payload["source"] = proposal.source
        payload["merged_into_id"] = proposal.merged_into_id
        payload["original_title"] = proposal.original_title
        payload["original_body"] = proposal.original_body
    return payload


PUBLIC_COLUMNS = ("id", "title", "body", "category", "status")
STAFF_COLUMNS = (
    "change_level",
    "suggested_change_level",
    "classification_settled",
    "source",
    "merged_into_id",
    "original_title",
    "original_body",
)


MAX_LISTED = 10_000  # the largest ?proposals= a client may ask for
FEED_SIZE = 50  # the newest proposals a phone's collect step lists before «show older»
PRIORITISING_KINDS = ("vote", "agree", "rate")
LARGE = 500  # proposals past which a snapshot of them all is built off the event loop


def parse_proposal_limit(raw: object) -> int | None:
    """A client's ``proposals`` limit (query or socket auth): None for every proposal."""
    if raw is None or raw == "":
        return None
    text = str(raw).strip()
    digits = not isinstance(raw, bool) and text.isascii() and text.isdigit()
    if digits and len(text) <= 6 and int(text) <= MAX_LISTED:
        return int(text)
    raise ValidationFailed(
        _l("«proposals» må være et heltall fra 0 til %(most)s.", most=MAX_LISTED),
        fields={"proposals": _l("Et heltall fra 0 til %(most)s.", most=MAX_LISTED)},
    )


def proposal_rows(
    session: Session, workshop: Workshop, actor: Actor, limit: int | None = None
) -> list[dict[str, Any]]:
    """The proposals this actor may see, as proposal_payload shapes them, read as plain rows:
    a snapshot of a hall's proposals is sent to every phone, and building ORM objects for each
    row was most of its cost. With a limit, the newest ``limit`` of them (still oldest first)."""
    names = PUBLIC_COLUMNS + (STAFF_COLUMNS if actor.is_staff else ())
    query = select(*(getattr(Proposal, name) for name in names)).where(
        Proposal.workshop_id == workshop.id
    )
    if not actor.is_facilitator:
        query = query.where(Proposal.status == "visible")
    if limit is None:
        rows = list(session.execute(query.order_by(Proposal.id)))
    else:
        rows = list(session.execute(query.order_by(Proposal.id.desc()).limit(limit)))[::-1]
    return [dict(zip(names, row, strict=True)) for row in rows]


def count_proposals(session: Session, workshop: Workshop, actor: Actor | None = None) -> int:
    """How many proposals this actor may see (every proposal without an actor)."""
    query = select(func.count(Proposal.id)).where(Proposal.workshop_id == workshop.id)
    if actor is not None and not actor.is_facilitator:
        query = query.where(Proposal.status == "visible")
    return int(session.scalar(query) or 0)


def build_snapshot(
    session: Session, workshop: Workshop, actor: Actor, limit: int | None = None
) -> dict[str, Any]:
    """The workshop as this actor may see it; with a limit, only the newest proposals are
    listed and ``proposals_total`` says how many there are (a phone's snapshot stays small)."""
    step = workshop.current_step
    snapshot: dict[str, Any] = {
        "code": workshop.code,
        "title": workshop.title,
        "version": workshop.version,
        "language": workshop.language,
        "roles": list(workshop.roles),
        "categories": list(workshop.categories),
        "step": step_payload(workshop, step),
        "step_count": len(workshop.steps),
        "proposals": proposal_rows(session, workshop, actor, limit),
        "participants": count_participants(session, workshop),
        "voters": count_takers(session, counting_step(workshop)),
        "revealed": results_revealed(workshop),
        "joining_open": workshop.joining_open,
        "show_qr": workshop.show_qr,
        "audience": actor.kind,
        "closed": workshop.closed_at is not None,
        "closed_at": workshop.closed_at.isoformat() if workshop.closed_at else None,
        "report_published": workshop.report_published,
    }
    if limit is not None:
        snapshot["proposals_total"] = count_proposals(session, workshop, actor)
    add_follow_up(session, workshop, actor, snapshot)
    if actor.is_staff:
        snapshot["steps"] = [step_payload(workshop, s) for s in workshop.steps]
        snapshot["settings"] = dict(workshop.settings)
    if actor.participant_id is not None:
        participant = session.get(Participant, actor.participant_id)
        me: dict[str, Any] = {
            "participant_id": actor.participant_id,
            "name": participant.name if participant else None,
            "roles": list(participant.roles) if participant else [],
            "table": participant.table if participant else None,
        }
        if is_dot_vote(step):
            allocation = allocation_of(session, step, actor.participant_id)
            me["allocations"] = allocation
            me["remaining"] = step_budget(workshop, step) - sum(allocation.values())
        elif is_agree(step):
            me["stances"] = stances_of(session, step, actor.participant_id)
        elif step.kind == "rate":
            me["ratings"] = ratings_of(session, step, actor.participant_id)
        snapshot["me"] = me
        snapshot["tables"] = list(workshop.settings.get("tables") or [])
    return snapshot


def add_follow_up(
    session: Session, workshop: Workshop, actor: Actor, snapshot: dict[str, Any]
) -> None:
    """Actions (staff; everyone once closed), notes (once closed), phones' suggestions."""
    if may_read_actions(workshop, actor):
        snapshot["actions"] = actions_of(session, workshop)
    if workshop.closed_at is not None:
        snapshot["notes"] = notes_of(session, workshop)
    if actor.is_staff:
        snapshot["decision_bodies"] = decision_bodies(workshop)
    if actor.is_facilitator:
        snapshot["action_suggestions"] = suggestions_of(session, workshop)


def is_large(code: str) -> bool:
    """Whether a snapshot of every proposal of this workshop is heavy work (see LARGE)."""
    with read_only() as session:
        return count_proposals(session, find_workshop(session, code)) > LARGE


def get_snapshot(code: str, key: str | None, limit: int | None = None) -> dict[str, Any]:
    """Authenticate a key and return what it may see (GET /api/v1/workshops/{code})."""
    with read_only() as session:
        workshop, actor = authenticate(session, code, key)
        return build_snapshot(session, workshop, actor, limit)


def phone_snapshot(code: str, key: str | None, feed: int = FEED_SIZE) -> dict[str, Any]:
    """What a phone's page draws: every proposal of a step that prioritises them, the newest
    ``feed`` while collecting, none on the other steps (their pages list no proposals)."""
    with read_only() as session:
        workshop, actor = authenticate(session, code, key)
        kind = workshop.current_step.kind
        limit = None if kind in PRIORITISING_KINDS else feed if kind == "collect" else 0
        return build_snapshot(session, workshop, actor, limit)


def snapshot_for(actor: Actor, limit: int | None = None) -> dict[str, Any]:
    """The snapshot of an already identified actor (socket connect)."""
    with read_only() as session:
        workshop = find_workshop(session, actor.workshop_code)
        return build_snapshot(session, workshop, actor, limit)


def join_info(code: str) -> dict[str, Any]:
    """What the join page may show anyone: code, title, language, roles and tables."""
    with read_only() as session:
        workshop = find_workshop(session, code)
        return {
            "code": workshop.code,
            "title": workshop.title,
            "language": workshop.language,
            "roles": list(workshop.roles),
            "tables": list(workshop.settings.get("tables") or []),
            "joining_open": workshop.joining_open,
        }
