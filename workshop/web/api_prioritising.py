"""JSON API for prioritising (beyond the version 1 contract, in the same style and error shape)."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from workshop.analytics.shared_results import analysis_for
from workshop.schemas import parse_body
from workshop.schemas import requests as body_of
from workshop.schemas import responses as answer
from workshop.schemas.results import Analysis
from workshop.services import ratings, stances
from workshop.web.apidoc import documented
from workshop.web.context import current_key

blueprint = Blueprint("api_prioritising", __name__, url_prefix="/api/v1")
PARTICIPANT = (401, 403, 404, 409)


@blueprint.put("/workshops/<code>/ratings")
@documented(
    "Replace the participant's scores (1–5 per criterion) in a rate step",
    body=body_of.PutRatings,
    responses={200: answer.Ratings},
    errors=PARTICIPANT,
)
def put_ratings(code: str) -> Response:
    """Replace the participant's scores in the current rate step."""
    body = parse_body(body_of.PutRatings, request.get_json(silent=True))
    stored = ratings.set_ratings(code, current_key(code), body.ratings)
    return jsonify({"ratings": stored})


@blueprint.put("/workshops/<code>/stances")
@documented(
    "Replace the participant's agree / disagree / pass in an agree step",
    body=body_of.PutStances,
    responses={200: answer.Stances},
    errors=PARTICIPANT,
)
def put_stances(code: str) -> Response:
    """Replace the participant's agree / disagree / pass in the current agree step."""
    body = parse_body(body_of.PutStances, request.get_json(silent=True))
    stored = stances.set_stances(code, current_key(code), body.stances)
    return jsonify({"stances": stored})


@blueprint.get("/workshops/<code>/analysis")
@documented(
    "Totals, role breakdown and consensus of a vote or rate step (facilitator; others once "
    "revealed); see docs/analysis.md",
    responses={200: Analysis},
    errors=(401, 403, 404, 422, 503),
    query={"step": ({"type": "integer", "minimum": 0}, "position of a vote or rate step")},
)
def analysis(code: str) -> Response:
    """Totals, roles and consensus of a prioritising step (facilitator; others once revealed)."""
    return jsonify(analysis_for(code, current_key(code), request.args.get("step")))
