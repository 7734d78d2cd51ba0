"""Actions, closing and the report-back (API.md "Additions: decisions and follow-up")."""

from __future__ import annotations

from datetime import datetime

import pytest

from tests.support import followup as support
from tests.support.errors import assert_error
from tests.support.followup import ACTIONS, AGREE, COLLECT, DOTS, RATE, patch, post
from tests.support.prioritising import Room
from workshop.services import actions, closing
from workshop.services.actions import ActionInput
from workshop.services.errors import Closed, ValidationFailed
from workshop.services.events import RecordingPublisher

followup_plan = support.followup_plan  # fixtures
followup = support.followup

ACTION = {
    "what": "Slå sammen handlingsdel og økonomiplan",
    "owner": "Kommunedirektøren",
    "due": "2027-03-01",
    "decided_by": "kommunestyret",
    "change_level": "lokal",
}


def add_action(room: Room, **body: object) -> dict[str, object]:
    response = post(room, "actions", room.facilitator, {**ACTION, **body})
    assert response.status_code == 201, response.get_json()
    return dict(response.get_json())


def close(room: Room) -> str:
    response = post(room, "close", room.facilitator)
    assert response.status_code == 200, response.get_json()
    return str(response.get_json()["closed_at"])


# --- actions ----------------------------------------------------------------------------------


def test_an_action_is_recorded_and_listed(followup: Room) -> None:
    action = add_action(followup, proposal_id=followup.ids[0])
    assert set(action) == {
        "id",
        "what",
        "proposal_id",
        "owner",
        "due",
        "decided_by",
        "change_level",
    }
    assert action["proposal_id"] == followup.ids[0]
    assert action["due"] == "2027-03-01"
    assert followup.json("actions") == {"actions": [action]}
    assert followup.json("actions", followup.projector) == {"actions": [action]}


def test_only_the_what_is_required(followup: Room) -> None:
    response = post(followup, "actions", followup.facilitator, {"what": "Ring fylkeskommunen"})
    assert response.status_code == 201
    assert response.get_json()["owner"] is None and response.get_json()["due"] is None


@pytest.mark.parametrize(
    "body",
    [
        {"what": ""},
        {"what": "x" * 501},
        {"what": "Ok", "owner": "x" * 121},
        {"what": "Ok", "due": "1. mars"},
        {"what": "Ok", "due": "2027-02-30"},
        {"what": "Ok", "decided_by": "fylket"},
        {"what": "Ok", "change_level": "kommunal"},
        {"what": "Ok", "proposal_id": 999999},
        {"owner": "Ingen hva"},
    ],
)
def test_invalid_actions_are_refused(followup: Room, body: dict[str, object]) -> None:
    assert_error(post(followup, "actions", followup.facilitator, body), 422, "validation")
    assert followup.json("actions") == {"actions": []}


def test_only_the_facilitator_records_edits_and_removes(followup: Room) -> None:
    phone = followup.join("Innbygger")
    action = add_action(followup)
    for key in (phone, followup.projector):
        assert_error(post(followup, "actions", key, ACTION), 403, "forbidden")
        assert_error(
            patch(followup, f"actions/{action['id']}", key, {"owner": "x"}), 403, "forbidden"
        )
        client = followup.api.client
        gone = client.delete(
            f"/api/v1/workshops/{followup.code}/actions/{action['id']}",
            headers={"Authorization": f"Bearer {key}"},
        )
        assert_error(gone, 403, "forbidden")
    assert_error(followup.get("actions", phone), 403, "forbidden")


def test_patch_changes_only_what_is_sent_and_null_clears(followup: Room) -> None:
    action = add_action(followup)
    response = patch(
        followup,
        f"actions/{action['id']}",
        followup.facilitator,
        {"owner": None, "due": "2027-06-30"},
    )
    assert response.status_code == 200
    changed = response.get_json()
    assert changed == {**action, "owner": None, "due": "2027-06-30"}
    assert_error(
        patch(followup, f"actions/{action['id']}", followup.facilitator, {"what": None}),
        422,
        "validation",
    )
    assert_error(
        patch(followup, f"actions/{action['id']}", followup.facilitator, {"whoo": 1}),
        422,
        "validation",
    )


def test_delete_removes_and_unknown_is_404(followup: Room) -> None:
    action = add_action(followup)
    url = f"/api/v1/workshops/{followup.code}/actions/{action['id']}"
    auth = {"Authorization": f"Bearer {followup.facilitator}"}
    assert followup.api.client.delete(url, headers=auth).status_code == 204
    assert followup.json("actions") == {"actions": []}
    assert_error(followup.api.client.delete(url, headers=auth), 404, "not_found")


def test_an_action_of_another_workshop_is_not_found(followup: Room) -> None:
    other = support.make_followup_room(followup.api)
    action = add_action(other)
    response = patch(followup, f"actions/{action['id']}", followup.facilitator, {"owner": "x"})
    assert_error(response, 404, "not_found")


def test_actions_reach_staff_and_phones_only_in_the_actions_step(
    followup: Room, recorder: RecordingPublisher
) -> None:
    add_action(followup)
    assert [e.audience for e in recorder.events if e.type == "actions_changed"] == ["staff"]
    followup.go(ACTIONS)
    add_action(followup, what="To")
    last = [e for e in recorder.events if e.type == "actions_changed"][-1]
    assert last.audience == "everyone" and len(last.data["actions"]) == 2
    snapshot = followup.json("")
    assert len(snapshot["actions"]) == 2 and "kommunestyret" in snapshot["decision_bodies"]


def test_a_phone_suggests_an_owner_and_deadline_in_the_actions_step(
    followup: Room, recorder: RecordingPublisher
) -> None:
    phone = followup.join("Innbygger")
    action = add_action(followup)
    body = {"owner": "Planleggeren", "due": "2027-01-15"}
    assert_error(
        post(followup, f"actions/{action['id']}/suggestions", phone, body), 409, "wrong_step"
    )
    followup.go(ACTIONS)
    response = post(followup, f"actions/{action['id']}/suggestions", phone, body)
    assert response.status_code == 201
    assert response.get_json()["owner"] == "Planleggeren"
    assert response.get_json()["due"] == "2027-01-15"
    assert_error(
        post(followup, f"actions/{action['id']}/suggestions", phone, {}), 422, "validation"
    )
    assert_error(
        post(followup, f"actions/{action['id']}/suggestions", followup.facilitator, body),
        403,
        "forbidden",
    )
    suggested = [e for e in recorder.events if e.type == "action_suggested"]
    assert [e.audience for e in suggested] == ["facilitator"]
    assert followup.json("")["action_suggestions"][0]["owner"] == "Planleggeren"
    assert "action_suggestions" not in followup.json("", followup.projector)
    assert "actions" not in followup.api.get(followup.code, phone).get_json()


def test_the_service_refuses_an_action_without_what(followup: Room) -> None:
    with pytest.raises(ValidationFailed):
        actions.create_action(followup.code, followup.facilitator, ActionInput(owner="x"))


# --- closing ----------------------------------------------------------------------------------


def test_close_answers_the_time_and_the_snapshot_says_closed(followup: Room) -> None:
    phone = followup.join()
    assert followup.api.get(followup.code, phone).get_json()["closed"] is False
    closed_at = close(followup)
    assert datetime.fromisoformat(closed_at).utcoffset() is not None
    snapshot = followup.api.get(followup.code, phone).get_json()
    assert snapshot["closed"] is True and snapshot["closed_at"] == closed_at
    assert snapshot["notes"] == [] and snapshot["actions"] == []
    assert close(followup) == closed_at  # closing again changes nothing


def test_only_the_facilitator_closes(followup: Room) -> None:
    phone = followup.join()
    assert_error(post(followup, "close", phone), 403, "forbidden")
    assert_error(post(followup, "close", followup.projector), 403, "forbidden")
    assert_error(post(followup, "close", None), 401, "unauthorized")


@pytest.mark.parametrize("position", [COLLECT, DOTS, AGREE, RATE])
def test_every_participant_write_answers_closed(followup: Room, position: int) -> None:
    phone = followup.join("Innbygger")
    followup.go(position)
    close(followup)
    a = followup.ids[0]
    responses = [
        followup.api.propose(followup.code, phone, "Etter stengetid"),
        followup.vote(phone, {a: 1}),
        followup.answer(phone, {a: "agree"}),
        followup.rate(phone, {a: {"gevinst": 4}}),
        followup.api.client.post(f"/api/v1/workshops/{followup.code}/participants", json={}),
    ]
    for response in responses:
        assert_error(response, 409, "closed")


def test_the_phone_suggestion_answers_closed_after_closing(followup: Room) -> None:
    phone = followup.join()
    action = add_action(followup)
    followup.go(ACTIONS)
    close(followup)
    body = {"owner": "x"}
    assert_error(post(followup, f"actions/{action['id']}/suggestions", phone, body), 409, "closed")


def test_a_repeated_client_key_after_closing_is_refused_too(followup: Room) -> None:
    phone = followup.join()
    first = followup.api.propose(followup.code, phone, "Før", client_key="k1")
    assert first.status_code == 201
    close(followup)
    again = followup.api.propose(followup.code, phone, "Før", client_key="k1")
    assert_error(again, 409, "closed")


def test_after_closing_the_facilitator_adds_actions_but_no_proposals(followup: Room) -> None:
    close(followup)
    late = followup.api.propose(followup.code, followup.facilitator, "Fra papir")
    assert_error(late, 409, "closed")
    assert post(followup, "actions", followup.facilitator, ACTION).status_code == 201


def test_the_service_raises_closed(followup: Room) -> None:
    phone = followup.join()
    close(followup)
    with pytest.raises(Closed):
        actions.suggest(followup.code, phone, 1, "x", None)


def test_closing_is_published_to_everyone(followup: Room, recorder: RecordingPublisher) -> None:
    add_action(followup)
    close(followup)
    (event,) = [e for e in recorder.events if e.type == "workshop_closed"]
    assert event.audience == "everyone"
    assert event.data["closed"] is True and len(event.data["actions"]) == 1
    assert event.data["notes"] == []


# --- outcome and notes --------------------------------------------------------------------------


def test_the_outcome_before_closing_is_the_facilitators_only(followup: Room) -> None:
    phone = followup.join()
    assert followup.json("outcome")["closed_at"] is None
    assert_error(followup.get("outcome", phone), 403, "forbidden")
    assert_error(followup.get("outcome", followup.projector), 403, "forbidden")
    assert_error(followup.get("actions", phone), 403, "forbidden")


def test_the_outcome_holds_ranking_actions_and_notes(followup: Room) -> None:
    a, b, c = followup.ids
    voters = [followup.join("Innbygger") for _ in range(3)]
    followup.go(DOTS)
    for key in voters:
        assert followup.vote(key, {b: 2, c: 1}).status_code == 200
    action = add_action(followup, proposal_id=b)
    closed_at = close(followup)
    note = post(followup, "notes", followup.facilitator, {"text": "Saken går til formannskapet."})
    assert note.status_code == 201
    assert set(note.get_json()) == {"id", "at", "text"}
    phone = voters[0]
    for key in (phone, followup.projector, followup.facilitator):
        outcome = followup.json("outcome", key)
        assert outcome["closed_at"] == closed_at
        assert outcome["participants"] == 3
        assert [r["id"] for r in outcome["ranking"]] == [b, c, a]
        assert outcome["ranking"][0]["change_level"] is None
        assert {"id", "title", "change_level"} <= set(outcome["ranking"][0])
        assert "by_role" not in outcome["ranking"][0]
        assert outcome["actions"] == [action]
        assert outcome["notes"] == [note.get_json()]
        assert outcome["report_published"] is False
    assert followup.json("actions", phone) == {"actions": [action]}


def test_notes_only_after_closing_and_only_by_the_facilitator(
    followup: Room, recorder: RecordingPublisher
) -> None:
    phone = followup.join()
    body = {"text": "Takk for i dag"}
    assert_error(post(followup, "notes", followup.facilitator, body), 409, "wrong_step")
    close(followup)
    assert_error(post(followup, "notes", phone, body), 403, "forbidden")
    assert_error(post(followup, "notes", followup.facilitator, {"text": ""}), 422, "validation")
    too_long = {"text": "x" * 2001}
    assert_error(post(followup, "notes", followup.facilitator, too_long), 422, "validation")
    assert post(followup, "notes", followup.facilitator, body).status_code == 201
    (event,) = [e for e in recorder.events if e.type == "note_added"]
    assert event.audience == "everyone" and event.data["note"]["text"] == "Takk for i dag"
    assert followup.api.get(followup.code, phone).get_json()["notes"][0]["text"] == "Takk for i dag"


def test_publishing_the_report(followup: Room, recorder: RecordingPublisher) -> None:
    phone = followup.join()
    close(followup)
    response = patch(followup, "outcome", followup.facilitator, {"report_published": True})
    assert response.get_json() == {"report_published": True}
    assert followup.json("outcome", phone)["report_published"] is True
    assert followup.api.get(followup.code, phone).get_json()["report_published"] is True
    assert [e.type for e in recorder.events].count("report_published") == 1
    assert_error(patch(followup, "outcome", phone, {"report_published": False}), 403, "forbidden")


def test_the_service_outcome_of_a_workshop_without_votes(followup: Room) -> None:
    close(followup)
    outcome = closing.get_outcome(followup.code, followup.facilitator)
    assert [r["rank"] for r in outcome["ranking"]] == [1, 2, 3]
