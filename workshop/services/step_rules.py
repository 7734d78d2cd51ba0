"""Step rules: what a step's configuration and the workshop's settings mean for voting.

Budgets and caps of vote steps, criteria of rate steps, the vote mode, the timer as screens see
it, and which prioritising step counts (and whether it is revealed) at the current position.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from workshop.models import PRIORITISING_KINDS, Step, Workshop
from workshop.models.base import utcnow


def step_budget(workshop: Workshop, step: Step) -> int:
    """Dots each participant has in a vote step."""
    return int(
        step.config.get("votes_per_participant") or workshop.settings["votes_per_participant"]
    )


def step_cap(workshop: Workshop, step: Step) -> int:
    """Most dots one proposal may get from one participant; 0 means no cap."""
    value = step.config.get(
        "max_votes_per_proposal", workshop.settings.get("max_votes_per_proposal")
    )
    return int(value or 0)


DEFAULT_CRITERIA: list[dict[str, str]] = [
    {"key": "gevinst", "label": "Gevinst", "low": "liten nytte", "high": "stor nytte"},
    {"key": "innsats", "label": "Innsats", "low": "lett å gjøre", "high": "krevende"},
]


def vote_mode(step: Step) -> str:
    """How a prioritising step is answered: "dots" or "agree" (agree / disagree / pass).

    An agree step has kind ``agree``; a ``vote`` step that still carries the old
    ``mode = "agree"`` (before migration 0003_agree_kind) counts as one too.
    """
    if step.kind == "agree" or (step.kind == "vote" and step.config.get("mode") == "agree"):
        return "agree"
    return "dots"


def is_agree(step: Step) -> bool:
    """Whether the step asks agree / disagree / pass."""
    return vote_mode(step) == "agree"


def is_dot_vote(step: Step) -> bool:
    """Whether the step is a dot vote."""
    return step.kind == "vote" and not is_agree(step)


def step_criteria(step: Step) -> list[dict[str, str]]:
    """The criteria a rate step scores on (default: benefit and effort)."""
    criteria = step.config.get("criteria")
    return list(criteria) if criteria else [dict(c) for c in DEFAULT_CRITERIA]


def timer_payload(step: Step, now: datetime | None = None) -> dict[str, Any] | None:
    """The step's timer: its length, whether it runs, when it ends and what is left now."""
    if step.timer_seconds is None and step.timer_ends_at is None and step.timer_remaining is None:
        return None
    now = now or utcnow()
    running = step.timer_ends_at is not None
    remaining: int | None
    if running:
        ends_at = aware(step.timer_ends_at)
        remaining = max(0, int((ends_at - now).total_seconds() + 0.999))
    else:
        remaining = step.timer_remaining if step.timer_remaining is not None else step.timer_seconds
    return {
        "seconds": step.timer_seconds,
        "running": running,
        "ends_at": aware(step.timer_ends_at).isoformat() if running else None,
        "remaining": remaining,
        "server_time": now.isoformat(),
        "auto_advance": step.auto_advance,
    }


def aware(moment: datetime | None) -> datetime:
    """A stored moment as UTC-aware (SQLite returns naive datetimes)."""
    assert moment is not None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def counting_step(workshop: Workshop) -> Step | None:
    """The vote or rate step whose results count now: the latest reached, else the first."""
    steps = [s for s in workshop.steps if s.kind in PRIORITISING_KINDS]
    reached = [s for s in steps if s.position <= workshop.current_position]
    if reached:
        return reached[-1]
    return steps[0] if steps else None


def results_revealed(workshop: Workshop) -> bool:
    """Whether the facilitator has revealed the results that count now."""
    step = counting_step(workshop)
    return bool(step and step.revealed)


def vote_step_for_results(workshop: Workshop) -> Step | None:
    """The vote step whose numbers count now: the latest one reached, else the first one."""
    vote_steps = [s for s in workshop.steps if is_dot_vote(s)]
    reached = [s for s in vote_steps if s.position <= workshop.current_position]
    if reached:
        return reached[-1]
    return vote_steps[0] if vote_steps else None
