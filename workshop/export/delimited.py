"""CSV files: `;` and decimal comma for Norwegian Excel, or RFC 4180 for programs; both UTF-8 with
a byte order mark so that Excel reads æ, ø and å."""

from __future__ import annotations

import pandas as pd

from workshop.export.forms import coded, worded
from workshop.export.table import Table

DIALECTS = ("excel", "rfc4180")


def frame_csv(frame: pd.DataFrame, dialect: str) -> bytes:
    """One frame as CSV in the dialect: excel (`;`, `,` decimals) or rfc4180 (`,`, `.`)."""
    excel = dialect != "rfc4180"
    text = frame.to_csv(
        index=False,
        sep=";" if excel else ",",
        decimal="," if excel else ".",
        lineterminator="\r\n",
    )
    return text.encode("utf-8-sig")


def table_csv(table: Table, dialect: str) -> bytes:
    """A table as CSV: words in the excel dialect, stable codes in rfc4180."""
    return frame_csv(worded(table) if dialect != "rfc4180" else coded(table), dialect)
