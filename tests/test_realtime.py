"""Socket.IO with a real server and real clients: snapshots, events, tallies, refusals."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
import socketio

from tests.support.realtime import Hall, Screen, proposals_received
from tests.support.servers import LiveServer


def test_each_audience_gets_a_snapshot_on_connect(hall: Hall) -> None:
    phone_key = hall.join("Folkevalgt")
    phone = hall.screen(phone_key)
    projector = hall.screen(hall.projector)
    facilitator = hall.screen(hall.facilitator)

    phone_view = phone.wait_for(lambda: phone.of("snapshot"))[0]
    assert phone_view["code"] == hall.code
    assert phone_view["audience"] == "participant"
    assert phone_view["me"]["roles"] == ["Folkevalgt"]
    assert "steps" not in phone_view
    assert projector.wait_for(lambda: projector.of("snapshot"))[0]["audience"] == "projector"
    staff_view = facilitator.wait_for(lambda: facilitator.of("snapshot"))[0]
    assert staff_view["audience"] == "facilitator"
    assert [s["kind"] for s in staff_view["steps"]][:4] == ["info", "collect", "vote", "results"]


def test_a_wrong_key_is_refused_over_websocket(hall: Hall) -> None:
    with pytest.raises(socketio.exceptions.ConnectionError):
        Screen(hall.url, hall.code, "not-a-key")


@pytest.mark.parametrize("key", [None, "", "not-a-key"])
def test_a_missing_or_wrong_key_is_refused(hall: Hall, key: str | None) -> None:
    with pytest.raises(socketio.exceptions.ConnectionError):
        Screen(hall.url, hall.code, key, transports=("polling",))


@pytest.mark.parametrize("key", [123, ["k"], {"key": "k"}, "nøkkel"])
def test_keys_that_are_not_plain_strings_are_refused(hall: Hall, key: Any) -> None:
    """Socket clients send any JSON as their key: a refusal, never a crash."""
    with pytest.raises(socketio.exceptions.ConnectionError):
        Screen(hall.url, hall.code, key, transports=("polling",))
    assert hall.screen(hall.projector, transports=("polling",)).client.connected


@pytest.mark.parametrize("code", [None, 42, ["ABCDEF"]])
def test_codes_that_are_not_strings_are_not_found(hall: Hall, code: Any) -> None:
    with pytest.raises(socketio.exceptions.ConnectionError):
        Screen(hall.url, code, hall.facilitator, transports=("polling",))


def test_a_key_of_another_workshop_is_refused(hall: Hall, live_server: LiveServer) -> None:
    other = Hall(live_server)
    with pytest.raises(socketio.exceptions.ConnectionError):
        Screen(hall.url, hall.code, other.projector, transports=("polling",))
    with pytest.raises(socketio.exceptions.ConnectionError):
        Screen(hall.url, hall.code, other.join(), transports=("polling",))
    assert hall.screen(other.projector, code=other.code, transports=("polling",)).client.connected


def test_a_connection_from_another_origin_is_refused(hall: Hall) -> None:
    with pytest.raises(socketio.exceptions.ConnectionError):
        Screen(
            hall.url,
            hall.code,
            hall.projector,
            headers={"Origin": "http://evil.example"},
            transports=("polling",),
        )
    assert hall.screen(hall.projector, transports=("polling",)).client.connected


def test_phones_follow_step_changes_and_new_proposals(hall: Hall) -> None:
    key = hall.join()
    phone = hall.screen(key)
    phone.wait_for(lambda: phone.of("snapshot"))
    hall.go(1)
    steps = phone.wait_for(lambda: [e for e in phone.of("event") if e["type"] == "step_changed"])
    assert steps[0]["data"]["step"]["kind"] == "collect"
    hall.propose(key, "Slå sammen handlingsdel og økonomiplan")
    added = phone.wait_for(
        lambda: [e for e in phone.of("event") if e["type"] == "proposals_changed"]
    )
    titles = [p["title"] for p in added[0]["data"]["proposals"]]
    assert titles == ["Slå sammen handlingsdel og økonomiplan"]
    assert added[0]["version"] > steps[0]["version"]


def test_tally_reaches_projector_and_equals_committed_totals(hall: Hall) -> None:
    phones = [hall.join() for _ in range(4)]
    hall.go(1)
    first = hall.propose(phones[0], "Kortere samfunnsdel")["id"]
    second = hall.propose(phones[1], "Felles planressurs")["id"]
    projector = hall.screen(hall.projector)
    phone = hall.screen(phones[0])
    hall.go(2)
    for index, key in enumerate(phones):
        assert hall.vote(key, {first: 3, second: 2} if index % 2 else {first: 5}).status_code == 200

    def final_tally() -> dict | None:
        tallies = projector.of("tally")
        if tallies and tallies[-1]["voters"] == 4:
            return tallies[-1]
        return None

    tally = projector.wait_for(final_tally)
    assert {p["id"]: p["dots"] for p in tally["proposals"]} == {first: 16, second: 4}
    assert phone.wait_for(lambda: [p for p in phone.of("progress") if p["voters"] == 4])
    assert phone.of("tally") == [], "phones must not receive tallies before the reveal"


def test_tallies_are_coalesced_not_sent_per_vote(hall: Hall) -> None:
    phones = [hall.join() for _ in range(30)]
    hall.go(1)
    proposal = hall.propose(phones[0], "Felles planressurs")["id"]
    projector = hall.screen(hall.projector)
    projector.wait_for(lambda: projector.of("tally"))
    hall.go(2)
    threads = [threading.Thread(target=hall.vote, args=(key, {proposal: 1})) for key in phones]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    projector.wait_for(lambda: any(t["voters"] == 30 for t in projector.of("tally")))
    assert len(projector.of("tally")) < 30


def test_pending_proposals_reach_only_the_facilitator(halls: Callable[..., Hall]) -> None:
    hall = halls(moderation=True)
    key = hall.join()
    phone = hall.screen(key)
    projector = hall.screen(hall.projector)
    facilitator = hall.screen(hall.facilitator)
    hall.go(1)
    hall.propose(key, "Et forslag som venter på godkjenning")
    added = facilitator.wait_for(
        lambda: [e for e in facilitator.of("event") if e["type"] == "proposal_added"]
    )
    assert added[0]["data"]["proposal"]["status"] == "pending"
    phone.wait_for(lambda: [e for e in phone.of("event") if e["type"] == "step_changed"])
    hall.barrier(phone, projector)
    for screen in (phone, projector):
        assert not proposals_received(screen)  # one by one (staff) or batched (phones)


def test_reconnect_gets_a_fresh_snapshot(hall: Hall) -> None:
    key = hall.join()
    first = hall.screen(key)
    version = first.wait_for(lambda: first.of("snapshot"))[0]["version"]
    first.close()
    hall.go(1)
    hall.propose(key, "Skrevet mens telefonen var borte")
    second = hall.screen(key)
    snapshot = second.wait_for(lambda: second.of("snapshot"))[0]
    assert snapshot["version"] > version
    assert snapshot["step"]["kind"] == "collect"
    assert [p["title"] for p in snapshot["proposals"]] == ["Skrevet mens telefonen var borte"]
