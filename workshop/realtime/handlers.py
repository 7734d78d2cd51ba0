"""Socket connections: authenticate, join rooms, send the first snapshot."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_socketio import (  # type: ignore[attr-defined]  # the stubs omit the re-export
    ConnectionRefusedError,
    SocketIO,
    join_room,
)

from workshop.offload import run_off_loop
from workshop.realtime.broadcast import SocketPublisher
from workshop.realtime.rooms import phone_room, room
from workshop.services.access import Actor, identify_key
from workshop.services.errors import ServiceError
from workshop.services.snapshots import is_large, parse_proposal_limit, snapshot_for
from workshop.web.keys import stored_key


def register_handlers(socketio: SocketIO, publisher: SocketPublisher) -> None:
    """Attach the connect handler to the Socket.IO server."""

    @socketio.on("connect")
    def on_connect(auth: Any = None) -> None:
        auth = auth if isinstance(auth, dict) else {}
        code = str(auth.get("workshop") or "").strip().upper()
        key = auth.get("key") or stored_key(code, auth.get("as"))
        if not code or not isinstance(key, str):
            raise ConnectionRefusedError("unauthorized")
        try:
            actor = identify_key(code, key)
            limit = parse_proposal_limit(auth.get("proposals"))
        except ServiceError as exc:
            raise ConnectionRefusedError(exc.code) from exc
        # Rooms first, snapshot second: an event committed in between is then delivered too
        # (and ignored by the client if the snapshot already has it), never lost.
        _join_rooms(actor)
        try:
            # A bounded snapshot is cheap; every proposal of a large workshop is not.
            if limit is None and is_large(actor.workshop_code):
                snapshot = run_off_loop(snapshot_for, actor, None)
            else:
                snapshot = snapshot_for(actor, limit)
        except ServiceError as exc:
            raise ConnectionRefusedError(exc.code) from exc
        sid: str = request.sid  # type: ignore[attr-defined]
        publisher.send_snapshot(sid, snapshot)
        if actor.is_staff:
            publisher.send_tally(actor.workshop_code, to=sid)


def _join_rooms(actor: Actor) -> None:
    join_room(room(actor.workshop_code))
    if actor.participant_id is not None:
        join_room(phone_room(actor.workshop_code))
    if actor.is_staff:
        join_room(room(actor.workshop_code, "staff"))
    if actor.is_facilitator:
        join_room(room(actor.workshop_code, "facilitator"))
