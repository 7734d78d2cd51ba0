"""Use cases of comparisons across workshops: create one, accept or reject a suggested match.

The admin key is checked by the adapters (as for creating a workshop); these functions trust it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workshop.models import Comparison, MatchDecision, Participant, Proposal, Workshop, joined_rows
from workshop.models.base import utcnow
from workshop.services.errors import NotFound, ValidationFailed
from workshop.services.unit import read_only, unit_of_work
from workshop.similarity import Text, score

MIN_WORKSHOPS = 2


@dataclass(frozen=True)
class WorkshopChoice:
    """A workshop the admin may pick for a comparison."""

    code: str
    title: str
    plan: str
    language: str
    created_at: datetime
    participants: int
    proposals: int


def workshops_to_compare() -> list[WorkshopChoice]:
    """Every workshop on this server, newest first, with its size."""
    with read_only() as session:
        participants = dict(
            session.execute(
                select(Participant.workshop_id, func.count()).group_by(Participant.workshop_id)
            ).all()
        )
        proposals = dict(
            session.execute(
                select(Proposal.workshop_id, func.count())
                .where(Proposal.status == "visible")
                .group_by(Proposal.workshop_id)
            ).all()
        )
        return [
            WorkshopChoice(
                w.code,
                w.title,
                w.plan_name,
                w.language,
                w.created_at,
                participants.get(w.id, 0),
                proposals.get(w.id, 0),
            )
            for w in session.scalars(select(Workshop).order_by(Workshop.id.desc()))
        ]


def create_comparison(codes: list[str], language: str | None = None) -> int:
    """Store a comparison of two or more distinct, known workshops; returns its id."""
    wanted = [code.strip().upper() for code in codes]
    if len(wanted) < MIN_WORKSHOPS:
        raise _refused(_l("Velg minst to verksteder å sammenligne."))
    repeated = sorted({code for code in wanted if wanted.count(code) > 1})
    if repeated:
        raise _refused(
            _l("Hvert verksted kan bare være med én gang: %(codes)s.", codes=", ".join(repeated))
        )
    with unit_of_work() as work:
        languages = dict(
            work.session.execute(
                select(Workshop.code, Workshop.language).where(Workshop.code.in_(wanted))
            ).all()
        )
        unknown = [code for code in wanted if code not in languages]
        if unknown:
            raise _refused(
                _l("Fant ikke verkstedet: %(codes)s.", codes=", ".join(c[:12] for c in unknown))
            )
        # The workbook's language: the admin's when given, else the first workshop's.
        comparison = Comparison(workshop_codes=wanted, language=language or languages[wanted[0]])
        work.session.add(comparison)
        work.session.flush()
        return comparison.id


def decide_match(comparison_id: int, proposal_ids: list[int], accepted: bool) -> dict[str, Any]:
    """Accept two proposals of different workshops as one (rows join) or reject the pair."""
    if len(set(proposal_ids)) != 2:
        raise ValidationFailed(
            _l("Velg to forskjellige forslag."), fields={"proposals": _l("Velg to forslag.")}
        )
    first, second = sorted(proposal_ids)
    with unit_of_work() as work:
        comparison = work.session.get(Comparison, comparison_id)
        if comparison is None:
            raise NotFound()
        workshop_of = dict(
            work.session.execute(
                select(Proposal.id, Workshop.code)
                .join(Workshop, Proposal.workshop_id == Workshop.id)
                .where(
                    Proposal.id.in_([first, second]),
                    Proposal.status == "visible",
                    Workshop.code.in_(comparison.workshop_codes),
                )
            ).all()
        )
        if len(workshop_of) != 2:
            raise NotFound(_l("Fant ikke forslaget i verkstedene som sammenlignes."))
        if workshop_of[first] == workshop_of[second]:
            raise _refused(
                _l("Begge forslagene er fra samme verksted. Slå dem sammen i verkstedet i stedet."),
                field="proposals",
            )
        decision = next(
            (d for d in comparison.decisions if (d.first_id, d.second_id) == (first, second)),
            None,
        )
        if accepted:
            _check_one_per_workshop(work.session, comparison, first, second, decision)
        if decision is None:
            decision = MatchDecision(first_id=first, second_id=second)
            comparison.decisions.append(decision)
        decision.accepted = accepted
        decision.decided_at = utcnow()
        decision.score = _score(work.session, first, second)
        return {"proposals": [first, second], "accepted": accepted}


def _check_one_per_workshop(
    session: Session,
    comparison: Comparison,
    first: int,
    second: int,
    decision: MatchDecision | None,
) -> None:
    """A row holds at most one proposal per workshop: refuse a match that would put two there."""
    pairs = [p for p in comparison.accepted_pairs() if decision is None or p != (first, second)]
    rows = joined_rows([*pairs, (first, second)])
    row = next(ids for ids in rows if first in ids)
    codes = dict(
        session.execute(
            select(Proposal.id, Workshop.code)
            .join(Workshop, Proposal.workshop_id == Workshop.id)
            .where(Proposal.id.in_(row), Proposal.status == "visible")
        ).all()
    )
    if len(set(codes.values())) < len(codes):
        raise _refused(
            _l(
                "Raden har allerede et forslag fra det samme verkstedet. "
                "Avvis det andre paret først."
            ),
            field="proposals",
        )


def _score(session: Session, first: int, second: int) -> float:
    """The text similarity of the pair, kept with the decision."""
    texts = {
        pid: Text(pid, title, body or "")
        for pid, title, body in session.execute(
            select(Proposal.id, Proposal.title, Proposal.body).where(
                Proposal.id.in_([first, second])
            )
        )
    }
    return score(texts[first], texts[second])


def _refused(message: Any, field: str = "workshops") -> ValidationFailed:
    return ValidationFailed(message, fields={field: message})
