"""One prioritising step analysed per proposal and per role (see workshop/analytics/__init__.py)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workshop.analytics.measures import (
    QUADRANTS,
    STANCE_NAMES,
    STRONG_BENEFIT,
    consensus_of,
    divisiveness_of,
    flags_of,
    mean_of,
    min_group_size,
    quadrant_of,
    rating_axes,
    rounded,
    smoothed,
)
from workshop.models import (
    PRIORITISING_KINDS,
    PaperDots,
    Participant,
    Proposal,
    Rating,
    Stance,
    Step,
    Vote,
    Workshop,
)
from workshop.services.queries import count_participants
from workshop.services.shortlist import shortlisted_ids
from workshop.services.step_rules import step_criteria, vote_mode


@dataclass
class Analysis:
    """One prioritising step analysed: rows ranked, roles shown, and the notes to show."""

    kind: str  # "dots", "agree" or "rate"
    step: Step | None
    participants: int
    voters: int
    threshold: int
    roles_shown: list[str]
    role_voters: dict[str, int]
    rows: list[dict[str, Any]]
    criteria: list[dict[str, Any]] = field(default_factory=list)
    axes: tuple[str | None, str | None] = (None, None)
    tables_shown: list[str] | None = None  # table mode: tables with enough participants
    table_voters: dict[str, int] | None = None


def analysis_kind(step: Step | None) -> str:
    """dots, agree or rate: how a prioritising step is voted."""
    if step is None:
        return "dots"
    if step.kind == "rate":
        return "rate"
    return vote_mode(step)


def ranking_key(kind: str) -> Callable[[dict[str, Any]], tuple[Any, ...]]:
    """What a step's rows are ranked by; rows with equal keys share a place."""
    if kind == "agree":
        return lambda row: (-row["support"], -row["agree"])
    if kind == "rate":
        return lambda row: (
            -(row["benefit"] if row["benefit"] is not None else -1.0),
            row["effort"] if row["effort"] is not None else 99.0,
            -row["raters"],
        )
    return lambda row: (-row["dots"], -row["voters"])


def shared_ranks(analysis: Analysis) -> dict[int, int]:
    """Each ranked proposal's place, ties sharing one (1, 2, 2, 4)."""
    key = ranking_key(analysis.kind)
    places: dict[int, int] = {}
    previous: tuple[Any, ...] | None = None
    place = 0
    for index, row in enumerate(analysis.rows, start=1):
        current = key(row)
        if current != previous:
            place, previous = index, current
        places[row["id"]] = place
    return places


def prioritising_steps(workshop: Workshop) -> list[Step]:
    """The vote, agree and rate steps, in agenda order."""
    return [s for s in workshop.steps if s.kind in PRIORITISING_KINDS]


def analyse(session: Session, workshop: Workshop, step: Step | None) -> Analysis:
    """Analyse one prioritising step (None: a workshop without one, every proposal at zero)."""
    proposals = session.execute(
        select(
            Proposal.id,
            Proposal.title,
            Proposal.body,
            Proposal.category,
            Proposal.change_level,
            Proposal.suggested_change_level,
            Proposal.status,
            Proposal.source,
        )
        .where(Proposal.workshop_id == workshop.id, Proposal.status == "visible")
        .order_by(Proposal.id)
    ).all()
    base = [
        {
            "id": int(p.id),
            "title": p.title,
            "body": p.body or "",
            "category": p.category if isinstance(p.category, str) else None,
            "change_level": p.change_level,
            "suggested_change_level": p.suggested_change_level,
            "status": p.status,
            "source": p.source,
        }
        for p in proposals
    ]
    asked = shortlisted_ids(workshop, step) if step is not None else None
    if asked is not None:  # a shortlist: only its proposals were asked about
        base = [p for p in base if p["id"] in set(asked)]
    kind = analysis_kind(step)
    participants = count_participants(session, workshop)
    analyser = {"agree": _analyse_agree, "rate": _analyse_rate}.get(kind, _analyse_dots)
    groups = Groups(list(workshop.roles), _roles_of(session, workshop))
    analysis = analyser(session, workshop, step, base, groups, participants)
    tables = [str(t) for t in workshop.settings.get("tables") or []]
    if tables:  # table mode: the same breakdown with the tables as the groups
        seated = Groups(tables, _tables_of(session, workshop, tables))
        by_tables = analyser(session, workshop, step, base, seated, participants)
        per_id = {row["id"]: row for row in by_tables.rows}
        for row in analysis.rows:
            at_tables = per_id.get(row["id"], {})
            row["by_table"] = at_tables.get("by_role", {})  # the count, as by_role
            row["tables"] = at_tables.get("roles", {})  # each table's detail, as roles
        analysis.tables_shown = by_tables.roles_shown
        analysis.table_voters = by_tables.role_voters
    return analysis


@dataclass(frozen=True)
class Groups:
    """The groups a step is broken down by (the roles, or the tables) and who is in which."""

    names: list[str]
    members: dict[int, list[str]]


def _tables_of(session: Session, workshop: Workshop, tables: list[str]) -> dict[int, list[str]]:
    """Each participant's table as a one-item list (none: an empty one)."""
    return {
        int(pid): [table] if table in tables else []
        for pid, table in session.execute(
            select(Participant.id, Participant.table).where(Participant.workshop_id == workshop.id)
        )
    }


def _roles_of(session: Session, workshop: Workshop) -> dict[int, list[str]]:
    """Each participant's roles from the workshop's list, without duplicates."""
    known = set(workshop.roles)
    return {
        int(pid): [r for r in dict.fromkeys(roles or []) if r in known]
        for pid, roles in session.execute(
            select(Participant.id, Participant.roles).where(Participant.workshop_id == workshop.id)
        )
    }


def _shown_roles(
    workshop: Workshop, groups: Groups, took_part: set[int]
) -> tuple[list[str], dict[str, int], int]:
    """Roles (or tables) with at least the threshold of participants who took part in the step."""
    threshold = min_group_size(workshop)
    sizes = Counter(role for pid in took_part for role in groups.members.get(pid, []))
    shown = [role for role in groups.names if sizes[role] >= threshold]
    return shown, {role: sizes[role] for role in shown}, threshold


def _consensus_fields(supports: list[Fraction]) -> dict[str, Any]:
    return {
        "consensus": rounded(consensus_of(supports)),
        "divisiveness": rounded(divisiveness_of(supports)),
        "flags": flags_of(supports),
    }


def _analyse_dots(
    session: Session,
    workshop: Workshop,
    step: Step | None,
    base: list[dict[str, Any]],
    groups: Groups,
    participants: int,
) -> Analysis:
    roles_of = groups.members
    step_id = step.id if step is not None else -1
    votes = session.execute(
        select(Vote.participant_id, Vote.proposal_id, Vote.dots).where(
            Vote.step_id == step_id, Vote.dots > 0
        )
    ).all()
    paper = {
        int(pid): int(dots)
        for pid, dots in session.execute(
            select(PaperDots.proposal_id, PaperDots.dots).where(PaperDots.step_id == step_id)
        )
    }
    took_part = {int(v.participant_id) for v in votes}
    shown, sizes, threshold = _shown_roles(workshop, groups, took_part)
    givers: dict[int, dict[int, int]] = defaultdict(dict)
    for participant_id, proposal_id, dots in votes:
        givers[int(proposal_id)][int(participant_id)] = int(dots)
    rows = []
    for proposal in base:
        given = givers.get(proposal["id"], {})
        paper_dots = max(0, paper.get(proposal["id"], 0))
        roles: dict[str, dict[str, Any]] = {}
        supports = []
        for role in shown:
            members = {pid: d for pid, d in given.items() if role in roles_of.get(pid, [])}
            support = smoothed(len(members), sizes[role])
            supports.append(support)
            roles[role] = {
                "voters": sizes[role],
                "supporters": len(members),
                "dots": sum(members.values()),
                "support": rounded(support),
            }
        rows.append(
            {
                **proposal,
                "dots": sum(given.values()) + paper_dots,
                "voters": len(given),
                "by_role": {role: roles[role]["dots"] for role in shown},
                "paper_dots": paper_dots,
                "supporters": len(given),
                "support": rounded(smoothed(len(given), len(took_part))),
                "roles": roles,
                **_consensus_fields(supports),
            }
        )
    rows.sort(key=lambda r: (*ranking_key("dots")(r), r["id"]))
    return Analysis("dots", step, participants, len(took_part), threshold, shown, sizes, rows)


def _analyse_agree(
    session: Session,
    workshop: Workshop,
    step: Step | None,
    base: list[dict[str, Any]],
    groups: Groups,
    participants: int,
) -> Analysis:
    roles_of = groups.members
    assert step is not None
    stances = session.execute(
        select(Stance.participant_id, Stance.proposal_id, Stance.value).where(
            Stance.step_id == step.id
        )
    ).all()
    took_part = {int(s.participant_id) for s in stances}
    shown, sizes, threshold = _shown_roles(workshop, groups, took_part)
    answers: dict[int, dict[int, str]] = defaultdict(dict)
    for participant_id, proposal_id, value in stances:
        if value in STANCE_NAMES:
            answers[int(proposal_id)][int(participant_id)] = STANCE_NAMES[value]

    def count(given: dict[int, str]) -> dict[str, int]:
        counted = Counter(given.values())
        return {name: counted[name] for name in ("agree", "disagree", "pass")}

    rows = []
    for proposal in base:
        given = answers.get(proposal["id"], {})
        total = count(given)
        roles: dict[str, dict[str, Any]] = {}
        supports = []
        for role in shown:
            counts = count({p: v for p, v in given.items() if role in roles_of.get(p, [])})
            support = smoothed(counts["agree"], counts["agree"] + counts["disagree"])
            supports.append(support)
            roles[role] = {"voters": sizes[role], **counts, "support": rounded(support)}
        rows.append(
            {
                **proposal,
                "dots": 0,
                "voters": total["agree"] + total["disagree"],
                "by_role": {role: roles[role]["agree"] for role in shown},
                **total,
                "seen": len(given),
                "support": rounded(smoothed(total["agree"], total["agree"] + total["disagree"])),
                "roles": roles,
                **_consensus_fields(supports),
            }
        )
    rows.sort(key=lambda r: (*ranking_key("agree")(r), r["id"]))
    return Analysis("agree", step, participants, len(took_part), threshold, shown, sizes, rows)


def _analyse_rate(
    session: Session,
    workshop: Workshop,
    step: Step | None,
    base: list[dict[str, Any]],
    groups: Groups,
    participants: int,
) -> Analysis:
    roles_of = groups.members
    assert step is not None
    criteria = step_criteria(step)
    keys = [str(c.get("key")) for c in criteria]
    benefit_key, effort_key = rating_axes(criteria)
    ratings = session.execute(
        select(Rating.participant_id, Rating.proposal_id, Rating.criterion, Rating.score).where(
            Rating.step_id == step.id, Rating.criterion.in_(keys)
        )
    ).all()
    took_part = {int(r.participant_id) for r in ratings}
    shown, sizes, threshold = _shown_roles(workshop, groups, took_part)
    scores: dict[int, dict[int, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    for participant_id, proposal_id, criterion, score in ratings:
        scores[int(proposal_id)][int(participant_id)][criterion] = int(score)

    def summary(given: dict[int, dict[str, int]]) -> dict[str, Any]:
        means = {k: mean_of([s[k] for s in given.values() if k in s]) for k in keys}
        counts = {k: sum(1 for s in given.values() if k in s) for k in keys}
        benefit = means.get(benefit_key) if benefit_key else None
        effort = means.get(effort_key) if effort_key else None
        scored = [s[benefit_key] for s in given.values() if benefit_key and benefit_key in s]
        strong = sum(1 for value in scored if value >= STRONG_BENEFIT)
        quadrant = quadrant_of(benefit, effort)
        return {
            "raters": len(given),
            "means": means,
            "counts": counts,
            "benefit": benefit,
            "effort": effort,
            "quadrant": quadrant,
            "quadrant_label": QUADRANTS[quadrant][0] if quadrant else None,
            "supporters": strong,
            "_support": smoothed(strong, len(scored)) if benefit_key else None,
        }

    rows = []
    for proposal in base:
        given = scores.get(proposal["id"], {})
        total = summary(given)
        roles: dict[str, dict[str, Any]] = {}
        supports = []
        for role in shown:
            part = summary({p: s for p, s in given.items() if role in roles_of.get(p, [])})
            support = part.pop("_support")
            if support is not None:
                supports.append(support)
            roles[role] = {"voters": sizes[role], **part, "support": rounded(support)}
        total_support = total.pop("_support")
        rows.append(
            {
                **proposal,
                "dots": 0,
                "voters": total["raters"],
                "by_role": {role: roles[role]["raters"] for role in shown},
                **total,
                "support": rounded(total_support),
                "roles": roles,
                **_consensus_fields(supports),
            }
        )

    rows.sort(key=lambda r: (*ranking_key("rate")(r), r["id"]))
    return Analysis(
        "rate",
        step,
        participants,
        len(took_part),
        threshold,
        shown,
        sizes,
        rows,
        criteria=criteria,
        axes=(benefit_key, effort_key),
    )
