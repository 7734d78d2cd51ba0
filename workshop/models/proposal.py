"""The Proposal aggregate: a suggestion to simplify planning."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from workshop.models.base import Base, CreatedAt

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
        ForeignKey("participant.id", ondelete="SET NULL")
    )
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str | None] = mapped_column(String(100))
    change_level: Mapped[str | None] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="visible")
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("proposal.id"))
    source: Mapped[str] = mapped_column(String(20), default="phone")
    client_key: Mapped[str | None] = mapped_column(String(64))
