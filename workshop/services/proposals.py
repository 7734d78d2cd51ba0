"""Use cases of proposals: submitting them from a phone or the facilitator's keyboard."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from workshop.models import Participant, Proposal, Workshop
from workshop.services.access import authenticate
from workshop.services.closed import ensure_editable, ensure_open
from workshop.services.errors import Conflict, Forbidden, ValidationFailed, WrongStep
from workshop.services.events import Audience
from workshop.services.room_limits import check_proposal_limits
from workshop.services.snapshots import proposal_payload
from workshop.services.unit import unit_of_work


@dataclass(frozen=True)
class Submitted:
    """The stored proposal and whether this call created it."""

    proposal: dict[str, Any]
    created: bool


@dataclass(frozen=True)
class ProposalInput:
    """A proposal as typed, validated before anything is stored."""

    title: str
    body: str
    category: str | None
    client_key: str | None
    change_level: str | None = None


def submit_proposal(
    code: str,
    key: str | None,
    title: str,
    body: str | None = None,
    category: str | None = None,
    client_key: str | None = None,
    source: str | None = None,
    change_level: str | None = None,
) -> Submitted:
    """Store a proposal once per client key; phones may submit only during a collect step.

    The values are SubmitProposal's (types, lengths and the change level checked there); the
    category is checked against the workshop's here. A participant's category is a suggestion
    and its change level is stored as ``suggested_change_level``; only the facilitator's are
    settled (``change_level``, classification_settled True).
    """
    data = ProposalInput(
        title, body or "", (category or "").strip() or None, client_key, change_level
    )
    try:
        return _submit(code, key, data, source)
    except IntegrityError:
        # A concurrent retry with the same client key won the race: return its proposal.
        return _submit(code, key, data, source)


def _submit(code: str, key: str | None, data: ProposalInput, source: str | None) -> Submitted:
    with unit_of_work() as work:
        workshop, actor = authenticate(work.session, code, key)
        if actor.kind == "projector":
            raise Forbidden(_l("Projektoren kan ikke sende inn forslag."))
        if actor.is_facilitator:
            ensure_editable(workshop)
        else:
            ensure_open(workshop)
        existing = _existing(work.session, workshop.id, actor.participant_id, data.client_key)
        if existing is not None:
            return Submitted(proposal_payload(existing, actor.is_staff), created=False)
        if not actor.is_facilitator and workshop.current_step.kind != "collect":
            raise WrongStep(_l("Forslag kan bare sendes inn mens verkstedet samler forslag."))
        if data.category is not None and data.category not in workshop.categories:
            raise ValidationFailed(_l("Velg et tema fra listen."))
        step_id = None if actor.is_facilitator else workshop.current_step.id
        if not actor.is_facilitator and actor.participant_id is not None:
            _one_per_table(work.session, workshop, actor.participant_id)
            check_proposal_limits(work.session, workshop, actor.participant_id)
        moderated = workshop.settings.get("moderation", False) and not actor.is_facilitator
        proposal = Proposal(
            workshop_id=workshop.id,
            participant_id=actor.participant_id,
            title=data.title,
            body=data.body,
            category=data.category,
            change_level=data.change_level if actor.is_facilitator else None,
            suggested_change_level=None if actor.is_facilitator else data.change_level,
            classification_settled=actor.is_facilitator and data.change_level is not None,
            status="pending" if moderated else "visible",
            source=(source if source in ("paper", "facilitator") else "facilitator")
            if actor.is_facilitator
            else "phone",
            client_key=data.client_key,
            step_id=step_id,
        )
        work.session.add(proposal)
        work.session.flush()
        workshop.bump()
        if actor.is_facilitator:
            work.audit(workshop, actor.label, "proposal_added", proposal_id=proposal.id)
        audience: Audience = "facilitator" if moderated else "everyone"
        work.emit(
            workshop,
            "proposal_added",
            {"proposal": proposal_payload(proposal, staff=False), "meta": _meta(proposal)},
            audience=audience,
        )
        return Submitted(proposal_payload(proposal, actor.is_staff), created=True)


def _one_per_table(session: Session, workshop: Workshop, participant_id: int | None) -> None:
    """In a «per_table» collect step a table sends one proposal; a second one is refused.

    Refused rather than replaced: the table's proposal is what the group agreed on, and a second
    phone at the table must not overwrite it unseen. The facilitator can edit or hide it. A
    participant without a table sends as in any collect step.
    """
    step = workshop.current_step
    if not step.config.get("per_table") or participant_id is None:
        return
    participant = session.get(Participant, participant_id)
    if participant is None or participant.table is None:
        return
    taken = session.scalar(
        select(Proposal.id)
        .join(Participant, Participant.id == Proposal.participant_id)
        .where(
            Proposal.workshop_id == workshop.id,
            Proposal.step_id == step.id,
            Participant.table == participant.table,
        )
        .limit(1)
    )
    if taken is not None:
        raise Conflict(
            _l(
                "%(table)s har allerede sendt inn forslaget sitt i dette steget. Ett forslag per "
                "bord: be ordstyreren rette det om dere vil endre det.",
                table=participant.table,
            )
        )


def _meta(proposal: Proposal) -> dict[str, Any]:
    return {
        "change_level": proposal.change_level,
        "suggested_change_level": proposal.suggested_change_level,
        "classification_settled": proposal.classification_settled,
        "source": proposal.source,
    }


def _existing(
    session: Session, workshop_id: int, participant_id: int | None, client_key: str | None
) -> Proposal | None:
    if client_key is None:
        return None
    query = select(Proposal).where(
        Proposal.workshop_id == workshop_id, Proposal.client_key == client_key
    )
    if participant_id is None:
        query = query.where(Proposal.participant_id.is_(None))
    else:
        query = query.where(Proposal.participant_id == participant_id)
    found: Proposal | None = session.scalar(query)
    return found
