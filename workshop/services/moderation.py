"""Use cases of moderation: approve, hide and show, edit, recategorise, settle the change level.

One PATCH-like function changes any of these in one transaction, so a refusal stores nothing;
the named functions below it are the single-purpose use cases the screens call.

Events (published after the commit):

- a proposal that is (or stays) visible: ``proposal_updated`` {"proposal", "meta"} to everyone
  (the public payload; ``meta`` carries change_level, classification_settled, source);
- a pending or hidden proposal: ``proposal_updated`` {"proposal"} with the staff payload, to the
  facilitator only;
- a visible proposal hidden: ``proposal_removed`` {"id", "reason": "hidden"} to everyone first,
  so phones and the projector drop it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from workshop.models import Proposal, Workshop
from workshop.services.access import authenticate, require_facilitator
from workshop.services.closed import ensure_editable
from workshop.services.errors import NotFound, ValidationFailed
from workshop.services.snapshots import proposal_payload
from workshop.services.unit import UnitOfWork, read_only, unit_of_work
from workshop.similarity import DEFAULT_THRESHOLD, Text, similar_groups


class _Unset:
    """Marks a field the request did not mention (None means null)."""

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = _Unset()
MODERATED_STATUSES = ("visible", "hidden")


@dataclass(frozen=True)
class Changes:
    """Validated changes to a proposal; UNSET fields are left alone."""

    status: Any = UNSET
    title: Any = UNSET
    body: Any = UNSET
    category: Any = UNSET
    change_level: Any = UNSET

    def is_empty(self) -> bool:
        """Whether nothing at all was asked for."""
        return all(
            value is UNSET
            for value in (self.status, self.title, self.body, self.category, self.change_level)
        )


def validate_changes(
    status: str | _Unset = UNSET,
    title: str | _Unset = UNSET,
    body: str | None | _Unset = UNSET,
    category: str | None | _Unset = UNSET,
    change_level: str | None | _Unset = UNSET,
) -> Changes:
    """The fields a PatchProposal named (types, lengths, enums and nulls checked there),
    normalised: a null body is empty, a null or empty category or a null change level clears
    it. Categories are checked against the workshop's later.
    """
    if body is None:
        body = ""
    if category == "":
        category = None
    return Changes(status, title, body, category, change_level)


def find_proposal(session: Session, workshop: Workshop, proposal_id: int) -> Proposal:
    """A proposal of this workshop, or NotFound (a proposal of another workshop is not found)."""
    proposal = session.scalar(
        select(Proposal).where(Proposal.id == proposal_id, Proposal.workshop_id == workshop.id)
    )
    if proposal is None:
        raise NotFound(_l("Fant ikke forslaget."))
    return proposal


def announce(work: UnitOfWork, workshop: Workshop, proposal: Proposal, was_visible: bool) -> None:
    """Tell every screen what it may know of a proposal's new state (after workshop.bump())."""
    if proposal.status == "visible":
        work.emit(
            workshop,
            "proposal_updated",
            {"proposal": proposal_payload(proposal, staff=False), "meta": public_meta(proposal)},
        )
        if proposal.original_title is not None or proposal.original_body is not None:
            # Staff snapshots also hold the original wording of an edited proposal; it is not
            # for phones, so projector and facilitator get the staff view too (same version).
            work.emit(
                workshop,
                "proposal_updated",
                {"proposal": proposal_payload(proposal, staff=True)},
                audience="staff",
            )
        return
    if was_visible:
        removed: dict[str, Any] = {"id": proposal.id, "reason": proposal.status}
        if proposal.status == "merged":
            removed["merged_into_id"] = proposal.merged_into_id
        work.emit(workshop, "proposal_removed", removed)
    work.emit(
        workshop,
        "proposal_updated",
        {"proposal": proposal_payload(proposal, staff=True)},
        audience="facilitator",
    )


def public_meta(proposal: Proposal) -> dict[str, Any]:
    """What staff screens need beyond the public payload (nothing a phone must not see)."""
    return {
        "change_level": proposal.change_level,
        "suggested_change_level": proposal.suggested_change_level,
        "classification_settled": proposal.classification_settled,
        "source": proposal.source,
    }


def moderate_proposal(
    code: str, key: str | None, proposal_id: int, changes: Changes
) -> dict[str, Any]:
    """Apply a facilitator's changes to one proposal; returns its staff payload."""
    if changes.is_empty():
        raise ValidationFailed(
            _l("Oppgi minst ett av status, title, body, category eller change_level.")
        )
    with unit_of_work() as work:
        workshop, actor = authenticate(work.session, code, key)
        require_facilitator(actor)
        ensure_editable(workshop)
        proposal = find_proposal(work.session, workshop, proposal_id)
        if proposal.status == "merged":
            raise ValidationFailed(
                _l(
                    "Forslaget er slått sammen med forslag %(id)s. Angre sammenslåingen først.",
                    id=proposal.merged_into_id,
                )
            )
        if changes.category not in (UNSET, None) and changes.category not in workshop.categories:
            raise ValidationFailed(_l("Velg et tema fra listen."))
        was_visible = proposal.status == "visible"
        actions = _apply(proposal, changes)
        if not actions:
            return proposal_payload(proposal, staff=True)
        workshop.bump()
        for action, detail in actions:
            work.audit(workshop, actor.label, action, proposal_id=proposal.id, **detail)
        announce(work, workshop, proposal, was_visible)
        if (proposal.status == "visible") != was_visible:
            work.tally_codes.add(workshop.code)
        return proposal_payload(proposal, staff=True)


def _apply(proposal: Proposal, changes: Changes) -> list[tuple[str, dict[str, Any]]]:
    """Change the proposal; the audit actions, one per kind of change that changed something."""
    actions: list[tuple[str, dict[str, Any]]] = []
    if changes.status is not UNSET and changes.status != proposal.status:
        action = {
            ("pending", "visible"): "proposal_approved",
            ("pending", "hidden"): "proposal_rejected",
            ("visible", "hidden"): "proposal_hidden",
            ("hidden", "visible"): "proposal_shown",
        }[(proposal.status, changes.status)]
        actions.append((action, {"from": proposal.status, "to": changes.status}))
        proposal.status = changes.status
    new_title = proposal.title if changes.title is UNSET else changes.title
    new_body = proposal.body if changes.body is UNSET else changes.body
    if (new_title, new_body) != (proposal.title, proposal.body):
        if proposal.original_title is None and proposal.original_body is None:
            proposal.original_title = proposal.title
            proposal.original_body = proposal.body
        fields = [
            name
            for name, old, new in (
                ("title", proposal.title, new_title),
                ("body", proposal.body, new_body),
            )
            if old != new
        ]
        proposal.title, proposal.body = new_title, new_body
        actions.append(("proposal_edited", {"fields": fields}))
    if changes.category is not UNSET and changes.category != proposal.category:
        actions.append(
            ("proposal_recategorised", {"from": proposal.category, "to": changes.category})
        )
        proposal.category = changes.category
    settled = changes.change_level is not None
    if changes.change_level is not UNSET and (changes.change_level, settled) != (
        proposal.change_level,
        proposal.classification_settled,
    ):
        actions.append(
            (
                "change_level_settled",
                {"from": proposal.change_level, "to": changes.change_level, "settled": settled},
            )
        )
        proposal.change_level = changes.change_level
        proposal.classification_settled = settled
    return actions


def approve_proposal(code: str, key: str | None, proposal_id: int) -> dict[str, Any]:
    """Let a pending proposal out of the queue: everyone sees it."""
    return moderate_proposal(code, key, proposal_id, Changes(status="visible"))


def hide_proposal(code: str, key: str | None, proposal_id: int) -> dict[str, Any]:
    """Hide a proposal from phones and projector (kept, and can be shown again)."""
    return moderate_proposal(code, key, proposal_id, Changes(status="hidden"))


def show_proposal(code: str, key: str | None, proposal_id: int) -> dict[str, Any]:
    """Show a hidden proposal again."""
    return moderate_proposal(code, key, proposal_id, Changes(status="visible"))


def edit_proposal(
    code: str,
    key: str | None,
    proposal_id: int,
    title: str | _Unset = UNSET,
    body: str | None | _Unset = UNSET,
) -> dict[str, Any]:
    """Edit the text; the text as first submitted is kept in original_title / original_body."""
    return moderate_proposal(code, key, proposal_id, validate_changes(title=title, body=body))


def recategorise_proposal(
    code: str, key: str | None, proposal_id: int, category: str | None
) -> dict[str, Any]:
    """Put a proposal in another plan area (one of the workshop's categories) or none."""
    return moderate_proposal(code, key, proposal_id, validate_changes(category=category))


def settle_change_level(
    code: str, key: str | None, proposal_id: int, change_level: str | None
) -> dict[str, Any]:
    """The facilitator's word on lokal / regional / nasjonal (None clears it, unsettled)."""
    return moderate_proposal(code, key, proposal_id, validate_changes(change_level=change_level))


def moderation_queue(code: str, key: str | None) -> list[dict[str, Any]]:
    """Pending proposals, oldest first, as the facilitator sees them."""
    with read_only() as session:
        workshop, actor = authenticate(session, code, key)
        require_facilitator(actor)
        pending = session.scalars(
            select(Proposal)
            .where(Proposal.workshop_id == workshop.id, Proposal.status == "pending")
            .order_by(Proposal.id)
        ).all()
        return [proposal_payload(p, staff=True) for p in pending]


def parse_threshold(raw: Any) -> float:
    """A similarity threshold from 0 to 100 (default DEFAULT_THRESHOLD)."""
    if raw is None or raw == "":
        return DEFAULT_THRESHOLD
    try:
        value = float(raw)
    except (TypeError, ValueError):
        value = -1.0
    if not 0 <= value <= 100:
        raise ValidationFailed(_l("«threshold» må være et tall fra 0 til 100."))
    return value


def similar_proposals(
    code: str, key: str | None, threshold: float = DEFAULT_THRESHOLD
) -> list[dict[str, Any]]:
    """Groups of visible and pending proposals that look alike, best first (facilitator)."""
    with read_only() as session:
        workshop, actor = authenticate(session, code, key)
        require_facilitator(actor)
        rows = session.execute(
            select(Proposal.id, Proposal.title, Proposal.body).where(
                Proposal.workshop_id == workshop.id,
                Proposal.status.in_(("visible", "pending")),
            )
        ).all()
    groups = similar_groups([Text(pid, title, body or "") for pid, title, body in rows], threshold)
    return [
        {
            "ids": group.ids,
            "score": group.score,
            "pairs": [{"ids": [a, b], "score": s} for a, b, s in group.pairs],
        }
        for group in groups
    ]
