"""hub.api.ratelimit on a tiny Starlette app: per-key and per-IP buckets, 429 + Retry-After."""
from __future__ import annotations

from types import SimpleNamespace

import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from hub.api.ratelimit import RateLimit, TokenBucket


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class FakeAuth:
    """Stands in for hub.api.access.Authenticate: 'Bearer k<id>' becomes principal key <id>."""

    def __init__(self, app):  # type: ignore[no-untyped-def]
        self.app = app

    async def __call__(self, scope, receive, send):  # type: ignore[no-untyped-def]
        if scope["type"] == "http":
            auth = dict(scope["headers"]).get(b"authorization", b"").decode()
            scope.setdefault("state", {})["principal"] = (
                SimpleNamespace(key_id=int(auth[8:])) if auth.startswith("Bearer k") else None)
        await self.app(scope, receive, send)


def make_client(clock: Clock, **options) -> TestClient:  # type: ignore[no-untyped-def]
    async def ok(request):  # type: ignore[no-untyped-def]
        return PlainTextResponse("ok")

    app = Starlette(routes=[Route("/graphql", ok, methods=["GET", "POST"]), Route("/healthz", ok)],
                    middleware=[Middleware(FakeAuth), Middleware(RateLimit, clock=clock, **options)])
    return TestClient(app)


def test_token_bucket_refills_at_its_rate() -> None:
    bucket = TokenBucket(rate=2.0, capacity=3, now=0.0)
    assert [bucket.take(0.0) for _ in range(3)] == [0.0, 0.0, 0.0]
    assert bucket.take(0.0) == pytest.approx(0.5)
    assert bucket.take(0.5) == 0.0


def test_anonymous_burst_then_429_with_retry_after_then_recovery() -> None:
    clock = Clock()
    client = make_client(clock, anonymous_rate=1.0, anonymous_burst=3)
    assert [client.get("/graphql").status_code for _ in range(3)] == [200, 200, 200]
    refused = client.get("/graphql")
    assert refused.status_code == 429
    assert refused.headers["retry-after"] == "1"
    assert refused.json()["code"] == "RATE_LIMITED" and "1 requests per second" in refused.json()["error"]
    clock.now += 1.0
    assert client.get("/graphql").status_code == 200


def test_keys_have_their_own_buckets_and_a_higher_rate() -> None:
    clock = Clock()
    client = make_client(clock, anonymous_rate=1.0, anonymous_burst=2, key_rate=5.0, key_burst=5)
    assert [client.get("/graphql").status_code for _ in range(3)] == [200, 200, 429]  # anonymous exhausted
    k1 = {"Authorization": "Bearer k1"}
    assert [client.get("/graphql", headers=k1).status_code for _ in range(6)] == [200] * 5 + [429]
    assert client.get("/graphql", headers={"Authorization": "Bearer k2"}).status_code == 200  # k1 does not hurt k2
    clock.now += 0.2  # one token for k1 at 5/s
    assert client.get("/graphql", headers=k1).status_code == 200


def test_anonymous_callers_are_bucketed_per_ip() -> None:
    clock = Clock()
    limiter = RateLimit(lambda *a: None, anonymous_rate=1.0, anonymous_burst=1, clock=clock)  # type: ignore[arg-type]
    a = {"type": "http", "path": "/graphql", "client": ("10.0.0.1", 1), "state": {}}
    b = {"type": "http", "path": "/graphql", "client": ("10.0.0.2", 1), "state": {}}
    assert limiter.wait_for(a)[0] == 0.0 and limiter.wait_for(a)[0] > 0
    assert limiter.wait_for(b)[0] == 0.0


def test_health_checks_are_exempt() -> None:
    client = make_client(Clock(), anonymous_rate=1.0, anonymous_burst=1)
    assert [client.get("/healthz").status_code for _ in range(5)] == [200] * 5


def test_bucket_table_is_bounded() -> None:
    clock = Clock()
    limiter = RateLimit(lambda *a: None, max_buckets=100, clock=clock)  # type: ignore[arg-type]
    for i in range(1000):
        limiter.wait_for({"type": "http", "path": "/", "client": (f"10.0.{i // 256}.{i % 256}", 1), "state": {}})
    assert len(limiter._buckets) == 100


def test_long_waits_round_up() -> None:
    clock = Clock()
    client = make_client(clock, anonymous_rate=0.1, anonymous_burst=1)
    client.get("/graphql")
    assert client.get("/graphql").headers["retry-after"] == "10"


def test_bad_settings_are_refused() -> None:
    with pytest.raises(ValueError):
        RateLimit(lambda *a: None, anonymous_rate=0)  # type: ignore[arg-type]


def test_with_the_real_app_keys_are_told_apart_after_authentication(store, request) -> None:  # type: ignore[no-untyped-def]
    """The placement proposed for hub/server.py: right after Authenticate (user_middleware is
    read when the app first runs, so inserting here is the same as listing it in create_app)."""
    if store.dialect.name != "sqlite":
        pytest.skip("the store does not matter here")
    from hub.server import create_app
    from hub.access.keys import create_key
    from hub.vocabulary import Role

    clock = Clock()
    app = create_app(store)
    app.user_middleware.insert(1, Middleware(RateLimit, anonymous_rate=1.0, anonymous_burst=2, key_rate=1.0,
                                             key_burst=3, clock=clock))
    token = create_key(store, role=Role.MINISTRY, name="Bộ")[1]
    query = {"query": "{ provinces { code } }"}
    with TestClient(app) as client:
        assert [client.post("/graphql", json=query).status_code for _ in range(3)] == [200, 200, 429]
        keyed = {"Authorization": f"Bearer {token}"}
        assert [client.post("/graphql", json=query, headers=keyed).status_code for _ in range(4)] == [200] * 3 + [429]
        assert client.post("/graphql", json=query, headers={"Authorization": "Bearer ocop_forged"}).status_code == 401
        assert client.get("/healthz").status_code == 200


def test_the_served_app_applies_the_configured_limit(store_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """HUB_RATE_LIMIT_ANONYMOUS reaches the real app: 1 request/s with bursts of 4."""
    if not store_url.startswith("sqlite"):
        pytest.skip("the limiter does not touch the database")
    from starlette.testclient import TestClient

    from hub.server import create_app
    from hub.store.engine import make_engine

    monkeypatch.setenv("HUB_RATE_LIMIT_ANONYMOUS", "1")
    with TestClient(create_app(make_engine(store_url))) as client:
        codes = [client.get("/graphql", params={"query": "{ __typename }"}).status_code for _ in range(6)]
    assert codes[:4] == [200] * 4 and 429 in codes[4:], codes
