"""The benchmark scripts still run against today's code: each offline one at a tiny size (their
figures are docs/benchmarks.md's business, not this test's). Two of them had broken unnoticed when
keys became hashes and the export became a package."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TINY = {
    "export.py": [
        "--participants",
        "6",
        "--proposals",
        "8",
        "--rated",
        "3",
        "--answered",
        "3",
        "--runs",
        "1",
    ],
    "report.py": ["--proposals", "12", "--participants", "6", "--repeat", "1"],
    "archive.py": ["--phones", "6", "--proposals", "8"],
    "comparison.py": [
        "--workshops",
        "2",
        "--proposals",
        "6",
        "--participants",
        "4",
        "--repeat",
        "1",
    ],
    "similarity.py": ["--sizes", "20", "--repeat", "1"],
    "heavy_work.py": ["--loads", "1"],
}


@pytest.mark.parametrize("script", sorted(TINY))
def test_the_benchmark_runs_at_a_tiny_size(script: str, tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), *TINY[script]],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.strip()  # it printed its figures
