"""Load test: N simulated phones join, propose and dot-vote while a projector watches the tally.

    .venv/bin/python bench/load.py                      # 200 phones, own server (threading)
    .venv/bin/python bench/load.py --phones 500 --mode gevent
    .venv/bin/python bench/load.py --url http://127.0.0.1:5000 --admin-key KEY

Without --url it starts its own server in a subprocess (`python -m workshop serve`, or
bench/serve_gevent.py for --mode gevent) on a free port with a temporary data folder, and stops
it at the end. It only ever talks to 127.0.0.1 and every wait is bounded (--timeout overall).

Flow: create a workshop (admin key) → projector socket → N phones join (HTTP) and connect a
Socket.IO client each → collect step → every phone submits a proposal (client_key) → vote step
→ every phone reads the proposals and PUTs 5 dots → a share of the phones replace their
allocation once → results step (reveal) → compare the projector's last tally, the results
endpoint and the sum of all acknowledged allocations.

Reported: HTTP round-trips (join, proposal, vote ack), vote → projector tally delay, step_changed
delivery to phones, lost updates and missed events, errors in the server's output. The exit
code is 0 when nothing was lost or missed, 1 otherwise, 2 on a setup failure, 3 on timeout.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import ipaddress
import json
import math
import os
import platform
import queue
import random
import re
import selectors
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import requests
import socketio
import websocket

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_ADMIN_KEY = "bench-admin-key"
STEP_COLLECT, STEP_VOTE, STEP_RESULTS = 1, 2, 3
# Connect and read timeouts: patient, like a phone's browser, so that slowness shows as latency.
HTTP_TIMEOUT = (15, 60)
now = time.perf_counter


class BenchError(Exception):
    """A step of the benchmark could not be carried out."""


# --------------------------------------------------------------------------- small helpers


def percentile(values: list[float], pct: float) -> float | None:
    """Nearest-rank percentile; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def summary(values: list[float]) -> dict[str, Any]:
    """Count, p50, p95 and max in milliseconds."""

    def ms(value: float | None) -> float | None:
        return None if value is None else round(value * 1000, 1)

    return {
        "n": len(values),
        "p50_ms": ms(percentile(values, 50)),
        "p95_ms": ms(percentile(values, 95)),
        "max_ms": ms(max(values) if values else None),
    }


def fmt_summary(stats: dict[str, Any]) -> str:
    """'p50 12.3 / p95 45.6 / max 78.9 ms (n=200)'."""
    if not stats["n"]:
        return "no samples"
    return (
        f"p50 {stats['p50_ms']:.1f} / p95 {stats['p95_ms']:.1f} / "
        f"max {stats['max_ms']:.1f} ms (n={stats['n']})"
    )


def parallel(fn: Callable[[Any], Any], items: list[Any], workers: int, timeout: float) -> list[Any]:
    """Run fn over items on daemon threads; exceptions and unfinished items come back as
    exceptions, so a stuck call can neither hang the run nor keep the process alive."""
    results: list[Any] = [TimeoutError("not finished in time")] * len(items)
    todo: queue.Queue[int] = queue.Queue()
    for index in range(len(items)):
        todo.put(index)

    def worker() -> None:
        while True:
            try:
                index = todo.get_nowait()
            except queue.Empty:
                return
            try:
                results[index] = fn(items[index])
            except Exception as exc:  # reported by the caller
                results[index] = exc

    count = max(1, min(workers, len(items)))
    threads = [threading.Thread(target=worker, daemon=True) for _ in range(count)]
    for thread in threads:
        thread.start()
    deadline = now() + timeout
    for thread in threads:
        thread.join(max(0.0, deadline - now()))
    return results


def wait_until(predicate: Callable[[], bool], timeout: float, poll: float = 0.01) -> bool:
    """Poll until the predicate holds or the timeout passes."""
    deadline = now() + timeout
    while now() < deadline:
        if predicate():
            return True
        time.sleep(poll)
    return predicate()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def check_loopback(url: str) -> str:
    """Refuse any server that is not on this machine."""
    parsed = urlparse(url)
    host = parsed.hostname or ""
    if parsed.scheme not in ("http", "https") or not host:
        raise BenchError(f"--url must look like http://127.0.0.1:5000, not {url!r}")
    loopback = host == "localhost"
    if not loopback:
        try:
            loopback = ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = False
    if not loopback:
        raise BenchError(f"refusing to load {host}: only 127.0.0.1/localhost/::1 are allowed")
    return url.rstrip("/")


def source_info(source: Path) -> str:
    """Which code the server ran: the commit (and whether workshop/ had edits), or the path."""
    try:
        commit = subprocess.run(
            ["git", "-C", str(source), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(source), "status", "--porcelain", "--", "workshop"],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return str(source)
    return f"{commit}{' + uncommitted changes in workshop/' if dirty else ''} ({source})"


def machine_cpu() -> dict[str, float]:
    """CPU seconds of the whole machine so far by kind (user, kernel, all), from /proc/stat."""
    try:
        fields = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    except (OSError, ValueError, IndexError):
        return {"user": 0.0, "kernel": 0.0, "all": 0.0}
    tick = os.sysconf("SC_CLK_TCK")
    user, nice, system, idle, iowait, irq, softirq = (fields + [0] * 7)[:7]
    steal = fields[7] if len(fields) > 7 else 0
    return {
        "user": (user + nice) / tick,
        "kernel": (system + irq + softirq + steal) / tick,
        "all": sum(fields[:8]) / tick,
    }


def process_cpu(pid: int | str = "self") -> tuple[float, float]:
    """(user, system) CPU seconds of a process and all its threads, from /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0, 0.0
    tick = os.sysconf("SC_CLK_TCK")
    return int(fields[11]) / tick, int(fields[12]) / tick


def machine_info() -> dict[str, Any]:
    """nproc, CPU model, RAM and Python of the machine running the benchmark."""
    cpu = platform.processor() or "unknown"
    ram_gib: float | None = None
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram_gib = round(int(line.split()[1]) / 1024 / 1024, 1)
                break
    except OSError:
        pass
    try:
        nproc = len(os.sched_getaffinity(0))
    except AttributeError:
        nproc = os.cpu_count() or 0
    return {
        "nproc": nproc,
        "cpu": cpu,
        "ram_gib": ram_gib,
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


# --------------------------------------------------------------------------- the server


class OwnServer:
    """The server this benchmark starts in a subprocess and stops again."""

    def __init__(
        self,
        mode: str,
        admin_key: str,
        join_rate: int,
        source: Path = ROOT,
        extra_env: dict[str, str] | None = None,
    ) -> None:
        self.extra_env = extra_env or {}
        self.mode = mode
        self.source = source
        self.admin_key = admin_key
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.data_dir = tempfile.mkdtemp(prefix="planverksted-bench-")
        self.log_path = Path(self.data_dir) / "server.log"
        self.join_rate = join_rate
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 60) -> None:
        """Start the server and wait until the API answers."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("WORKSHOP_")}
        env.update(
            WORKSHOP_HOST="127.0.0.1",
            WORKSHOP_PORT=str(self.port),
            WORKSHOP_DATA_DIR=self.data_dir,
            WORKSHOP_ADMIN_KEY=self.admin_key,
            WORKSHOP_JOIN_RATE_PER_MINUTE=str(self.join_rate),
            WORKSHOP_ASYNC_MODE="threading" if self.mode == "threading" else "gevent",
            PYTHONUNBUFFERED="1",
        )
        env.update(self.extra_env)
        if self.source != ROOT:
            env["PYTHONPATH"] = os.pathsep.join(
                filter(None, [str(self.source), os.environ.get("PYTHONPATH")])
            )
        if self.mode.startswith("gevent"):
            command = [sys.executable, str(ROOT / "bench" / "serve_gevent.py")]
            if self.mode == "gevent-nodelay":
                command.append("--nodelay")
        else:  # serve (what `make run` runs: gevent) or threading
            command = [sys.executable, "-m", "workshop", "serve"]
        log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            command,
            cwd=self.source,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        log.close()
        deadline = now() + timeout
        while now() < deadline:
            if self.process.poll() is not None:
                raise BenchError(
                    f"server exited with {self.process.returncode}:\n{self.log_tail()}"
                )
            try:
                if requests.get(f"{self.url}/api/v1/openapi.json", timeout=2).ok:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise BenchError(f"server did not answer within {timeout:.0f} s:\n{self.log_tail()}")

    def stop(self) -> None:
        """Ctrl+C, then SIGTERM, then SIGKILL — each to this one process only."""
        process = self.process
        if process is None or process.poll() is not None:
            return
        for sig, grace in ((signal.SIGINT, 10), (signal.SIGTERM, 5), (signal.SIGKILL, 5)):
            try:
                process.send_signal(sig)
                process.wait(grace)
                return
            except subprocess.TimeoutExpired:
                continue
            except ProcessLookupError:
                return

    def cleanup(self) -> None:
        """Remove the temporary data folder (database and log)."""
        shutil.rmtree(self.data_dir, ignore_errors=True)

    def log_text(self) -> str:
        """Everything the server printed."""
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""

    def log_tail(self, lines: int = 30) -> str:
        """The end of the server's output."""
        return "\n".join(self.log_text().splitlines()[-lines:])


KNOWN_NOISE = {
    # gevent's pywsgi + simple-websocket: after a WebSocket session ends, pywsgi reads the
    # client's WebSocket close frame (0x88 …) as if it were the next HTTP request line.
    "ws_close_frame_read_as_http": re.compile(r"Invalid HTTP method: '\\x88"),
}


def server_problems(log: str) -> dict[str, Any]:
    """Tracebacks and error lines in the server's output (read before it is stopped)."""
    blocks = re.split(r"(?=^Traceback \(most recent call last\))", log, flags=re.MULTILINE)
    noise: dict[str, int] = {}
    unexplained: list[str] = []
    for block in blocks[1:]:
        for name, pattern in KNOWN_NOISE.items():
            if pattern.search(block):
                noise[name] = noise.get(name, 0) + 1
                break
        else:
            # The exception is the last unindented line before the next log record.
            lines = []
            for line in block.splitlines()[1:]:
                if line.startswith("["):
                    break
                if line and not line[0].isspace():
                    lines.append(line)
            unexplained.append(lines[-1][:300] if lines else block[:300])
    error_lines = [
        line
        for line in log.splitlines()
        if re.search(r"\b(ERROR|CRITICAL|Exception|Error)\b", line)
        and "development server" not in line
    ]
    return {
        "tracebacks": len(blocks) - 1,
        "unexplained_tracebacks": len(unexplained),
        "first_unexplained": unexplained[:5],
        "known_noise": noise,
        "error_lines": len(error_lines),
        "first_errors": error_lines[:5],
    }


# --------------------------------------------------------------------------- clients


class Http:
    """JSON calls with one requests.Session per thread; failures come back as status None."""

    def __init__(self, base: str) -> None:
        self.base = base
        self._local = threading.local()

    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = requests.Session()
        return session

    def call(
        self,
        method: str,
        path: str,
        key: str | None = None,
        body: Any = None,
        session: requests.Session | None = None,
    ) -> tuple[int | None, Any, float, float]:
        """(status, parsed body or error text, sent at, answered at). A phone passes its own
        session: like a browser it keeps its connection open between requests."""
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        sent = now()
        try:
            response = (session or self._session()).request(
                method, f"{self.base}{path}", json=body, headers=headers, timeout=HTTP_TIMEOUT
            )
            answered = now()
            try:
                data: Any = response.json()
            except ValueError:
                data = response.text[:200]
            return response.status_code, data, sent, answered
        except requests.RequestException as exc:
            return None, f"{type(exc).__name__}: {exc}", sent, now()


def new_client() -> socketio.Client:
    """A Socket.IO client that reports drops instead of silently reconnecting."""
    return socketio.Client(reconnection=False, logger=False, engineio_logger=False)


class SocketHub:
    """One thread that reads every phone's WebSocket (selectors) and runs their handlers.

    python-socketio's Client starts a new thread for every message it receives, and a
    thread per connection reading it frame by frame; with 200 phones each proposal_added
    becomes 200 threads here, and this process, not the server, sets the pace (both share
    the machine). The hub reads each socket in large chunks and parses the frames itself.
    """

    def __init__(self) -> None:
        self.selector = selectors.DefaultSelector()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def add(self, light: LightSocket) -> None:
        """Start reading a connected socket."""
        assert light.ws is not None
        light.ws.sock.setblocking(False)
        with self._lock:
            self.selector.register(light.ws.sock, selectors.EVENT_READ, light)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, daemon=True)
                self._thread.start()

    def remove(self, light: LightSocket) -> None:
        """Stop reading a socket."""
        with self._lock, contextlib.suppress(KeyError, ValueError):
            self.selector.unregister(light.ws.sock)  # type: ignore[union-attr]

    def stop(self) -> None:
        """End the reader thread (bounded by the select timeout)."""
        self._stop.set()

    def _run(self) -> None:
        while not self._stop.is_set():
            if not self.selector.get_map():
                time.sleep(0.05)
                continue
            ready = self.selector.select(timeout=0.1)
            for key, _events in ready:
                light: LightSocket = key.data
                try:
                    chunk = key.fileobj.recv(262144)  # type: ignore[union-attr]
                except BlockingIOError:
                    continue
                except OSError:
                    chunk = b""
                if not chunk or not light.feed(chunk):
                    self.remove(light)
                    light.closed_by_server()


class LightSocket:
    """A minimal Socket.IO 5 / Engine.IO 4 client for the phones, read by a SocketHub.

    It speaks just what the phones need: the default namespace, auth on connect, events
    without acknowledgements or binary attachments, and pong replies to the server's pings.
    Handlers run in the hub's thread, in the order the messages arrived.
    """

    def __init__(self, hub: SocketHub) -> None:
        self.hub = hub
        self.handlers: dict[str, Callable[..., Any]] = {}
        self.ws: websocket.WebSocket | None = None
        self.connected = False
        self._buffer = bytearray()
        self._fragments: list[bytes] = []

    def on(self, event: str, handler: Callable[..., Any]) -> None:
        """Call handler(data) for this event (or handler() for 'disconnect')."""
        self.handlers[event] = handler

    def connect(
        self, url: str, auth: dict[str, Any], wait_timeout: float = 30, **_ignored: Any
    ) -> None:
        """Open the WebSocket, send the auth, wait for the namespace's CONNECT."""
        ws_url = "ws" + url[len("http") :] + "/socket.io/?EIO=4&transport=websocket"
        ws = websocket.create_connection(ws_url, timeout=wait_timeout, enable_multithread=True)
        early: list[str] = []
        try:
            opening = ws.recv()
            if not isinstance(opening, str) or not opening.startswith("0"):
                raise ConnectionError(f"unexpected Engine.IO opening {opening!r:.80}")
            ws.send("40" + json.dumps(auth))
            deadline = now() + wait_timeout
            while True:
                if now() > deadline:
                    raise TimeoutError("no CONNECT from the server")
                message = ws.recv()
                if message.startswith("40"):
                    break
                if message.startswith("44"):
                    raise ConnectionRefusedError(message[2:200])
                if message == "2":
                    ws.send("3")
                elif message.startswith("42"):
                    early.append(message)
                elif message.startswith(("1", "41")):
                    raise ConnectionError("closed by the server while connecting")
        except BaseException:
            ws.close()
            raise
        self.ws, self.connected = ws, True
        for message in early:
            self._handle(message)
        self.hub.add(self)

    def feed(self, chunk: bytes) -> bool:
        """Parse WebSocket frames from the server; False once the connection is over."""
        buffer = self._buffer
        buffer += chunk
        pos = 0
        alive = True
        while alive and len(buffer) - pos >= 2:
            first, second = buffer[pos], buffer[pos + 1]
            length, head = second & 0x7F, 2
            if length == 126:
                if len(buffer) - pos < 4:
                    break
                length, head = struct.unpack_from(">H", buffer, pos + 2)[0], 4
            elif length == 127:
                if len(buffer) - pos < 10:
                    break
                length, head = struct.unpack_from(">Q", buffer, pos + 2)[0], 10
            mask = b""
            if second & 0x80:  # servers do not mask, but be lenient
                mask, head = bytes(buffer[pos + head : pos + head + 4]), head + 4
            if len(buffer) - pos < head + length:
                break
            payload = bytes(buffer[pos + head : pos + head + length])
            pos += head + length
            if mask:
                payload = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
            alive = self._frame(first & 0x80, first & 0x0F, payload)
        del buffer[:pos]
        return alive

    def _frame(self, fin: int, opcode: int, payload: bytes) -> bool:
        if opcode == 0x8:  # close
            return False
        if opcode == 0x9:  # ping
            assert self.ws is not None
            self.ws.pong(payload)
            return True
        if opcode in (0x0, 0x1, 0x2):
            self._fragments.append(payload)
            if fin:
                message = b"".join(self._fragments).decode("utf-8")
                self._fragments.clear()
                return self._handle(message)
        return True

    def _handle(self, message: str) -> bool:
        """Dispatch one Engine.IO packet; False when the server closed the session."""
        if message == "2":
            assert self.ws is not None
            self.ws.send("3")
        elif message.startswith("42"):
            event, *args = json.loads(message[message.find("[") :])
            handler = self.handlers.get(event)
            if handler is not None:
                handler(*args)
        elif message.startswith(("1", "41")):
            return False
        return True

    def closed_by_server(self) -> None:
        """The hub saw the connection end."""
        was_connected, self.connected = self.connected, False
        if was_connected and "disconnect" in self.handlers:
            self.handlers["disconnect"]()

    def disconnect(self) -> None:
        """Leave the namespace and close the WebSocket."""
        ws, self.connected = self.ws, False
        if ws is not None:
            self.hub.remove(self)
            ws.sock.setblocking(True)
            ws.sock.settimeout(2)
            with contextlib.suppress(Exception):
                ws.send("41")
                ws.close(timeout=2)


@dataclass
class Phone:
    """One simulated phone: its key, its socket and what the socket received."""

    index: int
    key: str | None = None
    participant_id: int | None = None
    sio: socketio.Client | LightSocket | None = None
    connected: bool = False
    connect_error: str | None = None
    disconnects: int = 0
    step_seen: dict[int, float] = field(default_factory=dict)
    step_flags: dict[int, threading.Event] = field(
        default_factory=lambda: {p: threading.Event() for p in (1, 2, 3)}
    )
    proposals_seen: int = 0
    last_proposal_at: float = 0.0
    progress_version: int = 0
    progress_voters: int = 0
    tallies_before_reveal: int = 0
    snapshot_version: int | None = None
    proposal_id: int | None = None
    proposal_acked_at: float = 0.0
    visible_ids: list[int] = field(default_factory=list)
    budget: int = 5
    allocation: dict[str, int] = field(default_factory=dict)
    rng: random.Random = field(default_factory=random.Random)
    http: requests.Session = field(default_factory=requests.Session)

    def attach(self, sio: socketio.Client | LightSocket, revealed: threading.Event) -> None:
        """Install the event handlers on the phone's socket."""
        lock = threading.Lock()

        def on_event(message: Any) -> None:
            received = now()
            if not isinstance(message, dict):
                return
            if message.get("type") in ("proposal_added", "proposals_changed"):
                batch = (message.get("data") or {}).get("proposals")
                with lock:  # phones get new proposals in batches
                    self.proposals_seen += len(batch) if isinstance(batch, list) else 1
                    self.last_proposal_at = max(self.last_proposal_at, received)
            elif message.get("type") == "step_changed":
                position = ((message.get("data") or {}).get("step") or {}).get("position")
                if isinstance(position, int):
                    with lock:
                        self.step_seen.setdefault(position, received)
                    if position in self.step_flags:
                        self.step_flags[position].set()

        def on_progress(message: Any) -> None:
            if isinstance(message, dict):
                with lock:
                    if int(message.get("version") or 0) >= self.progress_version:
                        self.progress_version = int(message.get("version") or 0)
                        self.progress_voters = int(message.get("voters") or 0)

        def on_tally(_message: Any) -> None:
            if not revealed.is_set():
                self.tallies_before_reveal += 1

        def on_snapshot(message: Any) -> None:
            if isinstance(message, dict):
                self.snapshot_version = message.get("version")

        def on_disconnect(*_args: Any) -> None:
            self.disconnects += 1

        sio.on("event", on_event)
        sio.on("progress", on_progress)
        sio.on("tally", on_tally)
        sio.on("snapshot", on_snapshot)
        sio.on("disconnect", on_disconnect)


class NodePhones:
    """All phones in one node process (bench/phones.mjs): the official Socket.IO JavaScript
    client (socket.io-client) and one kept-alive undici connection per phone.

    Commands and answers are JSON lines on the process's stdin and stdout; node stamps its
    times with CLOCK_MONOTONIC, the clock of time.perf_counter() here. Socket events are
    counted in node and copied into the Phone objects by sync()."""

    def __init__(self, base: str, code: str, count: int) -> None:
        script = ROOT / "bench" / "phones.mjs"
        if shutil.which("node") is None:
            raise BenchError("--phone-client node needs node on the PATH")
        if not (ROOT / "bench" / "node_modules" / "socket.io-client").is_dir():
            raise BenchError("--phone-client node needs `cd bench && npm ci` first")
        self.process = subprocess.Popen(
            ["node", "--max-old-space-size=4096", str(script)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            bufsize=1,
            start_new_session=True,
        )
        self._lock = threading.Lock()
        self._next = 0
        self._waiting: dict[int, queue.Queue[dict[str, Any]]] = {}
        threading.Thread(target=self._read, daemon=True).start()
        self.request("init", 30, base=base, code=code, phones=count)

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            try:
                answer = json.loads(line)
            except ValueError:
                continue
            with self._lock:
                waiting = self._waiting.pop(answer.get("id"), None)
            if waiting is not None:
                waiting.put(answer)

    def request(self, op: str, timeout: float, **fields: Any) -> dict[str, Any]:
        """Send one command and wait (bounded) for its answer."""
        answer_box: queue.Queue[dict[str, Any]] = queue.Queue()
        with self._lock:
            self._next += 1
            ident = self._next
            self._waiting[ident] = answer_box
        assert self.process.stdin is not None
        try:
            self.process.stdin.write(json.dumps({"id": ident, "op": op, **fields}) + "\n")
            self.process.stdin.flush()
            answer = answer_box.get(timeout=timeout)
        except (OSError, queue.Empty) as exc:
            raise BenchError(f"node phones did not answer {op!r}: {exc!r}") from exc
        if "error" in answer:
            raise BenchError(f"node phones: {answer['error']}")
        return answer

    def http(
        self, calls: list[dict[str, Any]], concurrency: int, timeout: float
    ) -> list[tuple[int | None, Any, float, float]]:
        """Run HTTP calls of phones concurrently: (status, data, sent, answered) per call."""
        answer = self.request("http", timeout, calls=calls, concurrency=concurrency)
        return [
            (r.get("status"), r.get("data"), r.get("sent", 0.0), r.get("answered", 0.0))
            for r in answer["results"]
        ]

    def connect(self, indices: list[int], concurrency: int, timeout: float) -> list[Any]:
        """Open the phones' sockets, `concurrency` at a time: per phone a latency or an error."""
        return self.request("connect", timeout, phones=indices, concurrency=concurrency)["results"]

    def sync(self, phones: list[Phone]) -> None:
        """Copy what the phones' sockets received into the Phone objects."""
        for phone, seen in zip(phones, self.request("state", 60)["phones"], strict=True):
            phone.connected = bool(seen["connected"])
            phone.step_seen = {int(k): float(v) for k, v in seen["step_seen"].items()}
            phone.proposals_seen = int(seen["proposals_seen"])
            phone.last_proposal_at = float(seen["last_proposal_at"])
            phone.progress_version = int(seen["progress_version"])
            phone.progress_voters = int(seen["progress_voters"])
            phone.tallies_before_reveal = int(seen["tallies_before_reveal"])
            phone.snapshot_version = seen["snapshot_version"]
            phone.disconnects = int(seen["disconnects"])

    def close(self) -> None:
        """Disconnect every phone and end the node process."""
        with contextlib.suppress(BenchError):
            self.request("close", 30)
        with contextlib.suppress(OSError):
            if self.process.stdin is not None:
                self.process.stdin.close()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()


class Projector:
    """The projector's socket: every tally it receives, with the time it arrived."""

    def __init__(self) -> None:
        # Reconnects (and then gets a fresh tally) if its connection drops under load; the
        # drops are counted in projector_disconnects.
        self.sio = socketio.Client(reconnection=True, reconnection_delay=0.2, logger=False)
        self.tallies: list[tuple[float, int, dict[int, int], int]] = []
        self.latest: tuple[float, int, dict[int, int], int] | None = None
        self.step_seen: dict[int, float] = {}
        self.disconnects = 0
        self._lock = threading.Lock()
        self.sio.on("tally", self._on_tally)
        self.sio.on("event", self._on_event)
        self.sio.on("disconnect", self._on_disconnect)

    def _on_tally(self, message: Any) -> None:
        received = now()
        totals = {int(p["id"]): int(p["dots"]) for p in message.get("proposals") or []}
        version, voters = int(message.get("version") or 0), int(message.get("voters") or 0)
        entry = (received, version, totals, voters)
        with self._lock:
            self.tallies.append(entry)
            if self.latest is None or entry[1] >= self.latest[1]:
                self.latest = entry

    def _on_event(self, message: Any) -> None:
        if isinstance(message, dict) and message.get("type") == "step_changed":
            position = ((message.get("data") or {}).get("step") or {}).get("position")
            if isinstance(position, int):
                self.step_seen.setdefault(position, now())

    def _on_disconnect(self, *_args: Any) -> None:
        self.disconnects += 1

    def latest_equals(self, expected: dict[int, int], version: int | None = None) -> bool:
        """Whether the newest tally shows exactly these totals (and this version)."""
        latest = self.latest
        if latest is None:
            return False
        if version is not None and latest[1] != version:
            return False
        return nonzero(latest[2]) == nonzero(expected)

    def first_equal(self, expected: dict[int, int], since: float) -> tuple[float, int] | None:
        """Arrival time and version of the first tally after `since` with exactly these totals."""
        with self._lock:
            tallies = list(self.tallies)
        for received, version, totals, _voters in tallies:
            if received >= since and nonzero(totals) == nonzero(expected):
                return received, version
        return None


def nonzero(totals: dict[int, int]) -> dict[int, int]:
    """Totals without the proposals that have no dots."""
    return {pid: dots for pid, dots in totals.items() if dots}


def random_allocation(rng: random.Random, ids: list[int], budget: int) -> dict[str, int]:
    """Spend the whole budget on 1 to 5 random proposals."""
    chosen = rng.sample(ids, rng.randint(1, min(budget, 5, len(ids))))
    dots = dict.fromkeys(chosen, 1)
    for _ in range(budget - len(chosen)):
        dots[rng.choice(chosen)] += 1
    return {str(pid): count for pid, count in sorted(dots.items())}


def add_into(totals: dict[int, int], allocation: dict[str, int], sign: int = 1) -> None:
    """Add (or with sign=-1 remove) one allocation to running totals."""
    for pid, dots in allocation.items():
        totals[int(pid)] = totals.get(int(pid), 0) + sign * dots


# --------------------------------------------------------------------------- the run


@dataclass
class Vote:
    """One acknowledged (or failed) PUT /votes."""

    phone: int
    allocation: dict[str, int]
    sent: float
    answered: float
    status: int | None
    error: str | None = None


class LoadTest:
    """The whole scenario against one server."""

    def __init__(
        self,
        args: argparse.Namespace,
        base: str,
        admin_key: str,
        server_pids: Iterable[int | None] = (),
    ) -> None:
        self.args = args
        self.server_pids = [pid for pid in server_pids if pid is not None]
        self.base = base
        self.admin_key = admin_key
        self.http = Http(base)
        self.rng = random.Random(args.seed)
        self.revealed = threading.Event()
        self.projector = Projector()
        self.hub = SocketHub()
        self.nodes: NodePhones | None = None
        self._synced = 0.0
        self.phones = [
            Phone(index=i, rng=random.Random(args.seed * 100_003 + i)) for i in range(args.phones)
        ]
        self.code = ""
        self.facilitator_key = ""
        self.projector_key = ""
        self.results: dict[str, Any] = {"errors": {}, "phases": []}
        self.step_sent: dict[int, float] = {}

    # -- bookkeeping
    def error(self, phase: str, detail: Any) -> None:
        """Count a failed call of a phase and keep a few examples."""
        entry = self.results["errors"].setdefault(phase, {"count": 0, "examples": []})
        entry["count"] += 1
        if len(entry["examples"]) < 3:
            entry["examples"].append(str(detail)[:200])

    def log(self, message: str) -> None:
        """Progress on stderr, so stdout stays the report."""
        if not self.args.quiet:
            print(f"[{now() - self.t0:6.1f}s] {message}", file=sys.stderr, flush=True)

    def server_cpu(self) -> float | None:
        """CPU seconds (user + system) the own server(s) have used so far; None when unknown."""
        if not self.server_pids:
            return None
        return sum(sum(process_cpu(pid)) for pid in self.server_pids)

    def _status_fields(self, pid: int) -> dict[str, str]:
        try:
            lines = Path(f"/proc/{pid}/status").read_text().splitlines()
        except OSError:
            return {}
        return dict(line.split(":", 1) for line in lines if ":" in line)

    def server_rss_mib(self) -> float | None:
        """Resident memory of the own server(s) now (MiB, summed), from /proc."""
        fields = [self._status_fields(pid) for pid in self.server_pids]
        if not fields or not all("VmRSS" in f for f in fields):
            return None
        return sum(int(f["VmRSS"].split()[0]) for f in fields) / 1024

    def server_status(self) -> dict[str, Any]:
        """Peak memory (MiB; the largest process) and thread count of the own server(s)."""
        fields = [self._status_fields(pid) for pid in self.server_pids]
        if not fields or not all("VmHWM" in f for f in fields):
            return {}
        peaks = [round(int(f["VmHWM"].split()[0]) / 1024) for f in fields]
        return {
            "server_peak_rss_mib": max(peaks),
            "server_peak_rss_each_mib": peaks,
            "server_threads": sum(int(f["Threads"]) for f in fields),
        }

    # -- phases
    def run(self) -> dict[str, Any]:
        """Every phase in order; returns the results."""
        self.t0 = now()
        phases: list[tuple[str, Callable[[], None]]] = [
            ("create", self.create_workshop),
            ("projector", self.connect_projector),
            ("join", self.join_all),
            ("connect", self.connect_all),
            ("collect step", lambda: self.change_step(STEP_COLLECT)),
            ("proposals", self.submit_all),
            ("vote step", lambda: self.change_step(STEP_VOTE)),
            ("read", self.read_all),
            ("vote", self.vote_round),
        ]
        if self.args.replace > 0:
            phases.append(("replace", self.replace_round))
        phases += [("reveal", self.reveal), ("final checks", self.final_checks)]
        for name, phase in phases:
            wall, server_cpu, client_cpu = now(), self.server_cpu(), time.process_time()
            phase()
            server_used = self.server_cpu()
            self.results["phases"].append(
                {
                    "phase": name,
                    "wall_s": round(now() - wall, 2),
                    "server_cpu_s": None
                    if server_used is None or server_cpu is None
                    else round(server_used - server_cpu, 2),
                    "client_cpu_s": round(time.process_time() - client_cpu, 2),
                }
            )
        self.results["duration_s"] = round(now() - self.t0, 1)
        return self.results

    def create_workshop(self) -> None:
        """POST /api/v1/workshops with the admin key."""
        status, data, _, _ = self.http.call(
            "POST",
            "/api/v1/workshops",
            self.admin_key,
            {
                "title": f"Lasttest {self.args.phones} telefoner",
                "settings": {"votes_per_participant": self.args.dots},
            },
        )
        if status != 201:
            raise BenchError(f"could not create a workshop ({status}): {data}")
        self.code = data["code"]
        self.facilitator_key = data["facilitator_key"]
        self.projector_key = data["projector_key"]
        kinds = [s["kind"] for s in data["steps"]]
        if kinds[:4] != ["info", "collect", "vote", "results"]:
            raise BenchError(f"unexpected session plan steps: {kinds}")
        self.log(f"workshop {self.code} created")

    def connect_projector(self) -> None:
        """The projector's socket, which receives the tallies."""
        try:
            self.projector.sio.connect(
                self.base,
                transports=["websocket"],
                wait_timeout=20,
                auth={"workshop": self.code, "key": self.projector_key},
            )
        except Exception as exc:
            raise BenchError(f"projector socket refused: {exc}") from exc

    def phone_calls(
        self, calls: list[tuple[Phone, str, str, Any, str | None, float | None]], timeout: float
    ) -> list[tuple[int | None, Any, float, float]]:
        """HTTP calls of phones, each (phone, method, path, body, pick, at): on each phone's own
        kept-alive connection, with its key once it has one, not before `at` (perf_counter).
        pick="read" keeps only what a phone needs of GET /workshops/{code}."""
        if self.nodes is not None:
            return self.nodes.http(
                [
                    {
                        "phone": phone.index,
                        "method": method,
                        "path": path,
                        "body": body,
                        "auth": phone.key is not None,
                        "pick": pick,
                        "at": at,
                    }
                    for phone, method, path, body, pick, at in calls
                ],
                self.args.workers,
                timeout,
            )

        def call(
            item: tuple[Phone, str, str, Any, str | None, float | None],
        ) -> tuple[int | None, Any, float, float]:
            phone, method, path, body, pick, at = item
            if at is not None and at > now():
                time.sleep(at - now())
            status, data, sent, answered = self.http.call(
                method, path, phone.key, body, session=phone.http
            )
            if pick == "read" and status == 200:
                data = {
                    "visible_ids": [p["id"] for p in data["proposals"] if p["status"] == "visible"],
                    "budget": data["step"].get("votes_per_participant"),
                }
            return status, data, sent, answered

        outcomes = parallel(call, calls, self.args.workers, timeout)
        return [
            (None, f"{type(o).__name__}: {o}", 0.0, 0.0) if isinstance(o, Exception) else o
            for o in outcomes
        ]

    def refresh(self, force: bool = False) -> None:
        """With node phones: copy their sockets' counts here (at most every 0.2 s unless forced)."""
        if self.nodes is not None and (force or now() - self._synced > 0.2):
            self.nodes.sync(self.phones)
            self._synced = now()

    def join_all(self) -> None:
        """Every phone POSTs /participants."""
        roles = ["Folkevalgt", "Administrasjon", "Innbygger", None]
        if self.args.phone_client == "node":
            self.nodes = NodePhones(self.base, self.code, len(self.phones))
        calls: list[tuple[Phone, str, str, Any, str | None, float | None]] = []
        for phone in self.phones:
            body: dict[str, Any] = {"name": f"Telefon {phone.index}"}
            role = roles[phone.index % len(roles)]
            if role:
                body["role"] = role
            path = f"/api/v1/workshops/{self.code}/participants"
            calls.append((phone, "POST", path, body, "join", None))
        latencies = []
        started = now()
        for phone, (status, data, sent, answered) in zip(
            self.phones, self.phone_calls(calls, 180), strict=True
        ):
            if status != 201:
                self.error("join", f"join {status}: {data}")
                continue
            phone.key, phone.participant_id = data["key"], data["participant_id"]
            latencies.append(answered - sent)
        self.results["join"] = summary(latencies)
        self.results["join_all_s"] = round(now() - started, 2)
        self.results["phones_joined"] = len(latencies)
        self.log(f"{len(latencies)} phones joined: {fmt_summary(self.results['join'])}")

    def connect_all(self) -> None:
        """Every phone that joined opens a Socket.IO connection (WebSocket transport)."""
        rss_before = self.server_rss_mib()
        if self.nodes is not None:
            joined = [p for p in self.phones if p.key is not None]
            outcomes = self.nodes.connect([p.index for p in joined], self.args.connect_workers, 180)
            latencies = []
            for phone, outcome in zip(joined, outcomes, strict=True):
                if outcome.get("ok"):
                    phone.connected = True
                    latencies.append(float(outcome["latency"]))
                else:
                    phone.connect_error = str(outcome.get("error"))
                    self.error("socket_connect", phone.connect_error)
            self.refresh(force=True)
        else:
            latencies = self._connect_python()
        self.results["socket_connect"] = summary(latencies)
        self.results["sockets_connected"] = len(latencies)
        rss_after = self.server_rss_mib()
        if rss_before is not None and rss_after is not None and latencies:
            self.results["server_rss_before_sockets_mib"] = round(rss_before)
            self.results["server_rss_with_sockets_mib"] = round(rss_after)
            self.results["server_kib_per_socket"] = round(
                (rss_after - rss_before) * 1024 / len(latencies), 1
            )
        self.log(
            f"{len(latencies)} sockets connected: {fmt_summary(self.results['socket_connect'])}"
        )

    def _connect_python(self) -> list[float]:
        def connect(phone: Phone) -> float:
            if phone.key is None:
                raise BenchError("not joined")
            if self.args.phone_client == "python-socketio":
                sio: socketio.Client | LightSocket = new_client()
            else:
                sio = LightSocket(self.hub)
            phone.attach(sio, self.revealed)
            started = now()
            try:
                sio.connect(
                    self.base,
                    transports=["websocket"],
                    wait_timeout=30,
                    auth={"workshop": self.code, "key": phone.key, "proposals": 0},
                )
            except Exception as exc:
                phone.connect_error = f"{type(exc).__name__}: {exc}"
                raise
            phone.sio, phone.connected = sio, True
            return now() - started

        return self._collect(
            "socket_connect",
            parallel(connect, self.phones, self.args.connect_workers, 180),
        )

    def change_step(self, position: int) -> None:
        """The facilitator moves the room; phones wait (bounded) until their socket saw it."""
        status, data, sent, answered = self.http.call(
            "POST",
            f"/api/v1/workshops/{self.code}/step",
            self.facilitator_key,
            {"position": position},
        )
        if status != 200:
            raise BenchError(f"step {position} refused ({status}): {data}")
        self.step_sent[position] = sent
        connected = [p for p in self.phones if p.connected]

        def everyone_saw_it() -> bool:
            self.refresh()
            return all(position in p.step_seen for p in connected)

        wait_until(everyone_saw_it, self.args.event_wait)
        self.refresh(force=True)
        got = sum(1 for p in connected if position in p.step_seen)
        self.log(f"step {position}: {got}/{len(connected)} phone sockets got step_changed")

    def submit_all(self) -> None:
        """Every phone submits one proposal; every tenth sends it twice (same client_key)."""
        path = f"/api/v1/workshops/{self.code}/proposals"
        bodies = {
            phone.index: {
                "title": f"Forslag {phone.index}: enklere planprosess",
                "body": "Mindre dobbeltarbeid mellom planstrategi og samfunnsdel.",
                "client_key": f"bench-{uuid.uuid4().hex}",
            }
            for phone in self.phones[: self.args.proposers]
            if phone.key is not None
        }
        senders = [p for p in self.phones if p.index in bodies]
        outcomes = self.phone_calls(
            [(p, "POST", path, bodies[p.index], None, None) for p in senders], 180
        )
        latencies = []
        for phone, (status, data, sent, answered) in zip(senders, outcomes, strict=True):
            if status != 201:
                self.error("proposal", f"proposal {status}: {data}")
                continue
            phone.proposal_id, phone.proposal_acked_at = data["id"], answered
            latencies.append(answered - sent)
        retried = [p for p in senders if p.proposal_id is not None and p.index % 10 == 0]
        repeats = self.phone_calls(
            [(p, "POST", path, bodies[p.index], None, None) for p in retried], 180
        )
        for phone, (again, repeat, _, _) in zip(retried, repeats, strict=True):
            same = isinstance(repeat, dict) and repeat.get("id") == phone.proposal_id
            if again != 200 or not same:
                self.error("proposal_retry_not_idempotent", f"{again}: {repeat}")
        self.results["proposal"] = summary(latencies)
        self.log(f"{len(latencies)} proposals: {fmt_summary(self.results['proposal'])}")
        # Every phone's socket must get every new proposal, in batches (moderation is off).
        sent_count = len(latencies)
        connected = [p for p in self.phones if p.connected]

        def everyone_has_all() -> bool:
            self.refresh()
            return all(p.proposals_seen >= sent_count for p in connected)

        wait_until(everyone_has_all, self.args.event_wait)
        self.refresh(force=True)
        last_ack = max((p.proposal_acked_at for p in self.phones), default=0.0)
        last = max((p.last_proposal_at for p in connected), default=last_ack)
        self.results["proposal_fanout_drain_ms"] = round(max(0.0, last - last_ack) * 1000)
        self.results["proposal_added_missed"] = sum(
            max(0, sent_count - p.proposals_seen) for p in connected
        )
        self.results["proposal_added_extra"] = sum(
            max(0, p.proposals_seen - sent_count) for p in connected
        )
        self.log(
            f"new proposals on phones: drained {self.results['proposal_fanout_drain_ms']} ms "
            f"after the last ack, missed {self.results['proposal_added_missed']}"
        )

    def read_all(self) -> None:
        """Every phone GETs the workshop to learn the visible proposals and its budget."""
        readers = [p for p in self.phones if p.key is not None]
        path = f"/api/v1/workshops/{self.code}"
        outcomes = self.phone_calls([(p, "GET", path, None, "read", None) for p in readers], 180)
        latencies = []
        for phone, (status, data, sent, answered) in zip(readers, outcomes, strict=True):
            if status != 200:
                self.error("read", f"GET workshop {status}: {data}")
                continue
            phone.visible_ids = list(data["visible_ids"])
            phone.budget = int(data.get("budget") or self.args.dots)
            latencies.append(answered - sent)
        self.results["read"] = summary(latencies)
        expected = sum(1 for p in self.phones if p.proposal_id is not None)
        seen = {len(p.visible_ids) for p in self.phones if p.visible_ids}
        if seen != {expected}:
            self.error("visible_proposals", f"phones saw {sorted(seen)} proposals, {expected} sent")

    def _put_votes(self, phones: list[Phone], label: str) -> list[Vote]:
        """PUT a fresh random allocation for each phone, starting within --vote-window."""
        start = now() + 0.5
        voters = [p for p in phones if p.key and p.visible_ids]
        for phone in phones:
            if phone.key and not phone.visible_ids:
                self.error(label, "this phone could not load the proposals")
        allocations = {p.index: random_allocation(p.rng, p.visible_ids, p.budget) for p in voters}
        path = f"/api/v1/workshops/{self.code}/votes"
        calls: list[tuple[Phone, str, str, Any, str | None, float | None]] = [
            (
                p,
                "PUT",
                path,
                {"allocations": allocations[p.index]},
                None,
                start + p.rng.uniform(0, self.args.vote_window),
            )
            for p in voters
        ]
        votes: list[Vote] = []
        outcomes = self.phone_calls(calls, 180 + self.args.vote_window)
        for phone, (status, data, sent, answered) in zip(voters, outcomes, strict=True):
            allocation = allocations[phone.index]
            error = None
            if status != 200:
                error = f"{status}: {data}"
            elif data.get("allocations") != allocation:
                error = f"echo differs: {data.get('allocations')} != {allocation}"
            if error:
                self.error(label, error)
            votes.append(Vote(phone.index, allocation, sent, answered, status, error))
        return votes

    def _version(self) -> int:
        status, data, _, _ = self.http.call(
            "GET", f"/api/v1/workshops/{self.code}", self.facilitator_key
        )
        if status != 200:
            raise BenchError(f"facilitator GET {status}: {data}")
        return int(data["version"])

    def vote_round(self) -> None:
        """Everyone votes; ack latency and per-vote delay until the projector shows it."""
        self.v0 = self._version()
        votes = self._put_votes(self.phones, "vote")
        acked = sorted((v for v in votes if v.status == 200), key=lambda v: v.answered)
        for vote in acked:
            self.phones[vote.phone].allocation = vote.allocation
        self.expected: dict[int, int] = {}
        for vote in acked:
            add_into(self.expected, vote.allocation)
        # Failed PUTs whose outcome is unknown (no answer) may or may not have been stored.
        self.uncertain = sum(1 for v in votes if v.status is None)
        target_version = self.v0 + len(acked)
        converged = wait_until(
            lambda: self.projector.latest_equals(self.expected, target_version),
            self.args.tally_wait,
        )
        self.results["vote_ack"] = summary([v.answered - v.sent for v in acked])
        self.press_to_projector: list[float] = []
        self.results["vote_tally"] = summary(self._tally_delays(acked))
        self.results["vote_end_to_end"] = summary(self.press_to_projector)
        self.results["votes_acked"] = len(acked)
        self.results["votes_failed"] = len(votes) - len(acked)
        self.results["vote_round_converged"] = converged
        if acked:
            self.results["vote_burst_s"] = round(acked[-1].answered - min(v.sent for v in acked), 2)
            last = self.projector.first_equal(self.expected, 0.0)
            self.results["vote_converge_ms"] = (
                round(max(0.0, last[0] - acked[-1].answered) * 1000, 1) if last else None
            )
        self.check_round_invariant(target_version)
        self.v1 = target_version
        self.log(
            f"{len(acked)} votes acked: {fmt_summary(self.results['vote_ack'])}; "
            f"tally delay {fmt_summary(self.results['vote_tally'])}"
        )

    def _tally_delays(self, acked: list[Vote]) -> list[float]:
        """For each acknowledged vote, the time until the projector received a tally that
        includes it: the first tally whose version counts at least every vote acknowledged so
        far and whose totals are at least their sum on every proposal. (Round one only adds
        dots, and a tally is one consistent read, so totals only grow with the version.)"""
        tallies = sorted(
            (t for t in self.projector.tallies if t[1] >= self.v0), key=lambda t: (t[1], t[0])
        )
        delays: list[float] = []
        running: dict[int, int] = {}
        cursor = 0
        for count, vote in enumerate(acked, start=1):
            add_into(running, vote.allocation)
            while cursor < len(tallies):
                _received, version, totals, _voters = tallies[cursor]
                if version - self.v0 >= count and all(
                    totals.get(pid, 0) >= dots for pid, dots in running.items()
                ):
                    break
                cursor += 1
            if cursor == len(tallies):
                self.error("vote_not_in_any_tally", f"phone {vote.phone}")
                continue
            received = min(t[0] for t in tallies[cursor:])
            delays.append(max(0.0, received - vote.answered))
            self.press_to_projector.append(received - vote.sent)
        return delays

    def check_round_invariant(self, last_version: int) -> None:
        """In round one every commit adds exactly the budget: dots == budget × (version − v0)."""
        budget = self.args.dots
        bad = [
            (version, sum(totals.values()))
            for _r, version, totals, _v in self.projector.tallies
            if self.v0 <= version <= last_version
            and sum(totals.values()) != budget * (version - self.v0)
        ]
        self.results["inconsistent_tallies"] = len(bad)
        if bad:
            self.error("inconsistent_tally", f"(version, dots) {bad[:3]}")

    def replace_round(self) -> None:
        """A share of the phones replace their allocation once."""
        voters = [p for p in self.phones if p.allocation]
        count = min(len(voters), round(len(voters) * self.args.replace))
        chosen = self.rng.sample(voters, count)
        votes = self._put_votes(chosen, "replace")
        acked = [v for v in votes if v.status == 200]
        for vote in acked:
            add_into(self.expected, self.phones[vote.phone].allocation, -1)
            add_into(self.expected, vote.allocation)
            self.phones[vote.phone].allocation = vote.allocation
        self.uncertain += sum(1 for v in votes if v.status is None)
        target_version = self.v1 + len(acked)
        converged = wait_until(
            lambda: self.projector.latest_equals(self.expected, target_version),
            self.args.tally_wait,
        )
        self.results["replace_ack"] = summary([v.answered - v.sent for v in acked])
        self.results["replaces_acked"] = len(acked)
        self.results["replaces_failed"] = len(votes) - len(acked)
        self.results["replace_round_converged"] = converged
        if acked:
            last_ack = max(v.answered for v in acked)
            first = self.projector.first_equal(self.expected, 0.0)
            self.results["replace_converge_ms"] = (
                round(max(0.0, first[0] - last_ack) * 1000, 1) if first else None
            )
        self.v1 = target_version
        self.log(
            f"{len(acked)} replacements acked: {fmt_summary(self.results['replace_ack'])}; "
            f"projector equal after {self.results.get('replace_converge_ms')} ms"
        )

    def reveal(self) -> None:
        """The facilitator moves to the results step, which reveals them."""
        self.revealed.set()
        if self.nodes is not None:
            self.nodes.request("reveal", 30)
        self.change_step(STEP_RESULTS)

    def final_checks(self) -> None:
        """Lost updates, missed events, the contract of 'tally' and 'progress'."""
        r = self.results
        final_version = self._version()
        wait_until(
            lambda: self.projector.latest_equals(self.expected, final_version), self.args.tally_wait
        )
        connected = [p for p in self.phones if p.connected]

        def everyone_current() -> bool:
            self.refresh()
            return all(p.progress_version >= final_version for p in connected)

        wait_until(everyone_current, self.args.event_wait)
        self.refresh(force=True)
        latest = self.projector.latest
        shown = nonzero(latest[2]) if latest else {}
        expected = nonzero(self.expected)
        r["final_version"] = final_version
        r.update(self.server_status())
        r["projector_final_version"] = latest[1] if latest else None
        r["lost_dots_projector"] = sum(
            abs(shown.get(pid, 0) - expected.get(pid, 0)) for pid in set(shown) | set(expected)
        )
        status, data, _, _ = self.http.call(
            "GET", f"/api/v1/workshops/{self.code}/results", self.facilitator_key
        )
        if status == 200:
            stored = nonzero({p["id"]: p["dots"] for p in data["proposals"]})
            r["lost_dots_results"] = sum(
                abs(stored.get(pid, 0) - expected.get(pid, 0))
                for pid in set(stored) | set(expected)
            )
            r["voters_results"] = data.get("voters")
        else:
            self.error("results", f"{status}: {data}")
            r["lost_dots_results"] = None
        r["expected_dots"] = sum(expected.values())
        r["uncertain_puts"] = self.uncertain
        phones_with_key = [p for p in self.phones if p.key]
        step_missed = {
            str(pos): sum(1 for p in connected if pos not in p.step_seen)
            for pos in (STEP_COLLECT, STEP_VOTE, STEP_RESULTS)
        }
        r["step_changed_missed"] = step_missed
        r["sockets_failed"] = len(phones_with_key) - len(connected)
        r["step_delivery"] = summary(
            [
                p.step_seen[pos] - self.step_sent[pos]
                for p in connected
                for pos in (STEP_COLLECT, STEP_VOTE, STEP_RESULTS)
                if pos in p.step_seen
            ]
        )
        r["progress_stale"] = sum(1 for p in connected if p.progress_version < final_version)
        r["phone_tallies_before_reveal"] = sum(p.tallies_before_reveal for p in self.phones)
        r["phone_disconnects"] = sum(p.disconnects for p in self.phones)
        r["projector_disconnects"] = self.projector.disconnects
        r["projector_tallies"] = len(self.projector.tallies)
        lost = (r["lost_dots_projector"] or 0) + (r["lost_dots_results"] or 0)
        missed = (
            sum(step_missed.values())
            + r["sockets_failed"]
            + r["progress_stale"]
            + r.get("proposal_added_missed", 0)
        )
        r["ok"] = bool(
            lost == 0
            and missed == 0
            and r["phone_tallies_before_reveal"] == 0
            and r["inconsistent_tallies"] == 0
            and r["lost_dots_results"] is not None
            and not r["errors"]
            and r["uncertain_puts"] == 0
        )

    def _collect(self, phase: str, outcomes: Iterable[Any]) -> list[float]:
        values = []
        for outcome in outcomes:
            if isinstance(outcome, Exception):
                self.error(phase, f"{type(outcome).__name__}: {outcome}")
            else:
                values.append(outcome)
        return values

    def close(self) -> None:
        """Disconnect every socket, bounded in time."""
        clients = [p.sio for p in self.phones if p.sio is not None] + [self.projector.sio]
        parallel(lambda c: c.disconnect(), clients, 50, 30)
        if self.nodes is not None:
            self.results["node_phones_cpu_s"] = round(sum(process_cpu(self.nodes.process.pid)), 1)
            self.nodes.close()
        for phone in self.phones:
            phone.http.close()
        self.hub.stop()


# --------------------------------------------------------------------------- reporting


def report(results: dict[str, Any]) -> str:
    """The human-readable summary printed at the end."""
    r = results
    m = r["machine"]
    lines = [
        f"Planverksted load test — {r['phones']} phones ({r['phone_client']} client), "
        f"async mode {r['async_mode']}, server {r['server']}",
        f"machine: {m['nproc']} CPUs ({m['cpu']}), {m['ram_gib']} GiB RAM, "
        f"Python {m['python']}; client and server on the same machine",
        f"code: {r['source']}",
        f"other processes on the machine used {r['other_load']['cpu_s']} CPU-s during the run "
        f"({r['other_load']['share']:.0%} of all CPUs; kernel time "
        f"{r['other_load']['kernel_share']:.0%})"
        + (" — the numbers are disturbed" if r["other_load"]["share"] > 0.1 else ""),
        f"duration: {r.get('duration_s')} s; sockets connected {r.get('sockets_connected')}/"
        f"{r['phones']}",
        "",
        f"join (HTTP)                 {fmt_summary(r['join'])}  all joined in "
        f"{r.get('join_all_s')} s ({r.get('phones_joined')} of {r['phones']})",
        f"socket connect              {fmt_summary(r['socket_connect'])}",
        f"proposal (HTTP)             {fmt_summary(r['proposal'])}  from "
        f"{r.get('proposers')} phones",
        f"  new-proposal fan-out     all phones had every proposal "
        f"{r.get('proposal_fanout_drain_ms')} ms after the last ack",
        f"vote ack (PUT /votes)       {fmt_summary(r['vote_ack'])}"
        f"  burst {r.get('vote_burst_s')} s",
        f"vote → projector tally      {fmt_summary(r['vote_tally'])}",
        f"  PUT sent → on projector   {fmt_summary(r['vote_end_to_end'])}",
        f"  last vote → exact tally   {r.get('vote_converge_ms')} ms",
    ]
    if "replace_ack" in r:
        lines += [
            f"replacement ack             {fmt_summary(r['replace_ack'])}",
            f"  last replacement → exact  {r.get('replace_converge_ms')} ms",
        ]
    lines += [
        f"step_changed → phones       {fmt_summary(r['step_delivery'])}",
        f"server: peak RSS {r.get('server_peak_rss_mib')} MiB, "
        f"{r.get('server_threads')} OS threads with every socket open; "
        f"{r.get('server_kib_per_socket')} KiB per connected phone "
        f"({r.get('server_rss_before_sockets_mib')} → {r.get('server_rss_with_sockets_mib')} MiB)",
        "",
        f"votes acked {r['votes_acked']} (failed {r['votes_failed']}), replacements acked "
        f"{r.get('replaces_acked', 0)} (failed {r.get('replaces_failed', 0)}), "
        f"uncertain {r['uncertain_puts']}",
        f"lost dots: projector {r['lost_dots_projector']}, results endpoint "
        f"{r['lost_dots_results']} (of {r['expected_dots']} expected); inconsistent tallies "
        f"{r['inconsistent_tallies']}; projector tallies received {r['projector_tallies']}",
        f"missed new proposals {r.get('proposal_added_missed')} "
        f"(duplicates {r.get('proposal_added_extra')}), "
        f"missed step_changed {r['step_changed_missed']}, sockets failed {r['sockets_failed']}, "
        f"stale progress {r['progress_stale']}, phone tallies before reveal "
        f"{r['phone_tallies_before_reveal']}, disconnects {r['phone_disconnects']} "
        f"(projector {r.get('projector_disconnects')})",
    ]
    lines.append(
        "phases (wall s / server CPU s / client CPU s): "
        + ", ".join(
            f"{ph['phase']} {ph['wall_s']}/{ph['server_cpu_s']}/{ph['client_cpu_s']}"
            for ph in r.get("phases", [])
        )
    )
    if r["errors"]:
        lines.append(f"errors: {json.dumps(r['errors'], ensure_ascii=False)}")
    problems = r.get("server_output")
    if problems:
        lines.append(
            f"server output: {problems['tracebacks']} tracebacks "
            f"({problems['unexplained_tracebacks']} unexplained, known noise "
            f"{problems['known_noise']}), {problems['error_lines']} error lines"
        )
        lines += [f"  {line}" for line in problems["first_unexplained"]]
    verdict = "ok, nothing lost or missed" if r.get("ok") else "PROBLEMS (see above)"
    lines.append(f"RESULT: {verdict}")
    return "\n".join(lines)


def markdown_row(r: dict[str, Any]) -> str:
    """One row for the table in docs/benchmarks.md."""

    def cell(stats: dict[str, Any]) -> str:
        if not stats["n"]:
            return "–"
        return f"{stats['p50_ms']:.0f} / {stats['p95_ms']:.0f} / {stats['max_ms']:.0f}"

    missed = sum(r["step_changed_missed"].values()) + r["sockets_failed"]
    lost = (r["lost_dots_projector"] or 0) + (r["lost_dots_results"] or 0)
    return (
        f"| {r['async_mode']} | {r['phones']} | {cell(r['vote_ack'])} | {cell(r['vote_tally'])} "
        f"| {cell(r.get('replace_ack', {'n': 0}))} | {cell(r['step_delivery'])} "
        f"| {cell(r['socket_connect'])} | {lost} | {missed} |"
    )


# --------------------------------------------------------------------------- main


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--phones", type=int, default=200, help="simulated phones (200)")
    parser.add_argument("--url", help="use this already-running server (127.0.0.1 only)")
    parser.add_argument(
        "--admin-key",
        help="admin key of the --url server (default: $WORKSHOP_ADMIN_KEY); own server: ignored",
    )
    parser.add_argument(
        "--mode",
        choices=["serve", "threading", "gevent", "gevent-nodelay"],
        default="serve",
        help="server this script starts: serve (the default: `planverksted serve`, as `make "
        "run`, on gevent), threading (the same on threads), gevent (bench/serve_gevent.py) or "
        "gevent-nodelay (the same with TCP_NODELAY on every connection)",
    )
    parser.add_argument(
        "--phone-client",
        choices=["node", "light", "python-socketio"],
        default="node",
        help="Socket.IO client of the phones: node (default; the official socket.io-client "
        "under node, bench/phones.mjs, needs `cd bench && npm ci`), a minimal one-thread "
        "Python client (light) or python-socketio's Client (a thread per received message)",
    )
    parser.add_argument(
        "--source",
        metavar="DIR",
        help="project folder whose workshop package the own server runs (default: this "
        "checkout), e.g. a `git archive` of a commit, so that edits in progress do not count",
    )
    parser.add_argument("--dots", type=int, default=5, help="dots per participant (5)")
    parser.add_argument(
        "--proposers",
        type=int,
        default=0,
        help="how many phones submit a proposal (default: every phone up to 500, then 200 — "
        "every proposal reaches every phone, batched at most once a second per workshop)",
    )
    parser.add_argument(
        "--replace",
        type=float,
        default=0.25,
        help="share of the voters who replace their allocation once (0.25)",
    )
    parser.add_argument(
        "--vote-window",
        type=float,
        default=0.0,
        help="spread the votes randomly over this many seconds (0: all at once)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=0,
        help="concurrent HTTP requests (default: one per phone, at most 500)",
    )
    parser.add_argument(
        "--connect-workers", type=int, default=25, help="sockets connecting at the same time (25)"
    )
    parser.add_argument(
        "--event-wait",
        type=float,
        default=20,
        help="seconds to wait for step_changed/progress on every phone (20)",
    )
    parser.add_argument(
        "--tally-wait",
        type=float,
        default=20,
        help="seconds to wait for the projector's tally to match (20)",
    )
    parser.add_argument(
        "--timeout", type=float, default=300, help="hard limit on the whole run in seconds (300)"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", metavar="PATH", help="also write the results as JSON")
    parser.add_argument(
        "--keep-log",
        action="store_true",
        help="keep the own server's data folder (database, output)",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    parser.add_argument(
        "--profile",
        metavar="PATH",
        help="record the own server with py-spy during the run (speedscope JSON at PATH; "
        "needs py-spy, e.g. .venv/bin/pip install py-spy; summarise with bench/profile_top.py)",
    )
    args = parser.parse_args(argv)
    if args.phones < 1:
        parser.error("--phones must be at least 1")
    if not 0 <= args.replace <= 1:
        parser.error("--replace must be between 0 and 1")
    args.workers = args.workers or min(args.phones, 500)
    args.proposers = args.proposers or (args.phones if args.phones <= 500 else 200)
    return args


def start_profiler(path: str | None, pid: int | None) -> subprocess.Popen[bytes] | None:
    """py-spy recording the own server into a speedscope file, or None."""
    if not path:
        return None
    if pid is None:
        raise BenchError("--profile needs the own server (not --url)")
    spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    if not Path(spy).exists():
        raise BenchError("--profile needs py-spy: .venv/bin/pip install py-spy")
    command = [spy, "record", "--pid", str(pid), "--format", "speedscope", "-o", path]
    return subprocess.Popen(
        [*command, "--rate", "100", "--nonblocking"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def stop_profiler(profiler: subprocess.Popen[bytes] | None) -> None:
    """Ctrl+C to py-spy, which then writes its file."""
    if profiler is None:
        return
    profiler.send_signal(signal.SIGINT)
    try:
        profiler.wait(60)
    except subprocess.TimeoutExpired:
        profiler.kill()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    server: OwnServer | None = None

    def hard_stop() -> None:
        print(
            f"bench: overall timeout of {args.timeout:.0f} s reached, stopping",
            file=sys.stderr,
            flush=True,
        )
        if server is not None:
            server.stop()
        os._exit(3)

    watchdog = threading.Timer(args.timeout, hard_stop)
    watchdog.daemon = True
    watchdog.start()
    started = now()
    machine_before, client_before = machine_cpu(), process_cpu()
    test: LoadTest | None = None
    try:
        if args.url:
            base = check_loopback(args.url)
            admin_key = args.admin_key or os.environ.get("WORKSHOP_ADMIN_KEY") or ""
            if not admin_key:
                raise BenchError("--url needs --admin-key (or WORKSHOP_ADMIN_KEY)")
            mode = "unknown (--url)"
            code_source = "(--url)"
        else:
            join_rate = max(100_000, args.phones * 10)
            if args.mode.startswith("gevent") and importlib.util.find_spec("gevent") is None:
                raise BenchError("--mode gevent needs gevent: .venv/bin/pip install gevent")
            source = Path(args.source).resolve() if args.source else ROOT
            if not (source / "workshop" / "__init__.py").is_file():
                raise BenchError(f"--source {source} has no workshop package")
            server = OwnServer(args.mode, DEFAULT_ADMIN_KEY, join_rate=join_rate, source=source)
            code_source = source_info(source)
            print(
                f"bench: starting {args.mode} server on {server.url}", file=sys.stderr, flush=True
            )
            server.start()
            base, admin_key, mode = server.url, DEFAULT_ADMIN_KEY, args.mode
        try:
            server_header = requests.get(f"{base}/api/v1/openapi.json", timeout=5).headers.get(
                "Server", "(no Server header)"
            )
        except requests.RequestException:
            server_header = "?"
        pid = server.process.pid if server and server.process else None
        test = LoadTest(args, base, admin_key, server_pids=[pid])
        profiler = start_profiler(args.profile, pid)
        try:
            results = test.run()
        finally:
            stop_profiler(profiler)
    except BenchError as exc:
        print(f"bench: {exc}", file=sys.stderr, flush=True)
        if server is not None:
            server.stop()
            print(f"bench: server data and output kept in {server.data_dir}", file=sys.stderr)
        return 2
    finally:
        if test is not None:
            test.close()
    # User CPU that neither this process nor the server used: other programs on the machine.
    # (Kernel time is left out: loopback networking and fsync for this test land there too.)
    machine_after, client_after = machine_cpu(), process_cpu()
    server_user = process_cpu(server.process.pid)[0] if server and server.process else 0.0
    elapsed = max(machine_after["all"] - machine_before["all"], 1e-9)
    foreign = machine_after["user"] - machine_before["user"]
    foreign -= (client_after[0] - client_before[0]) + server_user
    foreign -= results.get("node_phones_cpu_s", 0.0)  # the phones' node process (user + system)
    kernel = machine_after["kernel"] - machine_before["kernel"]
    results["other_load"] = {
        "cpu_s": round(max(0.0, foreign), 1),
        "share": round(max(0.0, foreign) / elapsed, 3),
        "kernel_share": round(kernel / elapsed, 3),
        "includes_server": server is None,
    }
    if server is not None:
        time.sleep(0.5)  # let the server log what the disconnects caused
        results["server_output"] = server_problems(server.log_text())
        server.stop()
        if args.keep_log:
            print(f"bench: server data and output kept in {server.data_dir}", file=sys.stderr)
        else:
            server.cleanup()
    results.update(
        phones=args.phones,
        async_mode=mode,
        phone_client=args.phone_client,
        server=server_header,
        url=base,
        source=code_source,
        machine=machine_info(),
        vote_window_s=args.vote_window,
        replace_share=args.replace,
        seed=args.seed,
        proposers=min(args.proposers, args.phones),
        wall_s=round(now() - started, 1),
    )
    problems = results.get("server_output") or {}
    if problems.get("unexplained_tracebacks"):
        results["ok"] = False
    print(report(results))
    print(markdown_row(results))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    watchdog.cancel()
    return 0 if results.get("ok") else 1


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    # Socket client threads are daemons, but a wedged one must not keep the process alive.
    os._exit(code)
