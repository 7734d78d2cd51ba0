"""python -m workshop → the command line; `serve` runs on gevent unless told otherwise."""

from __future__ import annotations

import os
import sys


def run() -> int:
    """Entry point of `planverksted` and `python -m workshop`."""
    if sys.argv[1:2] == ["serve"] and os.environ.get("WORKSHOP_ASYNC_MODE", "gevent") == "gevent":
        # gevent must patch the standard library before anything else imports it.
        from gevent import monkey

        monkey.patch_all()
    from workshop.cli import main

    return main()


if __name__ == "__main__":
    raise SystemExit(run())
