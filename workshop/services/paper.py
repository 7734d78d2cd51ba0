"""Use cases of paper in the room: dots counted on paper, typed in by the facilitator.

Paper dots are stored per vote step and proposal (PaperDots), apart from the phones' votes, so
they stay marked as paper. They count in the dots of a proposal and in tallies, never in the
number of voters nor in any role breakdown (nobody knows whose they were).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from workshop.models import PaperDots, Proposal, Step, Workshop
from workshop.services.access import authenticate, require_facilitator
from workshop.services.closed import ensure_editable
from workshop.services.errors import NotFound, ValidationFailed, WrongStep
from workshop.services.step_rules import is_dot_vote, vote_step_for_results
from workshop.services.unit import read_only, unit_of_work
from workshop.services.votes import dots_by_id


@dataclass(frozen=True)
class PaperCount:
    """The paper dots of one vote step."""

    step_position: int
    dots: dict[str, int]

    @property
    def total(self) -> int:
        """All paper dots of the step."""
        return sum(self.dots.values())

    def as_dict(self) -> dict[str, Any]:
        """The JSON body of the paper-dots endpoints."""
        return {"step_position": self.step_position, "dots": self.dots, "total": self.total}


def paper_step(workshop: Workshop, step_position: int | None = None) -> Step:
    """The vote step paper dots belong to: the one named, else the current or latest one."""
    if step_position is None:
        step = vote_step_for_results(workshop)
        if step is None:
            raise WrongStep(_l("Verkstedet har ikke noe steg med prikkestemming."))
    else:
        last = len(workshop.steps) - 1
        if not 0 <= step_position <= last:
            raise ValidationFailed(_l("Steget finnes ikke: velg 0 til %(last)d.", last=last))
        step = workshop.steps[step_position]
    if not is_dot_vote(step):
        raise ValidationFailed(_l("Prikker på papir hører til et steg med prikkestemming."))
    return step


def set_paper_dots(
    code: str, key: str | None, dots: Mapping[str, int], step_position: int | None = None
) -> PaperCount:
    """Replace the paper dots of a vote step (facilitator); zero removes a count.

    ``dots`` is PutPaperDots.dots (digits as keys, 0 to MAX_PAPER_DOTS dots each).
    """
    wanted = dots_by_id(dots)
    with unit_of_work() as work:
        session = work.session
        workshop, actor = authenticate(session, code, key)
        require_facilitator(actor)
        ensure_editable(workshop)
        step = paper_step(workshop, step_position)
        statuses = dict(
            session.execute(
                select(Proposal.id, Proposal.status).where(
                    Proposal.workshop_id == workshop.id, Proposal.id.in_(wanted)
                )
            ).all()
        )
        unknown = sorted(set(wanted) - set(statuses))
        if unknown:
            raise NotFound(_l("Fant ikke forslag %(id)s.", id=unknown[0]))
        nonzero = {pid: dots for pid, dots in sorted(wanted.items()) if dots > 0}
        not_visible = [pid for pid in nonzero if statuses[pid] != "visible"]
        if not_visible:
            raise ValidationFailed(
                _l("Forslag %(id)s er ikke synlig og kan ikke få prikker.", id=not_visible[0])
            )
        session.execute(delete(PaperDots).where(PaperDots.step_id == step.id))
        session.add_all(
            PaperDots(workshop_id=workshop.id, step_id=step.id, proposal_id=pid, dots=dots)
            for pid, dots in nonzero.items()
        )
        workshop.bump()
        counted = {str(pid): dots for pid, dots in nonzero.items()}
        work.audit(workshop, actor.label, "paper_dots", position=step.position, dots=counted)
        result = PaperCount(step.position, counted)
        work.emit(workshop, "paper_dots", result.as_dict(), audience="facilitator")
        work.tally_codes.add(workshop.code)
        return result


def get_paper_dots(code: str, key: str | None, step_position: int | None = None) -> PaperCount:
    """The paper dots of a vote step (facilitator)."""
    with read_only() as session:
        workshop, actor = authenticate(session, code, key)
        require_facilitator(actor)
        step = paper_step(workshop, step_position)
        return PaperCount(step.position, paper_dots_of(session, step))


def paper_dots_of(session: Session, step: Step) -> dict[str, int]:
    """Paper dots per proposal id (as a string) in a step."""
    rows = session.execute(
        select(PaperDots.proposal_id, PaperDots.dots)
        .where(PaperDots.step_id == step.id)
        .order_by(PaperDots.proposal_id)
    )
    return {str(pid): dots for pid, dots in rows}
