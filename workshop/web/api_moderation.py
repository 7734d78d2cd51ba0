"""JSON API for moderation (beyond the version 1 contract, in the same style and error shape).

Moderating, editing and classifying proposals, similar proposals, merges and their undo, and
dots counted on paper. Every endpoint needs the facilitator key.
"""

from __future__ import annotations

import re

from flask import Blueprint, Response, jsonify, request
from flask_babel import gettext as _

from workshop.offload import run_off_loop
from workshop.schemas import parse_body
from workshop.schemas import requests as body_of
from workshop.schemas import responses as answer
from workshop.schemas.snapshot import Proposal
from workshop.services import bank, merging, moderation, paper
from workshop.services.errors import ValidationFailed
from workshop.web.apidoc import documented
from workshop.web.context import current_key

blueprint = Blueprint("api_moderation", __name__, url_prefix="/api/v1")
STAFF = (401, 403, 404)


def _query_position() -> int | None:
    raw = request.args.get("step_position")
    if raw is None or raw == "":
        return None
    if not re.fullmatch(r"[0-9]{1,9}", raw):
        raise ValidationFailed(_("«step_position» må være et heltall."))
    return int(raw)


@blueprint.patch("/workshops/<code>/proposals/<int:proposal_id>")
@documented(
    "Approve, hide, show, edit, recategorise or settle the change level of a proposal "
    "(facilitator)",
    body=body_of.PatchProposal,
    responses={200: Proposal},
    errors=STAFF,
)
def patch_proposal(code: str, proposal_id: int) -> Response:
    """Approve, hide, show, edit, recategorise or settle the change level of a proposal."""
    body = parse_body(body_of.PatchProposal, request.get_json(silent=True))
    changes = moderation.validate_changes(**body.model_dump(include=body.model_fields_set))
    return jsonify(moderation.moderate_proposal(code, current_key(code), proposal_id, changes))


@blueprint.get("/workshops/<code>/queue")
@documented(
    "Pending proposals waiting for approval, oldest first (facilitator)",
    responses={200: answer.Queue},
    errors=STAFF,
)
def queue(code: str) -> Response:
    """Pending proposals waiting for approval, oldest first."""
    return jsonify({"proposals": moderation.moderation_queue(code, current_key(code))})


@blueprint.get("/workshops/<code>/similar")
@documented(
    "Groups of proposals that look alike, best first (facilitator)",
    responses={200: answer.Similar},
    errors=(*STAFF, 422, 503),
    query={"threshold": ({"type": "number"}, "how alike, 0–100 (default 70)")},
)
def similar(code: str) -> Response:
    """Groups of visible and pending proposals that look alike, best first."""
    threshold = moderation.parse_threshold(request.args.get("threshold"))
    groups = run_off_loop(moderation.similar_proposals, code, current_key(code), threshold)
    return jsonify({"threshold": threshold, "groups": groups})


@blueprint.post("/workshops/<code>/merges")
@documented(
    "Merge proposals into a survivor (facilitator)",
    body=body_of.Merge,
    responses={201: answer.Merged},
    errors=(*STAFF, 409),
)
def create_merge(code: str) -> tuple[Response, int]:
    """Merge proposals into a survivor."""
    body = parse_body(body_of.Merge, request.get_json(silent=True))
    merged = merging.merge_proposals(code, current_key(code), body.survivor_id, body.merged_ids)
    return jsonify(
        {"merge_id": merged.merge_id, "survivor": merged.survivor, "merged_ids": merged.merged_ids}
    ), 201


@blueprint.get("/workshops/<code>/merges")
@documented(
    "Every merge, newest first, with whether it was undone (facilitator)",
    responses={200: answer.Merges},
    errors=STAFF,
)
def list_merges(code: str) -> Response:
    """Every merge, newest first, with whether it was undone."""
    return jsonify({"merges": merging.list_merges(code, current_key(code))})


@blueprint.delete("/workshops/<code>/merges/<int:merge_id>")
@documented(
    "Undo a merge exactly (facilitator)",
    responses={200: answer.Unmerged},
    errors=(*STAFF, 409),
)
def undo_merge(code: str, merge_id: int) -> Response:
    """Undo a merge exactly."""
    return jsonify(merging.undo_merge(code, current_key(code), merge_id))


@blueprint.put("/workshops/<code>/paper-dots")
@documented(
    "Replace the dots counted on paper for a vote step (facilitator)",
    body=body_of.PutPaperDots,
    responses={200: answer.PaperCount},
    errors=STAFF,
)
def put_paper_dots(code: str) -> Response:
    """Replace the dots counted on paper for a vote step."""
    body = parse_body(body_of.PutPaperDots, request.get_json(silent=True))
    counted = paper.set_paper_dots(code, current_key(code), body.dots, body.step_position)
    return jsonify(counted.as_dict())


@blueprint.get("/workshops/<code>/paper-dots")
@documented(
    "The dots counted on paper for a vote step (facilitator)",
    responses={200: answer.PaperCount},
    errors=(*STAFF, 422),
    query={"step_position": ({"type": "integer", "minimum": 0}, "default: the counting step")},
)
def get_paper_dots(code: str) -> Response:
    """The dots counted on paper for a vote step."""
    return jsonify(paper.get_paper_dots(code, current_key(code), _query_position()).as_dict())


@blueprint.get("/workshops/<code>/bank")
@documented(
    "The proposal bank of the workshop's plan, in its language (facilitator)",
    responses={200: answer.Bank},
    errors=STAFF,
)
def get_bank(code: str) -> Response:
    """The proposal bank of the workshop's plan, each entry with the proposal it became here."""
    return jsonify(bank.list_bank(code, current_key(code)))


@blueprint.post("/workshops/<code>/bank")
@documented(
    "Put chosen bank proposals on the table; adding one twice gives the same proposal "
    "(facilitator)",
    body=body_of.AddFromBank,
    responses={200: answer.BankAdded},
    errors=(*STAFF, 422),
)
def post_bank(code: str) -> Response:
    """Put chosen bank proposals on the table (idempotent)."""
    body = parse_body(body_of.AddFromBank, request.get_json(silent=True))
    return jsonify(bank.add_from_bank(code, current_key(code), body.ids))
