"""Shared by the rating, agree/disagree, role analysis and phone page tests.

A plan of their own lives in a temporary folder, so these tests do not move when the shipped
plans change: a dot vote, an agree / disagree / pass vote and a rate step, each followed by a
results step.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from tests.support.api import Api, Workshop
from tests.support.config import plans_folder, use_plans
from workshop.extensions import db
from workshop.models import PaperDots, Proposal, Step
from workshop.models import Workshop as WorkshopRow

ROLES = ["Folkevalgt", "Administrasjon", "Innbygger", "Næringsliv og frivillighet"]
PLAN_NAME = "prioritering"
PLAN = """
name = "prioritering"
title = "Prioritering"
roles = ["Folkevalgt", "Administrasjon", "Innbygger", "Næringsliv og frivillighet"]
categories = ["planstrategi", "arealdel"]

[settings]
votes_per_participant = 5

[[steps]]
kind = "info"
title = "Velkommen"

[[steps]]
kind = "collect"
title = "Forslag"

[[steps]]
kind = "vote"
title = "Prikker"

[[steps]]
kind = "results"
title = "Resultat av prikkene"

[[steps]]
kind = "vote"
title = "Enig eller uenig"
mode = "agree"

[[steps]]
kind = "results"
title = "Resultat av enig/uenig"

[[steps]]
kind = "rate"
title = "Gevinst og innsats"

[[steps]]
kind = "results"
title = "Raske gevinster"
"""
# positions in PLAN
INFO, COLLECT, DOTS, DOTS_RESULTS, AGREE, AGREE_RESULTS, RATE, RATE_RESULTS = range(8)


@pytest.fixture
def plan(app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The test plan, in a plans folder of its own."""
    use_plans(monkeypatch, app, plans_folder(tmp_path / "prioritise-plans", **{PLAN_NAME: PLAN}))
    yield PLAN_NAME


@dataclass
class Room:
    """A workshop of the test plan with proposals, driven over the JSON API."""

    api: Api
    ws: Workshop
    ids: list[int]

    @property
    def code(self) -> str:
        return self.ws.code

    @property
    def facilitator(self) -> str:
        return self.ws.facilitator_key

    @property
    def projector(self) -> str:
        return self.ws.projector_key

    def go(self, position: int) -> None:
        response = self.api.step(self.ws, position=position)
        assert response.status_code == 200, response.get_json()

    def join(self, *roles: str) -> str:
        body: dict[str, Any] = {"roles": list(roles)} if roles else {}
        return self.api.join(self.code, **body)

    def put(self, path: str, key: str | None, body: Any) -> Any:
        return self.api.client.put(
            f"/api/v1/workshops/{self.code}/{path}", json=body, headers=Api.auth(key)
        )

    def rate(self, key: str, ratings: dict[Any, dict[str, Any]]) -> Any:
        return self.put("ratings", key, {"ratings": {str(k): v for k, v in ratings.items()}})

    def answer(self, key: str, stances: dict[Any, Any]) -> Any:
        return self.put("stances", key, {"stances": {str(k): v for k, v in stances.items()}})

    def vote(self, key: str, allocations: dict[Any, int]) -> Any:
        return self.api.vote(self.code, key, allocations)

    def get(self, path: str, key: str | None) -> Any:
        return self.api.get(f"{self.code}/{path}" if path else self.code, key)

    def json(self, path: str, key: str | None = None) -> Any:
        response = self.get(path, key or self.facilitator)
        assert response.status_code == 200, response.get_data(as_text=True)
        return response.get_json()

    def me(self, key: str) -> dict[str, Any]:
        return self.api.get(self.code, key).get_json()["me"]

    def step_id(self, position: int) -> int:
        with db.session() as session:
            return session.scalar(
                select(Step.id)
                .join(WorkshopRow)
                .where(WorkshopRow.code == self.code, Step.position == position)
            )

    def reveal(self, position: int) -> None:
        """Mark a step revealed directly, whatever the steering rules are."""
        with db.session() as session:
            step = session.scalars(
                select(Step)
                .join(WorkshopRow)
                .where(WorkshopRow.code == self.code, Step.position == position)
            ).one()
            step.revealed = True
            session.commit()

    def paper_dots(self, position: int, proposal_id: int, dots: int) -> None:
        """Dots counted on paper, written directly (the paper service is someone else's)."""
        step_id = self.step_id(position)
        with db.session() as session:
            workshop_id = session.scalar(
                select(WorkshopRow.id).where(WorkshopRow.code == self.code)
            )
            session.add(
                PaperDots(
                    workshop_id=workshop_id, step_id=step_id, proposal_id=proposal_id, dots=dots
                )
            )
            session.commit()

    def set_status(self, proposal_id: int, status: str) -> None:
        with db.session() as session:
            session.get(Proposal, proposal_id).status = status
            session.commit()


def make_room(api: Api, titles: tuple[str, ...] = ("Én", "To", "Tre"), **create: Any) -> Room:
    """A workshop of the test plan on its collect step with proposals from the facilitator."""
    ws = api.create(plan=PLAN_NAME, **create)
    room = Room(api, ws, [])
    room.go(COLLECT)
    for title in titles:
        response = api.propose(ws.code, ws.facilitator_key, title, category="arealdel")
        assert response.status_code == 201, response.get_json()
        room.ids.append(response.get_json()["id"])
    return room


@pytest.fixture
def room(api: Api, plan: str) -> Room:
    """A workshop of the test plan with three proposals, on its collect step."""
    return make_room(api)
