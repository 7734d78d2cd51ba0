"""Closing a workshop and reporting back: what became of the room's input.

After closing, every participant write answers 409 ``closed`` (services/closed.py), the join URL
shows the report-back page, and the facilitator may add follow-up notes and publish the report.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from workshop.analytics import results_payload
from workshop.models import FollowUpNote, Workshop
from workshop.models.base import utcnow
from workshop.services.access import authenticate, find_workshop, require_facilitator
from workshop.services.actions import actions_of
from workshop.services.errors import Forbidden, ValidationFailed, WrongStep
from workshop.services.queries import count_participants
from workshop.services.unit import read_only, unit_of_work

NOTE_MAX = 2000
KEEP_AFTER_CLOSING = timedelta(days=90)  # the default deletion date (services/deletion.py)
# What the report-back page shows of each ranked proposal: never the role breakdown.
RANKING_FIELDS = (
    "id",
    "title",
    "category",
    "change_level",
    "dots",
    "voters",
    "agree",
    "disagree",
    "pass",
    "benefit",
    "effort",
    "consensus",
)


def note_payload(note: FollowUpNote) -> dict[str, Any]:
    """A follow-up note as API.md shows it."""
    return {"id": note.id, "at": note.at.isoformat(), "text": note.text}


def notes_of(session: Session, workshop: Workshop) -> list[dict[str, Any]]:
    """The follow-up notes, oldest first."""
    rows = session.scalars(
        select(FollowUpNote)
        .where(FollowUpNote.workshop_id == workshop.id)
        .order_by(FollowUpNote.id)
    )
    return [note_payload(n) for n in rows]


def closed_at_of(workshop: Workshop) -> str | None:
    """When the workshop was closed, ISO 8601 in UTC, or None while it is open."""
    return workshop.closed_at.isoformat() if workshop.closed_at else None


def close_workshop(code: str, key: str | None) -> dict[str, Any]:
    """POST …/close (facilitator). Closing again changes nothing and answers the same time."""
    with unit_of_work() as work:
        workshop, actor = authenticate(work.session, code, key)
        require_facilitator(actor)
        if workshop.closed_at is None:
            workshop.closed_at = utcnow()
            if workshop.deletion_date is None:
                workshop.deletion_date = (workshop.closed_at + KEEP_AFTER_CLOSING).date()
            workshop.bump()
            work.audit(workshop, actor.label, "closed")
            work.emit(
                workshop,
                "workshop_closed",
                {
                    "closed": True,
                    "closed_at": closed_at_of(workshop),
                    "report_published": workshop.report_published,
                    "actions": actions_of(work.session, workshop),
                    "notes": notes_of(work.session, workshop),
                },
            )
        return {"closed_at": closed_at_of(workshop)}


def publish_report(code: str, key: str | None, published: bool) -> dict[str, Any]:
    """PATCH …/outcome (facilitator): show the report on the report-back page, or hide it."""
    with unit_of_work() as work:
        workshop, actor = authenticate(work.session, code, key)
        require_facilitator(actor)
        if workshop.report_published != published:
            workshop.report_published = published
            workshop.bump()
            work.audit(workshop, actor.label, "report_published", published=published)
            work.emit(workshop, "report_published", {"report_published": published})
        return {"report_published": workshop.report_published}


def add_note(code: str, key: str | None, text: str) -> dict[str, Any]:
    """POST …/notes (facilitator, after closing): open phones receive it at once."""
    clean = text.strip()
    if not clean:
        raise ValidationFailed(_l("Skriv en melding."), {"text": _l("Påkrevd.")})
    if len(clean) > NOTE_MAX:
        raise ValidationFailed(_l("Meldingen kan ha høyst %(max)d tegn.", max=NOTE_MAX))
    with unit_of_work() as work:
        workshop, actor = authenticate(work.session, code, key)
        require_facilitator(actor)
        if workshop.closed_at is None:
            raise WrongStep(_l("Oppfølgingsnotater kan skrives når verkstedet er avsluttet."))
        note = FollowUpNote(workshop_id=workshop.id, text=clean, at=utcnow())
        work.session.add(note)
        work.session.flush()
        workshop.bump()
        work.audit(workshop, actor.label, "note_added", note_id=note.id)
        payload = note_payload(note)
        work.emit(workshop, "note_added", {"note": payload})
        return payload


def ranking_of(session: Session, workshop: Workshop) -> tuple[str, list[dict[str, Any]]]:
    """The final ranking of the step that counted last, without any role breakdown."""
    results = results_payload(session, workshop)
    rows = [
        {"rank": rank, **{k: row[k] for k in RANKING_FIELDS if k in row}}
        for rank, row in enumerate(results["proposals"], start=1)
    ]
    return str(results["kind"]), rows


def outcome_of(session: Session, workshop: Workshop) -> dict[str, Any]:
    """The report-back: ranking, actions, notes and whether the report is published."""
    kind, ranking = ranking_of(session, workshop)
    return {
        "code": workshop.code,
        "title": workshop.title,
        "language": workshop.language,
        "closed_at": closed_at_of(workshop),
        "participants": count_participants(session, workshop),
        "kind": kind,
        "ranking": ranking,
        "actions": actions_of(session, workshop),
        "notes": notes_of(session, workshop),
        "report_published": workshop.report_published,
        "deletion_date": workshop.deletion_date.isoformat() if workshop.deletion_date else None,
    }


def get_outcome(code: str, key: str | None) -> dict[str, Any]:
    """GET …/outcome: any key of the workshop once closed; the facilitator always."""
    with read_only() as session:
        workshop, actor = authenticate(session, code, key)
        if workshop.closed_at is None and not actor.is_facilitator:
            raise Forbidden(_l("Resultatet vises når verkstedet er avsluttet."))
        return outcome_of(session, workshop)


def public_outcome(code: str) -> dict[str, Any] | None:
    """The report-back page at the join URL: anyone who has the code, once it is closed."""
    with read_only() as session:
        workshop = find_workshop(session, code)
        if workshop.closed_at is None:
            return None
        return outcome_of(session, workshop)
