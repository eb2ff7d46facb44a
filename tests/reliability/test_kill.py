"""The harvest killed with SIGKILL while it applies a source (after several 2,000-row chunks were
written inside its transaction), on SQLite and PostgreSQL: the store then holds the old snapshot
whole, never a mix, and a re-run completes with the new one."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from hub.sources.harvest import harvest_source
from hub.store.models import ImportBatch, Product, SourceRecord
from hub.registries import SourceSpec
from tests.reliability.corpus import csv_bytes

ROWS = 6_000
KILL_AFTER_ROWS = 4_500  # two chunks of hub.ingest.run.CHUNK_SIZE already applied
HEADER = ["STT", "Tên sản phẩm", "Chủ thể", "Hạng sao", "Nhóm sản phẩm", "Năm công nhận"]
CHILD = r"""
import sys
from hub.store.engine import make_engine
from hub.sources.harvest import harvest_source
from hub.registries import SourceSpec
seen = 0
def on_row():
    global seen
    seen += 1
    if seen % 500 == 0:
        print(seen, flush=True)
s = harvest_source(make_engine(sys.argv[1]), SourceSpec(name="big", province="Quảng Ninh", kind="csv",
                                                         location=sys.argv[2]), on_row=on_row)
print("done", s.status, s.error, flush=True)
"""


def registry(stars: str, extra: int = 0) -> bytes:
    return csv_bytes([HEADER] + [[str(i), f"Sản phẩm số {i}", f"HTX Số {i // 4}", stars, "Thực phẩm", "2023"]
                                 for i in range(1, ROWS + 1 + extra)])


def state(engine: Engine) -> dict:
    with Session(engine) as s:
        stars = dict(s.execute(select(Product.stars, func.count()).group_by(Product.stars)).all())
        statuses = dict(s.execute(select(ImportBatch.status, func.count()).group_by(ImportBatch.status)).all())
        records = s.execute(select(func.count()).select_from(SourceRecord)).scalar_one()
        return {"products_by_stars": stars, "batches": statuses, "source_records": records}


def test_sigkill_mid_apply_leaves_old_or_new_snapshot_never_a_mix(store: Engine, tmp_path: Path) -> None:
    old, new = tmp_path / "old.csv", tmp_path / "new.csv"
    old.write_bytes(registry("3 sao"))
    new.write_bytes(registry("4 sao", extra=500))
    first = harvest_source(store, SourceSpec(name="big", province="Quảng Ninh", kind="csv", location=str(old)))
    assert first.status == "succeeded" and first.created == ROWS
    before = state(store)
    assert before["products_by_stars"] == {3: ROWS}

    url = store.url.render_as_string(hide_password=False)
    proc = subprocess.Popen([sys.executable, "-c", CHILD, url, str(new)], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, cwd=Path(__file__).resolve().parents[2])
    started, killed_at = time.monotonic(), None
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.strip().isdigit() and int(line) >= KILL_AFTER_ROWS:
            proc.send_signal(signal.SIGKILL)
            killed_at = int(line)
            break
        assert time.monotonic() - started < 120, "harvest too slow"
    proc.wait(timeout=30)
    assert killed_at is not None and proc.returncode == -signal.SIGKILL, "the child finished before the kill"
    print(f"{store.dialect.name}: killed after {killed_at} rows, {time.monotonic() - started:.1f} s")

    store.dispose()  # the killed writer's connections are gone; start clean like a restarted process
    assert state(store) == before  # the old snapshot, whole: no 4★ product, no extra row, no batch

    started = time.monotonic()
    rerun = harvest_source(store, SourceSpec(name="big", province="Quảng Ninh", kind="csv", location=str(new)))
    assert rerun.status == "succeeded", rerun.error
    assert (rerun.updated, rerun.created) == (ROWS, 500)
    after = state(store)
    assert after["products_by_stars"] == {4: ROWS + 500}
    assert after["batches"] == {"succeeded": 2} and after["source_records"] == ROWS + 500
    print(f"{store.dialect.name}: re-run in {time.monotonic() - started:.1f} s")
