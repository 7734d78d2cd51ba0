"""Files only the server's own user may read: the data folder, the database, the kept secrets."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy.engine import make_url

FOLDER_MODE = 0o700
FILE_MODE = 0o600


def private_folder(path: Path) -> Path:
    """Create the folder (and missing parents) as 0700, and tighten it if it exists."""
    path.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    path.chmod(FOLDER_MODE)
    return path


def private_file(path: Path) -> Path:
    """Create an empty file as 0600 if missing, and tighten it if it exists."""
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, FILE_MODE))
    path.chmod(FILE_MODE)
    return path


def write_private_text(path: Path, text: str) -> None:
    """Write a new file that is 0600 from its first byte (never readable by others meanwhile)."""
    descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, FILE_MODE)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(text)


def protect_sqlite_file(url: str) -> None:
    """A SQLite database file made 0600 before SQLite opens it.

    SQLite gives the -wal and -shm files the mode of the database file, so they follow; any
    left from an older start are tightened too.
    """
    parsed = make_url(url)
    if not parsed.drivername.startswith("sqlite") or parsed.database in (None, "", ":memory:"):
        return
    database = Path(parsed.database)
    private_file(database)
    for suffix in ("-wal", "-shm", "-journal"):
        companion = database.with_name(database.name + suffix)
        if companion.exists():
            companion.chmod(FILE_MODE)
