"""Real Socket.IO clients against a live server (plugin: ``hall``).

Socket.IO delivers a connection's messages in order, so a test proves that an event did *not*
reach a client by sending a harmless event after the action under test that does reach it (a
barrier, see ``Hall.barrier``) and looking once that has arrived: no sleeping and hoping.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests
import socketio

from tests.support.config import ADMIN_KEY
from tests.support.servers import LiveServer


class Screen:
    """A Socket.IO client that records everything the server sends it."""

    def __init__(
        self,
        url: str,
        code: str,
        key: str | None,
        headers: dict | None = None,
        transports: tuple[str, ...] = ("websocket",),
        auth: dict[str, Any] | None = None,
    ) -> None:
        self.received: list[tuple[str, Any]] = []
        self.lock = threading.Lock()
        self.client = socketio.Client(reconnection=False)
        for name in ("snapshot", "event", "tally", "progress"):
            self.client.on(name, self._recorder(name))
        sent: dict[str, Any] = {"workshop": code, **(auth or {})}
        if key is not None:
            sent["key"] = key
        self.client.connect(
            url, auth=sent, transports=list(transports), headers=headers or {}, wait_timeout=5
        )

    def _recorder(self, name: str) -> Callable[[Any], None]:
        def record(data: Any) -> None:
            with self.lock:
                self.received.append((name, data))

        return record

    def of(self, name: str) -> list[Any]:
        """Everything received under one message name."""
        with self.lock:
            return [data for kind, data in self.received if kind == name]

    def wait_for(self, predicate: Callable[[], Any], timeout: float = 5.0) -> Any:
        """Wait until predicate() is truthy; fail the test otherwise."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = predicate()
            if value:
                return value
            time.sleep(0.02)
        pytest.fail(f"timed out; received: {self.received!r}")

    def close(self) -> None:
        """Disconnect without waiting for the WebSocket closing handshake."""
        threading.Thread(target=self.client.disconnect, daemon=True).start()


class Hall:
    """A workshop on a live server, driven over HTTP like phones and a facilitator would."""

    def __init__(self, live: LiveServer, **settings: Any) -> None:
        self.url = live.url
        body: dict[str, Any] = {"title": "Verksted i salen"}
        if settings:
            body["settings"] = settings
        created = self.post("/api/v1/workshops", body, ADMIN_KEY)
        assert created.status_code == 201
        self.data = created.json()
        self.code = self.data["code"]
        self.facilitator = self.data["facilitator_key"]
        self.projector = self.data["projector_key"]
        self.screens: list[Screen] = []

    def post(self, path: str, body: dict, key: str | None = None) -> requests.Response:
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        return requests.post(self.url + path, json=body, headers=headers, timeout=10)

    def patch(self, path: str, body: dict, key: str) -> requests.Response:
        return requests.patch(
            self.url + path, json=body, headers={"Authorization": f"Bearer {key}"}, timeout=10
        )

    def put(self, path: str, body: dict, key: str) -> requests.Response:
        return requests.put(
            self.url + path, json=body, headers={"Authorization": f"Bearer {key}"}, timeout=10
        )

    def join(self, role: str | None = None) -> str:
        body = {"role": role} if role else {}
        response = self.post(f"/api/v1/workshops/{self.code}/participants", body)
        assert response.status_code == 201
        return response.json()["key"]

    def go(self, position: int) -> None:
        response = self.post(
            f"/api/v1/workshops/{self.code}/step", {"position": position}, self.facilitator
        )
        assert response.status_code == 200

    def propose(self, key: str, title: str) -> dict:
        response = self.post(f"/api/v1/workshops/{self.code}/proposals", {"title": title}, key)
        assert response.status_code == 201, response.text
        return response.json()

    def vote(self, key: str, allocations: dict[int, int]) -> requests.Response:
        return self.put(
            f"/api/v1/workshops/{self.code}/votes",
            {"allocations": {str(k): v for k, v in allocations.items()}},
            key,
        )

    def view(self) -> dict[str, Any]:
        """The facilitator's snapshot over HTTP."""
        response = requests.get(
            f"{self.url}/api/v1/workshops/{self.code}",
            headers={"Authorization": f"Bearer {self.facilitator}"},
            timeout=10,
        )
        assert response.status_code == 200, response.text
        return response.json()

    def barrier(self, *screens: Screen) -> None:
        """Return once every screen has received all that was sent to it before this call.

        Socket.IO delivers a connection's messages in order, so the barrier causes a harmless
        event that reaches every audience after whatever the test did before: the facilitator
        hides the join QR code and shows it again (two ``workshop_changed`` events to everyone;
        the workshop ends as it was, two versions on). Once a screen has the second one, an event
        it has not received was never sent to it. Call it after the action under test has
        answered, then assert what must be absent.
        """
        before = self.view()
        shown = before["show_qr"]
        for value in (not shown, shown):
            response = self.patch(
                f"/api/v1/workshops/{self.code}", {"show_qr": value}, self.facilitator
            )
            assert response.status_code == 200, response.text

        def restored(screen: Screen) -> list[dict[str, Any]]:
            return [
                e
                for e in events_of(screen, "workshop_changed")
                if e["version"] > before["version"] and e["data"]["show_qr"] == shown
            ]

        for screen in screens:
            screen.wait_for(lambda s=screen: restored(s))

    def screen(self, key: str | None, code: str | None = None, **kwargs: Any) -> Screen:
        screen = Screen(self.url, code or self.code, key, **kwargs)
        self.screens.append(screen)
        return screen


@pytest.fixture
def halls(live_server: LiveServer) -> Iterator[Callable[..., Hall]]:
    """Open workshops (with settings) on a running server; their screens are closed afterwards."""
    opened: list[Hall] = []

    def open_hall(**settings: Any) -> Hall:
        opened.append(Hall(live_server, **settings))
        return opened[-1]

    yield open_hall
    for room in opened:
        for screen in room.screens:
            screen.close()


@pytest.fixture
def hall(halls: Callable[..., Hall]) -> Hall:
    """A workshop on a running server; its screens are closed afterwards."""
    return halls()


def events_of(screen: Screen, type_: str) -> list[dict[str, Any]]:
    """The events of one type a screen received, in order."""
    return [e for e in screen.of("event") if e["type"] == type_]


def proposals_received(screen: Screen) -> list[dict[str, Any]]:
    """Every proposal a screen was sent, in order: one by one (staff) or in batches (phones)."""
    return [proposal for _, proposal in versioned_proposals(screen)]


def versioned_proposals(screen: Screen) -> list[tuple[int, dict[str, Any]]]:
    """Every proposal a screen was sent with the version of its event (a batch's for phones)."""
    received: list[tuple[int, dict[str, Any]]] = []
    for event in screen.of("event"):
        if event["type"] in ("proposal_added", "proposal_updated"):
            received.append((event["version"], event["data"]["proposal"]))
        elif event["type"] == "proposals_changed":
            received.extend((event["version"], p) for p in event["data"]["proposals"])
    return received
