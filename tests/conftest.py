"""The application fixtures: a real app on a real SQLite file, its client and event recorder.

Every other shared helper lives in tests/support/; the modules with fixtures are loaded here as
plugins, the rest are imported from there by the test modules.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.support.config import test_settings
from workshop import create_app
from workshop.config import Settings
from workshop.extensions import dispose_app, use_publisher
from workshop.services.events import RecordingPublisher

pytest_plugins = [
    "tests.support.api",  # api
    "tests.support.servers",  # live_server
    "tests.support.realtime",  # hall
    "tests.support.browser",  # browser: the one Chromium of the run
    "tests.support.openapi_contract",  # every /api/v1 answer checked against the document
]


@pytest.fixture
def settings(tmp_path: Any) -> Settings:
    """Settings for a fresh SQLite file in a temporary data folder."""
    return test_settings(tmp_path)


class ServerLikeClient(FlaskClient):
    """Each request runs in an app context of its own, as on a server, even while the test holds
    the app's context (Flask would otherwise reuse it, and with it `g` and the cached locale)."""

    def open(self, *args: Any, **kwargs: Any) -> Any:
        """Send the request from a fresh context."""
        return contextvars.Context().run(super().open, *args, **kwargs)


@pytest.fixture
def app(settings: Settings) -> Iterator[Flask]:
    """The application on its own database, inside its app context (services need one).

    Disposed at the end: its timer loop and tally worker stop, its connections close.
    """
    application = create_app(settings)
    application.test_client_class = ServerLikeClient
    try:
        with application.app_context():
            yield application
    finally:
        dispose_app(application)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """Flask's test client for HTTP requests."""
    return app.test_client()


@pytest.fixture
def recorder(app: Flask) -> Iterator[RecordingPublisher]:
    """Replace the app's Socket.IO publisher with one that records events."""
    recording = RecordingPublisher()
    previous = use_publisher(app, recording)
    yield recording
    use_publisher(app, previous)
