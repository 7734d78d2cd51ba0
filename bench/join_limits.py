"""How long one join-limit check takes with many addresses counted, in memory and in Redis.

`python bench/join_limits.py [--redis redis://127.0.0.1:6379/0]`: counts a wrong code from each
of 10,000 addresses, then times checks (the guess test and a workshop join count). Figures in
docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from workshop import create_app
from workshop.config import Settings
from workshop.extensions import dispose_app
from workshop.web.limits import join_limits

ADDRESSES = 10_000


def measure(message_queue: str | None) -> dict[str, float]:
    """Median and 99th percentile of one check, in microseconds."""
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings.from_env(
            data_dir=Path(folder),
            database_url=f"sqlite:///{folder}/bench-{time.time_ns()}.sqlite3",
            admin_key="bench",
            message_queue=message_queue,
            join_rate_per_minute=10**9,
            wrong_code_rate_per_minute=10**9,
        )
        app = create_app(settings)
        try:
            with app.test_request_context():
                limits = join_limits()
                for n in range(ADDRESSES):
                    limits.count_wrong_code(f"10.{n // 65536}.{n // 256 % 256}.{n % 256}")
                timings = []
                for n in range(2_000):
                    start = time.perf_counter()
                    limits.check_guesses(f"10.0.{n // 256 % 256}.{n % 256}")
                    limits.count_join("K7M2QX")
                    timings.append((time.perf_counter() - start) * 1e6)
        finally:
            dispose_app(app)
    timings.sort()
    return {"median_us": statistics.median(timings), "p99_us": timings[int(len(timings) * 0.99)]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--redis", default=None, help="also measure this Redis URL")
    args = parser.parse_args()
    print("memory", measure(None))
    if args.redis:
        print("redis ", measure(args.redis))


if __name__ == "__main__":
    main()
