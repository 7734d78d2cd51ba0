"""How long the report takes to draw: HTML, PDF and Word for a large workshop.

    .venv/bin/python bench/report.py --proposals 300 --participants 40 --repeat 3

A workshop of a plan with a dot vote, an agree / disagree vote and a rating (every proposal in
every step), written straight into a fresh SQLite file; then each format is rendered --repeat
times as the export route renders it (``export.collect`` then ``export.render``) and the median
and the slowest run are printed as a Markdown table. Never part of the test run.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select  # noqa: E402

from workshop import create_app, export  # noqa: E402
from workshop.config import Settings  # noqa: E402
from workshop.extensions import db, dispose_app  # noqa: E402
from workshop.models import Action, Participant, Proposal, Rating, Stance, Step, Vote  # noqa: E402
from workshop.models import Workshop as WorkshopRow  # noqa: E402
from workshop.services.key_hashes import hash_key  # noqa: E402
from workshop.services.unit import read_only  # noqa: E402
from workshop.services.workshops import create_workshop  # noqa: E402

PLAN = """
name = "rapport"
title = "Rapport"
roles = ["Folkevalgt", "Administrasjon", "Innbygger", "Næringsliv og frivillighet"]
categories = ["planstrategi", "arealdel", "reguleringsplan"]

[settings]
votes_per_participant = 5

[[steps]]
kind = "collect"
title = "Forslag"

[[steps]]
kind = "vote"
title = "Prikker"

[[steps]]
kind = "vote"
title = "Enig eller uenig"
mode = "agree"

[[steps]]
kind = "rate"
title = "Gevinst og innsats"

[[steps]]
kind = "actions"
title = "Tiltak"
"""
LEVELS = ("lokal", "regional", "nasjonal", None)


def fill(code: str, proposals: int, participants: int, rng: random.Random) -> None:
    """Proposals, participants with roles, their dots, stances and ratings, and some actions."""
    with db.session() as session:
        workshop = session.scalars(select(WorkshopRow).where(WorkshopRow.code == code)).one()
        steps = {
            s.position: s
            for s in session.scalars(select(Step).where(Step.workshop_id == workshop.id))
        }
        rows = [
            Proposal(
                workshop_id=workshop.id,
                title=f"Forslag {n}: forenkle {rng.choice(workshop.categories)} med felles mal",
                body="",
                category=rng.choice(workshop.categories),
                change_level=rng.choice(LEVELS),
                status="visible",
                source="phone",
            )
            for n in range(1, proposals + 1)
        ]
        people = [
            Participant(
                workshop_id=workshop.id,
                key_hash=hash_key(f"bench-{code}-{n}"),
                roles=[workshop.roles[n % 4]],
            )
            for n in range(participants)
        ]
        session.add_all(rows + people)
        session.flush()
        dots, agree, rate = steps[1], steps[2], steps[3]
        for person in people:
            for proposal in rng.sample(rows, 5):
                session.add(
                    Vote(
                        workshop_id=workshop.id,
                        step_id=dots.id,
                        participant_id=person.id,
                        proposal_id=proposal.id,
                        dots=1,
                    )
                )
            for proposal in rows:
                session.add(
                    Stance(
                        workshop_id=workshop.id,
                        step_id=agree.id,
                        participant_id=person.id,
                        proposal_id=proposal.id,
                        value=rng.choice((1, 1, -1, 0)),
                    )
                )
                for criterion in ("gevinst", "innsats"):
                    session.add(
                        Rating(
                            workshop_id=workshop.id,
                            step_id=rate.id,
                            participant_id=person.id,
                            proposal_id=proposal.id,
                            criterion=criterion,
                            score=rng.randint(1, 5),
                        )
                    )
        for n in range(10):
            session.add(
                Action(
                    workshop_id=workshop.id,
                    what=f"Tiltak {n + 1}",
                    proposal_id=rows[n].id,
                    owner="Kommunedirektøren",
                )
            )
        workshop.current_position = 4
        session.commit()


def timed(code: str, fmt: str) -> tuple[float, float, int]:
    """Wall and CPU seconds to collect and render one format, and the file's size."""
    started, cpu = time.perf_counter(), time.process_time()
    with read_only() as session:
        workshop = session.scalars(select(WorkshopRow).where(WorkshopRow.code == code)).one()
        exported = export.render(session, workshop, fmt)
    return time.perf_counter() - started, time.process_time() - cpu, len(exported.content)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--proposals", type=int, default=300)
    parser.add_argument("--participants", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        plans = Path(folder) / "plans"
        plans.mkdir()
        (plans / "rapport.toml").write_text(PLAN, encoding="utf-8")
        settings = Settings.from_env(
            data_dir=Path(folder) / "data", database_url="", admin_key="bench", plans_dir=plans
        )
        app = create_app(settings)
        try:
            with app.app_context():
                code = create_workshop("Stort verksted", "rapport").code
                fill(code, args.proposals, args.participants, random.Random(7))
                print(
                    f"{args.proposals} proposals × 3 steps, {args.participants} participants, "
                    f"{args.repeat} runs\n"
                )
                print("| format | wall s (median / slowest) | CPU s (median) | size KiB |")
                print("|---|---|---|---|")
                for fmt in ("json", "html", "pdf", "docx"):
                    runs = [timed(code, fmt) for _ in range(args.repeat)]
                    wall = [w for w, _, _ in runs]
                    cpu = statistics.median(c for _, c, _ in runs)
                    print(
                        f"| {fmt} | {statistics.median(wall):.2f} / {max(wall):.2f} "
                        f"| {cpu:.2f} | {runs[0][2] / 1024:.0f} |"
                    )
        finally:
            dispose_app(app)


if __name__ == "__main__":
    main()
