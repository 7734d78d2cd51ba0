"""The command line run as a real process on a test app's data folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.support.config import ADMIN_KEY
from workshop.config import Settings

ROOT = Path(__file__).resolve().parent.parent.parent


def run_cli(
    settings: Settings, *args: str, cwd: Path | None = None, **extra_env: str
) -> subprocess.CompletedProcess:
    """python -m workshop ARGS on the same data folder as the test's app."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("WORKSHOP_")}
    env.update(
        WORKSHOP_DATA_DIR=str(settings.data_dir),
        WORKSHOP_ADMIN_KEY=ADMIN_KEY,
        PYTHONPATH=str(ROOT),
        **extra_env,
    )
    return subprocess.run(
        [sys.executable, "-m", "workshop", *args],
        env=env,
        cwd=cwd or ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
