"""API fixtures: a small, varied store built through the ORM, on SQLite and on PostgreSQL.

One database per test module and backend (the API only reads), seeded once. PostgreSQL tests
skip with the reason when 127.0.0.1:5432 (or HUB_TEST_DATABASE_URL) does not answer.
"""
from __future__ import annotations

import os
import uuid
from datetime import date, datetime, timedelta, timezone
from typing import Any, Callable, Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url
from sqlmodel import SQLModel
from starlette.testclient import TestClient

from hub.server import create_app
from hub.store.engine import make_engine, session_scope
from hub.store.models import (Commune, ImportBatch, LegacyUnit, Producer, Product, Province, RejectedRecord,
                        Source, SourceRecord)
from hub.normalize.fold import search_key

PG_ADMIN_URL = os.environ.get("HUB_TEST_DATABASE_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/test")
T0 = datetime(2025, 1, 1, tzinfo=timezone.utc)
NOW = datetime.now(timezone.utc)
PERSONAL = {"phone": "0912 345 678", "email": "rieng.tu@example.vn", "contact_person": "Nguyễn Văn Riêng"}
GROUPS = ["FOOD", "BEVERAGE", "HERBAL", "HANDICRAFT", "ORNAMENTAL", "TOURISM"]
STATUS_OF = lambda i: "withdrawn" if i % 11 == 0 else "expired" if i % 7 == 0 else "active"  # noqa: E731
GENERATED = 200
UNKNOWN_PARTS = ["Quà quê không rõ chủ thể", "Đặc sản chưa phân nhóm"]  # no producer, no group
REJECTED_ROWS = 700
SPECIAL_NAMES = [
    "Chè hoa vàng Đồng Hỷ",       # search with/without diacritics, đ
    "Rượu men lá Hoá Thượng",     # old tone placement "Hoá"
    "Miến dong Hóa Phúc",         # new tone placement "Hóa"
    "=HYPERLINK(\"http://x\")",   # spreadsheet formula injection
    "+84 Trà shan tuyết",
    "-Bánh chưng Bờ Đậu",
    "@SUM(1)",
    "Mật ong_rừng 100%",          # LIKE wildcards in names
]


def _pg_unreachable() -> str | None:
    try:
        engine = create_engine(PG_ADMIN_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
        return None
    except Exception as exc:  # any failure to connect means skip, with the reason
        return f"PostgreSQL unreachable at {make_url(PG_ADMIN_URL).render_as_string()}: {type(exc).__name__}"


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if request.param == "sqlite":
        yield "sqlite:///" + str(tmp_path_factory.mktemp("api") / "t.sqlite3")
        return
    reason = _pg_unreachable()
    if reason:
        pytest.skip(reason)
    name = f"ocop_api_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="module")
def engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    SQLModel.metadata.create_all(engine)
    seed(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def client(engine: Engine) -> Iterator[TestClient]:
    with TestClient(create_app(engine)) as c:
        yield c


@pytest.fixture(scope="module")
def gql(client: TestClient) -> Callable[..., dict[str, Any]]:
    """POST a query; return the JSON body (data and errors)."""
    def run(query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        response = client.post("/graphql", json={"query": query, "variables": variables or {}})
        assert response.status_code == 200, response.text
        return response.json()
    return run


@pytest.fixture(scope="module")
def data(gql: Callable[..., dict[str, Any]]) -> Callable[..., Any]:
    """Like ``gql`` but asserts there were no errors and returns ``data``."""
    def run(query: str, variables: dict[str, Any] | None = None) -> Any:
        body = gql(query, variables)
        assert not body.get("errors"), body["errors"]
        return body["data"]
    return run


def seed(engine: Engine) -> None:
    with session_scope(engine) as s:
        for code, name in [("19", "Thái Nguyên"), ("22", "Quảng Ninh"), ("86", "Vĩnh Long"), ("08", "Tuyên Quang")]:
            s.add(Province(code=code, name=name, full_name=f"Tỉnh {name}", search_key=search_key(name)))
        s.flush()
        s.add(Commune(code="05443", name="Xã Tân Cương", province_code="19", search_key="xa tan cuong"))
        for code, name, current in [("06", "Bắc Kạn", "19"), ("19", "Thái Nguyên", "19"), ("22", "Quảng Ninh", "22"),
                                    ("84", "Trà Vinh", "86"), ("83", "Bến Tre", "86"), ("86", "Vĩnh Long", "86"),
                                    ("08", "Tuyên Quang", "08"), ("02", "Hà Giang", "08")]:
            s.add(LegacyUnit(level="province", code=code, name=name, search_key=search_key(name),
                             legacy_province_code=code, current_province_code=current))
        s.add(LegacyUnit(level="district", code="164", name="Đồng Hỷ", search_key="dong hy",
                         legacy_province_code="19", current_province_code="19"))
        types = ["cooperative", "enterprise", "cooperative_group", "household", None]
        producers = []
        for j in range(12):
            province = ["19", "22", "86"][j % 3]
            name = ["HTX Chè Tân Cương", "Công ty TNHH Đại Dương", "Tổ hợp tác Hoá Quỳnh", "Hộ kinh doanh Lê Thị Đào"][j % 4]
            p = Producer(identity_key=f"producer-{j}", name=f"{name} {j}", name_normalized=f"{name} {j}",
                         search_key=search_key(f"{name} {j}"), producer_type=types[j % 5], province_code=province,
                         commune_code="05443" if province == "19" else None, address=f"Thôn {j}", tax_code=f"01000{j:05d}",
                         updated_at=T0 + timedelta(days=j), **PERSONAL)
            s.add(p)
            producers.append(p)
        s.flush()
        sources = {
            "19": Source(name="thai-nguyen-registry", kind="csv", province_text="Thái Nguyên", province_code="19",
                         last_success_at=NOW - timedelta(days=2)),
            "22": Source(name="quang-ninh-push", kind="push", province_text="Quảng Ninh", province_code="22",
                         last_success_at=None),
            "86": Source(name="vinh-long-xlsx", kind="xlsx", province_text="Tỉnh Vĩnh Long", province_code="86",
                         last_success_at=NOW - timedelta(days=200)),
        }
        s.add_all(sources.values())
        s.flush()
        batches = {}
        for code, source in sources.items():
            old = ImportBatch(source_id=source.id, kind="harvest", status="succeeded", started_at=NOW - timedelta(days=300),
                              finished_at=NOW - timedelta(days=300))
            s.add(old)
            s.flush()
            s.add(RejectedRecord(batch_id=old.id, source_id=source.id, row_number=1, raw={"old": "row"},
                                 errors=[{"code": "OLD", "field": "x", "message": "from an older batch"}]))
            status = {"19": "succeeded", "22": "succeeded", "86": "failed"}[code]
            latest = ImportBatch(source_id=source.id, kind="push" if code == "22" else "harvest", status=status,
                                 started_at=NOW - timedelta(days=10 if code == "22" else 2),
                                 finished_at=NOW - timedelta(days=10 if code == "22" else 2), rows_read=100)
            s.add(latest)
            s.flush()
            batches[code] = latest
        dry = ImportBatch(source_id=sources["19"].id, kind="harvest", status="dry_run", started_at=NOW, finished_at=NOW)
        s.add(dry)
        s.flush()
        s.add(RejectedRecord(batch_id=dry.id, source_id=sources["19"].id, row_number=1, raw={}, errors=[]))
        for r in range(REJECTED_ROWS):
            s.add(RejectedRecord(
                batch_id=batches["19"].id, source_id=sources["19"].id, row_number=r + 2,
                raw={"Tên sản phẩm": f"=bad {r}", "Số sao": "sáu"},
                errors=[{"code": "STARS_INVALID", "field": "stars", "message": f"'sáu' is not a star rating (row {r + 2})", "value": "sáu"},
                        {"code": "GROUP_UNKNOWN", "field": "group", "message": "unknown group", "value": None}]))
        s.add(RejectedRecord(batch_id=batches["86"].id, source_id=sources["86"].id, row_number=5, raw={"a": "1"},
                             errors=[{"code": "PROVINCE_MISMATCH", "field": "province", "message": "wrong province"}]))
        for i in range(GENERATED + len(SPECIAL_NAMES)):
            province = ["19", "22", "86"][i % 3]
            name = SPECIAL_NAMES[i - GENERATED] if i >= GENERATED else f"Sản phẩm {['Trà', 'Gạo', 'Nấm', 'Mây tre', 'Lan', 'Homestay'][i % 6]} {i:03d}"
            legacy = {"19": "Bắc Kạn" if i % 2 else "Thái Nguyên", "22": None if i % 5 == 0 else "Quảng Ninh",
                      "86": "Trà Vinh" if i % 4 == 0 else "Vĩnh Long"}[province]
            producer = producers[(i // 3) % 4 * 3 + i % 3]  # same province as the product
            product = Product(
                identity_key=f"product-{i}", name=name, name_normalized=name, search_key=search_key(name),
                group_code=GROUPS[(i * 5) % 6], group_text=["nông sản", "rượu", "dược liệu", "+ thủ công"][i % 4],
                stars=[3, 3, 4, 4, 4, 5, 3, 5][(i // 2) % 8], score=50 + i % 50, certified_year=[2019, 2020, 2021, 2022, 2023, 2024, 2025, None][(i * 3) % 8],
                decision_number=f"{i}/QĐ-UBND", decision_date=date(2023, 1 + i % 12, 1), status=STATUS_OF(i),
                producer_id=producer.id, source_id=sources[province].id, province_code=province,
                commune_code="05443" if province == "19" and i % 2 else None,
                legacy_province=legacy, unit_text=f"Xã {i}", content_hash=f"h{i}",
                updated_at=T0 + timedelta(hours=i // 2),  # pairs share updated_at: ties broken by id
            )
            s.add(product)
            s.flush()
            batch = batches[province]
            s.add(SourceRecord(source_id=sources[province].id, record_key=product.identity_key, row_number=i + 2,
                               raw={"name": name}, content_hash=f"h{i}", product_id=product.id, present=i % 13 != 0,
                               first_batch_id=batch.id, last_batch_id=batch.id))
            if i % 10 == 1 and province != "22":
                other = sources["22"]
                s.add(SourceRecord(source_id=other.id, record_key=product.identity_key, row_number=1000 + i, raw={},
                                   content_hash=f"h{i}", product_id=product.id, first_batch_id=batches["22"].id,
                                   last_batch_id=batches["22"].id))
        for k, name in enumerate(UNKNOWN_PARTS):  # the registry named no producer and no group the hub knows
            product = Product(identity_key=f"unknown-{k}", name=name, name_normalized=name, search_key=search_key(name),
                              group_code=None, group_text=None if k else "quà quê", stars=3 + k, status="active",
                              producer_id=None, source_id=sources["19"].id, province_code="19", content_hash=f"u{k}",
                              updated_at=T0)
            s.add(product)
            s.flush()
            s.add(SourceRecord(source_id=sources["19"].id, record_key=product.identity_key, row_number=900 + k,
                               raw={"name": name}, content_hash=f"u{k}", product_id=product.id,
                               first_batch_id=batches["19"].id, last_batch_id=batches["19"].id,
                               warnings=[{"code": "PRODUCER_MISSING", "field": "producer_name",
                                          "message": "no producer named", "value": None},
                                         {"code": "GROUP_UNKNOWN", "field": "group",
                                          "message": "group 'quà quê' is not in the taxonomy", "value": "quà quê"}]))
