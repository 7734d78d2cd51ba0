"""The proposal bank: example proposals a session plan carries, put on the table by the facilitator.

A bank entry is added as an ordinary proposal marked ``source = "bank"`` (staff see it in the
snapshot and in every export). Its client key is ``bank:<id>``, so adding the same entry twice
gives the same proposal. The entries come from the workshop's plan, in the workshop's language.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from workshop.models import Proposal, Workshop
from workshop.services.access import authenticate, require_facilitator
from workshop.services.closed import ensure_editable
from workshop.services.errors import NotFound
from workshop.services.snapshots import proposal_payload
from workshop.services.unit import read_only, unit_of_work
from workshop.session_plans import BankProposal, PlanError, load_plan

KEY_PREFIX = "bank:"


def plan_bank(workshop: Workshop) -> list[BankProposal]:
    """The bank of the workshop's plan in its language (empty when the plan is gone)."""
    if not workshop.plan_name:
        return []
    try:
        return load_plan(workshop.plan_name, language=workshop.language).bank
    except PlanError:
        return []


def bank_body(item: BankProposal) -> str:
    """The proposal's text: the entry's body and, on a line of its own, plan type and law."""
    reference = ", ".join(part for part in (item.plan_type, item.law) if part)
    return "\n\n".join(part for part in (item.body, f"({reference})" if reference else "") if part)


def _added(session: Session, workshop: Workshop) -> dict[str, int]:
    """Bank id → the proposal it became in this workshop."""
    rows = session.execute(
        select(Proposal.client_key, Proposal.id).where(
            Proposal.workshop_id == workshop.id,
            Proposal.source == "bank",
            Proposal.participant_id.is_(None),
        )
    )
    return {key.removeprefix(KEY_PREFIX): pid for key, pid in rows if key}


def _entry(item: BankProposal, workshop: Workshop, added: dict[str, int]) -> dict[str, Any]:
    return {
        "id": item.id,
        "title": item.title,
        "body": item.body,
        "category": item.category if item.category in workshop.categories else None,
        "plan_type": item.plan_type,
        "law": item.law,
        "change_level": item.change_level,
        "proposal_id": added.get(item.id),
    }


def list_bank(code: str, key: str | None) -> dict[str, Any]:
    """The plan's bank entries, each with the proposal it became here (null: not added)."""
    with read_only() as session:
        workshop, actor = authenticate(session, code, key)
        require_facilitator(actor)
        added = _added(session, workshop)
        return {"bank": [_entry(item, workshop, added) for item in plan_bank(workshop)]}


def add_from_bank(code: str, key: str | None, ids: list[str]) -> dict[str, Any]:
    """Put the chosen bank entries on the table as visible proposals (facilitator, any step).

    Idempotent: an entry added before gives the proposal it became, whatever its status now.
    An unknown id is refused (404) and nothing is added.
    """
    with unit_of_work() as work:
        workshop, actor = authenticate(work.session, code, key)
        require_facilitator(actor)
        ensure_editable(workshop)
        bank = {item.id: item for item in plan_bank(workshop)}
        unknown = [entry_id for entry_id in ids if entry_id not in bank]
        if unknown:
            raise NotFound(_l("Fant ikke forslaget «%(id)s» i forslagsbanken.", id=unknown[0]))
        added = _added(work.session, workshop)
        new: list[Proposal] = []
        ordered: list[int] = []
        for entry_id in dict.fromkeys(ids):  # each once, in the order asked
            if entry_id in added:
                ordered.append(added[entry_id])
                continue
            item = bank[entry_id]
            proposal = Proposal(
                workshop_id=workshop.id,
                participant_id=None,
                title=item.title,
                body=bank_body(item),
                category=item.category if item.category in workshop.categories else None,
                change_level=item.change_level,
                classification_settled=item.change_level is not None,
                status="visible",
                source="bank",
                client_key=f"{KEY_PREFIX}{item.id}",
            )
            work.session.add(proposal)
            work.session.flush()
            new.append(proposal)
            added[entry_id] = proposal.id
            ordered.append(proposal.id)
        if new:
            workshop.bump()
            for proposal in new:
                work.audit(workshop, actor.label, "bank_added", proposal_id=proposal.id)
                meta = {
                    "change_level": proposal.change_level,
                    "classification_settled": proposal.classification_settled,
                    "source": proposal.source,
                }
                work.emit(
                    workshop,
                    "proposal_added",
                    {"proposal": proposal_payload(proposal, staff=False), "meta": meta},
                )
        rows = {
            p.id: p for p in work.session.scalars(select(Proposal).where(Proposal.id.in_(ordered)))
        }
        return {
            "proposals": [proposal_payload(rows[pid], staff=True) for pid in ordered],
            "added": len(new),
        }
