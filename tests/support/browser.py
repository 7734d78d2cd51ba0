"""Real Chromium for browser tests (Debian's /usr/bin/chromium driven by Playwright).

The ``browser`` fixture is a plugin of tests/conftest.py; never import it into a test module (a
session fixture imported into two modules would start two Playwright drivers at once).
"""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from pyzbar.pyzbar import decode

from tests.support.config import skip_or_fail

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}
PROJECTOR = {"width": 1920, "height": 1080}


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One headless Chromium for the whole run."""
    if not shutil.which(CHROMIUM):
        skip_or_fail(f"Chromium is not installed at {CHROMIUM} (apt-get install -y chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail("Python Playwright is not installed")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


def qr_codes_on(page: object) -> list[str]:
    """Every QR code a real decoder reads off a screenshot of the page."""
    png = page.screenshot()  # type: ignore[attr-defined]
    return [symbol.data.decode("utf-8") for symbol in decode(Image.open(io.BytesIO(png)))]


def console_problems(page: object) -> list[str]:
    """Start collecting console errors and CSP violations of a page."""
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)  # type: ignore[attr-defined]
    page.on("pageerror", lambda e: problems.append(str(e)))  # type: ignore[attr-defined]
    return problems


AXE = Path(__file__).resolve().parent.parent / "vendor" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page: object) -> list[str]:
    """WCAG 2.1 A/AA violations that axe-core (served from tests/vendor) finds on the page,
    and elements marked hidden that are drawn anyway."""
    page.add_script_tag(path=str(AXE))  # type: ignore[attr-defined]
    result = page.evaluate(  # type: ignore[attr-defined]
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(node["target"][0] if node["target"] else "?" for node in v["nodes"][:5])
        for v in result["violations"]
    ] + [f"drawn though hidden: {html}" for html in shown_though_hidden(page)]


def shown_though_hidden(page: object) -> list[str]:
    """Elements with the hidden attribute that still take space on the screen."""
    return list(
        page.evaluate(  # type: ignore[attr-defined]
            "() => [...document.querySelectorAll('[hidden]')]"
            ".filter(e => e.getClientRects().length > 0).map(e => e.outerHTML.slice(0, 120))"
        )
    )


RECORD_CONNECTION = """
window.connectionSeen = [];
new MutationObserver(() => {
  const pill = document.getElementById("connection");
  const below = document.querySelector("main");
  if (!pill || !below) return;
  const seen = window.connectionSeen, last = seen[seen.length - 1];
  if (last && last.state === pill.dataset.state && last.text === pill.textContent) return;
  seen.push({state: pill.dataset.state, text: pill.textContent,
             top: below.getBoundingClientRect().top + window.scrollY});
}).observe(document, {subtree: true, childList: true, characterData: true, attributes: true});
"""


class ConnectionLine:
    """A browser context whose Socket.IO connection a test can drop and restore, recording the
    connection pill's state and where the page's main content sits at each change."""

    def __init__(self, context: Any) -> None:
        self.sockets: list[Any] = []
        self.refusing = False
        context.route_web_socket("**/socket.io/**", self._route)
        context.add_init_script(RECORD_CONNECTION)

    def _route(self, socket: Any) -> None:
        if self.refusing:
            socket.close()
            return
        socket.connect_to_server()
        self.sockets.append(socket)

    def drop_and_restore(self, page: Any) -> list[dict[str, Any]]:
        """Wait for the connection, drop it, let it come back; what the page went through."""
        from playwright.sync_api import expect

        pill = page.locator("#connection")
        expect(pill).to_have_attribute("data-state", "online")
        self.refusing = True
        for socket in self.sockets:
            socket.close()
        expect(pill).to_have_attribute("data-state", "offline")
        self.refusing = False
        expect(pill).to_have_attribute("data-state", "online", timeout=15000)
        return list(page.evaluate("() => window.connectionSeen"))
