"""/export/stats.csv and .parquet, and `stats`' producerCount, on SQLite and PostgreSQL.

The table is `stats` with every unit listed (zeros included), its counts checked against a
hand-written GROUP BY, its producer counts against COUNT(DISTINCT producer_id), its days against
the certificates counted one by one in Python (hub.store.as_of.held_on).
"""
from __future__ import annotations

import io
import re
from collections import Counter
from datetime import date, datetime, timezone

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from hub.api import stats_export
from hub.api.export_columns import VI_TERMS
from hub.api.enums import ProductGroup
from hub.store.as_of import held_on, status_of
from hub.store.as_of_counts import recount_as_of
from hub.store.certificate_log import sync_certificates
from hub.store.models import Certificate, Product
from tests.api.test_exports import read_csv
from tests.api.test_stats import STATUS_DEFAULT, hand_written

PROVINCES = ["08", "19", "22", "86"]  # the test store's current provinces, by code
MEASURES = ["product_count", "producer_count"]


@pytest.fixture(scope="module")
def certificates(engine) -> None:
    """Each product's certificate, as the ingest would have recorded it (the store is built through the ORM)."""
    with Session(engine) as session:
        products = list(session.scalars(select(Product)))
        sync_certificates(session, [], None, datetime(2025, 1, 1, tzinfo=timezone.utc), created=products)
        recount_as_of(session, PROVINCES)
        session.commit()


def producers_sql(engine, columns: str, where: str) -> Counter:
    sql = (f"SELECT {columns + ', ' if columns else ''}COUNT(DISTINCT p.producer_id) FROM product p "
           "JOIN province pv ON pv.code = p.province_code LEFT JOIN producer pr ON pr.id = p.producer_id "
           f"WHERE {where}" + (f" GROUP BY {columns}" if columns else ""))
    with engine.connect() as conn:
        return Counter({tuple(row[:-1]): row[-1] for row in conn.execute(text(sql)) if row[-1]})


def test_every_province_and_star_is_listed_zeros_included(client, engine):
    rows = read_csv(client.get("/export/stats.csv?groupBy=province,stars"))
    assert list(rows[0]) == ["as_of", "province_code", "province_name", "stars", *MEASURES]
    assert [(r["province_code"], int(r["stars"])) for r in rows] == [(p, s) for p in PROVINCES for s in (3, 4, 5)]
    expected = hand_written(engine, ["PROVINCE", "STARS"], STATUS_DEFAULT)
    got = {(r["province_code"], r["province_name"], int(r["stars"])): int(r["product_count"]) for r in rows}
    assert {k: n for k, n in got.items() if n} == expected
    assert all(int(r["product_count"]) == 0 for r in rows if r["province_code"] == "08"), "no products there"
    assert {r["as_of"] for r in rows} == {date.today().isoformat()}


def test_every_group_and_status_and_the_unknown_group(client, engine):
    rows = read_csv(client.get("/export/stats.csv?groupBy=GROUP&groupBy=status"))
    keys = [(r["group"], r["status"]) for r in rows]
    assert keys == [(g.name, s) for g in ProductGroup for s in ("ACTIVE", "EXPIRED")] + [("", "ACTIVE"), ("", "EXPIRED")]
    unknown = [r for r in rows if r["group"] == ""]
    assert [(int(r["product_count"]), int(r["producer_count"])) for r in unknown] == [(2, 0), (0, 0)], \
        "the two products without a producer count as products, not producers"
    withdrawn = read_csv(client.get("/export/stats.csv?groupBy=status&status=withdrawn,active"))
    assert [r["status"] for r in withdrawn] == ["ACTIVE", "WITHDRAWN"]


def test_producer_counts_are_distinct_producers_with_a_matching_product(client, engine, data):
    for dims, columns in ((["PROVINCE", "GROUP"], "pv.code, pv.name, p.group_code"), (["PRODUCER_TYPE"], "pr.producer_type"),
                          ([], "")):
        expected = producers_sql(engine, columns, STATUS_DEFAULT)
        rows = read_csv(client.get("/export/stats.csv?" + "&".join(f"groupBy={d}" for d in dims)))
        shown = Counter()
        for r in rows:
            key = tuple(v for d in dims for v in {
                "PROVINCE": (r.get("province_code"), r.get("province_name")), "GROUP": (r.get("group") or None,),
                "PRODUCER_TYPE": ((r.get("producer_type") or "").lower() or None,)}[d])
            if int(r["producer_count"]):
                shown[key] = int(r["producer_count"])
        assert shown == expected and sum(expected.values()) > 0, dims
    api = data("{ stats(groupBy: [PROVINCE]) { key { province { code } } count producerCount } }")["stats"]
    by_sql = producers_sql(engine, "pv.code", STATUS_DEFAULT)
    assert {(b["key"]["province"]["code"],): b["producerCount"] for b in api} == by_sql


def test_filters_are_the_products_export_s_and_agree_with_graphql(client, data):
    params = "province=Th%C3%A1i%20Nguy%C3%AAn,86&stars=4,5&yearFrom=2020&search=tra&source=thai-nguyen-registry"
    rows = read_csv(client.get(f"/export/stats.csv?groupBy=province,year&{params}"))
    api = data("""{ stats(groupBy: [PROVINCE, YEAR], filter: {province: ["19", "86"], stars: [4, 5], yearFrom: 2020,
                   search: "tra", source: ["thai-nguyen-registry"]}) { key { province { code } year } count producerCount } }""")
    expected = {(b["key"]["province"]["code"], b["key"]["year"]): (b["count"], b["producerCount"]) for b in api["stats"]}
    got = {(r["province_code"], int(r["certified_year"]) if r["certified_year"] else None):
           (int(r["product_count"]), int(r["producer_count"])) for r in rows}
    assert expected and {k: v for k, v in got.items() if v[0]} == expected
    assert {r["province_code"] for r in rows} == {"19", "86"}
    years = sorted({int(r["certified_year"]) for r in rows if r["certified_year"]})
    assert years == list(range(2020, years[-1] + 1)), "every year of the span, none skipped"


def test_vietnamese_headers_and_labels_and_formula_safety(client):
    response = client.get("/export/stats.csv?groupBy=group,producerType&lang=vi")
    rows = read_csv(response)
    assert list(rows[0]) == ["Tại ngày", "Nhóm sản phẩm", "Loại chủ thể", "Số sản phẩm", "Số chủ thể có sản phẩm"]
    assert {r["Nhóm sản phẩm"] for r in rows} == {VI_TERMS[g] for g in ProductGroup} | {""}
    assert "Hộ sản xuất, kinh doanh" in {r["Loại chủ thể"] for r in rows}
    assert re.fullmatch(r'attachment; filename="ocop-stats_\d{4}-\d{2}-\d{2}_v\d+\.csv"',
                        response.headers["content-disposition"])  # what it is, as every download says
    assert 'export/datapackage.json>; rel="describedby"' in response.headers["link"]
    legacy = read_csv(client.get("/export/stats.csv?groupBy=legacyProvince&province=86"))
    assert [r["legacy_province"] for r in legacy] == ["Bến Tre", "Trà Vinh", "Vĩnh Long"], \
        "every pre-reform province of the current one, zeros included (none of Bến Tre's products here)"


def test_parquet_is_the_same_table_with_types(client):
    csv_rows = read_csv(client.get("/export/stats.csv?groupBy=province,status"))
    response = client.get("/export/stats.parquet?groupBy=province,status")
    assert response.status_code == 200 and response.headers["content-type"] == "application/vnd.apache.parquet"
    table = pq.read_table(io.BytesIO(response.content))
    assert table.schema.field("province_code").type == pa.string() and table.schema.field("as_of").type == pa.date32()
    assert table.schema.field("product_count").type == pa.int64()
    assert table.column("province_code").to_pylist()[0] == "08"
    metadata = table.schema.metadata
    assert metadata[b"ocop:licence"] and b"ocop:citation" in metadata and metadata[b"ocop:data_version"].isdigit()
    as_text = [{k: ("" if v is None else str(v)) for k, v in row.items()} for row in table.to_pylist()]
    assert as_text == csv_rows


@pytest.mark.parametrize("query,message", [
    ("groupBy=stars,planet", "Parameter 'groupBy': unknown dimension 'planet'"),
    ("groupBy=province&province=Atlantis", "unknown province 'Atlantis'"),
    ("groupBy=stars&stars=9", "`stars` takes ratings from 1 to 5; got 9."),  # as GraphQL says it (BAD_FILTER)
    ("groupBy=stars&asOf=31-12-2024", "Parameter 'asOf': expected a date"),
    ("groupBy=stars&colour=red", "Unknown parameter(s) colour"),
    ("groupBy=stars" + "".join(f"&asOf=2024-01-{d:02d}" for d in range(1, 32)) + "".join(
        f"&asOf=2024-02-{d:02d}" for d in range(1, 11)), "at most 40 days"),
])
def test_bad_parameters_are_a_400_naming_them(client, query, message):
    for path in ("/export/stats.csv", "/export/stats.parquet"):
        response = client.get(f"{path}?{query}")
        assert response.status_code == 400 and message in response.json()["error"], (path, response.text)


def test_a_table_too_large_is_refused_before_a_byte(client, monkeypatch):
    monkeypatch.setattr(stats_export, "MAX_ROWS", 11)
    response = client.get("/export/stats.csv?groupBy=province,stars")
    assert response.status_code == 400 and "makes 12 rows a day; at most 11" in response.json()["error"]
    assert client.get("/export/stats.csv?groupBy=province").status_code == 200


def _held(engine, day: date) -> list[tuple[str, int, str, int | None]]:
    """(province, stars, status, producer) of each product held on ``day``, counted one by one."""
    with Session(engine) as session:
        rows = session.execute(select(Certificate.__table__)).all()
        producer_of = dict(session.execute(select(Product.id, Product.producer_id)).all())
    return [(row.province_code, row.stars, status_of(row, day), producer_of[pid])
            for pid, row in held_on(rows, day).items()]


@pytest.mark.parametrize("day", [date(2023, 3, 15), date(2023, 8, 1)])
def test_as_of_counts_the_certificates_held_that_day(client, engine, data, certificates, day):
    held = [h for h in _held(engine, day) if h[2] in ("active", "expired")]
    rows = read_csv(client.get(f"/export/stats.csv?groupBy=province,stars&asOf={day.isoformat()}"))
    assert {r["as_of"] for r in rows} == {day.isoformat()} and len(rows) == len(PROVINCES) * 3
    products = Counter((p, s) for p, s, _, _ in held)
    producers = Counter((p, s) for p, s, _ in {(p, s, pr) for p, s, _, pr in held if pr is not None})
    assert sum(products.values()) > 0
    assert {(r["province_code"], int(r["stars"])): int(r["product_count"]) for r in rows if int(r["product_count"])} \
        == products
    assert {(r["province_code"], int(r["stars"])): int(r["producer_count"]) for r in rows if int(r["producer_count"])} \
        == producers
    api = data("query($d: Date) { stats(groupBy: [PROVINCE, STARS], asOf: $d) { key { province { code } stars } "
               "count producerCount } }", {"d": day.isoformat()})["stats"]
    assert {(b["key"]["province"]["code"], b["key"]["stars"]): (b["count"], b["producerCount"]) for b in api} == \
        {k: (products[k], producers.get(k, 0)) for k in products}


def test_repeated_as_of_gives_a_block_per_day(client, certificates):
    rows = read_csv(client.get("/export/stats.csv?groupBy=status&asOf=2023-03-15&as_of=2023-08-01&knownAt=2026-01-01T00:00:00Z"))
    assert [(r["as_of"], r["status"]) for r in rows] == [
        ("2023-03-15", "ACTIVE"), ("2023-03-15", "EXPIRED"), ("2023-08-01", "ACTIVE"), ("2023-08-01", "EXPIRED")]
    one_day = read_csv(client.get("/export/stats.csv?groupBy=status&asOf=2023-08-01"))
    assert [r["product_count"] for r in rows[2:]] == [r["product_count"] for r in one_day]
    before = read_csv(client.get("/export/stats.csv?groupBy=status&asOf=2023-08-01&knownAt=2024-12-31T00:00:00Z"))
    assert sum(int(r["product_count"]) for r in before) == 0, "the hub recorded these certificates on 1 January 2025"
