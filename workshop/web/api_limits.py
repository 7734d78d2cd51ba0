"""JSON API for a workshop's limits on proposals and participants (the facilitator's)."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from workshop.schemas import parse_body
from workshop.schemas import requests as body_of
from workshop.schemas import responses as answer
from workshop.services import room_limits
from workshop.web.apidoc import documented
from workshop.web.context import current_key

blueprint = Blueprint("api_limits", __name__, url_prefix="/api/v1")
STAFF = (401, 403, 404)


@blueprint.get("/workshops/<code>/limits")
@documented(
    "The workshop's limits on proposals and participants (facilitator)",
    responses={200: answer.WorkshopLimits},
    errors=STAFF,
)
def get_limits(code: str) -> Response:
    """The workshop's limits on proposals and participants (facilitator)."""
    return jsonify(room_limits.get_limits(code, current_key(code)))


@blueprint.put("/workshops/<code>/limits")
@documented(
    "Change the limits on proposals and participants (facilitator)",
    body=body_of.Limits,
    responses={200: answer.WorkshopLimits},
    errors=STAFF,
)
def set_limits(code: str) -> Response:
    """Change the limits on proposals and participants; fields left out keep their value."""
    body = parse_body(body_of.Limits, request.get_json(silent=True))
    changes = body.model_dump(exclude_none=True)
    return jsonify(room_limits.set_limits(code, current_key(code), changes))
