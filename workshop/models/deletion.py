"""The deletion log: which workshop was deleted, when, by which kind of key, and how much."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from workshop.models.base import Base, UTCDateTime, utcnow


class DeletionRecord(Base):
    """One deleted workshop: its code, the time, who (a kind of key) and row counts; no names,
    no texts."""

    __tablename__ = "deletion_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(12))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    by: Mapped[str] = mapped_column(String(20))  # facilitator, admin or purge
    counts: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
