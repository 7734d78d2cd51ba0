"""Merge suggestions benchmark: how long `similar_groups` takes for 200 … 2,000 proposals.

    .venv/bin/python bench/similarity.py                   # 200 400 1000 2000, best of 3
    .venv/bin/python bench/similarity.py --sizes 2000 5000 --repeat 1

The proposals (tests/support/corpus.py) are realistic Norwegian titles and bodies: the shared
sample proposals rewritten the ways people write the same idea (inflection, word order, a
prefix, a municipality's name, punctuation), mixed with new titles built from the planning
vocabulary, so that a workshop of N proposals holds both true near-duplicates and
many proposals that only share a word or two. Fixed seed: every run compares the same texts.
Pure CPU: no server, no database. Figures go to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.corpus import realistic_proposals  # noqa: E402
from workshop.similarity import DEFAULT_THRESHOLD, similar_groups  # noqa: E402


def measure(count: int, repeat: int) -> tuple[float, float, int, int]:
    """Best and median seconds of similar_groups over `repeat` runs, groups, grouped ids."""
    texts = realistic_proposals(count)
    times = []
    groups = []
    for _ in range(repeat):
        started = time.perf_counter()
        groups = similar_groups(texts, DEFAULT_THRESHOLD)
        times.append(time.perf_counter() - started)
    grouped = sum(len(g.ids) for g in groups)
    return min(times), statistics.median(times), len(groups), grouped


def main() -> int:
    """Print one line per size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 400, 1000, 2000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"{'proposals':>9}  {'best s':>7}  {'median s':>8}  {'groups':>6}  {'in groups':>9}")
    for count in args.sizes:
        best, median, groups, grouped = measure(count, args.repeat)
        print(f"{count:>9}  {best:>7.3f}  {median:>8.3f}  {groups:>6}  {grouped:>9}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
