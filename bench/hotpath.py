"""Server cost of the hot path, one request at a time: CPU and wall time per join, socket
connect, GET, proposal and vote, measured in-process (no network, no concurrency).

    .venv/bin/python bench/hotpath.py [--source DIR] [--phones 300] [--proposals 200]

On a shared machine the load benchmark's latencies mostly measure the other programs; the CPU
a request costs the server hardly depends on them. This script drives the real app (threading
mode, a SQLite file with the real durability settings, Flask's test client and Flask-SocketIO's
test client, so the connect handler runs) and reports the median per operation.
`--source` runs another copy of the code, e.g. `git archive <commit> | tar -x -C DIR` (compile
its translations with `pybabel compile -d DIR/workshop/translations`).
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ADMIN_KEY = "hotpath-admin-key"


def measure(label: str, count: int, action: Callable[[int], Any]) -> dict[str, Any]:
    """Run action(i) count times; median CPU and wall milliseconds."""
    cpu: list[float] = []
    wall: list[float] = []
    for index in range(count):
        c0, w0 = time.process_time(), time.perf_counter()
        action(index)
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - w0)
    return {
        "operation": label,
        "n": count,
        "cpu_ms": round(statistics.median(cpu) * 1000, 2),
        "wall_ms": round(statistics.median(wall) * 1000, 2),
    }


def main(argv: list[str] | None = None) -> int:
    """Build an app, play a workshop through it and print the cost per operation."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", help="project folder to import the workshop package from")
    parser.add_argument("--phones", type=int, default=300)
    parser.add_argument("--proposals", type=int, default=200)
    parser.add_argument("--json", metavar="PATH")
    args = parser.parse_args(argv)
    if args.source:
        sys.path.insert(0, str(Path(args.source).resolve()))
    import workshop
    from workshop import create_app
    from workshop.config import Settings
    from workshop.extensions import dispose_app, socketio_of

    data_dir = Path(tempfile.mkdtemp(prefix="planverksted-hotpath-"))
    app = create_app(
        Settings.from_env(
            data_dir=data_dir,
            admin_key=ADMIN_KEY,
            async_mode="threading",
            join_rate_per_minute=10**9,
        )
    )
    client = app.test_client()
    created = client.post(
        "/api/v1/workshops",
        json={"title": "Kostnad per forespørsel"},
        headers={"Authorization": f"Bearer {ADMIN_KEY}"},
    ).get_json()
    code, facilitator = created["code"], created["facilitator_key"]

    def call(method: str, path: str, key: str | None, body: Any = None) -> Any:
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        response = client.open(
            f"/api/v1/workshops/{code}{path}", method=method, json=body, headers=headers
        )
        assert response.status_code < 300, (path, response.status_code, response.get_data())
        return response.get_json()

    keys: list[str] = []
    results = [
        measure(
            "join (POST participants)",
            args.phones,
            lambda i: keys.append(call("POST", "/participants", None, {"name": f"T{i}"})["key"]),
        )
    ]
    call("POST", "/step", facilitator, {"position": 1})
    results.append(
        measure(
            f"proposal (POST proposals, {args.proposals})",
            args.proposals,
            lambda i: call(
                "POST",
                "/proposals",
                keys[i % len(keys)],
                {"title": f"Forslag {i}", "body": "Tekst", "client_key": f"k{i}"},
            ),
        )
    )
    call("POST", "/step", facilitator, {"position": 2})
    socketio = socketio_of(app)
    sockets: list[Any] = []
    results.append(
        measure(
            f"socket connect + snapshot ({args.proposals} proposals)",
            args.phones,
            lambda i: sockets.append(
                socketio.test_client(app, auth={"workshop": code, "key": keys[i]})
            ),
        )
    )
    for socket in sockets:
        socket.disconnect()
    snapshot = call("GET", "", keys[0])
    ids = [p["id"] for p in snapshot["proposals"]]
    results.append(
        measure(
            f"GET workshop (phone, {len(ids)} proposals)",
            args.phones,
            lambda i: call("GET", "", keys[i]),
        )
    )
    rng = random.Random(1)

    def vote(i: int) -> None:
        chosen = rng.sample(ids, 3)
        call(
            "PUT",
            "/votes",
            keys[i],
            {"allocations": {str(chosen[0]): 3, str(chosen[1]): 1, str(chosen[2]): 1}},
        )

    results.append(measure("vote (PUT votes)", args.phones, vote))
    dispose_app(app)
    shutil.rmtree(data_dir, ignore_errors=True)
    width = max(len(r["operation"]) for r in results)
    print(f"code: {Path(workshop.__file__).parent.parent}")
    print(f"{'operation':<{width}}  CPU ms  wall ms  (median)")
    for r in results:
        print(f"{r['operation']:<{width}}  {r['cpu_ms']:6.2f}  {r['wall_ms']:7.2f}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
