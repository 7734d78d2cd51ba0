"""Scale-out: two server processes share one PostgreSQL database and one Redis queue."""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from sqlalchemy import create_engine, text

from tests.support.config import ADMIN_KEY, skip_or_fail
from tests.support.realtime import Screen
from tests.support.servers import ServerProcess

pytestmark = pytest.mark.service
POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
REDIS = "redis://127.0.0.1:6379/0"


@pytest.fixture
def shared_services() -> Iterator[dict[str, str]]:
    """A fresh PostgreSQL schema and the local Redis, or a skip (a failure in CI)."""
    try:
        redis.Redis.from_url(REDIS, socket_timeout=2).ping()
    except Exception as exc:  # noqa: BLE001 - any failure means the service is not there
        skip_or_fail(f"Redis at 127.0.0.1:6379 is not reachable ({exc.__class__.__name__})")
    try:
        engine = create_engine(POSTGRES)
        with engine.begin() as connection:
            schema = f"pv_scale_{secrets.token_hex(4)}"
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:  # noqa: BLE001
        skip_or_fail(f"PostgreSQL at 127.0.0.1:5432 is not reachable ({exc.__class__.__name__})")
    yield {
        "WORKSHOP_DATABASE_URL": f"{POSTGRES}?options=-csearch_path%3D{schema}",
        "WORKSHOP_MESSAGE_QUEUE": REDIS,
    }
    with engine.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()


def test_a_vote_on_one_server_reaches_a_projector_on_the_other(
    tmp_path: Path, shared_services: dict[str, str]
) -> None:
    first = ServerProcess(tmp_path / "a", **shared_services)
    second = ServerProcess(tmp_path / "b", **shared_services)
    first.start()
    second.start()
    screens: list[Screen] = []
    try:
        created = first.api("POST", "/workshops", ADMIN_KEY, {"title": "To servere"})
        code, facilitator = created["code"], created["facilitator_key"]
        projector = Screen(first.url, code, created["projector_key"])
        screens.append(projector)
        projector.wait_for(lambda: projector.of("snapshot"))

        phone_key = second.api("POST", f"/workshops/{code}/participants", "", {})["key"]
        phone = Screen(second.url, code, phone_key)
        screens.append(phone)
        second.api("POST", f"/workshops/{code}/step", facilitator, {"position": 1})
        proposal = second.api(
            "POST", f"/workshops/{code}/proposals", phone_key, {"title": "Felles planressurs"}
        )
        first.api("POST", f"/workshops/{code}/step", facilitator, {"position": 2})
        vote = second.api(
            "PUT", f"/workshops/{code}/votes", phone_key, {"allocations": {str(proposal["id"]): 4}}
        )
        assert vote["remaining"] == 1

        tally = projector.wait_for(
            lambda: [t for t in projector.of("tally") if t["voters"] == 1], timeout=10
        )[-1]
        assert tally["proposals"] == [{"id": proposal["id"], "dots": 4}]
        added = projector.wait_for(
            lambda: [e for e in projector.of("event") if e["type"] == "proposal_added"]
        )
        assert added[0]["data"]["proposal"]["title"] == "Felles planressurs"
        steps = phone.wait_for(
            lambda: [e for e in phone.of("event") if e["type"] == "step_changed"]
        )
        assert steps[-1]["data"]["step"]["position"] == 2
    finally:
        for screen in screens:
            screen.close()
        time.sleep(0.2)
        first.stop()
        second.stop()
