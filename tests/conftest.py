"""Shared fixtures: a real app on a real SQLite file, API helpers, a live server."""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.serving import BaseWSGIServer, make_server

from workshop import create_app
from workshop.config import Settings
from workshop.services.events import RecordingPublisher, get_publisher, set_publisher

ADMIN_KEY = "test-admin-key"
PUBLIC_URL = "http://192.0.2.10:5000"
REQUIRE_SERVICES = os.environ.get("WORKSHOP_REQUIRE_SERVICES") == "1"
pytest_plugins = ["tests.plugins.openapi_contract"]


def skip_or_fail(reason: str) -> None:
    """Skip a test whose service is missing, unless CI demands that it runs."""
    if REQUIRE_SERVICES:
        pytest.fail(f"required but unavailable: {reason}")
    pytest.skip(reason)


def test_settings(tmp_path: Any, **overrides: Any) -> Settings:
    """Settings for a fresh SQLite file in a temporary data folder, with overrides."""
    values: dict[str, Any] = {
        "data_dir": tmp_path / "data",
        "database_url": "",
        "admin_key": ADMIN_KEY,
        "public_url": PUBLIC_URL,
        "message_queue": None,
        "testing": True,
    }
    values.update(overrides)
    return Settings.from_env(**values)


test_settings.__test__ = False  # type: ignore[attr-defined]  # a helper, not a test


@pytest.fixture
def settings(tmp_path: Any) -> Settings:
    """Settings for a fresh SQLite file in a temporary data folder."""
    return test_settings(tmp_path)


@pytest.fixture
def app(settings: Settings) -> Iterator[Flask]:
    """The application on its own database."""
    application = create_app(settings)
    yield application
    from workshop.extensions import db

    db.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """Flask's test client for HTTP requests."""
    return app.test_client()


@pytest.fixture
def recorder(app: Flask) -> Iterator[RecordingPublisher]:
    """Replace the Socket.IO publisher with one that records events."""
    previous = get_publisher()
    recording = RecordingPublisher()
    set_publisher(recording)
    yield recording
    set_publisher(previous)


@dataclass
class Workshop:
    """A created workshop as a test sees it."""

    code: str
    facilitator_key: str
    projector_key: str
    data: dict[str, Any]


class Api:
    """Calls the JSON API the way an integration would."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    @staticmethod
    def auth(key: str | None) -> dict[str, str]:
        """The Authorization header for a key."""
        return {"Authorization": f"Bearer {key}"} if key else {}

    def create(self, title: str = "Forenklingsverksted", **body: Any) -> Workshop:
        """Create a workshop with the admin key."""
        response = self.client.post(
            "/api/v1/workshops", json={"title": title, **body}, headers=self.auth(ADMIN_KEY)
        )
        assert response.status_code == 201, response.get_json()
        data = response.get_json()
        return Workshop(data["code"], data["facilitator_key"], data["projector_key"], data)

    def join(self, code: str, **body: Any) -> str:
        """Join and return the participant key."""
        response = self.client.post(f"/api/v1/workshops/{code}/participants", json=body)
        assert response.status_code == 201, response.get_json()
        return response.get_json()["key"]

    def step(self, workshop: Workshop, **body: Any) -> Any:
        """Move the workshop as its facilitator."""
        return self.client.post(
            f"/api/v1/workshops/{workshop.code}/step",
            json=body,
            headers=self.auth(workshop.facilitator_key),
        )

    def go_to(self, workshop: Workshop, kind: str) -> None:
        """Move to the first step of a kind."""
        position = next(s["position"] for s in workshop.data["steps"] if s["kind"] == kind)
        response = self.step(workshop, position=position)
        assert response.status_code == 200, response.get_json()

    def propose(self, code: str, key: str, title: str, **body: Any) -> Any:
        """Submit a proposal."""
        return self.client.post(
            f"/api/v1/workshops/{code}/proposals",
            json={"title": title, **body},
            headers=self.auth(key),
        )

    def vote(self, code: str, key: str, allocations: dict[Any, int]) -> Any:
        """Replace a participant's allocation."""
        return self.client.put(
            f"/api/v1/workshops/{code}/votes",
            json={"allocations": {str(k): v for k, v in allocations.items()}},
            headers=self.auth(key),
        )

    def get(self, path: str, key: str | None) -> Any:
        """GET an API path with a key."""
        return self.client.get(f"/api/v1/workshops/{path}", headers=self.auth(key))


@pytest.fixture
def api(client: FlaskClient) -> Api:
    """The API helper."""
    return Api(client)


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class LiveServer:
    """A real HTTP + Socket.IO server on localhost."""

    url: str
    app: Flask
    server: BaseWSGIServer


def start_live_server(app: Flask) -> LiveServer:
    """Serve the app (threading mode, real WebSocket) in a background thread."""
    port = free_port()
    settings: Settings = app.extensions["planverksted.settings"]
    settings.port = port
    settings.public_url = f"http://127.0.0.1:{port}"
    server = make_server("127.0.0.1", port, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return LiveServer(f"http://127.0.0.1:{port}", app, server)


@pytest.fixture
def live_server(app: Flask) -> Iterator[LiveServer]:
    """A running server for socket and browser tests."""
    running = start_live_server(app)
    yield running
    running.server.shutdown()


# The one Chromium for the run: defined here, never imported into test modules (a fixture imported
# into two modules would start two Playwright drivers at once).
from tests.browser import browser  # noqa: E402, F401
