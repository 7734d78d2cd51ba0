"""Follow-up of a workshop: actions the room agreed on, phones' suggestions, report-back notes."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from workshop.models.base import Base, CreatedAt, UTCDateTime, utcnow

# Who decides an action, as keys; the screens show them in the interface language.
DECISION_BODIES = (
    "kommunestyret",
    "formannskapet",
    "administrasjonen",
    "fylkeskommunen",
    "statsforvalteren",
    "departementet",
)


class Action(CreatedAt, Base):
    """What will be done, by whom, by when and who decides it («tiltak»)."""

    __tablename__ = "action"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshop.id", ondelete="CASCADE"), index=True
    )
    proposal_id: Mapped[int | None] = mapped_column(
        ForeignKey("proposal.id", ondelete="SET NULL"), index=True
    )
    what: Mapped[str] = mapped_column(Text)
    owner: Mapped[str | None] = mapped_column(String(120))
    due: Mapped[date | None] = mapped_column(Date)
    decided_by: Mapped[str | None] = mapped_column(String(40))
    change_level: Mapped[str | None] = mapped_column(String(20))


class ActionSuggestion(CreatedAt, Base):
    """A phone's proposal of an owner and a deadline for an action; the facilitator settles."""

    __tablename__ = "action_suggestion"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshop.id", ondelete="CASCADE"), index=True
    )
    action_id: Mapped[int] = mapped_column(ForeignKey("action.id", ondelete="CASCADE"))
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participant.id", ondelete="CASCADE"), index=True
    )
    owner: Mapped[str | None] = mapped_column(String(120))
    due: Mapped[date | None] = mapped_column(Date)


class FollowUpNote(Base):
    """A note the facilitator posts after closing: what became of the room's input."""

    __tablename__ = "follow_up_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshop.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    text: Mapped[str] = mapped_column(Text)
