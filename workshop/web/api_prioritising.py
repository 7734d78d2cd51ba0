"""JSON API for prioritising (beyond the version 1 contract, in the same style and error shape)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request
from flask_babel import gettext as _

from workshop import analytics
from workshop.services import ratings, stances
from workshop.services.errors import ValidationFailed
from workshop.web.context import current_actor, current_key

blueprint = Blueprint("api_prioritising", __name__, url_prefix="/api/v1")


def _json_body() -> dict[str, Any]:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ValidationFailed(_("Forespørselen må ha en JSON-kropp (et objekt)."))
    return data


@blueprint.put("/workshops/<code>/ratings")
def put_ratings(code: str) -> Response:
    """Replace the participant's scores in the current rate step."""
    body = _json_body()
    stored = ratings.set_ratings(code, current_key(code), body.get("ratings"))
    return jsonify({"ratings": stored})


@blueprint.put("/workshops/<code>/stances")
def put_stances(code: str) -> Response:
    """Replace the participant's agree / disagree / pass in the current agree step."""
    body = _json_body()
    stored = stances.set_stances(code, current_key(code), body.get("stances"))
    return jsonify({"stances": stored})


@blueprint.get("/workshops/<code>/analysis")
def analysis(code: str) -> Response:
    """Totals, roles and consensus of a prioritising step (facilitator; others once revealed)."""
    return jsonify(analytics.get_analysis(current_actor(code), request.args.get("step")))
