"""The facilitator's guide (docs/guide.md) as a page at /veileder, with its screenshots."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from xml.etree.ElementTree import Element

import markdown
from flask import Blueprint, Response, abort, render_template, send_from_directory, url_for
from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

blueprint = Blueprint("guide", __name__)

DOCS = Path(__file__).resolve().parents[2] / "docs"
GUIDE = DOCS / "guide.md"
SCREENSHOTS = DOCS / "screenshots"
IMAGE_NAME = re.compile(r"[a-z0-9][a-z0-9_-]*\.png")


class _ScreenshotLinks(Treeprocessor):
    """Point images at screenshots/… to the route that serves them; let code blocks scroll."""

    def run(self, root: Element) -> None:
        for image in root.iter("img"):
            source = image.get("src", "")
            if source.startswith("screenshots/"):
                image.set("src", url_for("guide.screenshot", name=source.split("/", 1)[1]))
            image.set("loading", "lazy")
        for block in root.iter("pre"):
            block.set("tabindex", "0")  # a wide code line scrolls; keyboards can scroll it too


class _Screenshots(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802
        md.treeprocessors.register(_ScreenshotLinks(md), "planverksted_screenshots", 5)


LIST_ITEM = re.compile(r"^(\d+\.|[-*+]) +")
FENCE = re.compile(r"^ {0,3}```")


def _python_markdown_lists(text: str) -> str:
    """Adapt CommonMark-style list items to Python-Markdown.

    The guide indents what belongs to a list item by the width of its marker ("1. " is three
    spaces) and puts fenced code inside items; Python-Markdown wants four spaces, a blank line
    before a nested list, and indented code instead of fences inside a list.
    """
    out: list[str] = []
    indent = 0  # the content indent of the top-level list item we are in (0: none)
    fenced = False
    nested = False  # inside a list nested in the item
    previous = ""
    for line in text.splitlines():
        if not line.strip():
            nested = False
        stripped = line.lstrip(" ")
        lead = len(line) - len(stripped)
        if not fenced:
            marker = LIST_ITEM.match(line)
            if marker:
                indent = len(marker.group(0))
            elif indent and line.strip() and lead < indent:
                indent = 0  # text back at the margin ends the list
        if indent and lead >= indent and line.strip():
            body = line[indent:]
            if FENCE.match(body):
                fenced = not fenced
                previous = line
                continue
            if fenced:
                out.append(" " * 8 + body)
            else:
                if LIST_ITEM.match(body):
                    if previous.strip() and not nested:
                        out.append("")
                    nested = True
                out.append(" " * 4 + body)
        else:
            out.append(line)
        previous = line
    return "\n".join(out) + "\n"


@lru_cache(maxsize=4)
def _render(mtime: float) -> tuple[str, str]:
    """The guide's title and HTML body (cached until the file changes)."""
    text = GUIDE.read_text(encoding="utf-8")
    extensions: list[str | Extension] = ["fenced_code", "tables", "sane_lists", _Screenshots()]
    html = markdown.markdown(_python_markdown_lists(text), extensions=extensions)
    match = re.search(r"^#\s+(.+)$", text, re.MULTILINE)
    return (match.group(1).strip() if match else "Planverksted"), html


@blueprint.get("/veileder")
def page() -> str:
    """The guide as HTML (the Markdown is our own file, not user input)."""
    if not GUIDE.is_file():
        abort(404)
    title, html = _render(GUIDE.stat().st_mtime)
    return render_template("facilitator/guide.html", title=title, body=Markup(html))


@blueprint.get("/veileder/bilder/<name>")
def screenshot(name: str) -> Response:
    """A screenshot the guide shows."""
    if not IMAGE_NAME.fullmatch(name):
        abort(404)
    return send_from_directory(SCREENSHOTS, name, max_age=3600)
