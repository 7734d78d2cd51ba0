"""The facilitator's screen: steps, live proposals and counts, links to projector and exports."""

from __future__ import annotations

from flask import Blueprint, g, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from workshop.qr import reachable_from_phones
from workshop.schemas import parse_data
from workshop.schemas.requests import ChangeStep, Limits, SetTable, SubmitProposal
from workshop.services import bank, deletion, participants, proposals, room_limits, workshops
from workshop.services.access import projector_key
from workshop.services.errors import ServiceError
from workshop.services.snapshots import get_snapshot
from workshop.web.auth import exchange_key_in_link
from workshop.web.context import base_url, settings, workshop_join_url
from workshop.web.forms import check_csrf, form_number
from workshop.web.keys import stored_key

blueprint = Blueprint("facilitator", __name__, url_prefix="/f")


def _facilitator_key(code: str) -> str | None:
    return stored_key(code.upper(), "facilitator")


def _projector_key(code: str) -> str:
    """The projector key, so the link also works on another machine (facilitators only)."""
    kept = stored_key(code, "projector")
    return kept or projector_key(code, _facilitator_key(code))


@blueprint.get("/<code>")
def screen(code: str) -> Response | tuple[str, int] | str:
    """The facilitator screen of one workshop."""
    exchanged = exchange_key_in_link(code)
    if exchanged is not None:
        return exchanged
    # The most powerful key this browser holds: a projector key alone is refused with 403.
    key = _facilitator_key(code) or stored_key(code.upper())
    try:
        snapshot = get_snapshot(code, key)
    except ServiceError as exc:
        return render_template("error.html", message=exc.message), exc.status
    if snapshot["audience"] != "facilitator":
        return render_template("error.html", message=None), 403
    g.workshop_language = snapshot["language"]
    code = snapshot["code"]
    projector_key = _projector_key(code)
    return render_template(
        "facilitator/screen.html",
        snapshot=snapshot,
        join_url=workshop_join_url(code),
        projector_url=url_for("projector.screen", code=code, key=projector_key),
        reachable=reachable_from_phones(settings(), base_url()),
        error=request.args.get("error"),
        limits=room_limits.get_limits(code, key),
        bank=bank.list_bank(code, key)["bank"],
        seating=participants.seating(code, key),
        deletion=deletion.deletion_info(code, key),
    )


@blueprint.post("/<code>/step")
def step(code: str) -> Response:
    """Next / previous / go to a step, from the plain form."""
    check_csrf()
    position = request.form.get("position")
    try:
        wanted = parse_data(
            ChangeStep,
            {
                "action": request.form.get("action") or None,
                "position": form_number(position) if position else None,
            },
        )
        workshops.change_step(
            code, _facilitator_key(code), action=wanted.action, position=wanted.position
        )
    except ServiceError as exc:
        return redirect(url_for("facilitator.screen", code=code, error=str(exc.message)))
    return redirect(url_for("facilitator.screen", code=code))


@blueprint.post("/<code>/bank")
def add_from_bank(code: str) -> Response:
    """Put the ticked bank proposals on the table (adding one twice changes nothing)."""
    check_csrf()
    chosen = [value for value in request.form.getlist("bank_id") if value]
    if chosen:
        try:
            bank.add_from_bank(code, _facilitator_key(code), chosen)
        except ServiceError as exc:
            return redirect(url_for("facilitator.screen", code=code, error=str(exc.message)))
    return redirect(url_for("facilitator.screen", code=code, _anchor="bank-heading"))


@blueprint.post("/<code>/participants/<int:participant_id>/table")
def seat(code: str, participant_id: int) -> Response:
    """Seat a participant at a table (table mode), from the plain form."""
    check_csrf()
    try:
        wanted = parse_data(SetTable, {"table": request.form.get("table") or None})
        participants.set_table(code, _facilitator_key(code), participant_id, wanted.table)
    except ServiceError as exc:
        return redirect(url_for("facilitator.screen", code=code, error=str(exc.message)))
    return redirect(url_for("facilitator.screen", code=code, _anchor="tables-heading"))


@blueprint.post("/<code>/proposals")
def add_proposal(code: str) -> Response:
    """Type in a proposal from paper or the discussion."""
    check_csrf()
    try:
        typed = parse_data(
            SubmitProposal,
            {
                "title": request.form.get("title", ""),
                "body": request.form.get("body"),
                "category": request.form.get("category") or None,
                "client_key": request.form.get("client_key") or None,
            },
        )
        proposals.submit_proposal(
            code,
            _facilitator_key(code),
            title=typed.title,
            body=typed.body,
            category=typed.category,
            client_key=typed.client_key,
            source="paper",
        )
    except ServiceError as exc:
        return redirect(url_for("facilitator.screen", code=code, error=str(exc.message)))
    return redirect(url_for("facilitator.screen", code=code))


@blueprint.post("/<code>/limits")
def set_limits(code: str) -> Response:
    """Change the limits on proposals and participants, from the plain form."""
    check_csrf()
    fields = ("proposals_per_participant", "proposals_per_minute", "max_participants")
    try:
        wanted = parse_data(
            Limits, {name: form_number(request.form.get(name, "")) for name in fields}
        )
        room_limits.set_limits(code, _facilitator_key(code), wanted.model_dump(exclude_none=True))
    except ServiceError as exc:
        return redirect(url_for("facilitator.screen", code=code, error=str(exc.message)))
    return redirect(url_for("facilitator.screen", code=code, _anchor="limits-heading"))
