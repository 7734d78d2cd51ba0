"""The moderation, merging, paper and similarity tests: a plan of their own and a room to drive.

The plan lives in a temporary folder so these tests do not move when the shipped plans change.
The fixtures ``plan`` and ``room`` are imported by the modules that use them (the prioritising
tests have a ``plan`` and ``room`` of their own), so they are no plugin of conftest.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from tests.support.config import plans_folder, use_plans
from workshop.extensions import db
from workshop.models import AuditEntry, PaperDots, Proposal, Rating, Stance, Vote, Workshop
from workshop.services import participants, proposals, snapshots, workshops

PLAN = """
name = "moderering"
title = "Moderering"
roles = ["Folkevalgt", "Administrasjon"]
categories = ["planstrategi", "arealdel", "medvirkning"]

[settings]
votes_per_participant = 5

[[steps]]
kind = "info"
title = "Velkommen"

[[steps]]
kind = "collect"
title = "Forslag"

[[steps]]
kind = "review"
title = "Sorter"

[[steps]]
kind = "vote"
title = "Stem"

[[steps]]
kind = "vote"
title = "Stem igjen"
max_votes_per_proposal = 2

[[steps]]
kind = "vote"
title = "Enig eller uenig"
mode = "agree"

[[steps]]
kind = "rate"
title = "Gevinst og innsats"

[[steps]]
kind = "results"
title = "Resultater"
"""


@pytest.fixture
def plan(app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The test plan, in a plans folder of its own."""
    use_plans(monkeypatch, app, plans_folder(tmp_path / "plans", moderering=PLAN))
    yield "moderering"


class Room:
    """A workshop created through the services, with helpers to drive and inspect it."""

    def __init__(self, plan: str = "moderering", **settings: Any) -> None:
        made = workshops.create_workshop("Moderert verksted", plan, None, settings or None)
        self.code = made.code
        self.facilitator = made.facilitator_key
        self.projector = made.projector_key
        self.steps = made.steps

    def position(self, kind: str, nth: int = 0) -> int:
        return [s["position"] for s in self.steps if s["kind"] == kind][nth]

    def go(self, kind: str, nth: int = 0) -> dict[str, Any]:
        return workshops.change_step(self.code, self.facilitator, position=self.position(kind, nth))

    def join(self, role: str | None = None) -> str:
        return participants.join_workshop(self.code, role=role).key

    def add(self, title: str, key: str | None = None, **extra: Any) -> int:
        submitted = proposals.submit_proposal(self.code, key or self.facilitator, title, **extra)
        return submitted.proposal["id"]

    def view(self, key: str | None = None) -> dict[str, Any]:
        return snapshots.get_snapshot(self.code, key or self.facilitator)

    def proposal(self, pid: int) -> dict[str, Any]:
        return next(p for p in self.view()["proposals"] if p["id"] == pid)

    def step_id(self, kind: str, nth: int = 0) -> int:
        position = self.position(kind, nth)
        return next(s["id"] for s in self.view()["steps"] if s["position"] == position)

    def participant_id(self, key: str) -> int:
        return self.view(key)["me"]["participant_id"]


@pytest.fixture
def room(plan: str) -> Room:
    """A workshop of the test plan on its collect step, moderation off."""
    made = Room(plan)
    made.go("collect")
    return made


def rows(model: Any) -> list[tuple[Any, ...]]:
    """Every row of a prioritising table, without ids, sorted: comparable before and after."""
    columns = {
        Vote: ("step_id", "participant_id", "proposal_id", "dots"),
        PaperDots: ("step_id", "proposal_id", "dots"),
        Rating: ("step_id", "participant_id", "proposal_id", "criterion", "score"),
        Stance: ("step_id", "participant_id", "proposal_id", "value"),
    }[model]
    with db.session(read_only=True) as session:
        return sorted(
            tuple(getattr(row, c) for c in columns) for row in session.scalars(select(model))
        )


def all_rows() -> dict[str, list[tuple[Any, ...]]]:
    """Votes, paper dots, ratings and stances of every workshop."""
    return {m.__tablename__: rows(m) for m in (Vote, PaperDots, Rating, Stance)}


def insert(*objects: Any) -> None:
    """Store rows directly (ratings and stances from other steps, without their services)."""
    with db.session() as session:
        session.add_all(objects)
        session.commit()


def stored_proposal(pid: int) -> Proposal:
    """The proposal row as stored."""
    with db.session(read_only=True) as session:
        proposal = session.get(Proposal, pid)
        assert proposal is not None
        return proposal


def audit_actions(code: str) -> list[tuple[str, dict[str, Any]]]:
    """The audit trail of a workshop: (action, detail), oldest first."""
    with db.session(read_only=True) as session:
        workshop_id = session.scalar(select(Workshop.id).where(Workshop.code == code))
        entries = session.scalars(
            select(AuditEntry).where(AuditEntry.workshop_id == workshop_id).order_by(AuditEntry.id)
        )
        return [(e.action, dict(e.detail)) for e in entries]
