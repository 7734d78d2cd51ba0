"""Every table of the export, in the order of the workbook: proposals, about, then the rest.

Call `export_tables` inside ``force_locale(workshop.language)``: sheet names and descriptions are
in the workshop's language.
"""

from __future__ import annotations

from workshop.export.data import ExportData
from workshop.export.people import answers_table, audit_table, participants_table
from workshop.export.record import about_table, actions_table, levels_table, seating_table
from workshop.export.results import by_role_table, proposals_table, step_table
from workshop.export.table import Table

__all__ = ["Table", "export_tables"]


def export_tables(data: ExportData) -> list[Table]:
    """Every table, the ranked proposals first and «about» second."""
    tables = [proposals_table(data), about_table(data)]
    for analysis in data.steps:
        tables.append(step_table(analysis))
    if data.steps:
        tables.append(by_role_table(data))
    kinds = {a.kind for a in data.steps}
    if "dots" in kinds:
        tables.append(answers_table(data, "votes"))
    if "rate" in kinds:
        tables.append(answers_table(data, "ratings"))
    if "agree" in kinds:
        tables.append(answers_table(data, "stances"))
    tables.append(participants_table(data))
    tables.append(levels_table(data))
    if data.counting is not None and data.counting.tables_shown is not None:
        tables.append(seating_table(data.counting))
    tables.append(actions_table(data))
    tables.append(audit_table(data))
    return tables
