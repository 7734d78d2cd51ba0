"""PUT /api/v1/workshops/{code}/ratings: a participant's scores in the current rate step."""

from __future__ import annotations

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
from workshop.models import Step
from workshop.models import Workshop as WorkshopRow
from workshop.services import ratings
from workshop.services.errors import WrongStep
from workshop.services.events import RecordingPublisher

plan = prioritising.plan  # fixtures
room = prioritising.room


@pytest.fixture
def rating(room: Room) -> tuple[Room, str]:
    """The room on its rate step and one participant."""
    key = room.join("Folkevalgt")
    room.go(RATE)
    return room, key


def test_ratings_are_stored_and_returned(rating: tuple[Room, str]) -> None:
    room, key = rating
    a, b, _c = room.ids
    response = room.rate(key, {a: {"gevinst": 5, "innsats": 2}, b: {"gevinst": 3}})
    assert response.status_code == 200
    expected = {str(a): {"gevinst": 5, "innsats": 2}, str(b): {"gevinst": 3}}
    assert response.get_json() == {"ratings": expected}
    assert room.me(key)["ratings"] == expected


def test_put_replaces_all_previous_ratings(rating: tuple[Room, str]) -> None:
    room, key = rating
    a, b, _c = room.ids
    assert room.rate(key, {a: {"gevinst": 5, "innsats": 2}}).status_code == 200
    assert room.rate(key, {b: {"innsats": 4}}).status_code == 200
    assert room.me(key)["ratings"] == {str(b): {"innsats": 4}}
    assert room.rate(key, {}).get_json() == {"ratings": {}}
    assert room.me(key)["ratings"] == {}


def test_a_null_score_or_an_empty_proposal_is_left_out(rating: tuple[Room, str]) -> None:
    room, key = rating
    a, b, _c = room.ids
    response = room.rate(key, {a: {"gevinst": None, "innsats": 1}, b: {}})
    assert response.get_json() == {"ratings": {str(a): {"innsats": 1}}}


@pytest.mark.parametrize(
    "scores",
    [
        {"gevinst": 0},
        {"gevinst": 6},
        {"gevinst": True},
        {"gevinst": "5"},
        {"gevinst": 2.5},
        {"ukjent": 3},
        {"gevinst": -1},
    ],
)
def test_bad_scores_are_refused_and_nothing_changes(rating: tuple[Room, str], scores: dict) -> None:
    room, key = rating
    a, _b, _c = room.ids
    assert room.rate(key, {a: {"gevinst": 4}}).status_code == 200
    assert error_code(room.rate(key, {a: scores}), 422) == "validation"
    assert room.me(key)["ratings"] == {str(a): {"gevinst": 4}}


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"ratings": []},
        {"ratings": "5"},
        {"ratings": {"abc": {"gevinst": 1}}},
        {"ratings": {"1": 5}},
        {"ratings": {"²": {"gevinst": 1}}},
        {"ratings": {"9" * 19: {"gevinst": 1}}},
    ],
)
def test_malformed_bodies_are_refused(rating: tuple[Room, str], body: dict) -> None:
    room, key = rating
    assert error_code(room.put("ratings", key, body), 422) == "validation"


def test_a_body_that_is_not_json_is_refused(rating: tuple[Room, str], client: FlaskClient) -> None:
    room, key = rating
    response = client.put(
        f"/api/v1/workshops/{room.code}/ratings",
        data="x",
        headers={"Authorization": f"Bearer {key}"},
    )
    assert error_code(response, 422) == "validation"


@pytest.mark.parametrize("status", ["hidden", "merged", "pending"])
def test_only_visible_proposals_can_be_rated(rating: tuple[Room, str], status: str) -> None:
    room, key = rating
    a, b, _c = room.ids
    room.set_status(b, status)
    assert error_code(room.rate(key, {a: {"gevinst": 1}, b: {"gevinst": 1}}), 422) == ("validation")
    assert room.me(key)["ratings"] == {}


def test_a_proposal_of_another_workshop_cannot_be_rated(rating: tuple[Room, str]) -> None:
    room, key = rating
    other = make_room(room.api, titles=("Annet",))
    assert error_code(room.rate(key, {other.ids[0]: {"gevinst": 1}}), 422) == "validation"
    assert error_code(room.rate(key, {999999: {"gevinst": 1}}), 422) == "validation"


@pytest.mark.parametrize("position", [DOTS, AGREE])
def test_ratings_only_during_a_rate_step(room: Room, position: int) -> None:
    key = room.join()
    room.go(position)
    assert error_code(room.rate(key, {room.ids[0]: {"gevinst": 1}}), 409) == "wrong_step"


def test_only_participants_rate(rating: tuple[Room, str]) -> None:
    room, _key = rating
    for staff in (room.facilitator, room.projector):
        assert error_code(room.rate(staff, {room.ids[0]: {"gevinst": 1}}), 403) == "forbidden"


@pytest.mark.parametrize("key", [None, "not-a-key"])
def test_rating_needs_a_key(rating: tuple[Room, str], key: str | None) -> None:
    room, _key = rating
    assert error_code(room.rate(key, {room.ids[0]: {"gevinst": 1}}), 401) == "unauthorized"


def test_a_key_of_another_workshop_opens_nothing(rating: tuple[Room, str]) -> None:
    room, _key = rating
    other = make_room(room.api, titles=("Annet",))
    stranger = other.join()
    assert error_code(room.rate(stranger, {room.ids[0]: {"gevinst": 1}}), 401) == "unauthorized"


def test_the_criteria_come_from_the_step(rating: tuple[Room, str]) -> None:
    room, key = rating
    with db.session() as session:
        step = session.scalars(
            select(Step)
            .join(WorkshopRow)
            .where(WorkshopRow.code == room.code, Step.position == RATE)
        ).one()
        step.config = {
            "criteria": [
                {"key": "viktighet", "label": "Viktighet", "low": "lite viktig", "high": "svært"},
                {
                    "key": "vanskelighet",
                    "label": "Vanskelighet",
                    "low": "lett",
                    "high": "vanskelig",
                },
            ]
        }
        session.commit()
    a = room.ids[0]
    assert error_code(room.rate(key, {a: {"gevinst": 3}}), 422) == "validation"
    assert room.rate(key, {a: {"viktighet": 5, "vanskelighet": 1}}).status_code == 200
    row = next(r for r in room.json("analysis")["proposals"] if r["id"] == a)
    assert (row["benefit"], row["effort"], row["quadrant"]) == (5.0, 1.0, "quick_win")


def test_rating_bumps_the_version_and_notes_a_tally(
    rating: tuple[Room, str], recorder: RecordingPublisher
) -> None:
    room, key = rating
    before = room.json("")["version"]
    assert room.rate(key, {room.ids[0]: {"gevinst": 4}}).status_code == 200
    assert room.json("")["version"] == before + 1
    assert recorder.tallies == [room.code]
    assert recorder.events == []  # phones get nothing per rating


def test_a_refused_rating_publishes_nothing(
    rating: tuple[Room, str], recorder: RecordingPublisher
) -> None:
    room, key = rating
    before = room.json("")["version"]
    refused = room.rate(key, {room.ids[0]: {"gevinst": 9}})
    assert refused.status_code == 422
    assert refused.get_json()["error"]["message"] == "Poeng må være et heltall fra 1 til 5."
    assert room.json("")["version"] == before
    assert recorder.tallies == []


def test_the_service_refuses_outside_rate_steps(room: Room) -> None:
    key = room.join()
    with pytest.raises(WrongStep):
        ratings.set_ratings(room.code, key, {})
