"""The JSON archive (export.json), written by workshop/archive.py; the analyses it carries."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from workshop import archive
from workshop.analytics.analysis import Analysis
from workshop.analytics.reading import analysis_payload
from workshop.schemas.step_config import StepConfig

if TYPE_CHECKING:
    from workshop.export.data import ExportData

COLUMNS = [
    "rank",
    "id",
    "title",
    "body",
    "category",
    "change_level",
    "status",
    "source",
    "dots",
    "voters",
]


def analysis_frame(analysis: Analysis) -> pd.DataFrame:
    """One row per visible proposal, ranked; role columns only for roles large enough to show."""
    records = []
    for rank, row in enumerate(analysis.rows, start=1):
        record: dict[str, Any] = {"rank": rank}
        record.update({column: row[column] for column in COLUMNS[1:]})
        record.update(_kind_columns(analysis, row))
        record["consensus"] = row["consensus"]
        record["divisiveness"] = row["divisiveness"]
        record["flags"] = "; ".join(row["flags"])
        records.append(record)
    columns = COLUMNS + _kind_column_names(analysis) + ["consensus", "divisiveness", "flags"]
    return pd.DataFrame(records, columns=columns)


def _kind_column_names(analysis: Analysis) -> list[str]:
    roles = analysis.roles_shown
    if analysis.kind == "agree":
        return ["agree", "disagree", "pass", "support"] + [
            f"{m}: {r}" for r in roles for m in ("voters", "agree", "disagree", "pass", "support")
        ]
    if analysis.kind == "rate":
        keys = [str(c.get("key")) for c in analysis.criteria]
        return (
            [f"mean: {k}" for k in keys]
            + [f"n: {k}" for k in keys]
            + ["quadrant", "supporters", "support"]
            + [
                f"{m}: {r}"
                for r in roles
                for m in ["raters"]
                + [f"mean {k}" for k in keys]
                + ["quadrant", "supporters", "support"]
            ]
        )
    return ["paper_dots", "support"] + [
        f"{m}: {r}" for r in roles for m in ("dots", "voters", "supporters", "support")
    ]


def _kind_columns(analysis: Analysis, row: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    roles = row["roles"]
    if analysis.kind == "agree":
        values.update({k: row[k] for k in ("agree", "disagree", "pass", "support")})
        for role in analysis.roles_shown:
            for measure in ("voters", "agree", "disagree", "pass", "support"):
                values[f"{measure}: {role}"] = roles[role][measure]
        return values
    if analysis.kind == "rate":
        keys = [str(c.get("key")) for c in analysis.criteria]
        values.update({f"mean: {k}": row["means"][k] for k in keys})
        values.update({f"n: {k}": row["counts"][k] for k in keys})
        values.update(
            {
                "quadrant": row["quadrant_label"],
                "supporters": row["supporters"],
                "support": row["support"],
            }
        )
        for role in analysis.roles_shown:
            part = roles[role]
            values[f"raters: {role}"] = part["raters"]
            for k in keys:
                values[f"mean {k}: {role}"] = part["means"][k]
            values[f"quadrant: {role}"] = part["quadrant_label"]
            values[f"supporters: {role}"] = part["supporters"]
            values[f"support: {role}"] = part["support"]
        return values
    values.update({"paper_dots": row["paper_dots"], "support": row["support"]})
    for role in analysis.roles_shown:
        for measure in ("dots", "voters", "supporters", "support"):
            values[f"{measure}: {role}"] = roles[role][measure]
    return values


def analysis_record(analysis: Analysis) -> dict[str, Any]:
    """One step's analysis for the JSON archive (the same numbers as its table)."""
    payload = analysis_payload(analysis)
    return {
        "step": payload["step"],
        "kind": payload["kind"],
        "voters": payload["voters"],
        "min_group_size": payload["min_group_size"],
        "roles_shown": payload["roles_shown"],
        "consensus_note": payload["consensus_note"],
        "criteria": payload.get("criteria"),
        "matrix": payload.get("matrix"),
        "proposals": payload["proposals"],
    }


def archived_config(config: dict[str, Any]) -> dict[str, Any]:
    """A step's settings as the archive keeps them: the fields of schemas.step_config."""
    return {k: v for k, v in config.items() if k in StepConfig.model_fields and v is not None}


def to_json(data: ExportData) -> bytes:
    """The complete archive (workshop/archive.py): raw data to restore, analyses to read."""
    return archive.to_json(data)
