"""Large workshops for real server processes, and a phone on a slow real network."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import websocket
from flask import Flask
from sqlalchemy import select

from tests.support.config import test_settings
from workshop import create_app
from workshop.extensions import db, dispose_app
from workshop.models.proposal import Proposal
from workshop.models.workshop import Workshop
from workshop.services import workshops
from workshop.services.access import find_workshop
from workshop.services.unit import unit_of_work
from workshop.services.workshops import CreatedWorkshop
from workshop.similarity import Text


def add_proposals(app: Flask, code: str, count: int, prefix: str = "Forslag") -> None:
    """Visible proposals for a workshop of a running app, written in one transaction."""
    with app.app_context(), unit_of_work() as work:
        workshop = find_workshop(work.session, code)
        work.session.add_all(
            Proposal(
                workshop_id=workshop.id, title=f"{prefix} {n}", status="visible", source="phone"
            )
            for n in range(1, count + 1)
        )


def seed_workshop(data_dir: Path, texts: Iterable[Text]) -> CreatedWorkshop:
    """A workshop with these visible proposals in the data folder a ServerProcess will serve.

    The proposals are written in one transaction (thousands of submissions would take minutes);
    call it before the server starts.
    """
    app = create_app(test_settings(data_dir.parent, data_dir=data_dir))
    try:
        with app.app_context():
            created = workshops.create_workshop("Stort verksted", "plan-simplification")
            with db.session() as session:
                workshop_id = session.scalar(
                    select(Workshop.id).where(Workshop.code == created.code)
                )
                assert workshop_id is not None
                session.add_all(
                    Proposal(
                        workshop_id=workshop_id,
                        title=text.title,
                        body=text.body,
                        status="visible",
                    )
                    for text in texts
                )
                session.commit()
    finally:
        dispose_app(app)
    return created


class SlowPhone:
    """A raw Socket.IO client over a network like a phone's: TCP segments of 1,460 bytes, a
    small receive buffer, and an owner who looks away before reading anything."""

    SEGMENT = 1460
    RECEIVE_BUFFER = 4096

    def __init__(self, base_url: str, code: str, key: str, timeout: float = 20) -> None:
        url = base_url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
        self.ws = websocket.create_connection(
            url,
            timeout=timeout,
            # Applied before connect, so the segment size and window hold from the handshake on.
            sockopt=[
                (socket.IPPROTO_TCP, socket.TCP_MAXSEG, self.SEGMENT),
                (socket.SOL_SOCKET, socket.SO_RCVBUF, self.RECEIVE_BUFFER),
            ],
        )
        opened = self.ws.recv()
        assert opened.startswith("0{"), opened[:80]
        self.ws.send("40" + json.dumps({"workshop": code, "key": key}))

    def look_away(self, seconds: float) -> None:
        """Read nothing for a while, so the server's socket buffer fills up."""
        time.sleep(seconds)

    def event(self, name: str) -> Any:
        """The payload of the next Socket.IO event of this name (answering pings meanwhile).

        A frame cut short never ends: the read then fails with a timeout.
        """
        while True:
            message = self.ws.recv()
            if message == "2":
                self.ws.send("3")
            elif message.startswith("42"):
                event, *payload = json.loads(message[2:])
                if event == name:
                    return payload[0] if payload else None

    def close(self) -> None:
        """Close the connection."""
        self.ws.close()
