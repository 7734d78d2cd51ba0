"""What the reader of an export chose; light enough to import where no export is made."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

OSLO = ZoneInfo("Europe/Oslo")


@dataclass(frozen=True)
class ExportOptions:
    """What the reader chose: the CSV dialect (``excel`` or ``rfc4180``) and whether names show."""

    dialect: str = "excel"
    names: bool = False
