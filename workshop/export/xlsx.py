"""The workbook: every table as a sheet, in the workshop's language, headers frozen.

Written with XlsxWriter row by row: openpyxl (also through pandas) needed about 40 s for the
500 × 300 benchmark workshop's half a million cells (docs/benchmarks.md). No text ever becomes
a formula: texts are neutralised (safety.py) and written as strings, never parsed.
"""

from __future__ import annotations

import io
import re
from typing import Any

import pandas as pd
import xlsxwriter

from workshop.export.forms import worded
from workshop.export.table import Table

WIDTH_SAMPLE = 200  # rows looked at to size a column
NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")
OPTIONS = {
    "in_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}


def sheet_name(name: str, taken: set[str]) -> str:
    """A valid, unused sheet name (≤ 31 characters, none of []:*?/\\)."""
    base = NOT_IN_SHEET_NAMES.sub("", name).strip("'")[:31] or "Ark"
    candidate, number = base, 2
    while candidate.lower() in taken:
        suffix = f" {number}"
        candidate, number = base[: 31 - len(suffix)] + suffix, number + 1
    taken.add(candidate.lower())
    return candidate


def widths(frame: pd.DataFrame) -> list[float]:
    """A width per column from its header and the first rows, between 8 and 60."""
    sample = frame.head(WIDTH_SAMPLE)
    sizes = []
    for position, header in enumerate(frame.columns):
        values = sample.iloc[:, position].dropna().astype(str)
        longest = max([len(str(header)), *(len(v) for v in values)])
        sizes.append(min(max(8.0, longest + 2.0), 60.0))
    return sizes


def write_column(sheet: Any, index: int, column: pd.Series) -> None:
    """One column below its header: numbers as numbers, texts as texts, empty cells left out."""
    numeric = pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column)
    for row, value in enumerate(column.tolist(), start=1):
        if value is None or value is pd.NA or value != value:  # value != value: NaN
            continue
        if numeric or (isinstance(value, int | float) and not isinstance(value, bool)):
            sheet.write_number(row, index, value)
        else:
            sheet.write_string(row, index, str(value))


def to_xlsx(tables: list[Table]) -> bytes:
    """Every table as a sheet; call inside ``force_locale(workshop.language)``."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, OPTIONS)
    header_format = workbook.add_format({"bold": True})
    taken: set[str] = set()
    for table in tables:
        frame = worded(table)
        sheet = workbook.add_worksheet(sheet_name(table.name, taken))
        for column, header in enumerate(frame.columns):
            sheet.write_string(0, column, str(header), header_format)
        for column in range(frame.shape[1]):
            write_column(sheet, column, frame.iloc[:, column])
        sheet.freeze_panes(1, table.frozen_columns)
        for column, width in enumerate(widths(frame)):
            sheet.set_column(column, column, width)
    workbook.close()
    return buffer.getvalue()
