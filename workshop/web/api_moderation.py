"""JSON API for moderation (beyond the version 1 contract, in the same style and error shape).

Moderating, editing and classifying proposals, similar proposals, merges and their undo, and
dots counted on paper. Every endpoint needs the facilitator key.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, Response, jsonify, request
from flask_babel import gettext as _

from workshop.services import merging, moderation, paper
from workshop.services.errors import ValidationFailed
from workshop.web.context import current_key

blueprint = Blueprint("api_moderation", __name__, url_prefix="/api/v1")

PATCH_FIELDS = ("status", "title", "body", "category", "change_level")


def _json_body() -> dict[str, Any]:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ValidationFailed(_("Forespørselen må ha en JSON-kropp (et objekt)."))
    return data


def _query_position() -> int | None:
    raw = request.args.get("step_position")
    if raw is None or raw == "":
        return None
    if not re.fullmatch(r"[0-9]{1,9}", raw):
        raise ValidationFailed(_("«step_position» må være et heltall."))
    return int(raw)


@blueprint.patch("/workshops/<code>/proposals/<int:proposal_id>")
def patch_proposal(code: str, proposal_id: int) -> Response:
    """Approve, hide, show, edit, recategorise or settle the change level of a proposal."""
    body = _json_body()
    unknown = sorted(set(body) - set(PATCH_FIELDS))
    if unknown:
        raise ValidationFailed(_("Ukjent felt: %(field)s.", field=unknown[0][:40]))
    changes = moderation.validate_changes(**{name: body[name] for name in body})
    return jsonify(moderation.moderate_proposal(code, current_key(code), proposal_id, changes))


@blueprint.get("/workshops/<code>/queue")
def queue(code: str) -> Response:
    """Pending proposals waiting for approval, oldest first."""
    return jsonify({"proposals": moderation.moderation_queue(code, current_key(code))})


@blueprint.get("/workshops/<code>/similar")
def similar(code: str) -> Response:
    """Groups of visible and pending proposals that look alike, best first."""
    threshold = moderation.parse_threshold(request.args.get("threshold"))
    groups = moderation.similar_proposals(code, current_key(code), threshold)
    return jsonify({"threshold": threshold, "groups": groups})


@blueprint.post("/workshops/<code>/merges")
def create_merge(code: str) -> tuple[Response, int]:
    """Merge proposals into a survivor."""
    body = _json_body()
    merged = merging.merge_proposals(
        code, current_key(code), body.get("survivor_id"), body.get("merged_ids")
    )
    return jsonify(
        {"merge_id": merged.merge_id, "survivor": merged.survivor, "merged_ids": merged.merged_ids}
    ), 201


@blueprint.get("/workshops/<code>/merges")
def list_merges(code: str) -> Response:
    """Every merge, newest first, with whether it was undone."""
    return jsonify({"merges": merging.list_merges(code, current_key(code))})


@blueprint.delete("/workshops/<code>/merges/<int:merge_id>")
def undo_merge(code: str, merge_id: int) -> Response:
    """Undo a merge exactly."""
    return jsonify(merging.undo_merge(code, current_key(code), merge_id))


@blueprint.put("/workshops/<code>/paper-dots")
def put_paper_dots(code: str) -> Response:
    """Replace the dots counted on paper for a vote step."""
    body = _json_body()
    counted = paper.set_paper_dots(
        code, current_key(code), body.get("dots"), body.get("step_position")
    )
    return jsonify(counted.as_dict())


@blueprint.get("/workshops/<code>/paper-dots")
def get_paper_dots(code: str) -> Response:
    """The dots counted on paper for a vote step."""
    return jsonify(paper.get_paper_dots(code, current_key(code), _query_position()).as_dict())
