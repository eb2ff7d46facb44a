"""The database goes away under a running ``ocop-hub serve`` and comes back: a TCP proxy of our
own (tests/reliability/servers.py) sits between the server and PostgreSQL and is cut, then
restored. While cut, /healthz says 503 and GraphQL a masked error, quickly; afterwards the same
server process answers again, without a restart."""
from __future__ import annotations

import time
import uuid
from pathlib import Path
from typing import Iterator

import pytest
import requests
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from hub.api.limits import MASKED_MESSAGE
from tests.api.live import LiveServer, seed_live
from tests.conftest import postgres_admin_url
from tests.reliability.servers import TcpProxy, wait_until

pytestmark = pytest.mark.postgres
QUERY = {"query": "{ products(first: 5) { totalCount edges { node { name } } } }"}
ANSWER_WITHIN_S = 3.0


@pytest.fixture
def proxied_server(postgres_template: str, tmp_path: Path) -> Iterator[tuple[LiveServer, TcpProxy]]:
    admin_url = make_url(postgres_admin_url())
    name = f"ocop_outage_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{postgres_template}"'))
    direct = admin_url.set(database=name).render_as_string(hide_password=False)
    seed_live(direct)
    proxy = TcpProxy((admin_url.host or "127.0.0.1", admin_url.port or 5432)).start()
    via_proxy = admin_url.set(database=name, host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    server = LiveServer(via_proxy, tmp_path / "server.log").start()
    try:
        yield server, proxy
    finally:
        server.stop()
        proxy.stop()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def timed(method: str, url: str, **kw: object) -> tuple[requests.Response, float]:
    started = time.monotonic()
    response = requests.request(method, url, timeout=30, **kw)  # type: ignore[arg-type]
    return response, time.monotonic() - started


def test_api_answers_clearly_while_the_database_is_gone_and_recovers(
        proxied_server: tuple[LiveServer, TcpProxy]) -> None:
    server, proxy = proxied_server
    ok, _ = timed("POST", server.url + "/graphql", json=QUERY)
    assert ok.status_code == 200 and ok.json()["data"]["products"]["totalCount"] > 0

    proxy.cut()  # every pooled connection reset, new ones refused
    for _ in range(3):
        health, elapsed = timed("GET", server.url + "/healthz")
        assert health.status_code == 503, health.text
        assert health.json()["database"] == "unreachable" and elapsed < ANSWER_WITHIN_S
        print(f"cut: /healthz 503 in {elapsed * 1000:.0f} ms: {health.json()}")
        gql, elapsed = timed("POST", server.url + "/graphql", json=QUERY)
        assert gql.status_code == 200 and elapsed < ANSWER_WITHIN_S, (gql.status_code, elapsed)
        errors = gql.json()["errors"]
        assert errors[0]["message"] == MASKED_MESSAGE, errors
        assert "psycopg" not in gql.text and "Traceback" not in gql.text
        print(f"cut: GraphQL masked error in {elapsed * 1000:.0f} ms")
        csv, elapsed = timed("GET", server.url + "/export/products.parquet")
        assert csv.status_code == 500 and "Traceback" not in csv.text and elapsed < ANSWER_WITHIN_S

    proxy.restore()
    started = time.monotonic()
    assert wait_until(lambda: requests.get(server.url + "/healthz", timeout=5).status_code == 200, timeout=15)
    recovered = time.monotonic() - started
    again, _ = timed("POST", server.url + "/graphql", json=QUERY)
    assert again.status_code == 200 and not again.json().get("errors"), again.text
    assert again.json() == ok.json()
    print(f"restored: healthy again after {recovered:.2f} s, same answers, same process")
