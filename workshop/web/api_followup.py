"""JSON API for decisions and follow-up: actions, closing, the outcome and follow-up notes."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, jsonify, request
from flask_babel import gettext as _

from workshop.schemas import parse_body
from workshop.schemas import requests as body_of
from workshop.schemas import responses as answer
from workshop.services import actions, closing
from workshop.services.actions import UNSET, ActionInput
from workshop.services.errors import ValidationFailed
from workshop.web.apidoc import documented
from workshop.web.context import current_key

blueprint = Blueprint("api_followup", __name__, url_prefix="/api/v1")
STAFF = (401, 403, 404)


def parse_due(raw: str | None) -> date | None:
    """A YYYY-MM-DD deadline as a date; an impossible date (2026-02-30) is refused."""
    if raw is None:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        message = _("Fristen må være en dato som ÅÅÅÅ-MM-DD.")
        raise ValidationFailed(message, {"due": message}) from None


def action_input(body: body_of.CreateAction | body_of.PatchAction) -> ActionInput:
    """The fields sent, typed; those not sent stay UNSET."""
    sent = body.model_fields_set
    values = {name: getattr(body, name) for name in sent}
    if "due" in values:
        values["due"] = parse_due(values["due"])
    if "what" in sent and values["what"] is None:
        values["what"] = ""  # "what" cannot be cleared
    return ActionInput(
        **{name: values.get(name, UNSET) for name in ActionInput.__dataclass_fields__}
    )


@blueprint.get("/workshops/<code>/actions")
@documented(
    "The actions (facilitator, projector; participants once the workshop is closed)",
    responses={200: answer.Actions},
    errors=STAFF,
)
def list_actions(code: str) -> Response:
    """The workshop's actions, oldest first."""
    return jsonify({"actions": actions.list_actions(code, current_key(code))})


@blueprint.post("/workshops/<code>/actions")
@documented(
    "Record an action: what, who owns it, by when, who decides (facilitator)",
    body=body_of.CreateAction,
    responses={201: answer.Action},
    errors=(*STAFF, 422),
)
def create_action(code: str) -> tuple[Response, int]:
    """Record an action."""
    body = parse_body(body_of.CreateAction, request.get_json(silent=True))
    data = action_input(body)
    if data.what is UNSET:
        data = ActionInput(**{**data.__dict__, "what": body.what})
    return jsonify(actions.create_action(code, current_key(code), data)), 201


@blueprint.patch("/workshops/<code>/actions/<int:action_id>")
@documented(
    "Change an action; only the fields sent change, null clears one (facilitator)",
    body=body_of.PatchAction,
    responses={200: answer.Action},
    errors=(*STAFF, 422),
)
def update_action(code: str, action_id: int) -> Response:
    """Change the fields sent."""
    body = parse_body(body_of.PatchAction, request.get_json(silent=True))
    return jsonify(actions.update_action(code, current_key(code), action_id, action_input(body)))


@blueprint.delete("/workshops/<code>/actions/<int:action_id>")
@documented("Remove an action (facilitator)", responses={204: None}, errors=STAFF)
def delete_action(code: str, action_id: int) -> tuple[str, int]:
    """Remove an action."""
    actions.delete_action(code, current_key(code), action_id)
    return "", 204


@blueprint.post("/workshops/<code>/actions/<int:action_id>/suggestions")
@documented(
    "Suggest an owner and / or a deadline for an action (participant, during an actions step)",
    body=body_of.SuggestForAction,
    responses={201: answer.ActionSuggestion},
    errors=(*STAFF, 409, 422),
)
def suggest(code: str, action_id: int) -> tuple[Response, int]:
    """A phone's suggestion, stored for the facilitator."""
    body = parse_body(body_of.SuggestForAction, request.get_json(silent=True))
    stored = actions.suggest(code, current_key(code), action_id, body.owner, parse_due(body.due))
    return jsonify(stored), 201


@blueprint.post("/workshops/<code>/close")
@documented(
    "Close the workshop: participants can no longer write; the join URL reports back (facilitator)",
    body_required=False,
    responses={200: answer.ClosedAt},
    errors=STAFF,
)
def close(code: str) -> Response:
    """Close the workshop (again: the same time)."""
    return jsonify(closing.close_workshop(code, current_key(code)))


@blueprint.get("/workshops/<code>/outcome")
@documented(
    "The report-back: final ranking, actions, notes (any key once closed; facilitator always)",
    responses={200: answer.Outcome},
    errors=STAFF,
)
def outcome(code: str) -> Response:
    """What became of the room's input."""
    return jsonify(closing.get_outcome(code, current_key(code)))


@blueprint.patch("/workshops/<code>/outcome")
@documented(
    "Publish the report on the report-back page, or withdraw it (facilitator)",
    body=body_of.PublishReport,
    responses={200: answer.ReportPublished},
    errors=(*STAFF, 422),
)
def publish(code: str) -> Response:
    """Show or hide the report on the report-back page."""
    body = parse_body(body_of.PublishReport, request.get_json(silent=True))
    return jsonify(closing.publish_report(code, current_key(code), body.report_published))


@blueprint.post("/workshops/<code>/notes")
@documented(
    "Add a follow-up note after closing; open phones receive it (facilitator)",
    body=body_of.AddNote,
    responses={201: answer.Note},
    errors=(*STAFF, 409, 422),
)
def add_note(code: str) -> tuple[Response, int]:
    """A follow-up note for everyone who was in the room."""
    body = parse_body(body_of.AddNote, request.get_json(silent=True))
    return jsonify(closing.add_note(code, current_key(code), body.text)), 201
