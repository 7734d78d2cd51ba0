"""Limits that fit a hall: proposals per participant (count and rate), participants per workshop,
joins per workshop (not per address), wrong join codes per address, and where the counts live."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from flask import Flask

from tests.support.api import Api, Workshop, snapshot
from tests.support.config import skip_or_fail, test_settings
from tests.support.errors import assert_error
from tests.support.forms import csrf_of
from workshop import create_app
from workshop.extensions import JOIN_LIMITER, dispose_app

REDIS_URL = "redis://127.0.0.1:6379/0"


def collecting_with(api: Api, **settings: Any) -> Workshop:
    """A workshop with these settings, moved to its collect step."""
    ws = api.create(settings=settings)
    api.go_to(ws, "collect")
    return ws


def proposal_count(api: Api, ws: Workshop) -> int:
    return len(snapshot(api, ws, ws.facilitator_key)["proposals"])


def test_a_participant_may_send_only_the_workshops_number_of_proposals(api: Api) -> None:
    ws = collecting_with(api, proposals_per_participant=3, proposals_per_minute=100)
    key, neighbour = api.join(ws.code), api.join(ws.code)
    for n in range(3):
        assert api.propose(ws.code, key, f"Forslag {n}").status_code == 201
    refused = api.propose(ws.code, key, "Ett til")
    body = assert_error(refused, 429, "rate_limited")
    assert "3 forslag" in body["message"]
    assert int(refused.headers["Retry-After"]) >= 1
    # a retry of a stored proposal (same client key) is still answered, not counted
    first = api.propose(ws.code, key, "Samme", client_key="k1")
    assert first.status_code == 429
    # another participant has a count of their own
    assert api.propose(ws.code, neighbour, "Naboen").status_code == 201
    assert proposal_count(api, ws) == 4


def test_a_participant_may_send_only_so_many_proposals_a_minute(api: Api) -> None:
    ws = collecting_with(api, proposals_per_minute=2)
    key = api.join(ws.code)
    assert api.propose(ws.code, key, "En").status_code == 201
    assert api.propose(ws.code, key, "To").status_code == 201
    refused = api.client.post(
        f"/api/v1/workshops/{ws.code}/proposals?lang=en",
        json={"title": "Tre"},
        headers=api.auth(key),
    )
    body = assert_error(refused, 429, "rate_limited")
    assert "minute" in body["message"]
    assert 1 <= int(refused.headers["Retry-After"]) <= 61
    assert proposal_count(api, ws) == 2


def test_the_facilitators_paper_input_is_not_limited(api: Api) -> None:
    ws = collecting_with(api, proposals_per_participant=1, proposals_per_minute=1)
    for n in range(5):
        typed = api.propose(ws.code, ws.facilitator_key, f"Papirlapp {n}", source="paper")
        assert typed.status_code == 201
    page = api.client.get(f"/f/{ws.code}?key={ws.facilitator_key}", follow_redirects=True)
    form = {"csrf": csrf_of(page.get_data(as_text=True)), "title": "Fra skjemaet"}
    assert api.client.post(f"/f/{ws.code}/proposals", data=form).status_code == 302
    assert proposal_count(api, ws) == 6


def test_the_facilitator_changes_the_limits_through_the_api_and_the_screen(api: Api) -> None:
    ws = api.create()
    path = f"/api/v1/workshops/{ws.code}/limits"
    defaults = api.client.get(path, headers=api.auth(ws.facilitator_key)).get_json()
    assert defaults == {
        "proposals_per_participant": 30,
        "proposals_per_minute": 10,
        "max_participants": 2000,
    }
    changed = api.client.put(
        path, json={"proposals_per_minute": 5}, headers=api.auth(ws.facilitator_key)
    )
    assert changed.get_json() == {**defaults, "proposals_per_minute": 5}
    for wrong in (0, 601, "5", 2.5):
        refused = api.client.put(
            path, json={"proposals_per_minute": wrong}, headers=api.auth(ws.facilitator_key)
        )
        assert_error(refused, 422, "validation")
    participant = api.join(ws.code)
    assert_error(api.client.put(path, json={}, headers=api.auth(participant)), 403, "forbidden")

    page = api.client.get(f"/f/{ws.code}?key={ws.facilitator_key}", follow_redirects=True)
    html = page.get_data(as_text=True)
    assert 'name="proposals_per_minute"' in html and 'value="5"' in html
    form = {
        "csrf": csrf_of(html),
        "proposals_per_participant": "12",
        "proposals_per_minute": "²",
        "max_participants": "100",
    }
    refused_form = api.client.post(f"/f/{ws.code}/limits", data=form)
    assert refused_form.status_code == 302 and "error=" in refused_form.headers["Location"]
    assert api.client.get(path, headers=api.auth(ws.facilitator_key)).get_json() == {
        **defaults,
        "proposals_per_minute": 5,
    }
    form["proposals_per_minute"] = "7"
    assert api.client.post(f"/f/{ws.code}/limits", data=form).status_code == 302
    assert api.client.get(path, headers=api.auth(ws.facilitator_key)).get_json() == {
        "proposals_per_participant": 12,
        "proposals_per_minute": 7,
        "max_participants": 100,
    }


def test_a_full_workshop_refuses_the_next_participant(api: Api) -> None:
    ws = api.create(settings={"max_participants": 2})
    api.join(ws.code)
    api.join(ws.code)
    refused = api.client.post(f"/api/v1/workshops/{ws.code}/participants", json={})
    assert "fullt" in assert_error(refused, 409, "full")["message"]
    assert snapshot(api, ws, ws.facilitator_key)["participants"] == 2


def test_a_hall_of_a_thousand_behind_one_address_joins(api: Api) -> None:
    ws = api.create()
    for _ in range(1000):
        response = api.client.post(f"/api/v1/workshops/{ws.code}/participants", json={})
        assert response.status_code == 201, response.get_json()
    assert snapshot(api, ws, ws.facilitator_key)["participants"] == 1000


@pytest.fixture
def guarded(tmp_path: Path) -> Iterator[Flask]:
    """An app that lets an address send three wrong join codes a minute."""
    app = create_app(test_settings(tmp_path, wrong_code_rate_per_minute=3))
    yield app
    dispose_app(app)


def test_wrong_join_codes_are_throttled_per_address(guarded: Flask) -> None:
    api = Api(guarded.test_client())
    ws = api.create()
    for code in ("AAAAAA", "BBBBBB"):
        wrong = api.client.post(f"/api/v1/workshops/{code}/participants", json={})
        assert_error(wrong, 404, "not_found")
    assert guarded.test_client().get("/j/CCCCCC").status_code == 404  # the join page counts too
    guessing = api.client.post("/api/v1/workshops/DDDDDD/participants", json={})
    assert_error(guessing, 429, "rate_limited")
    assert int(guessing.headers["Retry-After"]) >= 1
    # the guesser is held back even with a right code; the rest of the hall is not
    right = api.client.post(f"/api/v1/workshops/{ws.code}/participants", json={})
    assert_error(right, 429, "rate_limited")
    elsewhere = api.client.post(
        f"/api/v1/workshops/{ws.code}/participants",
        json={},
        environ_base={"REMOTE_ADDR": "198.51.100.7"},
    )
    assert elsewhere.status_code == 201


def redis_or_skip() -> redis.Redis:
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.RedisError:
        skip_or_fail("Redis is not running on 127.0.0.1:6379")
    return client


def test_processes_sharing_the_message_queue_share_the_join_count(tmp_path: Path) -> None:
    store = redis_or_skip()
    database = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    apps = [
        create_app(
            test_settings(
                tmp_path / name,
                database_url=database,
                message_queue=REDIS_URL,
                join_rate_per_minute=3,
                secret_key=uuid.uuid4().hex,
            )
        )
        for name in ("one", "two")
    ]
    try:
        one, two = (Api(app.test_client()) for app in apps)
        ws = one.create()
        one.join(ws.code)
        two.join(ws.code)
        one.join(ws.code)
        refused = two.client.post(f"/api/v1/workshops/{ws.code}/participants", json={})
        assert_error(refused, 429, "rate_limited")
        prefix = apps[0].extensions[JOIN_LIMITER].prefix
        assert any(store.scan_iter(f"*{prefix}*join*{ws.code}*"))  # kept in Redis
    finally:
        for app in apps:
            dispose_app(app)


def test_without_a_message_queue_the_counts_stay_in_the_process(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    apps = [
        create_app(test_settings(tmp_path / name, database_url=database, join_rate_per_minute=2))
        for name in ("one", "two")
    ]
    try:
        one, two = (Api(app.test_client()) for app in apps)
        ws = one.create()
        one.join(ws.code)
        one.join(ws.code)
        assert one.client.post(f"/api/v1/workshops/{ws.code}/participants").status_code == 429
        two.join(ws.code)  # the other process keeps its own count in memory
    finally:
        for app in apps:
            dispose_app(app)


def test_a_guesser_using_the_join_form_is_held_back_too(guarded: Flask) -> None:
    ws = Api(guarded.test_client()).create()
    phone = guarded.test_client()
    token = csrf_of(phone.get(f"/j/{ws.code}").get_data(as_text=True))
    for wrong in ("AAAAAA", "BBBBBB", "CCCCCC"):  # each wrong form counts once
        assert phone.post(f"/j/{wrong}", data={"csrf": token}).status_code == 404
    held = phone.post("/j/DDDDDD", data={"csrf": token})
    assert held.status_code == 429 and int(held.headers["Retry-After"]) >= 1
    assert "Vent litt" in held.get_data(as_text=True)
    assert phone.post(f"/j/{ws.code}", data={"csrf": token}).status_code == 429
