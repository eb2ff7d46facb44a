"""``ocop-hub serve --workers 2`` on SQLite and PostgreSQL: both processes answer, a push made
through one is seen by the very next request whichever process answers it, a background push
job is polled from either, and each worker's rate limit is its share of the setting."""
from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

from hub.access.keys import create_key
from hub.store.engine import make_engine
from hub.vocabulary import Role
from tests.api.live import LiveServer, live_store_url  # noqa: F401  (fixture)

TIMEOUT = 20
COUNT = {"query": "{ stats(groupBy: []) { count } }"}
PUSH = """mutation($input: PushProductsInput!) { pushProducts(input: $input) { created } }"""
PUSH_ASYNC = """mutation($input: PushProductsInput!) { pushProductsAsync(input: $input) { id } }"""
JOB = "query($id: String!) { pushJob(id: $id) { status } }"


def fresh(method: str, url: str, **kwargs) -> requests.Response:
    """A request on a new connection (no keep-alive), so the kernel may hand it to either worker."""
    return requests.request(method, url, headers={"Connection": "close", **kwargs.pop("headers", {})},
                            timeout=TIMEOUT, **kwargs)


def record(name: str) -> dict:
    return {"productName": name, "producerName": "Công ty TNHH Hải sản Cô Tô", "stars": 4,
            "group": "Thực phẩm", "year": 2025}


def test_two_workers_answer_and_never_serve_a_stale_answer(live_store_url: str, tmp_path: Path) -> None:  # noqa: F811
    engine = make_engine(live_store_url)
    token = create_key(engine, role=Role.PROVINCE, name="Sở NN Quảng Ninh", province_code="22")[1]
    operator = {"Authorization": f"Bearer {create_key(engine, role=Role.MINISTRY, name='Vận hành')[1]}"}
    engine.dispose()
    auth = {"Authorization": f"Bearer {token}"}
    with LiveServer(live_store_url, tmp_path / "serve.log", env={"HUB_RATE_LIMIT_ANONYMOUS": "0",
                                                                  "HUB_RATE_LIMIT_KEY": "0"},
                    workers=2) as server:
        workers: dict[int, int] = {}
        deadline = time.monotonic() + 60  # the second worker may still be importing the app
        with ThreadPoolExecutor(8) as pool:
            while len(workers) < 2 and time.monotonic() < deadline:
                details = pool.map(lambda _: fresh("GET", f"{server.url}/healthz?detail=1", headers=operator).json(), range(16))
                workers.update((d["worker"], d["heap_frozen_objects"]) for d in details)
        assert len(workers) == 2, f"only one process answered: {workers}"
        assert all(frozen > 10_000 for frozen in workers.values()), workers  # each settled its heap at startup

        before = fresh("POST", f"{server.url}/graphql", json=COUNT).json()["data"]["stats"][0]["count"]
        for _ in range(6):  # warm both workers' caches with the current answer
            assert fresh("POST", f"{server.url}/graphql", json=COUNT).json()["data"]["stats"][0]["count"] == before
        for i in range(3):
            pushed = fresh("POST", f"{server.url}/graphql", headers=auth, json={
                "query": PUSH, "variables": {"input": {"province": "22", "records": [record(f"Chả mực Cô Tô {i}")]}}})
            assert pushed.json()["data"]["pushProducts"]["created"] == 1
            seen = [fresh("POST", f"{server.url}/graphql", json=COUNT).json()["data"]["stats"][0]["count"]
                    for _ in range(8)]
            assert seen == [before + i + 1] * 8

        job = fresh("POST", f"{server.url}/graphql", headers=auth, json={
            "query": PUSH_ASYNC, "variables": {"input": {"province": "22", "records": [record("Sá sùng Cô Tô")]}}})
        job_id = job.json()["data"]["pushProductsAsync"]["id"]
        deadline, statuses = time.monotonic() + 30, set()
        while time.monotonic() < deadline:
            status = fresh("POST", f"{server.url}/graphql", headers=auth,
                           json={"query": JOB, "variables": {"id": job_id}}).json()["data"]["pushJob"]["status"]
            statuses.add(status)
            if status == "succeeded":
                break
            time.sleep(0.2)
        assert status == "succeeded", statuses
        assert "2 worker processes" in server.log()


def test_each_worker_takes_its_share_of_the_rate_limit(monkeypatch) -> None:
    from hub.server import _rate_limit

    monkeypatch.setenv("HUB_RATE_LIMIT_ANONYMOUS", "10")
    monkeypatch.setenv("HUB_RATE_LIMIT_KEY", "50")
    monkeypatch.setenv("HUB_WORKERS", "2")
    (middleware,) = _rate_limit()
    assert middleware.kwargs["anonymous_rate"] == 5 and middleware.kwargs["key_rate"] == 25
    monkeypatch.setenv("HUB_WORKERS", "1")
    (middleware,) = _rate_limit()
    assert middleware.kwargs["anonymous_rate"] == 10


def test_no_access_log_logs_no_request_lines(live_store_url: str, tmp_path: Path) -> None:  # noqa: F811
    with LiveServer(live_store_url, tmp_path / "serve.log", args=("--no-access-log",),
                    workers=None) as server:
        assert fresh("GET", f"{server.url}/healthz").status_code == 200
        assert fresh("POST", f"{server.url}/graphql", json=COUNT).status_code == 200
        log = server.log()
    assert "OCOP Hub on http://" in log and "/healthz HTTP/1.1" not in log and "/graphql HTTP/1.1" not in log
