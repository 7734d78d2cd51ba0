"""Snapshot + events = a fresh snapshot for the follow-up events too (actions, suggestions,
closing, notes, the published report), replayed through the real static/js/state.js in node."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from tests.support import followup as support
from tests.support.client_state import Listener, NodeState, normalise, wait_until
from tests.support.config import ADMIN_KEY, skip_or_fail
from tests.support.followup import ACTIONS
from tests.support.servers import LiveServer

followup_plan = support.followup_plan  # fixture


@pytest.fixture
def node() -> Iterator[NodeState]:
    path = shutil.which("node")
    if path is None:
        skip_or_fail("node is not installed")
    process = NodeState(str(path))
    yield process
    process.close()


def test_follow_up_events_keep_every_screen_equal_to_a_fresh_snapshot(
    live_server: LiveServer, followup_plan: str, node: NodeState
) -> None:
    url = live_server.url

    def call(method: str, path: str, key: str | None, body: Any = None) -> Any:
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        response = requests.request(
            method, f"{url}/api/v1{path}", json=body, headers=headers, timeout=10
        )
        assert response.status_code < 400, response.text
        return response.json() if response.content else None

    created = call("POST", "/workshops", ADMIN_KEY, {"title": "Tilstand", "plan": followup_plan})
    code = created["code"]
    base = f"/workshops/{code}"
    keys = {
        "facilitator": created["facilitator_key"],
        "projector": created["projector_key"],
        "participant": call("POST", f"{base}/participants", None, {})["key"],
    }
    listeners = {audience: Listener(url, code, key) for audience, key in keys.items()}
    facilitator = keys["facilitator"]

    def check() -> None:
        show_qr = not call("GET", base, facilitator)["show_qr"]
        call("PATCH", base, facilitator, {"show_qr": show_qr})  # the marker every screen gets
        version = call("GET", base, facilitator)["version"]
        for audience, listener in listeners.items():
            wait_until(
                lambda listener=listener: listener.highest("snapshot", "event") >= version, audience
            )
            replayed = node.replay(listener.received())
            fresh = call("GET", base, keys[audience])
            state = replayed["snapshot"]
            assert not replayed["stale"].get("snapshot"), audience
            if audience != "facilitator":
                assert state["version"] <= fresh["version"]
                state["version"] = fresh["version"]
            if audience == "participant":
                state.pop("me", None)
                fresh.pop("me", None)
            assert normalise(state, audience) == normalise(fresh, audience), audience

    try:
        first = call("POST", f"{base}/actions", facilitator, {"what": "Før tiltakssteget"})
        check()
        call("POST", f"{base}/step", facilitator, {"position": ACTIONS})
        second = call(
            "POST",
            f"{base}/actions",
            facilitator,
            {"what": "I tiltakssteget", "decided_by": "formannskapet"},
        )
        call(
            "POST",
            f"{base}/actions/{second['id']}/suggestions",
            keys["participant"],
            {"owner": "Rådmannen", "due": "2027-01-01"},
        )
        check()
        call("PATCH", f"{base}/actions/{first['id']}", facilitator, {"owner": "Planleggeren"})
        call("DELETE", f"{base}/actions/{second['id']}", facilitator)
        check()
        call("POST", f"{base}/close", facilitator)
        check()
        call("POST", f"{base}/notes", facilitator, {"text": "Oppfølging"})
        call("PATCH", f"{base}/outcome", facilitator, {"report_published": True})
        call("POST", f"{base}/actions", facilitator, {"what": "Etter avslutningen"})
        check()
    finally:
        for listener in listeners.values():
            listener.close()
