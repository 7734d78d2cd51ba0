"""Live tallies for facilitator and projector: one cheap query per kind of step."""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from workshop.analytics.analysis import analysis_kind
from workshop.analytics.measures import MEAN_DIGITS, STANCE_NAMES
from workshop.models import PaperDots, Proposal, Rating, Stance, Step, Vote, Workshop
from workshop.services.access import find_workshop
from workshop.services.shortlist import shortlisted_ids
from workshop.services.step_rules import counting_step, step_criteria
from workshop.services.unit import read_only


def tally(session: Session, workshop: Workshop) -> dict[str, Any]:
    """Totals per proposal in the step that counts now (cheap: SQL aggregates only).

    Dot steps: ``{version, voters, proposals: [{id, dots}]}`` with paper dots included;
    agree steps add ``agree``, ``disagree`` and ``pass`` per proposal; rate steps add
    ``raters`` and ``means`` per criterion. Every row keeps ``dots`` (0 where not applicable).
    """
    step = counting_step(workshop)
    kind = analysis_kind(step)
    payload: dict[str, Any] = {
        "version": workshop.version,
        "voters": 0,
        "proposals": [],
        "kind": kind,
        "step": step.position if step is not None else None,
    }
    if step is None:
        return payload
    visible = select(Proposal.id).where(
        Proposal.workshop_id == workshop.id, Proposal.status == "visible"
    )
    asked = shortlisted_ids(workshop, step)
    if asked is not None:  # a shortlist: only its proposals are asked about
        visible = visible.where(Proposal.id.in_(asked))
    if kind == "agree":
        _tally_agree(session, step, visible, payload)
    elif kind == "rate":
        _tally_rate(session, step, visible, payload)
    else:
        _tally_dots(session, step, visible, payload)
    return payload


def _tally_dots(
    session: Session, step: Step, visible: Select[Any], payload: dict[str, Any]
) -> None:
    dots: Counter[int] = Counter()
    for pid, total in session.execute(
        select(Vote.proposal_id, func.sum(Vote.dots))
        .where(Vote.step_id == step.id, Vote.proposal_id.in_(visible))
        .group_by(Vote.proposal_id)
    ):
        dots[int(pid)] += int(total or 0)
    for pid, paper in session.execute(
        select(PaperDots.proposal_id, PaperDots.dots).where(
            PaperDots.step_id == step.id, PaperDots.proposal_id.in_(visible)
        )
    ):
        dots[int(pid)] += max(0, int(paper or 0))
    payload["voters"] = (
        session.scalar(
            select(func.count(func.distinct(Vote.participant_id))).where(
                Vote.step_id == step.id, Vote.dots > 0
            )
        )
        or 0
    )
    payload["proposals"] = sorted(
        ({"id": pid, "dots": total} for pid, total in dots.items() if total > 0),
        key=lambda p: (-p["dots"], p["id"]),
    )


def _tally_agree(
    session: Session, step: Step, visible: Select[Any], payload: dict[str, Any]
) -> None:
    counts: dict[int, dict[str, Any]] = {}
    for pid, value, number in session.execute(
        select(Stance.proposal_id, Stance.value, func.count())
        .where(Stance.step_id == step.id, Stance.proposal_id.in_(visible))
        .group_by(Stance.proposal_id, Stance.value)
    ):
        row = counts.setdefault(
            int(pid), {"id": int(pid), "dots": 0, "agree": 0, "disagree": 0, "pass": 0}
        )
        if value in STANCE_NAMES:
            row[STANCE_NAMES[value]] += int(number)
    payload["voters"] = (
        session.scalar(
            select(func.count(func.distinct(Stance.participant_id))).where(
                Stance.step_id == step.id
            )
        )
        or 0
    )
    payload["proposals"] = sorted(
        counts.values(), key=lambda r: (-r["agree"], r["disagree"], r["id"])
    )


def _tally_rate(
    session: Session, step: Step, visible: Select[Any], payload: dict[str, Any]
) -> None:
    keys = [str(c.get("key")) for c in step_criteria(step)]
    rows: dict[int, dict[str, Any]] = {}
    for pid, criterion, mean, number in session.execute(
        select(Rating.proposal_id, Rating.criterion, func.avg(Rating.score), func.count())
        .where(
            Rating.step_id == step.id, Rating.proposal_id.in_(visible), Rating.criterion.in_(keys)
        )
        .group_by(Rating.proposal_id, Rating.criterion)
    ):
        row = rows.setdefault(int(pid), {"id": int(pid), "dots": 0, "means": {}, "counts": {}})
        row["means"][criterion] = round(float(mean), MEAN_DIGITS)
        row["counts"][criterion] = int(number)
    for pid, raters in session.execute(
        select(Rating.proposal_id, func.count(func.distinct(Rating.participant_id)))
        .where(
            Rating.step_id == step.id, Rating.proposal_id.in_(visible), Rating.criterion.in_(keys)
        )
        .group_by(Rating.proposal_id)
    ):
        if int(pid) in rows:
            rows[int(pid)]["raters"] = int(raters)
    payload["criteria"] = keys
    payload["voters"] = (
        session.scalar(
            select(func.count(func.distinct(Rating.participant_id))).where(
                Rating.step_id == step.id
            )
        )
        or 0
    )
    payload["proposals"] = sorted(rows.values(), key=lambda r: r["id"])


def tally_for(code: str) -> dict[str, Any]:
    """The current tally of a workshop by code."""
    with read_only() as session:
        return tally(session, find_workshop(session, code))
