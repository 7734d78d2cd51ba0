"""Shared by the follow-up tests (actions, closing, report-back): a plan of their own with every
step a participant can write in, and an actions step last."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from tests.support.api import Api
from tests.support.config import plans_folder, use_plans
from tests.support.prioritising import Room

PLAN_NAME = "oppfolging"
PLAN = """
name = "oppfolging"
title = "Oppfølging"
roles = ["Folkevalgt", "Administrasjon", "Innbygger"]
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
kind = "vote"
title = "Enig eller uenig"
mode = "agree"

[[steps]]
kind = "rate"
title = "Gevinst og innsats"

[[steps]]
kind = "actions"
title = "Tiltak"
prompt = "Hva gjør vi, hvem har ansvaret, og når?"
"""
INFO, COLLECT, DOTS, AGREE, RATE, ACTIONS = range(6)


@pytest.fixture
def followup_plan(app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The follow-up plan, in a plans folder of its own."""
    use_plans(monkeypatch, app, plans_folder(tmp_path / "followup-plans", **{PLAN_NAME: PLAN}))
    yield PLAN_NAME


def make_followup_room(api: Api, titles: tuple[str, ...] = ("Én", "To", "Tre")) -> Room:
    """A workshop of the follow-up plan on its collect step, with proposals."""
    ws = api.create(plan=PLAN_NAME)
    room = Room(api, ws, [])
    room.go(COLLECT)
    for title in titles:
        response = api.propose(ws.code, ws.facilitator_key, title, category="arealdel")
        assert response.status_code == 201, response.get_json()
        room.ids.append(response.get_json()["id"])
    return room


@pytest.fixture
def followup(api: Api, followup_plan: str) -> Room:
    """A workshop of the follow-up plan with three proposals, on its collect step."""
    return make_followup_room(api)


def post(room: Room, path: str, key: str | None, body: Any = None) -> Any:
    """POST a JSON body to /api/v1/workshops/{code}/{path}."""
    return room.api.client.post(
        f"/api/v1/workshops/{room.code}/{path}", json=body, headers=Api.auth(key)
    )


def patch(room: Room, path: str, key: str | None, body: Any) -> Any:
    """PATCH a JSON body to /api/v1/workshops/{code}/{path}."""
    return room.api.client.patch(
        f"/api/v1/workshops/{room.code}/{path}", json=body, headers=Api.auth(key)
    )
