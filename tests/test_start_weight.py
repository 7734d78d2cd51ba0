"""A server running a hall loads the export and report libraries only when a file is asked for:
pandas, openpyxl, XlsxWriter, WeasyPrint and python-docx hold ~150 MB (docs/benchmarks.md)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HEAVY = ("pandas", "openpyxl", "xlsxwriter", "weasyprint", "docx")
PROBE = """
import sys
from workshop import create_app
from workshop.config import Settings
app = create_app(Settings.from_env())
app.test_client().get("/")  # the start of a hall: the landing page answers
print(",".join(m for m in {heavy!r} if m in sys.modules))
"""


def test_a_started_server_has_not_loaded_the_export_libraries(tmp_path: Path) -> None:
    probe = subprocess.run(
        [sys.executable, "-c", PROBE.format(heavy=HEAVY)],
        capture_output=True,
        text=True,
        timeout=120,
        env={"WORKSHOP_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"},
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert probe.returncode == 0, probe.stderr
    assert probe.stdout.strip() == ""
