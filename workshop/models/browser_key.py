"""Keys a browser holds past its cookie cap, kept on the server and sealed with its token."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from workshop.models.base import Base, UTCDateTime, utcnow


class BrowserKey(Base):
    """One workshop's keys for one browser; only the browser's token opens them
    (services/browser_keys.py)."""

    __tablename__ = "browser_key"
    __table_args__ = (UniqueConstraint("browser", "workshop_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    browser: Mapped[str] = mapped_column(String(64))  # SHA-256 of the browser's token
    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshop.id", ondelete="CASCADE"), index=True
    )
    sealed: Mapped[str] = mapped_column(Text)  # AES-GCM nonce and ciphertext, base64
    written: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
