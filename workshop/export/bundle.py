"""export.zip: every table as a CSV file, and a README in the workshop's language."""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile

from flask_babel import gettext as _

from workshop.export.delimited import table_csv
from workshop.export.table import Table


def file_name(name: str, taken: set[str]) -> str:
    """A plain ASCII file name from a sheet name: «Endringsnivå» → endringsniva.csv."""
    plain = name.lower().replace("æ", "ae").replace("ø", "o")
    plain = unicodedata.normalize("NFKD", plain).encode("ascii", "ignore").decode()
    stem = re.sub(r"[^a-z0-9]+", "-", plain).strip("-") or "tabell"
    candidate, number = f"{stem}.csv", 2
    while candidate in taken:
        candidate, number = f"{stem}-{number}.csv", number + 1
    taken.add(candidate)
    return candidate


def readme(files: list[tuple[str, Table]], dialect: str, title: str) -> str:
    """What each file holds and how the CSV files are written."""
    if dialect == "rfc4180":
        how = _(
            "Filene er CSV etter RFC 4180: komma mellom feltene, punktum som desimaltegn, "
            "UTF-8 med byte order mark. Kolonnenavn og verdier er faste koder (for eksempel "
            "rank, visible, quick_win) som er like på alle språk, for programmer."
        )
    else:
        how = _(
            "Filene er CSV for norsk Excel: semikolon mellom feltene, komma som desimaltegn, "
            "UTF-8 med byte order mark (så æ, ø og å blir riktige). Åpne dem med dobbeltklikk. "
            "For programmer finnes samme eksport med ?dialect=rfc4180: komma, punktum og faste "
            "kolonnenavn."
        )
    lines = [title, "", how, "", _("Filene:"), ""]
    lines += [f"{name}: {table.description}" for name, table in files]
    lines += [
        "",
        _(
            "Kolonnen «dots» i %(file)s er prikkene i det første prikkesteget; den heter det "
            "samme på alle språk.",
            file=files[0][0],
        ),
    ]
    return "\r\n".join(lines) + "\r\n"


def to_zip(tables: list[Table], dialect: str, title: str) -> bytes:
    """Every table as a CSV in the dialect, plus README.txt; inside the workshop's locale."""
    taken: set[str] = {"readme.txt"}
    files = [(file_name(table.name, taken), table) for table in tables]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", readme(files, dialect, title).encode("utf-8-sig"))
        for name, table in files:
            archive.writestr(name, table_csv(table, dialect))
    return buffer.getvalue()
