"""Shortlists: which proposals a rate or agree step asks about.

A step's ``config["shortlist"]`` is either ``{"from": <position of a dot vote step>, "top": n}``
— the n proposals with the most dots there, every proposal tied with the n-th included — or
``{"proposals": [ids]}``, picked by the facilitator. Without one, a step asks about every
visible proposal.

A ranked shortlist is worked out when the room reaches the step and kept in
``config["shortlist_ids"]`` until the room reaches it again: phones, projector and the PUT
checks then all see the same list while the room is on the step, whatever happens to the
dot vote meanwhile (and snapshot + events stay equal to a fresh snapshot). Only visible
proposals are ever asked about.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workshop.models import PaperDots, Proposal, Step, Vote, Workshop
from workshop.services.step_rules import is_dot_vote

SHORTLIST_KINDS = ("rate", "agree")
FROZEN = "shortlist_ids"


def top_with_ties(totals: dict[int, int], top: int) -> list[int]:
    """The ``top`` ids with the largest totals, plus every id tied with the last one.

    Ordered by total (highest first), then id.
    """
    ranked = sorted(totals, key=lambda pid: (-totals[pid], pid))
    if len(ranked) <= top:
        return ranked
    cut = totals[ranked[top - 1]]
    return [pid for pid in ranked if totals[pid] >= cut]


def dot_totals(session: Session, workshop: Workshop, step: Step) -> dict[int, int]:
    """Dots per visible proposal in a dot vote step (phones and paper), zero included."""
    totals: Counter[int] = Counter(
        {
            pid: 0
            for pid in session.scalars(
                select(Proposal.id).where(
                    Proposal.workshop_id == workshop.id, Proposal.status == "visible"
                )
            )
        }
    )
    for model in (Vote, PaperDots):
        rows = session.execute(
            select(model.proposal_id, func.sum(model.dots))
            .where(model.step_id == step.id)
            .group_by(model.proposal_id)
        )
        for pid, dots in rows:
            if pid in totals:
                totals[pid] += int(dots or 0)
    return dict(totals)


def source_step(workshop: Workshop, step: Step) -> Step | None:
    """The dot vote step a ranked shortlist takes its proposals from."""
    shortlist = step.config.get("shortlist") or {}
    position = shortlist.get("from")
    if not isinstance(position, int):
        return None
    found = [s for s in workshop.steps if s.position == position and is_dot_vote(s)]
    return found[0] if found else None


def refresh(session: Session, workshop: Workshop, step: Step) -> None:
    """Work out a ranked shortlist now (the room reaches the step, or its shortlist changed)."""
    shortlist = step.config.get("shortlist") if step.kind in SHORTLIST_KINDS else None
    config = {k: v for k, v in step.config.items() if k != FROZEN}
    if isinstance(shortlist, dict) and "top" in shortlist:
        source = source_step(workshop, step)
        if source is not None:
            totals = dot_totals(session, workshop, source)
            config[FROZEN] = top_with_ties(totals, int(shortlist["top"]))
    if config != step.config:
        step.config = config


def shortlisted_ids(workshop: Workshop, step: Step) -> list[int] | None:
    """The proposals the step asks about, or None: every visible proposal."""
    if step.kind not in SHORTLIST_KINDS:
        return None
    shortlist = step.config.get("shortlist")
    if not isinstance(shortlist, dict):
        return None
    if isinstance(shortlist.get("proposals"), list):
        return [int(pid) for pid in shortlist["proposals"]]
    frozen = step.config.get(FROZEN)
    if isinstance(frozen, list):
        return [int(pid) for pid in frozen]
    return None


def outside(workshop: Workshop, step: Step, wanted: Any) -> list[int]:
    """The ids among ``wanted`` that the step's shortlist leaves out (sorted)."""
    allowed = shortlisted_ids(workshop, step)
    if allowed is None:
        return []
    return sorted(set(wanted) - set(allowed))
