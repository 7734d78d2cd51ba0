"""Closing and follow-up notes over Socket.IO with a real server and real clients."""

from __future__ import annotations

from typing import Any

from tests.support.realtime import Hall


def events_of(screen: Any, kind: str) -> list[dict[str, Any]]:
    return [e for e in screen.of("event") if e["type"] == kind]


def test_an_open_phone_receives_the_closing_and_a_note(hall: Hall) -> None:
    phone_key = hall.join("Folkevalgt")
    phone = hall.screen(phone_key)
    projector = hall.screen(hall.projector)
    phone.wait_for(lambda: phone.of("snapshot"))
    projector.wait_for(lambda: projector.of("snapshot"))
    base = f"/api/v1/workshops/{hall.code}"

    assert hall.post(f"{base}/close", {}, hall.facilitator).status_code == 200
    closed = phone.wait_for(lambda: events_of(phone, "workshop_closed"))[0]
    assert closed["data"]["closed"] is True and closed["data"]["notes"] == []

    note = hall.post(
        f"{base}/notes", {"text": "Kommunestyret behandler saken i mars."}, hall.facilitator
    )
    assert note.status_code == 201
    received = phone.wait_for(lambda: events_of(phone, "note_added"))[0]
    assert received["data"]["note"] == note.json()
    assert projector.wait_for(lambda: events_of(projector, "note_added"))

    # a phone that connects afterwards finds the note in its snapshot
    late = hall.screen(phone_key)
    snapshot = late.wait_for(lambda: late.of("snapshot"))[0]
    assert snapshot["closed"] is True and snapshot["notes"] == [note.json()]


def test_a_phones_suggestion_reaches_only_the_facilitator(hall: Hall) -> None:
    phone_key = hall.join()
    base = f"/api/v1/workshops/{hall.code}"
    action = hall.post(f"{base}/actions", {"what": "Ny delegeringsreglement"}, hall.facilitator)
    assert action.status_code == 201
    added = hall.post(
        f"{base}/steps", {"kind": "actions", "title": "Tiltak"}, hall.facilitator
    ).json()
    hall.go(added["step"]["position"])
    facilitator = hall.screen(hall.facilitator)
    phone = hall.screen(phone_key)
    facilitator.wait_for(lambda: facilitator.of("snapshot"))
    phone.wait_for(lambda: phone.of("snapshot"))
    suggestion = hall.post(
        f"{base}/actions/{action.json()['id']}/suggestions", {"owner": "Formannskapet"}, phone_key
    )
    assert suggestion.status_code == 201, suggestion.text
    facilitator.wait_for(lambda: events_of(facilitator, "action_suggested"))
    hall.barrier(phone)
    assert events_of(phone, "action_suggested") == []
