"""`planverksted serve`: gevent by default, and nothing about participants in its output."""

from __future__ import annotations

import re
from pathlib import Path

from tests.support.config import ADMIN_KEY
from tests.support.realtime import Screen
from tests.support.servers import ServerProcess


def test_serving_writes_no_participant_addresses(tmp_path: Path) -> None:
    log = tmp_path / "server.log"
    server = ServerProcess(tmp_path / "data", log=log)
    server.start()
    try:
        created = server.api("POST", "/workshops", ADMIN_KEY, {"title": "Personvern"})
        key = server.api("POST", f"/workshops/{created['code']}/participants", "", {})["key"]
        server.api("GET", f"/workshops/{created['code']}", key)
        screen = Screen(server.url, created["code"], key)
        screen.wait_for(lambda: screen.of("snapshot"))
        screen.client.disconnect()
    finally:
        server.stop()
    output = log.read_text(encoding="utf-8", errors="replace")
    assert "Planverksted kjører (gevent)." in output
    after_start = output.split("Stopp med Ctrl+C.", 1)[1]
    assert not re.search(r"\d{1,3}(\.\d{1,3}){3}", after_start), after_start
    assert "GET /" not in after_start and "POST /" not in after_start
