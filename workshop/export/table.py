"""One table of the export: a frame with `Column` keys and coded values, its sheet name and
description (see labels.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from workshop.analytics.analysis import Analysis
from workshop.export.labels import Column

# Counts: whole numbers even where a step left a cell empty (pandas would make them 3.0).
WHOLE_NUMBERS = frozenset(
    {
        "rank",
        "id",
        "dots",
        "paper_dots",
        "voters",
        "supporters",
        "agree",
        "disagree",
        "pass",
        "raters",
        "answers",
        "step",
        "role_participants",
        "table_participants",
        "rank_in_table",
        "rank_in_group",
        "score",
    }
)


@dataclass
class Table:
    """One table of the export: a sheet of the workbook, a file of the zip."""

    key: str
    name: str  # the sheet name in the workshop's language (≤ 31 characters)
    description: str  # one sentence for the zip's README
    frame: pd.DataFrame
    words: dict[str, dict[str, str]] = field(default_factory=dict)  # extra coded values
    frozen_columns: int = 0

    def __post_init__(self) -> None:
        for column in self.frame.columns:
            if isinstance(column, Column) and column.measure in WHOLE_NUMBERS:
                self.frame[column] = self.frame[column].astype("Int64")


def step_number(analysis: Analysis) -> int:
    """The step's number as the agenda shows it (1 for the first)."""
    return analysis.step.position + 1 if analysis.step is not None else 0
