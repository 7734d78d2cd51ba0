"""Tallies, role breakdowns and the consensus measure across roles (docs/analysis.md).

One prioritising step is analysed at a time: a dot vote, an agree / disagree / pass vote, or a
rate step (criteria such as benefit and effort, 1–5). For each visible proposal the analysis has
the totals, a breakdown per role, and how much the roles agree:

- a role's *support* for a proposal is a Laplace-smoothed share, (k + 1) / (n + 2):
  dots: k = the role's voters who gave it at least one dot, n = the role's voters in the step;
  agree: k = the role's «agree», n = its «agree» + «disagree» (a pass is seen, not voted);
  rate: k = the role's raters who scored its benefit 4 or 5, n = those who scored its benefit;
- *consensus* is the geometric mean of the shown roles' supports (none with fewer than two);
- *divisiveness* is the most supportive role's support minus the least supportive one's;
- flags: ``common_ground`` and ``divisive`` by the thresholds below.

A role group with fewer than ``min_group_size`` participants who took part in the step is never
shown separately: it counts only in the totals and not in the consensus. A participant with
several roles counts in each of them. Dots counted on paper add to a proposal's dots, not to its
voters nor to any role.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workshop.models import PaperDots, Participant, Proposal, Rating, Stance, Step, Vote, Workshop
from workshop.services.access import authenticate, find_workshop
from workshop.services.errors import Forbidden, NotFound, ValidationFailed
from workshop.services.snapshots import (
    count_participants,
    counting_step,
    results_revealed,
    step_criteria,
    vote_mode,
)
from workshop.services.unit import read_only

# Thresholds of the flags (docs/analysis.md).
COMMON_GROUND_CONSENSUS = 0.6  # consensus at least this …
COMMON_GROUND_MIN_SUPPORT = Fraction(1, 2)  # … and every shown role's support at least this
DIVISIVE_SPREAD = Fraction(2, 5)  # most minus least supportive role at least this
# Rate steps: the benefit–effort matrix splits at the middle of the 1–5 scale.
HIGH_BENEFIT = 3.0  # mean benefit ≥ 3: high benefit
LOW_EFFORT = 3.0  # mean effort < 3: low effort
STRONG_BENEFIT = 4  # a rater supports a proposal when scoring its benefit 4 or 5
DEFAULT_MIN_GROUP_SIZE = 3

QUADRANTS: dict[str, tuple[str, str, str]] = {
    # key: (bokmål label, English gloss, where it lies)
    "quick_win": ("Raske gevinster", "Quick wins", "høy gevinst, lav innsats"),
    "big_project": ("Store prosjekter", "Major projects", "høy gevinst, høy innsats"),
    "fill_in": ("Småplukk", "Fill-ins", "lav gevinst, lav innsats"),
    "time_sink": ("Tidstyver", "Time sinks", "lav gevinst, høy innsats"),
}
BENEFIT_KEYS = ("gevinst", "benefit", "nytte", "viktighet", "verdi", "value", "impact")
EFFORT_KEYS = ("innsats", "effort", "vanskelighet", "kostnad", "cost", "difficulty")
STANCE_NAMES = {1: "agree", -1: "disagree", 0: "pass"}


# --- the measure itself (pure functions, tested on hand-computed cases) --------------------


def smoothed(k: int, n: int) -> Fraction:
    """Laplace-smoothed share: (k + 1) / (n + 2); 1/2 when nobody answered."""
    return Fraction(k + 1, n + 2)


def consensus_of(supports: Iterable[Fraction]) -> float | None:
    """Geometric mean of the roles' supports; None with fewer than two roles."""
    values = [float(s) for s in supports]
    if len(values) < 2:
        return None
    return math.exp(sum(math.log(v) for v in values) / len(values))


def divisiveness_of(supports: Iterable[Fraction]) -> Fraction | None:
    """The most supportive role's support minus the least supportive one's."""
    values = list(supports)
    if len(values) < 2:
        return None
    return max(values) - min(values)


def flags_of(supports: list[Fraction]) -> list[str]:
    """``common_ground`` (every role behind it) or ``divisive`` (roles split), or neither."""
    consensus = consensus_of(supports)
    spread = divisiveness_of(supports)
    if consensus is None or spread is None:
        return []
    if spread >= DIVISIVE_SPREAD:
        return ["divisive"]
    if (consensus >= COMMON_GROUND_CONSENSUS - 1e-9
            and min(supports) >= COMMON_GROUND_MIN_SUPPORT):
        return ["common_ground"]
    return []


def quadrant_of(benefit: float | None, effort: float | None) -> str | None:
    """Where mean benefit and effort place a proposal in the benefit–effort matrix."""
    if benefit is None or effort is None:
        return None
    high = benefit >= HIGH_BENEFIT
    low_effort = effort < LOW_EFFORT
    if high:
        return "quick_win" if low_effort else "big_project"
    return "fill_in" if low_effort else "time_sink"


def rating_axes(criteria: list[dict[str, Any]]) -> tuple[str | None, str | None]:
    """Which criteria are benefit and effort: an explicit «axis», a known key, or the first two."""
    keys = [str(c.get("key")) for c in criteria]

    def find(axis: str, known: tuple[str, ...]) -> str | None:
        explicit = [str(c.get("key")) for c in criteria if c.get("axis") == axis]
        if explicit:
            return explicit[0]
        return next((k for k in keys if k.lower() in known), None)

    benefit, effort = find("benefit", BENEFIT_KEYS), find("effort", EFFORT_KEYS)
    if benefit is None and effort is None and len(keys) == 2:
        return keys[0], keys[1]
    return benefit, effort


def min_group_size(workshop: Workshop) -> int:
    """The smallest role group shown separately (workshop setting, default 3)."""
    try:
        return max(1, int(workshop.settings.get("min_group_size", DEFAULT_MIN_GROUP_SIZE)))
    except (TypeError, ValueError):
        return DEFAULT_MIN_GROUP_SIZE


def _round(value: Fraction | float | None, digits: int = 4) -> float | None:
    return None if value is None else round(float(value), digits)


def _mean(values: list[int]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


# --- analysing one step ---------------------------------------------------------------------


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


def analysis_kind(step: Step | None) -> str:
    """dots, agree or rate: how a prioritising step is voted."""
    if step is None:
        return "dots"
    if step.kind == "rate":
        return "rate"
    return "agree" if vote_mode(step) == "agree" else "dots"


def prioritising_steps(workshop: Workshop) -> list[Step]:
    """The vote and rate steps, in agenda order."""
    return [s for s in workshop.steps if s.kind in ("vote", "rate")]


def analyse(session: Session, workshop: Workshop, step: Step | None) -> Analysis:
    """Analyse one prioritising step (None: a workshop without one, every proposal at zero)."""
    proposals = session.execute(
        select(
            Proposal.id, Proposal.title, Proposal.body, Proposal.category,
            Proposal.change_level, Proposal.status, Proposal.source,
        )
        .where(Proposal.workshop_id == workshop.id, Proposal.status == "visible")
        .order_by(Proposal.id)
    ).all()
    base = [
        {
            "id": int(p.id), "title": p.title, "body": p.body or "",
            "category": p.category if isinstance(p.category, str) else None,
            "change_level": p.change_level, "status": p.status, "source": p.source,
        }
        for p in proposals
    ]
    roles_of = _roles_of(session, workshop)
    kind = analysis_kind(step)
    participants = count_participants(session, workshop)
    if kind == "agree":
        return _analyse_agree(session, workshop, step, base, roles_of, participants)
    if kind == "rate":
        return _analyse_rate(session, workshop, step, base, roles_of, participants)
    return _analyse_dots(session, workshop, step, base, roles_of, participants)


def _roles_of(session: Session, workshop: Workshop) -> dict[int, list[str]]:
    """Each participant's roles from the workshop's list, without duplicates."""
    known = set(workshop.roles)
    return {
        int(pid): [r for r in dict.fromkeys(roles or []) if r in known]
        for pid, roles in session.execute(
            select(Participant.id, Participant.roles).where(
                Participant.workshop_id == workshop.id
            )
        )
    }


def _shown_roles(
    workshop: Workshop, roles_of: dict[int, list[str]], took_part: set[int]
) -> tuple[list[str], dict[str, int], int]:
    """Roles with at least the threshold of participants who took part in the step."""
    threshold = min_group_size(workshop)
    sizes = Counter(role for pid in took_part for role in roles_of.get(pid, []))
    shown = [role for role in workshop.roles if sizes[role] >= threshold]
    return shown, {role: sizes[role] for role in shown}, threshold


def _consensus_fields(supports: list[Fraction]) -> dict[str, Any]:
    return {
        "consensus": _round(consensus_of(supports)),
        "divisiveness": _round(divisiveness_of(supports)),
        "flags": flags_of(supports),
    }


def _analyse_dots(
    session: Session, workshop: Workshop, step: Step | None, base: list[dict[str, Any]],
    roles_of: dict[int, list[str]], participants: int,
) -> Analysis:
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
    shown, sizes, threshold = _shown_roles(workshop, roles_of, took_part)
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
                "support": _round(support),
            }
        rows.append({
            **proposal,
            "dots": sum(given.values()) + paper_dots,
            "voters": len(given),
            "by_role": {role: roles[role]["dots"] for role in shown},
            "paper_dots": paper_dots,
            "supporters": len(given),
            "support": _round(smoothed(len(given), len(took_part))),
            "roles": roles,
            **_consensus_fields(supports),
        })
    rows.sort(key=lambda r: (-r["dots"], -r["voters"], r["id"]))
    return Analysis("dots", step, participants, len(took_part), threshold, shown, sizes, rows)


def _analyse_agree(
    session: Session, workshop: Workshop, step: Step | None, base: list[dict[str, Any]],
    roles_of: dict[int, list[str]], participants: int,
) -> Analysis:
    assert step is not None
    stances = session.execute(
        select(Stance.participant_id, Stance.proposal_id, Stance.value).where(
            Stance.step_id == step.id
        )
    ).all()
    took_part = {int(s.participant_id) for s in stances}
    shown, sizes, threshold = _shown_roles(workshop, roles_of, took_part)
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
            roles[role] = {"voters": sizes[role], **counts, "support": _round(support)}
        rows.append({
            **proposal,
            "dots": 0,
            "voters": total["agree"] + total["disagree"],
            "by_role": {role: roles[role]["agree"] for role in shown},
            **total,
            "seen": len(given),
            "support": _round(smoothed(total["agree"], total["agree"] + total["disagree"])),
            "roles": roles,
            **_consensus_fields(supports),
        })
    rows.sort(key=lambda r: (-r["support"], -r["agree"], r["id"]))
    return Analysis("agree", step, participants, len(took_part), threshold, shown, sizes, rows)


def _analyse_rate(
    session: Session, workshop: Workshop, step: Step | None, base: list[dict[str, Any]],
    roles_of: dict[int, list[str]], participants: int,
) -> Analysis:
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
    shown, sizes, threshold = _shown_roles(workshop, roles_of, took_part)
    scores: dict[int, dict[int, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    for participant_id, proposal_id, criterion, score in ratings:
        scores[int(proposal_id)][int(participant_id)][criterion] = int(score)

    def summary(given: dict[int, dict[str, int]]) -> dict[str, Any]:
        means = {k: _mean([s[k] for s in given.values() if k in s]) for k in keys}
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
            roles[role] = {"voters": sizes[role], **part, "support": _round(support)}
        total_support = total.pop("_support")
        rows.append({
            **proposal,
            "dots": 0,
            "voters": total["raters"],
            "by_role": {role: roles[role]["raters"] for role in shown},
            **total,
            "support": _round(total_support),
            "roles": roles,
            **_consensus_fields(supports),
        })

    def rank(row: dict[str, Any]) -> tuple[Any, ...]:
        benefit = row["benefit"] if row["benefit"] is not None else -1.0
        effort = row["effort"] if row["effort"] is not None else 99.0
        return (-benefit, effort, -row["raters"], row["id"])

    rows.sort(key=rank)
    return Analysis(
        "rate", step, participants, len(took_part), threshold, shown, sizes, rows,
        criteria=criteria, axes=(benefit_key, effort_key),
    )


# --- payloads -------------------------------------------------------------------------------


def explanation(kind: str) -> str:
    """The consensus measure in one sentence, for the screen."""
    if kind == "agree":
        return str(_l(
            "Konsensus er snittet (geometrisk) av hver rolles andel «enig» blant dem som svarte "
            "enig eller uenig, glattet som (enig + 1) / (enig + uenig + 2): den er høy bare når "
            "alle rollene er enige."
        ))
    if kind == "rate":
        return str(_l(
            "Konsensus er snittet (geometrisk) av hver rolles andel som ga forslaget 4 eller 5 "
            "i gevinst, glattet som (k + 1) / (n + 2): den er høy bare når alle rollene ser "
            "stor gevinst."
        ))
    return str(_l(
        "Konsensus er snittet (geometrisk) av hver rolles andel deltakere som ga forslaget minst "
        "én prikk, glattet som (k + 1) / (n + 2): den er høy bare når alle rollene støtter "
        "forslaget."
    ))


def suppressed_note(threshold: int) -> str:
    """Why some roles are not shown."""
    return str(_l(
        "Roller med færre enn %(min)d deltakere i dette steget vises ikke hver for seg; de "
        "telles bare med i totalene.", min=threshold,
    ))


def consensus_note(analysis: Analysis) -> str | None:
    """Why consensus is missing, or None when it is computed."""
    if analysis.kind == "rate" and analysis.axes[0] is None:
        return str(_l("Konsensus beregnes ikke: steget har ikke noe kriterium for gevinst."))
    if len(analysis.roles_shown) < 2:
        return str(_l(
            "Konsensus på tvers av roller beregnes ikke: det trengs minst to roller med minst "
            "%(min)d deltakere hver i dette steget.", min=analysis.threshold,
        ))
    return None


def step_summary(step: Step | None) -> dict[str, Any] | None:
    """The analysed step in a few fields."""
    if step is None:
        return None
    return {
        "id": step.id,
        "position": step.position,
        "kind": step.kind,
        "mode": analysis_kind(step),
        "title": step.title,
        "revealed": step.revealed,
    }


def analysis_payload(analysis: Analysis) -> dict[str, Any]:
    """The results of API.md (ranked proposals with dots, voters, by_role) and the analysis."""
    proposals = [
        {key: value for key, value in row.items() if key not in ("body", "status")}
        for row in analysis.rows
    ]
    flagged: dict[str, list[int]] = {"common_ground": [], "divisive": []}
    for row in analysis.rows:
        for flag in row["flags"]:
            flagged[flag].append(row["id"])
    payload: dict[str, Any] = {
        "kind": analysis.kind,
        "step": step_summary(analysis.step),
        "participants": analysis.participants,
        "voters": analysis.voters,
        "min_group_size": analysis.threshold,
        "roles_shown": analysis.roles_shown,
        "role_voters": analysis.role_voters,
        "suppressed_note": suppressed_note(analysis.threshold),
        "consensus_note": consensus_note(analysis),
        "explanation": explanation(analysis.kind),
        "thresholds": {
            "common_ground_consensus": COMMON_GROUND_CONSENSUS,
            "common_ground_min_support": float(COMMON_GROUND_MIN_SUPPORT),
            "divisive_spread": float(DIVISIVE_SPREAD),
        },
        "common_ground": flagged["common_ground"],
        "divisive": flagged["divisive"],
        "proposals": proposals,
    }
    if analysis.kind == "rate":
        benefit, effort = analysis.axes
        payload["criteria"] = analysis.criteria
        payload["thresholds"].update(
            {"high_benefit": HIGH_BENEFIT, "low_effort": LOW_EFFORT,
             "strong_benefit_score": STRONG_BENEFIT}
        )
        payload["matrix"] = {
            "benefit": benefit,
            "effort": effort,
            "scale": [1, 5],
            "high_benefit_from": HIGH_BENEFIT,
            "low_effort_below": LOW_EFFORT,
            "quadrants": [
                {
                    "key": key,
                    "label": label,
                    "label_en": english,
                    "where": where,
                    "proposals": [r["id"] for r in analysis.rows if r["quadrant"] == key],
                }
                for key, (label, english, where) in QUADRANTS.items()
            ],
            "points": [
                {"id": r["id"], "benefit": r["benefit"], "effort": r["effort"],
                 "raters": r["raters"], "quadrant": r["quadrant"]}
                for r in analysis.rows if r["quadrant"] is not None
            ],
        }
    return payload


def results_payload(session: Session, workshop: Workshop, step: Step | None = None) -> dict:
    """The results of the step that counts now (or the given one), ranked."""
    return analysis_payload(analyse(session, workshop, step or counting_step(workshop)))


def _chosen_step(workshop: Workshop, position: object) -> Step | None:
    if position is None or position == "":
        return counting_step(workshop)
    try:
        wanted = int(str(position))
    except ValueError as exc:
        raise ValidationFailed(_l("«step» må være nummeret på et steg.")) from exc
    for step in prioritising_steps(workshop):
        if step.position == wanted:
            return step
    raise NotFound(_l("Steget finnes ikke eller er ikke et stemme- eller vurderingssteg."))


def _may_read(workshop: Workshop, is_facilitator: bool, step: Step | None,
              chosen_explicitly: bool) -> None:
    if is_facilitator:
        return
    if chosen_explicitly:
        if step is None or not step.revealed:
            raise Forbidden()
    elif not results_revealed(workshop):
        raise Forbidden()


def get_results(code: str, key: str | None, position: object = None) -> dict[str, Any]:
    """Results for the facilitator at any time; for others once they are revealed."""
    with read_only() as session:
        workshop, actor = authenticate(session, code, key)
        step = _chosen_step(workshop, position)
        _may_read(workshop, actor.is_facilitator, step, position not in (None, ""))
        return results_payload(session, workshop, step)


def get_analysis(code: str, key: str | None, position: object = None) -> dict[str, Any]:
    """The full role analysis of a step, plus the list of prioritising steps to choose from."""
    with read_only() as session:
        workshop, actor = authenticate(session, code, key)
        step = _chosen_step(workshop, position)
        _may_read(workshop, actor.is_facilitator, step, position not in (None, ""))
        payload = results_payload(session, workshop, step)
        payload["steps"] = [
            step_summary(s) for s in prioritising_steps(workshop)
            if actor.is_facilitator or s.revealed
        ]
        return payload


# --- the live tally -------------------------------------------------------------------------


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
    if kind == "agree":
        _tally_agree(session, step, visible, payload)
    elif kind == "rate":
        _tally_rate(session, step, visible, payload)
    else:
        _tally_dots(session, step, visible, payload)
    return payload


def _tally_dots(session: Session, step: Step, visible: Any, payload: dict[str, Any]) -> None:
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
    payload["voters"] = session.scalar(
        select(func.count(func.distinct(Vote.participant_id))).where(
            Vote.step_id == step.id, Vote.dots > 0
        )
    ) or 0
    payload["proposals"] = sorted(
        ({"id": pid, "dots": total} for pid, total in dots.items() if total > 0),
        key=lambda p: (-p["dots"], p["id"]),
    )


def _tally_agree(session: Session, step: Step, visible: Any, payload: dict[str, Any]) -> None:
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
    payload["voters"] = session.scalar(
        select(func.count(func.distinct(Stance.participant_id))).where(Stance.step_id == step.id)
    ) or 0
    payload["proposals"] = sorted(
        counts.values(), key=lambda r: (-r["agree"], r["disagree"], r["id"])
    )


def _tally_rate(session: Session, step: Step, visible: Any, payload: dict[str, Any]) -> None:
    keys = [str(c.get("key")) for c in step_criteria(step)]
    rows: dict[int, dict[str, Any]] = {}
    for pid, criterion, mean, number in session.execute(
        select(Rating.proposal_id, Rating.criterion, func.avg(Rating.score), func.count())
        .where(Rating.step_id == step.id, Rating.proposal_id.in_(visible),
               Rating.criterion.in_(keys))
        .group_by(Rating.proposal_id, Rating.criterion)
    ):
        row = rows.setdefault(int(pid), {"id": int(pid), "dots": 0, "means": {}, "counts": {}})
        row["means"][criterion] = round(float(mean), 2)
        row["counts"][criterion] = int(number)
    for pid, raters in session.execute(
        select(Rating.proposal_id, func.count(func.distinct(Rating.participant_id)))
        .where(Rating.step_id == step.id, Rating.proposal_id.in_(visible),
               Rating.criterion.in_(keys))
        .group_by(Rating.proposal_id)
    ):
        if int(pid) in rows:
            rows[int(pid)]["raters"] = int(raters)
    payload["criteria"] = keys
    payload["voters"] = session.scalar(
        select(func.count(func.distinct(Rating.participant_id))).where(Rating.step_id == step.id)
    ) or 0
    payload["proposals"] = sorted(rows.values(), key=lambda r: r["id"])


def tally_for(code: str) -> dict[str, Any]:
    """The current tally of a workshop by code."""
    with read_only() as session:
        return tally(session, find_workshop(session, code))
