"""Time the archive of a large workshop: export.json, POST /import, and DELETE.

    .venv/bin/python bench/archive.py --phones 1000 --proposals 200

Seeds one workshop of the shipped plan straight into a temporary SQLite database (every phone
gives 5 dots on its vote step, agrees or disagrees on 10 proposals and rates 5), then times each
operation through the app's test client and prints a Markdown table (best of --repeat).
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import select

from workshop import create_app
from workshop.config import Settings
from workshop.extensions import db, dispose_app
from workshop.models import Participant, Proposal, Rating, Stance, Vote, Workshop
from workshop.services.key_hashes import hash_key
from workshop.services.workshops import create_workshop, new_key

ADMIN = "bench-admin-key"
AGREE_PLAN = "plan-simplification"


def seed(phones: int, proposals: int) -> tuple[str, str]:
    """A workshop with every kind of answer; returns its code and facilitator key."""
    created = create_workshop("Stort verksted", AGREE_PLAN)
    rng = random.Random(7)
    with db.session() as session:
        workshop = session.scalars(select(Workshop).where(Workshop.code == created.code)).one()
        steps = {step.kind: step for step in workshop.steps}
        people = [
            Participant(
                workshop_id=workshop.id,
                key_hash=hash_key(new_key()),
                roles=[rng.choice(workshop.roles)],
            )
            for _ in range(phones)
        ]
        ideas = [
            Proposal(workshop_id=workshop.id, title=f"Forslag {n}", body="Tekst " * 20)
            for n in range(proposals)
        ]
        session.add_all(people + ideas)
        session.flush()
        for person in people:
            for idea in rng.sample(ideas, 5):
                if "vote" in steps:
                    session.add(
                        Vote(
                            workshop_id=workshop.id,
                            step_id=steps["vote"].id,
                            participant_id=person.id,
                            proposal_id=idea.id,
                            dots=1,
                        )
                    )
                if "rate" in steps:
                    session.add(
                        Rating(
                            workshop_id=workshop.id,
                            step_id=steps["rate"].id,
                            participant_id=person.id,
                            proposal_id=idea.id,
                            criterion="gevinst",
                            score=rng.randint(1, 5),
                        )
                    )
            if "agree" in steps:
                for idea in rng.sample(ideas, 10):
                    session.add(
                        Stance(
                            workshop_id=workshop.id,
                            step_id=steps["agree"].id,
                            participant_id=person.id,
                            proposal_id=idea.id,
                            value=rng.choice([1, -1, 0]),
                        )
                    )
        session.commit()
    return created.code, created.facilitator_key


def best(repeat: int, run: Callable[[], Any]) -> tuple[float, Any]:
    """The fastest of `repeat` runs in seconds, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--phones", type=int, default=1000)
    parser.add_argument("--proposals", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="pv-archive-bench-"))
    app = create_app(Settings.from_env(data_dir=folder, admin_key=ADMIN))
    client = app.test_client()
    try:
        with app.app_context():
            code, key = seed(args.phones, args.proposals)
        auth = {"Authorization": f"Bearer {key}"}
        export_s, exported = best(
            args.repeat, lambda: client.get(f"/api/v1/workshops/{code}/export.json", headers=auth)
        )
        assert exported.status_code == 200
        body = exported.data
        admin = {"Authorization": f"Bearer {ADMIN}", "Content-Type": "application/json"}
        import_s, imported = best(
            args.repeat, lambda: client.post("/api/v1/import", data=body, headers=admin)
        )
        assert imported.status_code == 201, imported.get_json()
        copy = imported.get_json()
        delete_s, deleted = best(
            1,
            lambda: client.delete(
                f"/api/v1/workshops/{copy['code']}",
                headers={"Authorization": f"Bearer {copy['facilitator_key']}"},
            ),
        )
        assert deleted.status_code == 204
        print(f"{args.phones} phones, {args.proposals} proposals, archive {len(body) / 1e6:.1f} MB")
        print("| operation | seconds |\n|---|---|")
        print(f"| GET export.json | {export_s:.2f} |")
        print(f"| POST /import | {import_s:.2f} |")
        print(f"| DELETE /workshops/{{code}} | {delete_s:.2f} |")
    finally:
        dispose_app(app)


if __name__ == "__main__":
    main()
