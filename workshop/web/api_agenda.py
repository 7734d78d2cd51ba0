"""JSON API for agenda (beyond the version 1 contract, in the same style and error shape).

Steps: list, add, edit, move, remove, reorder; steering: timer, reveal, joining and the QR code;
saving the agenda as a new session plan. Every write is the facilitator's.
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from workshop.schemas import parse_body
from workshop.schemas import requests as body_of
from workshop.schemas import responses as answer
from workshop.services import agenda, plan_files, steering
from workshop.web.apidoc import documented
from workshop.web.context import current_key

blueprint = Blueprint("api_agenda", __name__, url_prefix="/api/v1")
STAFF = (401, 403, 404)


@blueprint.get("/workshops/<code>/steps")
@documented(
    "Every step and the current one (facilitator, projector)",
    responses={200: answer.Agenda},
    errors=STAFF,
)
def list_steps(code: str) -> Response:
    """Every step and the current one (facilitator, projector)."""
    return jsonify(agenda.list_steps(code, current_key(code)))


@blueprint.post("/workshops/<code>/steps")
@documented(
    "Insert a step, by default at the end (facilitator)",
    body=body_of.AddStep,
    responses={201: answer.StepAndAgenda},
    errors=STAFF,
)
def add_step(code: str) -> tuple[Response, int]:
    """Insert a step (default: at the end)."""
    body = parse_body(body_of.AddStep, request.get_json(silent=True))
    return jsonify(agenda.add_step(code, current_key(code), body)), 201


@blueprint.put("/workshops/<code>/steps/order")
@documented(
    "Put the steps in a new order: every step id once (facilitator)",
    body=body_of.ReorderSteps,
    responses={200: answer.Agenda},
    errors=STAFF,
)
def reorder_steps(code: str) -> Response:
    """Put the steps in a new order: every step id once."""
    body = parse_body(body_of.ReorderSteps, request.get_json(silent=True))
    return jsonify(agenda.reorder_steps(code, current_key(code), body.step_ids))


@blueprint.patch("/workshops/<code>/steps/<int:step_id>")
@documented(
    "Edit or move a step (facilitator); 409 when it would contradict answers already given",
    body=body_of.EditStep,
    responses={200: answer.StepAndAgenda},
    errors=(*STAFF, 409),
)
def edit_step(code: str, step_id: int) -> Response:
    """Change a step's title, prompt, kind, settings, timer length, auto-advance or position."""
    body = parse_body(body_of.EditStep, request.get_json(silent=True))
    return jsonify(agenda.edit_step(code, current_key(code), step_id, body))


@blueprint.delete("/workshops/<code>/steps/<int:step_id>")
@documented(
    "Remove a step (facilitator); a step with answers only with force",
    body=body_of.RemoveStep,
    body_required=False,
    responses={200: answer.Agenda},
    errors=(*STAFF, 409, 422),
    query={"force": ({"type": "string", "enum": ["true", "false"]}, "same as the body's force")},
)
def remove_step(code: str, step_id: int) -> Response:
    """Remove a step; one with answers from the room only with force (body or ?force=true)."""
    data = request.get_json(silent=True)
    if data is None and not request.get_data():
        data = {}
    force = parse_body(body_of.RemoveStep, data).force
    if request.args.get("force") is not None:
        force = request.args.get("force", "").lower() in ("1", "true", "yes")
    return jsonify(agenda.remove_step(code, current_key(code), step_id, force=force))


@blueprint.post("/workshops/<code>/timer")
@documented(
    "Start, pause, add a minute to, reset or clear a step's timer (facilitator; default: "
    "the current step)",
    body=body_of.Timer,
    responses={200: answer.TimerResult},
    errors=STAFF,
)
def timer(code: str) -> Response:
    """Start, pause, add a minute to, reset or clear a step's timer (default: the current)."""
    body = parse_body(body_of.Timer, request.get_json(silent=True))
    return jsonify(
        steering.control_timer(
            code,
            current_key(code),
            action=body.action,
            seconds=body.seconds,
            auto_advance=body.auto_advance,
            position=body.position,
        )
    )


@blueprint.post("/workshops/<code>/reveal")
@documented(
    "Show or hide the results of a vote or rate step (facilitator; default: the one that "
    "counts now)",
    body=body_of.Reveal,
    responses={200: answer.Revealed},
    errors=STAFF,
)
def reveal(code: str) -> Response:
    """Show or hide the results of a vote or rate step (default: the one that counts now)."""
    body = parse_body(body_of.Reveal, request.get_json(silent=True))
    return jsonify(
        steering.reveal_results(
            code, current_key(code), revealed=body.revealed, position=body.position
        )
    )


@blueprint.patch("/workshops/<code>")
@documented(
    "Open or close joining; show or hide the join QR code (facilitator)",
    body=body_of.UpdateWorkshop,
    responses={200: answer.WorkshopFlags},
    errors=STAFF,
)
def update_workshop(code: str) -> Response:
    """Open or close joining; show or hide the join QR code on the projector."""
    body = parse_body(body_of.UpdateWorkshop, request.get_json(silent=True))
    return jsonify(
        steering.update_workshop(
            code, current_key(code), joining_open=body.joining_open, show_qr=body.show_qr
        )
    )


@blueprint.post("/workshops/<code>/plans")
@documented(
    "Save the running agenda as a new session plan (facilitator; never overwrites one)",
    body=body_of.SavePlan,
    responses={201: answer.SavedPlan},
    errors=(*STAFF, 409),
)
def save_plan(code: str) -> tuple[Response, int]:
    """Save the running agenda as a new session plan file (never overwrites one)."""
    body = parse_body(body_of.SavePlan, request.get_json(silent=True))
    return jsonify(plan_files.save_plan(code, current_key(code), body)), 201
