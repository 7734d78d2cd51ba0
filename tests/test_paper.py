"""Paper in the room: proposals typed in from sticky notes, and dots counted on paper."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.support.api import Api
from tests.support.moderation import Room, audit_actions, plan, room, rows
from workshop.models import PaperDots, Vote
from workshop.schemas import parse_body
from workshop.schemas.requests import PutPaperDots
from workshop.services import moderation, paper, votes
from workshop.services.errors import (
    Forbidden,
    NotFound,
    Unauthorized,
    ValidationFailed,
    WrongStep,
)
from workshop.services.events import RecordingPublisher

__all__ = ["plan", "room"]  # the fixtures, imported for the tests below


def put(client: FlaskClient, room: Room, body: Any, key: str | None = None) -> Any:
    return client.put(
        f"/api/v1/workshops/{room.code}/paper-dots",
        json=body,
        headers=Api.auth(room.facilitator if key is None else key),
    )


# --- proposals from sticky notes -----------------------------------------------------------------


def test_a_paper_note_is_marked_as_paper_and_has_no_author(api: Api, room: Room) -> None:
    response = api.propose(
        room.code,
        room.facilitator,
        "Fast planpolitisk temamøte",
        source="paper",
        category="planstrategi",
    )
    assert response.status_code == 201
    body = response.get_json()
    assert (body["source"], body["status"], body["category"]) == (
        "paper",
        "visible",
        "planstrategi",
    )
    typed = api.propose(room.code, room.facilitator, "Skrevet av fasilitator").get_json()
    assert typed["source"] == "facilitator"
    phone = room.join()
    from_phone = api.propose(room.code, phone, "Fra telefon", source="paper")
    assert room.proposal(from_phone.get_json()["id"])["source"] == "phone"


def test_paper_notes_are_visible_even_when_moderation_is_on(plan: str) -> None:
    moderated = Room(plan, moderation=True)
    moderated.go("collect")
    pid = moderated.add("Fra lapp", source="paper")
    assert moderated.proposal(pid)["status"] == "visible"


# --- paper dots ------------------------------------------------------------------------------


def test_paper_dots_are_stored_per_vote_step_and_replaced_whole(
    room: Room, recorder: RecordingPublisher
) -> None:
    a, b, c = room.add("A"), room.add("B"), room.add("C")
    room.go("vote")
    recorder.events.clear()
    recorder.tallies.clear()
    first = paper.set_paper_dots(room.code, room.facilitator, {str(a): 4, str(b): 2})
    assert first.as_dict() == {
        "step_position": room.position("vote"),
        "dots": {str(a): 4, str(b): 2},
        "total": 6,
    }
    step = room.step_id("vote")
    assert rows(PaperDots) == [(step, a, 4), (step, b, 2)]
    assert recorder.tallies == [room.code]
    [event] = recorder.events
    assert (event.type, event.audience, event.data) == (
        "paper_dots",
        "facilitator",
        first.as_dict(),
    )

    second = paper.set_paper_dots(room.code, room.facilitator, {str(c): 1, str(a): 0})
    assert second.dots == {str(c): 1}
    assert rows(PaperDots) == [(step, c, 1)]
    assert paper.get_paper_dots(room.code, room.facilitator).dots == {str(c): 1}
    assert audit_actions(room.code)[-1] == (
        "paper_dots",
        {"position": room.position("vote"), "dots": {str(c): 1}},
    )
    assert rows(Vote) == []  # paper is kept apart from the phones' votes


def test_paper_dots_do_not_touch_phone_votes_nor_budgets(room: Room) -> None:
    key = room.join()
    a = room.add("A")
    room.go("vote")
    votes.set_allocation(room.code, key, {str(a): 5})
    paper.set_paper_dots(room.code, room.facilitator, {str(a): 40})
    me = room.view(key)["me"]
    assert (me["allocations"], me["remaining"]) == ({str(a): 5}, 0)
    assert room.view()["voters"] == 1


def test_the_default_step_is_the_current_or_latest_vote_step(room: Room) -> None:
    a = room.add("A")
    # before any vote step is reached: the first vote step
    assert paper.set_paper_dots(room.code, room.facilitator, {str(a): 1}).step_position == (
        room.position("vote")
    )
    room.go("vote", 1)
    assert paper.set_paper_dots(room.code, room.facilitator, {str(a): 2}).step_position == (
        room.position("vote", 1)
    )
    room.go("rate")  # past the agree step, which is no dot vote: the latest dot vote counts
    assert paper.set_paper_dots(room.code, room.facilitator, {str(a): 2}).step_position == (
        room.position("vote", 1)
    )
    room.go("agree")  # an agree step takes no dots, not even from paper
    with pytest.raises(ValidationFailed):
        paper.set_paper_dots(
            room.code, room.facilitator, {str(a): 3}, step_position=room.position("agree")
        )
    named = paper.set_paper_dots(
        room.code, room.facilitator, {str(a): 3}, step_position=room.position("vote")
    )
    assert named.step_position == room.position("vote")
    assert sorted(d for _, _, d in rows(PaperDots)) == [2, 3]


def test_a_workshop_without_a_vote_step_takes_no_paper_dots(
    app: Any, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from workshop import session_plans

    folder = tmp_path / "novote"
    folder.mkdir()
    (folder / "novote.toml").write_text(
        'name = "novote"\ntitle = "Uten stemming"\n[[steps]]\nkind = "collect"\ntitle = "F"\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(session_plans, "PLANS_DIR", folder)
    monkeypatch.setitem(app.extensions, "planverksted.plans_dir", folder)
    room = Room("novote")
    pid = room.add("A")
    with pytest.raises(WrongStep):
        paper.set_paper_dots(room.code, room.facilitator, {str(pid): 1})


@pytest.mark.parametrize(
    "attempt",
    [
        "participant",
        "projector",
        "wrong_key",
        "unknown",
        "other_workshop",
        "hidden",
        "merged",
        "negative",
        "not_int",
        "bool",
        "float",
        "bad_key",
        "not_a_dict",
        "too_many",
        "step_info",
        "step_agree",
        "step_out_of_range",
        "step_not_int",
    ],
)
def test_refused_paper_dots_store_and_publish_nothing(
    room: Room, plan: str, recorder: RecordingPublisher, attempt: str
) -> None:
    from workshop.services import merging

    phone = room.join()
    a, hidden, survivor, merged = (room.add(t) for t in ("A", "Skjult", "Igjen", "Slått inn"))
    moderation.hide_proposal(room.code, room.facilitator, hidden)
    merging.merge_proposals(room.code, room.facilitator, survivor, [merged])
    other_pid = Room(plan).add("Fremmed")
    room.go("vote")
    paper.set_paper_dots(room.code, room.facilitator, {str(a): 2})
    before, paper_before = room.view(), rows(PaperDots)
    recorder.events.clear()
    recorder.tallies.clear()
    f = room.facilitator
    cases: dict[str, tuple[type[Exception], str, Any, Any]] = {
        "participant": (Forbidden, phone, {str(a): 1}, None),
        "projector": (Forbidden, room.projector, {str(a): 1}, None),
        "wrong_key": (Unauthorized, "feil", {str(a): 1}, None),
        "unknown": (NotFound, f, {"999999": 1}, None),
        "other_workshop": (NotFound, f, {str(other_pid): 1}, None),
        "hidden": (ValidationFailed, f, {str(hidden): 1}, None),
        "merged": (ValidationFailed, f, {str(merged): 1}, None),
        "negative": (ValidationFailed, f, {str(a): -1}, None),
        "not_int": (ValidationFailed, f, {str(a): "3"}, None),
        "bool": (ValidationFailed, f, {str(a): True}, None),
        "float": (ValidationFailed, f, {str(a): 1.5}, None),
        "bad_key": (ValidationFailed, f, {"A": 1}, None),
        "not_a_dict": (ValidationFailed, f, [a, 1], None),
        "too_many": (ValidationFailed, f, {str(a): 100_001}, None),
        "step_info": (ValidationFailed, f, {str(a): 1}, room.position("info")),
        "step_agree": (ValidationFailed, f, {str(a): 1}, room.position("agree")),
        "step_out_of_range": (ValidationFailed, f, {str(a): 1}, 99),
        "step_not_int": (ValidationFailed, f, {str(a): 1}, "3"),
    }
    error, key, dots, position = cases[attempt]
    with pytest.raises(error):  # as PUT …/paper-dots does: the model first, then the service
        body = parse_body(PutPaperDots, {"dots": dots, "step_position": position})
        paper.set_paper_dots(room.code, key, body.dots, step_position=body.step_position)
    assert room.view() == before
    assert rows(PaperDots) == paper_before
    assert recorder.events == [] and recorder.tallies == []


def test_zero_for_a_hidden_proposal_is_allowed(room: Room) -> None:
    a, hidden = room.add("A"), room.add("Skjult")
    moderation.hide_proposal(room.code, room.facilitator, hidden)
    stored = paper.set_paper_dots(room.code, room.facilitator, {str(a): 1, str(hidden): 0})
    assert stored.dots == {str(a): 1}


# --- the JSON API -----------------------------------------------------------------------------


def test_put_and_get_paper_dots(client: FlaskClient, room: Room) -> None:
    a, b = room.add("A"), room.add("B")
    room.go("vote")
    response = put(client, room, {"dots": {str(a): 7, str(b): 0}})
    assert response.status_code == 200, response.get_json()
    assert response.get_json() == {
        "step_position": room.position("vote"),
        "dots": {str(a): 7},
        "total": 7,
    }
    later = room.position("vote", 1)
    assert put(client, room, {"step_position": later, "dots": {str(b): 1}}).status_code == 200
    url = f"/api/v1/workshops/{room.code}/paper-dots"
    got = client.get(url, headers=Api.auth(room.facilitator)).get_json()
    assert got["dots"] == {str(a): 7}
    got_later = client.get(
        f"{url}?step_position={later}", headers=Api.auth(room.facilitator)
    ).get_json()
    assert got_later == {"step_position": later, "dots": {str(b): 1}, "total": 1}
    bad = client.get(f"{url}?step_position=x", headers=Api.auth(room.facilitator))
    assert bad.status_code == 422


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({}, 422, "validation"),
        ({"dots": {"1": -2}}, 422, "validation"),
        ({"dots": {"999999": 2}}, 404, "not_found"),
        ({"dots": {}, "step_position": 0}, 422, "validation"),
        ({"dots": {}, "step_position": "1"}, 422, "validation"),
        ("dots", 422, "validation"),
    ],
)
def test_put_paper_dots_refuses_bad_input(
    client: FlaskClient, room: Room, body: Any, status: int, code: str
) -> None:
    room.add("A")
    before = room.view()
    response = put(client, room, body)
    assert response.status_code == status, response.get_json()
    assert response.get_json()["error"]["code"] == code
    assert room.view() == before


def test_put_paper_dots_refuses_more_than_the_paper_limit(client: FlaskClient, room: Room) -> None:
    a = room.add("A")
    room.go("vote")
    before = room.view()
    response = put(client, room, {"dots": {str(a): 100_001}})
    assert response.status_code == 422
    assert response.get_json()["error"]["message"] == "Høyst 100000 prikker på papir per forslag."
    assert put(client, room, {"dots": {str(a): 100_000}}).status_code == 200
    assert room.view()["version"] > before["version"]


def test_put_paper_dots_needs_the_facilitator(client: FlaskClient, room: Room) -> None:
    phone = room.join()
    a = room.add("A")
    body = {"dots": {str(a): 1}}
    assert put(client, room, body, phone).status_code == 403
    assert put(client, room, body, room.projector).status_code == 403
    assert put(client, room, body, "").status_code == 401
    url = f"/api/v1/workshops/{room.code}/paper-dots"
    assert client.get(url, headers=Api.auth(phone)).status_code == 403
    assert rows(PaperDots) == []


# --- paper dots count in tallies and results (read by workshop.analytics) --------------------


def test_paper_dots_count_in_results_and_tallies_but_not_as_voters(
    client: FlaskClient, room: Room
) -> None:
    from workshop.analytics import tally_for
    from workshop.services import merging

    key = room.join("Folkevalgt")
    a, b, c = room.add("A"), room.add("B"), room.add("C")
    room.go("vote")
    votes.set_allocation(room.code, key, {str(a): 2})
    paper.set_paper_dots(room.code, room.facilitator, {str(a): 4, str(b): 3})

    def results() -> dict[str, Any]:
        response = client.get(
            f"/api/v1/workshops/{room.code}/results", headers=Api.auth(room.facilitator)
        )
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    shown = results()
    by_id = {p["id"]: p for p in shown["proposals"]}
    assert shown["voters"] == 1
    assert (by_id[a]["dots"], by_id[a]["voters"]) == (6, 1)
    assert (by_id[b]["dots"], by_id[b]["voters"]) == (3, 0)
    assert [p["id"] for p in shown["proposals"]][:2] == [a, b]
    assert {p["id"]: p["dots"] for p in tally_for(room.code)["proposals"]}.get(b) == 3

    merging.merge_proposals(room.code, room.facilitator, c, [a, b])
    merged = results()
    by_id = {p["id"]: p for p in merged["proposals"]}
    assert set(by_id) == {c}
    assert (by_id[c]["dots"], by_id[c]["voters"], merged["voters"]) == (9, 1, 1)
