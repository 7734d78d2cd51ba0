"""The Comparison aggregate: several workshops side by side and the matches the admin decided."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Float, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workshop.models.base import Base, CreatedAt, UTCDateTime, utcnow


class Comparison(CreatedAt, Base):
    """Workshops compared (typically one session plan run in several municipalities)."""

    __tablename__ = "comparison"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Codes, not foreign keys: a deleted workshop leaves the comparison of the others intact.
    workshop_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    language: Mapped[str] = mapped_column(String(5), default="nb")  # of the workbook

    decisions: Mapped[list[MatchDecision]] = relationship(
        back_populates="comparison",
        order_by="MatchDecision.id",
        cascade="all, delete-orphan",
    )

    def accepted_pairs(self) -> list[tuple[int, int]]:
        """The proposal pairs the admin accepted as the same proposal."""
        return [(d.first_id, d.second_id) for d in self.decisions if d.accepted]

    def decided(self) -> set[tuple[int, int]]:
        """Every pair the admin has accepted or rejected (lower id first)."""
        return {(d.first_id, d.second_id) for d in self.decisions}


class MatchDecision(Base):
    """The admin's word on two proposals of different workshops: the same proposal or not."""

    __tablename__ = "comparison_match"
    __table_args__ = (UniqueConstraint("comparison_id", "first_id", "second_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    comparison_id: Mapped[int] = mapped_column(
        ForeignKey("comparison.id", ondelete="CASCADE"), index=True
    )
    # Proposal ids without foreign keys, like the codes: deleting a workshop deletes its
    # proposals, and a decision about a proposal that is gone is simply never used.
    first_id: Mapped[int] = mapped_column()  # the lower proposal id
    second_id: Mapped[int] = mapped_column()
    accepted: Mapped[bool] = mapped_column(default=False)
    score: Mapped[float | None] = mapped_column(Float)  # the text similarity when it was decided
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    comparison: Mapped[Comparison] = relationship(back_populates="decisions")


def joined_rows(pairs: list[tuple[int, int]]) -> list[list[int]]:
    """Proposals joined through accepted pairs into rows (any chain of pairs joins), ids sorted."""
    parent: dict[int, int] = {}

    def root(node: int) -> int:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for first, second in pairs:
        parent[root(first)] = root(second)
    rows: dict[int, list[int]] = {}
    for node in list(parent):
        rows.setdefault(root(node), []).append(node)
    return sorted((sorted(ids) for ids in rows.values()), key=lambda ids: ids[0])
