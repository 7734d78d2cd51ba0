"""Prioritising: dots, dots counted on paper, ratings on criteria, and agree/disagree stances."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from workshop.models.base import Base


class Vote(Base):
    """Dots from one participant on one proposal, within one vote step."""

    __tablename__ = "vote"
    __table_args__ = (UniqueConstraint("step_id", "participant_id", "proposal_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshop.id", ondelete="CASCADE"), index=True
    )
    step_id: Mapped[int] = mapped_column(ForeignKey("step.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participant.id", ondelete="CASCADE"), index=True
    )
    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("proposal.id", ondelete="CASCADE"), index=True
    )
    dots: Mapped[int] = mapped_column(Integer)


class PaperDots(Base):
    """Dots counted on paper in the room and typed in by the facilitator, per proposal."""

    __tablename__ = "paper_dots"
    __table_args__ = (UniqueConstraint("step_id", "proposal_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshop.id", ondelete="CASCADE"), index=True
    )
    step_id: Mapped[int] = mapped_column(ForeignKey("step.id", ondelete="CASCADE"))
    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("proposal.id", ondelete="CASCADE"), index=True
    )
    dots: Mapped[int] = mapped_column(Integer)


class Rating(Base):
    """A participant's score (1–5) of one proposal on one criterion, within a rate step."""

    __tablename__ = "rating"
    __table_args__ = (UniqueConstraint("step_id", "participant_id", "proposal_id", "criterion"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshop.id", ondelete="CASCADE"), index=True
    )
    step_id: Mapped[int] = mapped_column(ForeignKey("step.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participant.id", ondelete="CASCADE"), index=True
    )
    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("proposal.id", ondelete="CASCADE"), index=True
    )
    criterion: Mapped[str] = mapped_column(String(40))
    score: Mapped[int] = mapped_column(Integer)


class Stance(Base):
    """Agree (1), disagree (-1) or pass (0) on one proposal, within an agree/disagree vote step."""

    __tablename__ = "stance"
    __table_args__ = (UniqueConstraint("step_id", "participant_id", "proposal_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshop.id", ondelete="CASCADE"), index=True
    )
    step_id: Mapped[int] = mapped_column(ForeignKey("step.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participant.id", ondelete="CASCADE"), index=True
    )
    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("proposal.id", ondelete="CASCADE"), index=True
    )
    value: Mapped[int] = mapped_column(Integer)
