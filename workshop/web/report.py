"""The printable report of a workshop: method, rules and results by role, for a council case."""

from __future__ import annotations

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from flask import Blueprint, Flask, g, render_template
from flask_babel import format_decimal

from workshop import analytics
from workshop.offload import run_off_loop
from workshop.services.access import identify_key
from workshop.services.errors import ServiceError
from workshop.services.snapshots import get_snapshot
from workshop.web.keys import stored_key

blueprint = Blueprint("report", __name__, url_prefix="/f")
OSLO = ZoneInfo("Europe/Oslo")


@blueprint.get("/<code>/rapport")
def report(code: str) -> tuple[str, int] | str:
    """Every prioritising step with its ranked results, for the facilitator to print or save."""
    key = stored_key(code.upper())
    try:
        snapshot = get_snapshot(code, key)
        if snapshot["audience"] != "facilitator":
            return render_template("error.html", message=None), 403
        actor = identify_key(code, key)
        analyses = run_off_loop(analytics.get_every_analysis, actor)
    except ServiceError as exc:
        return render_template("error.html", message=exc.message), exc.status
    g.workshop_language = snapshot["language"]
    return render_template(
        "report/report.html",
        snapshot=snapshot,
        analyses=analyses,
        printed=datetime.now(OSLO),
    )


def decimal_text(value: float | None, digits: int = 2) -> str:
    """A number in the reader's language (0,69 in Norwegian, 0.69 in English), halves rounded
    up (2.25 → 2,3 with one digit) as Planverksted.mean in static/js/live.js rounds them, so a
    mean reads the same in the report, on the phone and on the projector. None is "–"."""
    if value is None:
        return "–"
    step = Decimal(1).scaleb(-digits)
    return format_decimal(
        Decimal(str(value)).quantize(step, ROUND_HALF_UP), format="0." + "0" * digits
    )


def install_report_filters(app: Flask) -> None:
    """``|decimal(1)`` for means (one decimal everywhere), ``|decimal(2)`` for shares."""
    app.jinja_env.filters["decimal"] = decimal_text
