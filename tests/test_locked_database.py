"""Another program holding the SQLite file locked: the server (gevent, its own process) keeps
serving what needs no write, a write answers 503 with Retry-After, and nothing is lost."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

import requests

from tests.support.config import ADMIN_KEY
from tests.support.servers import ServerProcess, call_api


def test_a_write_facing_a_lock_answers_503_while_the_server_keeps_serving(tmp_path: Path) -> None:
    server = ServerProcess(tmp_path / "data", WORKSHOP_ASYNC_MODE="gevent")
    server.start()
    try:
        created = call_api(server.url, "POST", "/workshops", ADMIN_KEY, {"title": "Låst fil"})
        code, key = created["code"], created["facilitator_key"]
        proposals = f"/workshops/{code}/proposals"
        call_api(server.url, "POST", proposals, key, {"title": "Før låsen"})

        holder = sqlite3.connect(tmp_path / "data" / "planverksted.sqlite3", isolation_level=None)
        holder.execute("BEGIN EXCLUSIVE")
        answer: dict[str, Any] = {}

        def write() -> None:
            answer["response"] = requests.post(
                f"{server.url}/api/v1{proposals}",
                json={"title": "Under låsen"},
                headers={"Authorization": f"Bearer {key}"},
                timeout=60,
            )

        writer = threading.Thread(target=write)
        writer.start()
        time.sleep(0.5)  # let the write reach the lock (not an assertion on speed)
        static = requests.get(f"{server.url}/static/css/base.css", timeout=60)
        guide = requests.get(f"{server.url}/veileder", timeout=60)
        reading = requests.get(
            f"{server.url}/api/v1/workshops/{code}",
            headers={"Authorization": f"Bearer {key}"},
            timeout=60,
        )
        still_waiting = writer.is_alive()
        writer.join()
        holder.execute("ROLLBACK")
        holder.close()

        assert static.status_code == 200 and guide.status_code == 200
        assert reading.status_code == 200  # WAL readers do not wait for the writer's lock
        assert still_waiting, "the page and the file were served while the write waited"
        refused = answer["response"]
        assert refused.status_code == 503
        assert refused.json()["error"]["code"] == "busy"
        assert "Ingenting ble lagret" in refused.json()["error"]["message"]
        assert int(refused.headers["Retry-After"]) >= 1

        call_api(server.url, "POST", proposals, key, {"title": "Etter låsen"})
        titles = [
            p["title"] for p in call_api(server.url, "GET", f"/workshops/{code}", key)["proposals"]
        ]
        assert sorted(titles) == ["Etter låsen", "Før låsen"]
    finally:
        server.stop()
