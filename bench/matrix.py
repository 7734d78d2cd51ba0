"""Run bench/load.py for several async modes and phone counts and print a Markdown table.

    .venv/bin/python bench/matrix.py --modes threading gevent-nodelay --phones 200 500 --repeat 3

Each run starts its own server (see load.py). A cell shows the median over the repeats of
each statistic (p50 / p95 / max, in ms); lost dots and missed events are summed over all runs.
The raw results of every run are written as JSON into --out (default: a temporary folder).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent

COLUMNS = [
    ("vote ack", "vote_ack"),
    ("vote → projector", "vote_tally"),
    ("PUT sent → projector", "vote_end_to_end"),
    ("replacement ack", "replace_ack"),
    ("proposal (HTTP)", "proposal"),
    ("join (HTTP)", "join"),
    ("step_changed → phones", "step_delivery"),
    ("socket connect", "socket_connect"),
]


def median_cell(runs: list[dict[str, Any]], key: str) -> str:
    """'p50 / p95 / max' with each the median over the runs."""
    stats = [r[key] for r in runs if r.get(key, {}).get("n")]
    if not stats:
        return "–"
    parts = [statistics.median(s[f"{name}_ms"] for s in stats) for name in ("p50", "p95", "max")]
    return " / ".join(f"{value:.0f}" for value in parts)


def lost_and_missed(r: dict[str, Any]) -> tuple[int, int]:
    """Dots lost anywhere, events missed anywhere, in one run."""
    lost = (r.get("lost_dots_projector") or 0) + (r.get("lost_dots_results") or 0)
    missed = (
        sum(r.get("step_changed_missed", {}).values())
        + r.get("sockets_failed", 0)
        + r.get("proposal_added_missed", 0)
        + r.get("progress_stale", 0)
    )
    return lost, missed


def busy_share(seconds: float = 2.0) -> float:
    """How busy the machine's CPUs are over a short sample (0..1), from /proc/stat."""

    def sample() -> tuple[int, int]:
        fields = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
        idle = fields[3] + fields[4]
        return sum(fields) - idle, sum(fields)

    try:
        busy1, total1 = sample()
        time.sleep(seconds)
        busy2, total2 = sample()
    except (OSError, ValueError, IndexError):
        return 0.0
    return (busy2 - busy1) / max(total2 - total1, 1)


def wait_for_quiet(threshold: float, limit: float) -> float:
    """Wait (at most `limit` seconds) until other work leaves the CPUs nearly idle."""
    deadline = time.monotonic() + limit
    share = busy_share()
    while share > threshold and time.monotonic() < deadline:
        print(f"  machine {share:.0%} busy, waiting", file=sys.stderr, flush=True)
        time.sleep(5)
        share = busy_share()
    return share


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--modes", nargs="+", default=["threading", "gevent", "gevent-nodelay"])
    parser.add_argument("--phones", nargs="+", type=int, default=[200, 500])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", help="folder for the JSON of every run")
    parser.add_argument(
        "--quiet-below",
        type=float,
        default=0.15,
        help="before each run wait until the CPUs are less busy than this (0.15)",
    )
    parser.add_argument(
        "--quiet-wait", type=float, default=120, help="but wait at most this many seconds (120)"
    )
    parser.add_argument(
        "extra",
        nargs=argparse.REMAINDER,
        help="after --: more options for load.py, e.g. -- --vote-window 10",
    )
    args = parser.parse_args(argv)
    out = Path(args.out or tempfile.mkdtemp(prefix="planverksted-matrix-"))
    out.mkdir(parents=True, exist_ok=True)
    extra = [a for a in args.extra if a != "--"]
    runs: dict[tuple[str, int], list[dict[str, Any]]] = {}
    # Repeats outermost, so that a busy spell on the machine hits every mode alike.
    for attempt in range(1, args.repeat + 1):
        for phones in args.phones:
            for mode in args.modes:
                path = out / f"{mode}-{phones}-{attempt}.json"
                command = [
                    sys.executable,
                    str(HERE / "load.py"),
                    "--phones",
                    str(phones),
                    "--mode",
                    mode,
                    "--json",
                    str(path),
                    "--quiet",
                    *extra,
                ]
                quiet = wait_for_quiet(args.quiet_below, args.quiet_wait)
                started = time.monotonic()
                done = subprocess.run(command, capture_output=True, text=True, timeout=420)
                print(
                    f"{mode} {phones} #{attempt}: exit {done.returncode} in "
                    f"{time.monotonic() - started:.0f} s (machine {quiet:.0%} busy before)",
                    file=sys.stderr,
                    flush=True,
                )
                if path.exists():
                    runs.setdefault((mode, phones), []).append(json.loads(path.read_text()))
                else:
                    print(done.stdout[-2000:], done.stderr[-2000:], file=sys.stderr)
    rows = []
    for phones in args.phones:
        for mode in args.modes:
            found = runs.get((mode, phones))
            if not found:
                continue
            lost = sum(lost_and_missed(r)[0] for r in found)
            missed = sum(lost_and_missed(r)[1] for r in found)
            cells = [median_cell(found, key) for _title, key in COLUMNS]
            cpu = statistics.median(
                sum(ph["server_cpu_s"] or 0 for ph in r["phases"]) for r in found
            )
            rss = statistics.median(r.get("server_peak_rss_mib") or 0 for r in found)
            other = statistics.median(r.get("other_load", {}).get("share", 0) for r in found)
            rows.append(
                f"| {mode} | {phones} | {len(found)} | "
                + " | ".join(cells)
                + f" | {cpu:.1f} | {rss:.0f} | {lost} | {missed} | {other:.0%} |"
            )
    header = (
        "| mode | phones | runs | "
        + " | ".join(t for t, _k in COLUMNS)
        + " | server CPU s | server RSS MiB | lost | missed | other load |"
    )
    print(header)
    print("|" + "---|" * (header.count("|") - 1))
    print("\n".join(rows))
    print(f"\nraw results: {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
