"""Tallies and role breakdowns of dot votes (pandas lives here and in export)."""

from __future__ import annotations

from typing import Any

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workshop.models import Participant, Proposal, Vote, Workshop
from workshop.services.access import authenticate, find_workshop
from workshop.services.errors import Forbidden
from workshop.services.snapshots import (
    count_participants,
    results_revealed,
    vote_step_for_results,
)
from workshop.services.unit import read_only


def tally(session: Session, workshop: Workshop) -> dict[str, Any]:
    """Dots per proposal in the vote step that counts now (cheap: one SQL aggregate)."""
    step = vote_step_for_results(workshop)
    if step is None:
        return {"version": workshop.version, "voters": 0, "proposals": []}
    rows = session.execute(
        select(Vote.proposal_id, func.sum(Vote.dots))
        .where(Vote.step_id == step.id)
        .group_by(Vote.proposal_id)
    ).all()
    voters = session.scalar(
        select(func.count(func.distinct(Vote.participant_id))).where(Vote.step_id == step.id)
    )
    proposals = sorted(
        ({"id": pid, "dots": int(dots)} for pid, dots in rows), key=lambda p: (-p["dots"], p["id"])
    )
    return {"version": workshop.version, "voters": voters or 0, "proposals": proposals}


def tally_for(code: str) -> dict[str, Any]:
    """The current tally of a workshop by code."""
    with read_only() as session:
        return tally(session, find_workshop(session, code))


def results_frame(session: Session, workshop: Workshop) -> tuple[pd.DataFrame, list[str], int]:
    """One row per proposal with dots, voters and dots per role that is large enough to show.

    Returns the frame, the roles shown separately, and the number of voters.
    """
    step = vote_step_for_results(workshop)
    proposals = pd.DataFrame(
        session.execute(
            select(
                Proposal.id,
                Proposal.title,
                Proposal.body,
                Proposal.category,
                Proposal.change_level,
                Proposal.status,
                Proposal.source,
            )
            .where(Proposal.workshop_id == workshop.id, Proposal.status == "visible")
            .order_by(Proposal.id)
        ).all(),
        columns=["id", "title", "body", "category", "change_level", "status", "source"],
    )
    votes = pd.DataFrame(
        session.execute(
            select(Vote.proposal_id, Vote.participant_id, Vote.dots).where(
                Vote.step_id == (step.id if step else -1)
            )
        ).all(),
        columns=["proposal_id", "participant_id", "dots"],
    )
    roles = pd.DataFrame(
        [
            (pid, role)
            for pid, role_list in session.execute(
                select(Participant.id, Participant.roles).where(
                    Participant.workshop_id == workshop.id
                )
            )
            for role in (role_list or [])
        ],
        columns=["participant_id", "role"],
    )
    threshold = int(workshop.settings.get("min_group_size", 3))
    voters = int(votes["participant_id"].nunique())
    per_proposal = votes.groupby("proposal_id").agg(
        dots=("dots", "sum"), voters=("participant_id", "nunique")
    )
    frame = proposals.set_index("id").join(per_proposal, how="left")
    frame[["dots", "voters"]] = frame[["dots", "voters"]].fillna(0).astype(int)
    shown_roles = _roles_large_enough(votes, roles, workshop.roles, threshold)
    if shown_roles:
        with_roles = votes.merge(roles[roles["role"].isin(shown_roles)], on="participant_id")
        by_role = with_roles.pivot_table(
            index="proposal_id", columns="role", values="dots", aggfunc="sum", fill_value=0
        )
        for role in shown_roles:
            column = by_role[role] if role in by_role.columns else pd.Series(dtype=int)
            frame[f"role:{role}"] = column.reindex(frame.index).fillna(0).astype(int)
    frame = frame.reset_index().rename(columns={"index": "id"})
    frame = frame.sort_values(["dots", "voters", "id"], ascending=[False, False, True])
    frame.insert(0, "rank", range(1, len(frame) + 1))
    return frame.reset_index(drop=True), shown_roles, voters


def _roles_large_enough(
    votes: pd.DataFrame, roles: pd.DataFrame, order: list[str], threshold: int
) -> list[str]:
    """Roles with at least `threshold` voters; smaller groups count only in the totals."""
    voter_roles = roles[roles["participant_id"].isin(votes["participant_id"].unique())]
    sizes = voter_roles.groupby("role")["participant_id"].nunique()
    return [role for role in order if int(sizes.get(role, 0)) >= threshold]


def results_payload(session: Session, workshop: Workshop) -> dict[str, Any]:
    """The results of API.md, ranked by dots."""
    frame, shown_roles, voters = results_frame(session, workshop)
    proposals = [
        {
            "id": int(row["id"]),
            "title": row["title"],
            "category": row["category"] if isinstance(row["category"], str) else None,
            "dots": int(row["dots"]),
            "voters": int(row["voters"]),
            "by_role": {role: int(row[f"role:{role}"]) for role in shown_roles},
        }
        for row in frame.to_dict("records")
    ]
    return {
        "participants": count_participants(session, workshop),
        "voters": voters,
        "min_group_size": int(workshop.settings.get("min_group_size", 3)),
        "roles_shown": shown_roles,
        "proposals": proposals,
    }


def get_results(code: str, key: str | None) -> dict[str, Any]:
    """Results for the facilitator at any time; for others once they are revealed."""
    with read_only() as session:
        workshop, actor = authenticate(session, code, key)
        if not actor.is_facilitator and not results_revealed(workshop):
            raise Forbidden()
        return results_payload(session, workshop)
