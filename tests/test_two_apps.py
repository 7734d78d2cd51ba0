"""Two apps in one process share nothing: databases, publishers, plans folders, clocks, limiters.

Each app is driven through its own test client, the way two servers would be. A listener on every
engine notes which app was current whenever SQL ran, so a clock (or anything else) of one app that
touched the other's database would show up.
"""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, current_app, has_app_context
from sqlalchemy import event

from tests.support.api import Api, Workshop
from tests.support.config import test_settings
from workshop import create_app, session_plans
from workshop.extensions import (
    JOIN_LIMITER,
    SOCKETIO,
    TIMER_LOOP,
    db,
    dispose_app,
    socketio_of,
    use_publisher,
)
from workshop.services import steering
from workshop.services.events import RecordingPublisher

SMALL_PLAN = """
title = "{title}"
roles = ["Folkevalgt", "Administrasjon"]

[[steps]]
kind = "info"
title = "Velkommen"

[[steps]]
kind = "collect"
title = "Forslag"

[[steps]]
kind = "vote"
title = "Prikker"
votes_per_participant = 3
"""


@dataclass
class Side:
    """One app as the test drives it."""

    name: str
    app: Flask
    api: Api
    plans: Path
    recorder: RecordingPublisher = field(default_factory=RecordingPublisher)


@dataclass
class SqlWatch:
    """Which app was current each time SQL ran on an engine of which app."""

    seen: list[tuple[str, str, str]] = field(default_factory=list)  # (engine of, current, thread)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def watch(self, side: Side, names: dict[int, str]) -> None:
        database = db.of(side.app)
        for engine in {database.engine, database.read_engine}:
            assert engine is not None

            @event.listens_for(engine, "before_cursor_execute")
            def noted(*_: Any, owner: str = side.name) -> None:
                current = "none"
                if has_app_context():
                    current = names.get(id(current_app._get_current_object()), "other")
                with self.lock:
                    self.seen.append((owner, current, threading.current_thread().name))

    def crossings(self) -> list[tuple[str, str, str]]:
        with self.lock:
            return [entry for entry in self.seen if entry[0] != entry[1]]


def make_side(tmp_path: Path, name: str) -> Side:
    plans = tmp_path / f"plans-{name}"
    plans.mkdir()
    for shipped in session_plans.PLANS_DIR.glob("*.toml"):
        shutil.copy(shipped, plans)
    (plans / f"bare-{name}.toml").write_text(SMALL_PLAN.format(title=name), encoding="utf-8")
    app = create_app(test_settings(tmp_path / name, plans_dir=plans))
    side = Side(name, app, Api(app.test_client()), plans)
    use_publisher(app, side.recorder)
    return side


@pytest.fixture
def sides(tmp_path: Path) -> Iterator[tuple[Side, Side, SqlWatch]]:
    first = make_side(tmp_path, "a")
    second = make_side(tmp_path, "b")  # built while the first app's clock already ticks
    watch = SqlWatch()
    names = {id(first.app): "a", id(second.app): "b"}
    watch.watch(first, names)
    watch.watch(second, names)
    try:
        yield first, second, watch
    finally:
        dispose_app(first.app)
        dispose_app(second.app)


def start_timer(side: Side, ws: Workshop, seconds: int) -> None:
    response = side.api.client.post(
        f"/api/v1/workshops/{ws.code}/timer",
        json={"action": "start", "seconds": seconds, "auto_advance": True},
        headers=Api.auth(ws.facilitator_key),
    )
    assert response.status_code == 200, response.get_json()


def current_kind(side: Side, ws: Workshop) -> str:
    response = side.api.get(ws.code, ws.facilitator_key)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["step"]["kind"]


def wait_for(condition: Any, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def test_each_app_has_its_own_state_objects(sides: tuple[Side, Side, SqlWatch]) -> None:
    first, second, _ = sides
    for key in (SOCKETIO, TIMER_LOOP, JOIN_LIMITER):
        assert first.app.extensions[key] is not second.app.extensions[key]
    assert db.of(first.app) is not db.of(second.app)
    assert db.of(first.app).engine is not db.of(second.app).engine
    assert socketio_of(first.app).server is not socketio_of(second.app).server
    assert first.app.extensions[TIMER_LOOP].running and second.app.extensions[TIMER_LOOP].running
    with first.app.app_context():
        assert session_plans.plans_dir() == first.plans.resolve()
        assert db.engine is db.of(first.app).engine
    with second.app.app_context():
        assert session_plans.plans_dir() == second.plans.resolve()
        assert db.engine is db.of(second.app).engine


def test_workshops_votes_and_events_stay_in_their_own_app(
    sides: tuple[Side, Side, SqlWatch],
) -> None:
    first, second, watch = sides
    codes: dict[str, str] = {}
    for side in (first, second):
        ws = side.api.create(f"Verksted {side.name}", plan=f"bare-{side.name}")
        codes[side.name] = ws.code
        phone = side.api.join(ws.code, role="Folkevalgt")
        side.api.go_to(ws, "collect")
        made = side.api.propose(ws.code, phone, f"Forslag fra {side.name}")
        assert made.status_code == 201, made.get_json()
        side.api.go_to(ws, "vote")
        voted = side.api.vote(ws.code, phone, {made.get_json()["id"]: 2})
        assert voted.status_code == 200, voted.get_json()
        results = side.api.get(f"{ws.code}/results", ws.facilitator_key).get_json()
        assert [(p["title"], p["dots"]) for p in results["proposals"]] == [
            (f"Forslag fra {side.name}", 2)
        ]

    # neither app sees the other's workshop, with or without the right keys
    for side, other in ((first, second), (second, first)):
        other_code = codes[other.name]
        assert side.api.get(other_code, None).status_code in (401, 404)
        joined = side.api.client.post(f"/api/v1/workshops/{other_code}/participants", json={})
        assert joined.status_code == 404
        with side.app.app_context():
            assert steering.expire_timers() == []

    # each publisher got its own app's events and tallies, and only those
    for side in (first, second):
        assert side.recorder.events, side.name
        assert {e.workshop_code for e in side.recorder.events} == {codes[side.name]}
        assert set(side.recorder.tallies) == {codes[side.name]}
    assert watch.crossings() == []


def test_a_timer_runs_out_in_one_app_only(sides: tuple[Side, Side, SqlWatch]) -> None:
    first, second, watch = sides
    ws_a = first.api.create("Med klokke", plan="bare-a")
    ws_b = second.api.create("Uten klokke", plan="bare-b")
    start_timer(first, ws_a, seconds=1)
    start_timer(second, ws_b, seconds=600)

    # the first app's clock moves its room on; the second's room stays where it is
    assert wait_for(lambda: current_kind(first, ws_a) == "collect")
    assert current_kind(second, ws_b) == "info"
    assert [e.type for e in first.recorder.events if e.type == "step_changed"] == ["step_changed"]
    assert all(e.type != "step_changed" for e in second.recorder.events)

    # both clocks ticked, each only against its own database
    ticks = [entry for entry in watch.seen if entry[2] != threading.current_thread().name]
    assert {owner for owner, _, _ in ticks} == {"a", "b"}
    assert watch.crossings() == []


def test_disposing_one_app_stops_its_clock_and_leaves_the_other_running(
    sides: tuple[Side, Side, SqlWatch],
) -> None:
    first, second, watch = sides
    ws_a = first.api.create("Stoppes", plan="bare-a")
    ws_b = second.api.create("Går videre", plan="bare-b")
    dispose_app(first.app)
    assert not first.app.extensions[TIMER_LOOP].running
    stopped_at = len(watch.seen)

    start_timer(second, ws_b, seconds=1)
    assert wait_for(lambda: current_kind(second, ws_b) == "collect")
    assert all(owner == "b" for owner, _, _ in watch.seen[stopped_at:])
    assert watch.crossings() == []
    assert ws_a.code not in {e.workshop_code for e in second.recorder.events}


def test_the_join_limit_of_one_app_leaves_the_other_alone(tmp_path: Path) -> None:
    limited = create_app(test_settings(tmp_path / "limited", join_rate_per_minute=1))
    free = create_app(test_settings(tmp_path / "free", join_rate_per_minute=100))
    try:
        limited_api, free_api = Api(limited.test_client()), Api(free.test_client())
        ws_limited, ws_free = limited_api.create(), free_api.create()
        limited_api.join(ws_limited.code)
        again = limited_api.client.post(f"/api/v1/workshops/{ws_limited.code}/participants")
        assert again.status_code == 429
        for _ in range(3):
            free_api.join(ws_free.code)
    finally:
        dispose_app(limited)
        dispose_app(free)
