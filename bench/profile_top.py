"""Summarise a py-spy speedscope profile: the functions most samples were inside.

    .venv/bin/python bench/profile_top.py profile.json [--top 25] [--grep workshop/]

Prints, per function, the share of samples in which it was on the stack (inclusive) and the
share in which it was the innermost frame (self). Idle samples (gevent's hub waiting in
epoll) are counted apart, so the shares are of the time the server was busy.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

IDLE = ("select", "poll", "epoll", "wait", "_recv", "recv_into", "sleep")


def main(argv: list[str] | None = None) -> int:
    """Print the top frames of one speedscope file."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--grep", default="", help="only frames whose file contains this")
    args = parser.parse_args(argv)
    data = json.loads(Path(args.path).read_text())
    frames = data["shared"]["frames"]
    inclusive: Counter[int] = Counter()
    own: Counter[int] = Counter()
    busy = idle = 0
    for profile in data["profiles"]:
        for stack, weight in zip(profile["samples"], profile["weights"], strict=True):
            if not stack:
                continue
            innermost = frames[stack[-1]]
            if innermost["name"] in IDLE and "gevent" in (innermost.get("file") or ""):
                idle += weight
                continue
            busy += weight
            own[stack[-1]] += weight
            for index in set(stack):
                inclusive[index] += weight
    total = max(busy, 1)
    print(f"busy samples {busy}, idle samples {idle}")
    print(f"{'incl':>6} {'self':>6}  function (file:line)")
    shown = 0
    for index, weight in inclusive.most_common():
        frame = frames[index]
        where = f"{frame.get('file', '?')}:{frame.get('line', '?')}"
        if args.grep and args.grep not in where:
            continue
        print(f"{weight / total:6.1%} {own[index] / total:6.1%}  {frame['name']} ({where})")
        shown += 1
        if shown >= args.top:
            break
    return 0


if __name__ == "__main__":
    sys.exit(main())
