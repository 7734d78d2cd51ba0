"""Pages of comparisons (admin): choose workshops, see them side by side, decide matches."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from workshop.services import comparisons
from workshop.services.errors import ServiceError
from workshop.web.auth import is_admin
from workshop.web.forms import check_csrf

blueprint = Blueprint("comparison_pages", __name__, url_prefix="/sammenligninger")
SHOWN_SUGGESTIONS = 50  # the best pairs on the page; the JSON answer lists them all


def _login() -> tuple[str, int]:
    """The start page's login form: these pages need the admin key."""
    return render_template("facilitator/login.html"), 401


def _choose(error: str | None = None, status: int = 200) -> tuple[str, int]:
    chosen = request.form.getlist("workshops") if request.method == "POST" else []
    page = render_template(
        "comparison/choose.html",
        workshops=comparisons.workshops_to_compare(),
        chosen=chosen,
        error=error,
    )
    return page, status


@blueprint.get("/ny")
def choose() -> Response | tuple[str, int]:
    """Pick the workshops to compare (typically one plan run in several municipalities)."""
    if not is_admin():
        return _login()
    return _choose()


@blueprint.post("/ny")
def create() -> Response | tuple[str, int]:
    """Store the comparison and open its page; the workbook speaks the admin's language."""
    check_csrf()
    if not is_admin():
        return _login()
    try:
        created = comparisons.create_comparison(
            request.form.getlist("workshops"), str(get_locale() or "nb")
        )
    except ServiceError as exc:
        return _choose(str(exc.message), exc.status)
    return redirect(url_for("comparison_pages.page", comparison_id=created))


@blueprint.get("/<int:comparison_id>")
def page(comparison_id: int) -> Response | tuple[str, int]:
    """The workshops side by side; ``?key=`` with the admin key logs this browser in."""
    key = request.args.get("key")
    if key:
        session["admin_key"] = key
        return redirect(url_for("comparison_pages.page", comparison_id=comparison_id))
    if not is_admin():
        return _login()
    from workshop.analytics import comparison  # pandas: loaded on the first comparison
    from workshop.analytics import comparison_workbook as workbook

    try:
        compared = comparison.load_comparison(comparison_id)
    except ServiceError as exc:
        return render_template("error.html", message=exc.message), exc.status
    return render_template(
        "comparison/page.html",
        comparison=comparison.comparison_payload(compared),
        role_rows=comparison.multi_workshop_rows(compared),
        level_label=workbook.level_label,
        method=workbook.method_text(),
        shown_suggestions=SHOWN_SUGGESTIONS,
    ), 200


@blueprint.post("/<int:comparison_id>/par")
def decide(comparison_id: int) -> Response | tuple[str, int]:
    """Accept or reject a suggested pair, then back to the suggestions."""
    check_csrf()
    if not is_admin():
        return _login()
    accepted = request.form.get("decision") == "accept"
    try:
        ids = [int(request.form.get(name, "")) for name in ("first", "second")]
        comparisons.decide_match(comparison_id, ids, accepted)
    except ValueError:
        flash(_("Velg to forslag."), "error")
    except ServiceError as exc:
        flash(str(exc.message), "error")
    else:
        flash(
            _("Forslagene står nå på samme rad.") if accepted else _("Paret er avvist."),
            "success",
        )
    return redirect(url_for("comparison_pages.page", comparison_id=comparison_id) + "#par")
