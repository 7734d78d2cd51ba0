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

from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workshop.models import STEP_KINDS, PaperDots, Proposal, Rating, Stance, Step, Vote, Workshop
from workshop.services.access import Actor, authenticate, require_facilitator
from workshop.services.errors import Conflict, Forbidden, NotFound, ValidationFailed
from workshop.services.snapshots import step_payload
from workshop.services.step_rules import DEFAULT_CRITERIA
from workshop.services.unit import UnitOfWork, read_only, unit_of_work
from workshop.services.workshops import move_room_to, step_change
from workshop.session_plans import (
    BREAKDOWNS,
    DEFAULT_SETTINGS,
    TIMER_MAX_SECONDS,
    TIMER_MIN_SECONDS,
    VOTE_MODES,
    PlanError,
    _parse_criteria,
    render_plan,
    save_plan_text,
    valid_plan_name,
)

TITLE_MAX = 200
PROMPT_MAX = 2000
DESCRIPTION_MAX = 1000
BUDGET_MAX = 100
API_TIMER_MIN = 1  # the API allows short timers; a saved plan gets at least TIMER_MIN_SECONDS
# Config keys the API may set, and the step kind each belongs to.
CONFIG_KINDS = {
    "votes_per_participant": "vote",
    "max_votes_per_proposal": "vote",
    "mode": "vote",
    "criteria": "rate",
    "breakdown": "results",
}


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


def add_step(
    code: str,
    key: str | None,
    kind: object,
    title: object,
    prompt: object = None,
    position: object = None,
    config: object = None,
    timer_seconds: object = None,
    auto_advance: object = None,
) -> dict[str, Any]:
    """Insert a new step at a position (default: at the end)."""
    clean_kind = _kind(kind)
    clean_title = _title(title)
    clean_prompt = _prompt(prompt)
    changes = _config_changes(config, clean_kind)
    seconds = _timer_seconds(timer_seconds)
    advance = _bool(auto_advance, "auto_advance")
    with unit_of_work() as work:
        workshop, actor = _facilitator(work.session, code, key)
        before = _visible(workshop)
        current = workshop.current_step
        count = len(workshop.steps)
        index = count if position is None else _position(position, count)
        step = Step(
            kind=clean_kind,
            title=clean_title,
            prompt=clean_prompt,
            config={k: v for k, v in changes.items() if v is not None},
            revealed=False,
            timer_seconds=seconds,
            auto_advance=bool(advance),
            position=index,
        )
        ordered = list(workshop.steps)
        ordered.insert(index, step)
        workshop.steps.append(step)
        _apply_order(workshop, ordered, current)
        work.session.flush()
        _publish(work, workshop, actor, before, "step_added", position=index, kind=clean_kind)
        return {"step": step_payload(workshop, step), **agenda_payload(workshop)}


def edit_step(
    code: str, key: str | None, step_id: object, changes: dict[str, Any]
) -> dict[str, Any]:
    """Change a step's title, prompt, kind, settings, timer length or position."""
    allowed = {"title", "prompt", "kind", "config", "timer_seconds", "auto_advance", "position"}
    unknown = sorted(set(changes) - allowed)
    if unknown:
        raise ValidationFailed(_l("Ukjent felt «%(name)s».", name=unknown[0]))
    if not changes:
        raise ValidationFailed(_l("Oppgi hva som skal endres på steget."))
    with unit_of_work() as work:
        workshop, actor = _facilitator(work.session, code, key)
        step = _find_step(workshop, step_id)
        before = _visible(workshop)
        current = workshop.current_step
        kind = step.kind
        if "kind" in changes:
            kind = _kind(changes["kind"])
            if kind != step.kind and _input_count(work.session, step) > 0:
                raise Conflict(
                    _l("Steget har allerede svar fra rommet; legg heller til et nytt steg.")
                )
        config = dict(step.config)
        if kind != step.kind:
            config = {k: v for k, v in config.items() if CONFIG_KINDS.get(k, kind) == kind}
        if "config" in changes:
            updates = _config_changes(changes["config"], kind)
            _check_input_kept(work.session, workshop, step, config, updates)
            for name, value in updates.items():
                if value is None:
                    config.pop(name, None)
                else:
                    config[name] = value
        if "title" in changes:
            step.title = _title(changes["title"])
        if "prompt" in changes:
            step.prompt = _prompt(changes["prompt"])
        if "timer_seconds" in changes:
            step.timer_seconds = _timer_seconds(changes["timer_seconds"])
            if step.timer_seconds is None and step.timer_ends_at is None:
                step.timer_remaining = None
        if "auto_advance" in changes:
            advance = _bool(changes["auto_advance"], "auto_advance")
            step.auto_advance = bool(advance)
        step.kind = kind
        step.config = config
        if "position" in changes:
            target = _position(changes["position"], len(workshop.steps) - 1)
            ordered = [s for s in workshop.steps if s is not step]
            ordered.insert(target, step)
            _apply_order(workshop, ordered, current)
        _publish(
            work, workshop, actor, before, "step_edited", step_id=step.id, fields=sorted(changes)
        )
        return {"step": step_payload(workshop, step), **agenda_payload(workshop)}


def remove_step(
    code: str, key: str | None, step_id: object, force: object = False
) -> dict[str, Any]:
    """Remove a step; one holding input from the room only with force."""
    if not isinstance(force, bool):
        raise ValidationFailed(_l("«force» må være true eller false."))
    with unit_of_work() as work:
        workshop, actor = _facilitator(work.session, code, key)
        step = _find_step(workshop, step_id)
        if len(workshop.steps) == 1:
            raise ValidationFailed(_l("Verkstedet må ha minst ett steg."))
        given = _input_count(work.session, step)
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
        removed = {"position": step.position, "kind": step.kind, "title": step.title}
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


def reorder_steps(code: str, key: str | None, step_ids: object) -> dict[str, Any]:
    """Put the steps in a new order, given as every step id once (PUT semantics)."""
    if (
        not isinstance(step_ids, list)
        or not step_ids
        or not all(isinstance(i, int) and not isinstance(i, bool) for i in step_ids)
    ):
        raise ValidationFailed(_l("«step_ids» må være en liste med id-ene til stegene."))
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


def save_plan(
    code: str,
    key: str | None,
    name: object,
    title: object,
    description: object = None,
    include_proposals: object = False,
) -> dict[str, Any]:
    """Save the workshop's agenda (and optionally its visible proposals) as a new session plan."""
    if not valid_plan_name(name):
        raise ValidationFailed(
            _l(
                "Gi planen et navn med små bokstaver a–z, tall og bindestrek, "
                "f.eks. «forenkling-2025»."
            )
        )
    clean_title = _title(title)
    if description is not None and (
        not isinstance(description, str) or len(description) > DESCRIPTION_MAX
    ):
        raise ValidationFailed(
            _l("Beskrivelsen må være tekst med høyst %(max)d tegn.", max=DESCRIPTION_MAX)
        )
    if not isinstance(include_proposals, bool):
        raise ValidationFailed(_l("«include_proposals» må være true eller false."))
    assert isinstance(name, str)
    with unit_of_work() as work:
        workshop, actor = _facilitator(work.session, code, key)
        proposals = _visible_proposals(work.session, workshop) if include_proposals else []
        data = plan_data(workshop, name, clean_title, (description or "").strip(), proposals)
        comment = (
            f"Øktplan lagret {date.today().isoformat()} fra verkstedet «{workshop.title}» "
            f"({workshop.code})."
        )
        try:
            save_plan_text(name, render_plan(data, comment))
        except FileExistsError as exc:
            raise Conflict(
                _l(
                    "Det finnes allerede en øktplan som heter «%(name)s». Velg et annet navn.",
                    name=name,
                )
            ) from exc
        except PlanError as exc:
            raise ValidationFailed(
                _l("Agendaen kan ikke lagres som øktplan: %(reason)s", reason=str(exc))
            ) from exc
        work.audit(workshop, actor.label, "plan_saved", name=name)
        return {
            "name": name,
            "title": clean_title,
            "steps": [{"kind": s["kind"], "title": s["title"]} for s in data["steps"]],
            "proposals": len(data.get("proposals", [])),
        }


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
        items.append(
            {
                "title": proposal.title,
                "body": proposal.body or None,
                "category": proposal.category if proposal.category in workshop.categories else None,
                "change_level": proposal.change_level,
            }
        )
    if items:
        data["proposals"] = items
    return data


# --- helpers --------------------------------------------------------------------------------


def _facilitator(session: Session, code: str, key: str | None) -> tuple[Workshop, Actor]:
    workshop, actor = authenticate(session, code, key)
    require_facilitator(actor)
    return workshop, actor


def _find_step(workshop: Workshop, step_id: object) -> Step:
    for step in workshop.steps:
        if isinstance(step_id, int) and not isinstance(step_id, bool) and step.id == step_id:
            return step
    raise NotFound(_l("Fant ikke steget."))


def _apply_order(workshop: Workshop, ordered: list[Step], current: Step) -> None:
    """Number the steps 0..n-1 in this order and keep the room on the given step."""
    for index, step in enumerate(ordered):
        step.position = index
    workshop.steps.sort(key=lambda s: s.position)
    workshop.current_position = current.position


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


def _input_count(session: Session, step: Step) -> int:
    """How many dots, paper counts, stances and ratings the step holds."""
    total = 0
    for model in (Vote, PaperDots, Stance, Rating):
        total += (
            session.scalar(select(func.count()).select_from(model).where(model.step_id == step.id))
            or 0
        )
    return total


def _check_input_kept(
    session: Session,
    workshop: Workshop,
    step: Step,
    config: dict[str, Any],
    updates: dict[str, Any],
) -> None:
    """Refuse settings that would contradict dots, stances or ratings already given."""
    if "mode" in updates and (updates["mode"] or "dots") != config.get("mode", "dots"):
        given = (
            session.scalar(select(func.count()).select_from(Vote).where(Vote.step_id == step.id))
            or 0
        )
        given += (
            session.scalar(
                select(func.count()).select_from(Stance).where(Stance.step_id == step.id)
            )
            or 0
        )
        if given:
            raise Conflict(
                _l("Noen har allerede stemt i dette steget; stemmemåten kan ikke endres.")
            )
    if "criteria" in updates:
        criteria = updates["criteria"] or DEFAULT_CRITERIA
        keep = {c["key"] for c in criteria}
        rated = set(
            session.scalars(select(Rating.criterion).where(Rating.step_id == step.id).distinct())
        )
        if rated - keep:
            raise Conflict(
                _l(
                    "Kriteriet «%(key)s» har allerede vurderinger og kan ikke fjernes.",
                    key=sorted(rated - keep)[0],
                )
            )
    if "votes_per_participant" in updates:
        budget = updates["votes_per_participant"] or workshop.settings["votes_per_participant"]
        used = session.scalar(select(func.max(_per_participant(step).c.total))) or 0
        if budget < used:
            raise Conflict(
                _l("Noen har allerede brukt %(used)d prikker i dette steget.", used=used)
            )
    if "max_votes_per_proposal" in updates:
        cap = updates["max_votes_per_proposal"]
        if cap is None:
            cap = workshop.settings.get("max_votes_per_proposal") or 0
        most = session.scalar(select(func.max(Vote.dots)).where(Vote.step_id == step.id)) or 0
        if cap and cap < most:
            raise Conflict(
                _l(
                    "Noen har allerede gitt %(most)d prikker til ett forslag i dette steget.",
                    most=most,
                )
            )


def _per_participant(step: Step) -> Any:
    return (
        select(func.sum(Vote.dots).label("total"))
        .where(Vote.step_id == step.id)
        .group_by(Vote.participant_id)
        .subquery()
    )


def _visible_proposals(session: Session, workshop: Workshop) -> list[Proposal]:
    return list(
        session.scalars(
            select(Proposal)
            .where(Proposal.workshop_id == workshop.id, Proposal.status == "visible")
            .order_by(Proposal.id)
        )
    )


# --- input validation -----------------------------------------------------------------------


def _kind(value: object) -> str:
    if value not in STEP_KINDS:
        raise ValidationFailed(_l("«kind» må være en av %(kinds)s.", kinds=", ".join(STEP_KINDS)))
    assert isinstance(value, str)
    return value


def _title(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValidationFailed(_l("Gi steget en tittel."))
    if len(value.strip()) > TITLE_MAX:
        raise ValidationFailed(_l("Tittelen kan ha høyst %(max)d tegn.", max=TITLE_MAX))
    return value.strip()


def _prompt(value: object) -> str:
    if value is None:
        return ""
    if not isinstance(value, str) or len(value.strip()) > PROMPT_MAX:
        raise ValidationFailed(
            _l("Teksten på steget må være tekst med høyst %(max)d tegn.", max=PROMPT_MAX)
        )
    return value.strip()


def _position(value: object, last: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= last:
        raise ValidationFailed(_l("Plassen finnes ikke: velg 0 til %(last)d.", last=last))
    return value


def _bool(value: object, name: str) -> bool | None:
    if value is not None and not isinstance(value, bool):
        raise ValidationFailed(_l("«%(name)s» må være true eller false.", name=name))
    return value


def _timer_seconds(value: object) -> int | None:
    if value is None:
        return None
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or not API_TIMER_MIN <= value <= TIMER_MAX_SECONDS
    ):
        raise ValidationFailed(
            _l(
                "«timer_seconds» må være et helt antall sekunder fra %(min)d til %(max)d.",
                min=API_TIMER_MIN,
                max=TIMER_MAX_SECONDS,
            )
        )
    return value


def _int_in(value: object, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def _config_changes(value: object, kind: str) -> dict[str, Any]:
    """Validate step settings from the API; None as a value removes the setting."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ValidationFailed(_l("«config» må være et objekt."))
    clean: dict[str, Any] = {}
    for name, item in value.items():
        if name not in CONFIG_KINDS:
            raise ValidationFailed(_l("Ukjent innstilling «%(name)s».", name=name))
        if CONFIG_KINDS[name] != kind:
            raise ValidationFailed(
                _l("«%(name)s» hører ikke til et steg av typen %(kind)s.", name=name, kind=kind)
            )
        if item is None:
            clean[name] = None
        elif name == "votes_per_participant" and not _int_in(item, 1, BUDGET_MAX):
            raise ValidationFailed(_l("Antall prikker må være et heltall fra 1 til 100."))
        elif name == "max_votes_per_proposal" and not _int_in(item, 0, BUDGET_MAX):
            raise ValidationFailed(
                _l("Taket per forslag må være et heltall fra 0 (ikke noe tak) til 100.")
            )
        elif name == "mode" and item not in VOTE_MODES:
            raise ValidationFailed(_l("«mode» må være dots eller agree."))
        elif name == "breakdown" and item not in BREAKDOWNS:
            raise ValidationFailed(_l("«breakdown» må være role, change_level eller category."))
        elif name == "criteria":
            try:
                clean[name] = _parse_criteria(item, "criteria", PlanError)
            except PlanError as exc:
                raise ValidationFailed(
                    _l(
                        "«criteria» må være en liste med 1 til 6 kriterier {key, label, low, "
                        "high}; «key» har små bokstaver, tall eller _ og er ulik for hvert "
                        "kriterium."
                    )
                ) from exc
        else:
            clean[name] = item
    return clean
