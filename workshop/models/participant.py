"""The Participant aggregate: an anonymous person on a phone."""

from __future__ import annotations

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from workshop.models.base import Base, CreatedAt


class Participant(CreatedAt, Base):
    """Someone who joined a workshop; known only by a random key."""

    __tablename__ = "participant"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshop.id", ondelete="CASCADE"), index=True
    )
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)  # SHA-256 of the phone's key
    name: Mapped[str | None] = mapped_column(String(80))
    roles: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Table mode (IGP's «gruppe» part): one of the workshop's settings["tables"], or None.
    table: Mapped[str | None] = mapped_column(String(40))
