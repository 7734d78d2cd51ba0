"""The test suite's own rule (issue 7): helpers live in tests/support, test modules stand alone."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, as dotted names (``from tests import x`` gives tests.x)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def test_no_test_module_imports_another_or_conftest() -> None:
    offending = {
        path.name: sorted(
            name
            for name in imported_modules(path)
            if name == "tests.conftest" or name.startswith(("tests.test_", "tests.conftest."))
        )
        for path in [*TESTS.glob("test_*.py"), *(TESTS / "support").glob("*.py")]
    }
    assert {name: found for name, found in offending.items() if found} == {}


def test_shared_helpers_live_in_the_support_package() -> None:
    loose = sorted(
        path.name
        for path in TESTS.glob("*.py")
        if not path.name.startswith("test_") and path.name not in ("__init__.py", "conftest.py")
    )
    assert loose == [], "put shared helpers in tests/support/"
