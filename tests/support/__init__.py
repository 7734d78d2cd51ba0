"""Helpers shared by the test modules: the one place for them (issue 7).

tests/conftest.py loads the modules with fixtures as plugins (``pytest_plugins``); test modules
import plain helpers (classes, functions, constants) from here, never from each other.

    config       keys, URLs, test settings, a test's own plans folder, the sample proposals,
                 skipping a test whose service is missing
    api          the JSON API as an integration calls it (Api, Workshop) and the ``api`` fixture
    errors       the error body of docs/api.md
    forms        pages with forms: the CSRF token, joining by the join form
    events       events recorded by the RecordingPublisher
    servers      a live server in a thread (``live_server``), server processes, calling their API
    slow_analysis  a server process whose analysis counts itself and waits for the test
    realtime     real Socket.IO clients (Screen), workshops on a live server (Hall, ``hall``,
                 ``halls`` for ones with settings),
                 and the barrier that proves an event did not arrive
    browser      the one Chromium of the run (``browser``), viewports, axe, QR codes, console
    moderation   the plan and Room of the moderation, merging, paper and similarity tests
    prioritising the plan and Room of the rating, stance, role analysis and phone page tests
    reports      a workshop held through every step for the report files, and their readers
                 (pdftotext, python-docx, an HTML parser)
"""

import pytest

# Plain asserts in the helpers explain themselves like those in test modules.
pytest.register_assert_rewrite(
    *(
        f"tests.support.{name}"
        for name in (
            "config",
            "api",
            "errors",
            "forms",
            "events",
            "servers",
            "realtime",
            "browser",
            "moderation",
            "prioritising",
            "reports",
        )
    )
)
