"""Heavy work runs in the app's pool: a request that waits past its budget gets a clear 503."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask

from tests.support.api import Api
from tests.support.bulk import add_proposals
from tests.support.config import test_settings
from tests.support.errors import assert_error
from workshop.config import Settings
from workshop.offload import WORKERS, offloader_of
from workshop.services.errors import Forbidden, TookTooLong
from workshop.services.snapshots import LARGE


@pytest.fixture
def settings(tmp_path: Any) -> Settings:
    """A short budget, so that a request behind a full pool is refused soon."""
    return test_settings(tmp_path, offload_budget=0.5)


class FullPool:
    """Every worker of the app's pool busy until released."""

    def __init__(self, app: Flask) -> None:
        self.release = threading.Event()
        started = threading.Semaphore(0)

        def hold() -> None:
            started.release()
            self.release.wait(60)

        offloader = offloader_of(app)
        self.callers = [
            threading.Thread(target=offloader.run, args=(hold,), kwargs={"budget": 60})
            for _ in range(WORKERS)
        ]
        for caller in self.callers:
            caller.start()
        for _ in range(WORKERS):
            assert started.acquire(timeout=30)

    def empty(self) -> None:
        self.release.set()
        for caller in self.callers:
            caller.join(30)


@pytest.fixture
def full_pool(app: Flask) -> Iterator[FullPool]:
    pool = FullPool(app)
    yield pool
    pool.empty()


def test_the_pool_returns_results_and_passes_refusals_on(app: Flask) -> None:
    offloader = offloader_of(app)
    assert offloader.run(sorted, [3, 1, 2]) == [1, 2, 3]
    with pytest.raises(Forbidden):
        offloader.run(_refuse)


def _refuse() -> None:
    raise Forbidden()


def test_work_past_its_budget_is_given_up_and_the_pool_carries_on(app: Flask) -> None:
    offloader = offloader_of(app)
    gate = threading.Event()
    with pytest.raises(TookTooLong):
        offloader.run(gate.wait, 60, budget=0.05)
    gate.set()
    assert offloader.run(sum, [1, 2, 3]) == 6


def test_suggestions_behind_a_full_pool_answer_503_with_retry_after_in_nynorsk(
    api: Api, app: Flask
) -> None:
    workshop = api.create(language="nn")
    path = f"{workshop.code}/similar"
    assert api.get(path, workshop.facilitator_key).status_code == 200
    pool = FullPool(app)
    try:
        response = api.get(path, workshop.facilitator_key)
        error = assert_error(response, 503, "busy")
        assert response.headers["Retry-After"].isdigit()
        assert "Vent litt" in error["message"] and "Serveren" in error["message"]
        assert "bruker" not in error["message"]  # nynorsk, not the bokmål source text
    finally:
        pool.empty()
    assert api.get(path, workshop.facilitator_key).status_code == 200


@pytest.mark.parametrize("path", ["export.csv", "results", "analysis"])
def test_exports_and_results_wait_in_the_pool_too(api: Api, full_pool: FullPool, path: str) -> None:
    workshop = api.create()
    assert_error(api.get(f"{workshop.code}/{path}", workshop.facilitator_key), 503, "busy")


def test_every_proposal_of_a_large_workshop_is_listed_off_the_loop(api: Api, app: Flask) -> None:
    large, small = api.create(), api.create()
    add_proposals(app, large.code, LARGE + 1)
    phone = api.join(large.code)
    offloader = offloader_of(app)
    short, offloader.budget = offloader.budget, 60.0  # a busy machine may need more than 0.5 s
    assert len(api.get(large.code, phone).get_json()["proposals"]) == LARGE + 1
    offloader.budget = short
    pool = FullPool(app)
    try:  # only the heavy snapshot waits for the pool; a bounded or small one does not
        assert_error(api.get(large.code, phone), 503, "busy")
        bounded = api.get(f"{large.code}?proposals=0", phone)
        assert bounded.status_code == 200
        assert bounded.get_json()["proposals_total"] == LARGE + 1
        assert api.get(small.code, small.facilitator_key).status_code == 200
    finally:
        pool.empty()
