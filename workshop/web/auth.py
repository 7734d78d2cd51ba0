"""Keys in links exchanged for cookies; the admin's start page that creates workshops."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from werkzeug.wrappers import Response  # what redirect() returns; Flask's Response subclasses it

from workshop.schemas import parse_data
from workshop.schemas.requests import CreateWorkshop
from workshop.services import workshops
from workshop.services.access import Actor, check_admin_key, identify_key
from workshop.services.errors import ServiceError
from workshop.session_plans import PlanError, list_plans
from workshop.web.context import settings
from workshop.web.forms import check_csrf, form_number
from workshop.web.keys import remember_key

blueprint = Blueprint("auth", __name__)


def exchange_key_in_link(code: str) -> Response | None:
    """A ?key= in the address becomes a cookie, and the browser goes to the URL without it."""
    key = request.args.get("key")
    if not key:
        return None
    try:
        actor: Actor = identify_key(code, key)
    except ServiceError:
        return None
    remember_key(actor.workshop_code, actor.kind, key)
    return redirect(request.path)


def is_admin() -> bool:
    """Whether this browser has shown the instance admin key."""
    try:
        check_admin_key(settings().admin_key, session.get("admin_key"))
    except ServiceError:
        return False
    return True


@blueprint.get("/start")
def start() -> Response | str | tuple[str, int]:
    """The facilitator's start page: choose a session plan and name the workshop."""
    key = request.args.get("key")
    if key:
        session["admin_key"] = key
        return redirect(url_for("auth.start"))
    if not is_admin():
        return render_template("facilitator/login.html")
    return start_page()


def start_page(error: str | None = None, status: int = 200) -> tuple[str, int]:
    try:
        plans = list_plans(language=str(get_locale() or "nb"))
        plan_error = None
    except PlanError as exc:
        plans, plan_error = [], str(exc)
    page = render_template(
        "facilitator/start.html", plans=plans, plan_error=plan_error, error=error, form=request.form
    )
    return page, status


@blueprint.post("/start/login")
def login() -> Response:
    """Accept the admin key typed into the form."""
    check_csrf()
    session["admin_key"] = request.form.get("admin_key", "").strip()
    if not is_admin():
        flash(_("Feil administratornøkkel. Se terminalen der serveren ble startet."), "error")
    return redirect(url_for("auth.start"))


@blueprint.post("/start")
def create() -> Response | tuple[str, int]:
    """Create the workshop and open its facilitator screen."""
    check_csrf()
    if not is_admin():
        return redirect(url_for("auth.start"))
    votes = request.form.get("votes_per_participant", "")
    options: dict[str, object] = {"moderation": request.form.get("moderation") == "on"}
    try:
        if votes:
            options["votes_per_participant"] = form_number(votes)
        wanted = parse_data(
            CreateWorkshop,
            {
                "title": request.form.get("title", ""),
                "plan": request.form.get("plan", "plan-simplification"),
                "language": request.form.get("language") or None,
                "settings": options,
            },
        )
        created = workshops.create_workshop(
            title=wanted.title,
            plan_name=wanted.plan or "plan-simplification",
            language=wanted.language,
            settings=wanted.settings.model_dump(exclude_unset=True) if wanted.settings else {},
        )
    except ServiceError as exc:
        return start_page(str(exc.message), exc.status)
    remember_key(created.code, "facilitator", created.facilitator_key)
    return redirect(url_for("facilitator.screen", code=created.code))
