"""The harvest reads and normalizes a registry file in a forked worker process
(hub.ingest.prepare) while it writes: the store must end up exactly as if everything ran in one
process, and every way the worker can fail must fail the batch cleanly, never hang or leak it."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

import hub.ingest.prepare as prepare
from hub.db import make_engine
from hub.harvest import harvest_source
from hub.ingest import ingest_rows
from hub.ingest.run import resolver_for
from hub.models import Product, ProductChange, SourceRecord
from hub.registries import SourceSpec
from hub.registries.read import RegistrySnapshot
from tests.reliability.corpus import GOOD, HEADERS, csv_bytes

TODAY = date(2026, 11, 1)


def big_registry(path: Path, rows: int, stars: str = "3 sao") -> SourceSpec:
    data = [HEADERS] + [[str(i), f"Sản phẩm số {i}", f"HTX Số {i // 3}", stars, "Thực phẩm", "2023", ""]
                        for i in range(1, rows + 1)]
    data.append(["", "", "HTX không tên sản phẩm", "3 sao", "Thực phẩm", "2023", ""])  # rejected
    data.append(["", "Sản phẩm số 7", "HTX Số 2", "4 sao", "Thực phẩm", "2023", ""])  # duplicate of row 7
    path.write_bytes(csv_bytes(data))
    return SourceSpec(name="big", province="Quảng Ninh", kind="csv", location=str(path))


def store_state(engine: Engine) -> dict:
    with Session(engine) as s:
        return {
            "products": sorted((p.identity_key, p.name, p.stars, p.status, p.content_hash, p.search_key)
                               for p in s.execute(select(Product)).scalars()),
            "records": sorted((r.record_key, r.row_number, r.raw_hash, r.content_hash, r.present)
                              for r in s.execute(select(SourceRecord)).scalars()),
            "changes": s.execute(select(func.count()).select_from(ProductChange)).scalar_one(),
        }


def harvest_in(engine: Engine, spec: SourceSpec, separate: bool):
    snapshot = RegistrySnapshot(spec)
    return ingest_rows(engine, source_name=spec.name, source_kind=spec.kind, province=spec.province,
                       location=spec.location, rows=snapshot, fingerprint=snapshot.fingerprint,
                       separate_process=separate, today=TODAY)


@pytest.fixture(autouse=True)
def fresh_worker():
    prepare.stop_worker()
    yield
    prepare.stop_worker()


def test_items_from_the_worker_are_the_items_made_here(store: Engine, tmp_path: Path) -> None:
    spec = big_registry(tmp_path / "big.csv", 1_200)
    resolver = resolver_for(store)
    here = list(prepare.prepare(RegistrySnapshot(spec), resolver, spec.province, "22", TODAY, {}))
    there = list(prepare.prepared_in_child(RegistrySnapshot(spec), resolver, spec.province, "22", TODAY, {}))
    assert len(here) == 1_202 and prepare.worker_pid() is not None
    assert [type(i).__name__ for i in there] == [type(i).__name__ for i in here]
    assert there == here  # records, raw rows and raw hashes, field by field
    assert [i.errors[0]["code"] for i in there if isinstance(i, prepare.Refused)] == \
        ["MISSING_FIELD", "DUPLICATE_RECORD"]


def sqlite_copy(template: Path, path: Path) -> Engine:
    shutil.copyfile(template, path)
    return make_engine(f"sqlite:///{path}")


def alive(pid: int) -> bool:
    """Running, not a zombie waiting for whoever inherited it to reap it."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_store_is_the_same_as_with_one_process(tmp_path: Path, sqlite_template: Path) -> None:
    """The worker never touches the store, so one store kind shows the equivalence."""
    engines = [sqlite_copy(sqlite_template, tmp_path / f"store-{n}.sqlite3") for n in ("here", "worker")]
    first = big_registry(tmp_path / "v1.csv", 1_500)
    second = big_registry(tmp_path / "v2.csv", 1_700, stars="4 sao")
    summaries = []
    for engine, separate in zip(engines, (False, True)):
        for spec in (first, second):
            summary = harvest_in(engine, spec, separate)
            summaries.append((summary.status, summary.rows_read, summary.created, summary.updated,
                              summary.unchanged, summary.rejected, [r.row_number for r in summary.rejections]))
    assert summaries[:2] == summaries[2:]
    assert summaries[1][:6] == ("succeeded", 1_702, 200, 1_500, 0, 2)
    assert store_state(engines[0]) == store_state(engines[1])
    for engine in engines:
        engine.dispose()


def test_worker_keeps_serving_after_a_file_it_cannot_read(store: Engine, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"a,b,c\n1,2,3\n")  # no header the harvest knows
    summary = harvest_source(store, SourceSpec(name="bad", province="Quảng Ninh", kind="csv", location=str(bad)))
    assert summary.failed
    assert summary.error.startswith("RegistryError: ") and str(bad) in summary.error and "no header row" in summary.error
    pid = prepare.worker_pid()
    assert pid is not None  # the error came from the worker, which is still there
    good = tmp_path / "good.csv"
    good.write_bytes(csv_bytes([HEADERS, *GOOD]))
    ok = harvest_source(store, SourceSpec(name="good", province="Quảng Ninh", kind="csv", location=str(good)))
    assert ok.status == "succeeded" and ok.created == len(GOOD)
    assert prepare.worker_pid() == pid  # and it served the next file


def test_a_killed_worker_fails_the_batch_and_the_next_harvest_forks_another(store: Engine, tmp_path: Path) -> None:
    spec = big_registry(tmp_path / "big.csv", 3_000)
    first = harvest_source(store, spec)
    assert first.created == 3_000
    before = store_state(store)
    changed = big_registry(tmp_path / "big.csv", 3_000, stars="4 sao")
    victim = prepare.worker_pid()
    killed = []

    def kill_once() -> None:
        if not killed:
            os.kill(victim, signal.SIGKILL)
            killed.append(victim)

    summary = harvest_source(store, changed, on_row=kill_once)
    assert killed == [victim]
    assert summary.failed and summary.error.startswith("PrepareError: ") and "-9" in summary.error
    assert store_state(store) == before  # nothing of the half-read snapshot was written
    again = harvest_source(store, changed)
    assert again.status == "succeeded" and again.updated == 3_000
    assert prepare.worker_pid() not in (None, victim)


def test_an_abandoned_snapshot_stops_the_worker(store: Engine, tmp_path: Path) -> None:
    spec = big_registry(tmp_path / "big.csv", 3_000)
    resolver = resolver_for(store)
    items = prepare.prepared_in_child(RegistrySnapshot(spec), resolver, spec.province, "22", TODAY, {})
    assert next(items) is not None
    pid = prepare.worker_pid()
    items.close()  # the reader gave up after one row: the worker may still be sending the rest
    assert prepare.worker_pid() is None and not alive(pid)
    ok = harvest_source(store, spec)
    assert ok.status == "succeeded" and ok.created == 3_000


def test_a_second_thread_prepares_in_its_own_thread(store: Engine, tmp_path: Path) -> None:
    """One worker, one snapshot at a time: a harvest started while the worker is busy does not
    wait for it."""
    spec = big_registry(tmp_path / "a.csv", 2_000)
    other = SourceSpec(name="other", province="Quảng Ninh", kind="csv", location=str(tmp_path / "b.csv"))
    (tmp_path / "b.csv").write_bytes(csv_bytes([HEADERS, *GOOD]))
    resolver = resolver_for(store)
    busy = prepare.prepared_in_child(RegistrySnapshot(spec), resolver, spec.province, "22", TODAY, {})
    next(busy)  # holds the worker
    result: list = []
    thread = threading.Thread(target=lambda: result.append(
        list(prepare.prepared_in_child(RegistrySnapshot(other), resolver, other.province, "22", TODAY, {}))))
    thread.start()
    thread.join(timeout=30)
    assert not thread.is_alive() and len(result[0]) == len(GOOD)
    assert sum(1 for _ in busy) == 2_001  # the first snapshot's remaining rows, unaffected


CHILD = r"""
import os, sys
from hub.db import make_engine
from hub.db import make_engine
from hub.harvest import harvest_source
from hub.ingest import prepare
from hub.registries import SourceSpec
seen = 0
def on_row():
    global seen
    seen += 1
    if seen == 1000:
        print(prepare.worker_pid(), flush=True)
        os.kill(os.getpid(), 9)
harvest_source(make_engine(sys.argv[1]), SourceSpec(name="big", province="Quảng Ninh", kind="csv",
                                                     location=sys.argv[2]), on_row=on_row)
"""


def test_the_worker_exits_when_the_harvest_is_killed(tmp_path: Path, sqlite_template: Path) -> None:
    sqlite_copy(sqlite_template, tmp_path / "hub.sqlite3").dispose()
    spec = big_registry(tmp_path / "big.csv", 20_000)
    proc = subprocess.run([sys.executable, "-c", CHILD, f"sqlite:///{tmp_path / 'hub.sqlite3'}", spec.location],
                          capture_output=True, text=True, timeout=120, cwd=Path(__file__).resolve().parents[2])
    assert proc.returncode == -signal.SIGKILL, proc.stderr[-2000:]
    pid = int(proc.stdout.split()[0])
    deadline = time.monotonic() + 10 * prepare.POLL_SECONDS
    while time.monotonic() < deadline:
        if not alive(pid):
            return
        time.sleep(0.1)
    os.kill(pid, signal.SIGKILL)
    pytest.fail(f"prepare worker {pid} outlived the killed harvest by {10 * prepare.POLL_SECONDS} s")
