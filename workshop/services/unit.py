"""One transaction per use case; its events are published only after the commit."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from workshop.extensions import current_publisher, db, is_busy
from workshop.models import AuditEntry, Workshop
from workshop.services.errors import Busy
from workshop.services.events import Audience, Event


@dataclass
class UnitOfWork:
    """The open transaction of one use case and what it will publish."""

    session: Session
    events: list[Event] = field(default_factory=list)
    tally_codes: set[str] = field(default_factory=set)

    def emit(
        self, workshop: Workshop, type_: str, data: dict[str, Any], audience: Audience = "everyone"
    ) -> None:
        """Queue an event carrying the workshop's version after this change."""
        self.events.append(Event(workshop.code, type_, workshop.version, data, audience))

    def audit(self, workshop: Workshop, actor: str, action: str, **detail: Any) -> None:
        """Record a facilitator action in the same transaction."""
        self.session.add(
            AuditEntry(workshop_id=workshop.id, actor=actor, action=action, detail=detail)
        )


@contextmanager
def unit_of_work() -> Iterator[UnitOfWork]:
    """Open a transaction on the current app's database; commit, wait until the commit is on
    disk (group commit), then publish to its publisher."""
    try:
        with db.session() as session:
            work = UnitOfWork(session)
            yield work
            session.commit()
    except OperationalError as exc:
        if is_busy(exc):
            raise Busy() from None
        raise
    db.wait_durable()
    publisher = current_publisher()
    if work.events:
        publisher.publish(work.events)
    for code in work.tally_codes:
        publisher.votes_changed(code)


@contextmanager
def read_only() -> Iterator[Session]:
    """A session for reading; nothing is committed."""
    try:
        with db.session(read_only=True) as session:
            yield session
    except OperationalError as exc:
        if is_busy(exc):
            raise Busy() from None
        raise
