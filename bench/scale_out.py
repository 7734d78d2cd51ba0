"""Scale-out load test: two `planverksted serve` processes on PostgreSQL + Redis behind nginx.

    .venv/bin/python bench/scale_out.py --phones 2000 --vote-window 10   # any bench/load.py option

Creates a schema `pv_bench_<random>` in the local PostgreSQL (database `test`, so the tests'
data is untouched; dropped at the end), starts two server processes one after the other (the
first creates the tables) with `WORKSHOP_DATABASE_URL` on that schema and
`WORKSHOP_MESSAGE_QUEUE` on the local Redis, starts nginx with bench/nginx.conf (sticky by
cookie, WebSocket upgrade) on a free port, and runs bench/load.py's scenario against nginx:
the phones' requests and sockets are spread over both processes, the projector's socket sits
on one of them. Server CPU and memory are the sum (peak: the larger) of both processes.
Needs nginx (`apt-get install nginx-light`, see scripts/system-deps.sh bench).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import load
from sqlalchemy import create_engine, text

BENCH = Path(__file__).resolve().parent
POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
REDIS = "redis://127.0.0.1:6379/0"


class Nginx:
    """nginx from the template, in a temporary folder, in the foreground of its own process."""

    def __init__(self, upstreams: list[str]) -> None:
        self.port = load.free_port()
        self.prefix = tempfile.mkdtemp(prefix="planverksted-nginx-")
        os.chmod(self.prefix, 0o755)  # nginx's workers run as an unprivileged user
        config = (BENCH / "nginx.conf").read_text()
        for token, value in {
            "@PREFIX@": self.prefix,
            "@SERVER_A@": upstreams[0],
            "@SERVER_B@": upstreams[1],
            "@LISTEN@": f"127.0.0.1:{self.port}",
        }.items():
            config = config.replace(token, value)
        self.config = Path(self.prefix) / "nginx.conf"
        self.config.write_text(config)
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Start nginx and wait until it forwards to the API."""
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        if not Path(nginx).exists():
            raise load.BenchError("nginx is not installed: apt-get install -y nginx-light")
        self.process = subprocess.Popen(
            [nginx, "-p", self.prefix, "-c", str(self.config), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        url = f"http://127.0.0.1:{self.port}/api/v1/openapi.json"
        if not load.wait_until(lambda: _answers(url), 20, poll=0.2):
            raise load.BenchError(f"nginx did not answer: {self.log_tail()}")

    def log_tail(self) -> str:
        """The end of nginx's error log."""
        with contextlib.suppress(OSError):
            return "\n".join((Path(self.prefix) / "error.log").read_text().splitlines()[-10:])
        return ""

    def stop(self) -> None:
        """Quit nginx (SIGQUIT, then SIGKILL) and remove its folder."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        shutil.rmtree(self.prefix, ignore_errors=True)


def _answers(url: str) -> bool:
    try:
        return load.requests.get(url, timeout=2).ok
    except load.requests.RequestException:
        return False


def main(argv: list[str] | None = None) -> int:
    """Set up PostgreSQL, Redis, two servers and nginx; run the load test; tear down."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], add_help=False)
    parser.add_argument("--postgres", default=POSTGRES, help=f"database URL ({POSTGRES})")
    parser.add_argument("--redis", default=REDIS, help=f"message queue URL ({REDIS})")
    ours, rest = parser.parse_known_args(argv)
    args = load.parse_args(rest)
    schema = f"pv_bench_{secrets.token_hex(4)}"
    engine = create_engine(ours.postgres)
    with engine.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    shared = {
        "WORKSHOP_DATABASE_URL": f"{ours.postgres}?options=-csearch_path%3D{schema}",
        "WORKSHOP_MESSAGE_QUEUE": ours.redis,
    }
    join_rate = max(100_000, args.phones * 10)
    servers = [
        load.OwnServer("serve", load.DEFAULT_ADMIN_KEY, join_rate, extra_env=shared)
        for _ in range(2)
    ]
    nginx: Nginx | None = None
    test: load.LoadTest | None = None
    watchdog = threading.Timer(args.timeout, lambda: os._exit(3))
    watchdog.daemon = True
    watchdog.start()
    started = time.perf_counter()
    machine_before, client_before = load.machine_cpu(), load.process_cpu()
    code = 2
    try:
        for server in servers:
            print(f"bench: starting server on {server.url}", file=sys.stderr, flush=True)
            server.start()
        nginx = Nginx([server.url.removeprefix("http://") for server in servers])
        nginx.start()
        base = f"http://127.0.0.1:{nginx.port}"
        print(f"bench: nginx on {base}", file=sys.stderr, flush=True)
        pids = [s.process.pid for s in servers if s.process is not None]
        test = load.LoadTest(args, base, load.DEFAULT_ADMIN_KEY, server_pids=pids)
        profiler = load.start_profiler(args.profile, pids[0] if pids else None)
        try:
            results = test.run()
        finally:
            load.stop_profiler(profiler)
        test.close()
        test = None
        results.update(_other_load(machine_before, client_before, results, pids))
        for index, server in enumerate(servers):
            results.setdefault("server_outputs", []).append(load.server_problems(server.log_text()))
            if results["server_outputs"][index].get("unexplained_tracebacks"):
                results["ok"] = False
        results["server_output"] = results["server_outputs"][0]
        results.update(
            phones=args.phones,
            async_mode="serve ×2 (gevent) + PostgreSQL + Redis + nginx",
            phone_client=args.phone_client,
            server="nginx",
            url=base,
            source=load.source_info(load.ROOT),
            machine=load.machine_info(),
            vote_window_s=args.vote_window,
            replace_share=args.replace,
            seed=args.seed,
            proposers=min(args.proposers, args.phones),
            wall_s=round(time.perf_counter() - started, 1),
        )
        print(load.report(results))
        print(load.markdown_row(results))
        if args.json:
            Path(args.json).write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
        code = 0 if results.get("ok") else 1
    except load.BenchError as exc:
        print(f"bench: {exc}", file=sys.stderr, flush=True)
    finally:
        if test is not None:
            test.close()
        if nginx is not None:
            nginx.stop()
        for server in servers:
            server.stop()
            server.cleanup()
        with engine.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()
        watchdog.cancel()
    return code


def _other_load(
    machine_before: dict[str, float],
    client_before: tuple[float, float],
    results: dict[str, Any],
    pids: list[int],
) -> dict[str, Any]:
    """CPU that neither the bench, the phones nor the servers used (nginx, Redis, PostgreSQL
    and other programs)."""
    machine_after, client_after = load.machine_cpu(), load.process_cpu()
    elapsed = max(machine_after["all"] - machine_before["all"], 1e-9)
    foreign = machine_after["user"] - machine_before["user"]
    foreign -= client_after[0] - client_before[0]
    foreign -= sum(load.process_cpu(pid)[0] for pid in pids)
    foreign -= results.get("node_phones_cpu_s", 0.0)
    kernel = machine_after["kernel"] - machine_before["kernel"]
    return {
        "other_load": {
            "cpu_s": round(max(0.0, foreign), 1),
            "share": round(max(0.0, foreign) / elapsed, 3),
            "kernel_share": round(kernel / elapsed, 3),
            "includes_server": False,
        }
    }


if __name__ == "__main__":
    exit_code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(exit_code)
