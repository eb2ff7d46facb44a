"""A real ``ocop-hub serve`` on loopback, over a migrated store with a few rows, for live tests.

``live_store_url`` (module scope, SQLite and PostgreSQL) copies the session's migrated template
(tests/conftest.py) and adds a small, known data set through the ORM; ``LiveServer`` runs the
CLI as a subprocess on a free port, waits for /healthz and is always stopped (bounded waits).
Test modules import the fixtures they use from here.
"""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest
import requests
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from hub.access.keys import create_key, verify_token
from hub.store.engine import make_engine, session_scope
from hub.ingest import ingest_rows
from hub.store.models import ImportBatch, Producer, Product, RejectedRecord, Source, SourceRecord
from hub.vocabulary import Role
from hub.push.submission import push_records
from hub.records import RawRow
from hub.normalize.fold import search_key

START_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 10.0
NOW = datetime.now(timezone.utc)


@dataclass(frozen=True)
class SeedProduct:
    name: str
    province: str  # current province code (reference data: 19 Thái Nguyên, 22 Quảng Ninh)
    stars: int
    group: str
    status: str
    producer: int  # index in PRODUCERS
    year: int


PRODUCERS = [
    ("HTX Chè Tân Cương", "cooperative", "19"),
    ("Công ty TNHH Hải sản Hạ Long", "enterprise", "22"),
]
SOURCES = [("thai-nguyen-registry", "csv", "Thái Nguyên", "19"), ("quang-ninh-push", "push", "Quảng Ninh", "22")]
PRODUCTS = [
    SeedProduct("Chè hoa vàng Đồng Hỷ", "19", 5, "BEVERAGE", "active", 0, 2023),
    SeedProduct("Chè Tân Cương đặc biệt", "19", 4, "BEVERAGE", "active", 0, 2022),
    SeedProduct("Trà xanh Tân Cương", "19", 4, "BEVERAGE", "expired", 0, 2020),
    SeedProduct("=HYPERLINK(\"http://x\") Mật ong", "19", 3, "FOOD", "active", 0, 2024),
    SeedProduct("Chả mực Hạ Long", "22", 5, "FOOD", "active", 1, 2021),
    SeedProduct("Rượu ba kích Quảng Ninh", "22", 3, "HERBAL", "active", 1, 2024),
    SeedProduct("Miến dong Bình Liêu", "22", 3, "FOOD", "withdrawn", 1, 2019),
]
REJECTED = [(7, "STARS_INVALID", "'sáu' is not a star rating"), (9, "GROUP_UNKNOWN", "unknown group 'đồ lưu niệm'")]
PROVINCE_NAMES = {"19": "Thái Nguyên", "22": "Quảng Ninh"}


def expected_stats() -> dict[tuple[str, int], int]:
    """(province code, stars) -> count, without withdrawn products: what `stats` must answer."""
    counts: dict[tuple[str, int], int] = {}
    for p in PRODUCTS:
        if p.status != "withdrawn":
            counts[(p.province, p.stars)] = counts.get((p.province, p.stars), 0) + 1
    return counts


def seed_live(url: str) -> None:
    """Add PRODUCERS, SOURCES, PRODUCTS (with provenance) and REJECTED to a migrated store."""
    engine = make_engine(url)
    try:
        with session_scope(engine) as s:
            sources, batches = [], []
            for name, kind, province_text, code in SOURCES:
                source = Source(name=name, kind=kind, province_text=province_text, province_code=code,
                                last_success_at=NOW - timedelta(days=1))
                s.add(source)
                s.flush()
                batch = ImportBatch(source_id=source.id, kind="push" if kind == "push" else "harvest",
                                    status="succeeded", started_at=NOW - timedelta(days=1),
                                    finished_at=NOW - timedelta(days=1), rows_read=10)
                s.add(batch)
                s.flush()
                sources.append(source)
                batches.append(batch)
            producers = []
            for j, (name, kind, code) in enumerate(PRODUCERS):
                producer = Producer(identity_key=f"live-producer-{j}", name=name, name_normalized=name,
                                    search_key=search_key(name), producer_type=kind, province_code=code,
                                    phone="0912 345 678", email="rieng.tu@example.vn")
                s.add(producer)
                producers.append(producer)
            s.flush()
            for i, p in enumerate(PRODUCTS):
                k = 0 if p.province == "19" else 1
                product = Product(
                    identity_key=f"live-product-{i}", name=p.name, name_normalized=p.name, search_key=search_key(p.name),
                    group_code=p.group, stars=p.stars, certified_year=p.year, status=p.status,
                    decision_number=f"{100 + i}/QĐ-UBND", decision_date=date(p.year, 6, 1),
                    producer_id=producers[p.producer].id, source_id=sources[k].id, province_code=p.province,
                    content_hash=f"live-{i}")
                s.add(product)
                s.flush()
                s.add(SourceRecord(source_id=sources[k].id, record_key=product.identity_key, row_number=i + 2,
                                   raw={"Tên sản phẩm": p.name}, content_hash=f"live-{i}", product_id=product.id,
                                   first_batch_id=batches[k].id, last_batch_id=batches[k].id))
            for row, code, message in REJECTED:
                s.add(RejectedRecord(batch_id=batches[0].id, source_id=sources[0].id, row_number=row,
                                     raw={"Tên sản phẩm": f"Dòng {row}"},
                                     errors=[{"code": code, "field": "stars", "message": message}]))
    finally:
        engine.dispose()


THAI_NGUYEN = {"Chè Tân Cương": "Thái Nguyên", "Miến dong Tân Cương": None}  # product → its province as written
BAC_KAN = ["Gạo nếp Bắc Kạn", "Miến dong Na Rì", "Cam Quang Thuận"]       # province written as pre-reform Bắc Kạn
QUANG_NINH_HARVEST = "quang-ninh-bo-sung"  # a supplementary registry (the name docs/operators.md uses)
QUANG_NINH = ["Chả mực Hạ Long", "Rượu ba kích"]


def push_record(name: str, stars: int = 3, **extra: Any) -> dict[str, Any]:
    return {"product_name": name, "producer_name": "HTX Nông sản Việt", "stars": stars, "group": "Thực phẩm",
            "decision_date": "15/06/2024", **extra}


def seed_pushes(url: str) -> None:
    """Batch 1: a Quảng Ninh harvest; 2: a push to Thái Nguyên (three records written as the
    pre-reform Bắc Kạn); 3: a push to Quảng Ninh, disagreeing with the harvest on one product's
    stars (a conflict). Every batch by the ministry's key "Văn phòng OCOP"."""
    engine = make_engine(url)
    try:
        ministry = verify_token(engine, create_key(engine, role=Role.MINISTRY, name="Văn phòng OCOP")[1])
        harvest = ingest_rows(engine, source_name=QUANG_NINH_HARVEST, source_kind="csv", province="Quảng Ninh",
                              rows=[RawRow(2, {k: str(v) for k, v in push_record(QUANG_NINH[0], stars=4).items()})])
        thai_nguyen = [push_record(n, **({"province": p} if p else {})) for n, p in THAI_NGUYEN.items()]
        pushes = [push_records(engine, ministry, province="19", records=thai_nguyen + [
                      push_record(n, province="Bắc Kạn") for n in BAC_KAN]),
                  push_records(engine, ministry, province="Quảng Ninh",
                               records=[push_record(QUANG_NINH[0]), push_record(QUANG_NINH[1], stars=5)])]
        assert harvest.created == 1 and [p.rejected for p in pushes] == [0, 0], (harvest, pushes)
    finally:
        engine.dispose()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _cli() -> list[str]:
    script = Path(sys.executable).with_name("ocop-hub")
    return [str(script)] if script.exists() else [sys.executable, "-m", "hub.cli.main"]


class LiveServer:
    """``ocop-hub serve`` as a subprocess; its output (uvicorn's access log) goes to ``log_path``.

    ``workers``: one worker process unless a test asks for more, or for ``None``, the serve
    command's own default (one per CPU on PostgreSQL). Each spawned worker imports the whole app
    again: two of them tripled a PostgreSQL server's start-up CPU for tests that test no workers."""

    def __init__(self, database_url: str, log_path: Path, env: dict[str, str] | None = None,
                 args: tuple[str, ...] = (), workers: int | None = 1) -> None:
        self.port = free_port()
        self.args = (*(("--workers", str(workers)) if workers is not None else ()), *args)  # more `serve` options
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self._env = {**os.environ, "HUB_DATABASE_URL": database_url, "PYTHONUNBUFFERED": "1", **(env or {})}
        self._proc: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int:
        """The server's process (``serve`` with one worker serves in it): for its memory figures."""
        assert self._proc is not None, "not started"
        return self._proc.pid

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace") if self.log_path.exists() else ""

    def start(self) -> "LiveServer":
        self._log_file = self.log_path.open("wb")
        self._proc = subprocess.Popen([*_cli(), "serve", "--host", "127.0.0.1", "--port", str(self.port), *self.args],
                                      env=self._env, stdout=self._log_file, stderr=subprocess.STDOUT,
                                      stdin=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                self.stop()
                raise RuntimeError(f"ocop-hub serve exited with {self._proc.returncode}:\n{self.log()[-3000:]}")
            try:
                if requests.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"ocop-hub serve not healthy after {START_TIMEOUT_S}s:\n{self.log()[-3000:]}")

    def stop(self) -> None:
        """SIGTERM (uvicorn's graceful stop), then SIGKILL; every wait bounded."""
        proc, self._proc = self._proc, None
        if proc is not None and proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=STOP_TIMEOUT_S)
        if getattr(self, "_log_file", None) is not None:
            self._log_file.close()
            self._log_file = None

    def __enter__(self) -> "LiveServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _pg_admin_url() -> str:
    from tests.conftest import postgres_admin_url

    return postgres_admin_url()


def sqlite_live_store(template: Path, folder: Path) -> str:
    """A copy of the migrated SQLite template in ``folder``, seeded; its URL."""
    path = folder / "hub.sqlite3"
    shutil.copyfile(template, path)
    url = f"sqlite:///{path}"
    seed_live(url)
    return url


def seeded_store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
                 seed: Callable[[str], None]) -> Iterator[str]:
    """For a module fixture parametrized "sqlite"/"postgres": a fresh migrated store (a copy of the
    session template), ``seed(url)`` applied to it; dropped at the end (PostgreSQL)."""
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("live") / "hub.sqlite3"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        url = f"sqlite:///{path}"
        seed(url)
        yield url
        return
    template_name: str = request.getfixturevalue("postgres_template")  # skips when unreachable
    name = f"ocop_live_{uuid.uuid4().hex[:12]}"
    admin = create_engine(_pg_admin_url(), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template_name}"'))
        url = make_url(_pg_admin_url()).set(database=name).render_as_string(hide_password=False)
        seed(url)
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def live_store_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A fresh migrated store (copied from the session template) with the seed above."""
    yield from seeded_store(request, tmp_path_factory, seed_live)


@pytest.fixture(scope="module")
def live_server(live_store_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A running ``ocop-hub serve`` on the seeded store, with the command's default workers (one
    per CPU on PostgreSQL, as deployed); stopped at the end of the module."""
    with LiveServer(live_store_url, tmp_path_factory.mktemp("serve") / "server.log", workers=None) as server:
        yield server


@pytest.fixture(scope="module")
def one_worker_server(live_store_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The same with one worker process (``--workers 1``; PostgreSQL's default is one per CPU), for
    modules that test no workers: one starts fastest on a busy machine."""
    with LiveServer(live_store_url, tmp_path_factory.mktemp("serve") / "server.log", workers=1) as server:
        yield server
