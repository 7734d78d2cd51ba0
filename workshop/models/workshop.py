"""The Workshop aggregate: a workshop and its ordered steps."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text, select, update
from sqlalchemy.orm import Mapped, mapped_column, object_session, relationship
from sqlalchemy.orm.attributes import set_committed_value

from workshop.models.base import Base, CreatedAt, UTCDateTime

STEP_KINDS = ("info", "collect", "review", "vote", "agree", "rate", "results", "actions")
# The steps that prioritise proposals: dots, agree / disagree / pass, and ratings on criteria.
PRIORITISING_KINDS = ("vote", "agree", "rate")


class Workshop(CreatedAt, Base):
    """One live workshop, started from a session plan."""

    __tablename__ = "workshop"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(5), default="nb")
    plan_name: Mapped[str] = mapped_column(String(100))
    roles: Mapped[list[str]] = mapped_column(JSON, default=list)
    categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Keys are kept as SHA-256 hashes; the projector key also sealed for the facilitator
    # (services/key_hashes.py), so the facilitator screen can show its link again.
    facilitator_key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    projector_key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    projector_key_sealed: Mapped[str] = mapped_column(String(100))
    current_position: Mapped[int] = mapped_column(Integer, default=0)
    revealed: Mapped[bool] = mapped_column(default=False)
    joining_open: Mapped[bool] = mapped_column(default=True)
    show_qr: Mapped[bool] = mapped_column(default=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    report_published: Mapped[bool] = mapped_column(default=False)
    # When `planverksted purge` deletes it: 90 days after closing unless the facilitator sets it.
    deletion_date: Mapped[date | None] = mapped_column(Date)

    steps: Mapped[list[Step]] = relationship(
        back_populates="workshop",
        order_by="Step.position",
        cascade="all, delete-orphan",
    )

    @property
    def current_step(self) -> Step:
        """The step the room is on now: one row when the agenda is not loaded (hot paths)."""
        session = object_session(self)
        if session is not None and "steps" not in self.__dict__:
            step = session.scalar(
                select(Step).where(
                    Step.workshop_id == self.id, Step.position == self.current_position
                )
            )
            if step is not None:
                return step
        return self.steps[self.current_position]

    def bump(self) -> int:
        """Mark a committed change: every change raises the version by one.

        In the database (UPDATE … SET version = version + 1), not from the loaded value: on
        PostgreSQL two processes may change one workshop at once, and each change must get a
        version of its own (the row stays locked until the commit).
        """
        session = object_session(self)
        if session is None or self.id is None:
            self.version += 1
            return self.version
        raised = session.execute(
            update(Workshop)
            .where(Workshop.id == self.id)
            .values(version=Workshop.version + 1)
            .returning(Workshop.version)
            .execution_options(synchronize_session=False)
        ).scalar_one()
        set_committed_value(self, "version", raised)
        return int(raised)


class Step(Base):
    """One step of the agenda; phones and projector follow the current one.

    Positions are kept contiguous (0..n-1) by the agenda services; they are not unique in the
    database so that steps can be reordered within one transaction.
    """

    __tablename__ = "step"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    prompt: Mapped[str] = mapped_column(Text, default="")
    config: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    revealed: Mapped[bool] = mapped_column(default=False)
    timer_seconds: Mapped[int | None] = mapped_column(Integer)
    timer_ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    timer_remaining: Mapped[int | None] = mapped_column(Integer)
    auto_advance: Mapped[bool] = mapped_column(default=False)

    workshop: Mapped[Workshop] = relationship(back_populates="steps")
