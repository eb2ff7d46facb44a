"""Exports carry the commune's name, the sources a product comes from and its warnings (codes and
fields only), in CSV and Parquet alike, each checked against the store read another way."""
from __future__ import annotations

import csv
import io
import json

from datetime import datetime, timezone

import pyarrow.parquet as pq
import pytest
from sqlalchemy import text
from sqlmodel import select

from hub.store.engine import session_scope
from hub.store.certificate_log import sync_certificates
from hub.store.models import Product

ALL = "?status=active,expired,withdrawn"


def _csv(client, path: str) -> list[dict[str, str]]:
    response = client.get(path)
    assert response.status_code == 200, response.text
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def _expected(engine) -> dict[int, tuple[str, str, str]]:
    """Per product id: commune name, sources (owner first, then by name), owner's warnings as CODE:field."""
    with engine.connect() as conn:
        products = conn.execute(text("SELECT p.id, p.source_id, c.name FROM product p "
                                     "LEFT JOIN commune c ON c.code = p.commune_code")).all()
        records = conn.execute(text("SELECT r.product_id, r.source_id, s.name, r.warnings FROM source_record r "
                                    "JOIN source s ON s.id = r.source_id ORDER BY s.name")).all()
    out = {}
    for pid, owner, commune in products:
        mine = [r for r in records if r.product_id == pid]
        names = [r.name for r in mine if r.source_id == owner] + [r.name for r in mine if r.source_id != owner]
        [own] = [r for r in mine if r.source_id == owner]
        warnings = own.warnings if isinstance(own.warnings, list) else json.loads(own.warnings or "null")  # SQLite: text
        out[pid] = (commune or "", "; ".join(names), "; ".join(f"{w['code']}:{w['field']}" for w in warnings or []))
    return out


def test_csv_and_parquet_carry_commune_sources_and_warnings(client, engine) -> None:
    expected = _expected(engine)
    rows = _csv(client, "/export/products.csv" + ALL)
    assert len(rows) == len(expected)
    got = {int(r["id"]): (r["commune_name"], r["sources"], r["warnings"]) for r in rows}
    assert got == expected
    assert any(c == "Xã Tân Cương" for c, _, _ in got.values())
    assert any(";" in s for _, s, _ in got.values()), "a product listed by two sources"
    assert "PRODUCER_MISSING:producer_name; GROUP_UNKNOWN:group" in {w for _, _, w in got.values()}
    table = pq.read_table(io.BytesIO(client.get("/export/products.parquet" + ALL).content)).to_pylist()
    assert {r["id"]: (r["commune_name"] or "", r["sources"], r["warnings"] or "") for r in table} == expected


def test_warnings_never_quote_the_value_or_message(client) -> None:
    body = client.get("/export/products.csv" + ALL).content.decode("utf-8-sig")
    assert "quà quê' is not in the taxonomy" not in body and "no producer named" not in body


@pytest.fixture(scope="module")
def certificates(engine) -> None:
    """The seeded products' certificates, recorded as a batch would (the seed writes none)."""
    with session_scope(engine) as s:
        products = s.exec(select(Product)).all()
        sync_certificates(s, [], None, datetime.now(timezone.utc), created=products)


def test_a_dated_download_carries_them_too(client, certificates) -> None:
    today = {r["id"]: r for r in _csv(client, "/export/products.csv" + ALL)}
    dated = _csv(client, "/export/products.csv?asOf=2030-01-01&status=active,expired,withdrawn")
    assert len(dated) > 100
    for row in dated:
        assert (row["sources"], row["warnings"], row["commune_name"]) == (
            today[row["id"]]["sources"], today[row["id"]]["warnings"], today[row["id"]]["commune_name"])


def test_vietnamese_headers_name_the_new_columns(client) -> None:
    header = next(csv.reader(io.StringIO(client.get("/export/products.csv?lang=vi").content.decode("utf-8-sig"))))
    assert {"Xã, phường", "Nguồn", "Cảnh báo"} <= set(header)
