"""`python -m tests.support.slow_analysis`: `workshop serve` whose analysis counts itself and
holds on until the test says go, so a test can watch what the server does meanwhile.

``SLOW_ANALYSIS_LOG``: a file that gets one line for every analysis begun.
``SLOW_ANALYSIS_RELEASE``: each analysis keeps the CPU busy (as a large one would) until this
file exists, then does its real work.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

HOLD_AT_MOST = 120  # seconds: a test that never releases still lets its server finish


def hold_until_released(log: Path, release: Path) -> Any:
    """The real analysis, counted in the log and begun once the release file exists."""
    from time import perf_counter

    from workshop.analytics import reading

    real = reading.analyse

    def analyse(*args: Any, **kwargs: Any) -> Any:
        with log.open("a", encoding="utf-8") as lines:
            lines.write("analyse\n")
        deadline = perf_counter() + HOLD_AT_MOST
        while not release.exists() and perf_counter() < deadline:
            # Work on the CPU between looks, not a sleep; a look (a system call) gives the GIL
            # up, and one every few hundred microseconds would starve the event loop's thread.
            for _ in range(100):
                sum(range(20_000))
        return real(*args, **kwargs)

    reading.analyse = analyse  # type: ignore[assignment]  # counted, not replaced: same results
    return analyse


def main() -> int:
    """Patch as `python -m workshop serve` does, count the analysis, then serve."""
    if os.environ.get("WORKSHOP_ASYNC_MODE", "gevent") == "gevent":
        from gevent import monkey

        monkey.patch_all()
    hold_until_released(
        Path(os.environ["SLOW_ANALYSIS_LOG"]), Path(os.environ["SLOW_ANALYSIS_RELEASE"])
    )
    from workshop.cli import main as cli

    return cli(["serve"])


if __name__ == "__main__":
    sys.exit(main())
