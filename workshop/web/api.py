"""The JSON API, version 1 (the contract in docs/api.md)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from workshop import export
from workshop.analytics.shared_results import results_for
from workshop.offload import run_off_loop
from workshop.schemas import parse_body, parse_data
from workshop.schemas import requests as body_of
from workshop.schemas import responses as answer
from workshop.schemas.results import Results
from workshop.schemas.snapshot import Proposal, Snapshot
from workshop.services import participants, proposals, snapshots, votes, workshops
from workshop.services.access import check_admin_key
from workshop.services.errors import ServiceError
from workshop.web.apidoc import documented, openapi_document
from workshop.web.context import (
    base_url,
    current_key,
    limited_join,
    settings,
    workshop_join_url,
)

blueprint = Blueprint("api", __name__, url_prefix="/api/v1")
STEP_QUERY = {
    "step": (
        {"type": "integer", "minimum": 0},
        "position of a vote or rate step (default: the one that counts now)",
    )
}


@blueprint.errorhandler(ServiceError)
def service_error(error: ServiceError) -> tuple[Response, int]:
    """Refusals from the service layer as the JSON error body (429 and 503 with Retry-After)."""
    return error_response(error), error.status


def error_response(error: ServiceError) -> Response:
    """The JSON error body, with Retry-After when the error names a wait."""
    response = jsonify(error.as_dict())
    response.headers.update(error.headers())
    return response


@blueprint.errorhandler(HTTPException)
def http_error(error: HTTPException) -> tuple[Response, int]:
    """Unknown routes, wrong methods and oversized bodies in the same error shape."""
    codes = {401: "unauthorized", 403: "forbidden", 404: "not_found", 429: "rate_limited"}
    status = error.code or 500
    code = codes.get(status, "validation" if status in (400, 413, 415, 422) else "error")
    if status == 405:
        code = "method_not_allowed"
    messages = {
        400: _("Forespørselen kunne ikke leses."),
        404: _("Fant ikke denne adressen."),
        405: _("Denne adressen tar ikke imot denne metoden."),
        413: _("Forespørselen er for stor."),
        415: _("Forespørselen må sendes som JSON."),
    }
    message = messages.get(status) or error.description or ""
    return jsonify({"error": {"code": code, "message": message}}), status


@blueprint.app_errorhandler(404)
@blueprint.app_errorhandler(405)
def routing_error(error: HTTPException) -> Any:
    """Unknown API paths and wrong methods fail before a blueprint is chosen: same JSON shape."""
    if request.path == blueprint.url_prefix or request.path.startswith(f"{blueprint.url_prefix}/"):
        return http_error(error)
    return error


@blueprint.get("/openapi.json")
@documented("The OpenAPI 3 description of this API", responses={200: None}, errors=(), public=True)
def openapi() -> Response:
    """The OpenAPI 3 description of this API, generated from the routes and the models."""
    document = current_app.extensions.get("planverksted.openapi")
    if document is None:
        document = current_app.extensions["planverksted.openapi"] = openapi_document(current_app)
    return jsonify(document)


@blueprint.post("/workshops")
@documented(
    "Create a workshop from a session plan (admin key)",
    body=body_of.CreateWorkshop,
    responses={201: answer.Created},
)
def create_workshop() -> tuple[Response, int]:
    """Create a workshop from a session plan (admin key)."""
    check_admin_key(settings().admin_key, current_key(""))
    body = parse_body(body_of.CreateWorkshop, request.get_json(silent=True))
    created = workshops.create_workshop(
        title=body.title,
        plan_name=body.plan or "plan-simplification",
        language=body.language,
        settings=body.settings.model_dump(exclude_unset=True) if body.settings else {},
    )
    return jsonify(created_payload(created)), 201


def created_payload(created: workshops.CreatedWorkshop) -> dict[str, Any]:
    """What creating (or importing) a workshop answers: the code, the links and the keys."""
    base = base_url()
    return {
        "code": created.code,
        "title": created.title,
        "join_url": workshop_join_url(created.code),
        "facilitator_key": created.facilitator_key,
        "projector_key": created.projector_key,
        "facilitator_url": f"{base}/f/{created.code}?key={created.facilitator_key}",
        "projector_url": f"{base}/p/{created.code}?key={created.projector_key}",
        "steps": created.steps,
    }


@blueprint.get("/workshops/<code>")
@documented(
    "The workshop as the key's holder may see it",
    responses={200: Snapshot},
    query={
        "proposals": (
            {"type": "integer", "minimum": 0, "maximum": snapshots.MAX_LISTED},
            "list only the newest N proposals (and `proposals_total`); default: all",
        )
    },
)
def get_workshop(code: str) -> Response:
    """The workshop as the key's holder may see it (all proposals unless ?proposals=N)."""
    limit = snapshots.parse_proposal_limit(request.args.get("proposals"))
    key = current_key(code)
    if limit is None and snapshots.is_large(code):  # heavy: built off the event loop
        return jsonify(run_off_loop(snapshots.get_snapshot, code, key))
    return jsonify(snapshots.get_snapshot(code, key, limit))


@blueprint.post("/workshops/<code>/participants")
@documented(
    "Join without an account (rate limited)",
    body=body_of.Join,
    body_required=False,
    responses={201: answer.Joined},
    errors=(403, 404, 409, 429),
    public=True,
)
def join(code: str) -> tuple[Response, int]:
    """Join a workshop without an account."""
    data = request.get_json(silent=True)
    body = parse_body(body_of.Join, data if isinstance(data, dict) else {})
    joined = limited_join(
        code, lambda: participants.join_workshop(code, body.name, body.role, body.roles, body.table)
    )
    return jsonify({"participant_id": joined.participant_id, "key": joined.key}), 201


@blueprint.get("/workshops/<code>/tables")
@documented(
    "The tables of table mode and who sits where (facilitator)",
    responses={200: answer.Tables},
    errors=(401, 403, 404),
)
def get_tables(code: str) -> Response:
    """The workshop's tables and each participant's table."""
    return jsonify(participants.seating(code, current_key(code)))


@blueprint.put("/workshops/<code>/participants/<int:participant_id>/table")
@documented(
    "Seat a participant at a table, or at none with an empty text (facilitator; a phone: itself)",
    body=body_of.SetTable,
    responses={200: answer.Seat},
    errors=(401, 403, 404),
)
def set_table(code: str, participant_id: int) -> Response:
    """Seat a participant at one of the workshop's tables."""
    body = parse_body(body_of.SetTable, request.get_json(silent=True))
    return jsonify(participants.set_table(code, current_key(code), participant_id, body.table))


@blueprint.post("/workshops/<code>/proposals")
@documented(
    "Submit a proposal (idempotent by client_key)",
    body=body_of.SubmitProposal,
    responses={200: Proposal, 201: Proposal},
    errors=(401, 403, 404, 409, 429),
)
def submit_proposal(code: str) -> tuple[Response, int]:
    """Submit a proposal; the same client_key again returns the stored one."""
    body = parse_body(body_of.SubmitProposal, request.get_json(silent=True))
    result = proposals.submit_proposal(
        code,
        current_key(code),
        title=body.title,
        body=body.body,
        category=body.category,
        client_key=body.client_key,
        source=body.source,
        change_level=body.change_level,
    )
    return jsonify(result.proposal), 201 if result.created else 200


@blueprint.put("/workshops/<code>/votes")
@documented(
    "Replace the participant's whole allocation for the current vote step",
    body=body_of.PutVotes,
    responses={200: answer.Allocation},
    errors=(401, 403, 404, 409),
)
def put_votes(code: str) -> Response:
    """Replace the participant's whole allocation of dots."""
    body = parse_body(body_of.PutVotes, request.get_json(silent=True))
    allocation = votes.set_allocation(code, current_key(code), body.allocations)
    return jsonify({"allocations": allocation.allocations, "remaining": allocation.remaining})


@blueprint.post("/workshops/<code>/step")
@documented(
    "Move to the next, previous or a given step (facilitator)",
    body=body_of.ChangeStep,
    responses={200: answer.StepMoved},
    errors=(401, 403, 404),
)
def change_step(code: str) -> Response:
    """Move the room to another step (facilitator)."""
    body = parse_body(body_of.ChangeStep, request.get_json(silent=True))
    step = workshops.change_step(
        code, current_key(code), action=body.action, position=body.position
    )
    return jsonify({"step": step})


@blueprint.get("/workshops/<code>/results")
@documented(
    "Ranked results (facilitator; others once revealed)",
    responses={200: Results},
    errors=(401, 403, 404, 422, 503),
    query=STEP_QUERY,
)
def results(code: str) -> Response:
    """Ranked results (facilitator; others once revealed)."""
    return jsonify(results_for(code, current_key(code), request.args.get("step")))


@blueprint.get("/workshops/<code>/export.<fmt>")
@documented(
    "Every step's results as a file: CSV, ZIP of CSVs, XLSX or the JSON archive (facilitator)",
    responses={200: None},
    errors=(401, 403, 404, 422, 503),
    formats=export.media_types(),
    query={
        "dialect": (
            {"type": "string", "enum": ["excel", "rfc4180"]},
            "csv and zip: `excel` (default: `;`, decimal comma, headers in the workshop's "
            "language) or `rfc4180` (`,`, `.`, stable column names and codes)",
        ),
        "names": (
            {"type": "string", "enum": ["0", "1"]},
            "zip and xlsx: 1 puts the participants' names in the participants table",
        ),
    },
)
def export_file(code: str, fmt: str) -> Response:
    """Download every step's results in one of the export formats (facilitator)."""
    query = parse_data(body_of.ExportQuery, request.args.to_dict())
    options = export.ExportOptions(dialect=query.dialect or "excel", names=query.names)
    exported = run_off_loop(export.export_workshop, code, current_key(code), fmt, options)
    return Response(
        exported.content,
        mimetype=exported.mimetype,
        headers={"Content-Disposition": f'attachment; filename="{exported.filename}"'},
    )
