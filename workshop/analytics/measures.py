"""The measures of the analysis: smoothed support, consensus, divisiveness, quadrants."""

from __future__ import annotations

import math
from collections.abc import Iterable
from fractions import Fraction
from typing import Any

from workshop.models import Workshop

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
    if consensus >= COMMON_GROUND_CONSENSUS - 1e-9 and min(supports) >= COMMON_GROUND_MIN_SUPPORT:
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


def rounded(value: Fraction | float | None, digits: int = 4) -> float | None:
    return None if value is None else round(float(value), digits)


# Means travel with six decimals: the screens, the report and the exports round them once, to
# one decimal (halves up); rounding here to two first would make 17/11 = 1.545… read 1,6.
MEAN_DIGITS = 6


def mean_of(values: list[int]) -> float | None:
    return round(sum(values) / len(values), MEAN_DIGITS) if values else None
