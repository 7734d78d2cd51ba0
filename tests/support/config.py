"""Keys, URLs and settings every test shares."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from workshop import session_plans
from workshop.config import Settings
from workshop.extensions import PLANS_DIR

ADMIN_KEY = "test-admin-key"
PUBLIC_URL = "http://192.0.2.10:5000"
SAMPLE_PROPOSALS = Path(__file__).resolve().parent.parent / "data" / "sample-proposals.csv"
REQUIRE_SERVICES = os.environ.get("WORKSHOP_REQUIRE_SERVICES") == "1"


def skip_or_fail(reason: str) -> None:
    """Skip a test whose service is missing, unless CI demands that it runs."""
    if REQUIRE_SERVICES:
        pytest.fail(f"required but unavailable: {reason}")
    pytest.skip(reason)


def test_settings(tmp_path: Any, **overrides: Any) -> Settings:
    """Settings for a fresh SQLite file in a temporary data folder, with overrides."""
    values: dict[str, Any] = {
        "data_dir": tmp_path / "data",
        "database_url": "",
        "admin_key": ADMIN_KEY,
        "public_url": PUBLIC_URL,
        "message_queue": None,
        "testing": True,
    }
    values.update(overrides)
    return Settings.from_env(**values)


test_settings.__test__ = False  # type: ignore[attr-defined]  # a helper, not a test


def write_plan(folder: Path, name: str, text: str) -> Path:
    """Write a session plan ``name.toml`` into a plans folder."""
    path = folder / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def plans_folder(folder: Path, *, shipped: bool = False, **plans: str) -> Path:
    """A new plans folder: copies of the shipped plans if asked, and plans given as name=TOML."""
    folder.mkdir()
    if shipped:
        for path in session_plans.PLANS_DIR.glob("*.toml"):
            shutil.copy(path, folder)
    for name, text in plans.items():
        write_plan(folder, name, text)
    return folder


@contextmanager
def settings_with_plans(tmp_path: Path, plans: Path) -> Iterator[Settings]:
    """Test settings whose app reads shipped plans from a folder of its own."""
    yield test_settings(tmp_path, plans_dir=plans)


def use_plans(monkeypatch: pytest.MonkeyPatch, app: Flask, folder: Path) -> None:
    """Make the folder the one this app reads shipped plans from (undone afterwards)."""
    monkeypatch.setitem(app.extensions, PLANS_DIR, folder)


def database_bytes(folder: Path) -> bytes:
    """The SQLite file and its write-ahead log, as anyone who copied the folder would read them."""
    return b"".join(p.read_bytes() for p in sorted(folder.glob("planverksted.sqlite3*")))
