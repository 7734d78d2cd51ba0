"""The phone's first visit (join page, then the step) is ≤ 60 KB compressed and stays local."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
import requests

from tests.support.browser import PHONE
from tests.support.config import ADMIN_KEY
from tests.support.servers import LiveServer

pytestmark = pytest.mark.browser
BUDGET = 60 * 1024


def test_first_participant_load_is_under_60_kb_and_local(
    live_server: LiveServer,
    browser,  # noqa: F811
) -> None:
    created = requests.post(
        f"{live_server.url}/api/v1/workshops",
        json={"title": "Lett side"},
        headers={"Authorization": f"Bearer {ADMIN_KEY}"},
        timeout=10,
    ).json()
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    hosts: set[str] = set()
    transferred: dict[str, int] = {}

    def count(request) -> None:
        sizes = request.sizes()
        transferred[request.url] = sizes["responseBodySize"] + sizes["responseHeadersSize"]

    page.on("request", lambda r: hosts.add(urlparse(r.url).netloc))
    page.on("requestfinished", count)
    page.goto(created["join_url"])
    page.get_by_role("button", name="Bli med").click()
    page.wait_for_selector("#connection[data-state=online]")
    page.wait_for_load_state("networkidle")
    # The browser's own resource timings: every file of the participant page, compressed size.
    timings = page.evaluate(
        """() => [performance.getEntriesByType('navigation')[0],
                 ...performance.getEntriesByType('resource')]
               .map(e => [e.name, e.encodedBodySize])"""
    )
    assert {name for name, _ in timings} <= set(transferred), (timings, transferred)
    total = sum(transferred.values())
    assert total <= BUDGET, f"{total} bytes: {transferred}"
    assert hosts == {urlparse(live_server.url).netloc}
    # Static files are served compressed and cached under versioned names.
    script = page.evaluate("document.querySelector('script[src*=participant]').src")
    response = requests.get(script, headers={"Accept-Encoding": "gzip"}, timeout=10)
    assert "?v=" in script
    assert response.headers["Content-Encoding"] == "gzip"
    assert "immutable" in response.headers["Cache-Control"]
    context.close()
