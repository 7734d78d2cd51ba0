"""JSON API for agenda (beyond the version 1 contract, in the same style and error shape).

Steps: list, add, edit, move, remove, reorder; steering: timer, reveal, joining and the QR code;
saving the agenda as a new session plan. Every write is the facilitator's.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request
from flask_babel import gettext as _

from workshop.services import agenda, steering
from workshop.services.errors import ValidationFailed
from workshop.web.context import current_key

blueprint = Blueprint("api_agenda", __name__, url_prefix="/api/v1")


def _json_body(required: bool = True) -> dict[str, Any]:
    data = request.get_json(silent=True)
    if data is None and not required and not request.get_data():
        return {}
    if not isinstance(data, dict):
        raise ValidationFailed(_("Forespørselen må ha en JSON-kropp (et objekt)."))
    return data


@blueprint.get("/workshops/<code>/steps")
def list_steps(code: str) -> Response:
    """Every step and the current one (facilitator, projector)."""
    return jsonify(agenda.list_steps(code, current_key(code)))


@blueprint.post("/workshops/<code>/steps")
def add_step(code: str) -> tuple[Response, int]:
    """Insert a step (default: at the end)."""
    body = _json_body()
    result = agenda.add_step(
        code,
        current_key(code),
        kind=body.get("kind"),
        title=body.get("title"),
        prompt=body.get("prompt"),
        position=body.get("position"),
        config=body.get("config"),
        timer_seconds=body.get("timer_seconds"),
        auto_advance=body.get("auto_advance"),
    )
    return jsonify(result), 201


@blueprint.put("/workshops/<code>/steps/order")
def reorder_steps(code: str) -> Response:
    """Put the steps in a new order: every step id once."""
    body = _json_body()
    return jsonify(agenda.reorder_steps(code, current_key(code), body.get("step_ids")))


@blueprint.patch("/workshops/<code>/steps/<int:step_id>")
def edit_step(code: str, step_id: int) -> Response:
    """Change a step's title, prompt, kind, settings, timer length, auto-advance or position."""
    body = _json_body()
    return jsonify(agenda.edit_step(code, current_key(code), step_id, body))


@blueprint.delete("/workshops/<code>/steps/<int:step_id>")
def remove_step(code: str, step_id: int) -> Response:
    """Remove a step; one with answers from the room only with force (body or ?force=true)."""
    body = _json_body(required=False)
    force: object = body.get("force", False)
    if request.args.get("force") is not None:
        force = request.args.get("force", "").lower() in ("1", "true", "yes")
    return jsonify(agenda.remove_step(code, current_key(code), step_id, force=force))


@blueprint.post("/workshops/<code>/timer")
def timer(code: str) -> Response:
    """Start, pause, add a minute to, reset or clear a step's timer (default: the current)."""
    body = _json_body()
    return jsonify(
        steering.control_timer(
            code,
            current_key(code),
            action=body.get("action"),
            seconds=body.get("seconds"),
            auto_advance=body.get("auto_advance"),
            position=body.get("position"),
        )
    )


@blueprint.post("/workshops/<code>/reveal")
def reveal(code: str) -> Response:
    """Show or hide the results of a vote or rate step (default: the one that counts now)."""
    body = _json_body()
    return jsonify(
        steering.reveal_results(
            code, current_key(code), revealed=body.get("revealed"), position=body.get("position")
        )
    )


@blueprint.patch("/workshops/<code>")
def update_workshop(code: str) -> Response:
    """Open or close joining; show or hide the join QR code on the projector."""
    body = _json_body()
    unknown = sorted(set(body) - {"joining_open", "show_qr"})
    if unknown:
        raise ValidationFailed(_("Ukjent felt «%(name)s».", name=unknown[0]))
    return jsonify(
        steering.update_workshop(
            code,
            current_key(code),
            joining_open=body.get("joining_open"),
            show_qr=body.get("show_qr"),
        )
    )


@blueprint.post("/workshops/<code>/plans")
def save_plan(code: str) -> tuple[Response, int]:
    """Save the running agenda as a new session plan file (never overwrites one)."""
    body = _json_body()
    result = agenda.save_plan(
        code,
        current_key(code),
        name=body.get("name"),
        title=body.get("title"),
        description=body.get("description"),
        include_proposals=body.get("include_proposals", False),
    )
    return jsonify(result), 201
