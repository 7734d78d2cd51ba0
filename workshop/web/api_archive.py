"""JSON API for keeping and letting go: importing an archive, the deletion date, deleting."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, jsonify, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from workshop.schemas import parse_body
from workshop.schemas import requests as body_of
from workshop.schemas import responses as answer
from workshop.schemas.archive import Archive
from workshop.services import archiving, deletion
from workshop.services.access import check_admin_key
from workshop.services.errors import ValidationFailed
from workshop.web.api import created_payload, http_error
from workshop.web.apidoc import documented
from workshop.web.context import current_key, settings

blueprint = Blueprint("api_archive", __name__, url_prefix="/api/v1")
blueprint.register_error_handler(HTTPException, http_error)


@blueprint.post("/import")
@documented(
    "Restore a JSON archive (export.json) as a new workshop (admin key)",
    responses={201: answer.Created},
    errors=(401, 413),
    file_body=Archive,
)
def import_archive() -> tuple[Response, int]:
    """Restore an archive as a new workshop; a broken or foreign file stores nothing."""
    check_admin_key(settings().admin_key, current_key(""))
    request.max_content_length = archiving.ARCHIVE_MAX_BYTES
    created = archiving.import_archive_file(request.get_data(cache=False))
    return jsonify(created_payload(created)), 201


@blueprint.put("/workshops/<code>/deletion-date")
@documented(
    "Set the date the workshop is deleted on (facilitator; also after closing)",
    body=body_of.SetDeletionDate,
    responses={200: answer.DeletionDate},
    errors=(401, 403, 404),
)
def set_deletion_date(code: str) -> Response:
    """Set when `planverksted purge` deletes the workshop."""
    body = parse_body(body_of.SetDeletionDate, request.get_json(silent=True))
    try:
        day = date.fromisoformat(body.deletion_date)
    except ValueError:
        message = _("Slettedatoen må være en dato som ÅÅÅÅ-MM-DD, i dag eller senere.")
        raise ValidationFailed(message, {"deletion_date": message}) from None
    return jsonify(deletion.set_deletion_date(code, current_key(code), day))


@blueprint.delete("/workshops/<code>")
@documented(
    "Delete the workshop and everything of its participants (facilitator or admin key)",
    responses={204: None},
    errors=(401, 403, 404),
)
def delete_workshop(code: str) -> tuple[str, int]:
    """Delete the workshop now; its keys open nothing afterwards."""
    deletion.delete_workshop(code, current_key(code), settings().admin_key)
    return "", 204
