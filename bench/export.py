"""Export benchmark: how long each export format takes for a large workshop.

    .venv/bin/python bench/export.py                       # 500 × 300, three steps, 3 runs
    .venv/bin/python bench/export.py --participants 100 --proposals 50 --runs 1

Seeds a workshop through the services into a SQLite file in a temporary folder: N participants
in six roles, P proposals, a dot step (5 dots each), a rate step (each participant rates
--rated proposals on benefit and effort) and an agree step (each answers --answered proposals),
ending on the results step after them. Then renders every format in the export registry
(csv, zip, xlsx, json, and html/pdf/docx when present) --runs times and prints the median and
the slowest wall-clock time, the median CPU time of the process (less disturbed by other load
on the machine) and the file size. Nothing is timed in the test suite; figures go into
docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workshop import create_app, export  # noqa: E402
from workshop.config import Settings  # noqa: E402
from workshop.extensions import dispose_app, use_publisher  # noqa: E402
from workshop.services import (  # noqa: E402
    participants,
    proposals,
    ratings,
    stances,
    votes,
    workshops,
)
from workshop.services.access import find_workshop  # noqa: E402
from workshop.services.events import NullPublisher  # noqa: E402
from workshop.services.unit import read_only  # noqa: E402

ROLES = [
    "Folkevalgt",
    "Administrasjon",
    "Innbygger",
    "Næringsliv og frivillighet",
    "Regional aktør",
    "Annet",
]
PLAN = f"""
name = "bench-export"
title = "Eksportmåling"
roles = {ROLES!r}
categories = ["planstrategi", "samfunnsdel", "arealdel", "medvirkning"]

[settings]
votes_per_participant = 5

[[steps]]
kind = "collect"
title = "Forslag"

[[steps]]
kind = "vote"
title = "Prikker"

[[steps]]
kind = "rate"
title = "Gevinst og innsats"

[[steps]]
kind = "agree"
title = "Enig eller uenig"

[[steps]]
kind = "results"
title = "Resultater"
"""


def seed(args: argparse.Namespace) -> str:
    """The workshop, seeded through the services; returns its code."""
    rng = random.Random(7)
    created = workshops.create_workshop("Eksportmåling i Åsnes", "bench-export")
    code, boss = created.code, created.facilitator_key
    keys = [
        participants.join_workshop(code, name=f"Deltaker {n}", role=ROLES[n % len(ROLES)]).key
        for n in range(args.participants)
    ]
    ids = [
        proposals.submit_proposal(
            code, boss, f"Forslag {n}: færre høringsrunder", body="Tekst " * 20
        ).proposal["id"]
        for n in range(args.proposals)
    ]
    workshops.change_step(code, boss, position=1)
    for key in keys:
        votes.set_allocation(code, key, {str(i): 1 for i in rng.sample(ids, 5)})
    workshops.change_step(code, boss, position=2)
    for key in keys:
        chosen = rng.sample(ids, min(args.rated, len(ids)))
        scores = {
            str(i): {"gevinst": rng.randint(1, 5), "innsats": rng.randint(1, 5)} for i in chosen
        }
        ratings.set_ratings(code, key, scores)
    workshops.change_step(code, boss, position=3)
    for key in keys:
        chosen = rng.sample(ids, min(args.answered, len(ids)))
        stances.set_stances(
            code, key, {str(i): rng.choice(["agree", "disagree", "pass"]) for i in chosen}
        )
    workshops.change_step(code, boss, position=4)
    return code


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--participants", type=int, default=500)
    parser.add_argument("--proposals", type=int, default=300)
    parser.add_argument("--rated", type=int, default=30, help="proposals each participant rates")
    parser.add_argument("--answered", type=int, default=60, help="proposals each one answers")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-export-"))
    plans = folder / "plans"
    plans.mkdir()
    (plans / "bench-export.toml").write_text(PLAN, encoding="utf-8")
    os.environ["WORKSHOP_PLANS_DIR"] = str(plans)
    settings = Settings.from_env(
        data_dir=folder / "data", database_url="", admin_key="bench", testing=True
    )
    app = create_app(settings)
    use_publisher(app, NullPublisher())
    try:
        with app.app_context():
            started = time.perf_counter()
            code = seed(args)
            seconds = time.perf_counter() - started
            machine = platform.processor() or platform.machine()
            print(
                f"seeded {args.participants} participants × {args.proposals} proposals × 3 steps "
                f"in {seconds:.1f} s ({machine}, {os.cpu_count()} cores, "
                f"load {os.getloadavg()[0]:.1f})"
            )
            print(f"{'format':8} {'median s':>9} {'max s':>7} {'cpu s':>7} {'size':>10}  load")
            for fmt in export.FORMATS:
                times, cpu, size = [], [], 0
                for _run in range(args.runs):
                    with read_only() as session:
                        workshop = find_workshop(session, code)
                        began, began_cpu = time.perf_counter(), time.process_time()
                        size = len(export.render(session, workshop, fmt).content)
                        times.append(time.perf_counter() - began)
                        cpu.append(time.process_time() - began_cpu)
                print(
                    f"{fmt:8} {statistics.median(times):9.2f} {max(times):7.2f} "
                    f"{statistics.median(cpu):7.2f} {size:10,d}  {os.getloadavg()[0]:.1f}"
                )
    finally:
        dispose_app(app)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
