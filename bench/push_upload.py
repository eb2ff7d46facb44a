"""A large ``POST /push/file`` against a real ``ocop-hub serve`` (issue 24, finding 4): how long the
request takes and how much the server grows while answering it, then how long its background job
takes. ``python -m bench.push_upload [ROWS]`` (default 200,000 rows, a dry run, SQLite in a
temporary folder); prints one line per figure.
"""
from __future__ import annotations

import csv
import io
import sys
import tempfile
import time
from pathlib import Path

import requests

from bench.server import api_server
from hub.access.keys import create_key
from hub.vocabulary import Role
from hub.store_setup import init_store

HEADER = ["STT", "Tên sản phẩm", "Chủ thể", "Hạng sao", "Nhóm sản phẩm", "Ngày quyết định"]
JOB = "query($id: String!) { pushJob(id: $id) { status error records summary { rowsRead created } } }"
JOB_TIMEOUT_S = 1800


def csv_bytes(rows: int) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows([HEADER] + [[str(i + 1), f"Miến dong {i}", "HTX Miến dong", "3 sao", "Thực phẩm",
                                           "12/05/2024"] for i in range(rows)])
    return out.getvalue().encode("utf-8")


def server_rss_mb(port: int) -> float:
    """Resident memory of the process serving ``port`` (found by its command line)."""
    for proc in Path("/proc").iterdir():
        try:
            argv = (proc / "cmdline").read_bytes().split(b"\0")
            if b"serve" in argv and str(port).encode() in argv:
                for line in (proc / "status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1]) / 1024
        except OSError:
            continue
    raise RuntimeError(f"no server process for port {port}")


def main(rows: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="push-upload-"))
    url = f"sqlite:///{folder / 'hub.sqlite3'}"
    engine = init_store(url)
    token = create_key(engine, role=Role.PROVINCE, name="Sở NN Quảng Ninh", province_code="22")[1]
    engine.dispose()
    data = csv_bytes(rows)
    headers = {"Authorization": f"Bearer {token}"}
    with api_server(url, folder / "server.log") as base:
        port = int(base.rsplit(":", 1)[1])
        before = server_rss_mb(port)
        started = time.monotonic()
        answer = requests.post(f"{base}/push/file", headers=headers, data={"province": "22", "dryRun": "true"},
                               files={"file": ("ocop.csv", data)}, timeout=JOB_TIMEOUT_S)
        took = time.monotonic() - started
        print(f"{rows} rows, {len(data) / 1e6:.1f} MB: HTTP {answer.status_code} in {took:.1f} s, "
              f"server RSS {before:.0f} -> {server_rss_mb(port):.0f} MB")
        job = (answer.json().get("job") or {}).get("id")
        deadline = time.monotonic() + JOB_TIMEOUT_S
        while job and time.monotonic() < deadline:
            state = requests.post(f"{base}/graphql", json={"query": JOB, "variables": {"id": job}}, headers=headers,
                                  timeout=30).json()["data"]["pushJob"]
            if state["status"] not in ("queued", "running"):
                print(f"job {state['status']} {time.monotonic() - started:.1f} s after the upload: {state}")
                break
            time.sleep(1)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200_000)
