"""The application fixtures: a real app on a real SQLite file, its client and event recorder.

Every other shared helper lives in tests/support/; the modules with fixtures are loaded here as
plugins, the rest are imported from there by the test modules.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.support.config import test_settings
from workshop import create_app
from workshop.config import Settings
from workshop.services.events import RecordingPublisher, get_publisher, set_publisher

pytest_plugins = [
    "tests.support.api",  # api
    "tests.support.servers",  # live_server
    "tests.support.realtime",  # hall
    "tests.support.browser",  # browser: the one Chromium of the run
]


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
