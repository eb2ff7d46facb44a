"""Products whose registry names no producer or no group the hub knows: listed, counted,
exported and filtered like any other, with nulls where the hub does not know."""
from __future__ import annotations

import base64
import csv
import io
import json

from sqlalchemy import text

from hub.api.access import UNDISCLOSED_LABEL
from tests.api.conftest import UNKNOWN_PARTS

NODES = """query($f: ProductFilter) { products(filter: $f, first: 500) { totalCount edges { node {
    name group groupText producer { id name } warnings { code field message rawValue } } } } }"""


def by_name(data, f=None) -> dict[str, dict]:
    return {e["node"]["name"]: e["node"] for e in data(NODES, {"f": f})["products"]["edges"]}


def test_products_without_producer_or_group_are_listed_with_nulls(data):
    nodes = by_name(data)
    for name in UNKNOWN_PARTS:
        assert nodes[name]["producer"] is None and nodes[name]["group"] is None
    assert nodes[UNKNOWN_PARTS[0]]["groupText"] == "quà quê"
    assert {(w["code"], w["rawValue"]) for w in nodes[UNKNOWN_PARTS[0]]["warnings"]} == {
        ("PRODUCER_MISSING", None), ("GROUP_UNKNOWN", "quà quê")}
    assert all(node["warnings"] == [] for name, node in nodes.items() if name not in UNKNOWN_PARTS)


def test_filters_by_producer_type_or_group_leave_them_out_without_failing(data):
    assert not set(UNKNOWN_PARTS) & set(by_name(data, {"producerType": ["HOUSEHOLD", "ENTERPRISE"]}))
    assert not set(UNKNOWN_PARTS) & set(by_name(data, {"group": ["FOOD"]}))
    assert set(UNKNOWN_PARTS) <= set(by_name(data, {"search": "chu the"}) | by_name(data, {"search": "phan nhom"}))


def test_stats_count_them_in_a_null_bucket(data, engine):
    for dim, column in (("PRODUCER_TYPE", "producerType"), ("GROUP", "group")):
        buckets = data(f"{{ stats(groupBy: [{dim}]) {{ key {{ {column} }} count }} }}")["stats"]
        nulls = [b["count"] for b in buckets if b["key"][column] is None]
        assert len(nulls) == 1 and buckets[-1]["key"][column] is None, buckets  # one bucket, sorted last
        total = sum(b["count"] for b in buckets)
        with engine.connect() as conn:
            assert total == conn.execute(text(
                "SELECT COUNT(*) FROM product WHERE status IN ('active','expired')")).scalar()
            if dim == "GROUP":
                assert nulls[0] == conn.execute(text("SELECT COUNT(*) FROM product WHERE group_code IS NULL "
                                                     "AND status IN ('active','expired')")).scalar() == 2


def test_exports_list_them_with_empty_producer_columns(client):
    body = client.get("/export/products.csv?province=19").content.decode("utf-8-sig")
    rows = {r["name"]: r for r in csv.DictReader(io.StringIO(body))}
    for name in UNKNOWN_PARTS:
        assert (rows[name]["producer_id"], rows[name]["producer_name"], rows[name]["group"]) == ("", "", "")
    import pyarrow.parquet as pq
    table = pq.read_table(io.BytesIO(client.get("/export/products.parquet?province=19").content)).to_pylist()
    assert {r["name"] for r in table if r["producer_id"] is None} == set(UNKNOWN_PARTS)


def test_a_producer_of_unknown_type_is_hidden_like_a_household(data, engine, client):
    with engine.connect() as conn:
        hidden = [r[0] for r in conn.execute(text("SELECT name FROM producer WHERE producer_type IS NULL"))]
    assert hidden
    nodes = data("""{ producers(first: 500) { edges { node { name producerType address } } } }""")["producers"]["edges"]
    unknown = [e["node"] for e in nodes if e["node"]["producerType"] is None]
    assert len(unknown) == len(hidden)
    assert all(n["name"] == UNDISCLOSED_LABEL and n["address"] is None for n in unknown)
    everything = client.get("/export/products.csv?status=active,expired,withdrawn").content.decode("utf-8-sig")
    for name in hidden:
        assert name not in everything
    assert UNDISCLOSED_LABEL in everything
    ordered = data("""{ producers(first: 500, orderBy: NAME) { edges { cursor } } }""")["producers"]["edges"]
    cursors = " ".join(str(json.loads(base64.urlsafe_b64decode(e["cursor"]))) for e in ordered)
    assert UNDISCLOSED_LABEL in cursors and not any(name in cursors for name in hidden)  # paged by the name shown
