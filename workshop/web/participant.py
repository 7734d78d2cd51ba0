"""The phone: join by code or QR, then follow the steps. Works as plain forms; JS enhances."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from flask import (
    Blueprint,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from workshop.analytics.shared_results import PHONE_WAIT, results_for
from workshop.schemas import parse_data
from workshop.schemas import requests as body_of
from workshop.services import actions, closing, participants, proposals, ratings, stances, votes
from workshop.services.errors import Forbidden, ServiceError, TookTooLong
from workshop.services.snapshots import FEED_SIZE, MAX_LISTED, join_info, phone_snapshot
from workshop.web.context import limited_join, settings, wrong_join_code
from workshop.web.followup_pages import outcome_page
from workshop.web.forms import check_csrf, form_number
from workshop.web.keys import remember_key, stored_key

blueprint = Blueprint("participant", __name__)
# A page, or a page with its status and headers (Retry-After), or a redirect.
Answer = Response | tuple[str, int] | tuple[str, int, dict[str, str]]
ACCESSIBILITY_UPDATED = date(2026, 11, 26)


def _key(code: str) -> str | None:
    return stored_key(code.upper(), "participant")


@blueprint.get("/")
def landing() -> str:
    """Type the join code shown on the projector."""
    return render_template("participant/landing.html", error=None)


@blueprint.get("/tilgjengelighet")
def accessibility() -> str:
    """The accessibility statement (what is met, how to report a problem)."""
    return render_template(
        "accessibility.html", contact=settings().contact, updated=ACCESSIBILITY_UPDATED
    )


@blueprint.get("/j")
def find() -> Response | tuple[str, int]:
    """The join code typed on the landing page."""
    code = re.sub(r"[^0-9A-Za-z]", "", request.args.get("code", "")).upper()
    if not code:
        message = _("Skriv inn koden som står på lerretet.")
        return render_template("participant/landing.html", error=message), 422
    return redirect(url_for("participant.screen", code=code))


@blueprint.get("/j/<code>")
def screen(code: str) -> Response | str | tuple[str, int]:
    """The join form, the current step for someone who has joined, or once the workshop is
    closed the report-back page (for anyone with the code: the QR code leads there)."""
    outcome = _closed_outcome(code)
    if outcome is not None:
        return outcome_page(outcome)
    key = _key(code)
    feed = _feed_size()
    try:
        snapshot = phone_snapshot(code, key, feed) if key else None
    except ServiceError:
        snapshot = None
    if snapshot is None:
        return _join_page(code)
    g.workshop_language = snapshot["language"]
    return render_template("participant/screen.html", **_step_context(snapshot), feed=feed)


def _feed_size() -> int:
    """How many of the newest proposals the collect step lists (?feed=, «show older»)."""
    raw = request.args.get("feed", "")
    size = int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 6 else FEED_SIZE
    return min(max(size, FEED_SIZE), MAX_LISTED)


def _closed_outcome(code: str) -> dict[str, Any] | None:
    try:
        return closing.public_outcome(code)
    except ServiceError:
        return None


def _join_page(
    code: str, error: str | None = None, status: int = 200, counted: bool = False
) -> tuple[str, int]:
    """The join page; an unknown code counts as a guess unless the caller counted it."""
    outcome = _closed_outcome(code)
    if outcome is not None:
        return outcome_page(outcome), status
    try:
        info = join_info(code)
    except ServiceError:
        if status == 429:  # a guesser held back: say so, not whether the code exists
            return render_template("participant/landing.html", error=error), status
        if not counted:
            wrong_join_code()
        message = _("Fant ikke verkstedet «%(code)s». Sjekk koden på lerretet.", code=code)
        return render_template("participant/landing.html", error=message), 404
    g.workshop_language = info["language"]
    if not info["joining_open"]:
        error = None  # the page itself says that joining is closed, and shows no form
    page = render_template("participant/join.html", info=info, error=error, form=request.form)
    return page, status


def _step_context(snapshot: dict[str, Any]) -> dict[str, Any]:
    """The step and, once revealed, its results: on a results step, or under a vote or rate
    step whose results the facilitator has shown while it is still open. Results still being
    worked out after a few seconds leave the step saying they are on their way."""
    results = None
    pending = False
    step = snapshot["step"]
    on_results = step["kind"] == "results" and snapshot["revealed"]
    revealed_here = step["kind"] in ("vote", "agree", "rate") and step.get("revealed")
    if on_results or revealed_here:
        try:
            results = results_for(snapshot["code"], _key(snapshot["code"]), wait=PHONE_WAIT)
        except TookTooLong:
            pending = True
        except ServiceError:
            results = None
    if step.get("proposal_ids") is not None:  # a shortlist: the phone shows only those
        asked = set(step["proposal_ids"])
        snapshot = {**snapshot, "proposals": [p for p in snapshot["proposals"] if p["id"] in asked]}
    context = {
        "snapshot": snapshot,
        "me": snapshot.get("me", {}),
        "results": results,
        "results_pending": pending,
    }
    if step["kind"] == "actions":
        context["actions"] = actions.actions_for_phone(snapshot["code"], _key(snapshot["code"]))
    return context


@blueprint.post("/j/<code>")
def join(code: str) -> Answer:
    """Join with an optional name, any number of roles (checkboxes named «role») and, in table
    mode, a table (a select named «table»)."""
    check_csrf()
    try:
        wanted = parse_data(
            body_of.Join,
            {
                "name": request.form.get("name"),
                "roles": request.form.getlist("role"),
                "table": request.form.get("table") or None,
            },
        )
        joined = limited_join(
            code,
            lambda: participants.join_workshop(
                code, wanted.name, roles=wanted.roles, table=wanted.table
            ),
        )
    except ServiceError as exc:
        page, status = _join_page(code, str(exc.message), exc.status, counted=True)
        return page, status, exc.headers()
    remember_key(joined.workshop_code, "participant", joined.key)
    return redirect(url_for("participant.screen", code=joined.workshop_code))


@blueprint.get("/j/<code>/step")
def step_fragment(code: str) -> Response | str | tuple[str, int]:
    """Only the current step's section, for the page's script to swap in."""
    feed = _feed_size()
    try:
        snapshot = phone_snapshot(code, _key(code), feed)
    except ServiceError as exc:
        return str(exc.message), exc.status
    g.workshop_language = snapshot["language"]
    return render_template("participant/_step.html", **_step_context(snapshot), feed=feed)


@blueprint.post("/j/<code>/proposals")
def submit(code: str) -> Answer:
    """Send a proposal from the plain form."""
    check_csrf()
    try:
        typed = parse_data(
            body_of.SubmitProposal,
            {
                "title": request.form.get("title", ""),
                "body": request.form.get("body"),
                "category": request.form.get("category") or None,
                "client_key": request.form.get("client_key") or None,
                "change_level": request.form.get("change_level") or None,
            },
        )
        proposals.submit_proposal(
            code,
            _key(code),
            title=typed.title,
            body=typed.body,
            category=typed.category,
            client_key=typed.client_key,
            change_level=typed.change_level,  # a suggestion: the facilitator settles it
        )
    except ServiceError as exc:
        return _screen_with_error(code, exc)
    flash(_("Takk! Forslaget ditt er sendt."), "success")
    return redirect(url_for("participant.screen", code=code.upper()))


@blueprint.post("/j/<code>/votes")
def vote(code: str) -> Answer:
    """Save the dots from the plain form."""
    check_csrf()
    allocations: dict[str, object] = {}
    for field, value in request.form.items():
        # Empty and 0 fields name nothing: a proposal hidden since the page was drawn is skipped.
        if field.startswith("dots-") and value.strip() and value.strip() != "0":
            allocations[field[5:]] = form_number(value)
    try:
        wanted = parse_data(body_of.PutVotes, {"allocations": allocations})
        votes.set_allocation(code, _key(code), wanted.allocations)
    except ServiceError as exc:
        return _screen_with_error(code, exc)
    flash(_("Stemmene dine er lagret."), "success")
    return redirect(url_for("participant.screen", code=code.upper()))


@blueprint.post("/j/<code>/ratings")
def rate(code: str) -> Answer:
    """Save the scores from the plain form: fields «rating-<proposal id>-<criterion>» = 1..5."""
    check_csrf()
    wanted: dict[str, dict[str, object]] = {}
    for field, value in request.form.items():
        if not field.startswith("rating-") or not value.strip():
            continue
        proposal_id, _sep, criterion = field[7:].partition("-")
        score = form_number(value)
        wanted.setdefault(proposal_id, {})[criterion] = score
    try:
        scores = parse_data(body_of.PutRatings, {"ratings": wanted})
        ratings.set_ratings(code, _key(code), scores.ratings)
    except ServiceError as exc:
        return _screen_with_error(code, exc)
    flash(_("Vurderingene dine er lagret."), "success")
    return redirect(url_for("participant.screen", code=code.upper()))


@blueprint.post("/j/<code>/stances")
def answer(code: str) -> Answer:
    """Save agree / disagree / pass from the plain form: fields «stance-<proposal id>»."""
    check_csrf()
    wanted = {
        field[7:]: value
        for field, value in request.form.items()
        if field.startswith("stance-") and value.strip()
    }
    try:
        answers = parse_data(body_of.PutStances, {"stances": wanted})
        stances.set_stances(code, _key(code), answers.stances)
    except ServiceError as exc:
        return _screen_with_error(code, exc)
    flash(_("Svarene dine er lagret."), "success")
    return redirect(url_for("participant.screen", code=code.upper()))


@blueprint.post("/j/<code>/table")
def change_table(code: str) -> Answer:
    """Move to another table (table mode) from the plain form: a select named «table»."""
    check_csrf()
    try:
        me = phone_snapshot(code, _key(code), 0).get("me")
        if me is None:
            raise Forbidden()
        wanted = parse_data(body_of.SetTable, {"table": request.form.get("table") or None})
        participants.set_table(code, _key(code), me["participant_id"], wanted.table)
    except ServiceError as exc:
        return _screen_with_error(code, exc)
    flash(
        _("Du sitter nå ved %(table)s.", table=wanted.table)
        if wanted.table
        else _("Du sitter nå ikke ved noe bord."),
        "success",
    )
    return redirect(url_for("participant.screen", code=code.upper()))


def _screen_with_error(code: str, error: ServiceError) -> Answer:
    try:
        snapshot = phone_snapshot(code, _key(code))
    except ServiceError:
        return redirect(url_for("participant.screen", code=code.upper()))
    g.workshop_language = snapshot["language"]
    context = _step_context(snapshot)
    page = render_template(
        "participant/screen.html",
        error=str(error.message),
        form=request.form,
        feed=FEED_SIZE,
        **context,
    )
    return page, error.status, error.headers()
