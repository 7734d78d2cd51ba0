"""The Vote aggregate: dots a participant gave a proposal in a vote step."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, UniqueConstraint
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
        ForeignKey("participant.id", ondelete="CASCADE")
    )
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id", ondelete="CASCADE"))
    dots: Mapped[int] = mapped_column(Integer)
