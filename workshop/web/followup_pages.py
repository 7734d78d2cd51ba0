"""Pages and plain forms of decisions and follow-up: the facilitator records actions, closes,
publishes the report and writes notes; phones suggest owners and deadlines; the join URL of a
closed workshop reports back. Every form works without script; the scripts only enhance."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, Flask, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from workshop.offload import run_off_loop
from workshop.reports.content import published_content
from workshop.reports.html import report_page
from workshop.schemas import parse_data
from workshop.schemas import requests as body_of
from workshop.services import actions, closing
from workshop.services.actions import UNSET, ActionInput
from workshop.services.errors import ServiceError
from workshop.web.api_followup import action_input, parse_due
from workshop.web.forms import check_csrf, form_number
from workshop.web.keys import stored_key

blueprint = Blueprint("followup", __name__)
OSLO = ZoneInfo("Europe/Oslo")

DECISION_BODY_LABELS = {
    "kommunestyret": _l("Kommunestyret"),
    "formannskapet": _l("Formannskapet"),
    "administrasjonen": _l("Administrasjonen"),
    "fylkeskommunen": _l("Fylkeskommunen"),
    "statsforvalteren": _l("Statsforvalteren"),
    "departementet": _l("Departementet"),
}
CHANGE_LEVEL_LABELS = {
    "lokal": _l("Lokal – kommunen selv"),
    "regional": _l("Regional – fylkeskommunen, statsforvalteren"),
    "nasjonal": _l("Nasjonal – lov, forskrift, departementet"),
}


def decision_body_label(key: str | None) -> str:
    """A decision body in the interface language (a plan's own body as written)."""
    return str(DECISION_BODY_LABELS.get(key or "", key or ""))


def change_level_label(key: str | None) -> str:
    """A change level in the interface language."""
    return str(CHANGE_LEVEL_LABELS.get(key or "", key or _("Ikke avklart")))


def local_time(moment: str | None) -> str:
    """An ISO 8601 moment as a date and time in Norway."""
    if not moment:
        return ""
    parsed = datetime.fromisoformat(moment)
    if parsed.tzinfo is None:  # SQLite hands back UTC times without their zone
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(OSLO).strftime("%d.%m.%Y %H:%M")


def local_date(day: str | None) -> str:
    """A YYYY-MM-DD deadline as a Norwegian date (dd.mm.yyyy)."""
    if not day:
        return ""
    return date.fromisoformat(day).strftime("%d.%m.%Y")


def install_followup_helpers(app: Flask) -> None:
    """Labels the follow-up templates share."""
    app.jinja_env.globals["decision_body_label"] = decision_body_label
    app.jinja_env.globals["change_level_label"] = change_level_label
    app.jinja_env.globals["change_level_labels"] = CHANGE_LEVEL_LABELS
    app.jinja_env.filters["local_time"] = local_time
    app.jinja_env.filters["local_date"] = local_date


def _facilitator_key(code: str) -> str | None:
    return stored_key(code.upper(), "facilitator")


def _participant_key(code: str) -> str | None:
    return stored_key(code.upper(), "participant")


def _back(code: str, error: ServiceError | None = None, anchor: str = "followup") -> Response:
    target = url_for("facilitator.screen", code=code.upper(), _anchor=anchor)
    if error is not None:
        target = url_for(
            "facilitator.screen", code=code.upper(), error=str(error.message), _anchor=anchor
        )
    return redirect(target)


def _form_action() -> dict[str, Any]:
    """The action form's fields as an API body: empty fields are not given."""
    body: dict[str, Any] = {"what": request.form.get("what", "")}
    for name in ("owner", "due", "decided_by", "change_level"):
        value = request.form.get(name, "").strip()
        if value:
            body[name] = value
    proposal = form_number(request.form.get("proposal_id", ""))
    if proposal is not None:
        body["proposal_id"] = proposal
    return body


@blueprint.post("/f/<code>/actions")
def add_action(code: str) -> Response:
    """Record an action from the facilitator's form."""
    check_csrf()
    try:
        body = parse_data(body_of.CreateAction, _form_action())
        data = action_input(body)
        actions.create_action(code, _facilitator_key(code), data)
    except ServiceError as exc:
        return _back(code, exc)
    return _back(code)


@blueprint.post("/f/<code>/actions/<int:action_id>/delete")
def remove_action(code: str, action_id: int) -> Response:
    """Remove an action from the facilitator's list."""
    check_csrf()
    try:
        actions.delete_action(code, _facilitator_key(code), action_id)
    except ServiceError as exc:
        return _back(code, exc)
    return _back(code)


@blueprint.post("/f/<code>/actions/<int:action_id>/take")
def take_suggestion(code: str, action_id: int) -> Response:
    """Take a phone's suggested owner and deadline into the action."""
    check_csrf()
    owner = request.form.get("owner", "").strip()
    due = request.form.get("due", "").strip()
    try:
        data = ActionInput(owner=owner if owner else UNSET, due=parse_due(due) if due else UNSET)
        actions.update_action(code, _facilitator_key(code), action_id, data)
    except ServiceError as exc:
        return _back(code, exc)
    return _back(code)


@blueprint.post("/f/<code>/close")
def close(code: str) -> Response:
    """Close the workshop: the form asks for a ticked confirmation first."""
    check_csrf()
    if request.form.get("confirm") != "yes":
        message = _("Kryss av for å bekrefte at verkstedet skal avsluttes.")
        return redirect(
            url_for("facilitator.screen", code=code.upper(), error=message, _anchor="followup")
        )
    try:
        closing.close_workshop(code, _facilitator_key(code))
    except ServiceError as exc:
        return _back(code, exc)
    return _back(code)


@blueprint.post("/f/<code>/outcome")
def publish(code: str) -> Response:
    """Publish the report on the report-back page, or withdraw it."""
    check_csrf()
    try:
        wanted = request.form.get("report_published") == "yes"
        closing.publish_report(code, _facilitator_key(code), wanted)
    except ServiceError as exc:
        return _back(code, exc)
    return _back(code)


@blueprint.post("/f/<code>/notes")
def add_note(code: str) -> Response:
    """A follow-up note from the facilitator's form."""
    check_csrf()
    try:
        body = parse_data(body_of.AddNote, {"text": request.form.get("text", "")})
        closing.add_note(code, _facilitator_key(code), body.text)
    except ServiceError as exc:
        return _back(code, exc)
    return _back(code)


@blueprint.post("/j/<code>/actions/<int:action_id>/suggestions")
def suggest(code: str, action_id: int) -> Response:
    """A phone's suggested owner and deadline, from the plain form."""
    check_csrf()
    try:
        body = parse_data(
            body_of.SuggestForAction,
            {
                "owner": request.form.get("owner", "").strip() or None,
                "due": request.form.get("due", "").strip() or None,
            },
        )
        actions.suggest(code, _participant_key(code), action_id, body.owner, parse_due(body.due))
    except ServiceError as exc:
        flash(str(exc.message), "error")
        return redirect(url_for("participant.screen", code=code.upper(), _anchor="step"))
    flash(_("Takk! Forslaget ditt er sendt til tilretteleggeren."), "success")
    return redirect(url_for("participant.screen", code=code.upper()))


def outcome_page(outcome: dict[str, Any]) -> str:
    """The report-back page at the join URL of a closed workshop."""
    g.workshop_language = outcome["language"]
    levels = [
        (level, [row for row in outcome["ranking"] if row.get("change_level") == level])
        for level in ("lokal", "regional", "nasjonal", None)
    ]
    return render_template(
        "participant/outcome.html",
        outcome=outcome,
        levels=[(level, rows) for level, rows in levels if rows],
        titles={row["id"]: row["title"] for row in outcome["ranking"]},
    )


@blueprint.get("/j/<code>/rapport")
def published_report(code: str) -> tuple[str, int] | str:
    """The report, for anyone with the code once the facilitator has published it."""
    try:
        content = run_off_loop(published_content, code)
    except ServiceError as exc:
        return render_template("error.html", message=exc.message), exc.status
    if content is None:
        return render_template("error.html", message=None), 403
    back = url_for("participant.screen", code=content.code), _("Tilbake til resultatet")
    return report_page(content, standalone=False, back=back)
