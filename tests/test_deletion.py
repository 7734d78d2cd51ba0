"""Deleting a workshop leaves nothing of its participants; purge deletes what is due; a closed
workshop is read-only except for its follow-up."""

from __future__ import annotations

import json
import logging
from datetime import date, timedelta
from typing import Any

import pytest
import requests
import socketio
from sqlalchemy import select

from tests.support.api import Api
from tests.support.archive import held_workshop, row_counts
from tests.support.config import ADMIN_KEY
from tests.support.errors import assert_error
from tests.support.followup import (  # noqa: F401
    COLLECT,
    followup,
    followup_plan,
    make_followup_room,
    post,
)
from tests.support.prioritising import Room
from tests.support.realtime import Hall, events_of
from workshop.extensions import db
from workshop.models import DeletionRecord
from workshop.services.deletion import purge, today
from workshop.services.events import RecordingPublisher

ACTION = {"what": "Felles plankontor", "owner": "Rådmannen"}
PERSONAL = ("Kari Nordmann", "Felles planressurs", "Saken går til kommunestyret", "Rådmannen")


def remove(api: Api, code: str, key: str | None) -> Any:
    return api.client.delete(f"/api/v1/workshops/{code}", headers=Api.auth(key))


def set_date(room: Room, key: str | None, day: Any) -> Any:
    return room.put("deletion-date", key, {"deletion_date": str(day)})


def log_rows() -> list[DeletionRecord]:
    with db.session() as session:
        return list(session.scalars(select(DeletionRecord).order_by(DeletionRecord.id)))


def test_deleting_leaves_nothing_of_the_workshop_and_logs_no_personal_data(
    api: Api,
    followup_plan: str,  # noqa: F811
    recorder: RecordingPublisher,
    caplog: pytest.LogCaptureFixture,
) -> None:
    empty = row_counts()
    room, phones = held_workshop(api)
    assert all(row_counts()[t] > empty[t] for t in ("participant", "vote", "rating", "stance"))
    for key in (room.projector, phones[0], "feil"):
        assert remove(api, room.code, key).status_code in (401, 403)
    with caplog.at_level(logging.INFO, logger="workshop.services.deletion"):
        response = remove(api, room.code, room.facilitator)
    assert response.status_code == 204 and response.data == b""
    for key in (room.facilitator, room.projector, *phones):
        assert api.get(room.code, key).status_code in (401, 404)
        assert room.put("votes", key, {"allocations": {}}).status_code in (401, 404)
    left = row_counts()
    assert left.pop("deletion_log") == empty.pop("deletion_log") + 1
    assert left == empty  # every table: participants, proposals, votes, ratings, stances, …
    [record] = log_rows()
    assert (record.code, record.by) == (room.code, "facilitator")
    assert record.counts["participants"] == 3 and record.counts["votes"] >= 3
    logged = json.dumps([record.code, record.by, record.counts]) + caplog.text
    assert room.code in caplog.text
    assert not [text for text in PERSONAL if text in logged]
    assert [e.type for e in recorder.events if e.workshop_code == room.code][-1] == (
        "workshop_deleted"
    )


def test_the_admin_key_deletes_too_and_a_deleted_code_is_not_found(
    api: Api,
    followup: Room,  # noqa: F811
) -> None:
    assert remove(api, followup.code, ADMIN_KEY).status_code == 204
    assert [r.by for r in log_rows()] == ["admin"]
    assert_error(remove(api, followup.code, ADMIN_KEY), 404, "not_found")
    assert_error(
        api.client.post(f"/api/v1/workshops/{followup.code}/participants"), 404, "not_found"
    )


def test_closing_sets_the_deletion_date_90_days_ahead_and_the_facilitator_moves_it(
    api: Api,
    followup: Room,  # noqa: F811
) -> None:
    phone = followup.join()
    assert post(followup, "close", followup.facilitator).status_code == 200
    outcome = followup.json("outcome")
    assert outcome["deletion_date"] == (today() + timedelta(days=90)).isoformat()
    later = today() + timedelta(days=400)
    moved = set_date(followup, followup.facilitator, later)
    assert moved.status_code == 200 and moved.get_json() == {"deletion_date": later.isoformat()}
    assert followup.json("outcome")["deletion_date"] == later.isoformat()
    refused = assert_error(
        set_date(followup, followup.facilitator, "2020-01-01"), 422, "validation"
    )
    assert "deletion_date" in refused["fields"]
    assert_error(set_date(followup, followup.facilitator, "2027-02-30"), 422, "validation")
    assert_error(set_date(followup, phone, later), 403, "forbidden")
    assert_error(set_date(followup, followup.projector, later), 403, "forbidden")


def test_purge_deletes_what_is_due_and_nothing_else(api: Api, followup_plan: str) -> None:  # noqa: F811
    due, closed, open_ = (make_followup_room(api) for _ in range(3))
    assert set_date(due, due.facilitator, today()).status_code == 200
    assert post(closed, "close", closed.facilitator).status_code == 200
    assert [d.code for d in purge()] == [due.code]
    assert api.get(due.code, due.facilitator).status_code == 404
    assert api.get(closed.code, closed.facilitator).status_code == 200
    assert purge() == []
    in_91_days = [d.code for d in purge(on=today() + timedelta(days=91))]
    assert in_91_days == [closed.code]  # never closed, no date: kept
    assert api.get(open_.code, open_.facilitator).status_code == 200
    assert [r.by for r in log_rows()] == ["purge", "purge"]


def test_a_closed_workshop_is_read_only_but_its_follow_up_is_not(
    api: Api,
    followup: Room,  # noqa: F811
) -> None:
    a, b, _ = followup.ids
    assert post(followup, "close", followup.facilitator).status_code == 200
    key = followup.facilitator
    client = followup.api.client
    base = f"/api/v1/workshops/{followup.code}"
    refused = [
        client.patch(f"{base}/proposals/{a}", json={"title": "Ny"}, headers=Api.auth(key)),
        api.step(followup.ws, position=COLLECT),
        post(followup, "merges", key, {"survivor_id": a, "merged_ids": [b]}),
        post(followup, "steps", key, {"kind": "info", "title": "Ekstra"}),
        api.propose(followup.code, key, "Fra papir"),
    ]
    for response in refused:
        assert_error(response, 409, "closed")
    assert "kan ikke endres" in refused[0].get_json()["error"]["message"]
    assert post(followup, "actions", key, ACTION).status_code == 201
    assert post(followup, "notes", key, {"text": "Vedtatt."}).status_code == 201
    assert set_date(followup, key, date.today() + timedelta(days=30)).status_code == 200


def test_open_screens_are_told_and_cannot_come_back(hall: Hall) -> None:
    phone_key = hall.join()
    phone, projector = hall.screen(phone_key), hall.screen(hall.projector)
    for screen in (phone, projector):
        screen.wait_for(lambda s=screen: s.of("snapshot"))
    headers = {"Authorization": f"Bearer {hall.facilitator}"}
    gone = requests.delete(f"{hall.url}/api/v1/workshops/{hall.code}", headers=headers, timeout=10)
    assert gone.status_code == 204
    for screen in (phone, projector):
        told = screen.wait_for(lambda s=screen: events_of(s, "workshop_deleted"))
        assert told[0]["version"] > screen.of("snapshot")[0]["version"]  # not dropped as old
    with pytest.raises(socketio.exceptions.ConnectionError):
        hall.screen(phone_key)
