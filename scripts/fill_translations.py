"""Fill empty entries of the nn and en catalogues from a small JSON file of translations.

Usage: .venv/bin/python scripts/fill_translations.py translations.json
where the JSON is {"<bokmål msgid>": {"nn": "...", "en": "..."}}; plural entries take a list
of two strings per language. Entries that already have a translation are left alone.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

CATALOGUES = Path(__file__).resolve().parent.parent / "workshop" / "translations"


def main(path: str) -> int:
    """Fill the catalogues; prints how many entries each language got."""
    wanted = json.loads(Path(path).read_text(encoding="utf-8"))
    for language in ("nn", "en"):
        po_path = CATALOGUES / language / "LC_MESSAGES" / "messages.po"
        with po_path.open("rb") as handle:
            catalogue = read_po(handle)
        filled = 0
        for message in catalogue:
            key = message.id[0] if isinstance(message.id, tuple) else message.id
            if key in wanted and language in wanted[key]:
                empty = not message.string or (
                    isinstance(message.string, tuple) and not all(message.string)
                )
                if empty or message.fuzzy:
                    value = wanted[key][language]
                    message.string = tuple(value) if isinstance(value, list) else value
                    message.flags.discard("fuzzy")
                    filled += 1
        with po_path.open("wb") as handle:
            write_po(handle, catalogue)
        print(f"{language}: {filled} filled")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
