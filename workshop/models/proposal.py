"""The Proposal aggregate: a suggestion to simplify planning."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from workshop.models.base import Base, CreatedAt, UTCDateTime

STATUSES = ("pending", "visible", "hidden", "merged")
CHANGE_LEVELS = ("lokal", "regional", "nasjonal")


class Proposal(CreatedAt, Base):
    """A proposal written on a phone or typed in from paper by the facilitator."""

    __tablename__ = "proposal"
    __table_args__ = (UniqueConstraint("participant_id", "client_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshop.id", ondelete="CASCADE"), index=True
    )
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participant.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str | None] = mapped_column(String(100))
    change_level: Mapped[str | None] = mapped_column(String(20))  # settled by the facilitator
    suggested_change_level: Mapped[str | None] = mapped_column(String(20))  # by the writer
    classification_settled: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(20), default="visible")
    original_title: Mapped[str | None] = mapped_column(String(200))
    original_body: Mapped[str | None] = mapped_column(Text)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("proposal.id"), index=True)
    source: Mapped[str] = mapped_column(String(20), default="phone")
    client_key: Mapped[str | None] = mapped_column(String(64))
    # The step a phone sent it in (one proposal per table in a «per_table» collect step).
    step_id: Mapped[int | None] = mapped_column(ForeignKey("step.id", ondelete="SET NULL"))


class Merge(CreatedAt, Base):
    """Proposals merged into a survivor, with what is needed to undo it."""

    __tablename__ = "merge"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshop.id", ondelete="CASCADE"), index=True
    )
    survivor_id: Mapped[int] = mapped_column(
        ForeignKey("proposal.id", ondelete="CASCADE"), index=True
    )
    merged_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    saved: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    undone_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
