"""Time a comparison across workshops: the JSON answer, the page and the workbook.

    .venv/bin/python bench/comparison.py --workshops 6 --proposals 40 80 --participants 30

Seeds each workshop through the services on a temporary SQLite file (the same ideas, worded
differently in each workshop, dots from every participant), creates one comparison and accepts
the best suggestion, then times each request (median of --repeat, in ms) and prints a Markdown
table. Never part of the test run.
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

from flask import Flask  # noqa: E402

from workshop import create_app  # noqa: E402
from workshop.config import Settings  # noqa: E402
from workshop.extensions import dispose_app  # noqa: E402
from workshop.services import participants, proposals, votes, workshops  # noqa: E402

ADMIN = "bench-admin-key"
TOPICS = [
    "planprogram",
    "temaplaner",
    "planstrategi",
    "arealdel",
    "medvirkning",
    "planressurs",
    "reguleringsplan",
    "handlingsdel",
    "økonomiplan",
    "samfunnsdel",
    "kunnskapsgrunnlag",
    "delegering",
    "høring",
    "veileder",
    "kart",
    "planregister",
    "konsekvensutredning",
    "dispensasjon",
    "byggesak",
    "ungdomsråd",
    "planforum",
]
VERBS = [
    "kortere",
    "færre",
    "felles",
    "enklere",
    "digital",
    "raskere",
    "bedre",
    "samordnet",
    "tydeligere",
]
FILLER = ["bør", "vi", "i", "kommunen", "og", "for", "alle", "med", "nabokommunene", "neste", "år"]


def idea(number: int, rng: random.Random) -> str:
    """An idea's own two topics and verb, worded a little differently in each workshop."""
    own = random.Random(number)
    words = [own.choice(VERBS), *own.sample(TOPICS, 2), *rng.sample(FILLER, 2)]
    rng.shuffle(words)
    return " ".join(words).capitalize()


def seed(count: int, ideas: int, people: int) -> list[str]:
    """Workshops of the simplification plan with proposals and every participant's dots."""
    codes = []
    for n in range(count):
        rng = random.Random(n)
        made = workshops.create_workshop(f"Kommune {n + 1}")
        key = made.facilitator_key
        ids = [
            int(proposals.submit_proposal(made.code, key, idea(i, rng)).proposal["id"])
            for i in range(ideas)
        ]
        vote = next(s["position"] for s in made.steps if s["kind"] == "vote")
        workshops.change_step(made.code, made.facilitator_key, position=vote)
        roles = ["Folkevalgt", "Administrasjon", "Innbygger"]
        for person in range(people):
            key = participants.join_workshop(made.code, role=roles[person % 3]).key
            chosen = rng.sample(ids, 5)
            votes.set_allocation(made.code, key, {str(pid): 1 for pid in chosen})
        codes.append(made.code)
    return codes


def timed(call: object, repeat: int) -> float:
    """Median milliseconds of a call."""
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = call()  # type: ignore[operator]
        runs.append((time.perf_counter() - start) * 1000)
        assert response.status_code in (200, 201), response.status_code
    return statistics.median(runs)


def measure(app: Flask, codes: list[str], repeat: int) -> tuple[int, float, float, float, float]:
    """Suggestions, then ms for the JSON answer, the page, the workbook and accepting a pair."""
    headers = {"Authorization": f"Bearer {ADMIN}"}
    client = app.test_client()
    made = client.post("/api/v1/comparisons", json={"workshops": codes}, headers=headers)
    cid = made.get_json()["id"]
    base = f"/api/v1/comparisons/{cid}"
    answer = client.get(base, headers=headers).get_json()
    pair = {"proposals": answer["suggestions"][0]["proposals"], "accepted": True}
    accept = timed(lambda: client.post(f"{base}/matches", json=pair, headers=headers), repeat)
    json_ms = timed(lambda: client.get(base, headers=headers), repeat)
    with client.session_transaction() as cookie:
        cookie["admin_key"] = ADMIN
    page_ms = timed(lambda: client.get(f"/sammenligninger/{cid}"), repeat)
    xlsx_ms = timed(lambda: client.get(f"{base}/export.xlsx", headers=headers), repeat)
    return len(answer["suggestions"]), json_ms, page_ms, xlsx_ms, accept


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workshops", type=int, default=6)
    parser.add_argument("--proposals", type=int, nargs="+", default=[40, 80])
    parser.add_argument("--participants", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()
    print("| workshops × proposals | suggestions | JSON | page | XLSX | accept a pair |")
    print("|---|---|---|---|---|---|")
    for ideas in options.proposals:
        folder = Path(tempfile.mkdtemp(prefix="bench-comparison-"))
        app = create_app(Settings.from_env(data_dir=folder, admin_key=ADMIN, database_url=""))
        with app.app_context():
            codes = seed(options.workshops, ideas, options.participants)
            found, json_ms, page_ms, xlsx_ms, accept = measure(app, codes, options.repeat)
        dispose_app(app)
        print(
            f"| {options.workshops} × {ideas} | {found} | {json_ms:.0f} ms | {page_ms:.0f} ms "
            f"| {xlsx_ms:.0f} ms | {accept:.0f} ms |"
        )


if __name__ == "__main__":
    main()
