"""The agenda: adding, editing, moving, reordering and removing steps, before and during."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests.support.api import Api, Workshop, snapshot
from tests.support.config import plans_folder, settings_with_plans
from tests.support.errors import assert_error
from tests.support.events import of_type
from workshop.config import Settings
from workshop.extensions import db
from workshop.models import AuditEntry, Participant, Rating, Step, Vote
from workshop.models import Workshop as WorkshopRow
from workshop.schemas import parse_data
from workshop.schemas.requests import AddStep, EditStep
from workshop.services import agenda
from workshop.services.errors import Conflict, Forbidden, NotFound, ValidationFailed
from workshop.services.events import RecordingPublisher
from workshop.services.key_hashes import hash_key

AGENDA_PLAN = """
title = "Agenda"
roles = ["Folkevalgt", "Administrasjon"]
categories = ["arealdel"]

[[steps]]
kind = "info"
title = "Velkommen"

[[steps]]
kind = "collect"
title = "Forslag"
prompt = "Hva kan gjøres enklere?"

[[steps]]
kind = "vote"
title = "Prikker"
votes_per_participant = 5

[[steps]]
kind = "rate"
title = "Vurder"

[[steps]]
kind = "results"
title = "Resultater"
"""
KINDS = ["info", "collect", "vote", "rate", "results"]


@pytest.fixture
def settings(tmp_path: Path) -> Iterator[Settings]:
    """A plans folder of our own (Settings.plans_dir) holding a small plan called «agenda»."""
    plans = plans_folder(tmp_path / "plans", agenda=AGENDA_PLAN)
    with settings_with_plans(tmp_path, plans) as configured:
        yield configured


@pytest.fixture
def ws(api: Api) -> Workshop:
    return api.create(plan="agenda")


def auth(key: str | None) -> dict[str, str]:
    return Api.auth(key)


def steps_of(client: FlaskClient, ws: Workshop) -> dict[str, Any]:
    response = client.get(f"/api/v1/workshops/{ws.code}/steps", headers=auth(ws.facilitator_key))
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def kinds(agenda_: dict[str, Any]) -> list[str]:
    return [s["kind"] for s in agenda_["steps"]]


def assert_contiguous(agenda_: dict[str, Any]) -> None:
    assert [s["position"] for s in agenda_["steps"]] == list(range(len(agenda_["steps"])))


def add(client: FlaskClient, ws: Workshop, **body: Any) -> Any:
    return client.post(
        f"/api/v1/workshops/{ws.code}/steps", json=body, headers=auth(ws.facilitator_key)
    )


def edit(client: FlaskClient, ws: Workshop, step_id: int, **body: Any) -> Any:
    return client.patch(
        f"/api/v1/workshops/{ws.code}/steps/{step_id}", json=body, headers=auth(ws.facilitator_key)
    )


def remove(client: FlaskClient, ws: Workshop, step_id: int, query: str = "", **body: Any) -> Any:
    return client.delete(
        f"/api/v1/workshops/{ws.code}/steps/{step_id}{query}",
        json=body if body else None,
        headers=auth(ws.facilitator_key),
    )


def reorder(client: FlaskClient, ws: Workshop, step_ids: Any) -> Any:
    return client.put(
        f"/api/v1/workshops/{ws.code}/steps/order",
        json={"step_ids": step_ids},
        headers=auth(ws.facilitator_key),
    )


def id_of(agenda_: dict[str, Any], kind: str) -> int:
    return next(s["id"] for s in agenda_["steps"] if s["kind"] == kind)


def audit_actions(code: str) -> list[tuple[str, str, dict[str, Any]]]:
    with db.session() as session:
        workshop_id = session.scalar(select(WorkshopRow.id).where(WorkshopRow.code == code))
        rows = session.scalars(
            select(AuditEntry).where(AuditEntry.workshop_id == workshop_id).order_by(AuditEntry.id)
        )
        return [(row.actor, row.action, dict(row.detail)) for row in rows]


def count_rows(model: Any, step_id: int) -> int:
    with db.session() as session:
        return (
            session.scalar(select(func.count()).select_from(model).where(model.step_id == step_id))
            or 0
        )


# --- adding ---------------------------------------------------------------------------------


def test_a_step_is_added_at_the_end_by_default(client: FlaskClient, ws: Workshop) -> None:
    response = add(client, ws, kind="review", title="Sorter", prompt="Vi slår sammen like.")
    assert response.status_code == 201
    data = response.get_json()
    assert data["step"]["kind"] == "review"
    assert data["step"]["title"] == "Sorter"
    assert data["step"]["prompt"] == "Vi slår sammen like."
    assert data["step"]["position"] == 5
    assert kinds(data) == [*KINDS, "review"]
    assert_contiguous(data)
    assert kinds(steps_of(client, ws)) == [*KINDS, "review"]


def test_a_step_is_inserted_at_a_position_with_its_settings(
    client: FlaskClient, ws: Workshop
) -> None:
    response = add(
        client,
        ws,
        kind="vote",
        title="Enig?",
        position=2,
        config={"mode": "agree"},
        timer_seconds=90,
        auto_advance=True,
    )
    assert response.status_code == 201
    data = response.get_json()
    # The old form (a vote step in agree mode) is stored as a step of kind agree.
    assert kinds(data) == ["info", "collect", "agree", "vote", "rate", "results"]
    assert_contiguous(data)
    step = data["steps"][2]
    assert (step["title"], step["mode"]) == ("Enig?", "agree")
    assert "votes_per_participant" not in step
    assert step["timer"]["seconds"] == 90 and step["timer"]["auto_advance"] is True
    assert step["timer"]["running"] is False
    assert data["steps"][3]["title"] == "Prikker"


def test_a_rate_step_can_bring_its_own_criteria(client: FlaskClient, ws: Workshop) -> None:
    criteria = [
        {"key": "nytte", "label": "Nytte", "low": "lite", "high": "mye"},
        {"key": "kostnad", "label": "Kostnad"},
    ]
    data = add(
        client, ws, kind="rate", title="Nytte og kostnad", config={"criteria": criteria}
    ).get_json()
    assert data["step"]["criteria"] == [
        {"key": "nytte", "label": "Nytte", "low": "lite", "high": "mye"},
        {"key": "kostnad", "label": "Kostnad", "low": "", "high": ""},
    ]


def test_adding_before_the_current_step_keeps_the_room_on_it(
    api: Api, client: FlaskClient, ws: Workshop, recorder: RecordingPublisher
) -> None:
    api.go_to(ws, "collect")
    collect_id = snapshot(api, ws)["step"]["id"]
    recorder.events.clear()
    data = add(client, ws, kind="info", title="Praktisk", position=0).get_json()
    assert data["current"]["id"] == collect_id
    assert data["current"]["position"] == 2
    phone = api.join(ws.code)
    view = snapshot(api, ws, phone)
    assert (view["step"]["id"], view["step"]["position"], view["step_count"]) == (collect_id, 2, 6)
    agenda_events = of_type(recorder.events, "agenda_changed")
    assert len(agenda_events) == 1 and agenda_events[0].audience == "staff"
    assert kinds(agenda_events[0].data) == ["info", *KINDS]
    assert agenda_events[0].data["current"]["id"] == collect_id
    moved = of_type(recorder.events, "step_changed")
    assert len(moved) == 1 and moved[0].audience == "everyone"
    assert moved[0].data["step"]["position"] == 2
    assert moved[0].version > agenda_events[0].version  # phones never drop it as old


def test_adding_after_the_current_step_tells_only_staff(
    client: FlaskClient, ws: Workshop, recorder: RecordingPublisher
) -> None:
    add(client, ws, kind="review", title="Sorter")
    assert len(of_type(recorder.events, "agenda_changed")) == 1
    assert of_type(recorder.events, "step_changed") == []


@pytest.mark.parametrize(
    "body",
    [
        {"kind": "quiz", "title": "X"},
        {"title": "Uten type"},
        {"kind": "info"},
        {"kind": "info", "title": "   "},
        {"kind": "info", "title": "x" * 201},
        {"kind": "info", "title": "X", "prompt": 5},
        {"kind": "info", "title": "X", "position": 6},
        {"kind": "info", "title": "X", "position": -1},
        {"kind": "info", "title": "X", "position": True},
        {"kind": "info", "title": "X", "position": "1"},
        {"kind": "info", "title": "X", "config": "mode=agree"},
        {"kind": "info", "title": "X", "config": {"mode": "agree"}},
        {"kind": "vote", "title": "X", "config": {"mode": "rank"}},
        {"kind": "vote", "title": "X", "config": {"votes_per_participant": 0}},
        {"kind": "vote", "title": "X", "config": {"votes_per_participant": True}},
        {"kind": "vote", "title": "X", "config": {"max_votes_per_proposal": -1}},
        {"kind": "vote", "title": "X", "config": {"colour": "blå"}},
        {"kind": "rate", "title": "X", "config": {"criteria": []}},
        {"kind": "rate", "title": "X", "config": {"criteria": [{"label": "Uten nøkkel"}]}},
        {"kind": "rate", "title": "X", "config": {"criteria": [{"key": "A", "label": "Stor"}]}},
        {
            "kind": "rate",
            "title": "X",
            "config": {"criteria": [{"key": "a", "label": "A"}, {"key": "a", "label": "B"}]},
        },
        {"kind": "results", "title": "X", "config": {"breakdown": "alder"}},
        {"kind": "info", "title": "X", "timer_seconds": 0},
        {"kind": "info", "title": "X", "timer_seconds": "60"},
        {"kind": "info", "title": "X", "timer_seconds": 10**6},
        {"kind": "info", "title": "X", "auto_advance": "ja"},
    ],
)
def test_invalid_new_steps_are_refused(
    api: Api, client: FlaskClient, ws: Workshop, body: dict[str, Any]
) -> None:
    before = snapshot(api, ws)
    assert_error(add(client, ws, **body), 422, "validation")
    after = snapshot(api, ws)
    assert after["version"] == before["version"]
    assert kinds(after) == KINDS


def test_a_body_that_is_not_an_object_is_refused(client: FlaskClient, ws: Workshop) -> None:
    response = client.post(
        f"/api/v1/workshops/{ws.code}/steps", data="kind=info", headers=auth(ws.facilitator_key)
    )
    assert_error(response, 422, "validation")


def test_only_the_facilitator_changes_the_agenda(
    api: Api, client: FlaskClient, ws: Workshop
) -> None:
    phone = api.join(ws.code)
    step_id = id_of(steps_of(client, ws), "rate")
    calls = [
        lambda key: client.post(
            f"/api/v1/workshops/{ws.code}/steps",
            json={"kind": "info", "title": "X"},
            headers=auth(key),
        ),
        lambda key: client.patch(
            f"/api/v1/workshops/{ws.code}/steps/{step_id}", json={"title": "X"}, headers=auth(key)
        ),
        lambda key: client.delete(
            f"/api/v1/workshops/{ws.code}/steps/{step_id}", headers=auth(key)
        ),
        lambda key: client.put(
            f"/api/v1/workshops/{ws.code}/steps/order",
            json={"step_ids": [step_id]},
            headers=auth(key),
        ),
    ]
    for call in calls:
        for key in (phone, ws.projector_key):
            assert_error(call(key), 403, "forbidden")
        for key in (None, "not-a-key"):
            assert_error(call(key), 401, "unauthorized")
    assert kinds(steps_of(client, ws)) == KINDS
    other = api.create(plan="agenda")
    assert_error(
        client.post(
            f"/api/v1/workshops/{ws.code}/steps",
            json={"kind": "info", "title": "X"},
            headers=auth(other.facilitator_key),
        ),
        401,
        "unauthorized",
    )
    assert_error(
        client.post(
            "/api/v1/workshops/ZZZZZZ/steps",
            json={"kind": "info", "title": "X"},
            headers=auth(ws.facilitator_key),
        ),
        404,
        "not_found",
    )


def test_staff_may_read_the_agenda_phones_may_not(
    api: Api, client: FlaskClient, ws: Workshop
) -> None:
    projector = client.get(f"/api/v1/workshops/{ws.code}/steps", headers=auth(ws.projector_key))
    assert projector.status_code == 200 and kinds(projector.get_json()) == KINDS
    phone = client.get(f"/api/v1/workshops/{ws.code}/steps", headers=auth(api.join(ws.code)))
    assert_error(phone, 403, "forbidden")


# --- editing and moving ---------------------------------------------------------------------


def test_a_step_is_edited(client: FlaskClient, ws: Workshop) -> None:
    vote_id = id_of(steps_of(client, ws), "vote")
    response = edit(
        client,
        ws,
        vote_id,
        title="Tre prikker",
        prompt="Velg det viktigste.",
        config={"votes_per_participant": 3, "max_votes_per_proposal": 1},
        timer_seconds=120,
    )
    assert response.status_code == 200
    step = response.get_json()["step"]
    assert (step["title"], step["prompt"]) == ("Tre prikker", "Velg det viktigste.")
    assert (step["votes_per_participant"], step["max_votes_per_proposal"]) == (3, 1)
    assert step["timer"]["seconds"] == 120
    # null removes a setting: the workshop's default budget (5) counts again
    step = edit(client, ws, vote_id, config={"votes_per_participant": None}).get_json()["step"]
    assert step["votes_per_participant"] == 5
    assert step["max_votes_per_proposal"] == 1


def test_editing_the_current_step_tells_the_phones(
    api: Api, client: FlaskClient, ws: Workshop, recorder: RecordingPublisher
) -> None:
    api.go_to(ws, "collect")
    agenda_ = steps_of(client, ws)
    recorder.events.clear()
    edit(client, ws, id_of(agenda_, "collect"), prompt="Hva tar mest tid?")
    moved = of_type(recorder.events, "step_changed")
    assert [e.data["step"]["prompt"] for e in moved] == ["Hva tar mest tid?"]
    recorder.events.clear()
    edit(client, ws, id_of(agenda_, "rate"), title="Gevinst og innsats")
    assert of_type(recorder.events, "step_changed") == []
    assert len(of_type(recorder.events, "agenda_changed")) == 1


def test_a_step_is_moved_with_its_position(api: Api, client: FlaskClient, ws: Workshop) -> None:
    api.go_to(ws, "collect")
    agenda_ = steps_of(client, ws)
    data = edit(client, ws, id_of(agenda_, "rate"), position=0).get_json()
    assert kinds(data) == ["rate", "info", "collect", "vote", "results"]
    assert_contiguous(data)
    assert data["current"]["kind"] == "collect" and data["current"]["position"] == 2
    data = edit(client, ws, id_of(agenda_, "collect"), position=4).get_json()
    assert kinds(data) == ["rate", "info", "vote", "results", "collect"]
    assert data["current"]["kind"] == "collect" and data["current"]["position"] == 4
    assert snapshot(api, ws)["step"]["kind"] == "collect"


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"colour": "blå"},
        {"title": ""},
        {"kind": "quiz"},
        {"position": 5},
        {"position": None},
        {"config": {"mode": "agree"}},
        {"timer_seconds": -5},
        {"auto_advance": 1},
    ],
)
def test_invalid_edits_are_refused(
    api: Api, client: FlaskClient, ws: Workshop, body: dict[str, Any]
) -> None:
    before = snapshot(api, ws)
    assert_error(edit(client, ws, id_of(before, "collect"), **body), 422, "validation")
    assert snapshot(api, ws)["version"] == before["version"]


def test_a_step_of_another_workshop_is_not_found(
    api: Api, client: FlaskClient, ws: Workshop
) -> None:
    other = api.create(plan="agenda")
    foreign = id_of(steps_of(client, other), "info")
    assert_error(edit(client, ws, foreign, title="X"), 404, "not_found")
    assert_error(remove(client, ws, foreign), 404, "not_found")
    assert_error(edit(client, ws, 999999, title="X"), 404, "not_found")
    assert steps_of(client, other)["steps"][0]["title"] == "Velkommen"


def test_a_new_kind_drops_the_settings_of_the_old_one(client: FlaskClient, ws: Workshop) -> None:
    vote_id = id_of(steps_of(client, ws), "vote")
    step = edit(client, ws, vote_id, kind="rate", title="Vurder i stedet").get_json()["step"]
    assert step["kind"] == "rate" and "votes_per_participant" not in step
    with db.session() as session:
        assert session.get(Step, vote_id).config == {}


# --- reordering -----------------------------------------------------------------------------


def test_steps_are_reordered_and_the_room_stays_on_its_step(
    api: Api, client: FlaskClient, ws: Workshop, recorder: RecordingPublisher
) -> None:
    api.go_to(ws, "vote")
    ids = [s["id"] for s in steps_of(client, ws)["steps"]]
    recorder.events.clear()
    response = reorder(client, ws, list(reversed(ids)))
    assert response.status_code == 200
    data = response.get_json()
    assert kinds(data) == list(reversed(KINDS))
    assert_contiguous(data)
    assert data["current"]["kind"] == "vote" and data["current"]["position"] == 2
    assert kinds(steps_of(client, ws)) == list(reversed(KINDS))
    assert of_type(recorder.events, "step_changed") == []  # still the same step at position 2
    ids = [s["id"] for s in data["steps"]]
    data = reorder(client, ws, ids[2:] + ids[:2]).get_json()
    assert data["current"]["kind"] == "vote" and data["current"]["position"] == 0
    assert [e.data["step"]["position"] for e in of_type(recorder.events, "step_changed")] == [0]
    phone = api.join(ws.code)
    assert snapshot(api, ws, phone)["step"]["kind"] == "vote"


def test_the_same_order_again_changes_nothing(api: Api, client: FlaskClient, ws: Workshop) -> None:
    ids = [s["id"] for s in steps_of(client, ws)["steps"]]
    version = snapshot(api, ws)["version"]
    assert reorder(client, ws, ids).status_code == 200
    assert snapshot(api, ws)["version"] == version


@pytest.mark.parametrize(
    "shape",
    ["missing", "duplicate", "extra", "foreign", "empty", "strings", "bools", "not_a_list"],
)
def test_an_order_must_name_every_step_once(
    api: Api, client: FlaskClient, ws: Workshop, shape: str
) -> None:
    ids = [s["id"] for s in steps_of(client, ws)["steps"]]
    other = steps_of(client, api.create(plan="agenda"))["steps"][0]["id"]
    step_ids: Any = {
        "missing": ids[1:],
        "duplicate": [ids[0], *ids[:-1]],
        "extra": [*ids, 999999],
        "foreign": [*ids[:-1], other],
        "empty": [],
        "strings": [str(i) for i in ids],
        "bools": [True] * len(ids),
        "not_a_list": ",".join(map(str, ids)),
    }[shape]
    version = snapshot(api, ws)["version"]
    assert_error(reorder(client, ws, step_ids), 422, "validation")
    assert snapshot(api, ws)["version"] == version


# --- removing -------------------------------------------------------------------------------


def test_removing_a_step_before_the_current_one_keeps_the_room_on_it(
    api: Api, client: FlaskClient, ws: Workshop
) -> None:
    api.go_to(ws, "vote")
    data = remove(client, ws, id_of(steps_of(client, ws), "info")).get_json()
    assert kinds(data) == ["collect", "vote", "rate", "results"]
    assert_contiguous(data)
    assert (data["current"]["kind"], data["current"]["position"]) == ("vote", 1)
    assert snapshot(api, ws)["step"]["kind"] == "vote"


def test_removing_the_current_step_moves_the_room_to_the_next_one(
    api: Api, client: FlaskClient, ws: Workshop, recorder: RecordingPublisher
) -> None:
    api.go_to(ws, "collect")
    recorder.events.clear()
    data = remove(client, ws, id_of(steps_of(client, ws), "collect")).get_json()
    assert (data["current"]["kind"], data["current"]["position"]) == ("vote", 1)
    moved = of_type(recorder.events, "step_changed")
    assert [e.data["step"]["kind"] for e in moved] == ["vote"]
    assert moved[0].audience == "everyone"
    assert recorder.tallies == [ws.code]  # a vote step opened: screens get its tally
    phone = api.join(ws.code)
    assert snapshot(api, ws, phone)["step"]["kind"] == "vote"


def test_removing_the_current_last_step_moves_the_room_back(
    api: Api, client: FlaskClient, ws: Workshop
) -> None:
    api.go_to(ws, "results")
    data = remove(client, ws, id_of(steps_of(client, ws), "results")).get_json()
    assert (data["current"]["kind"], data["current"]["position"]) == ("rate", 3)


def test_landing_on_results_by_removal_reveals_them_like_a_step_change(
    api: Api, client: FlaskClient, ws: Workshop
) -> None:
    api.go_to(ws, "rate")
    phone = api.join(ws.code)
    assert api.get(f"{ws.code}/results", phone).status_code == 403
    data = remove(client, ws, id_of(steps_of(client, ws), "rate")).get_json()
    assert data["current"]["kind"] == "results"
    assert snapshot(api, ws, phone)["revealed"] is True
    assert api.get(f"{ws.code}/results", phone).status_code == 200


def test_the_last_remaining_step_cannot_be_removed(client: FlaskClient, ws: Workshop) -> None:
    for step in steps_of(client, ws)["steps"][1:]:
        assert remove(client, ws, step["id"]).status_code == 200
    only = steps_of(client, ws)["steps"]
    assert len(only) == 1
    assert_error(remove(client, ws, only[0]["id"]), 422, "validation")


def test_a_step_with_dots_is_removed_only_with_force(
    api: Api, client: FlaskClient, ws: Workshop
) -> None:
    proposal = api.propose(ws.code, ws.facilitator_key, "Felles planressurs").get_json()["id"]
    api.go_to(ws, "vote")
    assert api.vote(ws.code, api.join(ws.code), {proposal: 3}).status_code == 200
    vote_id = id_of(steps_of(client, ws), "vote")
    response = remove(client, ws, vote_id)
    assert_error(response, 409, "conflict")
    assert "force" in response.get_json()["error"]["message"]
    assert count_rows(Vote, vote_id) == 1
    assert kinds(steps_of(client, ws)) == KINDS
    assert_error(remove(client, ws, vote_id, force="ja"), 422, "validation")
    assert remove(client, ws, vote_id, force=True).status_code == 200
    assert count_rows(Vote, vote_id) == 0
    assert kinds(steps_of(client, ws)) == ["info", "collect", "rate", "results"]
    removed = [a for a in audit_actions(ws.code) if a[1] == "step_removed"]
    assert removed == [
        (
            "facilitator",
            "step_removed",
            {"inputs": 1, "position": 2, "kind": "vote", "title": "Prikker"},
        )
    ]


def test_force_may_also_be_given_in_the_query(api: Api, client: FlaskClient, ws: Workshop) -> None:
    proposal = api.propose(ws.code, ws.facilitator_key, "Felles planressurs").get_json()["id"]
    api.go_to(ws, "vote")
    api.vote(ws.code, api.join(ws.code), {proposal: 1})
    vote_id = id_of(steps_of(client, ws), "vote")
    assert remove(client, ws, vote_id, query="?force=false").status_code == 409
    assert remove(client, ws, vote_id, query="?force=true").status_code == 200


# --- input from the room is never contradicted ------------------------------------------------


@pytest.fixture
def voted(api: Api, client: FlaskClient, ws: Workshop) -> tuple[Workshop, int]:
    """A vote step where one phone put 3 dots on one proposal."""
    proposal = api.propose(ws.code, ws.facilitator_key, "Felles planressurs").get_json()["id"]
    api.go_to(ws, "vote")
    assert api.vote(ws.code, api.join(ws.code), {proposal: 3}).status_code == 200
    return ws, id_of(steps_of(client, ws), "vote")


@pytest.mark.parametrize(
    "body",
    [
        {"kind": "rate"},
        {"config": {"mode": "agree"}},
        {"config": {"votes_per_participant": 2}},
        {"config": {"max_votes_per_proposal": 2}},
    ],
)
def test_changes_that_contradict_dots_already_given_are_refused(
    api: Api, client: FlaskClient, voted: tuple[Workshop, int], body: dict[str, Any]
) -> None:
    ws, vote_id = voted
    before = snapshot(api, ws)
    assert_error(edit(client, ws, vote_id, **body), 409, "conflict")
    assert snapshot(api, ws)["version"] == before["version"]
    assert snapshot(api, ws)["step"] == {**before["step"], "timer": None}


def test_changes_that_keep_the_dots_given_are_allowed(
    client: FlaskClient, voted: tuple[Workshop, int]
) -> None:
    ws, vote_id = voted
    step = edit(
        client,
        ws,
        vote_id,
        title="Prikker (rettet)",
        config={"votes_per_participant": 3, "max_votes_per_proposal": 3, "mode": "dots"},
    ).get_json()["step"]
    assert (step["title"], step["votes_per_participant"]) == ("Prikker (rettet)", 3)


def test_a_rated_criterion_cannot_be_dropped(api: Api, client: FlaskClient, ws: Workshop) -> None:
    proposal = api.propose(ws.code, ws.facilitator_key, "Felles planressurs").get_json()["id"]
    phone = api.join(ws.code)
    rate_id = id_of(steps_of(client, ws), "rate")
    with db.session() as session:
        participant_id = session.scalar(
            select(Participant.id).where(Participant.key_hash == hash_key(phone))
        )
        workshop_id = session.scalar(select(WorkshopRow.id).where(WorkshopRow.code == ws.code))
        session.add(
            Rating(
                workshop_id=workshop_id,
                step_id=rate_id,
                participant_id=participant_id,
                proposal_id=proposal,
                criterion="gevinst",
                score=4,
            )
        )
        session.commit()
    only_effort = [{"key": "innsats", "label": "Innsats"}]
    assert_error(edit(client, ws, rate_id, config={"criteria": only_effort}), 409, "conflict")
    kept = [{"key": "gevinst", "label": "Nytte"}, {"key": "risiko", "label": "Risiko"}]
    step = edit(client, ws, rate_id, config={"criteria": kept}).get_json()["step"]
    assert [c["key"] for c in step["criteria"]] == ["gevinst", "risiko"]
    assert_error(remove(client, ws, rate_id), 409, "conflict")
    assert count_rows(Rating, rate_id) == 1


# --- the service layer directly -----------------------------------------------------------------


def test_services_refuse_like_the_api(api: Api, ws: Workshop) -> None:
    phone = api.join(ws.code)
    with pytest.raises(Forbidden):
        agenda.add_step(ws.code, phone, AddStep(kind="info", title="X"))
    with pytest.raises(ValidationFailed):
        agenda.add_step(ws.code, ws.facilitator_key, AddStep(kind="info", title="X", position=99))
    with pytest.raises(NotFound):
        agenda.remove_step(ws.code, ws.facilitator_key, 424242)
    with pytest.raises(ValidationFailed):
        agenda.edit_step(
            ws.code, ws.facilitator_key, 1, parse_data(EditStep, {"prompt": "x" * 2001})
        )
    assert issubclass(Conflict, Exception) and Conflict.status == 409


def test_every_agenda_change_is_audited(api: Api, client: FlaskClient, ws: Workshop) -> None:
    data = add(client, ws, kind="review", title="Sorter").get_json()
    review_id = data["step"]["id"]
    edit(client, ws, review_id, title="Sorter og avklar")
    ids = [s["id"] for s in steps_of(client, ws)["steps"]]
    reorder(client, ws, [ids[-1], *ids[:-1]])
    remove(client, ws, review_id)
    actions = [a[1] for a in audit_actions(ws.code)]
    assert actions[-4:] == ["step_added", "step_edited", "steps_reordered", "step_removed"]
