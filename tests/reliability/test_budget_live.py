"""The query budget and deadline on a real ``ocop-hub serve`` over loopback (issue 24, part 2), on
SQLite and PostgreSQL, over a store whose nested lists are long (tests/reliability/heavy_store.py):

* the issue's query is refused at once, naming the list to page;
* while a heavy but allowed query runs, /healthz answers and other queries are served;
* a query past its deadline is stopped with QUERY_DEADLINE_EXCEEDED, and the server goes on.
"""
from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any, Iterator

import pytest
import requests

from hub.access.keys import create_key
from hub.store.engine import make_engine
from hub.vocabulary import Role
from tests.api.live import LiveServer, seed_live, seeded_store
from tests.reliability.heavy_store import PRODUCERS, PRODUCTS_EACH, seed_heavy

ISSUE_QUERY = ("{ products(first: 500) { edges { node { name history { at action before after } producer { name "
               "products { name history { at action } producer { name products { name } } } } } } } }")
HEAVY = """{ producers(first: %d, filter: {search: "dac san nang"}) { edges { node { name products(first: %d) {
  id name group stars status certifiedYear decisionDate unitText createdAt province { code name }
  history(last: 10) { at action actor before after } } } } } }""" % (PRODUCERS, PRODUCTS_EACH)
"""Every heavy product with its history: over the anonymous budget, within a key's."""
LIGHT = "{ provinces { code name } }"
TIMEOUT_S = 120


def seed(url: str) -> None:
    seed_live(url)
    seed_heavy(url)


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def heavy_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from seeded_store(request, tmp_path_factory, seed)


@pytest.fixture(scope="module")
def token(heavy_url: str) -> str:
    engine = make_engine(heavy_url)
    try:
        return create_key(engine, role=Role.MINISTRY, name="Budget live")[1]
    finally:
        engine.dispose()


def serve(url: str, folder: Path, **env: str) -> LiveServer:
    """One worker process (PostgreSQL's default is one per CPU): its own event loop must stay free."""
    return LiveServer(url, folder / "server.log", workers=1,
                      env={"HUB_RATE_LIMIT_ANONYMOUS": "0", "HUB_RATE_LIMIT_KEY": "0", **env})


@pytest.fixture(scope="module")
def server(heavy_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with serve(heavy_url, tmp_path_factory.mktemp("budget"), HUB_QUERY_DEADLINE_S="300") as running:  # not tested here
        yield running


def graphql(server: LiveServer, query: str, token: str | None = None) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = requests.post(server.url + "/graphql", json={"query": query}, headers=headers, timeout=TIMEOUT_S)
    assert response.status_code == 200, response.text[:300]
    return response.json()


def test_the_issues_query_is_refused_naming_the_list_to_page(server: LiveServer, token: str) -> None:
    for who in (None, token):
        body = graphql(server, ISSUE_QUERY, who)
        assert body["data"] is None
        [error] = body["errors"]
        assert error["extensions"]["code"] == "QUERY_TOO_COSTLY" and error["extensions"]["field"] == "products"
        assert error["extensions"]["cost"] > error["extensions"]["budget"]
        print(f"{'key' if who else 'anonymous'}: {error['message']}")


def test_the_server_answers_while_a_heavy_query_runs(server: LiveServer, token: str) -> None:
    """Three heavy queries in a row (each a new document: the response cache cannot answer it),
    /healthz and a light query polled meanwhile: answers that began and ended while a heavy
    query was running are counted."""
    assert graphql(server, HEAVY)["errors"][0]["extensions"]["code"] == "QUERY_TOO_COSTLY"  # not for anonymous
    running: list[tuple[float, float]] = []
    polled: dict[str, list[tuple[float, float]]] = {"healthz": [], "light": []}
    done = threading.Event()

    def heavy() -> None:
        try:
            for n in range(3):
                started = time.monotonic()
                body = graphql(server, HEAVY + " " * n, token)
                running.append((started, time.monotonic()))
                assert "errors" not in body, body["errors"]
                products = sum(len(e["node"]["products"]) for e in body["data"]["producers"]["edges"])
                assert products == PRODUCERS * PRODUCTS_EACH
        finally:
            done.set()

    worker = threading.Thread(target=heavy)
    worker.start()
    n = 0
    while not done.is_set():
        started = time.monotonic()
        assert requests.get(server.url + "/healthz", timeout=TIMEOUT_S).json()["status"] == "ok"
        polled["healthz"].append((started, time.monotonic()))
        started = time.monotonic()
        assert graphql(server, LIGHT + " " * (n % 50))["data"]["provinces"]
        polled["light"].append((started, time.monotonic()))
        n += 1
        time.sleep(0.02)
    worker.join()
    assert len(running) == 3, "the heavy queries failed (see above)"
    during = {kind: [(a, b) for a, b in spans if any(s <= a and b <= e for s, e in running)]
              for kind, spans in polled.items()}
    longest = max(b - a for a, b in polled["healthz"])
    print(f"heavy queries {[round(e - s, 2) for s, e in running]} s; answered during them: "
          f"{len(during['healthz'])} /healthz, {len(during['light'])} light queries; slowest /healthz {longest:.3f} s")
    assert len(during["healthz"]) >= 3 and len(during["light"]) >= 3, during


def test_a_query_past_its_deadline_is_stopped_and_the_server_goes_on(heavy_url: str, token: str,
                                                                      tmp_path_factory: pytest.TempPathFactory) -> None:
    with serve(heavy_url, tmp_path_factory.mktemp("deadline"), HUB_QUERY_DEADLINE_S="0.2") as short:
        body = graphql(short, HEAVY, token)
        assert body["data"] is None
        assert [e["extensions"]["code"] for e in body["errors"]] == ["QUERY_DEADLINE_EXCEEDED"], body
        assert "0.2 s" in body["errors"][0]["message"]
        assert requests.get(short.url + "/healthz", timeout=TIMEOUT_S).json()["status"] == "ok"
        assert graphql(short, LIGHT)["data"]["provinces"]
        assert "Traceback" not in short.log()
