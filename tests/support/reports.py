"""Shared by the report export tests: a workshop that went through dots, agree and rating and
ended on its actions step, and readers of the files (pdftotext, python-docx, an HTML parser)."""

from __future__ import annotations

import io
import subprocess
from dataclasses import dataclass, field
from html.parser import HTMLParser

from docx import Document
from docx.document import Document as WordDocument

from tests.support.api import Api
from tests.support.followup import ACTIONS, AGREE, COLLECT, DOTS, PLAN_NAME, RATE, post
from tests.support.prioritising import Room

ROLES = ("Folkevalgt", "Administrasjon", "Innbygger")
ACTION = {
    "what": "Slå sammen handlingsdel og økonomiplan",
    "owner": "Kommunedirektøren",
    "due": "2027-03-01",
    "decided_by": "kommunestyret",
    "change_level": "lokal",
}


def held_room(
    api: Api,
    titles: tuple[str, ...],
    language: str = "nb",
    levels: tuple[str, ...] = (),
    title: str = "Forenklingsverksted",
) -> Room:
    """Three participants per role; every one gives the first proposal 3 dots and the second 2,
    agrees with the first and disagrees with the second, rates the first 5/2 and the second
    3/4; the workshop ends on its actions step with one action. ``levels`` settles the
    proposals' change levels in order."""
    ws = api.create(title, plan=PLAN_NAME, language=language)
    room = Room(api, ws, [])
    keys = [room.join(role) for role in ROLES for _ in range(3)]
    room.go(COLLECT)
    for title in titles:
        response = api.propose(ws.code, ws.facilitator_key, title, category="arealdel")
        assert response.status_code == 201, response.get_json()
        room.ids.append(response.get_json()["id"])
    settle_levels(room, dict(zip(room.ids, levels, strict=False)))
    first, second = room.ids[0], room.ids[1]
    room.go(DOTS)
    for key in keys:
        assert room.vote(key, {first: 3, second: 2}).status_code == 200
    room.go(AGREE)
    for key in keys:
        assert room.answer(key, {first: "agree", second: "disagree"}).status_code == 200
    room.go(RATE)
    for key in keys:
        ratings = {first: {"gevinst": 5, "innsats": 2}, second: {"gevinst": 3, "innsats": 4}}
        assert room.rate(key, ratings).status_code == 200
    room.go(ACTIONS)
    made = post(room, "actions", room.facilitator, {**ACTION, "proposal_id": second})
    assert made.status_code == 201, made.get_json()
    return room


def settle_levels(room: Room, levels: dict[int, str]) -> None:
    """The facilitator settles change levels (PATCH of each proposal)."""
    for proposal_id, level in levels.items():
        response = room.api.client.patch(
            f"/api/v1/workshops/{room.code}/proposals/{proposal_id}",
            json={"change_level": level},
            headers=Api.auth(room.facilitator),
        )
        assert response.status_code == 200, response.get_json()


def download(room: Room, fmt: str) -> bytes:
    """The facilitator's download of export.<fmt>."""
    response = room.api.get(f"{room.code}/export.{fmt}", room.facilitator)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return bytes(response.data)


def pdf_text(pdf: bytes) -> list[str]:
    """The text of each page of a PDF, as poppler's pdftotext reads it."""
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return result.stdout.decode("utf-8").split("\f")[:-1]


def word(docx: bytes) -> WordDocument:
    """A .docx opened with python-docx."""
    return Document(io.BytesIO(docx))


def headings(document: WordDocument) -> list[tuple[str, str]]:
    """(style, text) of every heading and title paragraph."""
    return [
        (p.style.name, p.text)
        for p in document.paragraphs
        if p.style is not None and p.style.name.startswith(("Heading", "Title"))
    ]


@dataclass
class Markup(HTMLParser):
    """What an HTML file refers to and holds: tags, attributes and the text of <title>/<desc>."""

    tags: list[tuple[str, dict[str, str | None]]] = field(default_factory=list)
    texts: dict[str, list[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        super().__init__()
        self._open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._open:  # close it and whatever was left open inside it
            del self._open[len(self._open) - 1 - self._open[::-1].index(tag) :]

    def handle_data(self, data: str) -> None:
        if self._open:
            self.texts.setdefault(self._open[-1], []).append(data)


def parse_html(html: str) -> Markup:
    """Parse a whole HTML document."""
    parsed = Markup()
    parsed.feed(html)
    parsed.close()
    return parsed
