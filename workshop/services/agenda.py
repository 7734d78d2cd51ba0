"""The agenda: add, edit, move and remove steps before and during a workshop; save it as a plan.

Rules
-----
- Positions stay contiguous, 0..n-1, and the room stays on the same step when others move:
  ``current_position`` follows the current step.
- Removing the current step moves the room to the step that takes its place (the next one), or
  to the previous one when it was the last; a workshop always keeps at least one step.
- A step that already holds input from the room (dots, dots counted on paper, agree/disagree
  stances or ratings) is never changed in a way that loses or contradicts that input: removing
  it needs ``force`` (the facilitator confirms; the audit trail records how much was removed);
  changing its kind or vote mode, dropping a rated criterion, or lowering a budget or cap below
  what someone already gave is refused with 409 ``conflict``.
- Events: ``agenda_changed`` to staff with every step and the current one; when the current
  step itself changed (moved, edited or replaced), ``step_changed`` to everyone as well.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from workshop.models import Step, Workshop
from workshop.schemas.requests import AddStep, EditStep
from workshop.schemas.step_config import CONFIG_KINDS, StepConfig, normalise_kind
from workshop.services import shortlist
from workshop.services.access import Actor, authenticate, require_facilitator
from workshop.services.closed import ensure_editable
from workshop.services.errors import Conflict, Forbidden, NotFound, ValidationFailed
from workshop.services.input_conflicts import check_input_kept, input_count
from workshop.services.snapshots import step_payload
from workshop.services.step_rules import is_dot_vote
from workshop.services.unit import UnitOfWork, read_only, unit_of_work
from workshop.services.workshops import move_room_to, step_change

# --- reading --------------------------------------------------------------------------------


def list_steps(code: str, key: str | None) -> dict[str, Any]:
    """Every step and the current one (facilitator and projector)."""
    with read_only() as session:
        workshop, actor = authenticate(session, code, key)
        if not actor.is_staff:
            raise Forbidden()
        return agenda_payload(workshop)


def agenda_payload(workshop: Workshop) -> dict[str, Any]:
    """The agenda as the events and the API show it."""
    return {
        "steps": [step_payload(workshop, s) for s in workshop.steps],
        "current": step_payload(workshop, workshop.current_step),
    }


# --- changing -------------------------------------------------------------------------------


def add_step(code: str, key: str | None, new: AddStep) -> dict[str, Any]:
    """Insert a new step at a position (default: at the end)."""
    changes = _config_changes(new.config, new.kind)
    kind, config = normalise_kind(new.kind, {k: v for k, v in changes.items() if v is not None})
    with unit_of_work() as work:
        workshop, actor = _facilitator(work.session, code, key)
        before = _visible(workshop)
        current = workshop.current_step
        count = len(workshop.steps)
        index = count if new.position is None else _position(new.position, count)
        step = Step(
            kind=kind,
            title=new.title,
            prompt=new.prompt or "",
            config=config,
            revealed=False,
            timer_seconds=new.timer_seconds,
            auto_advance=bool(new.auto_advance),
            position=index,
        )
        ordered = list(workshop.steps)
        ordered.insert(index, step)
        workshop.steps.append(step)
        _apply_order(workshop, ordered, current)
        work.session.flush()
        _publish(work, workshop, actor, before, "step_added", position=index, kind=kind)
        return {"step": step_payload(workshop, step), **agenda_payload(workshop)}


def edit_step(code: str, key: str | None, step_id: int, changes: EditStep) -> dict[str, Any]:
    """Change a step's title, prompt, kind, settings, timer length or position."""
    named = changes.model_fields_set
    if not named:
        raise ValidationFailed(_l("Oppgi hva som skal endres på steget."))
    for name in sorted(named & {"kind", "position", "title"}):
        if getattr(changes, name) is None:
            raise ValidationFailed(_l("«%(name)s» kan ikke være null.", name=name))
    with unit_of_work() as work:
        workshop, actor = _facilitator(work.session, code, key)
        step = _find_step(workshop, step_id)
        before = _visible(workshop)
        current = workshop.current_step
        kind = step.kind
        if changes.kind is not None:
            kind = changes.kind
            if kind != step.kind and input_count(work.session, step) > 0:
                raise Conflict(
                    _l("Steget har allerede svar fra rommet; legg heller til et nytt steg.")
                )
        config = dict(step.config)
        if kind != step.kind:
            config = {k: v for k, v in config.items() if kind in CONFIG_KINDS.get(k, (kind,))}
        if "config" in named:
            updates = _config_changes(changes.config, kind)
            check_input_kept(work.session, workshop, step, config, updates)
            for name, value in updates.items():
                if value is None:
                    config.pop(name, None)
                else:
                    config[name] = value
        kind, config = normalise_kind(kind, config)
        if kind != step.kind and changes.kind is None and input_count(work.session, step) > 0:
            raise Conflict(
                _l("Noen har allerede stemt i dette steget; stemmemåten kan ikke endres.")
            )
        if changes.title is not None:
            step.title = changes.title
        if "prompt" in named:
            step.prompt = changes.prompt or ""
        if "timer_seconds" in named:
            step.timer_seconds = changes.timer_seconds
            if step.timer_seconds is None and step.timer_ends_at is None:
                step.timer_remaining = None
        if "auto_advance" in named:
            step.auto_advance = bool(changes.auto_advance)
        step.kind = kind
        step.config = config
        if step is current:
            shortlist.refresh(work.session, workshop, step)
        if changes.position is not None:
            target = _position(changes.position, len(workshop.steps) - 1)
            ordered = [s for s in workshop.steps if s is not step]
            ordered.insert(target, step)
            _apply_order(workshop, ordered, current)
        _publish(
            work, workshop, actor, before, "step_edited", step_id=step.id, fields=sorted(named)
        )
        return {"step": step_payload(workshop, step), **agenda_payload(workshop)}


def remove_step(code: str, key: str | None, step_id: int, force: bool = False) -> dict[str, Any]:
    """Remove a step; one holding input from the room only with force."""
    with unit_of_work() as work:
        workshop, actor = _facilitator(work.session, code, key)
        step = _find_step(workshop, step_id)
        if len(workshop.steps) == 1:
            raise ValidationFailed(_l("Verkstedet må ha minst ett steg."))
        given = input_count(work.session, step)
        if given and not force:
            raise Conflict(
                _l(
                    "Steget har allerede %(count)d svar fra rommet. Send «force»: true for å "
                    "slette steget og svarene likevel.",
                    count=given,
                )
            )
        before = _visible(workshop)
        was_current = step is workshop.current_step
        current = workshop.current_step
        ordered = [s for s in workshop.steps if s is not step]
        removed: dict[str, Any] = {
            "position": step.position,
            "kind": step.kind,
            "title": step.title,
        }
        workshop.steps.remove(step)
        work.session.flush()
        if was_current:
            target = min(step.position, len(ordered) - 1)
            _apply_order(workshop, ordered, ordered[target])
            _publish(
                work,
                workshop,
                actor,
                before,
                "step_removed",
                inputs=given,
                **removed,
                current_changed=False,
            )
            move_room_to(work, workshop, actor, target)
        else:
            _apply_order(workshop, ordered, current)
            _publish(work, workshop, actor, before, "step_removed", inputs=given, **removed)
        return agenda_payload(workshop)


def reorder_steps(code: str, key: str | None, step_ids: list[int]) -> dict[str, Any]:
    """Put the steps in a new order, given as every step id once (PUT semantics)."""
    with unit_of_work() as work:
        workshop, actor = _facilitator(work.session, code, key)
        by_id = {s.id: s for s in workshop.steps}
        if len(step_ids) != len(by_id) or set(step_ids) != set(by_id):
            raise ValidationFailed(
                _l("«step_ids» må nevne hvert steg i verkstedet nøyaktig én gang.")
            )
        if step_ids != [s.id for s in workshop.steps]:
            before = _visible(workshop)
            _apply_order(workshop, [by_id[i] for i in step_ids], workshop.current_step)
            _publish(work, workshop, actor, before, "steps_reordered", step_ids=step_ids)
        return agenda_payload(workshop)


# --- helpers --------------------------------------------------------------------------------


def _facilitator(session: Session, code: str, key: str | None) -> tuple[Workshop, Actor]:
    workshop, actor = authenticate(session, code, key)
    require_facilitator(actor)
    ensure_editable(workshop)
    return workshop, actor


def _find_step(workshop: Workshop, step_id: int) -> Step:
    for step in workshop.steps:
        if step.id == step_id:
            return step
    raise NotFound(_l("Fant ikke steget."))


def _apply_order(workshop: Workshop, ordered: list[Step], current: Step) -> None:
    """Number the steps 0..n-1 in this order and keep the room on the given step.

    A shortlist taken ``from`` a dot vote follows that step to its new position; when the dot
    vote is gone or no longer comes before, the step asks about every visible proposal again.
    """
    before = {s.position: s for s in ordered if s.id is not None}
    for index, step in enumerate(ordered):
        step.position = index
    workshop.steps.sort(key=lambda s: s.position)
    workshop.current_position = current.position
    for step in ordered:
        wanted = step.config.get("shortlist")
        if not isinstance(wanted, dict) or "from" not in wanted:
            continue
        source = before.get(wanted["from"])
        config = dict(step.config)
        if source is None or source.position >= step.position or not is_dot_vote(source):
            config.pop("shortlist", None)
            config.pop(shortlist.FROZEN, None)
        else:
            config["shortlist"] = {**wanted, "from": source.position}
        if config != step.config:
            step.config = config


def _visible(workshop: Workshop) -> dict[str, Any]:
    """What phones show of the current step (the timer aside: it has its own event)."""
    payload = step_payload(workshop, workshop.current_step)
    payload.pop("timer", None)
    return payload


def _publish(
    work: UnitOfWork,
    workshop: Workshop,
    actor: Actor,
    before: dict[str, Any],
    action: str,
    current_changed: bool = True,
    **detail: Any,
) -> None:
    """Audit the change and tell the screens; phones hear only when their step changed."""
    workshop.bump()
    work.audit(workshop, actor.label, action, **detail)
    # Staff get the agenda; what a snapshot derives from it (results revealed, voters) comes
    # along, and phones, which keep no agenda, only learn how many steps there are now.
    changed = step_change(work.session, workshop)
    agenda = {
        **agenda_payload(workshop),
        "revealed": changed["revealed"],
        "voters": changed["voters"],
    }
    work.emit(workshop, "agenda_changed", agenda, audience="staff")
    work.emit(workshop, "step_count", {"step_count": len(workshop.steps)})
    if current_changed and _visible(workshop) != before:
        workshop.bump()
        work.emit(workshop, "step_changed", step_change(work.session, workshop))


# --- input the schemas cannot check alone ----------------------------------------------------


def _position(value: int, last: int) -> int:
    if not 0 <= value <= last:
        raise ValidationFailed(_l("Plassen finnes ikke: velg 0 til %(last)d.", last=last))
    return value


def _config_changes(config: StepConfig | None, kind: str) -> dict[str, Any]:
    """The settings an API change names (None removes one), each belonging to the step's kind."""
    if config is None:
        return {}
    misplaced = config.misplaced(kind)
    if misplaced:
        raise ValidationFailed(
            _l(
                "«%(name)s» hører ikke til et steg av typen %(kind)s.",
                name=sorted(misplaced)[0],
                kind=kind,
            )
        )
    changes = config.changes()
    if changes.get("criteria") is not None:
        changes["criteria"] = [dict(c) for c in changes["criteria"]]
    if config.shortlist is not None:
        changes["shortlist"] = config.shortlist.stored()
    return changes
