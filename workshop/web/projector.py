"""The projector view (read-only) and the QR code images."""

from __future__ import annotations

from flask import Blueprint, Response, g, render_template
from flask.typing import ResponseReturnValue

from workshop.qr import qr_png, qr_svg
from workshop.services.access import find_workshop, projector_key
from workshop.services.errors import ServiceError
from workshop.services.snapshots import get_snapshot
from workshop.services.unit import read_only
from workshop.web.auth import exchange_key_in_link
from workshop.web.context import workshop_join_url
from workshop.web.keys import remember_key, stored_key

blueprint = Blueprint("projector", __name__)


@blueprint.get("/p/<code>")
def screen(code: str) -> ResponseReturnValue:
    """What the room sees on the wall."""
    exchanged = exchange_key_in_link(code)
    if exchanged is not None:
        return exchanged
    key = stored_key(code, "projector") or _projector_key_of_facilitator(code)
    try:
        snapshot = get_snapshot(code, key)
    except ServiceError as exc:
        return render_template("error.html", message=exc.message), exc.status
    if snapshot["audience"] == "participant":
        return render_template("error.html", message=None), 403
    g.workshop_language = snapshot["language"]
    join_url = workshop_join_url(snapshot["code"])
    # What the wall shows is decided by static/js/state.js (view()), the only copy of that rule.
    return render_template(
        "projector/screen.html",
        snapshot=snapshot,
        join_url=join_url,
        join_url_short=join_url.split("://", 1)[-1],
        audience=snapshot["audience"],
    )


def _projector_key_of_facilitator(code: str) -> str | None:
    """A facilitator's browser opening the wall gets the projector key, so it shows the wall."""
    facilitator_key = stored_key(code, "facilitator")
    if not facilitator_key:
        return None
    try:
        key = projector_key(code, facilitator_key)
    except ServiceError:
        return facilitator_key
    remember_key(code, "projector", key)
    return key


def _qr_image(code: str, render: object, mimetype: str) -> Response:
    with read_only() as db_session:
        workshop = find_workshop(db_session, code)
        url = workshop_join_url(workshop.code)
    response = Response(render(url), mimetype=mimetype)  # type: ignore[operator]
    response.headers["Cache-Control"] = "no-cache"
    return response


@blueprint.get("/qr/<code>.svg")
def qr_code_svg(code: str) -> Response:
    """The join QR code as SVG (sharp on any projector)."""
    return _qr_image(code, qr_svg, "image/svg+xml")


@blueprint.get("/qr/<code>.png")
def qr_code_png(code: str) -> Response:
    """The join QR code as PNG."""
    return _qr_image(code, qr_png, "image/png")
