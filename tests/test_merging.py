"""Merging duplicates: votes, paper dots, ratings, stances and authorship follow the survivor;
the merge is undone exactly, in order, and only once. Services, API and sockets."""

from __future__ import annotations

from typing import Any

import pytest
import requests
from flask.testing import FlaskClient
from sqlalchemy import delete, select

from tests.support.api import Api
from tests.support.errors import assert_error
from tests.support.moderation import (
    Room,
    all_rows,
    audit_actions,
    insert,
    plan,
    room,
    rows,
    stored_proposal,
)
from tests.support.realtime import Hall, events_of, proposals_received, versioned_proposals
from workshop.extensions import db
from workshop.models import Merge, PaperDots, Rating, Stance, Step, Vote
from workshop.services import merging, moderation, paper, votes
from workshop.services.errors import Forbidden, NotFound, Unauthorized, ValidationFailed
from workshop.services.events import RecordingPublisher
from workshop.services.merging import MergeConflict, merge_proposals, undo_merge

__all__ = ["plan", "room"]  # the fixtures, imported for the tests below


def merge(room: Room, survivor: int, merged: list[int]) -> int:
    return merge_proposals(room.code, room.facilitator, survivor, merged).merge_id


def undo(room: Room, merge_id: int) -> dict[str, Any]:
    return undo_merge(room.code, room.facilitator, merge_id)


def saved_merge(merge_id: int) -> Merge:
    with db.session(read_only=True) as session:
        found = session.get(Merge, merge_id)
        assert found is not None
        return found


def allocation(room: Room, key: str) -> tuple[dict[str, int], int]:
    me = room.view(key)["me"]
    return me["allocations"], me["remaining"]


class Voting:
    """Three proposals and three phones with dots in the first vote step."""

    def __init__(self, room: Room) -> None:
        self.room = room
        self.phones = [room.join("Folkevalgt"), room.join("Administrasjon"), room.join()]
        self.a = room.add("Slå sammen handlingsdel og økonomiplan", self.phones[0])
        self.b = room.add("Handlingsdelen og økonomiplanen bør slås sammen", self.phones[1])
        self.c = room.add("Ett dokument for handlingsdel og budsjett", self.phones[2])
        self.d = room.add("Noe helt annet")
        room.go("vote")
        allocations = [
            {self.a: 2, self.b: 3},
            {self.b: 1, self.c: 2, self.d: 2},
            {self.a: 1, self.d: 1},
        ]
        for key, wanted in zip(self.phones, allocations, strict=True):
            votes.set_allocation(room.code, key, {str(k): v for k, v in wanted.items()})


@pytest.fixture
def voting(room: Room) -> Voting:
    return Voting(room)


# --- what follows the survivor -----------------------------------------------------------------


def test_merged_proposals_point_to_the_survivor(room: Room) -> None:
    a, b, c = room.add("A-forslaget"), room.add("B-forslaget"), room.add("C-forslaget")
    merged = merge_proposals(room.code, room.facilitator, a, [b, c])
    assert merged.merged_ids == [b, c]
    assert merged.survivor["id"] == a and merged.survivor["status"] == "visible"
    for pid in (b, c):
        assert (stored_proposal(pid).status, stored_proposal(pid).merged_into_id) == ("merged", a)
    assert stored_proposal(a).status == "visible" and stored_proposal(a).merged_into_id is None
    phone_view = room.view(room.join())
    assert [p["id"] for p in phone_view["proposals"]] == [a]
    staff = {p["id"]: p for p in room.view()["proposals"]}
    assert (staff[b]["status"], staff[b]["merged_into_id"]) == ("merged", a)
    assert audit_actions(room.code)[-1] == (
        "merge",
        {"merge_id": merged.merge_id, "survivor_id": a, "merged_ids": [b, c]},
    )


def test_dots_add_up_on_the_survivor_and_totals_never_change(voting: Voting) -> None:
    room = voting.room
    before = [allocation(room, key) for key in voting.phones]
    merge(room, voting.a, [voting.b, voting.c])
    after = [allocation(room, key) for key in voting.phones]
    assert after[0] == ({str(voting.a): 5}, 0)
    assert after[1] == ({str(voting.a): 3, str(voting.d): 2}, 0)
    assert after[2] == ({str(voting.a): 1, str(voting.d): 1}, 3)
    for (was, left_before), (now, left_after) in zip(before, after, strict=True):
        assert sum(was.values()) == sum(now.values()) and left_before == left_after
    step = room.step_id("vote")
    assert [r for r in rows(Vote) if r[2] in (voting.b, voting.c)] == []
    assert sum(r[3] for r in rows(Vote) if r[0] == step) == 12  # no dot lost or made


def test_a_participant_can_vote_again_after_a_merge_within_the_budget(voting: Voting) -> None:
    room = voting.room
    merge(room, voting.a, [voting.b])
    stored = votes.set_allocation(room.code, voting.phones[0], {str(voting.a): 4, str(voting.d): 1})
    assert (stored.allocations, stored.remaining) == ({str(voting.a): 4, str(voting.d): 1}, 0)
    with pytest.raises(ValidationFailed):
        votes.set_allocation(room.code, voting.phones[0], {str(voting.b): 1})


def test_dots_follow_per_step(voting: Voting) -> None:
    room = voting.room
    room.go("vote", 1)
    votes.set_allocation(room.code, voting.phones[0], {str(voting.a): 1, str(voting.b): 2})
    merge(room, voting.a, [voting.b])
    first, second = room.step_id("vote"), room.step_id("vote", 1)
    mine = room.participant_id(voting.phones[0])
    assert [(r[0], r[2], r[3]) for r in rows(Vote) if r[1] == mine] == sorted(
        [(first, voting.a, 5), (second, voting.a, 3)]
    )


def test_paper_dots_add_up_per_step(voting: Voting) -> None:
    room = voting.room
    paper.set_paper_dots(
        room.code, room.facilitator, {str(voting.a): 4, str(voting.b): 6, str(voting.d): 1}
    )
    paper.set_paper_dots(
        room.code, room.facilitator, {str(voting.b): 2}, step_position=room.position("vote", 1)
    )
    merge(room, voting.a, [voting.b])
    first, second = room.step_id("vote"), room.step_id("vote", 1)
    assert rows(PaperDots) == sorted(
        [(first, voting.a, 10), (first, voting.d, 1), (second, voting.a, 2)]
    )


def test_ratings_and_stances_keep_the_survivors_own_else_take_the_merged_ones(
    room: Room,
) -> None:
    a, b, c = room.add("A"), room.add("B"), room.add("C")
    p1, p2 = (room.participant_id(room.join()) for _ in range(2))
    rate, agree = room.step_id("rate"), room.step_id("agree")
    workshop_id = _workshop_id(room)

    def rating(pid: int, who: int, criterion: str, score: int) -> Rating:
        return Rating(
            workshop_id=workshop_id,
            step_id=rate,
            participant_id=who,
            proposal_id=pid,
            criterion=criterion,
            score=score,
        )

    def stance(pid: int, who: int, value: int) -> Stance:
        return Stance(
            workshop_id=workshop_id, step_id=agree, participant_id=who, proposal_id=pid, value=value
        )

    insert(
        rating(a, p1, "gevinst", 5),
        rating(b, p1, "gevinst", 1),
        rating(b, p1, "innsats", 2),
        rating(c, p2, "gevinst", 3),
        rating(b, p2, "gevinst", 4),
        stance(a, p1, -1),
        stance(b, p1, 1),
        stance(c, p2, 0),
        stance(b, p2, 1),
    )
    merge(room, a, [c, b])  # c before b: c lends first
    assert rows(Rating) == sorted(
        [
            (rate, p1, a, "gevinst", 5),  # the survivor's own
            (rate, p1, a, "innsats", 2),  # none on the survivor for this criterion: from b
            (rate, p2, a, "gevinst", 3),  # c comes before b in merged_ids
        ]
    )
    assert rows(Stance) == sorted([(agree, p1, a, -1), (agree, p2, a, 0)])


def test_the_merge_records_every_author_and_the_survivor_keeps_its_own(room: Room) -> None:
    k1, k2, k3 = room.join(), room.join(), room.join()
    a = room.add("Felles planlegger", k1)
    b = room.add("Felles planlegger i regionen", k2)
    c = room.add("Felles planleggerstilling", k3)
    d = room.add("Felles planlegger, fra lapp")  # by the facilitator: no author
    first = merge(room, a, [b, d])
    author = {k: room.participant_id(k) for k in (k1, k2, k3)}
    assert saved_merge(first).saved["authors"] == [author[k1], author[k2]]
    assert stored_proposal(a).participant_id == author[k1]
    second = merge(room, c, [a])
    assert saved_merge(second).saved["authors"] == [author[k3], author[k1], author[k2]]
    listed = merging.list_merges(room.code, room.facilitator)
    assert [m["id"] for m in listed] == [second, first]
    assert listed[0]["authors"] == [author[k3], author[k1], author[k2]]
    assert listed[0]["undone_at"] is None


# --- undo --------------------------------------------------------------------------------------


def test_undo_restores_every_row_and_status_exactly(voting: Voting) -> None:
    room = voting.room
    paper.set_paper_dots(room.code, room.facilitator, {str(voting.a): 3, str(voting.b): 2})
    p1 = room.participant_id(voting.phones[0])
    workshop_id = _workshop_id(room)
    rate, agree = room.step_id("rate"), room.step_id("agree")
    insert(
        Rating(
            workshop_id=workshop_id,
            step_id=rate,
            participant_id=p1,
            proposal_id=voting.b,
            criterion="gevinst",
            score=4,
        ),
        Stance(
            workshop_id=workshop_id, step_id=agree, participant_id=p1, proposal_id=voting.a, value=1
        ),
        Stance(
            workshop_id=workshop_id,
            step_id=agree,
            participant_id=p1,
            proposal_id=voting.c,
            value=-1,
        ),
    )
    moderation.hide_proposal(room.code, room.facilitator, voting.c)
    before_rows = all_rows()
    before_view = room.view()
    before_phones = [allocation(room, key) for key in voting.phones]

    merge_id = merge(room, voting.a, [voting.b, voting.c])
    assert all_rows() != before_rows
    undone = undo(room, merge_id)

    assert all_rows() == before_rows
    assert [allocation(room, key) for key in voting.phones] == before_phones
    after_view = room.view()
    assert after_view["proposals"] == before_view["proposals"]
    assert stored_proposal(voting.c).status == "hidden"
    assert stored_proposal(voting.b).merged_into_id is None
    assert undone["merge_id"] == merge_id and undone["survivor"]["id"] == voting.a
    assert [p["status"] for p in undone["restored"]] == ["visible", "hidden"]
    assert saved_merge(merge_id).undone_at is not None
    assert audit_actions(room.code)[-1] == (
        "merge_undone",
        {"merge_id": merge_id, "survivor_id": voting.a, "merged_ids": [voting.b, voting.c]},
    )


def test_an_undone_merge_cannot_be_undone_again(room: Room) -> None:
    a, b = room.add("En"), room.add("To")
    merge_id = merge(room, a, [b])
    undo(room, merge_id)
    version = room.view()["version"]
    with pytest.raises(MergeConflict) as refused:
        undo(room, merge_id)
    assert refused.value.status == 409
    assert "allerede angret" in str(refused.value.message)
    assert room.view()["version"] == version


def test_a_merge_whose_survivor_was_merged_again_is_undone_in_order(voting: Voting) -> None:
    room = voting.room
    original = all_rows()
    first = merge(room, voting.a, [voting.b])
    second = merge(room, voting.c, [voting.a])
    assert allocation(room, voting.phones[0])[0] == {str(voting.c): 5}
    with pytest.raises(MergeConflict) as refused:
        undo(room, first)
    assert f"sammenslåing {second}" in str(refused.value.message)
    assert stored_proposal(voting.b).status == "merged"
    undo(room, second)
    assert stored_proposal(voting.a).status == "visible"
    assert stored_proposal(voting.b).status == "merged"
    undo(room, first)
    assert all_rows() == original
    assert {stored_proposal(p).status for p in (voting.a, voting.b, voting.c)} == {"visible"}


def test_two_merges_into_one_survivor_are_undone_latest_first_when_they_overlap(
    voting: Voting,
) -> None:
    room = voting.room
    original = all_rows()
    first = merge(room, voting.a, [voting.b])  # phone 0: a 2 + b 3; phone 1: b 1
    second = merge(room, voting.a, [voting.c])  # phone 1 again: a 1 + c 2
    with pytest.raises(MergeConflict) as refused:
        undo(room, first)
    assert f"sammenslåing {second}" in str(refused.value.message)
    undo(room, second)
    undo(room, first)
    assert all_rows() == original


def test_a_disjoint_earlier_merge_can_be_undone_while_a_later_one_stays(room: Room) -> None:
    k1, k2 = room.join(), room.join()
    a, b, c = room.add("A"), room.add("B"), room.add("C")
    room.go("vote")
    votes.set_allocation(room.code, k1, {str(a): 1, str(b): 1})
    votes.set_allocation(room.code, k2, {str(c): 2})
    first = merge(room, a, [b])
    merge(room, a, [c])
    undo(room, first)
    assert allocation(room, k1)[0] == {str(a): 1, str(b): 1}
    assert allocation(room, k2)[0] == {str(a): 2}
    assert stored_proposal(c).status == "merged"


def test_undo_is_refused_when_the_moved_votes_changed_since(voting: Voting) -> None:
    room = voting.room
    merge_id = merge(room, voting.a, [voting.b])
    votes.set_allocation(room.code, voting.phones[0], {str(voting.a): 1, str(voting.d): 4})
    before = all_rows()
    version = room.view()["version"]
    with pytest.raises(MergeConflict) as refused:
        undo(room, merge_id)
    assert "endret etter sammenslåingen" in str(refused.value.message)
    assert all_rows() == before and room.view()["version"] == version
    assert saved_merge(merge_id).undone_at is None


def test_undo_keeps_votes_cast_on_the_survivor_in_a_later_step(room: Room) -> None:
    key = room.join()
    a, b = room.add("A"), room.add("B")
    room.go("vote")
    votes.set_allocation(room.code, key, {str(a): 1, str(b): 1})
    merge_id = merge(room, a, [b])
    room.go("vote", 1)
    votes.set_allocation(room.code, key, {str(a): 2})
    undo(room, merge_id)
    first, second = room.step_id("vote"), room.step_id("vote", 1)
    mine = room.participant_id(key)
    assert [(r[0], r[2], r[3]) for r in rows(Vote) if r[1] == mine] == sorted(
        [(first, a, 1), (first, b, 1), (second, a, 2)]
    )


def test_undo_after_a_step_was_removed_restores_the_rest(voting: Voting) -> None:
    room = voting.room
    workshop_id = _workshop_id(room)
    rate = room.step_id("rate")
    p1 = room.participant_id(voting.phones[0])
    insert(
        Rating(
            workshop_id=workshop_id,
            step_id=rate,
            participant_id=p1,
            proposal_id=voting.b,
            criterion="gevinst",
            score=4,
        )
    )
    merge_id = merge(room, voting.a, [voting.b])
    with db.session() as session:  # as the agenda would, removing the rate step
        session.execute(delete(Step).where(Step.id == rate))
        session.commit()
    undo(room, merge_id)
    assert rows(Rating) == []
    assert allocation(room, voting.phones[0])[0] == {str(voting.a): 2, str(voting.b): 3}


# --- refusals ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "attempt",
    [
        "survivor_among_merged",
        "repeated",
        "already_merged",
        "unknown",
        "other_workshop",
        "participant",
        "projector",
        "wrong_key",
    ],
)
def test_a_refused_merge_stores_and_publishes_nothing(
    room: Room, plan: str, recorder: RecordingPublisher, attempt: str
) -> None:
    phone = room.join()
    a, b, c, gone = room.add("A"), room.add("B"), room.add("C"), room.add("D")
    merge(room, c, [gone])
    other_pid = Room(plan).add("Fremmed")
    before, rows_before = room.view(), all_rows()
    merges_before = merging.list_merges(room.code, room.facilitator)
    recorder.events.clear()
    recorder.tallies.clear()
    f = room.facilitator
    cases: dict[str, tuple[type[Exception], Any]] = {
        "survivor_among_merged": (ValidationFailed, (f, a, [a, b])),
        "repeated": (ValidationFailed, (f, a, [b, b])),
        "already_merged": (ValidationFailed, (f, a, [gone])),
        "unknown": (NotFound, (f, a, [999_999])),
        "other_workshop": (NotFound, (f, a, [other_pid])),
        "participant": (Forbidden, (phone, a, [b])),
        "projector": (Forbidden, (room.projector, a, [b])),
        "wrong_key": (Unauthorized, ("feil", a, [b])),
    }
    error, (key, survivor, merged) = cases[attempt]
    with pytest.raises(error):
        merge_proposals(room.code, key, survivor, merged)
    assert room.view() == before
    assert all_rows() == rows_before
    assert merging.list_merges(room.code, room.facilitator) == merges_before
    assert recorder.events == [] and recorder.tallies == []


def test_an_already_merged_survivor_is_refused(room: Room) -> None:
    a, b, c = room.add("A"), room.add("B"), room.add("C")
    merge(room, a, [b])
    with pytest.raises(ValidationFailed) as refused:
        merge(room, b, [c])
    assert f"slått sammen med forslag {a}" in str(refused.value.message)


def test_undo_refusals(room: Room, plan: str) -> None:
    phone = room.join()
    a, b = room.add("A"), room.add("B")
    merge_id = merge(room, a, [b])
    other = Room(plan)
    other_merge = merge(other, other.add("X"), [other.add("Y")])
    with pytest.raises(Forbidden):
        undo_merge(room.code, phone, merge_id)
    with pytest.raises(Forbidden):
        undo_merge(room.code, room.projector, merge_id)
    with pytest.raises(NotFound):
        undo(room, 999_999)
    with pytest.raises(NotFound):
        undo(room, other_merge)
    assert stored_proposal(b).status == "merged"
    assert saved_merge(merge_id).undone_at is None


# --- events -----------------------------------------------------------------------------------


def test_a_merge_tells_phones_to_drop_the_merged_and_update_the_survivor(
    voting: Voting, recorder: RecordingPublisher
) -> None:
    room = voting.room
    moderation.hide_proposal(room.code, room.facilitator, voting.c)
    recorder.events.clear()
    recorder.tallies.clear()
    merge_id = merge(room, voting.a, [voting.b, voting.c])
    version = room.view()["version"]
    seen = [
        (e.type, e.audience, e.data.get("id"), e.data.get("proposal", {}).get("id"))
        for e in recorder.events
    ]
    assert seen == [
        ("proposal_removed", "everyone", voting.b, None),
        ("proposal_updated", "facilitator", None, voting.b),
        ("proposal_updated", "facilitator", None, voting.c),  # hidden: phones never had it
        ("proposal_updated", "everyone", None, voting.a),
        ("merge_created", "facilitator", None, None),
    ]
    assert recorder.events[0].data == {
        "id": voting.b,
        "reason": "merged",
        "merged_into_id": voting.a,
    }
    assert recorder.events[1].data["proposal"]["status"] == "merged"
    assert "original_title" not in recorder.events[3].data["proposal"]
    assert recorder.events[4].data["merge"]["id"] == merge_id
    assert {e.version for e in recorder.events} == {version}
    assert recorder.tallies == [room.code]

    recorder.events.clear()
    undo(room, merge_id)
    seen = [(e.type, e.audience, e.data.get("proposal", {}).get("id")) for e in recorder.events]
    assert seen == [
        ("proposal_updated", "everyone", voting.a),
        ("proposal_updated", "everyone", voting.b),
        ("proposal_updated", "facilitator", voting.c),
        ("merge_undone", "facilitator", None),
    ]


# --- the JSON API ------------------------------------------------------------------------------


def test_merge_api_create_list_and_undo(client: FlaskClient, voting: Voting) -> None:
    room = voting.room
    headers = Api.auth(room.facilitator)
    url = f"/api/v1/workshops/{room.code}/merges"
    created = client.post(
        url, json={"survivor_id": voting.a, "merged_ids": [voting.b]}, headers=headers
    )
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert set(body) == {"merge_id", "survivor", "merged_ids"}
    assert body["merged_ids"] == [voting.b] and body["survivor"]["id"] == voting.a
    listed = client.get(url, headers=headers).get_json()["merges"]
    assert [(m["id"], m["survivor_id"], m["merged_ids"]) for m in listed] == [
        (body["merge_id"], voting.a, [voting.b])
    ]
    undone = client.delete(f"{url}/{body['merge_id']}", headers=headers)
    assert undone.status_code == 200
    assert [p["id"] for p in undone.get_json()["restored"]] == [voting.b]
    again = client.delete(f"{url}/{body['merge_id']}", headers=headers)
    assert again.status_code == 409
    assert again.get_json()["error"]["code"] == "conflict"
    assert client.get(url, headers=headers).get_json()["merges"][0]["undone_at"]


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({}, 422, "validation"),
        ({"survivor_id": "FIRST"}, 422, "validation"),
        ({"survivor_id": "FIRST", "merged_ids": []}, 422, "validation"),
        ({"survivor_id": True, "merged_ids": ["SECOND"]}, 422, "validation"),
        ({"survivor_id": "1", "merged_ids": ["SECOND"]}, 422, "validation"),
        ({"survivor_id": "FIRST", "merged_ids": ["2"]}, 422, "validation"),
        ({"survivor_id": "FIRST", "merged_ids": 2}, 422, "validation"),
        ({"survivor_id": "FIRST", "merged_ids": ["FIRST"]}, 422, "validation"),
        ({"survivor_id": "FIRST", "merged_ids": [999999]}, 404, "not_found"),
        ({"survivor_id": "FIRST", "merged_ids": ["SECOND"], "x": 1}, 201, None),
        (["FIRST", "SECOND"], 422, "validation"),
    ],
)
def test_merge_api_refuses_bad_input(
    client: FlaskClient, room: Room, body: Any, status: int, code: str | None
) -> None:
    ids = {"FIRST": room.add("Første"), "SECOND": room.add("Andre")}

    def fill(value: Any) -> Any:
        if isinstance(value, list):
            return [fill(v) for v in value]
        if isinstance(value, dict):
            return {k: fill(v) for k, v in value.items()}
        return ids.get(value, value) if isinstance(value, str) else value

    before = room.view()
    response = client.post(
        f"/api/v1/workshops/{room.code}/merges", json=fill(body), headers=Api.auth(room.facilitator)
    )
    assert response.status_code == status, response.get_json()
    if code is None:  # the control case: the same request, well formed, is accepted
        assert stored_proposal(ids["SECOND"]).status == "merged"
        return
    assert response.get_json()["error"]["code"] == code
    assert room.view() == before


def test_merge_api_refuses_more_than_a_hundred_at_once(client: FlaskClient, room: Room) -> None:
    survivor = room.add("Første")
    before = room.view()
    response = client.post(
        f"/api/v1/workshops/{room.code}/merges",
        json={"survivor_id": survivor, "merged_ids": list(range(1, 102))},
        headers=Api.auth(room.facilitator),
    )
    refused = assert_error(response, 422, "validation")
    assert refused["message"] == "Høyst 100 forslag kan slås sammen om gangen."
    assert room.view() == before


def test_merge_api_refuses_other_keys(client: FlaskClient, room: Room) -> None:
    phone = room.join()
    a, b = room.add("A"), room.add("B")
    url = f"/api/v1/workshops/{room.code}/merges"
    body = {"survivor_id": a, "merged_ids": [b]}
    for key, status in ((phone, 403), (room.projector, 403), (None, 401)):
        response = client.post(url, json=body, headers=Api.auth(key))
        assert response.status_code == status
        assert client.get(url, headers=Api.auth(key)).status_code == status
    merge_id = merge(room, a, [b])
    assert client.delete(f"{url}/{merge_id}", headers=Api.auth(phone)).status_code == 403
    assert client.delete(f"{url}/999999", headers=Api.auth(room.facilitator)).status_code == 404
    assert stored_proposal(b).status == "merged"


# --- realtime ---------------------------------------------------------------------------------


def test_phones_see_a_merge_and_its_undo_live(hall: Hall) -> None:
    key = hall.join()
    hall.go(1)
    survivor = hall.propose(key, "Slå sammen handlingsdel og økonomiplan")["id"]
    merged = hall.propose(key, "Handlingsdelen og økonomiplanen bør slås sammen")["id"]
    hall.go(2)
    assert hall.vote(key, {survivor: 1, merged: 2}).status_code == 200
    phone, projector = hall.screen(key), hall.screen(hall.projector)
    for screen in (phone, projector):
        screen.wait_for(lambda s=screen: s.of("snapshot"))
    headers = {"Authorization": f"Bearer {hall.facilitator}"}
    url = f"{hall.url}/api/v1/workshops/{hall.code}/merges"
    response = requests.post(
        url, json={"survivor_id": survivor, "merged_ids": [merged]}, headers=headers, timeout=10
    )
    assert response.status_code == 201, response.text
    for screen in (phone, projector):
        removed = screen.wait_for(lambda s=screen: events_of(s, "proposal_removed"))
        assert removed[0]["data"] == {
            "id": merged,
            "reason": "merged",
            "merged_into_id": survivor,
        }
        version, proposal = screen.wait_for(lambda s=screen: versioned_proposals(s))[-1]
        assert proposal["id"] == survivor  # one batch to the phone, one event to the projector
        assert version == removed[0]["version"]
    tally = projector.wait_for(
        lambda: [
            t for t in projector.of("tally") if t["proposals"] == [{"id": survivor, "dots": 3}]
        ]
    )
    assert tally
    hall.barrier(phone)
    assert not events_of(phone, "merge_created")  # facilitator only

    merge_id = response.json()["merge_id"]
    assert requests.delete(f"{url}/{merge_id}", headers=headers, timeout=10).ok
    back = phone.wait_for(lambda: [p for p in proposals_received(phone) if p["id"] == merged])
    assert back[-1]["status"] == "visible"
    snapshot = hall.screen(key)
    me = snapshot.wait_for(lambda: snapshot.of("snapshot"))[0]["me"]
    assert me["allocations"] == {str(survivor): 1, str(merged): 2}


def _workshop_id(room: Room) -> int:
    from workshop.models import Workshop

    with db.session(read_only=True) as session:
        found = session.scalar(select(Workshop.id).where(Workshop.code == room.code))
        assert found is not None
        return found
