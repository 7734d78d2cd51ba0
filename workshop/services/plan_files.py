"""Saving a workshop's agenda (and optionally its visible proposals) as a new session plan file.

The agenda is read in a read-only transaction; the file is written after it (tomli-w, checked
by the same parser that reads plans, never overwriting one); only a written plan is audited, in a
transaction of its own.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from workshop.models import Proposal, Workshop
from workshop.schemas.requests import SavePlan
from workshop.schemas.step_config import TIMER_MAX_SECONDS, TIMER_MIN_SECONDS
from workshop.services.access import authenticate, require_facilitator
from workshop.services.errors import Conflict, ValidationFailed
from workshop.services.unit import read_only, unit_of_work
from workshop.session_plans import DEFAULT_SETTINGS, PlanError, render_plan, save_plan_text


def save_plan(code: str, key: str | None, wanted: SavePlan) -> dict[str, Any]:
    """Save the workshop's agenda as a new session plan; never overwrites one."""
    with read_only() as session:
        workshop, actor = authenticate(session, code, key)
        require_facilitator(actor)
        proposals = visible_proposals(session, workshop) if wanted.include_proposals else []
        data = plan_data(
            workshop, wanted.name, wanted.title, (wanted.description or "").strip(), proposals
        )
        comment = (
            f"Øktplan lagret {date.today().isoformat()} fra verkstedet «{workshop.title}» "
            f"({workshop.code})."
        )
        text = render_plan(data, comment)
    try:
        save_plan_text(wanted.name, text)
    except FileExistsError as exc:
        raise _taken(wanted.name) from exc
    except PlanError as exc:
        raise ValidationFailed(
            _l("Agendaen kan ikke lagres som øktplan: %(reason)s", reason=str(exc))
        ) from exc
    with unit_of_work() as work:
        workshop, actor = authenticate(work.session, code, key)
        work.audit(workshop, actor.label, "plan_saved", name=wanted.name)
    return {
        "name": wanted.name,
        "title": wanted.title,
        "steps": [{"kind": s["kind"], "title": s["title"]} for s in data["steps"]],
        "proposals": len(data.get("proposals", [])),
    }


def _taken(name: str) -> Conflict:
    return Conflict(
        _l("Det finnes allerede en øktplan som heter «%(name)s». Velg et annet navn.", name=name)
    )


def plan_data(
    workshop: Workshop,
    name: str,
    title: str,
    description: str,
    proposals: list[Proposal],
) -> dict[str, Any]:
    """A workshop's agenda as the data of a session plan file."""
    settings = {
        k: workshop.settings[k]
        for k, default in DEFAULT_SETTINGS.items()
        if type(workshop.settings.get(k)) is type(default)
    }
    if workshop.settings.get("tables"):  # table mode travels with the agenda
        settings["tables"] = list(workshop.settings["tables"])
    bodies = workshop.settings.get("decision_bodies")
    if isinstance(bodies, list) and bodies:  # the plan named its own deciding bodies
        settings["decision_bodies"] = [str(body) for body in bodies]
    steps = []
    for step in workshop.steps:
        item: dict[str, Any] = {"kind": step.kind, "title": step.title, "prompt": step.prompt}
        for k, v in step.config.items():
            if v is not None and k not in (
                "kind",
                "title",
                "prompt",
                "timer_seconds",
                "auto_advance",
                "shortlist_ids",  # worked out in the room (services/shortlist.py), not a setting
            ):
                item[k] = v
        if step.timer_seconds:
            item["timer_seconds"] = min(
                max(step.timer_seconds, TIMER_MIN_SECONDS), TIMER_MAX_SECONDS
            )
        if step.auto_advance:
            item["auto_advance"] = True
        steps.append(item)
    data: dict[str, Any] = {
        "name": name,
        "title": title,
        "description": description,
        "language": workshop.language,
        "roles": list(workshop.roles),
        "categories": list(workshop.categories),
        "settings": settings,
        "steps": steps,
    }
    seen: set[str] = set()
    items = []
    for proposal in proposals:
        if proposal.title.casefold() in seen:
            continue
        seen.add(proposal.title.casefold())
        item = {
            "title": proposal.title,
            "body": proposal.body or None,
            "category": proposal.category if proposal.category in workshop.categories else None,
            "change_level": proposal.change_level,
        }
        items.append({k: v for k, v in item.items() if v is not None})
    if items:
        data["proposals"] = items
    return data


def visible_proposals(session: Session, workshop: Workshop) -> list[Proposal]:
    """The workshop's visible proposals, oldest first."""
    return list(
        session.scalars(
            select(Proposal)
            .where(Proposal.workshop_id == workshop.id, Proposal.status == "visible")
            .order_by(Proposal.id)
        )
    )
