"""How long the start page takes on a gevent server while heavy work holds the offload pool.

`python bench/heavy_work.py`: starts `workshop serve` (gevent) whose analysis keeps the CPU busy
in pure Python until released (tests/support/slow_analysis.py), asks one workshop's results so
that the analysis occupies the pool, then times ten loads of the start page.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.support.config import ADMIN_KEY  # noqa: E402
from tests.support.servers import call_api, held_analysis_server  # noqa: E402


def main() -> int:
    """Print the start page's median and slowest time with the pool held and without."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loads", type=int, default=10, help="start-page loads timed (10)")
    args = parser.parse_args()
    for held in (0, 1):
        with tempfile.TemporaryDirectory() as folder:
            print(measure(Path(folder), held, args.loads))
    return 0


def measure(folder: Path, held: int, loads: int) -> str:
    """Start a server, hold `held` analyses in its pool and time the start page."""
    with held_analysis_server(folder) as (server, log, _):
        for _ in range(held):
            created = call_api(server.url, "POST", "/workshops", ADMIN_KEY, {"title": "Tung"})
            code, key = created["code"], created["facilitator_key"]
            call_api(server.url, "POST", f"/workshops/{code}/step", key, {"position": 2})
            requests.get(
                f"{server.url}/api/v1/workshops/{code}/results",
                headers={"Authorization": f"Bearer {key}"},
                timeout=120,
            )
        while len(log.read_text().splitlines()) < held:
            time.sleep(0.1)
        times = []
        for _ in range(loads):
            start = time.perf_counter()
            requests.get(server.url + "/", timeout=120)
            times.append((time.perf_counter() - start) * 1000)
    return (
        f"analyses holding the pool: {held}; start page median {statistics.median(times):.0f} ms,"
        f" slowest {max(times):.0f} ms (n={loads}); each: {', '.join(f'{t:.0f}' for t in times)}"
    )


if __name__ == "__main__":
    sys.exit(main())
