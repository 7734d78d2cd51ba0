"""Nothing blocks the event loop, and every WebSocket frame arrives whole (issue 10).

Real server processes (`python -m workshop serve`): gevent as in production, and threading.
"""

from __future__ import annotations

import signal
import threading
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.support.bulk import SlowPhone, seed_workshop
from tests.support.corpus import realistic_proposals
from tests.support.servers import ServerProcess
from workshop.realtime import frames
from workshop.similarity import Text


def test_sigterm_stops_the_server_during_long_suggestions_and_pages_are_served_meanwhile(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    created = seed_workshop(data, realistic_proposals(3000))
    # A budget longer than the work: the request waits for it instead of answering 503.
    server = ServerProcess(data, WORKSHOP_ASYNC_MODE="gevent", WORKSHOP_OFFLOAD_BUDGET="600")
    server.start()
    outcome: dict[str, Any] = {}

    def ask_for_suggestions() -> None:
        try:
            outcome["response"] = requests.get(
                f"{server.url}/api/v1/workshops/{created.code}/similar?threshold=60",
                headers={"Authorization": f"Bearer {created.facilitator_key}"},
                timeout=120,
            )
        except requests.ConnectionError as error:
            outcome["error"] = error

    facilitator = threading.Thread(target=ask_for_suggestions)
    try:
        facilitator.start()
        start_page = requests.get(server.url + "/", timeout=60)
        assert start_page.status_code == 200
        assert facilitator.is_alive(), outcome  # answered while the suggestions were worked out
        assert server.process is not None
        server.process.send_signal(signal.SIGTERM)
        server.process.wait(timeout=30)
        assert server.process.returncode is not None
        facilitator.join(60)
        # The server stopped in the middle of the work instead of finishing it first.
        assert "response" not in outcome, outcome["response"].status_code
    finally:
        server.stop()


@pytest.mark.parametrize("mode", ["gevent", "threading"])
def test_a_phone_on_a_slow_network_receives_a_2_mb_snapshot_whole(
    tmp_path: Path, mode: str
) -> None:
    data = tmp_path / "data"
    bodies = [
        Text(i, f"Forslag {i}", (f"Begrunnelse nummer {i}. " * 100)[:1900]) for i in range(1100)
    ]
    created = seed_workshop(data, bodies)
    server = ServerProcess(data, WORKSHOP_ASYNC_MODE=mode)
    server.start()
    try:
        phone = SlowPhone(server.url, created.code, created.facilitator_key)
        phone.look_away(2)
        snapshot = phone.event("snapshot")
        phone.close()
    finally:
        server.stop()
    received = {p["title"]: p["body"] for p in snapshot["proposals"]}
    assert received == {text.title: text.body for text in bodies}
    assert sum(len(body) for body in received.values()) > 2_000_000


def test_the_workaround_retires_once_simple_websocket_is_fixed() -> None:
    assert frames.needs_fix("1.1.0") and frames.needs_fix("1.0.0")
    assert not frames.needs_fix("1.1.1") and not frames.needs_fix("2.0")
    if frames.needs_fix():
        from simple_websocket import ws

        assert frames.install() and ws.Base._planverksted_whole_frames
