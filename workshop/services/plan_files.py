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
from workshop.session_plans import (
    DEFAULT_SETTINGS,
    LANGUAGES,
    PlanError,
    SessionPlan,
    load_plan,
    render_plan,
    save_plan_text,
)


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
        steps = [{"kind": s.kind, "title": s.title} for s in workshop.steps]
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
        "steps": steps,
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
    """A workshop's agenda as the data of a session plan file; a text left as the workshop's plan
    had it keeps that plan's other languages, an edited one is in the workshop's language."""
    localized = _LocalizedTexts(workshop)
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
        item: dict[str, Any] = {
            "kind": step.kind,
            "title": localized(step.title),
            "prompt": localized(step.prompt),
        }
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
        "roles": [localized(role) for role in workshop.roles],
        "categories": [localized(theme) for theme in workshop.categories],
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


class _LocalizedTexts:
    """The texts of the workshop's own plan in every language it has, looked up by their wording
    in the workshop's language."""

    def __init__(self, workshop: Workshop) -> None:
        self.language = workshop.language
        self.known: dict[str, dict[str, str]] = {}
        versions = _plan_in_each_language(workshop.plan_name)
        own = versions.get(self.language)
        if own is None or len(versions) < 2:
            return
        for index in range(len(own.steps)):
            for field in ("title", "prompt"):
                self._learn(versions, lambda plan, i=index, f=field: getattr(plan.steps[i], f))
        for index in range(len(own.roles)):
            self._learn(versions, lambda plan, i=index: plan.roles[i])
        for index in range(len(own.categories)):
            self._learn(versions, lambda plan, i=index: plan.categories[i])

    def _learn(self, versions: dict[str, SessionPlan], text_of: Any) -> None:
        texts = {language: text_of(plan) for language, plan in versions.items()}
        if texts[self.language] and len(set(texts.values())) > 1:
            self.known.setdefault(texts[self.language], texts)

    def __call__(self, text: str) -> str | dict[str, str]:
        return self.known.get(text, text)


def _plan_in_each_language(name: str | None) -> dict[str, SessionPlan]:
    """The plan a workshop was made from, loaded in each language (empty if it is gone)."""
    if not name:
        return {}
    try:
        return {language: load_plan(name, language=language) for language in LANGUAGES}
    except (PlanError, FileNotFoundError, OSError):
        return {}


def visible_proposals(session: Session, workshop: Workshop) -> list[Proposal]:
    """The workshop's visible proposals, oldest first."""
    return list(
        session.scalars(
            select(Proposal)
            .where(Proposal.workshop_id == workshop.id, Proposal.status == "visible")
            .order_by(Proposal.id)
        )
    )
