"""The printable report of a workshop: method, rules and results by role, for a council case."""

from __future__ import annotations

from flask import Blueprint, Flask, render_template, url_for
from flask_babel import gettext as _

from workshop.offload import run_off_loop
from workshop.reports.content import report_content
from workshop.reports.formatting import day_text, decimal_text, moment_text
from workshop.reports.html import report_page
from workshop.services.errors import ServiceError
from workshop.web.keys import stored_key

blueprint = Blueprint("report", __name__, url_prefix="/f")

__all__ = ["blueprint", "decimal_text", "install_report_filters"]


@blueprint.get("/<code>/rapport")
def report(code: str) -> tuple[str, int] | str:
    """Every prioritising step with its ranked results, for the facilitator to print or save.

    The same template as export.html, in the reader's language rather than the workshop's."""
    key = stored_key(code.upper())
    try:
        content = run_off_loop(report_content, code, key)
    except ServiceError as exc:
        return render_template("error.html", message=exc.message), exc.status
    back = url_for("facilitator.screen", code=content.code), _("Tilbake til fasilitatorskjermen")
    return report_page(content, standalone=False, back=back)


def install_report_filters(app: Flask) -> None:
    """``|decimal(1)`` for means (one decimal everywhere), ``|decimal(2)`` for shares, ``|day``
    and ``|moment`` for dates in the reader's language."""
    app.jinja_env.filters["decimal"] = decimal_text
    app.jinja_env.filters["day"] = day_text
    app.jinja_env.filters["moment"] = moment_text
