"""The report's charts as inline SVG (no script, no external file), each with a title and a text
alternative that says what the bars say; the tables next to them hold the same numbers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from markupsafe import Markup, escape

from workshop.reports.content import QUADRANT_LABELS, StepResult
from workshop.reports.formatting import decimal_text

CHART_ROWS = 12  # bars per chart: the top of the ranking
ROLE_ROWS = 6  # proposals in the by-role chart
MATRIX_POINTS = 40  # the matrix shows the top proposals only; the table has them all
WIDTH = 640
LABEL_CHARS = 80
INK = "#14213d"
BAR = "#1f5f99"
AGREE = "#1e6b3a"
DISAGREE = "#9b2c2c"
PASS = "#6b7280"
ROLE_COLOURS = ("#1f5f99", "#8a4b08", "#1e6b3a", "#6b3fa0", "#9b2c2c", "#4a5568")


@dataclass(frozen=True)
class Chart:
    """One figure of a step: its caption and the SVG drawing."""

    key: str
    caption: str
    svg: Markup
    legend: list[tuple[int, str]]  # numbered points of the matrix, read as text


def charts_of(step: StepResult) -> list[Chart]:
    """The figures of one step: its ranking, its roles, and the matrix of a rating."""
    if not step.proposals:
        return []
    prefix = f"chart-{step.position}"
    charts: list[Chart] = []
    if step.kind == "rate":
        matrix = matrix_chart(step, f"{prefix}-matrix")
        if matrix is not None:
            charts.append(matrix)
    elif step.kind == "agree":
        charts.append(agree_chart(step, f"{prefix}-agree"))
    else:
        charts.append(dots_chart(step, f"{prefix}-dots"))
    if step.payload["roles_shown"]:
        charts.append(role_chart(step, f"{prefix}-roles"))
    return charts


def _label(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "…"


def _svg(key: str, caption: str, summary: str, height: int, body: Iterable[str]) -> Markup:
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'aria-labelledby="{key}-title" aria-describedby="{key}-desc" '
        f'viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" font-family="DejaVu Sans, sans-serif" font-size="12">'
        f'<title id="{key}-title">{escape(caption)}</title>'
        f'<desc id="{key}-desc">{escape(summary)}</desc>' + "".join(body) + "</svg>"
    )


def _text(x: float, y: float, text: str, **attributes: Any) -> str:
    extra = "".join(f' {name.replace("_", "-")}="{value}"' for name, value in attributes.items())
    return f'<text x="{x:.1f}" y="{y:.1f}" fill="{INK}"{extra}>{escape(text)}</text>'


def _rect(x: float, y: float, width: float, height: float, fill: str) -> str:
    size = f'width="{max(width, 0):.1f}" height="{height}"'
    return f'<rect x="{x:.1f}" y="{y:.1f}" {size} fill="{fill}"/>'


def _line(x1: float, y1: float, x2: float, y2: float) -> str:
    ends = f'x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}"'
    return f'<line {ends} stroke="{PASS}" stroke-dasharray="4 3"/>'


def _more(step: StepResult, shown: int) -> str:
    rest = len(step.proposals) - shown
    return (
        _(" (de %(shown)d øverste av %(total)d)", shown=shown, total=len(step.proposals))
        if rest > 0
        else ""
    )


def dots_chart(step: StepResult, key: str) -> Chart:
    """Dots per proposal, highest first."""
    rows = step.proposals[:CHART_ROWS]
    most = max([row["dots"] for row in rows] + [1])
    caption = _("Prikker per forslag i «%(step)s»", step=step.title) + _more(step, len(rows))
    body: list[str] = []
    for index, row in enumerate(rows):
        top = 8 + index * 34
        body.append(_text(0, top + 11, f"{index + 1}. {_label(row['title'])}"))
        width = (WIDTH - 60) * row["dots"] / most
        body.append(_rect(0, top + 15, width, 12, BAR))
        body.append(_text(width + 6, top + 26, str(row["dots"])))
    summary = "; ".join(
        _("%(title)s: %(num)d prikker", title=row["title"], num=row["dots"]) for row in rows
    )
    return Chart(key, caption, _svg(key, caption, summary, 8 + len(rows) * 34, body), [])


def agree_chart(step: StepResult, key: str) -> Chart:
    """Agree, disagree and pass per proposal, stacked, the most agreed first."""
    rows = step.proposals[:CHART_ROWS]
    most = max([row["agree"] + row["disagree"] + row["pass"] for row in rows] + [1])
    caption = _("Enig, uenig og står over i «%(step)s»", step=step.title) + _more(step, len(rows))
    body: list[str] = []
    lines = []
    for index, row in enumerate(rows):
        top = 8 + index * 34
        body.append(_text(0, top + 11, f"{index + 1}. {_label(row['title'])}"))
        x = 0.0
        for count, colour in (
            (row["agree"], AGREE),
            (row["disagree"], DISAGREE),
            (row["pass"], PASS),
        ):
            width = (WIDTH - 260) * count / most
            body.append(_rect(x, top + 15, width, 12, colour))
            x += width
        line = _(
            "%(agree)d enig · %(disagree)d uenig · %(pass)d står over",
            agree=row["agree"],
            disagree=row["disagree"],
            **{"pass": row["pass"]},
        )
        body.append(_text(x + 6, top + 26, line))
        lines.append(f"{row['title']}: {line}")
    return Chart(key, caption, _svg(key, caption, "; ".join(lines), 8 + len(rows) * 34, body), [])


def _role_value(step: StepResult, part: dict[str, Any]) -> tuple[float, str]:
    """A role's answer to a proposal as a share of the bar (0–1) and as text."""
    if step.kind == "agree":
        answered = part["agree"] + part["disagree"]
        share = part["agree"] / answered if answered else 0.0
        return share, _("%(agree)d av %(num)d enig", agree=part["agree"], num=answered)
    if step.kind == "rate":
        benefit = part.get("benefit")
        share = (benefit - 1) / 4 if benefit is not None else 0.0
        return share, _("gevinst %(value)s", value=decimal_text(benefit, 1))
    voters = part["voters"]
    share = part["supporters"] / voters if voters else 0.0
    return share, _("%(num)d av %(all)d ga prikk", num=part["supporters"], all=voters)


def role_chart(step: StepResult, key: str) -> Chart:
    """For the top proposals, one bar per role shown: how the roles answered each."""
    roles: list[str] = list(step.payload["roles_shown"])
    rows = step.proposals[:ROLE_ROWS]
    caption = _("Svar per rolle i «%(step)s»", step=step.title) + _more(step, len(rows))
    body: list[str] = []
    lines = []
    top = 8
    for index, row in enumerate(rows):
        body.append(_text(0, top + 11, f"{index + 1}. {_label(row['title'])}"))
        top += 16
        for number, role in enumerate(roles):
            share, said = _role_value(step, row["roles"][role])
            colour = ROLE_COLOURS[number % len(ROLE_COLOURS)]
            body.append(_text(12, top + 10, _label(role)[:24], font_size="11"))
            body.append(_rect(180, top + 1, (WIDTH - 380) * share, 10, colour))
            body.append(_text(180 + (WIDTH - 380) * share + 6, top + 10, said, font_size="11"))
            lines.append(f"{row['title']} – {role}: {said}")
            top += 14
        top += 8
    return Chart(key, caption, _svg(key, caption, "; ".join(lines), top, body), [])


def matrix_chart(step: StepResult, key: str) -> Chart | None:
    """The benefit–effort matrix: benefit up, effort to the right, quick wins top left."""
    matrix = step.payload.get("matrix") or {}
    if not matrix.get("benefit") or not matrix.get("effort"):
        return None
    ranks = {row["id"]: rank for rank, row in enumerate(step.proposals, start=1)}
    points = sorted(matrix["points"], key=lambda p: ranks.get(p["id"], 0))[:MATRIX_POINTS]
    titles = {row["id"]: row["title"] for row in step.proposals}
    caption = _("Gevinst og innsats i «%(step)s»", step=step.title) + _more(step, len(points))
    left, top, size = 70, 10, 400

    def x_of(effort: float) -> float:
        return left + (effort - 1) / 4 * size

    def y_of(benefit: float) -> float:
        return top + (5 - benefit) / 4 * size

    mid_x, mid_y = x_of(float(matrix["low_effort_below"])), y_of(float(matrix["high_benefit_from"]))
    body = [
        f'<rect x="{left}" y="{top}" width="{size}" height="{size}" fill="none" stroke="{INK}"/>',
        _line(mid_x, top, mid_x, top + size),
        _line(left, mid_y, left + size, mid_y),
        _text(left + 6, top + 16, str(QUADRANT_LABELS["quick_win"]), font_weight="bold"),
        _text(
            left + size - 6,
            top + 16,
            str(QUADRANT_LABELS["big_project"]),
            font_weight="bold",
            text_anchor="end",
        ),
        _text(left + 6, top + size - 8, str(QUADRANT_LABELS["fill_in"]), font_weight="bold"),
        _text(
            left + size - 6,
            top + size - 8,
            str(QUADRANT_LABELS["time_sink"]),
            font_weight="bold",
            text_anchor="end",
        ),
        _text(left + size / 2, top + size + 34, _("Innsats (1–5) →"), text_anchor="middle"),
        _text(
            16,
            top + size / 2,
            _("Gevinst (1–5) →"),
            text_anchor="middle",
            transform=f"rotate(-90 16 {top + size / 2})",
        ),
    ]
    for value in range(1, 6):
        body.append(_text(x_of(value), top + size + 16, str(value), text_anchor="middle"))
        body.append(_text(left - 8, y_of(value) + 4, str(value), text_anchor="end"))
    legend = []
    lines = []
    for point in points:
        rank = ranks.get(point["id"], 0)
        cx, cy = x_of(point["effort"]), y_of(point["benefit"])
        body.append(
            f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="10" fill="{BAR}" fill-opacity="0.85"/>'
        )
        body.append(
            _text(
                cx,
                cy + 4,
                str(rank),
                fill_opacity="1",
                text_anchor="middle",
                font_size="10",
                style="fill:#fff",
            )
        )
        title = titles.get(point["id"], "")
        said = _(
            "gevinst %(benefit)s, innsats %(effort)s",
            benefit=decimal_text(point["benefit"], 1),
            effort=decimal_text(point["effort"], 1),
        )
        legend.append((rank, f"{title} ({said})"))
        lines.append(f"{rank}. {title}: {said}")
    svg = _svg(key, caption, "; ".join(lines), top + size + 44, body)
    return Chart(key, caption, svg, legend)
