"""Use cases of actions («tiltak»): the facilitator records what will be done, by whom and when;
phones in an actions step may suggest an owner and a deadline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from workshop.models import (
    CHANGE_LEVELS,
    DECISION_BODIES,
    Action,
    ActionSuggestion,
    Proposal,
    Workshop,
)
from workshop.services.access import Actor, authenticate, require_facilitator
from workshop.services.closed import ensure_open
from workshop.services.errors import Forbidden, NotFound, ValidationFailed, WrongStep
from workshop.services.unit import UnitOfWork, read_only, unit_of_work

WHAT_MAX = 500
OWNER_MAX = 120
UNSET: Any = object()  # a PATCH field that was not sent


@dataclass(frozen=True)
class ActionInput:
    """An action as the facilitator typed it; UNSET fields are left as they are (PATCH)."""

    what: Any = UNSET
    proposal_id: Any = UNSET
    owner: Any = UNSET
    due: Any = UNSET
    decided_by: Any = UNSET
    change_level: Any = UNSET


def decision_bodies(workshop: Workshop) -> list[str]:
    """Who may decide an action in this workshop: the plan's list, else the usual bodies."""
    configured = workshop.settings.get("decision_bodies")
    if isinstance(configured, list) and configured:
        return [str(body) for body in configured]
    return list(DECISION_BODIES)


def action_payload(action: Action) -> dict[str, Any]:
    """An action as API.md shows it."""
    return {
        "id": action.id,
        "what": action.what,
        "proposal_id": action.proposal_id,
        "owner": action.owner,
        "due": action.due.isoformat() if action.due else None,
        "decided_by": action.decided_by,
        "change_level": action.change_level,
    }


def suggestion_payload(suggestion: ActionSuggestion) -> dict[str, Any]:
    """A phone's suggestion of an owner and a deadline, for the facilitator."""
    return {
        "id": suggestion.id,
        "action_id": suggestion.action_id,
        "owner": suggestion.owner,
        "due": suggestion.due.isoformat() if suggestion.due else None,
        "at": suggestion.created_at.isoformat(),
    }


def actions_of(session: Session, workshop: Workshop) -> list[dict[str, Any]]:
    """The workshop's actions, oldest first."""
    rows = session.scalars(
        select(Action).where(Action.workshop_id == workshop.id).order_by(Action.id)
    )
    return [action_payload(a) for a in rows]


def suggestions_of(session: Session, workshop: Workshop) -> list[dict[str, Any]]:
    """The phones' suggestions, oldest first (facilitator only)."""
    rows = session.scalars(
        select(ActionSuggestion)
        .where(ActionSuggestion.workshop_id == workshop.id)
        .order_by(ActionSuggestion.id)
    )
    return [suggestion_payload(s) for s in rows]


def may_read_actions(workshop: Workshop, actor: Actor) -> bool:
    """Staff always; participants once the workshop is closed."""
    return actor.is_staff or workshop.closed_at is not None


def list_actions(code: str, key: str | None) -> list[dict[str, Any]]:
    """GET …/actions: facilitator and projector; participants once closed."""
    with read_only() as session:
        workshop, actor = authenticate(session, code, key)
        if not may_read_actions(workshop, actor):
            raise Forbidden()
        return actions_of(session, workshop)


def actions_for_phone(code: str, key: str | None) -> list[dict[str, Any]]:
    """What a phone in an actions step may suggest owners and deadlines for."""
    with read_only() as session:
        workshop, _actor = authenticate(session, code, key)
        if workshop.current_step.kind != "actions" and workshop.closed_at is None:
            return []
        return actions_of(session, workshop)


def create_action(code: str, key: str | None, data: ActionInput) -> dict[str, Any]:
    """POST …/actions (facilitator): record an action."""
    with unit_of_work() as work:
        workshop, actor = authenticate(work.session, code, key)
        require_facilitator(actor)
        action = Action(workshop_id=workshop.id, what="")
        _apply(work.session, workshop, action, data, creating=True)
        work.session.add(action)
        work.session.flush()
        workshop.bump()
        work.audit(workshop, actor.label, "action_added", action_id=action.id)
        _announce(work, workshop)
        return action_payload(action)


def update_action(code: str, key: str | None, action_id: int, data: ActionInput) -> dict[str, Any]:
    """PATCH …/actions/{id} (facilitator): change the fields sent."""
    with unit_of_work() as work:
        workshop, actor = authenticate(work.session, code, key)
        require_facilitator(actor)
        action = _find(work.session, workshop, action_id)
        _apply(work.session, workshop, action, data, creating=False)
        workshop.bump()
        work.audit(workshop, actor.label, "action_changed", action_id=action.id)
        _announce(work, workshop)
        return action_payload(action)


def delete_action(code: str, key: str | None, action_id: int) -> None:
    """DELETE …/actions/{id} (facilitator)."""
    with unit_of_work() as work:
        workshop, actor = authenticate(work.session, code, key)
        require_facilitator(actor)
        action = _find(work.session, workshop, action_id)
        work.session.delete(action)
        work.session.flush()
        workshop.bump()
        work.audit(workshop, actor.label, "action_removed", action_id=action_id)
        _announce(work, workshop)


def suggest(
    code: str, key: str | None, action_id: int, owner: str | None, due: date | None
) -> dict[str, Any]:
    """A phone in an actions step proposes an owner and / or a deadline for an action."""
    clean_owner = (owner or "").strip() or None
    if clean_owner is None and due is None:
        raise ValidationFailed(_l("Foreslå en ansvarlig eller en frist."))
    if clean_owner and len(clean_owner) > OWNER_MAX:
        raise ValidationFailed(_l("Ansvarlig kan ha høyst %(max)d tegn.", max=OWNER_MAX))
    with unit_of_work() as work:
        workshop, actor = authenticate(work.session, code, key)
        if actor.participant_id is None:
            raise Forbidden(_l("Bare deltakere kan foreslå."))
        ensure_open(workshop)
        if workshop.current_step.kind != "actions":
            raise WrongStep(_l("Det er ikke tid for å foreslå ansvarlig og frist nå."))
        action = _find(work.session, workshop, action_id)
        suggestion = ActionSuggestion(
            workshop_id=workshop.id,
            action_id=action.id,
            participant_id=actor.participant_id,
            owner=clean_owner,
            due=due,
        )
        work.session.add(suggestion)
        work.session.flush()
        workshop.bump()
        payload = suggestion_payload(suggestion)
        work.emit(workshop, "action_suggested", {"suggestion": payload}, audience="facilitator")
        return payload


def _find(session: Session, workshop: Workshop, action_id: int) -> Action:
    action = session.get(Action, action_id)
    if action is None or action.workshop_id != workshop.id:
        raise NotFound(_l("Fant ikke tiltaket."))
    return action


def _apply(
    session: Session, workshop: Workshop, action: Action, data: ActionInput, creating: bool
) -> None:
    """Check each field sent and set it; null clears an optional field."""
    if data.what is not UNSET or creating:
        what = (data.what or "").strip() if isinstance(data.what, str) else ""
        if not what:
            raise ValidationFailed(_l("Skriv hva som skal gjøres."), {"what": _l("Påkrevd.")})
        if len(what) > WHAT_MAX:
            raise ValidationFailed(_l("Tiltaket kan ha høyst %(max)d tegn.", max=WHAT_MAX))
        action.what = what
    if data.proposal_id is not UNSET:
        if data.proposal_id is not None:
            proposal = session.get(Proposal, data.proposal_id)
            if proposal is None or proposal.workshop_id != workshop.id:
                raise ValidationFailed(_l("Forslaget finnes ikke i dette verkstedet."))
        action.proposal_id = data.proposal_id
    if data.owner is not UNSET:
        owner = (data.owner or "").strip() or None
        if owner and len(owner) > OWNER_MAX:
            raise ValidationFailed(_l("Ansvarlig kan ha høyst %(max)d tegn.", max=OWNER_MAX))
        action.owner = owner
    if data.due is not UNSET:
        action.due = data.due
    if data.decided_by is not UNSET:
        if data.decided_by is not None and data.decided_by not in decision_bodies(workshop):
            raise ValidationFailed(_l("Velg hvem som vedtar fra listen."))
        action.decided_by = data.decided_by
    if data.change_level is not UNSET:
        if data.change_level is not None and data.change_level not in CHANGE_LEVELS:
            raise ValidationFailed(_l("Endringsnivået må være lokal, regional eller nasjonal."))
        action.change_level = data.change_level


def _announce(work: UnitOfWork, workshop: Workshop) -> None:
    """Every screen that shows actions gets the whole list (phones only while they need it)."""
    work.session.flush()
    phones_see = workshop.current_step.kind == "actions" or workshop.closed_at is not None
    work.emit(
        workshop,
        "actions_changed",
        {"actions": actions_of(work.session, workshop)},
        audience="everyone" if phones_see else "staff",
    )
