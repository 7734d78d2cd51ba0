"""The JSON API of docs/api.md, endpoint by endpoint: success shapes and every refusal."""

from __future__ import annotations

import random
import re
import threading
from collections.abc import Iterator
from itertools import product
from typing import Any

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient

from tests.support.api import Api, Workshop, snapshot
from tests.support.config import ADMIN_KEY, PUBLIC_URL
from tests.support.errors import assert_error
from tests.support.servers import LiveServer
from workshop import create_app
from workshop.config import Settings

PLAN_KINDS = ["info", "collect", "vote", "results", "review", "rate", "results", "actions"]

CODE_PATTERN = re.compile(r"^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{6}$")
MISSING_CODE = "ZZZZZZ"


def assert_proposal_shape(proposal: dict[str, Any]) -> None:
    """A proposal as API.md shows it."""
    assert {"id", "title", "body", "category", "status"} <= set(proposal)
    assert type(proposal["id"]) is int
    assert isinstance(proposal["title"], str)
    assert isinstance(proposal["body"], str)
    assert proposal["category"] is None or isinstance(proposal["category"], str)
    assert proposal["status"] in ("pending", "visible", "hidden", "merged")


def assert_step_shape(step: dict[str, Any]) -> None:
    """A step as API.md shows it; vote steps carry their budget."""
    assert {"position", "kind", "title", "prompt"} <= set(step)
    assert type(step["position"]) is int
    assert isinstance(step["title"], str) and isinstance(step["prompt"], str)
    if step["kind"] == "vote":
        assert type(step["votes_per_participant"]) is int


@pytest.fixture
def ws(api: Api) -> Workshop:
    """A fresh workshop on its first (info) step."""
    return api.create()


@pytest.fixture
def collecting(api: Api, ws: Workshop) -> Workshop:
    """A workshop on its collect step."""
    api.go_to(ws, "collect")
    return ws


def proposal_titles(api: Api, ws: Workshop) -> list[str]:
    """Every stored proposal, as the facilitator sees them."""
    return [p["title"] for p in snapshot(api, ws, ws.facilitator_key)["proposals"]]


def add(api: Api, ws: Workshop, key: str, title: str, **body: Any) -> int:
    response = api.propose(ws.code, key, title, **body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


@pytest.fixture
def voting(api: Api, collecting: Workshop) -> tuple[Workshop, list[int]]:
    """A workshop on its vote step with three proposals from the facilitator."""
    ids = [add(api, collecting, collecting.facilitator_key, t) for t in ("Én", "To", "Tre")]
    api.go_to(collecting, "vote")
    return collecting, ids


# --- POST /api/v1/workshops ----------------------------------------------------------------


def test_create_returns_code_keys_links_and_steps(api: Api, client: FlaskClient) -> None:
    response = client.post(
        "/api/v1/workshops",
        json={"title": "Forenkling i Åsnes"},
        headers=Api.auth(ADMIN_KEY),
    )
    assert response.status_code == 201
    data = response.get_json()
    required = {
        "code",
        "title",
        "join_url",
        "facilitator_key",
        "projector_key",
        "facilitator_url",
        "projector_url",
        "steps",
    }
    assert required <= set(data)
    assert CODE_PATTERN.match(data["code"])
    assert data["title"] == "Forenkling i Åsnes"
    assert data["join_url"] == f"{PUBLIC_URL}/j/{data['code']}"
    assert data["facilitator_url"].startswith(PUBLIC_URL)
    assert data["facilitator_key"] in data["facilitator_url"]
    assert data["projector_key"] in data["projector_url"]
    assert data["facilitator_key"] != data["projector_key"]
    # >= 128 bits: url-safe base64 of at least 16 bytes is at least 22 characters
    assert len(data["facilitator_key"]) >= 22 and len(data["projector_key"]) >= 22
    assert [s["kind"] for s in data["steps"]] == PLAN_KINDS
    for position, step in enumerate(data["steps"]):
        assert {"position", "kind", "title"} <= set(step)
        assert step["position"] == position and type(step["position"]) is int


def test_create_gives_each_workshop_its_own_code_and_keys(api: Api) -> None:
    first, second = api.create("A"), api.create("B")
    assert first.code != second.code
    assert first.facilitator_key != second.facilitator_key


def test_create_applies_language_and_settings(api: Api) -> None:
    ws = api.create(language="en", settings={"moderation": True, "votes_per_participant": 3})
    view = snapshot(api, ws, ws.facilitator_key)
    assert view["language"] == "en"
    api.go_to(ws, "vote")
    assert snapshot(api, ws, ws.facilitator_key)["step"]["votes_per_participant"] == 3


def test_create_with_the_plan_named_explicitly(api: Api) -> None:
    ws = api.create(plan="plan-simplification")
    assert len(ws.data["steps"]) == len(PLAN_KINDS)


@pytest.mark.parametrize("key", [None, "wrong-key"])
def test_create_needs_the_admin_key(client: FlaskClient, key: str | None) -> None:
    response = client.post("/api/v1/workshops", json={"title": "X"}, headers=Api.auth(key))
    assert_error(response, 401, "unauthorized")


def test_a_facilitator_key_is_not_an_admin_key(client: FlaskClient, ws: Workshop) -> None:
    response = client.post(
        "/api/v1/workshops", json={"title": "X"}, headers=Api.auth(ws.facilitator_key)
    )
    assert_error(response, 401, "unauthorized")


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"title": ""},
        {"title": "   "},
        {"title": 5},
        {"title": "x" * 201},
        {"title": "X", "language": "sv"},
        {"title": "X", "settings": {"moderation": "yes"}},
        {"title": "X", "settings": {"votes_per_participant": 0}},
        {"title": "X", "settings": {"votes_per_participant": True}},
        {"title": "X", "settings": {"votes_per_participant": "5"}},
        {"title": "X", "settings": ["moderation"]},
        {"title": "X", "plan": 5},
    ],
)
def test_create_refuses_invalid_input(client: FlaskClient, body: dict[str, Any]) -> None:
    response = client.post("/api/v1/workshops", json=body, headers=Api.auth(ADMIN_KEY))
    assert_error(response, 422, "validation")


def test_create_refuses_a_body_that_is_not_json(client: FlaskClient) -> None:
    response = client.post("/api/v1/workshops", data="title=X", headers=Api.auth(ADMIN_KEY))
    assert_error(response, 422, "validation")


@pytest.mark.parametrize("plan", ["no-such-plan", "../sessions/plan-simplification"])
def test_create_with_an_unknown_plan_is_not_found(client: FlaskClient, plan: str) -> None:
    response = client.post(
        "/api/v1/workshops", json={"title": "X", "plan": plan}, headers=Api.auth(ADMIN_KEY)
    )
    assert_error(response, 404, "not_found")


# --- GET /api/v1/workshops/{code} ----------------------------------------------------------


def test_get_shape_for_every_kind_of_key(api: Api, ws: Workshop) -> None:
    phone = api.join(ws.code)
    for key in (phone, ws.facilitator_key, ws.projector_key):
        view = snapshot(api, ws, key)
        required = {
            "code",
            "title",
            "version",
            "language",
            "roles",
            "categories",
            "step",
            "proposals",
            "participants",
        }
        assert required <= set(view)
        assert view["code"] == ws.code
        assert view["title"] == "Forenklingsverksted"
        assert type(view["version"]) is int
        assert view["language"] == "nb"
        assert "Folkevalgt" in view["roles"] and "Administrasjon" in view["roles"]
        assert all(isinstance(r, str) for r in view["roles"])
        assert "arealdel" in view["categories"]
        assert view["step"]["kind"] == "info"
        assert_step_shape(view["step"])
        assert view["proposals"] == []
        assert view["participants"] == 1 and type(view["participants"]) is int


def test_get_shows_the_vote_budget_on_a_vote_step(api: Api, voting: tuple) -> None:
    ws, ids = voting
    view = snapshot(api, ws, api.join(ws.code))
    assert view["step"]["kind"] == "vote"
    assert view["step"]["votes_per_participant"] == 5
    assert [p["id"] for p in view["proposals"]] == ids
    for proposal in view["proposals"]:
        assert_proposal_shape(proposal)


def test_get_accepts_the_code_in_lower_case(api: Api, ws: Workshop) -> None:
    assert api.get(ws.code.lower(), ws.facilitator_key).status_code == 200


def test_get_counts_participants_and_bumps_the_version(api: Api, ws: Workshop) -> None:
    before = snapshot(api, ws, ws.facilitator_key)
    api.join(ws.code)
    api.join(ws.code)
    after = snapshot(api, ws, ws.facilitator_key)
    assert after["participants"] == before["participants"] + 2
    assert after["version"] > before["version"]


@pytest.mark.parametrize("key", [None, "not-a-key"])
def test_get_needs_a_key_of_the_workshop(api: Api, ws: Workshop, key: str | None) -> None:
    assert_error(api.get(ws.code, key), 401, "unauthorized")


def test_get_of_an_unknown_workshop_is_not_found(api: Api, ws: Workshop) -> None:
    assert_error(api.get(MISSING_CODE, ws.facilitator_key), 404, "not_found")


def test_an_unknown_api_path_answers_in_the_error_shape(client: FlaskClient) -> None:
    assert_error(client.get("/api/v1/no-such-thing"), 404, "not_found")


# --- POST /api/v1/workshops/{code}/participants ------------------------------------------


def test_join_without_a_key_returns_participant_id_and_key(
    client: FlaskClient, ws: Workshop
) -> None:
    response = client.post(f"/api/v1/workshops/{ws.code}/participants", json={})
    assert response.status_code == 201
    data = response.get_json()
    assert {"participant_id", "key"} <= set(data)
    assert type(data["participant_id"]) is int
    assert isinstance(data["key"], str) and len(data["key"]) >= 22


def test_join_with_name_and_role_is_remembered(api: Api, client: FlaskClient, ws: Workshop) -> None:
    response = client.post(
        f"/api/v1/workshops/{ws.code}/participants",
        json={"name": "Åse Ødegård", "role": "Folkevalgt"},
    )
    assert response.status_code == 201
    me = snapshot(api, ws, response.get_json()["key"])["me"]
    assert me["name"] == "Åse Ødegård"
    assert me["roles"] == ["Folkevalgt"]


def test_join_with_no_body_at_all(client: FlaskClient, ws: Workshop) -> None:
    assert client.post(f"/api/v1/workshops/{ws.code}/participants").status_code == 201


@pytest.mark.parametrize(
    "body", [{"role": "Ordfører"}, {"role": 3}, {"name": 3}, {"name": "x" * 200}]
)
def test_join_refuses_unknown_roles_and_bad_names(
    api: Api, client: FlaskClient, ws: Workshop, body: dict
) -> None:
    response = client.post(f"/api/v1/workshops/{ws.code}/participants", json=body)
    assert_error(response, 422, "validation")
    assert snapshot(api, ws, ws.facilitator_key)["participants"] == 0


def test_join_an_unknown_workshop_is_not_found(client: FlaskClient) -> None:
    response = client.post(f"/api/v1/workshops/{MISSING_CODE}/participants", json={})
    assert_error(response, 404, "not_found")


@pytest.fixture
def limited_app(tmp_path: Any) -> Iterator[Flask]:
    """An app that lets a workshop take only three joins a minute."""
    settings = Settings.from_env(
        data_dir=tmp_path / "limited",
        database_url="",
        admin_key=ADMIN_KEY,
        public_url=PUBLIC_URL,
        message_queue=None,
        testing=True,
        join_rate_per_minute=3,
    )
    application = create_app(settings)
    yield application
    from workshop.extensions import dispose_app

    dispose_app(application)


def test_joining_one_workshop_too_often_is_rate_limited(limited_app: Flask) -> None:
    api = Api(limited_app.test_client())
    ws, other_ws = api.create(), api.create()
    for _ in range(3):
        api.join(ws.code)
    response = api.client.post(f"/api/v1/workshops/{ws.code}/participants", json={})
    assert_error(response, 429, "rate_limited")
    assert 1 <= int(response.headers["Retry-After"]) <= 60
    assert snapshot(api, ws, ws.facilitator_key)["participants"] == 3
    # the limit is the workshop's: another address is refused too, another workshop is not
    other = api.client.post(
        f"/api/v1/workshops/{ws.code}/participants",
        json={},
        environ_base={"REMOTE_ADDR": "198.51.100.7"},
    )
    assert_error(other, 429, "rate_limited")
    assert api.client.post(f"/api/v1/workshops/{other_ws.code}/participants").status_code == 201


# --- POST /api/v1/workshops/{code}/proposals ---------------------------------------------


def test_a_participant_proposes_during_collect(api: Api, collecting: Workshop) -> None:
    key = api.join(collecting.code)
    response = api.propose(
        collecting.code,
        key,
        "Slå sammen handlingsdel og økonomiplan",
        body="Ett dokument som rulleres hvert år.",
        category="handlingsdel og økonomiplan",
    )
    assert response.status_code == 201
    proposal = response.get_json()
    assert_proposal_shape(proposal)
    assert proposal["title"] == "Slå sammen handlingsdel og økonomiplan"
    assert proposal["body"] == "Ett dokument som rulleres hvert år."
    assert proposal["category"] == "handlingsdel og økonomiplan"
    assert proposal["status"] == "visible"
    others = snapshot(api, collecting, api.join(collecting.code))["proposals"]
    assert [p["id"] for p in others] == [proposal["id"]]


def test_title_and_body_are_stored_without_surrounding_space(
    api: Api, collecting: Workshop
) -> None:
    key = api.join(collecting.code)
    proposal = api.propose(collecting.code, key, "  Kortere frister  ", body=" \n").get_json()
    assert proposal["title"] == "Kortere frister"
    assert proposal["body"] == ""
    assert proposal["category"] is None


def test_the_longest_allowed_texts_are_accepted(api: Api, collecting: Workshop) -> None:
    key = api.join(collecting.code)
    response = api.propose(collecting.code, key, "t" * 200, body="b" * 2000, client_key="k" * 64)
    assert response.status_code == 201
    assert response.get_json()["title"] == "t" * 200
    assert len(response.get_json()["body"]) == 2000


@pytest.mark.parametrize(
    "body",
    [
        {"title": ""},
        {"title": "   "},
        {"title": None},
        {"title": 42},
        {"title": "t" * 201},
        {"title": "OK", "body": "b" * 2001},
        {"title": "OK", "body": 7},
        {"title": "OK", "client_key": "k" * 65},
        {"title": "OK", "client_key": 12},
        {"title": "OK", "category": "skatt"},
        {"title": "OK", "category": 3},
    ],
)
def test_invalid_proposals_are_refused_and_not_stored(
    api: Api, client: FlaskClient, collecting: Workshop, body: dict
) -> None:
    key = api.join(collecting.code)
    response = client.post(
        f"/api/v1/workshops/{collecting.code}/proposals", json=body, headers=Api.auth(key)
    )
    assert_error(response, 422, "validation")
    assert proposal_titles(api, collecting) == []


def test_a_proposal_without_a_json_body_is_refused(
    api: Api, client: FlaskClient, collecting: Workshop
) -> None:
    key = api.join(collecting.code)
    response = client.post(
        f"/api/v1/workshops/{collecting.code}/proposals", data="title=x", headers=Api.auth(key)
    )
    assert_error(response, 422, "validation")


@pytest.mark.parametrize("kind", ["info", "vote", "results"])
def test_participants_propose_only_during_collect(api: Api, ws: Workshop, kind: str) -> None:
    key = api.join(ws.code)
    api.go_to(ws, kind)
    assert_error(api.propose(ws.code, key, "For sent"), 409, "wrong_step")
    assert proposal_titles(api, ws) == []


@pytest.mark.parametrize("kind", ["info", "collect", "vote", "results"])
def test_the_facilitator_adds_proposals_at_any_step(api: Api, ws: Workshop, kind: str) -> None:
    api.go_to(ws, kind)
    response = api.propose(ws.code, ws.facilitator_key, "Fra papirlapp")
    assert response.status_code == 201
    assert response.get_json()["status"] == "visible"
    assert proposal_titles(api, ws) == ["Fra papirlapp"]


def test_the_projector_cannot_propose(api: Api, collecting: Workshop) -> None:
    response = api.propose(collecting.code, collecting.projector_key, "Fra veggen")
    assert_error(response, 403, "forbidden")
    assert proposal_titles(api, collecting) == []


@pytest.mark.parametrize("key", [None, "not-a-key"])
def test_proposing_needs_a_key(api: Api, collecting: Workshop, key: str | None) -> None:
    assert_error(api.propose(collecting.code, key, "Anonym"), 401, "unauthorized")
    assert proposal_titles(api, collecting) == []


def test_proposing_in_an_unknown_workshop_is_not_found(api: Api, collecting: Workshop) -> None:
    response = api.propose(MISSING_CODE, collecting.facilitator_key, "Hvor?")
    assert_error(response, 404, "not_found")


def test_the_same_client_key_twice_returns_the_same_proposal(
    api: Api, collecting: Workshop
) -> None:
    key = api.join(collecting.code)
    first = api.propose(collecting.code, key, "Felles planressurs", client_key="abc-1")
    again = api.propose(collecting.code, key, "Felles planressurs", client_key="abc-1")
    assert first.status_code == 201
    assert again.status_code == 200
    assert again.get_json() == first.get_json()
    assert proposal_titles(api, collecting) == ["Felles planressurs"]


def test_a_retry_after_the_step_moved_on_still_returns_the_stored_proposal(
    api: Api, collecting: Workshop
) -> None:
    key = api.join(collecting.code)
    first = api.propose(collecting.code, key, "Treg wifi", client_key="retry-1").get_json()
    api.go_to(collecting, "vote")
    again = api.propose(collecting.code, key, "Treg wifi", client_key="retry-1")
    assert again.status_code == 200
    assert again.get_json()["id"] == first["id"]


def test_another_participant_with_the_same_client_key_gets_its_own(
    api: Api, collecting: Workshop
) -> None:
    one, two = api.join(collecting.code), api.join(collecting.code)
    first = api.propose(collecting.code, one, "Idé", client_key="same").get_json()
    second = api.propose(collecting.code, two, "Idé", client_key="same")
    assert second.status_code == 201
    assert second.get_json()["id"] != first["id"]
    assert proposal_titles(api, collecting) == ["Idé", "Idé"]


def test_without_client_key_each_submission_is_new(api: Api, collecting: Workshop) -> None:
    key = api.join(collecting.code)
    assert api.propose(collecting.code, key, "To ganger").status_code == 201
    assert api.propose(collecting.code, key, "To ganger").status_code == 201
    assert proposal_titles(api, collecting) == ["To ganger", "To ganger"]


def test_the_facilitator_client_key_is_idempotent_too(api: Api, ws: Workshop) -> None:
    first = api.propose(ws.code, ws.facilitator_key, "Papir 1", client_key="paper-1")
    again = api.propose(ws.code, ws.facilitator_key, "Papir 1", client_key="paper-1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.get_json()["id"] == first.get_json()["id"]
    assert proposal_titles(api, ws) == ["Papir 1"]


def test_with_moderation_phone_proposals_wait_for_the_facilitator(api: Api) -> None:
    ws = api.create(settings={"moderation": True})
    api.go_to(ws, "collect")
    author, other = api.join(ws.code), api.join(ws.code)
    proposal = api.propose(ws.code, author, "Trenger godkjenning").get_json()
    assert proposal["status"] == "pending"
    assert snapshot(api, ws, other)["proposals"] == []
    assert snapshot(api, ws, author)["proposals"] == []
    staff = snapshot(api, ws, ws.facilitator_key)["proposals"]
    assert [(p["id"], p["status"]) for p in staff] == [(proposal["id"], "pending")]
    # the facilitator's own proposals need no approval
    own = api.propose(ws.code, ws.facilitator_key, "Fra fasilitator").get_json()
    assert own["status"] == "visible"
    assert [p["title"] for p in snapshot(api, ws, other)["proposals"]] == ["Fra fasilitator"]


# --- PUT /api/v1/workshops/{code}/votes ---------------------------------------------------


def my_allocation(api: Api, ws: Workshop, key: str) -> tuple[dict[str, int], int]:
    me = snapshot(api, ws, key)["me"]
    return me["allocations"], me["remaining"]


def test_a_vote_returns_the_allocation_and_what_remains(api: Api, voting: tuple) -> None:
    ws, (a, b, _c) = voting
    key = api.join(ws.code)
    response = api.vote(ws.code, key, {a: 3, b: 1})
    assert response.status_code == 200
    data = response.get_json()
    assert set(data) >= {"allocations", "remaining"}
    assert data["allocations"] == {str(a): 3, str(b): 1}
    assert all(k.isdigit() for k in data["allocations"])
    assert all(type(v) is int for v in data["allocations"].values())
    assert data["remaining"] == 1 and type(data["remaining"]) is int
    assert my_allocation(api, ws, key) == ({str(a): 3, str(b): 1}, 1)


def test_put_replaces_the_whole_allocation(api: Api, voting: tuple) -> None:
    ws, (a, b, c) = voting
    key = api.join(ws.code)
    api.vote(ws.code, key, {a: 4, b: 1})
    response = api.vote(ws.code, key, {c: 2})
    assert response.get_json() == {"allocations": {str(c): 2}, "remaining": 3}
    assert my_allocation(api, ws, key) == ({str(c): 2}, 3)


def test_zero_entries_are_dropped_and_an_empty_allocation_clears(api: Api, voting: tuple) -> None:
    ws, (a, b, c) = voting
    key = api.join(ws.code)
    response = api.vote(ws.code, key, {a: 0, b: 5, c: 0})
    assert response.get_json() == {"allocations": {str(b): 5}, "remaining": 0}
    response = api.vote(ws.code, key, {})
    assert response.get_json() == {"allocations": {}, "remaining": 5}
    assert my_allocation(api, ws, key) == ({}, 5)
    assert snapshot(api, ws, ws.facilitator_key)["voters"] == 0


def test_all_dots_on_one_proposal_is_allowed_without_a_cap(api: Api, voting: tuple) -> None:
    ws, (a, _b, _c) = voting
    key = api.join(ws.code)
    assert api.vote(ws.code, key, {a: 5}).get_json() == {"allocations": {str(a): 5}, "remaining": 0}


def test_over_budget_is_refused_and_the_stored_allocation_kept(api: Api, voting: tuple) -> None:
    ws, (a, b, c) = voting
    key = api.join(ws.code)
    api.vote(ws.code, key, {a: 2})
    assert_error(api.vote(ws.code, key, {a: 3, b: 2, c: 1}), 422, "over_budget")
    assert_error(api.vote(ws.code, key, {b: 6}), 422, "over_budget")
    assert my_allocation(api, ws, key) == ({str(a): 2}, 3)
    # a second, valid PUT still works from the kept state
    assert api.vote(ws.code, key, {a: 2, b: 3}).get_json()["remaining"] == 0


def test_the_budget_follows_the_workshop_settings(api: Api) -> None:
    ws = api.create(settings={"votes_per_participant": 3})
    api.go_to(ws, "collect")
    pid = add(api, ws, ws.facilitator_key, "Eneste")
    api.go_to(ws, "vote")
    key = api.join(ws.code)
    assert_error(api.vote(ws.code, key, {pid: 4}), 422, "over_budget")
    assert api.vote(ws.code, key, {pid: 3}).get_json() == {
        "allocations": {str(pid): 3},
        "remaining": 0,
    }


@pytest.mark.parametrize(
    "allocations",
    [
        None,
        [],
        [1, 2],
        "1:3",
        {"abc": 1},
        {"-1": 1},
        {"1.5": 1},
        {"²": 1},
        {"": 1},
        {"FIRST": -1},
        {"FIRST": True},
        {"FIRST": 1.0},
        {"FIRST": "2"},
        {"FIRST": None},
        {"99999": 1},
        {"99999999999999999999999999": 1},
    ],
)
def test_bad_allocations_are_refused_and_nothing_changes(
    api: Api, client: FlaskClient, voting: tuple, allocations: Any
) -> None:
    ws, (a, b, _c) = voting
    key = api.join(ws.code)
    api.vote(ws.code, key, {b: 1})
    if isinstance(allocations, dict):
        allocations = {(str(a) if k == "FIRST" else k): v for k, v in allocations.items()}
    response = client.put(
        f"/api/v1/workshops/{ws.code}/votes",
        json={"allocations": allocations},
        headers=Api.auth(key),
    )
    assert_error(response, 422, "validation")
    assert my_allocation(api, ws, key) == ({str(b): 1}, 4)


def test_a_vote_without_allocations_is_refused(
    api: Api, client: FlaskClient, voting: tuple
) -> None:
    ws, _ids = voting
    key = api.join(ws.code)
    response = client.put(f"/api/v1/workshops/{ws.code}/votes", json={}, headers=Api.auth(key))
    assert_error(response, 422, "validation")


def test_hidden_pending_and_foreign_proposals_get_no_dots(api: Api) -> None:
    ws = api.create(settings={"moderation": True})
    api.go_to(ws, "collect")
    author = api.join(ws.code)
    pending = api.propose(ws.code, author, "Venter").get_json()["id"]
    visible = add(api, ws, ws.facilitator_key, "Synlig")
    other = api.create("Et annet verksted")
    foreign = add(api, other, other.facilitator_key, "Fremmed")
    api.go_to(ws, "vote")
    key = api.join(ws.code)
    assert_error(api.vote(ws.code, key, {pending: 1}), 422, "validation")
    assert_error(api.vote(ws.code, key, {visible: 1, foreign: 1}), 422, "validation")
    assert my_allocation(api, ws, key) == ({}, 5)
    assert api.vote(ws.code, key, {visible: 1}).status_code == 200


@pytest.mark.parametrize("kind", ["info", "collect", "results"])
def test_votes_only_during_a_vote_step(api: Api, voting: tuple, kind: str) -> None:
    ws, (a, _b, _c) = voting
    key = api.join(ws.code)
    api.go_to(ws, kind)
    assert_error(api.vote(ws.code, key, {a: 1}), 409, "wrong_step")


def test_only_participants_vote(api: Api, voting: tuple) -> None:
    ws, (a, _b, _c) = voting
    for key in (ws.facilitator_key, ws.projector_key):
        assert_error(api.vote(ws.code, key, {a: 1}), 403, "forbidden")


@pytest.mark.parametrize("key", [None, "not-a-key"])
def test_voting_needs_a_key(api: Api, voting: tuple, key: str | None) -> None:
    ws, (a, _b, _c) = voting
    assert_error(api.vote(ws.code, key, {a: 1}), 401, "unauthorized")


def test_voting_in_an_unknown_workshop_is_not_found(api: Api, voting: tuple) -> None:
    ws, (a, _b, _c) = voting
    assert_error(api.vote(MISSING_CODE, api.join(ws.code), {a: 1}), 404, "not_found")


# --- POST /api/v1/workshops/{code}/step ---------------------------------------------------


def test_step_next_previous_and_position(api: Api, ws: Workshop) -> None:
    moved = api.step(ws, action="next")
    assert moved.status_code == 200
    step = moved.get_json()["step"]
    assert_step_shape(step)
    assert (step["position"], step["kind"]) == (1, "collect")
    assert step["prompt"] == "Hva i planarbeidet kan gjøres enklere?"
    step = api.step(ws, position=2).get_json()["step"]
    assert (step["position"], step["kind"], step["votes_per_participant"]) == (2, "vote", 5)
    step = api.step(ws, action="previous").get_json()["step"]
    assert step["kind"] == "collect"
    assert snapshot(api, ws, api.join(ws.code))["step"]["kind"] == "collect"


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"action": "jump"},
        {"position": len(PLAN_KINDS)},
        {"position": -1},
        {"position": "1"},
        {"position": True},
        {"action": "previous"},
    ],
)
def test_invalid_step_changes_are_refused(api: Api, ws: Workshop, body: dict) -> None:
    before = snapshot(api, ws, ws.facilitator_key)
    assert_error(api.step(ws, **body), 422, "validation")
    after = snapshot(api, ws, ws.facilitator_key)
    assert after["step"]["position"] == 0
    assert after["version"] == before["version"]


def test_next_on_the_last_step_is_refused(api: Api, ws: Workshop) -> None:
    assert api.step(ws, position=len(ws.data["steps"]) - 1).status_code == 200
    assert_error(api.step(ws, action="next"), 422, "validation")


def test_only_the_facilitator_steers(api: Api, client: FlaskClient, ws: Workshop) -> None:
    phone = api.join(ws.code)
    for key in (phone, ws.projector_key):
        response = client.post(
            f"/api/v1/workshops/{ws.code}/step", json={"action": "next"}, headers=Api.auth(key)
        )
        assert_error(response, 403, "forbidden")
    for key in (None, "not-a-key"):
        response = client.post(
            f"/api/v1/workshops/{ws.code}/step", json={"action": "next"}, headers=Api.auth(key)
        )
        assert_error(response, 401, "unauthorized")
    assert snapshot(api, ws, phone)["step"]["position"] == 0


def test_steering_an_unknown_workshop_is_not_found(client: FlaskClient, ws: Workshop) -> None:
    response = client.post(
        f"/api/v1/workshops/{MISSING_CODE}/step",
        json={"action": "next"},
        headers=Api.auth(ws.facilitator_key),
    )
    assert_error(response, 404, "not_found")


# --- GET /api/v1/workshops/{code}/results -------------------------------------------------


@pytest.fixture
def voted(api: Api, voting: tuple) -> tuple[Workshop, list[int]]:
    """Three Folkevalgt and two Administrasjon voters, one participant who did not vote."""
    ws, (a, b, c) = voting
    for _ in range(3):
        key = api.join(ws.code, role="Folkevalgt")
        assert api.vote(ws.code, key, {a: 2, b: 1}).status_code == 200
    for _ in range(2):
        key = api.join(ws.code, role="Administrasjon")
        assert api.vote(ws.code, key, {b: 3}).status_code == 200
    api.join(ws.code, role="Innbygger")
    return ws, [a, b, c]


def test_results_are_ranked_and_suppress_small_role_groups(api: Api, voted: tuple) -> None:
    ws, (a, b, c) = voted
    response = api.get(f"{ws.code}/results", ws.facilitator_key)
    assert response.status_code == 200
    data = response.get_json()
    assert {"participants", "voters", "proposals"} <= set(data)
    assert (data["participants"], data["voters"]) == (6, 5)
    rows = data["proposals"]
    for row in rows:
        assert {"id", "title", "category", "dots", "voters", "by_role"} <= set(row)
        assert all(type(row[k]) is int for k in ("id", "dots", "voters"))
    assert [(r["id"], r["dots"], r["voters"]) for r in rows] == [(b, 9, 5), (a, 6, 3), (c, 0, 0)]
    assert [r["title"] for r in rows] == ["To", "Én", "Tre"]
    # three Folkevalgt voters are shown; two Administrasjon voters would identify them
    assert [r["by_role"] for r in rows] == [{"Folkevalgt": 3}, {"Folkevalgt": 6}, {"Folkevalgt": 0}]


def test_results_for_others_only_after_the_reveal(api: Api, voted: tuple) -> None:
    ws, _ids = voted
    phone = api.join(ws.code)
    for key in (phone, ws.projector_key):
        assert_error(api.get(f"{ws.code}/results", key), 403, "forbidden")
    api.go_to(ws, "results")
    for key in (phone, ws.projector_key):
        response = api.get(f"{ws.code}/results", key)
        assert response.status_code == 200
        assert response.get_json()["proposals"][0]["dots"] == 9
    api.go_to(ws, "vote")  # going back does not take the results away again
    assert api.get(f"{ws.code}/results", phone).status_code == 200


def test_results_before_any_vote_list_every_proposal_with_zero(api: Api, voting: tuple) -> None:
    ws, ids = voting
    data = api.get(f"{ws.code}/results", ws.facilitator_key).get_json()
    assert data["voters"] == 0
    assert sorted(r["id"] for r in data["proposals"]) == sorted(ids)
    assert {r["dots"] for r in data["proposals"]} == {0}


def test_results_of_an_empty_workshop(api: Api, ws: Workshop) -> None:
    data = api.get(f"{ws.code}/results", ws.facilitator_key).get_json()
    assert (data["participants"], data["voters"], data["proposals"]) == (0, 0, [])


@pytest.mark.parametrize("key", [None, "not-a-key"])
def test_results_need_a_key(api: Api, ws: Workshop, key: str | None) -> None:
    assert_error(api.get(f"{ws.code}/results", key), 401, "unauthorized")


def test_results_of_an_unknown_workshop_are_not_found(api: Api, ws: Workshop) -> None:
    assert_error(api.get(f"{MISSING_CODE}/results", ws.facilitator_key), 404, "not_found")


# --- GET /api/v1/workshops/{code}/export.* (file contents are in test_export.py) ----------


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json", "html", "pdf", "docx"])
def test_exports_only_for_the_facilitator(api: Api, voted: tuple, fmt: str) -> None:
    ws, _ids = voted
    api.go_to(ws, "results")
    assert api.get(f"{ws.code}/export.{fmt}", ws.facilitator_key).status_code == 200
    for key in (api.join(ws.code), ws.projector_key):
        assert_error(api.get(f"{ws.code}/export.{fmt}", key), 403, "forbidden")
    for key in (None, "not-a-key"):
        assert_error(api.get(f"{ws.code}/export.{fmt}", key), 401, "unauthorized")
    assert_error(api.get(f"{MISSING_CODE}/export.{fmt}", ws.facilitator_key), 404, "not_found")


def test_an_unknown_export_format_is_not_found(api: Api, ws: Workshop) -> None:
    assert_error(api.get(f"{ws.code}/export.odt", ws.facilitator_key), 404, "not_found")


# --- Concurrency on a real server ----------------------------------------------------------


class Remote:
    """The API over real HTTP, for requests from many threads at once."""

    def __init__(self, url: str) -> None:
        self.url = url

    def call(self, method: str, path: str, key: str | None, body: Any = None) -> Any:
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        return requests.request(
            method, f"{self.url}/api/v1{path}", json=body, headers=headers, timeout=30
        )


def run_together(jobs: list[Any]) -> list[Any]:
    """Start every job at the same moment in its own thread; return their results in order."""
    barrier = threading.Barrier(len(jobs))
    results: list[Any] = [None] * len(jobs)

    def worker(index: int) -> None:
        barrier.wait()
        try:
            results[index] = jobs[index]()
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            results[index] = exc

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(jobs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def test_concurrent_puts_keep_exactly_one_whole_allocation(live_server: LiveServer) -> None:
    remote = Remote(live_server.url)
    created = remote.call("POST", "/workshops", ADMIN_KEY, {"title": "Samtidig"}).json()
    code, facilitator = created["code"], created["facilitator_key"]
    ids = [
        remote.call("POST", f"/workshops/{code}/proposals", facilitator, {"title": f"F{i}"}).json()[
            "id"
        ]
        for i in range(4)
    ]
    assert (
        remote.call("POST", f"/workshops/{code}/step", facilitator, {"position": 2}).status_code
        == 200
    )
    key = remote.call("POST", f"/workshops/{code}/participants", None, {}).json()["key"]
    shapes = [dots for dots in product(range(4), repeat=4) if 0 < sum(dots) <= 5]
    sent = [
        dict(zip(map(str, ids), dots, strict=True)) for dots in random.Random(20).sample(shapes, 20)
    ]

    def put(allocation: dict[str, int]) -> Any:
        return lambda: remote.call(
            "PUT", f"/workshops/{code}/votes", key, {"allocations": allocation}
        )

    responses = run_together([put(allocation) for allocation in sent])
    assert [getattr(r, "status_code", r) for r in responses] == [200] * 20
    expected = [{k: v for k, v in allocation.items() if v} for allocation in sent]
    me = remote.call("GET", f"/workshops/{code}", key).json()["me"]
    assert me["allocations"] in expected
    assert sum(me["allocations"].values()) <= 5
    assert me["remaining"] == 5 - sum(me["allocations"].values())
    results = remote.call("GET", f"/workshops/{code}/results", facilitator).json()
    assert results["voters"] == 1
    assert {str(r["id"]): r["dots"] for r in results["proposals"] if r["dots"]} == me["allocations"]


def test_concurrent_retries_with_one_client_key_store_one_proposal(
    live_server: LiveServer,
) -> None:
    remote = Remote(live_server.url)
    created = remote.call("POST", "/workshops", ADMIN_KEY, {"title": "Samtidig"}).json()
    code, facilitator = created["code"], created["facilitator_key"]
    remote.call("POST", f"/workshops/{code}/step", facilitator, {"position": 1})
    key = remote.call("POST", f"/workshops/{code}/participants", None, {}).json()["key"]
    body = {"title": "Ett forslag, mange forsøk", "client_key": "tap-3f9a"}
    responses = run_together(
        [lambda: remote.call("POST", f"/workshops/{code}/proposals", key, body)] * 20
    )
    statuses = sorted(getattr(r, "status_code", r) for r in responses)
    assert statuses == [200] * 19 + [201]
    assert len({r.json()["id"] for r in responses}) == 1
    stored = remote.call("GET", f"/workshops/{code}", facilitator).json()["proposals"]
    assert [p["title"] for p in stored] == ["Ett forslag, mange forsøk"]


def set_status(proposal_id: int, status: str) -> None:
    """Moderate a proposal in the database (the API has no moderation endpoint yet)."""
    from workshop.extensions import db
    from workshop.models import Proposal

    with db.session() as session:
        session.get(Proposal, proposal_id).status = status
        session.commit()


@pytest.mark.parametrize("status", ["hidden", "merged", "pending"])
def test_a_proposal_taken_off_the_wall_gets_no_dots_and_leaves_phones(
    api: Api, voting: tuple, status: str
) -> None:
    ws, (a, b, _c) = voting
    key = api.join(ws.code)
    set_status(a, status)
    assert a not in [p["id"] for p in snapshot(api, ws, key)["proposals"]]
    staff = {p["id"]: p["status"] for p in snapshot(api, ws, ws.facilitator_key)["proposals"]}
    assert staff[a] == status
    assert_error(api.vote(ws.code, key, {a: 1, b: 1}), 422, "validation")
    assert my_allocation(api, ws, key) == ({}, 5)
    results = api.get(f"{ws.code}/results", ws.facilitator_key).get_json()
    assert a not in [r["id"] for r in results["proposals"]]


def test_naming_an_unvotable_proposal_is_refused_even_with_zero_dots(
    api: Api, voting: tuple
) -> None:
    ws, (a, b, _c) = voting
    key = api.join(ws.code)
    assert api.vote(ws.code, key, {a: 2}).status_code == 200
    hidden = api.client.patch(
        f"/api/v1/workshops/{ws.code}/proposals/{b}",
        json={"status": "hidden"},
        headers=api.auth(ws.facilitator_key),
    )
    assert hidden.status_code == 200
    for allocation in ({a: 1, b: 0}, {a: 1, 999999: 0}):
        assert_error(api.vote(ws.code, key, allocation), 422, "validation")
    assert my_allocation(api, ws, key) == ({str(a): 2}, 3)
