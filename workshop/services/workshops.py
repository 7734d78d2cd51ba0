"""Use cases of the workshop itself: create it, steer its steps."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from workshop.models import PRIORITISING_KINDS, Proposal, Step, Workshop
from workshop.services import shortlist
from workshop.services.access import Actor, authenticate, require_facilitator
from workshop.services.closed import ensure_editable
from workshop.services.errors import NotFound, ValidationFailed
from workshop.services.key_hashes import hash_key, seal
from workshop.services.queries import count_takers
from workshop.services.room_limits import DEFAULTS
from workshop.services.snapshots import step_payload
from workshop.services.step_rules import counting_step, results_revealed
from workshop.services.unit import unit_of_work
from workshop.session_plans import PlanError, load_plan

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 6


@dataclass(frozen=True)
class CreatedWorkshop:
    """What the creator gets back once: the code and the keys."""

    code: str
    title: str
    facilitator_key: str
    projector_key: str
    steps: list[dict[str, Any]]


def new_code() -> str:
    """A short, unambiguous join code such as K7M2QX."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def new_key() -> str:
    """A random key of 192 bits."""
    return secrets.token_urlsafe(24)


def create_workshop(
    title: str,
    plan_name: str = "plan-simplification",
    language: str | None = None,
    settings: Mapping[str, Any] | None = None,
) -> CreatedWorkshop:
    """Start a workshop from a session plan.

    The values are a CreateWorkshop body's (the title's length, the language and the settings'
    types and ranges checked there; ``settings`` its fields that were given). Whether the plan
    exists is checked here.
    """
    try:  # steps, roles and themes in the workshop's language where the plan has it
        plan = load_plan(plan_name or "plan-simplification", language=language)
    except PlanError as exc:
        raise NotFound(_l("Fant ikke øktplanen «%(name)s».", name=plan_name)) from exc
    merged_settings = dict(plan.settings)
    merged_settings.update(
        (key, value)
        for key, value in (settings or {}).items()
        if key in ("moderation", "votes_per_participant", "tables", *DEFAULTS)
    )
    facilitator_key, projector_key = new_key(), new_key()
    with unit_of_work() as work:
        code = new_code()
        while work.session.scalar(select(Workshop.id).where(Workshop.code == code)):
            code = new_code()
        workshop = Workshop(
            code=code,
            title=title,
            language=language or plan.own_language or plan.language,
            plan_name=plan.name,
            roles=list(plan.roles),
            categories=list(plan.categories),
            settings=merged_settings,
            facilitator_key_hash=hash_key(facilitator_key),
            projector_key_hash=hash_key(projector_key),
            projector_key_sealed=seal(projector_key, facilitator_key),
            current_position=0,
            version=1,
        )
        for position, plan_step in enumerate(plan.steps):
            config = dict(plan_step.config)
            if plan_step.kind == "vote" and settings and "votes_per_participant" in settings:
                config["votes_per_participant"] = merged_settings["votes_per_participant"]
            # The timer's length and auto-advance live in columns (services/steering.py).
            timer_seconds = config.pop("timer_seconds", None)
            auto_advance = bool(config.pop("auto_advance", False))
            workshop.steps.append(
                Step(
                    position=position,
                    kind=plan_step.kind,
                    title=plan_step.title,
                    prompt=plan_step.prompt,
                    config=config,
                    timer_seconds=timer_seconds,
                    auto_advance=auto_advance,
                )
            )
        work.session.add(workshop)
        work.session.flush()
        for item in plan.proposals:  # statements a plan brings: visible, entered by the plan
            work.session.add(
                Proposal(
                    workshop_id=workshop.id,
                    title=item.title,
                    body=item.body,
                    category=item.category,
                    change_level=item.change_level,
                    classification_settled=item.change_level is not None,
                    status="visible",
                    source="plan",
                )
            )
        work.audit(workshop, "admin", "created", plan=plan.name)
        return CreatedWorkshop(
            code=workshop.code,
            title=workshop.title,
            facilitator_key=facilitator_key,
            projector_key=projector_key,
            steps=[
                {"position": s.position, "kind": s.kind, "title": s.title} for s in workshop.steps
            ],
        )


def change_step(
    code: str, key: str | None, action: str | None = None, position: int | None = None
) -> dict[str, Any]:
    """Move the room to the next, previous or a given step (facilitator only)."""
    with unit_of_work() as work:
        workshop, actor = authenticate(work.session, code, key)
        require_facilitator(actor)
        ensure_editable(workshop)
        target = _target_position(workshop, action, position)
        return move_room_to(work, workshop, actor, target)


def _target_position(workshop: Workshop, action: str | None, position: int | None) -> int:
    last = len(workshop.steps) - 1
    if position is not None:
        if not 0 <= position <= last:
            raise ValidationFailed(_l("Steget finnes ikke: velg 0 til %(last)d.", last=last))
        return position
    if action == "next":
        if workshop.current_position >= last:
            raise ValidationFailed(_l("Dette er det siste steget."))
        return workshop.current_position + 1
    if action == "previous":
        if workshop.current_position <= 0:
            raise ValidationFailed(_l("Dette er det første steget."))
        return workshop.current_position - 1
    raise ValidationFailed(_l("Oppgi «action» (next eller previous) eller «position»."))


def move_room_to(work: Any, workshop: Workshop, actor: Actor, target: int) -> dict[str, Any]:
    """Within an open unit of work: make `target` the current step, reveal, audit, publish."""
    workshop.current_position = target
    step = workshop.current_step
    counting = counting_step(workshop)
    newly_revealed = step.kind == "results" and counting is not None and not counting.revealed
    if newly_revealed and counting is not None:
        counting.revealed = True
        workshop.revealed = True
        work.audit(workshop, actor.label, "reveal", position=counting.position)
    shortlist.refresh(work.session, workshop, step)
    workshop.bump()
    work.audit(workshop, actor.label, "step", position=target, kind=step.kind)
    if newly_revealed and counting is not None:
        # The reveal changed another step: say so as a reveal of that step does.
        revealed_now = {"position": counting.position, "step_id": counting.id, "revealed": True}
        work.emit(workshop, "revealed", {**revealed_now, "results_revealed": True})
    payload = step_payload(workshop, step)
    work.emit(workshop, "step_changed", step_change(work.session, workshop))
    if step.kind in PRIORITISING_KINDS or newly_revealed:
        work.tally_codes.add(workshop.code)
    return payload


def step_change(session: Session, workshop: Workshop) -> dict[str, Any]:
    """What a step_changed event carries: the step and what the snapshot derives from it.

    Which results count depends on the current step, so whether they are revealed and how many
    took part travel with the step (a client then equals a fresh snapshot without a refetch).
    """
    return {
        "step": step_payload(workshop, workshop.current_step),
        "revealed": results_revealed(workshop),
        "voters": count_takers(session, counting_step(workshop)),
    }
