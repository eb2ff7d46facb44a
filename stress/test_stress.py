"""Long runs of the reliability scenarios (docs/reliability.md), each bounded in time:

* SIGKILL of the harvest at several points of a 20,000-row snapshot (10 % … 95 %, and during
  the final withdraw/commit), SQLite and PostgreSQL: never a mix, each re-run correct.
* A database that black-holes packets (accepts, never answers) instead of refusing: /healthz and
  GraphQL answer within PostgreSQL's connect_timeout (10 s) and the server recovers.
* A wide workbook (a cell in column XFD on every row): time and memory of the read.
The schema fuzzing runs longer through ``HUB_FUZZ_EXAMPLES`` (see the Makefile target).
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url

from hub.sources.harvest import harvest_source
from hub.registries import SourceSpec
from tests.reliability import test_kill
from tests.reliability.peak_rss import CHILD_HELPERS
from tests.reliability.servers import TcpProxy, wait_until

ROWS = 20_000


@pytest.mark.parametrize("kill_at", [0.10, 0.50, 0.95, 1.0])
def test_sigkill_at_many_points(store: Engine, tmp_path: Path, kill_at: float, monkeypatch: pytest.MonkeyPatch) -> None:
    """1.0: killed after the last row was read, i.e. while withdrawing/committing."""
    monkeypatch.setattr(test_kill, "ROWS", ROWS)
    monkeypatch.setattr(test_kill, "KILL_AFTER_ROWS", int(ROWS * kill_at) if kill_at < 1 else ROWS)
    test_kill.test_sigkill_mid_apply_leaves_old_or_new_snapshot_never_a_mix(store, tmp_path)


class Blackhole(TcpProxy):
    """Accepts connections and reads them, never answers: a network that drops packets."""

    def _accept(self, listener):  # type: ignore[no-untyped-def]
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            with self._lock:
                self._conns.add(client)


@pytest.mark.postgres
def test_a_blackholed_database_is_reported_within_the_connect_timeout(postgres_template: str, tmp_path: Path) -> None:
    from tests.api.live import LiveServer, seed_live
    from tests.conftest import postgres_admin_url

    admin_url = make_url(postgres_admin_url())
    name = f"ocop_bh_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{postgres_template}"'))
    seed_live(admin_url.set(database=name).render_as_string(hide_password=False))
    proxy = TcpProxy((admin_url.host or "127.0.0.1", admin_url.port or 5432)).start()
    url = admin_url.set(database=name, host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    server = LiveServer(url, tmp_path / "server.log").start()
    hole: Blackhole | None = None
    try:
        proxy.cut()
        hole = Blackhole(("127.0.0.1", 9))
        hole.port = proxy.port
        hole.start()
        started = time.monotonic()
        health = requests.get(server.url + "/healthz", timeout=60)
        elapsed = time.monotonic() - started
        print(f"blackhole: /healthz {health.status_code} after {elapsed:.1f} s")
        assert health.status_code == 503 and elapsed < 15
        hole.cut()
        proxy.restore()
        assert wait_until(lambda: requests.get(server.url + "/healthz", timeout=20).status_code == 200, 30)
    finally:
        server.stop()
        if hole is not None:
            hole.cut()
        proxy.stop()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


WIDE_CHILD = r"""
import json, sys, time
from hub.registries.xlsx_reader import read_xlsx
from hub.registries import SourceSpec
""" + CHILD_HELPERS + r"""data = open(sys.argv[1], "rb").read()
_reset_hwm()
base = _hwm_mb()
t = time.monotonic()
n = sum(1 for _ in read_xlsx(data, SourceSpec(name="w", province="Quảng Ninh", kind="xlsx", location=sys.argv[1])))
print(json.dumps({"rows": n, "seconds": time.monotonic() - t, "base_mb": base, "peak_mb": _hwm_mb()}))
"""


def test_a_wide_workbook_is_read_in_bounded_time(tmp_path: Path) -> None:
    """Every row has one cell in column XFD (16,384): openpyxl's read-only mode pads each row to
    16,384 cells. A CPU cost, reported here; the bound is generous."""
    import io
    import zipfile

    from tests.reliability.corpus import GOOD, HEADERS, replace_member, xlsx_bytes

    rows = 2_000
    sheet = ['<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>']
    cells = lambda r, vals: "".join(  # noqa: E731
        f'<c r="{chr(65 + i)}{r}" t="inlineStr"><is><t>{v}</t></is></c>' for i, v in enumerate(vals))
    sheet.append(f'<row r="1">{cells(1, HEADERS)}</row>')
    for r in range(2, rows + 2):
        g = GOOD[r % 3]
        sheet.append(f'<row r="{r}">{cells(r, [str(r), g[1] + f" {r}", *g[2:]])}'
                     f'<c r="XFD{r}" t="inlineStr"><is><t>x</t></is></c></row>')
    sheet.append("</sheetData></worksheet>")
    data = replace_member(xlsx_bytes([HEADERS]), "xl/worksheets/sheet1.xml", "".join(sheet).encode())
    assert zipfile.ZipFile(io.BytesIO(data)).testzip() is None
    path = tmp_path / "wide.xlsx"
    path.write_bytes(data)
    out = subprocess.run([sys.executable, "-c", WIDE_CHILD, str(path)], capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-2000:]
    result = json.loads(out.stdout.strip().splitlines()[-1])
    print(f"wide workbook ({len(data) // 1024} kB, {rows} rows × 16,384 columns): {result}")
    assert result["rows"] == rows and result["peak_mb"] < 600 and result["seconds"] < 300
