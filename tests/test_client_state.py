"""Snapshot + every message received = a fresh snapshot, for phone, projector and facilitator.

In the spirit of Zulip's test_events: a Hypothesis state machine drives a workshop on a live
server over the JSON API (join, submit, moderate, edit, merge and undo, vote, rate, stances, step
changes, reveal) while real Socket.IO clients listen as a phone, the projector and the
facilitator. After each change the test waits for a barrier (never a sleep), replays what each
client received through the real static/js/state.js in node, and compares the result with a
fresh snapshot of the same audience.
"""

from __future__ import annotations

import os
import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from tests.support.client_state import Listener, NodeState, normalise, wait_until
from tests.support.config import ADMIN_KEY, skip_or_fail, test_settings
from tests.support.servers import LiveServer, start_live_server
from workshop import create_app

ROLES = ["Folkevalgt", "Administrasjon", "Innbygger", None]
STANCES = ["agree", "disagree", "pass"]
VOTE, RATE, AGREE = 2, 5, 7  # positions in plan-simplification, with an agree step added last


class Room:
    """The live server, node and the HTTP calls of one test run."""

    def __init__(self, live: LiveServer, node: NodeState) -> None:
        self.url = live.url
        self.node = node
        self.reached: Counter[str] = Counter()

    def call(self, method: str, path: str, key: str | None, body: Any = None) -> Any:
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        response = requests.request(
            method, self.url + "/api/v1" + path, json=body, headers=headers, timeout=10
        )
        assert response.status_code < 500, response.text
        if method != "GET":  # what the run reached, printed with pytest -s
            what = path.split("/")[3] if path.count("/") > 2 else path.split("/")[1]
            self.reached[f"{method} {what} {response.status_code}"] += 1
        return response


class WorkshopMachine(RuleBasedStateMachine):
    """A workshop driven at random, with a phone, a projector and a facilitator listening."""

    room: Room  # set by the test

    def __init__(self) -> None:
        super().__init__()
        self.listeners: dict[str, Listener] = {}
        self.keys: dict[str, str] = {}
        self.participants: list[str] = []
        self.merges: list[int] = []
        self.position = 0
        self.joining_open = True
        self.code = ""

    # ---- helpers ---------------------------------------------------------------------------

    def api(self, method: str, path: str, key: str | None, body: Any = None) -> Any:
        return self.room.call(method, f"/workshops/{self.code}{path}", key, body)

    def fresh(self, audience: str) -> dict[str, Any]:
        response = self.api("GET", "", self.keys[audience])
        assert response.status_code == 200, response.text
        return response.json()

    def proposals(self, *statuses: str) -> list[dict[str, Any]]:
        return [p for p in self.fresh("facilitator")["proposals"] if p["status"] in statuses]

    def pick(self, items: list[Any], index: int) -> Any:
        return items[index % len(items)] if items else None

    def moderate_one(self, proposal_id: int, changes: dict[str, Any]) -> None:
        self.api("PATCH", f"/proposals/{proposal_id}", self.keys["facilitator"], changes)

    def phone_answer(self, who: int, answer: Any) -> None:
        """A phone learns its own answers from its HTTP replies, as participant.js does."""
        if who % len(self.participants) == 0 and answer.status_code == 200:
            self.listeners["participant"].add("me", answer.json())

    # ---- setup -----------------------------------------------------------------------------

    @initialize(moderation=st.booleans(), start=st.sampled_from([1, 2, 5, 7]))
    def open_workshop(self, moderation: bool, start: int) -> None:
        body = {"title": "Eiendomsverksted", "settings": {"moderation": moderation}}
        created = self.room.call("POST", "/workshops", ADMIN_KEY, body)
        assert created.status_code == 201, created.text
        data = created.json()
        self.code = data["code"]
        phone = self.api("POST", "/participants", None, {"role": "Folkevalgt"}).json()["key"]
        self.participants = [phone]
        self.keys = {
            "facilitator": data["facilitator_key"],
            "projector": data["projector_key"],
            "participant": phone,
        }
        for audience, key in self.keys.items():
            self.listeners[audience] = Listener(self.room.url, self.code, key)
        # An agree step at the end, added while everyone listens (agenda events).
        added = self.api(
            "POST",
            "/steps",
            self.keys["facilitator"],
            {"kind": "vote", "title": "Enig?", "config": {"mode": "agree"}},
        )
        assert added.status_code == 201, added.text
        for title in ("Felles planregister", "Kortere høringsfrister", "Mal for planprogram"):
            self.api("POST", "/proposals", self.keys["facilitator"], {"title": title})
        self.jump(start)

    def teardown(self) -> None:
        for listener in self.listeners.values():
            listener.close()

    # ---- rules -----------------------------------------------------------------------------

    @precondition(lambda self: len(self.participants) < 5 and self.joining_open)
    @rule(role=st.sampled_from(ROLES))
    def join(self, role: str | None) -> None:
        body = {"role": role} if role else {}
        response = self.api("POST", "/participants", None, body)
        assert response.status_code == 201, response.text
        self.participants.append(response.json()["key"])

    @rule(
        who=st.integers(0, 20),
        by_facilitator=st.booleans(),
        title=st.text(st.characters(codec="utf-8", categories=["L", "N"]), min_size=1, max_size=12),
    )
    def submit(self, who: int, by_facilitator: bool, title: str) -> None:
        key = self.keys["facilitator"] if by_facilitator else self.pick(self.participants, who)
        self.api("POST", "/proposals", key, {"title": title, "body": "Kort forklaring"})

    @rule(which=st.integers(0, 50), status=st.sampled_from(["visible", "hidden"]))
    def moderate(self, which: int, status: str) -> None:
        target = self.pick(self.proposals("pending", "visible", "hidden"), which)
        if target:
            self.moderate_one(target["id"], {"status": status})

    @rule(which=st.integers(0, 50), title=st.sampled_from(["Enklere planprogram", "Felles kart"]))
    def edit(self, which: int, title: str) -> None:
        target = self.pick(self.proposals("pending", "visible", "hidden"), which)
        if target:
            self.moderate_one(target["id"], {"title": title})

    @rule(which=st.lists(st.integers(0, 50), min_size=2, max_size=3, unique=True))
    def merge(self, which: list[int]) -> None:
        candidates = self.proposals("pending", "visible")
        chosen = list({self.pick(candidates, i)["id"] for i in which} if candidates else [])
        if len(chosen) < 2:
            return
        response = self.api(
            "POST",
            "/merges",
            self.keys["facilitator"],
            {"survivor_id": chosen[0], "merged_ids": chosen[1:]},
        )
        if response.status_code == 201:
            self.merges.append(response.json()["merge_id"])

    @precondition(lambda self: self.merges)
    @rule(which=st.integers(0, 10))
    def undo_merge(self, which: int) -> None:
        merge_id = self.pick(self.merges, which)
        if merge_id is not None:
            self.api("DELETE", f"/merges/{merge_id}", self.keys["facilitator"])

    @precondition(lambda self: self.position == VOTE)
    @rule(who=st.integers(0, 20), dots=st.lists(st.integers(0, 3), max_size=4))
    def vote(self, who: int, dots: list[int]) -> None:
        visible = self.proposals("visible")
        allocations = {str(p["id"]): n for p, n in zip(visible, dots, strict=False)}
        key = self.pick(self.participants, who)
        answer = self.api("PUT", "/votes", key, {"allocations": allocations})
        self.phone_answer(who, answer)

    @precondition(lambda self: self.position == RATE)
    @rule(who=st.integers(0, 20), scores=st.lists(st.integers(1, 5), max_size=4))
    def rate(self, who: int, scores: list[int]) -> None:
        visible = self.proposals("visible")
        ratings = {
            str(p["id"]): {"gevinst": n, "innsats": 6 - n}
            for p, n in zip(visible, scores, strict=False)
        }
        key = self.pick(self.participants, who)
        answer = self.api("PUT", "/ratings", key, {"ratings": ratings})
        self.phone_answer(who, answer)

    @precondition(lambda self: self.position == AGREE)
    @rule(who=st.integers(0, 20), answers=st.lists(st.sampled_from(STANCES), max_size=4))
    def take_stances(self, who: int, answers: list[str]) -> None:
        visible = self.proposals("visible")
        stances = {str(p["id"]): a for p, a in zip(visible, answers, strict=False)}
        key = self.pick(self.participants, who)
        answer = self.api("PUT", "/stances", key, {"stances": stances})
        self.phone_answer(who, answer)

    @rule(action=st.sampled_from(["next", "previous"]))
    def step(self, action: str) -> None:
        self.move({"action": action})

    @rule(position=st.sampled_from([0, 1, 2, 2, 3, 4, 5, 5, 6, 7, 7]))  # often a prioritising step
    def jump(self, position: int) -> None:
        self.move({"position": position})

    def move(self, body: dict[str, Any]) -> None:
        response = self.api("POST", "/step", self.keys["facilitator"], body)
        if response.status_code == 200:
            self.position = response.json()["step"]["position"]

    @rule(revealed=st.booleans())
    def reveal(self, revealed: bool) -> None:
        self.api("POST", "/reveal", self.keys["facilitator"], {"revealed": revealed})

    @rule(action=st.sampled_from(["start", "pause", "add_minute", "reset", "clear"]))
    def timer(self, action: str) -> None:
        self.api("POST", "/timer", self.keys["facilitator"], {"action": action, "seconds": 300})

    @rule(joining_open=st.booleans())
    def joining(self, joining_open: bool) -> None:
        self.api("PATCH", "", self.keys["facilitator"], {"joining_open": joining_open})
        self.joining_open = joining_open  # a closed room refuses joins

    @rule(position=st.integers(0, 7), title=st.sampled_from(["Ny tittel", "Pause"]))
    def retitle_step(self, position: int, title: str) -> None:
        steps = self.fresh("facilitator")["steps"]
        step_id = steps[position % len(steps)]["id"]
        self.api("PATCH", f"/steps/{step_id}", self.keys["facilitator"], {"title": title})

    # ---- the invariant ---------------------------------------------------------------------

    def barrier(self) -> None:
        """Wait until every client has received everything of the changes so far.

        The facilitator learns every version: events, or for votes the coalesced tally. Then a
        marker change that every audience receives (the QR code toggled) closes the barrier:
        one socket delivers in order, so whoever got the marker got all before it.
        """
        version = self.fresh("facilitator")["version"]
        facilitator = self.listeners["facilitator"]
        wait_until(
            lambda: facilitator.highest("snapshot", "event", "tally") >= version,
            f"the facilitator to learn version {version}",
        )
        show_qr = not self.fresh("facilitator")["show_qr"]
        marker = self.api("PATCH", "", self.keys["facilitator"], {"show_qr": show_qr})
        assert marker.status_code == 200, marker.text
        version = self.fresh("facilitator")["version"]
        for audience, listener in self.listeners.items():
            wait_until(
                lambda listener=listener: listener.highest("snapshot", "event") >= version,
                f"the {audience} to receive the marker of version {version}",
            )

    @invariant()
    def replayed_state_equals_a_fresh_snapshot(self) -> None:
        if not self.code:
            return
        self.barrier()
        for audience, listener in self.listeners.items():
            replayed = self.room.node.replay(listener.received())
            if audience == "participant" and replayed["stale"].get("me"):
                # participant.js reloads the step when state.js marks its own answers stale.
                listener.add("me", self.fresh("participant")["me"])
                replayed = self.room.node.replay(listener.received())
            fresh = self.fresh(audience)
            state = replayed["snapshot"]
            if audience != "facilitator":
                # Projector and phones are not told of facilitator-only changes (pending
                # proposals, merge bookkeeping), which bump the version too.
                assert state["version"] <= fresh["version"]
                state["version"] = fresh["version"]
            assert normalise(state, audience) == normalise(fresh, audience), audience


@pytest.fixture
def node() -> Iterator[NodeState]:
    """One node process running static/js/state.js for the whole test."""
    path = shutil.which("node")
    if path is None:
        skip_or_fail("node is not installed")
    process = NodeState(str(path))
    yield process
    process.close()


@pytest.fixture
def hall(tmp_path: Path) -> Iterator[LiveServer]:
    """A live server whose join limit does not get in the way of many joins."""
    app = create_app(test_settings(tmp_path, join_rate_per_minute=100_000))
    running = start_live_server(app)
    yield running
    running.server.shutdown()


def test_snapshot_plus_events_equals_a_fresh_snapshot(hall: LiveServer, node: NodeState) -> None:
    WorkshopMachine.room = Room(hall, node)
    run_state_machine_as_test(
        WorkshopMachine,
        settings=settings(
            max_examples=int(os.environ.get("CLIENT_STATE_EXAMPLES", "25")),
            stateful_step_count=15,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=False,
        ),
    )
    print("calls reached:", dict(sorted(WorkshopMachine.room.reached.items())))
