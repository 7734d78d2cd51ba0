"""Would this agenda edit contradict answers already given? Queries over a step's input.

A step that holds dots, dots counted on paper, stances or ratings is never changed in a way that
loses or contradicts them: its kind and vote mode stay, rated criteria stay, and its budget and
cap stay at or above what someone already gave.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workshop.models import PaperDots, Rating, Stance, Step, Vote, Workshop
from workshop.services.errors import Conflict
from workshop.services.step_rules import DEFAULT_CRITERIA


def input_count(session: Session, step: Step) -> int:
    """How many dots, paper counts, stances and ratings the step holds."""
    return sum(_count(session, model, step) for model in (Vote, PaperDots, Stance, Rating))


def check_input_kept(
    session: Session,
    workshop: Workshop,
    step: Step,
    config: dict[str, Any],
    updates: dict[str, Any],
) -> None:
    """Refuse settings that would contradict dots, stances or ratings already given."""
    mode_now = "agree" if step.kind == "agree" else config.get("mode", "dots")
    mode_changes = "mode" in updates and (updates["mode"] or mode_now) != mode_now
    if mode_changes and _count(session, Vote, step) + _count(session, Stance, step):
        raise Conflict(_l("Noen har allerede stemt i dette steget; stemmemåten kan ikke endres."))
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
        used = most_dots_of_one_participant(session, step)
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


def most_dots_of_one_participant(session: Session, step: Step) -> int:
    """The largest number of dots one participant has given in the step."""
    totals = (
        select(func.sum(Vote.dots).label("total"))
        .where(Vote.step_id == step.id)
        .group_by(Vote.participant_id)
        .subquery()
    )
    return session.scalar(select(func.max(totals.c.total))) or 0


def _count(session: Session, model: Any, step: Step) -> int:
    query = select(func.count()).select_from(model).where(model.step_id == step.id)
    return session.scalar(query) or 0
