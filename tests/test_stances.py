"""PUT /api/v1/workshops/{code}/stances: agree / disagree / pass in an agree-mode vote step."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.support import prioritising
from tests.support.errors import error_code
from tests.support.prioritising import (
    AGREE,
    DOTS,
    RATE,
    Room,
    make_room,
)
from workshop.extensions import db
from workshop.models import Stance
from workshop.services.events import RecordingPublisher

plan = prioritising.plan  # fixtures
room = prioritising.room


@pytest.fixture
def answering(room: Room) -> tuple[Room, str]:
    """The room on its agree step and one participant."""
    key = room.join("Administrasjon")
    room.go(AGREE)
    return room, key


def stored_values(room: Room) -> list[int]:
    with db.session() as session:
        return sorted(session.scalars(select(Stance.value)))


def test_stances_are_stored_and_returned(answering: tuple[Room, str]) -> None:
    room, key = answering
    a, b, c = room.ids
    response = room.answer(key, {a: "agree", b: "disagree", c: "pass"})
    assert response.status_code == 200
    expected = {str(a): "agree", str(b): "disagree", str(c): "pass"}
    assert response.get_json() == {"stances": expected}
    assert stored_values(room) == [-1, 0, 1]
    assert room.me(key)["stances"] == {str(a): "agree", str(b): "disagree", str(c): "pass"}


def test_put_replaces_all_previous_stances(answering: tuple[Room, str]) -> None:
    room, key = answering
    a, b, _c = room.ids
    assert room.answer(key, {a: "agree", b: "agree"}).status_code == 200
    assert room.answer(key, {b: "disagree", a: None}).get_json() == {
        "stances": {str(b): "disagree"}
    }
    assert room.me(key)["stances"] == {str(b): "disagree"}
    assert room.answer(key, {}).get_json() == {"stances": {}}
    assert stored_values(room) == []


@pytest.mark.parametrize("value", ["yes", "AGREE", 1, True, ["agree"], {"v": "agree"}])
def test_bad_answers_are_refused_and_nothing_changes(
    answering: tuple[Room, str], value: Any
) -> None:
    room, key = answering
    a, b, _c = room.ids
    assert room.answer(key, {a: "agree"}).status_code == 200
    assert error_code(room.answer(key, {a: "pass", b: value}), 422) == "validation"
    assert room.me(key)["stances"] == {str(a): "agree"}


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"stances": []},
        {"stances": "agree"},
        {"stances": {"x": "agree"}},
        {"stances": {"-1": "agree"}},
    ],
)
def test_malformed_bodies_are_refused(answering: tuple[Room, str], body: dict) -> None:
    room, key = answering
    assert error_code(room.put("stances", key, body), 422) == "validation"


def test_a_body_that_is_not_json_is_refused(
    answering: tuple[Room, str], client: FlaskClient
) -> None:
    room, key = answering
    response = client.put(
        f"/api/v1/workshops/{room.code}/stances",
        data="agree",
        headers={"Authorization": f"Bearer {key}"},
    )
    assert error_code(response, 422) == "validation"


@pytest.mark.parametrize("status", ["hidden", "merged", "pending"])
def test_only_visible_proposals_can_be_answered(answering: tuple[Room, str], status: str) -> None:
    room, key = answering
    a, b, _c = room.ids
    room.set_status(b, status)
    assert error_code(room.answer(key, {a: "agree", b: "agree"}), 422) == "validation"
    assert stored_values(room) == []


def test_a_proposal_of_another_workshop_cannot_be_answered(answering: tuple[Room, str]) -> None:
    room, key = answering
    other = make_room(room.api, titles=("Annet",))
    assert error_code(room.answer(key, {other.ids[0]: "agree"}), 422) == "validation"


@pytest.mark.parametrize("position", [DOTS, RATE])
def test_stances_only_during_an_agree_step(room: Room, position: int) -> None:
    key = room.join()
    room.go(position)
    assert error_code(room.answer(key, {room.ids[0]: "agree"}), 409) == "wrong_step"


def test_dots_are_refused_in_an_agree_step(answering: tuple[Room, str]) -> None:
    room, key = answering
    assert error_code(room.vote(key, {room.ids[0]: 1}), 409) == "wrong_step"
    assert error_code(room.vote(key, {}), 409) == "wrong_step"


def test_an_agree_step_shows_its_mode_and_no_dot_budget_in_use(answering: tuple[Room, str]) -> None:
    room, key = answering
    view = room.api.get(room.code, key).get_json()
    assert view["step"]["mode"] == "agree"
    assert "allocations" not in view["me"] and view["me"]["stances"] == {}


def test_only_participants_answer(answering: tuple[Room, str]) -> None:
    room, _key = answering
    for staff in (room.facilitator, room.projector):
        assert error_code(room.answer(staff, {room.ids[0]: "agree"}), 403) == "forbidden"


@pytest.mark.parametrize("key", [None, "not-a-key"])
def test_answering_needs_a_key(answering: tuple[Room, str], key: str | None) -> None:
    room, _key = answering
    assert error_code(room.answer(key, {room.ids[0]: "agree"}), 401) == "unauthorized"


def test_answering_bumps_the_version_and_notes_a_tally(
    answering: tuple[Room, str], recorder: RecordingPublisher
) -> None:
    room, key = answering
    before = room.json("")["version"]
    assert room.answer(key, {room.ids[0]: "pass"}).status_code == 200
    assert room.json("")["version"] == before + 1
    assert recorder.tallies == [room.code]
    assert recorder.events == []


def test_a_refused_answer_publishes_nothing(
    answering: tuple[Room, str], recorder: RecordingPublisher
) -> None:
    room, key = answering
    refused = room.answer(key, {room.ids[0]: "maybe"})
    assert refused.status_code == 422
    message = refused.get_json()["error"]["message"]
    assert message == "Svaret må være «agree», «disagree» eller «pass»."
    assert recorder.tallies == [] and stored_values(room) == []


def test_stances_of_one_step_do_not_leak_into_the_dot_results(answering: tuple[Room, str]) -> None:
    room, key = answering
    assert room.answer(key, {room.ids[0]: "agree"}).status_code == 200
    dots = room.json(f"results?step={DOTS}")
    assert dots["kind"] == "dots" and dots["voters"] == 0
    agree = room.json("results")
    assert agree["kind"] == "agree" and agree["voters"] == 1
    for row in agree["proposals"]:
        assert {"id", "title", "category", "dots", "voters", "by_role"} <= set(row)
        assert row["dots"] == 0
