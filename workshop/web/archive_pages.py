"""Pages for keeping and letting go: the start page's archive upload, the deletion date and the
confirmed deletion on the facilitator's screen."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from workshop.services import archiving, deletion
from workshop.services.errors import ServiceError, ValidationFailed
from workshop.services.snapshots import get_snapshot
from workshop.web.auth import is_admin, start_page
from workshop.web.forms import check_csrf
from workshop.web.keys import remember_key, stored_key

blueprint = Blueprint("archive_pages", __name__)
FORM_OVERHEAD = 64 * 1024  # the multipart envelope around the file


def _facilitator_key(code: str) -> str | None:
    return stored_key(code.upper(), "facilitator")


@blueprint.post("/start/import")
def import_archive() -> Response | tuple[str, int]:
    """Restore an uploaded archive as a new workshop and open its facilitator screen."""
    request.max_content_length = archiving.ARCHIVE_MAX_BYTES + FORM_OVERHEAD
    check_csrf()
    if not is_admin():
        return redirect(url_for("auth.start"))
    upload = request.files.get("archive")
    try:
        if upload is None or not upload.filename:
            raise ValidationFailed(_("Velg en arkivfil (JSON) å lese inn."))
        created = archiving.import_archive_file(upload.read(archiving.ARCHIVE_MAX_BYTES + 1))
    except ServiceError as exc:
        return start_page(str(exc.message), exc.status)
    remember_key(created.code, "facilitator", created.facilitator_key)
    return redirect(url_for("facilitator.screen", code=created.code))


@blueprint.post("/f/<code>/deletion-date")
def set_deletion_date(code: str) -> Response:
    """Set the deletion date from the facilitator's form."""
    check_csrf()
    try:
        raw = request.form.get("deletion_date", "")
        try:
            day = date.fromisoformat(raw)
        except ValueError:
            raise ValidationFailed(
                _("Slettedatoen må være en dato som ÅÅÅÅ-MM-DD, i dag eller senere.")
            ) from None
        deletion.set_deletion_date(code, _facilitator_key(code), day)
    except ServiceError as exc:
        return redirect(url_for("facilitator.screen", code=code, error=str(exc.message)))
    return redirect(url_for("facilitator.screen", code=code, _anchor="deletion-heading"))


@blueprint.get("/f/<code>/slett")
def confirm_deletion(code: str) -> str | tuple[str, int]:
    """The confirmation page: what deleting removes, and the button that does it."""
    try:
        snapshot = get_snapshot(code, _facilitator_key(code))
    except ServiceError as exc:
        return render_template("error.html", message=exc.message), exc.status
    if snapshot["audience"] != "facilitator":
        return render_template("error.html", message=None), 403
    return render_template("facilitator/delete.html", snapshot=snapshot, deleted=False)


@blueprint.post("/f/<code>/slett")
def delete(code: str) -> str | tuple[str, int]:
    """Delete the workshop for good, once confirmed."""
    check_csrf()
    try:
        gone = deletion.delete_workshop(code, _facilitator_key(code), "")
    except ServiceError as exc:
        return render_template("error.html", message=exc.message), exc.status
    return render_template("facilitator/delete.html", snapshot={"code": gone.code}, deleted=True)
