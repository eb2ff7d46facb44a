"""`stats` equals a hand-written GROUP BY on the same data, for many dimension combinations."""
from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from sqlalchemy import text

STATUS_DEFAULT = "p.status IN ('active', 'expired')"
# dimension → (SQL expression(s) of the hand-written query, extractor from a StatsKey)
DIMS: dict[str, tuple[str, Any]] = {
    "PROVINCE": ("pv.code, pv.name", lambda k: (k["province"]["code"], k["province"]["name"])),
    "LEGACY_PROVINCE": ("p.legacy_province", lambda k: (k["legacyProvince"],)),
    "STARS": ("p.stars", lambda k: (k["stars"],)),
    "GROUP": ("p.group_code", lambda k: (k["group"],)),
    "PRODUCER_TYPE": ("pr.producer_type", lambda k: (k["producerType"].lower() if k["producerType"] else None,)),
    "YEAR": ("p.certified_year", lambda k: (k["year"],)),
    "STATUS": ("p.status", lambda k: (k["status"].lower(),)),
}
QUERY = """query($g: [StatsDimension!]!, $f: ProductFilter) {
  stats(groupBy: $g, filter: $f) {
    key { province { code name } legacyProvince stars group producerType year status }
    count
  }
}"""


def hand_written(engine, dims: list[str], where: str) -> Counter:
    columns = ", ".join(DIMS[d][0] for d in dims)
    sql = (f"SELECT {columns + ', ' if columns else ''}COUNT(*) FROM product p "
           "JOIN province pv ON pv.code = p.province_code LEFT JOIN producer pr ON pr.id = p.producer_id "
           f"WHERE {where}" + (f" GROUP BY {columns}" if columns else ""))
    with engine.connect() as conn:
        return Counter({tuple(row[:-1]): row[-1] for row in conn.execute(text(sql))})


def from_api(buckets: list[dict], dims: list[str]) -> Counter:
    result: Counter = Counter()
    for b in buckets:
        key = tuple(v for d in dims for v in DIMS[d][1](b["key"]))
        assert key not in result, f"duplicate bucket {key}"
        result[key] = b["count"]
    return result


@pytest.mark.parametrize("dims", [
    ["PROVINCE"], ["STARS"], ["PROVINCE", "STARS"], ["LEGACY_PROVINCE"], ["GROUP", "YEAR"],
    ["PRODUCER_TYPE"], ["PROVINCE", "PRODUCER_TYPE", "STARS"], ["STATUS"], ["YEAR", "STATUS", "GROUP"],
    ["PROVINCE", "LEGACY_PROVINCE", "STARS", "GROUP", "PRODUCER_TYPE", "YEAR", "STATUS"], [],
])
@pytest.mark.parametrize("api_filter,where", [
    (None, STATUS_DEFAULT),
    ({"province": ["19", "86"], "stars": [4, 5]}, f"{STATUS_DEFAULT} AND p.province_code IN ('19','86') AND p.stars IN (4,5)"),
    ({"status": ["WITHDRAWN", "ACTIVE"]}, "p.status IN ('withdrawn', 'active')"),
    ({"yearFrom": 2021, "yearTo": 2023, "group": ["FOOD", "HERBAL"]},
     f"{STATUS_DEFAULT} AND p.certified_year BETWEEN 2021 AND 2023 AND p.group_code IN ('FOOD','HERBAL')"),
    ({"producerType": ["HOUSEHOLD", "COOPERATIVE"], "legacyProvince": ["Bắc Kạn", "Trà Vinh"]},
     f"{STATUS_DEFAULT} AND pr.producer_type IN ('household','cooperative') AND p.legacy_province IN ('Bắc Kạn','Trà Vinh')"),
    ({"source": ["quang-ninh-push"]},
     f"{STATUS_DEFAULT} AND p.id IN (SELECT sr.product_id FROM source_record sr JOIN source s ON s.id = sr.source_id "
     "WHERE s.name = 'quang-ninh-push')"),
])
def test_stats_equal_hand_written_group_by(engine, data, dims, api_filter, where):
    buckets = data(QUERY, {"g": dims, "f": api_filter})["stats"]
    expected = hand_written(engine, dims, where)
    assert sum(expected.values()) > 0
    assert from_api(buckets, dims) == expected


def test_default_excludes_withdrawn(engine, data):
    total = data("{ stats(groupBy: []) { count } }")["stats"]
    with engine.connect() as conn:
        withdrawn = conn.execute(text("SELECT COUNT(*) FROM product WHERE status = 'withdrawn'")).scalar()
        everything = conn.execute(text("SELECT COUNT(*) FROM product")).scalar()
    assert withdrawn > 0
    assert total == [{"count": everything - withdrawn}]


def _statements(engine, queries: list[str], gql) -> list[str]:
    from sqlalchemy import event
    statements: list[str] = []

    def record(conn, cursor, statement, *args):
        if statement.split(" ", 1)[0].upper() not in ("BEGIN", "COMMIT", "ROLLBACK"):
            statements.append(statement)  # transaction control (SQLite's explicit BEGIN) is not a query

    event.listen(engine, "before_cursor_execute", record)
    try:
        for query in queries:
            gql(query)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return statements


def test_stats_reads_the_kept_counts_not_the_products(engine, gql):
    """One statement a call: one GROUP BY over stats_count that also checks, in the same snapshot,
    that no province is left uncounted (never, after an ingest); the products table is not read."""
    statements = _statements(engine, ["{ stats(groupBy: [PROVINCE, STARS]) { count } }",
                                      "{ stats(groupBy: [PRODUCER_TYPE]) { count } }"], gql)
    assert len(statements) == 2
    assert all("FROM stats_count" in s and "stats_dirty" in s and "FROM product" not in s for s in statements)


def test_stats_fallback_is_one_statement_and_joins_producer_only_when_asked(engine, gql):
    """A search the counts cannot answer: one GROUP BY over the products, producer joined only for PRODUCER_TYPE."""
    statements = _statements(engine, ['{ stats(groupBy: [PROVINCE, STARS], filter: {search: "che"}) { count } }',
                                      '{ stats(groupBy: [PRODUCER_TYPE], filter: {search: "che"}) { count } }'], gql)
    assert len(statements) == 2
    assert "JOIN producer" not in statements[0]
    assert "GROUP BY" in statements[0] and "JOIN producer" in statements[1]


def test_the_deprecated_year_names_answer_as_the_certified_year(data):
    """One name for the certification year (issue 28); the old ones answer the same for one release."""
    new = data("{ stats(groupBy: [CERTIFIED_YEAR]) { key { certifiedYear year } count } }")["stats"]
    old = data("{ stats(groupBy: [YEAR]) { key { year certifiedYear } count } }")["stats"]
    both = data("{ stats(groupBy: [YEAR, CERTIFIED_YEAR]) { key { certifiedYear } count } }")["stats"]
    assert [(b["key"]["certifiedYear"], b["count"]) for b in new] == \
        [(b["key"]["year"], b["count"]) for b in old] == [(b["key"]["certifiedYear"], b["count"]) for b in both]
    assert all(b["key"]["year"] == b["key"]["certifiedYear"] for b in new + old) and len(new) > 1
    ordered = [data(f"{{ products(orderBy: {field}, first: 50) {{ edges {{ node {{ id }} }} }} }}")
               for field in ("CERTIFIED_YEAR", "YEAR")]
    assert ordered[0] == ordered[1]


def test_stats_shape_is_the_published_contract(data):
    types = data("""{
      dim: __type(name: "StatsDimension") { enumValues(includeDeprecated: true) { name isDeprecated } }
      bucket: __type(name: "StatsBucket") { fields { name type { kind name ofType { name } } } }
      key: __type(name: "StatsKey") { fields(includeDeprecated: true) { name isDeprecated type { kind name } } }
      province: __type(name: "Province") { fields { name type { kind ofType { name } } } }
    }""")
    assert [(v["name"], v["isDeprecated"]) for v in types["dim"]["enumValues"]] == [
        ("PROVINCE", False), ("LEGACY_PROVINCE", False), ("STARS", False), ("GROUP", False),
        ("PRODUCER_TYPE", False), ("CERTIFIED_YEAR", False), ("YEAR", True), ("STATUS", False)]
    bucket = {f["name"]: f["type"] for f in types["bucket"]["fields"]}
    assert bucket["key"] == {"kind": "NON_NULL", "name": None, "ofType": {"name": "StatsKey"}}
    assert bucket["count"] == {"kind": "NON_NULL", "name": None, "ofType": {"name": "Int"}}
    key = {f["name"]: (f["type"]["kind"], f["type"]["name"]) for f in types["key"]["fields"]}
    assert key == {"province": ("OBJECT", "Province"), "legacyProvince": ("SCALAR", "String"),
                   "stars": ("SCALAR", "Int"), "group": ("ENUM", "ProductGroup"),
                   "producerType": ("ENUM", "ProducerType"), "certifiedYear": ("SCALAR", "Int"),
                   "year": ("SCALAR", "Int"), "status": ("ENUM", "ProductStatus")}
    assert [f["name"] for f in types["key"]["fields"] if f["isDeprecated"]] == ["year"]
    province = {f["name"]: f["type"] for f in types["province"]["fields"]}
    assert province["code"] == {"kind": "NON_NULL", "ofType": {"name": "String"}}
    assert province["name"] == {"kind": "NON_NULL", "ofType": {"name": "String"}}
