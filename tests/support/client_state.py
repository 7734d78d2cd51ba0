"""Replaying what a screen received through the real static/js/state.js in node."""

from __future__ import annotations

import json
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import socketio

HARNESS = Path(__file__).with_name("client_state_node.js")
STANCE_WORDS = {1: "agree", -1: "disagree", 0: "pass"}
WAIT = 10.0


class NodeState:
    """static/js/state.js in one persistent node process, spoken to in JSON lines."""

    def __init__(self, node: str) -> None:
        self.process = subprocess.Popen(
            [node, str(HARNESS)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )

    def replay(self, messages: list[tuple[str, Any]]) -> dict[str, Any]:
        """The state after applying the messages in order."""
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps({"messages": messages}) + "\n")
        self.process.stdin.flush()
        answer = json.loads(self.process.stdout.readline())
        assert "error" not in answer, answer["error"]
        return answer

    def close(self) -> None:
        """Stop node."""
        if self.process.stdin is not None:
            self.process.stdin.close()
        self.process.wait(timeout=5)


class Listener:
    """A Socket.IO client that keeps every message in the order it arrived."""

    def __init__(self, url: str, code: str, key: str) -> None:
        self.messages: list[tuple[str, Any]] = []
        self.lock = threading.Lock()
        self.client = socketio.Client(reconnection=False)
        for name in ("snapshot", "event", "tally", "progress"):
            self.client.on(name, self._keep(name))
        self.client.connect(
            url, auth={"workshop": code, "key": key}, transports=["websocket"], wait_timeout=5
        )

    def _keep(self, name: str) -> Callable[[Any], None]:
        def keep(data: Any) -> None:
            self.add(name, data)

        return keep

    def add(self, name: str, data: Any) -> None:
        """Keep a message (also a phone's own HTTP answer, in the order it came)."""
        with self.lock:
            self.messages.append((name, data))

    def received(self) -> list[tuple[str, Any]]:
        """Everything so far, snapshot first."""
        with self.lock:
            return list(self.messages)

    def highest(self, *kinds: str) -> int:
        """The highest version seen in messages of these kinds."""
        versions = [
            data.get("version", 0)
            for name, data in self.received()
            if name in kinds and isinstance(data, dict)
        ]
        return max(versions, default=0)

    def close(self) -> None:
        """Disconnect without waiting for the closing handshake."""
        threading.Thread(target=self.client.disconnect, daemon=True).start()


def wait_until(predicate: Callable[[], bool], what: str) -> None:
    """Poll a condition that a message arriving makes true (a barrier, not a sleep)."""
    deadline = time.monotonic() + WAIT
    while not predicate():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.01)


def normalise(snapshot: dict[str, Any], audience: str) -> dict[str, Any]:
    """Take out only what legitimately differs between a replayed and a fresh snapshot."""
    data = json.loads(json.dumps(snapshot))
    for step in [data["step"], *data.get("steps", [])]:
        timer = step.get("timer")
        if timer:
            # The server stamps its clock into every timer payload, and a running timer's
            # remaining seconds count down between two reads: the clock is not state.
            timer.pop("server_time", None)
            if timer.get("running"):
                timer.pop("remaining", None)
    stances = data.get("me", {}).get("stances")
    if stances:
        # Stored as sent; until the stance wire format change lands the snapshot still sends
        # 1 / -1 / 0 where the PUT answer sends "agree" / "disagree" / "pass".
        data["me"]["stances"] = {k: STANCE_WORDS.get(v, v) for k, v in stances.items()}
    if audience == "participant":
        # Phones get no event per join (that would be a broadcast per join to every phone);
        # the count on their snapshot is only read at connect. They are told nothing else.
        data.pop("participants", None)
    return data
