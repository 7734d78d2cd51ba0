"""The tables about people: answers per pseudonymous participant, participants, audit trail.

Build them inside ``force_locale(workshop.language)``.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

import pandas as pd
from flask_babel import gettext as _

from workshop.export.data import ExportData
from workshop.export.labels import Column, pseudonym
from workshop.export.table import Table


def pseudonyms(data: ExportData) -> dict[int, str]:
    """Each participant's pseudonymous id, numbered in the order they joined."""
    return {p["id"]: pseudonym(n) for n, p in enumerate(data.participants, start=1)}


def answers_table(data: ExportData, what: str) -> Table:
    """Each participant's dots, ratings (a column per criterion) or stances, by pseudonymous id;
    the proposal by its ID (its title is in the proposals table)."""
    names = pseudonyms(data)
    head = [Column("participant"), Column("step"), Column("id")]
    if what == "votes":
        columns = [*head, Column("dots")]
        records: list[list[Any]] = [[names.get(p), s, i, d] for s, p, i, d in data.votes]
        name, description = _("Prikker"), _("Prikkene hver deltaker ga, under et pseudonym.")
    elif what == "ratings":
        criteria: dict[str, str | None] = {}
        for analysis in data.steps:
            for c in analysis.criteria:
                criteria.setdefault(str(c.get("key")), str(c.get("label") or "") or None)
        columns = [
            *head,
            *(Column("score", criterion=k, criterion_label=v) for k, v in criteria.items()),
        ]
        where = {key: index for index, key in enumerate(criteria, start=3)}
        rows: dict[tuple[int, int, int], list[Any]] = {}
        for step, who, pid, key, score in data.ratings:
            blank = [names.get(who), step, pid, *([None] * len(criteria))]
            row = rows.setdefault((who, step, pid), blank)
            if key in where:
                row[where[key]] = score
        records = list(rows.values())
        name = _("Vurderinger")
        description = _("Vurderingene hver deltaker ga, under et pseudonym.")
    else:
        columns = [*head, Column("stance")]
        records = [[names.get(p), s, i, v] for s, p, i, v in data.stances]
        name = _("Standpunkt")
        description = _("Svarene enig, uenig og pass fra hver deltaker, under et pseudonym.")
    return Table(what, name, description, pd.DataFrame(records, columns=columns))


def safe_groups(data: ExportData, members: dict[str, set[int]]) -> set[str]:
    """Groups (roles or tables) never too small in a step they took part in, nor overall."""
    threshold = data.counting.threshold if data.counting is not None else 3
    took_part: dict[int, set[int]] = defaultdict(set)
    for answers in (data.votes, data.ratings, data.stances):
        for answer in answers:
            took_part[answer[0]].add(answer[1])
    safe = set()
    for group, people in members.items():
        counts = [len(people & answered) for answered in took_part.values()]
        if len(people) >= threshold and all(n == 0 or n >= threshold for n in counts):
            safe.add(group)
    return safe


def participants_table(data: ExportData) -> Table:
    """Who took part: pseudonymous id, roles and table (small groups left out), names if chosen."""
    workshop = data.workshop
    known_roles = set(workshop.roles)
    seats = {str(t) for t in workshop.settings.get("tables") or []}
    roles: dict[str, set[int]] = defaultdict(set)
    tables: dict[str, set[int]] = defaultdict(set)
    for person in data.participants:
        for role in person["roles"]:
            if role in known_roles:
                roles[role].add(person["id"])
        if person["table"] in seats:
            tables[person["table"]].add(person["id"])
    shown_roles, shown_tables = safe_groups(data, roles), safe_groups(data, tables)
    names = pseudonyms(data)
    columns = [Column("participant"), Column("roles"), Column("table")]
    if data.options.names:
        columns.append(Column("name"))
    records = []
    for person in data.participants:
        record = [
            names[person["id"]],
            "; ".join(r for r in dict.fromkeys(person["roles"]) if r in shown_roles),
            person["table"] if person["table"] in shown_tables else "",
        ]
        if data.options.names:
            record.append(person["name"] or "")
        records.append(record)
    return Table(
        "participants",
        _("Deltakere"),
        _(
            "Deltakerne under pseudonym med roller og bord; en rolle eller et bord som er for "
            "lite til å vises i et steg, står tomt."
        ),
        pd.DataFrame(records, columns=columns),
    )


def audit_table(data: ExportData) -> Table:
    """The audit trail; participants appear under their pseudonym."""
    names = pseudonyms(data)
    records = []
    for entry in data.audit:
        detail = dict(entry["detail"] or {})
        if "participant_id" in detail:
            detail["participant_id"] = names.get(detail["participant_id"], "")
        actor = str(entry["actor"])
        if actor.startswith("participant:"):  # the trail names a participant by row id
            actor = names.get(int(actor.split(":", 1)[1]), "")
        records.append(
            [entry["at"], actor, entry["action"], json.dumps(detail, ensure_ascii=False)]
        )
    columns = [Column(m) for m in ("at", "actor", "action", "detail")]
    return Table(
        "audit",
        _("Logg"),
        _("Alt fasilitatoren gjorde, med tidspunkt: moderering, sammenslåing, steg og visning."),
        pd.DataFrame(records, columns=columns),
    )
