"""The comparison as one XLSX workbook, headers and sheet names in the comparison's language."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd
from flask_babel import force_locale
from flask_babel import gettext as _

from workshop.analytics.comparison import (
    NO_LEVEL,
    OSLO,
    Compared,
    load_comparison,
    multi_workshop_rows,
    recurring,
    roles_side_by_side,
    rows_wide,
)
from workshop.analytics.reading import LEVEL_GROUPS
from workshop.export import neutralise  # the export's formula guard, imported here only
from workshop.schemas.comparison import XLSX

MAX_WIDTH = 60


@dataclass(frozen=True)
class Workbook:
    """The file to download."""

    content: bytes
    mimetype: str
    filename: str


def comparison_workbook(comparison_id: int, now: datetime | None = None) -> Workbook:
    """Read a comparison and write its workbook."""
    compared = load_comparison(comparison_id)
    moment = (now or datetime.now(OSLO)).astimezone(OSLO)
    with force_locale(compared.language):
        sheets = _sheets(compared, moment)
    date = moment.date().isoformat()
    return Workbook(_write(sheets), XLSX, f"planverksted-sammenligning-{compared.id}-{date}.xlsx")


def _sheets(compared: Compared, moment: datetime) -> list[tuple[str, pd.DataFrame, str]]:
    """(sheet name, frame, cell to freeze at) in order; called in the workbook's locale."""
    return [
        (_("Forslag"), _proposals(compared), "D2"),
        (_("Verksteder"), _workshops(compared), "B2"),
        (_("Tema"), _recurring(compared, "category", _("Tema")), "B2"),
        (_("Endringsnivå"), _recurring(compared, "change_level", _("Endringsnivå")), "B2"),
        (_("Roller"), _roles(compared), "D2"),
        (_("Om"), _about(compared, moment), "A2"),
    ]


def _proposals(compared: Compared) -> pd.DataFrame:
    """One line per row, the workshops side by side."""
    labels = {
        "title": _("forslag"),
        "rank": _("plass"),
        "dots": _("prikker"),
        "share": _("andel som ga prikker"),
        "consensus": _("konsensus"),
    }
    columns = [_("Rad"), _("Forslag (første ordlyd)"), _("Antall verksteder")]
    if compared.entries.empty:
        return pd.DataFrame(columns=columns)
    wide = rows_wide(compared)
    frame = pd.DataFrame(index=wide.index)
    frame[columns[0]] = wide.index.astype("int64")
    titles = [wide[(code, "title")] for code in compared.codes]
    frame[columns[1]] = pd.concat(titles, axis=1).bfill(axis=1).iloc[:, 0]
    frame[columns[2]] = wide[("", "workshops")].astype("int64")
    for code in compared.codes:
        for measure, label in labels.items():
            values = wide[(code, measure)]
            if measure in ("rank", "dots"):
                values = values.astype("Int64")
            elif measure != "title":
                values = values.astype("Float64")
            frame[f"{code}: {label}"] = values
    return frame.reset_index(drop=True)


def _workshops(compared: Compared) -> pd.DataFrame:
    names = {
        "code": _("Kode"),
        "title": _("Verksted"),
        "held": _("Opprettet"),
        "plan": _("Opplegg"),
        "language": _("Språk"),
        "participants": _("Deltakere"),
        "voters": _("Deltakere som stemte"),
        "step": _("Steget som sammenlignes"),
        "proposals": _("Forslag"),
    }
    if compared.workshops.empty:
        return pd.DataFrame(columns=list(names.values()))
    frame = compared.workshops[list(names)].rename(columns=names)
    frame[names["held"]] = [date.fromisoformat(day) for day in compared.workshops["held"]]
    return frame  # the date as a date cell, not text


def level_label(level: object) -> str:
    """A change level in the current language (the unsettled ones included)."""
    for key, label in LEVEL_GROUPS:
        if (key or NO_LEVEL) == level:
            return str(label)
    return str(level)


def _recurring(compared: Compared, field: str, heading: str) -> pd.DataFrame:
    everywhere = _("I alle verkstedene")
    columns = [heading]
    columns += [f"{code}: {_('forslag')}" for code in compared.codes]
    columns += [f"{code}: {_('prikker')}" for code in compared.codes]
    if compared.entries.empty:
        return pd.DataFrame(columns=[*columns, everywhere])
    table = recurring(compared, field)
    frame = pd.DataFrame(index=table.index)
    if field == "change_level":
        frame[heading] = [level_label(level) for level in table.index]
    else:
        frame[heading] = [str(theme) or _("Uten tema") for theme in table.index]
    for code in compared.codes:
        frame[f"{code}: {_('forslag')}"] = table[("proposals", code)].astype("int64")
    for code in compared.codes:
        frame[f"{code}: {_('prikker')}"] = table[("dots", code)].astype("int64")
    frame[everywhere] = [_("Ja") if flag else _("Nei") for flag in table[("", "everywhere")]]
    return frame.reset_index(drop=True)


def _roles(compared: Compared) -> pd.DataFrame:
    """Support per role and consensus, a column per workshop, for rows in several workshops."""
    columns = [_("Rad"), _("Forslag (første ordlyd)"), _("Rolle")]
    rows = multi_workshop_rows(compared)
    if not rows:
        return pd.DataFrame(columns=[*columns, *compared.codes])
    table = roles_side_by_side(compared, rows)
    order = {code: i for i, code in enumerate(compared.codes)}
    ranked = compared.entries.assign(order=compared.entries["workshop"].map(order))
    first_title = ranked.sort_values("order").groupby("row")["title"].first()
    frame = table.reset_index()
    frame.insert(1, columns[1], frame["row"].map(first_title))
    frame["role"] = [role or _("Konsensus") for role in frame["role"]]
    frame = frame.rename(columns={"row": columns[0], "role": columns[2]})
    for code in compared.codes:
        frame[code] = frame[code].astype("Float64")
    return frame[[*columns, *compared.codes]]


def _about(compared: Compared, moment: datetime) -> pd.DataFrame:
    accepted = compared.entries.groupby("row")["workshop"].nunique()
    lines = [
        (_("Sammenligning"), compared.id),
        (_("Laget"), compared.created_at.astimezone(OSLO).isoformat(timespec="seconds")),
        (_("Eksportert"), moment.isoformat(timespec="seconds")),
        (_("Verksteder"), ", ".join(compared.codes)),
        (_("Rader med forslag fra flere verksteder"), int((accepted >= 2).sum())),
        (_("Metode"), method_text()),
    ]
    if compared.missing:
        lines.append((_("Slettet siden"), ", ".join(compared.missing)))
    return pd.DataFrame(lines, columns=[_("Felt"), _("Verdi")])


def method_text() -> str:
    """How the comparison is made, in one paragraph, in the current language."""
    return _(
        "Hvert verksted leses ved sin første prikkestemming. Forslag fra ulike verksteder står "
        "på samme rad bare når administratoren har godtatt at de er det samme forslaget; "
        "tekstlikhet gir bare forslag til slike par. En rad har høyst ett forslag fra hvert "
        "verksted. Plass er plasseringen i verkstedets egen liste (like mange prikker gir lik "
        "plass). Andelen er hvor mange av dem som stemte som ga forslaget minst én prikk. "
        "Konsensus og støtte per rolle er regnet som i verkstedets egen rapport; roller med "
        "for få deltakere vises ikke."
    )


def _write(sheets: list[tuple[str, pd.DataFrame, str]]) -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame, freeze in sheets:
            safe = frame.apply(lambda column: column.map(neutralise)) if len(frame) else frame
            safe = safe.rename(columns=neutralise)
            safe.to_excel(writer, sheet_name=str(neutralise(name))[:31], index=False)
            sheet = writer.sheets[str(neutralise(name))[:31]]
            sheet.freeze_panes = freeze
            for column in sheet.columns:
                width = max(
                    len(str(cell.value if cell.value is not None else "")) for cell in column
                )
                sheet.column_dimensions[column[0].column_letter].width = min(
                    max(10, width + 2), MAX_WIDTH
                )
    return buffer.getvalue()
