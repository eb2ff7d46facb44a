"""Registries that hang, trickle, reset, answer 500 or garbage, on a real http.server: the harvest
retries with backoff, fails only that source, and the previous snapshot stays intact."""
from __future__ import annotations

import time
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from hub.sources.harvest import harvest_source
from hub.ingest.run import resolver_for
from hub.registries import SourceSpec, fetch
from tests.reliability.corpus import GOOD, HEADERS, csv_bytes
from tests.reliability.servers import Registry
from tests.reliability.test_bad_input import counts, products

TIMEOUT_S = 0.3
RETRIES = 2
BACKOFF_S = 0.1


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("HUB_HTTP_TIMEOUT_S", str(TIMEOUT_S))
    monkeypatch.setenv("HUB_HTTP_RETRIES", str(RETRIES))
    monkeypatch.setattr(fetch, "BACKOFF_BASE_S", BACKOFF_S)
    with Registry(csv_bytes([HEADERS, *GOOD]), hang_s=TIMEOUT_S * 4, trickle_every_s=TIMEOUT_S / 4) as server:
        yield server


def spec(url: str, name: str = "qn-remote") -> SourceSpec:
    return SourceSpec(name=name, province="Quảng Ninh", kind="csv", location=url)


@pytest.mark.parametrize("behaviour, attempts, why", [
    ("hang", RETRIES + 1, "timed out"),
    ("trickle", RETRIES + 1, "transfer took longer"),
    ("reset", RETRIES + 1, "connection"),
    ("500", RETRIES + 1, "HTTP 500"),
    ("404", 1, "not retried"),
    ("garbage", 1, "decode"),
])
def test_a_failing_registry_fails_only_its_source_and_keeps_the_previous_snapshot(
        registry: Registry, store: Engine, behaviour: str, attempts: int, why: str) -> None:
    """trickle: before the fix in hub.registries.fetch._chunks, a byte every 75 ms held the
    download for as long as the server liked (iter_content waited for a full 64 KB chunk)."""
    if behaviour == "trickle" and store.dialect.name != "sqlite":
        pytest.skip("the fetch does not depend on the store; ~9 s, run once")
    first = harvest_source(store, spec(registry.url + "/good"))
    other = harvest_source(store, spec(registry.url + "/good", name="other-source"))
    assert first.status == other.status == "succeeded" and first.created == 3
    before_counts, before = counts(store), products(store)

    started = time.monotonic()
    summary = harvest_source(store, spec(f"{registry.url}/{behaviour}"))
    elapsed = time.monotonic() - started
    assert summary.failed and why in summary.error and f"/{behaviour}" in summary.error, summary.error
    assert len(registry.hits[f"/{behaviour}"]) == attempts
    hits = registry.hits[f"/{behaviour}"]
    gaps = [b - a for a, b in zip(hits, hits[1:])]
    for n, gap in enumerate(gaps):  # exponential backoff between attempts (plus the attempt itself)
        assert gap >= BACKOFF_S * 2 ** n * 0.9, gaps
    budget = attempts * TIMEOUT_S * (fetch.TRANSFER_TIMEOUT_FACTOR + 1) + sum(BACKOFF_S * 2 ** n for n in range(attempts))
    assert elapsed < budget + 2, (elapsed, budget)
    print(f"{behaviour}: failed after {attempts} attempt(s) in {elapsed:.2f} s: {summary.error}")
    assert products(store) == before  # previous snapshot intact: nothing withdrawn, nothing changed
    after = counts(store)
    assert {k: after[k] - before_counts[k] for k in after} == {**{k: 0 for k in after}, "import_batch": 1}
    again = harvest_source(store, spec(registry.url + "/good"))  # the source recovers
    assert again.status == "succeeded" and again.unchanged == 3


def test_a_flaky_registry_succeeds_after_retries(registry: Registry, store: Engine) -> None:
    summary = harvest_source(store, spec(registry.url + "/flaky"))
    assert summary.status == "succeeded" and summary.created == 3
    assert len(registry.hits["/flaky"]) == 3


def test_a_dead_port_fails_fast(store: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.reliability.servers import _free_port

    monkeypatch.setenv("HUB_HTTP_RETRIES", "1")
    monkeypatch.setattr(fetch, "BACKOFF_BASE_S", 0.05)
    resolver_for(store)  # built once per store (about 0.7 s): not the fetch's time
    started = time.monotonic()
    summary = harvest_source(store, spec(f"http://127.0.0.1:{_free_port()}/x"))
    assert summary.failed and "connection" in summary.error.lower()
    # Far below the 20 s read timeout a hanging connection would wait, with room for a loaded CI machine.
    assert time.monotonic() - started < 5
