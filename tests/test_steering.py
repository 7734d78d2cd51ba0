"""Steering the room: timers, revealing results, the join QR code and closing joining."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.support.api import Api, Workshop, snapshot
from tests.support.config import plans_folder, settings_with_plans
from tests.support.errors import assert_error
from tests.support.events import of_type
from tests.support.realtime import Hall, events_of
from workshop import create_app
from workshop.config import Settings
from workshop.extensions import TIMER_LOOP, db, dispose_app, socketio_of
from workshop.models import AuditEntry, Step
from workshop.models import Workshop as WorkshopRow
from workshop.models.base import utcnow
from workshop.realtime import timers
from workshop.services import steering
from workshop.services.errors import Forbidden
from workshop.services.events import RecordingPublisher

STEERING_PLAN = """
title = "Styring"
roles = ["Folkevalgt", "Administrasjon"]

[[steps]]
kind = "info"
title = "Velkommen"

[[steps]]
kind = "collect"
title = "Forslag"
timer_seconds = 300

[[steps]]
kind = "vote"
title = "Prikker"

[[steps]]
kind = "rate"
title = "Vurder"

[[steps]]
kind = "results"
title = "Resultater"
"""


@pytest.fixture
def settings(tmp_path: Path) -> Iterator[Settings]:
    """A plans folder of our own with the shipped plans and the plan «styring»."""
    # shipped: the Hall uses the default plan
    plans = plans_folder(tmp_path / "plans", shipped=True, styring=STEERING_PLAN)
    with settings_with_plans(tmp_path, plans) as configured:
        yield configured


@pytest.fixture
def ws(api: Api) -> Workshop:
    return api.create(plan="styring")


def timer(client: FlaskClient, ws: Workshop, key: str | None = None, **body: Any) -> Any:
    return client.post(
        f"/api/v1/workshops/{ws.code}/timer", json=body, headers=Api.auth(key or ws.facilitator_key)
    )


def reveal(client: FlaskClient, ws: Workshop, key: str | None = None, **body: Any) -> Any:
    return client.post(
        f"/api/v1/workshops/{ws.code}/reveal",
        json=body,
        headers=Api.auth(key or ws.facilitator_key),
    )


def patch(client: FlaskClient, ws: Workshop, key: str | None = None, **body: Any) -> Any:
    return client.patch(
        f"/api/v1/workshops/{ws.code}", json=body, headers=Api.auth(key or ws.facilitator_key)
    )


def parse(moment: str) -> datetime:
    return datetime.fromisoformat(moment)


def set_step(code: str, position: int, **values: Any) -> None:
    """Change a step's timer columns behind the service's back (to put time in the past)."""
    with db.session() as session:
        workshop = session.scalar(select(WorkshopRow).where(WorkshopRow.code == code))
        step = session.scalar(
            select(Step).where(Step.workshop_id == workshop.id, Step.position == position)
        )
        for name, value in values.items():
            setattr(step, name, value)
        session.commit()


def audit_of(code: str) -> list[tuple[str, str, dict[str, Any]]]:
    with db.session() as session:
        workshop = session.scalar(select(WorkshopRow).where(WorkshopRow.code == code))
        rows = session.scalars(
            select(AuditEntry).where(AuditEntry.workshop_id == workshop.id).order_by(AuditEntry.id)
        )
        return [(r.actor, r.action, dict(r.detail)) for r in rows]


# --- timer ----------------------------------------------------------------------------------


def test_a_timer_starts_with_a_length_and_everyone_is_told(
    api: Api, client: FlaskClient, ws: Workshop, recorder: RecordingPublisher
) -> None:
    before = utcnow()
    response = timer(client, ws, action="start", seconds=90)
    assert response.status_code == 200
    data = response.get_json()
    assert data["position"] == 0
    clock = data["timer"]
    assert clock["running"] is True and clock["seconds"] == 90 and clock["remaining"] == 90
    assert clock["auto_advance"] is False
    ends_at = parse(clock["ends_at"])
    assert before + timedelta(seconds=90) <= ends_at <= utcnow() + timedelta(seconds=90)
    assert parse(clock["server_time"]) <= ends_at
    events = of_type(recorder.events, "timer")
    assert len(events) == 1 and events[0].audience == "everyone"
    assert events[0].data["position"] == 0 and events[0].data["timer"] == clock
    phone = snapshot(api, ws, api.join(ws.code))
    assert phone["step"]["timer"]["ends_at"] == clock["ends_at"]
    assert phone["step"]["timer"]["running"] is True


def test_the_plan_gives_the_default_length(api: Api, client: FlaskClient, ws: Workshop) -> None:
    api.go_to(ws, "collect")
    assert snapshot(api, ws)["step"]["timer"]["seconds"] == 300
    assert snapshot(api, ws)["step"]["timer"]["running"] is False
    clock = timer(client, ws, action="start").get_json()["timer"]
    assert (clock["seconds"], clock["remaining"], clock["running"]) == (300, 300, True)


def test_a_timer_without_a_length_cannot_start(api: Api, client: FlaskClient, ws: Workshop) -> None:
    response = timer(client, ws, action="start")
    assert_error(response, 422, "validation")
    assert snapshot(api, ws)["step"]["timer"] is None


def test_starting_a_running_timer_again_changes_nothing(
    api: Api, client: FlaskClient, ws: Workshop, recorder: RecordingPublisher
) -> None:
    first = timer(client, ws, action="start", seconds=60).get_json()["timer"]
    version = snapshot(api, ws)["version"]
    again = timer(client, ws, action="start").get_json()["timer"]
    assert again["ends_at"] == first["ends_at"]
    assert snapshot(api, ws)["version"] == version
    assert len(of_type(recorder.events, "timer")) == 1


def test_pause_keeps_what_is_left_and_start_resumes_from_there(
    api: Api, client: FlaskClient, ws: Workshop
) -> None:
    timer(client, ws, action="start", seconds=120)
    set_step(ws.code, 0, timer_ends_at=utcnow() + timedelta(seconds=45, milliseconds=500))
    paused = timer(client, ws, action="pause").get_json()["timer"]
    assert paused["running"] is False and paused["ends_at"] is None
    assert paused["remaining"] == 46  # rounded up: the room never sees 0 too early
    assert paused["seconds"] == 120
    assert snapshot(api, ws)["step"]["timer"]["remaining"] == 46
    version = snapshot(api, ws)["version"]
    again = timer(client, ws, action="pause").get_json()["timer"]
    assert (again["running"], again["remaining"]) == (False, 46)
    assert snapshot(api, ws)["version"] == version  # pausing a paused timer changes nothing
    before = utcnow()
    resumed = timer(client, ws, action="start").get_json()["timer"]
    assert resumed["running"] is True and resumed["remaining"] == 46
    assert before + timedelta(seconds=46) <= parse(resumed["ends_at"])
    assert parse(resumed["ends_at"]) <= utcnow() + timedelta(seconds=46)


def test_add_a_minute_while_running_paused_or_not_started(
    client: FlaskClient, ws: Workshop
) -> None:
    assert timer(client, ws, action="add_minute").get_json()["timer"]["seconds"] == 60
    running = timer(client, ws, action="start").get_json()["timer"]
    longer = timer(client, ws, action="add_minute").get_json()["timer"]
    assert parse(longer["ends_at"]) - parse(running["ends_at"]) == timedelta(seconds=60)
    assert longer["running"] is True
    paused = timer(client, ws, action="pause").get_json()["timer"]
    assert timer(client, ws, action="add_minute").get_json()["timer"]["remaining"] == (
        paused["remaining"] + 60
    )


def test_a_minute_after_time_is_up_counts_from_now(client: FlaskClient, ws: Workshop) -> None:
    timer(client, ws, action="start", seconds=30)
    set_step(ws.code, 0, timer_ends_at=utcnow() - timedelta(minutes=5))
    before = utcnow()
    clock = timer(client, ws, action="add_minute").get_json()["timer"]
    assert clock["running"] is True
    assert before + timedelta(seconds=60) <= parse(clock["ends_at"])
    assert parse(clock["ends_at"]) <= utcnow() + timedelta(seconds=60)


def test_reset_stops_at_the_full_length_and_clear_removes_the_timer(
    api: Api, client: FlaskClient, ws: Workshop
) -> None:
    timer(client, ws, action="start", seconds=100)
    timer(client, ws, action="add_minute")
    clock = timer(client, ws, action="reset").get_json()["timer"]
    assert (clock["running"], clock["remaining"], clock["seconds"]) == (False, 100, 100)
    clock = timer(client, ws, action="reset", seconds=45).get_json()["timer"]
    assert (clock["running"], clock["remaining"], clock["seconds"]) == (False, 45, 45)
    assert timer(client, ws, action="clear").get_json()["timer"] is None
    assert snapshot(api, ws)["step"]["timer"] is None


def test_a_timer_can_be_prepared_on_another_step(
    api: Api, client: FlaskClient, ws: Workshop
) -> None:
    data = timer(client, ws, action="reset", seconds=240, position=2, auto_advance=True).get_json()
    assert data["position"] == 2
    view = snapshot(api, ws)
    assert view["step"]["timer"] is None
    assert view["steps"][2]["timer"]["seconds"] == 240
    assert view["steps"][2]["timer"]["auto_advance"] is True


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"action": "stop"},
        {"action": "start", "seconds": 0},
        {"action": "start", "seconds": -10},
        {"action": "start", "seconds": "60"},
        {"action": "start", "seconds": True},
        {"action": "start", "seconds": 10**6},
        {"action": "start", "seconds": 60, "auto_advance": "ja"},
        {"action": "start", "seconds": 60, "position": 5},
        {"action": "start", "seconds": 60, "position": "1"},
    ],
)
def test_invalid_timer_requests_are_refused(
    api: Api, client: FlaskClient, ws: Workshop, body: dict[str, Any]
) -> None:
    version = snapshot(api, ws)["version"]
    assert_error(timer(client, ws, **body), 422, "validation")
    assert snapshot(api, ws)["version"] == version
    assert snapshot(api, ws)["step"]["timer"] is None


def test_a_timer_cannot_grow_beyond_four_hours(client: FlaskClient, ws: Workshop) -> None:
    timer(client, ws, action="start", seconds=4 * 60 * 60)
    assert_error(timer(client, ws, action="add_minute"), 422, "validation")


def test_only_the_facilitator_steers_the_timer(api: Api, client: FlaskClient, ws: Workshop) -> None:
    for key in (api.join(ws.code), ws.projector_key):
        assert_error(timer(client, ws, key, action="start", seconds=60), 403, "forbidden")
    assert_error(timer(client, ws, "not-a-key", action="start", seconds=60), 401, "unauthorized")
    with pytest.raises(Forbidden):
        steering.control_timer(ws.code, ws.projector_key, "start", 60)


def test_timer_actions_are_audited(client: FlaskClient, ws: Workshop) -> None:
    timer(client, ws, action="start", seconds=60, auto_advance=True)
    timer(client, ws, action="pause")
    actions = [(a[1], a[2]) for a in audit_of(ws.code) if a[1].startswith("timer")]
    assert actions == [
        ("timer_start", {"position": 0, "seconds": 60, "auto_advance": True}),
        ("timer_pause", {"position": 0, "seconds": 60, "auto_advance": True}),
    ]


# --- when time is up ------------------------------------------------------------------------


def later(seconds: int = 3600) -> datetime:
    return utcnow() + timedelta(seconds=seconds)


def test_time_up_with_auto_advance_moves_the_room_on_once(
    api: Api, client: FlaskClient, ws: Workshop, recorder: RecordingPublisher
) -> None:
    timer(client, ws, action="start", seconds=600, auto_advance=True)
    recorder.events.clear()
    assert steering.expire_timers(now=utcnow()) == []  # not yet
    assert steering.expire_timers(now=later()) == [ws.code]
    view = snapshot(api, ws)
    assert view["step"]["kind"] == "collect"
    stopped = view["steps"][0]["timer"]
    assert (stopped["running"], stopped["remaining"]) == (False, 0)
    assert [e.type for e in recorder.events] == ["timer", "step_changed"]
    assert recorder.events[1].data["step"]["kind"] == "collect"
    assert recorder.events[0].version < recorder.events[1].version
    assert steering.expire_timers(now=later()) == []  # idempotent
    assert snapshot(api, ws)["step"]["kind"] == "collect"
    assert ("timer", "step", {"position": 1, "kind": "collect"}) in audit_of(ws.code)


def test_time_up_without_auto_advance_leaves_the_step_open(
    api: Api, client: FlaskClient, ws: Workshop, recorder: RecordingPublisher
) -> None:
    timer(client, ws, action="start", seconds=30)
    set_step(ws.code, 0, timer_ends_at=utcnow() - timedelta(seconds=5))
    recorder.events.clear()
    assert steering.expire_timers(now=later()) == []
    view = snapshot(api, ws)
    assert view["step"]["kind"] == "info"
    assert (view["step"]["timer"]["running"], view["step"]["timer"]["remaining"]) == (True, 0)
    assert recorder.events == []


def test_an_expired_timer_of_a_step_the_room_has_left_does_not_move_it(
    api: Api, client: FlaskClient, ws: Workshop
) -> None:
    timer(client, ws, action="start", seconds=60, auto_advance=True)
    api.go_to(ws, "vote")
    assert steering.expire_timers(now=later()) == []
    view = snapshot(api, ws)
    assert view["step"]["kind"] == "vote"
    assert view["steps"][0]["timer"]["running"] is False


def test_an_expired_timer_on_the_last_step_stops_there(
    api: Api, client: FlaskClient, ws: Workshop
) -> None:
    api.go_to(ws, "results")
    timer(client, ws, action="start", seconds=60, auto_advance=True)
    assert steering.expire_timers(now=later()) == []
    view = snapshot(api, ws)
    assert view["step"]["kind"] == "results"
    assert view["step"]["timer"]["running"] is False


def test_a_paused_auto_advance_timer_never_expires(
    api: Api, client: FlaskClient, ws: Workshop
) -> None:
    timer(client, ws, action="start", seconds=60, auto_advance=True)
    timer(client, ws, action="pause")
    assert steering.expire_timers(now=later()) == []
    assert snapshot(api, ws)["step"]["kind"] == "info"


def test_the_clock_tick_never_raises(
    app: Any, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(now: datetime | None = None) -> list[str]:
        raise RuntimeError("database gone")

    monkeypatch.setattr(steering, "expire_timers", broken)
    clock = timers.TimerLoop(app, socketio_of(app))  # not started: only our ticks
    with caplog.at_level(logging.ERROR, logger="workshop.realtime.timers"):
        assert clock.tick() == []
        assert clock.tick() == []
    assert len(caplog.records) == 1  # the same failure every second is logged once


def test_the_clock_runs_once_per_app_and_stops_with_it(settings: Any) -> None:
    application = create_app(settings)
    clock = application.extensions[TIMER_LOOP]
    assert clock.running  # create_app started it
    assert clock.start() is False
    dispose_app(application)
    assert not clock.running
    assert clock.start() is False  # a disposed app's clock never starts again


def test_the_clock_tick_expires_due_timers(api: Api, client: FlaskClient, ws: Workshop) -> None:
    timer(client, ws, action="start", seconds=60, auto_advance=True)
    set_step(ws.code, 0, timer_ends_at=datetime.now(UTC) - timedelta(seconds=1))
    moved = client.application.extensions[TIMER_LOOP].tick()
    # the background clock may have handled it a moment earlier; either way the room moved once
    assert moved in ([ws.code], [])
    assert snapshot(api, ws)["step"]["kind"] == "collect"


# --- reveal ---------------------------------------------------------------------------------


def test_reveal_and_hide_the_results_that_count_now(
    api: Api, client: FlaskClient, ws: Workshop, recorder: RecordingPublisher
) -> None:
    api.go_to(ws, "vote")
    phone = api.join(ws.code)
    assert api.get(f"{ws.code}/results", phone).status_code == 403
    recorder.events.clear()
    recorder.tallies.clear()
    data = reveal(client, ws, revealed=True).get_json()
    assert data == {
        "position": 2,
        "step_id": data["step_id"],
        "revealed": True,
        "results_revealed": True,
    }
    events = of_type(recorder.events, "revealed")
    assert len(events) == 1 and events[0].audience == "everyone" and events[0].data == data
    assert recorder.tallies == [ws.code]
    assert snapshot(api, ws, phone)["revealed"] is True
    assert api.get(f"{ws.code}/results", phone).status_code == 200
    data = reveal(client, ws, revealed=False).get_json()
    assert (data["revealed"], data["results_revealed"]) == (False, False)
    assert snapshot(api, ws, phone)["revealed"] is False
    assert api.get(f"{ws.code}/results", phone).status_code == 403


def test_each_prioritising_step_is_revealed_on_its_own(
    api: Api, client: FlaskClient, ws: Workshop
) -> None:
    data = reveal(client, ws, revealed=True, position=3).get_json()
    assert (data["position"], data["revealed"]) == (3, True)
    steps = snapshot(api, ws)["steps"]
    assert [s["revealed"] for s in steps] == [False, False, False, True, False]
    api.go_to(ws, "vote")
    assert snapshot(api, ws)["revealed"] is False  # the vote step counts now, and is hidden
    api.go_to(ws, "rate")
    assert snapshot(api, ws)["revealed"] is True


def test_revealing_twice_changes_nothing(
    api: Api, client: FlaskClient, ws: Workshop, recorder: RecordingPublisher
) -> None:
    reveal(client, ws, revealed=True, position=2)
    version = snapshot(api, ws)["version"]
    assert reveal(client, ws, revealed=True, position=2).status_code == 200
    assert snapshot(api, ws)["version"] == version
    assert len(of_type(recorder.events, "revealed")) == 1


def test_moving_to_the_results_step_still_reveals_by_itself(
    api: Api, client: FlaskClient, ws: Workshop
) -> None:
    api.go_to(ws, "results")
    steps = snapshot(api, ws)["steps"]
    assert steps[3]["revealed"] is True  # the rate step: the last prioritising step reached
    assert reveal(client, ws, revealed=False).get_json()["position"] == 3


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"revealed": "ja"},
        {"revealed": 1},
        {"revealed": True, "position": 0},
        {"revealed": True, "position": 1},
        {"revealed": True, "position": 4},
        {"revealed": True, "position": 9},
    ],
)
def test_invalid_reveals_are_refused(
    api: Api, client: FlaskClient, ws: Workshop, body: dict[str, Any]
) -> None:
    version = snapshot(api, ws)["version"]
    assert_error(reveal(client, ws, **body), 422, "validation")
    assert snapshot(api, ws)["version"] == version


def test_only_the_facilitator_reveals(api: Api, client: FlaskClient, ws: Workshop) -> None:
    for key in (api.join(ws.code), ws.projector_key):
        assert_error(reveal(client, ws, key, revealed=True), 403, "forbidden")
    assert snapshot(api, ws)["steps"][2]["revealed"] is False
    refused = assert_error(reveal(client, ws, revealed=None), 422, "validation")
    assert refused["message"] == "«revealed» må være true eller false."


def test_reveal_and_hide_are_audited(client: FlaskClient, ws: Workshop) -> None:
    reveal(client, ws, revealed=True, position=2)
    reveal(client, ws, revealed=False, position=2)
    actions = [(a[1], a[2]) for a in audit_of(ws.code) if a[1] in ("reveal", "hide")]
    assert actions == [("reveal", {"position": 2}), ("hide", {"position": 2})]


# --- joining and the QR code ----------------------------------------------------------------


def test_closed_joining_refuses_new_phones_and_reopens(
    api: Api, client: FlaskClient, ws: Workshop, recorder: RecordingPublisher
) -> None:
    already = api.join(ws.code)
    data = patch(client, ws, joining_open=False).get_json()
    assert data == {"joining_open": False, "show_qr": True}
    events = of_type(recorder.events, "workshop_changed")
    assert len(events) == 1 and events[0].audience == "everyone"
    assert events[0].data == {"joining_open": False, "show_qr": True}
    response = client.post(f"/api/v1/workshops/{ws.code}/participants", json={})
    assert_error(response, 403, "forbidden")
    assert response.get_json()["error"]["message"] == "Påmeldingen er stengt."
    view = snapshot(api, ws, already)
    assert view["joining_open"] is False and view["participants"] == 1
    api.go_to(ws, "collect")
    assert api.propose(ws.code, already, "Skrevet etter at påmeldingen stengte").status_code == 201
    assert patch(client, ws, joining_open=True).get_json()["joining_open"] is True
    assert client.post(f"/api/v1/workshops/{ws.code}/participants", json={}).status_code == 201


def test_the_join_page_knows_joining_is_closed(client: FlaskClient, ws: Workshop) -> None:
    from workshop.services.snapshots import join_info

    assert join_info(ws.code)["joining_open"] is True
    patch(client, ws, joining_open=False)
    assert join_info(ws.code)["joining_open"] is False


def test_the_qr_code_is_shown_and_hidden(
    api: Api, client: FlaskClient, ws: Workshop, recorder: RecordingPublisher
) -> None:
    assert snapshot(api, ws, ws.projector_key)["show_qr"] is True
    assert patch(client, ws, show_qr=False).get_json() == {"joining_open": True, "show_qr": False}
    assert snapshot(api, ws, ws.projector_key)["show_qr"] is False
    version = snapshot(api, ws)["version"]
    patch(client, ws, show_qr=False)
    assert snapshot(api, ws)["version"] == version
    assert len(of_type(recorder.events, "workshop_changed")) == 1
    assert [a[1] for a in audit_of(ws.code)][-1] == "qr_hidden"


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"joining_open": "nei"},
        {"show_qr": 0},
        {"title": "Nytt navn"},
        {"joining_open": None, "show_qr": None},
    ],
)
def test_invalid_workshop_changes_are_refused(
    api: Api, client: FlaskClient, ws: Workshop, body: dict[str, Any]
) -> None:
    version = snapshot(api, ws)["version"]
    assert_error(patch(client, ws, **body), 422, "validation")
    assert snapshot(api, ws)["version"] == version


def test_only_the_facilitator_closes_joining(api: Api, client: FlaskClient, ws: Workshop) -> None:
    for key in (api.join(ws.code), ws.projector_key):
        assert_error(patch(client, ws, key, joining_open=False), 403, "forbidden")
    assert_error(patch(client, ws, "not-a-key", joining_open=False), 401, "unauthorized")
    assert snapshot(api, ws)["joining_open"] is True


# --- the OpenAPI document -------------------------------------------------------------------


def test_every_agenda_endpoint_is_in_the_openapi_document(app: Any, client: FlaskClient) -> None:
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    rules = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("api_agenda.")]
    assert len(rules) == 9
    for rule in rules:
        path = rule.rule.replace("<code>", "{code}").replace("<int:step_id>", "{step_id}")
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert method.lower() in paths[path], (path, method)


# --- realtime -------------------------------------------------------------------------------


def test_phones_and_projector_receive_the_timer(hall: Hall) -> None:
    phone = hall.screen(hall.join())
    projector = hall.screen(hall.projector)
    for screen in (phone, projector):
        screen.wait_for(lambda s=screen: s.of("snapshot"))
    response = hall.post(
        f"/api/v1/workshops/{hall.code}/timer",
        {"action": "start", "seconds": 120},
        hall.facilitator,
    )
    assert response.status_code == 200
    ends_at = response.json()["timer"]["ends_at"]
    for screen in (phone, projector):
        got = screen.wait_for(lambda s=screen: events_of(s, "timer"))
        assert got[0]["data"]["timer"]["ends_at"] == ends_at
        assert got[0]["data"]["timer"]["running"] is True
        assert got[0]["data"]["position"] == 0


def test_the_projector_receives_the_reveal(hall: Hall) -> None:
    projector = hall.screen(hall.projector)
    phone = hall.screen(hall.join())
    projector.wait_for(lambda: projector.of("snapshot"))
    hall.go(2)
    response = hall.post(
        f"/api/v1/workshops/{hall.code}/reveal", {"revealed": True}, hall.facilitator
    )
    assert response.status_code == 200
    got = projector.wait_for(lambda: events_of(projector, "revealed"))
    assert got[0]["data"]["revealed"] is True and got[0]["data"]["position"] == 2
    assert phone.wait_for(lambda: events_of(phone, "revealed"))


def test_an_auto_advance_timer_moves_every_phone_on(hall: Hall) -> None:
    phone = hall.screen(hall.join())
    phone.wait_for(lambda: phone.of("snapshot"))
    response = hall.post(
        f"/api/v1/workshops/{hall.code}/timer",
        {"action": "start", "seconds": 1, "auto_advance": True},
        hall.facilitator,
    )
    assert response.status_code == 200
    moved = phone.wait_for(lambda: events_of(phone, "step_changed"), timeout=8)
    assert moved[0]["data"]["step"]["position"] == 1
    assert moved[0]["data"]["step"]["kind"] == "collect"
    stopped = [e for e in events_of(phone, "timer") if not e["data"]["timer"]["running"]]
    assert stopped and stopped[0]["version"] < moved[0]["version"]


def test_closing_joining_reaches_the_projector(hall: Hall) -> None:
    projector = hall.screen(hall.projector)
    projector.wait_for(lambda: projector.of("snapshot"))
    response = requests_patch(hall, {"joining_open": False, "show_qr": False})
    assert response.status_code == 200
    got = projector.wait_for(lambda: events_of(projector, "workshop_changed"))
    assert got[0]["data"] == {"joining_open": False, "show_qr": False}


def test_the_agenda_reaches_staff_but_phones_see_only_their_step(hall: Hall) -> None:
    phone = hall.screen(hall.join())
    facilitator = hall.screen(hall.facilitator)
    for screen in (phone, facilitator):
        screen.wait_for(lambda s=screen: s.of("snapshot"))
    response = hall.post(
        f"/api/v1/workshops/{hall.code}/steps",
        {"kind": "info", "title": "Pause", "position": 0},
        hall.facilitator,
    )
    assert response.status_code == 201
    got = facilitator.wait_for(lambda: events_of(facilitator, "agenda_changed"))
    assert got[0]["data"]["steps"][0]["title"] == "Pause"
    moved = phone.wait_for(lambda: events_of(phone, "step_changed"))
    assert moved[0]["data"]["step"]["position"] == 1  # the room is still on its welcome step
    assert events_of(phone, "agenda_changed") == []


def requests_patch(hall: Hall, body: dict[str, Any]) -> Any:
    import requests

    return requests.patch(
        f"{hall.url}/api/v1/workshops/{hall.code}",
        json=body,
        headers={"Authorization": f"Bearer {hall.facilitator}"},
        timeout=10,
    )
