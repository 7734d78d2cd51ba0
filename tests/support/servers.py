"""Live servers: one in a thread (plugin: ``live_server``) and real server processes."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from flask import Flask
from werkzeug.serving import BaseWSGIServer, make_server

from tests.support.config import ADMIN_KEY
from workshop.config import Settings


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


class ServerProcess:
    """`python -m workshop serve` in its own process, so it can really be stopped and started."""

    def __init__(
        self, data_dir: Path, log: Path | None = None, module: str = "workshop", **env: str
    ) -> None:
        self.port = free_port()
        self.module = module  # tests.support.slow_analysis: the same server, its analysis held
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "WORKSHOP_DATA_DIR": str(data_dir),
            "WORKSHOP_PORT": str(self.port),
            "WORKSHOP_HOST": "127.0.0.1",
            "WORKSHOP_ADMIN_KEY": ADMIN_KEY,
            "WORKSHOP_PUBLIC_URL": self.url,
            "WORKSHOP_DATABASE_URL": "",
            "WORKSHOP_MESSAGE_QUEUE": "",
            **env,
        }
        self.process: subprocess.Popen[bytes] | None = None
        self.log = log

    def start(self) -> None:
        output = self.log.open("ab") if self.log else subprocess.DEVNULL
        self.process = subprocess.Popen(
            [sys.executable, "-m", self.module, "serve"],
            env=self.env,
            stdout=output,
            stderr=subprocess.STDOUT if self.log else subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                requests.get(self.url + "/", timeout=1)
                return
            except requests.ConnectionError:
                time.sleep(0.1)
        raise RuntimeError("server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None

    def api(self, method: str, path: str, key: str, body: dict | None = None) -> dict:
        """Call the JSON API of this server."""
        return call_api(self.url, method, path, key, body)


@contextmanager
def held_analysis_server(folder: Path, **env: str) -> Iterator[tuple[ServerProcess, Path, Path]]:
    """`workshop serve` under gevent whose analysis counts itself in a log and works until the
    release file exists (tests/support/slow_analysis.py): the server, the log, the release."""
    log, release = folder / "analyses.log", folder / "release"
    log.touch()
    server = ServerProcess(
        folder / "data",
        module="tests.support.slow_analysis",
        WORKSHOP_ASYNC_MODE="gevent",
        SLOW_ANALYSIS_LOG=str(log),
        SLOW_ANALYSIS_RELEASE=str(release),
        PYTHONPATH=str(Path(__file__).resolve().parent.parent.parent),  # wherever the caller runs
        **env,
    )
    server.start()
    try:
        yield server, log, release
    finally:
        release.touch()
        server.stop()


def call_api(base_url: str, method: str, path: str, key: str, body: dict | None = None) -> dict:
    """Call /api/v1{path} with a Bearer key; fail the test on an error status."""
    response = requests.request(
        method,
        f"{base_url}/api/v1{path}",
        json=body,
        headers={"Authorization": f"Bearer {key}"} if key else {},
        timeout=10,
    )
    assert response.ok, response.text
    return response.json()
