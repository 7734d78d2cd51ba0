"""Numbers and dates as the reader of the report writes them (0,69 and 01.03.2027 in Norwegian)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from flask_babel import format_decimal, get_locale

OSLO = ZoneInfo("Europe/Oslo")


def decimal_text(value: float | None, digits: int = 2) -> str:
    """A number in the reader's language (0,69 in Norwegian, 0.69 in English), halves rounded
    up (2.25 → 2,3 with one digit) as Planverksted.mean in static/js/live.js rounds them, so a
    mean reads the same in the report, on the phone and on the projector. None is "–"."""
    if value is None:
        return "–"
    step = Decimal(1).scaleb(-digits)
    return format_decimal(
        Decimal(str(value)).quantize(step, ROUND_HALF_UP), format="0." + "0" * digits
    )


def in_oslo(moment: datetime) -> datetime:
    """A stored time in Norwegian time; SQLite hands back UTC times without their zone."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(OSLO)


def day_text(day: date | datetime | str | None) -> str:
    """A date as 01.03.2027 in Norwegian, 1 March 2027 in English; "" for none."""
    if not day:
        return ""
    if isinstance(day, str):
        day = datetime.fromisoformat(day) if "T" in day else date.fromisoformat(day)
    if isinstance(day, datetime):
        day = in_oslo(day).date()
    if str(get_locale() or "nb") == "en":
        return f"{day.day} {day:%B} {day.year}"  # the C locale's month names are English
    return day.strftime("%d.%m.%Y")


def moment_text(moment: datetime | str | None) -> str:
    """A date and time in Norway: 01.03.2027 14:05 (English: 1 March 2027 14:05)."""
    if not moment:
        return ""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    local = in_oslo(moment)
    return f"{day_text(local)} {local:%H:%M}"
