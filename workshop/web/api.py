"""The JSON API, version 1 (the contract in docs/api.md)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from workshop import analytics, export
from workshop.services import participants, proposals, snapshots, votes, workshops
from workshop.services.access import check_admin_key
from workshop.services.errors import RateLimited, ServiceError, ValidationFailed
from workshop.web.context import (
    base_url,
    current_actor,
    current_key,
    join_allowed,
    settings,
    workshop_join_url,
)
from workshop.web.openapi import OPENAPI

blueprint = Blueprint("api", __name__, url_prefix="/api/v1")


def _json_body() -> dict[str, Any]:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ValidationFailed(_("Forespørselen må ha en JSON-kropp (et objekt)."))
    return data


@blueprint.errorhandler(ServiceError)
def service_error(error: ServiceError) -> tuple[Response, int]:
    """Refusals from the service layer as the JSON error body."""
    return jsonify(error.as_dict()), error.status


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
def openapi() -> Response:
    """The OpenAPI 3 description of this API."""
    return jsonify(OPENAPI)


@blueprint.post("/workshops")
def create_workshop() -> tuple[Response, int]:
    """Create a workshop from a session plan (admin key)."""
    check_admin_key(settings().admin_key, current_key(""))
    body = _json_body()
    raw_settings = body.get("settings") or {}
    if not isinstance(raw_settings, dict):
        raise ValidationFailed(_("«settings» må være et objekt."))
    created = workshops.create_workshop(
        title=body.get("title"),  # type: ignore[arg-type]
        plan_name=body.get("plan") or "plan-simplification",
        language=body.get("language"),
        settings=raw_settings,
    )
    base = base_url()
    return jsonify(
        {
            "code": created.code,
            "title": created.title,
            "join_url": workshop_join_url(created.code),
            "facilitator_key": created.facilitator_key,
            "projector_key": created.projector_key,
            "facilitator_url": f"{base}/f/{created.code}?key={created.facilitator_key}",
            "projector_url": f"{base}/p/{created.code}?key={created.projector_key}",
            "steps": created.steps,
        }
    ), 201


@blueprint.get("/workshops/<code>")
def get_workshop(code: str) -> Response:
    """The workshop as the key's holder may see it."""
    return jsonify(snapshots.get_snapshot(code, current_key(code)))


@blueprint.post("/workshops/<code>/participants")
def join(code: str) -> tuple[Response, int]:
    """Join a workshop without an account."""
    if not join_allowed():
        raise RateLimited()
    body = request.get_json(silent=True)
    body = body if isinstance(body, dict) else {}
    joined = participants.join_workshop(code, body.get("name"), body.get("role"), body.get("roles"))
    return jsonify({"participant_id": joined.participant_id, "key": joined.key}), 201


@blueprint.post("/workshops/<code>/proposals")
def submit_proposal(code: str) -> tuple[Response, int]:
    """Submit a proposal; the same client_key again returns the stored one."""
    body = _json_body()
    result = proposals.submit_proposal(
        code,
        current_key(code),
        title=body.get("title"),
        body=body.get("body"),
        category=body.get("category"),
        client_key=body.get("client_key"),
        source=body.get("source"),
        change_level=body.get("change_level"),
    )
    return jsonify(result.proposal), 201 if result.created else 200


@blueprint.put("/workshops/<code>/votes")
def put_votes(code: str) -> Response:
    """Replace the participant's whole allocation of dots."""
    body = _json_body()
    allocation = votes.set_allocation(code, current_key(code), body.get("allocations"))
    return jsonify({"allocations": allocation.allocations, "remaining": allocation.remaining})


@blueprint.post("/workshops/<code>/step")
def change_step(code: str) -> Response:
    """Move the room to another step (facilitator)."""
    body = _json_body()
    step = workshops.change_step(
        code, current_key(code), action=body.get("action"), position=body.get("position")
    )
    return jsonify({"step": step})


@blueprint.get("/workshops/<code>/results")
def results(code: str) -> Response:
    """Ranked results (facilitator; others once revealed)."""
    return jsonify(analytics.get_results(current_actor(code), request.args.get("step")))


@blueprint.get("/workshops/<code>/export.<fmt>")
def export_file(code: str, fmt: str) -> Response:
    """Download the proposals and their totals as CSV, XLSX or JSON (facilitator)."""
    exported = export.export_workshop(code, current_key(code), fmt)
    return Response(
        exported.content,
        mimetype=exported.mimetype,
        headers={"Content-Disposition": f'attachment; filename="{exported.filename}"'},
    )
