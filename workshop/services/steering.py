"""Steering the room: a timer per step, revealing results, the join QR code, closing joining.

Timer rules
-----------
- A step's timer has a length (``Step.timer_seconds``, from the plan's ``timer_seconds`` or given
  when started). It runs while ``timer_ends_at`` is set; pausing stores what is left in
  ``timer_remaining``; starting again resumes from there.
- "add_minute" adds 60 seconds whether the timer runs (to its end; after time is up, to now),
  is paused (to what is left) or has not started yet (to its length).
- "reset" stops the timer and sets it back to its full length; "clear" removes it from the step.
- When time is up the step does *not* close by itself, unless the facilitator chose
  ``auto_advance``: then ``expire_timers()`` (called every second by realtime/timers.py) stops the
  timer and moves the room to the next step, if that step is still the current one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from workshop.models import PRIORITISING_KINDS, Step, Workshop
from workshop.models.base import utcnow
from workshop.schemas.step_config import TIMER_MAX_SECONDS
from workshop.services.access import Actor, authenticate, require_facilitator
from workshop.services.closed import ensure_editable
from workshop.services.errors import ValidationFailed
from workshop.services.step_rules import aware, counting_step, results_revealed, timer_payload
from workshop.services.unit import read_only, unit_of_work
from workshop.services.workshops import move_room_to

MINUTE = 60
PRIORITISING = PRIORITISING_KINDS


@dataclass(frozen=True)
class _Clock(Actor):
    """The timer itself, as the audit trail names it when it moves the room on."""

    @property
    def label(self) -> str:
        """How the audit trail names the timer."""
        return "timer"


# --- timers ---------------------------------------------------------------------------------


def control_timer(
    code: str,
    key: str | None,
    action: str,
    seconds: int | None = None,
    auto_advance: bool | None = None,
    position: int | None = None,
) -> dict[str, Any]:
    """Start, pause, add a minute to, reset or clear the timer of a step (default: current).

    The values are a Timer body's (the action, the seconds' range and the types checked there);
    whether the step exists is checked here.
    """
    with unit_of_work() as work:
        workshop, actor = authenticate(work.session, code, key)
        require_facilitator(actor)
        ensure_editable(workshop)
        step = step_at(workshop, position)
        now = utcnow()
        before = _timer_state(step)
        _apply(step, action, seconds, now)
        if auto_advance is not None:
            step.auto_advance = auto_advance
        payload = timer_payload(step, now)
        result = {"position": step.position, "step_id": step.id, "timer": payload}
        if _timer_state(step) != before:
            workshop.bump()
            work.audit(
                workshop,
                actor.label,
                f"timer_{action}",
                position=step.position,
                seconds=step.timer_seconds,
                auto_advance=step.auto_advance,
            )
            work.emit(workshop, "timer", result)
        return result


def step_at(workshop: Workshop, position: int | None) -> Step:
    """The step at a position, or the current step when no position is given."""
    if position is None:
        return workshop.current_step
    last = len(workshop.steps) - 1
    if not 0 <= position <= last:
        raise ValidationFailed(_l("Steget finnes ikke: velg 0 til %(last)d.", last=last))
    return workshop.steps[position]


def _timer_state(step: Step) -> tuple[Any, ...]:
    return (step.timer_seconds, step.timer_ends_at, step.timer_remaining, step.auto_advance)


def _apply(step: Step, action: str, length: int | None, now: datetime) -> None:
    running = step.timer_ends_at is not None
    if action == "start":
        if length is not None:
            step.timer_seconds = length
            _run(step, now, length)
        elif running:
            return  # starting a running timer again changes nothing (a double click, a retry)
        elif step.timer_remaining:
            _run(step, now, step.timer_remaining)
        else:
            configured = step.timer_seconds or step.config.get("timer_seconds")
            if not configured:
                raise ValidationFailed(_l("Oppgi hvor mange sekunder tidtakeren skal gå."))
            step.timer_seconds = int(configured)
            _run(step, now, step.timer_seconds)
    elif action == "pause":
        if running:
            step.timer_remaining = _left(step, now)
            step.timer_ends_at = None
    elif action == "add_minute":
        if running:
            ends_at = max(aware(step.timer_ends_at), now)
            _check_length(int((ends_at - now).total_seconds()) + MINUTE)
            step.timer_ends_at = ends_at + timedelta(seconds=MINUTE)
        elif step.timer_remaining is not None:
            step.timer_remaining = _check_length(step.timer_remaining + MINUTE)
        else:
            step.timer_seconds = _check_length((step.timer_seconds or 0) + MINUTE)
    elif action == "reset":
        if length is not None:
            step.timer_seconds = length
        step.timer_ends_at = None
        step.timer_remaining = None
    elif action == "clear":
        step.timer_seconds = None
        step.timer_ends_at = None
        step.timer_remaining = None
        step.auto_advance = False


def _run(step: Step, now: datetime, seconds: int) -> None:
    step.timer_ends_at = now + timedelta(seconds=seconds)
    step.timer_remaining = None


def _left(step: Step, now: datetime) -> int:
    """Whole seconds left on a running timer, rounded up, never negative."""
    left = (aware(step.timer_ends_at) - now).total_seconds()
    return max(0, int(left + 0.999))


def _check_length(seconds: int) -> int:
    if seconds > TIMER_MAX_SECONDS:
        raise ValidationFailed(
            _l("Tidtakeren kan gå i høyst %(max)d sekunder.", max=TIMER_MAX_SECONDS)
        )
    return seconds


def expire_timers(now: datetime | None = None) -> list[str]:
    """Stop every auto-advancing timer whose time is up; move its room on if still on that step.

    Cheap when nothing is due (one indexed read, no write lock) and idempotent: a timer is
    handled once, even with several server processes, because each one is re-checked under a
    row lock in its own transaction. Returns the codes of the workshops that moved on.
    """
    now = now or utcnow()
    with read_only() as session:
        due = session.scalars(
            select(Step.id).where(
                Step.auto_advance.is_(True),
                Step.timer_ends_at.is_not(None),
                Step.timer_ends_at <= now,
            )
        ).all()
    moved = []
    for step_id in due:
        code = _expire(step_id, now)
        if code is not None:
            moved.append(code)
    return moved


def _expire(step_id: int, now: datetime) -> str | None:
    with unit_of_work() as work:
        step = work.session.scalar(select(Step).where(Step.id == step_id).with_for_update())
        if (
            step is None
            or not step.auto_advance
            or step.timer_ends_at is None
            or aware(step.timer_ends_at) > now
        ):
            return None  # another process, or the facilitator, got there first
        workshop = step.workshop
        step.timer_ends_at = None
        step.timer_remaining = 0
        workshop.bump()
        work.audit(workshop, "timer", "timer_expired", position=step.position)
        payload = timer_payload(step, now)
        work.emit(
            workshop, "timer", {"position": step.position, "step_id": step.id, "timer": payload}
        )
        is_current = workshop.current_step.id == step.id
        if not is_current or step.position >= len(workshop.steps) - 1:
            return None
        move_room_to(work, workshop, _Clock("facilitator", workshop.code), step.position + 1)
        return workshop.code


# --- results, QR code and joining -----------------------------------------------------------


def reveal_results(
    code: str, key: str | None, revealed: bool, position: int | None = None
) -> dict[str, Any]:
    """Show or hide the results of a vote or rate step (default: the one that counts now)."""
    with unit_of_work() as work:
        workshop, actor = authenticate(work.session, code, key)
        require_facilitator(actor)
        ensure_editable(workshop)
        step = counting_step(workshop) if position is None else step_at(workshop, position)
        if step is None or step.kind not in PRIORITISING:
            raise ValidationFailed(
                _l("Bare stemme- og vurderingssteg har resultater som kan vises eller skjules.")
            )
        changed = step.revealed != revealed
        step.revealed = revealed
        result = {
            "position": step.position,
            "step_id": step.id,
            "revealed": step.revealed,
            "results_revealed": results_revealed(workshop),
        }
        if changed:
            workshop.bump()
            action = "reveal" if revealed else "hide"
            work.audit(workshop, actor.label, action, position=step.position)
            work.emit(workshop, "revealed", result)
            if revealed:
                work.tally_codes.add(workshop.code)
        return result


def update_workshop(
    code: str, key: str | None, joining_open: bool | None = None, show_qr: bool | None = None
) -> dict[str, bool]:
    """Open or close joining, and show or hide the join QR code on the projector."""
    if joining_open is None and show_qr is None:
        raise ValidationFailed(_l("Oppgi «joining_open» eller «show_qr»."))
    with unit_of_work() as work:  # presentation only: also after closing
        workshop, actor = authenticate(work.session, code, key)
        require_facilitator(actor)
        actions = []
        if joining_open is not None and joining_open != workshop.joining_open:
            workshop.joining_open = joining_open
            actions.append("joining_opened" if joining_open else "joining_closed")
        if show_qr is not None and show_qr != workshop.show_qr:
            workshop.show_qr = show_qr
            actions.append("qr_shown" if show_qr else "qr_hidden")
        result = {"joining_open": workshop.joining_open, "show_qr": workshop.show_qr}
        if actions:
            workshop.bump()
            for action in actions:
                work.audit(workshop, actor.label, action)
            work.emit(workshop, "workshop_changed", dict(result))
        return result
