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

from workshop.analytics.analysis import Analysis, analyse, analysis_kind, prioritising_steps
from workshop.analytics.measures import (
    consensus_of,
    divisiveness_of,
    flags_of,
    min_group_size,
    quadrant_of,
    smoothed,
)
from workshop.analytics.reading import (
    analysis_payload,
    get_analysis,
    get_every_analysis,
    get_results,
    results_payload,
)
from workshop.analytics.tally import tally, tally_for

__all__ = [
    "Analysis",
    "analyse",
    "analysis_kind",
    "analysis_payload",
    "consensus_of",
    "divisiveness_of",
    "flags_of",
    "get_analysis",
    "get_every_analysis",
    "get_results",
    "min_group_size",
    "prioritising_steps",
    "quadrant_of",
    "results_payload",
    "smoothed",
    "tally",
    "tally_for",
]
