"""The workbook: every table as a sheet, in the workshop's language, headers frozen."""

from __future__ import annotations

import io
import re

import pandas as pd
from openpyxl.utils import get_column_letter

from workshop.export.forms import worded
from workshop.export.tables import Table

WIDTH_SAMPLE = 200  # rows looked at to size a column
NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")


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


def to_xlsx(tables: list[Table]) -> bytes:
    """Every table as a sheet; call inside ``force_locale(workshop.language)``."""
    buffer = io.BytesIO()
    taken: set[str] = set()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for table in tables:
            frame = worded(table)
            name = sheet_name(table.name, taken)
            frame.to_excel(writer, sheet_name=name, index=False)
            sheet = writer.sheets[name]
            sheet.freeze_panes = sheet.cell(row=2, column=table.frozen_columns + 1)
            for position, width in enumerate(widths(frame), start=1):
                sheet.column_dimensions[get_column_letter(position)].width = width
    return buffer.getvalue()
