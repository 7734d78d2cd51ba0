"""A table in one of its two forms: stable codes (for programs) or words (for people)."""

from __future__ import annotations

import pandas as pd

from workshop.export.labels import VALUES, Column, value_label
from workshop.export.safety import safe_frame
from workshop.export.table import Table


def coded(table: Table) -> pd.DataFrame:
    """Stable column names and coded values (``rank``, ``visible``), neutralised."""
    frame = table.frame.rename(columns=lambda c: c.code() if isinstance(c, Column) else str(c))
    return safe_frame(frame)


def worded(table: Table) -> pd.DataFrame:
    """Column names and coded values in the workshop's language, neutralised.

    Call inside ``force_locale(workshop.language)``.
    """
    frame = table.frame.copy()
    for column in frame.columns:
        measure = column.measure if isinstance(column, Column) else str(column)
        words = table.words.get(measure)
        if words is None and measure in VALUES:
            words = {code: str(word) for code, word in VALUES[measure].items()}
        if words is not None:
            frame[column] = frame[column].map(lambda v, w=words: value_label(w, v))
    frame = frame.rename(columns=lambda c: c.label() if isinstance(c, Column) else str(c))
    return safe_frame(frame)
