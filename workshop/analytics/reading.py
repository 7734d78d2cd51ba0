"""Results and analysis as the API and the screens show them, with who may read them.

The read side never authenticates: the adapters identify the key first
(services/access.identify_key) and hand in the Actor; this module decides what that actor may read.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from workshop.analytics.analysis import Analysis, analyse, analysis_kind, prioritising_steps
from workshop.analytics.measures import (
    COMMON_GROUND_CONSENSUS,
    COMMON_GROUND_MIN_SUPPORT,
    DIVISIVE_SPREAD,
    HIGH_BENEFIT,
    LOW_EFFORT,
    QUADRANTS,
    STRONG_BENEFIT,
)
from workshop.models import Step, Workshop
from workshop.services.access import Actor, find_workshop
from workshop.services.errors import Forbidden, NotFound, ValidationFailed
from workshop.services.step_rules import counting_step, results_revealed
from workshop.services.unit import read_only


def explanation(kind: str) -> str:
    """The consensus measure in one sentence, for the screen."""
    if kind == "agree":
        return str(
            _l(
                "Konsensus er snittet (geometrisk) av hver rolles andel «enig» blant dem som "
                "svarte enig eller uenig, glattet som (enig + 1) / (enig + uenig + 2): den er høy "
                "bare når alle rollene er enige."
            )
        )
    if kind == "rate":
        return str(
            _l(
                "Konsensus er snittet (geometrisk) av hver rolles andel som ga forslaget 4 eller 5 "
                "i gevinst, glattet som (k + 1) / (n + 2): den er høy bare når alle rollene ser "
                "stor gevinst."
            )
        )
    return str(
        _l(
            "Konsensus er snittet (geometrisk) av hver rolles andel deltakere som ga forslaget "
            "minst én prikk, glattet som (k + 1) / (n + 2): den er høy bare når alle rollene "
            "støtter forslaget."
        )
    )


def suppressed_note(threshold: int) -> str:
    """Why some roles are not shown."""
    return str(
        _l(
            "Roller med færre enn %(min)d deltakere i dette steget vises ikke hver for seg; de "
            "telles bare med i totalene.",
            min=threshold,
        )
    )


def consensus_note(analysis: Analysis) -> str | None:
    """Why consensus is missing, or None when it is computed."""
    if analysis.kind == "rate" and analysis.axes[0] is None:
        return str(_l("Konsensus beregnes ikke: steget har ikke noe kriterium for gevinst."))
    if len(analysis.roles_shown) < 2:
        return str(
            _l(
                "Konsensus på tvers av roller beregnes ikke: det trengs minst to roller med minst "
                "%(min)d deltakere hver i dette steget.",
                min=analysis.threshold,
            )
        )
    return None


LEVEL_GROUPS: tuple[tuple[str | None, Any], ...] = (
    ("lokal", _l("Det vi kan gjøre selv")),
    ("regional", _l("Det vi ber fylkeskommunen eller statsforvalteren om")),
    ("nasjonal", _l("Det vi ber staten om")),
    (None, _l("Endringsnivå ikke avklart")),
)


def level_groups(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The ranked proposals grouped by their settled change level (who can make the change).

    Each group: ``{"change_level", "label", "proposals": [ids in rank order]}``; a level with no
    proposals is left out, so is the group of unsettled ones when empty.
    """
    groups = []
    for level, label in LEVEL_GROUPS:
        ids = [r["id"] for r in rows if r.get("change_level") == level]
        if ids:
            groups.append({"change_level": level, "label": str(label), "proposals": ids})
    return groups


def limit_to_level(payload: dict[str, Any], level: str) -> dict[str, Any]:
    """The results of one change level only (a results step with ``change_level``)."""
    kept = [p for p in payload["proposals"] if p.get("change_level") == level]
    ids = {p["id"] for p in kept}
    limited = {**payload, "proposals": kept, "change_level": level}
    limited["change_levels"] = level_groups(kept)
    limited["common_ground"] = [i for i in payload["common_ground"] if i in ids]
    limited["divisive"] = [i for i in payload["divisive"] if i in ids]
    if "matrix" in payload:
        matrix = dict(payload["matrix"])
        matrix["points"] = [p for p in matrix["points"] if p["id"] in ids]
        matrix["quadrants"] = [
            {**q, "proposals": [i for i in q["proposals"] if i in ids]} for q in matrix["quadrants"]
        ]
        limited["matrix"] = matrix
    return limited


def shown_level(workshop: Workshop) -> str | None:
    """The change level the current results step limits its results to, if any."""
    step = workshop.current_step
    level = step.config.get("change_level") if step.kind == "results" else None
    return level if isinstance(level, str) else None


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
        "change_levels": level_groups(proposals),
    }
    if analysis.tables_shown is not None:  # table mode: tables below the threshold left out
        payload["tables_shown"] = analysis.tables_shown
        payload["table_voters"] = analysis.table_voters
    if analysis.kind == "rate":
        benefit, effort = analysis.axes
        payload["criteria"] = analysis.criteria
        payload["thresholds"].update(
            {
                "high_benefit": HIGH_BENEFIT,
                "low_effort": LOW_EFFORT,
                "strong_benefit_score": STRONG_BENEFIT,
            }
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
                {
                    "id": r["id"],
                    "benefit": r["benefit"],
                    "effort": r["effort"],
                    "raters": r["raters"],
                    "quadrant": r["quadrant"],
                }
                for r in analysis.rows
                if r["quadrant"] is not None
            ],
        }
    return payload


def results_payload(
    session: Session, workshop: Workshop, step: Step | None = None, level: str | None = None
) -> dict[str, Any]:
    """The results of the step that counts now (or the given one), ranked; of one level only
    when ``level`` is given."""
    payload = analysis_payload(analyse(session, workshop, step or counting_step(workshop)))
    return limit_to_level(payload, level) if level else payload


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


def _may_read(
    workshop: Workshop, is_facilitator: bool, step: Step | None, chosen_explicitly: bool
) -> None:
    if is_facilitator:
        return
    if chosen_explicitly:
        if step is None or not step.revealed:
            raise Forbidden()
    elif not results_revealed(workshop):
        raise Forbidden()


def readable_step(
    workshop: Workshop, actor: Actor, position: object = None
) -> tuple[Step | None, str | None]:
    """The step whose results the actor asks for (a position, or none: the one that counts now)
    and the change level they are limited to; Forbidden unless the actor may read them: the
    facilitator at any time, others once they are revealed."""
    step = _chosen_step(workshop, position)
    named = position not in (None, "")
    _may_read(workshop, actor.is_facilitator, step, named)
    # Without a step named, a results step limited to one change level shows that level.
    return step, None if named else shown_level(workshop)


def readable_steps(workshop: Workshop, actor: Actor) -> list[dict[str, Any] | None]:
    """The prioritising steps whose analysis the actor may choose from."""
    return [
        step_summary(s) for s in prioritising_steps(workshop) if actor.is_facilitator or s.revealed
    ]


def get_results(actor: Actor, position: object = None) -> dict[str, Any]:
    """Results for the facilitator at any time; for others once they are revealed."""
    with read_only() as session:
        workshop = find_workshop(session, actor.workshop_code)
        step, level = readable_step(workshop, actor, position)
        return results_payload(session, workshop, step, level)


def get_every_analysis(actor: Actor) -> list[dict[str, Any]]:
    """The analysis of every prioritising step the actor may read, in order (the report)."""
    first = get_analysis(actor)
    return [get_analysis(actor, step["position"]) for step in first.get("steps", [])]


def get_analysis(actor: Actor, position: object = None) -> dict[str, Any]:
    """The full role analysis of a step, plus the list of prioritising steps to choose from."""
    with read_only() as session:
        workshop = find_workshop(session, actor.workshop_code)
        step, level = readable_step(workshop, actor, position)
        payload = results_payload(session, workshop, step, level)
        payload["steps"] = readable_steps(workshop, actor)
        return payload
