"""The projector view (read-only) and the QR code images."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, g, render_template, session

from workshop.analytics import tally_for
from workshop.qr import qr_png, qr_svg
from workshop.services.access import find_workshop
from workshop.services.errors import ServiceError
from workshop.services.snapshots import get_snapshot
from workshop.services.unit import read_only
from workshop.web.auth import exchange_key_in_link
from workshop.web.context import workshop_join_url
from workshop.web.keys import stored_key

blueprint = Blueprint("projector", __name__)


@blueprint.get("/p/<code>")
def screen(code: str) -> Response | tuple[str, int] | str:
    """What the room sees on the wall."""
    exchanged = exchange_key_in_link(code)
    if exchanged is not None:
        return exchanged
    key = stored_key(session, code.upper(), "projector") or stored_key(
        session, code.upper(), "facilitator"
    )
    try:
        snapshot = get_snapshot(code, key)
    except ServiceError as exc:
        return render_template("error.html", message=exc.message), exc.status
    if snapshot["audience"] == "participant":
        return render_template("error.html", message=None), 403
    g.workshop_language = snapshot["language"]
    join_url = workshop_join_url(snapshot["code"])
    counting = counting_step_of(snapshot)
    mode = screen_mode(snapshot, counting)
    return render_template(
        "projector/screen.html",
        snapshot=snapshot,
        join_url=join_url,
        join_url_short=join_url.split("://", 1)[-1],
        audience=snapshot["audience"],
        mode=mode,
        counting_kind=counting_kind(counting),
        join_state=join_state(snapshot),
        tally=tally_for(snapshot["code"]) if mode == "results" else None,
    )


def counting_step_of(snapshot: dict[str, Any]) -> dict[str, Any] | None:
    """The vote or rate step that counts now: the latest one reached, else the first one."""
    steps = [s for s in snapshot.get("steps", []) if s["kind"] in ("vote", "rate")]
    reached = [s for s in steps if s["position"] <= snapshot["step"]["position"]]
    if reached:
        return reached[-1]
    return steps[0] if steps else None


def counting_kind(step: dict[str, Any] | None) -> str:
    """dots, agree or rate: how the step that counts now is answered."""
    if step is None:
        return "dots"
    if step["kind"] == "rate":
        return "rate"
    return "agree" if step.get("mode") == "agree" else "dots"


def screen_mode(snapshot: dict[str, Any], counting: dict[str, Any] | None) -> str:
    """What the wall shows: the live feed, vote progress, the results or the step's text.

    The script in static/js/projector.js decides the same way (keep them in step).
    """
    kind = snapshot["step"]["kind"]
    if kind in ("collect", "review"):
        return "feed"
    if kind in ("vote", "rate") or (kind == "results" and counting is not None):
        return "results" if snapshot["revealed"] else "progress"
    return "info"


def join_state(snapshot: dict[str, Any]) -> str:
    """qr (QR code, address and code), corner (address and code only) or closed."""
    if not snapshot.get("joining_open", True):
        return "closed"
    return "qr" if snapshot.get("show_qr", True) else "corner"


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
