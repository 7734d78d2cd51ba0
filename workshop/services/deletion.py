"""Deleting a workshop and all its participants' data: on request, or when its date is due.

A deletion removes every row of the workshop in one transaction and leaves only a line in the
deletion log (code, time, which kind of key, row counts: no names, no texts).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from workshop.models import (
    Action,
    ActionSuggestion,
    AuditEntry,
    BrowserKey,
    DeletionRecord,
    FollowUpNote,
    Merge,
    PaperDots,
    Participant,
    Proposal,
    Rating,
    Stance,
    Step,
    Vote,
    Workshop,
)
from workshop.services.access import (
    authenticate,
    check_admin_key,
    find_workshop,
    identify,
    require_facilitator,
)
from workshop.services.errors import Unauthorized, ValidationFailed
from workshop.services.unit import UnitOfWork, read_only, unit_of_work

log = logging.getLogger(__name__)
# Everything a workshop holds, children before parents; the counts name them so.
ROWS: tuple[tuple[str, Any], ...] = (
    ("action_suggestions", ActionSuggestion),
    ("actions", Action),
    ("notes", FollowUpNote),
    ("votes", Vote),
    ("paper_dots", PaperDots),
    ("ratings", Rating),
    ("stances", Stance),
    ("merges", Merge),
    ("proposals", Proposal),
    ("participants", Participant),
    ("audit_entries", AuditEntry),
    ("steps", Step),
    ("browser_keys", BrowserKey),  # keys a browser kept on the server past its cookie cap
)


@dataclass(frozen=True)
class Deleted:
    """What a deletion removed: the code and how many rows of each kind."""

    code: str
    counts: dict[str, int]


def today() -> date:
    """Today's date in UTC (deletion dates are whole days)."""
    return datetime.now(UTC).date()


def erase(work: UnitOfWork, workshop: Workshop, by: str) -> Deleted:
    """Within an open unit of work: delete every row of the workshop and log the deletion."""
    session: Session = work.session
    code, wid = workshop.code, workshop.id
    workshop.bump()  # screens drop events of a version they already hold
    work.emit(workshop, "workshop_deleted", {"deleted": True})
    session.execute(
        update(Proposal)
        .where(Proposal.workshop_id == wid)
        .values(merged_into_id=None, step_id=None, participant_id=None)
    )
    counts: dict[str, int] = {}
    for name, model in ROWS:
        result: Any = session.execute(
            delete(model)
            .where(model.workshop_id == wid)
            .execution_options(synchronize_session=False)
        )
        counts[name] = int(result.rowcount or 0)
    session.execute(
        delete(Workshop).where(Workshop.id == wid).execution_options(synchronize_session=False)
    )
    session.expunge_all()
    session.add(DeletionRecord(code=code, by=by, counts=counts))
    log.info("workshop %s deleted (%s): %s", code, by, counts)
    return Deleted(code, counts)


def delete_workshop(code: str, key: str | None, admin_key: str) -> Deleted:
    """DELETE /workshops/{code}: the facilitator's key or the instance admin key."""
    with unit_of_work() as work:
        workshop = find_workshop(work.session, code)
        if _is_admin(admin_key, key):
            by = "admin"
        else:
            require_facilitator(identify(work.session, workshop, key))
            by = "facilitator"
        return erase(work, workshop, by)


def _is_admin(expected: str, given: str | None) -> bool:
    try:
        check_admin_key(expected, given)
    except Unauthorized:
        return False
    return True


def purge(on: date | None = None) -> list[Deleted]:
    """Delete every workshop whose deletion date has come, in one transaction."""
    due = on or today()
    with unit_of_work() as work:
        workshops = work.session.scalars(
            select(Workshop)
            .where(Workshop.deletion_date.is_not(None), Workshop.deletion_date <= due)
            .order_by(Workshop.id)
        ).all()
        return [erase(work, workshop, "purge") for workshop in workshops]


def set_deletion_date(code: str, key: str | None, day: date) -> dict[str, Any]:
    """PUT …/deletion-date (facilitator, also after closing): today or later."""
    if day < today():
        raise ValidationFailed(
            _l("Slettedatoen kan ikke være før i dag."), {"deletion_date": _l("For tidlig.")}
        )
    with unit_of_work() as work:
        workshop, actor = authenticate(work.session, code, key)
        require_facilitator(actor)
        if workshop.deletion_date != day:
            workshop.deletion_date = day
            workshop.bump()
            work.audit(workshop, actor.label, "deletion_date", deletion_date=day.isoformat())
        return deletion_payload(workshop)


def deletion_payload(workshop: Workshop) -> dict[str, Any]:
    """The deletion date as API.md shows it."""
    day = workshop.deletion_date
    return {"deletion_date": day.isoformat() if day else None}


def deletion_info(code: str, key: str | None) -> dict[str, Any]:
    """The deletion date for the facilitator's screen."""
    with read_only() as session:
        workshop, actor = authenticate(session, code, key)
        require_facilitator(actor)
        return deletion_payload(workshop)
