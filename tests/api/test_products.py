"""products / producers / product / producer: filters, search, ordering, pagination, nesting."""
from __future__ import annotations

import json

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import text

from tests.api.conftest import PERSONAL, T0

PAGE = """query($f: ProductFilter, $o: ProductOrderField!, $d: OrderDirection!, $first: Int, $after: String) {
  products(filter: $f, orderBy: $o, direction: $d, first: $first, after: $after) {
    totalCount
    edges { cursor node { id name } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}"""


def names(data, f=None) -> set[str]:
    body = data(PAGE, {"f": f, "o": "NAME", "d": "ASC", "first": 500})["products"]
    assert body["totalCount"] == len(body["edges"])
    return {e["node"]["name"] for e in body["edges"]}


def ids_sql(engine, where: str, order: str) -> list[int]:
    with engine.connect() as conn:
        return [r[0] for r in conn.execute(text(f"SELECT id FROM product WHERE {where} ORDER BY {order}"))]


@pytest.mark.parametrize("query,expected", [
    ("che hoa vang", {"Chè hoa vàng Đồng Hỷ"}),
    ("Chè hoa vàng", {"Chè hoa vàng Đồng Hỷ"}),
    ("CHÈ HOA", {"Chè hoa vàng Đồng Hỷ"}),
    ("dong hy", {"Chè hoa vàng Đồng Hỷ"}),
    ("đồng hỷ", {"Chè hoa vàng Đồng Hỷ"}),
    ("bo dau", {"-Bánh chưng Bờ Đậu"}),
    ("hoa thuong", {"Rượu men lá Hoá Thượng"}),
    ("Hóa Thượng", {"Rượu men lá Hoá Thượng"}),   # new tone placement finds old
    ("Hoá Phúc", {"Miến dong Hóa Phúc"}),         # old tone placement finds new
    ("ong_rung", {"Mật ong_rừng 100%"}),
    ("ong_rừng 100%", {"Mật ong_rừng 100%"}),
    ("100%", {"Mật ong_rừng 100%", "Sản phẩm Lan 100"}),  # "%" folds away, never a wildcard
    ("ong rung", set()),                           # '_' is not a wildcard
])
def test_search_is_diacritic_insensitive(data, query, expected):
    assert names(data, {"search": query}) == expected


def test_search_matches_producer_names(data, engine):
    """A public name matches; the same name on a producer of unknown type is hidden, so it does not."""
    found = names(data, {"search": "dai duong"})
    with engine.connect() as conn:
        expected = {r[0] for r in conn.execute(text(
            "SELECT p.name FROM product p JOIN producer pr ON pr.id = p.producer_id "
            "WHERE pr.name LIKE 'Công ty TNHH Đại Dương%' AND p.status IN ('active','expired') "
            "AND pr.producer_type IN ('cooperative', 'enterprise', 'cooperative_group')"))}
        hidden = conn.execute(text("SELECT COUNT(*) FROM producer WHERE name LIKE 'Công ty TNHH Đại Dương%' "
                                   "AND producer_type IS NULL")).scalar()
    assert found == expected and expected and hidden


@pytest.mark.parametrize("f,where", [
    (None, "status IN ('active','expired')"),
    ({"province": ["22"]}, "status IN ('active','expired') AND province_code = '22'"),
    ({"legacyProvince": ["Bắc Kạn"]}, "status IN ('active','expired') AND legacy_province = 'Bắc Kạn'"),
    ({"stars": [5]}, "status IN ('active','expired') AND stars = 5"),
    ({"group": ["TOURISM"]}, "status IN ('active','expired') AND group_code = 'TOURISM'"),
    ({"status": ["WITHDRAWN"]}, "status = 'withdrawn'"),
    ({"status": ["EXPIRED"], "province": ["19"]}, "status = 'expired' AND province_code = '19'"),
    ({"yearFrom": 2024}, "status IN ('active','expired') AND certified_year >= 2024"),
    ({"yearTo": 2019}, "status IN ('active','expired') AND certified_year <= 2019"),
    ({"producerType": ["ENTERPRISE"]},
     "status IN ('active','expired') AND producer_id IN (SELECT id FROM producer WHERE producer_type = 'enterprise')"),
    ({"source": ["quang-ninh-push"], "province": ["86"]},
     "status IN ('active','expired') AND province_code = '86' AND id IN (SELECT product_id FROM source_record "
     "WHERE source_id = (SELECT id FROM source WHERE name = 'quang-ninh-push'))"),
])
def test_filters_match_sql(data, engine, f, where):
    body = data(PAGE, {"f": f, "o": "NAME", "d": "ASC", "first": 500})["products"]
    got = sorted(e["node"]["id"] for e in body["edges"])
    expected = sorted(ids_sql(engine, where, "id"))
    assert expected and got == expected
    assert body["totalCount"] == len(expected)


def test_updated_since_for_incremental_sync(data, engine):
    since = T0 + timedelta(hours=50)
    for value in [since.isoformat(), since.astimezone(timezone(timedelta(hours=7))).isoformat()]:
        body = data(PAGE, {"f": {"updatedSince": value, "status": ["ACTIVE", "EXPIRED", "WITHDRAWN"]},
                           "o": "UPDATED_AT", "d": "ASC", "first": 500})["products"]
        got = [e["node"]["id"] for e in body["edges"]]
        assert got == [i + 1 for i in range(100, 208)]  # ids 101.. have updated_at >= T0 + 50h
    withdrawn = data(PAGE, {"f": {"updatedSince": since.isoformat(), "status": ["WITHDRAWN"]},
                            "o": "UPDATED_AT", "d": "ASC", "first": 500})["products"]["totalCount"]
    assert withdrawn > 0


ORDERS = {"NAME": "name", "STARS": "stars", "YEAR": "COALESCE(certified_year, 0)", "UPDATED_AT": "updated_at"}


@pytest.mark.parametrize("order", list(ORDERS))
@pytest.mark.parametrize("direction", ["ASC", "DESC"])
@pytest.mark.parametrize("size", [4, 25])
def test_pagination_walks_every_item_once(data, engine, order, direction, size):
    f = {"status": ["ACTIVE", "EXPIRED", "WITHDRAWN"]}
    seen, after, pages = [], None, 0
    while True:
        body = data(PAGE, {"f": f, "o": order, "d": direction, "first": size, "after": after})["products"]
        assert len(body["edges"]) <= size
        assert body["pageInfo"]["hasPreviousPage"] is (after is not None)
        seen += [e["node"]["id"] for e in body["edges"]]
        pages += 1
        if not body["pageInfo"]["hasNextPage"]:
            break
        assert body["pageInfo"]["endCursor"] == body["edges"][-1]["cursor"]
        after = body["pageInfo"]["endCursor"]
    assert len(seen) == len(set(seen)), "duplicates across pages"
    sql_dir = direction.lower()
    expected = ids_sql(engine, "1=1", f"{ORDERS[order]} {sql_dir}, id {sql_dir}")
    assert seen == expected
    assert pages == -(-len(expected) // size)  # no empty trailing page


def test_page_size_limit_and_bad_cursors(gql):
    body = gql("{ products(first: 501) { totalCount } }")
    assert "between 0 and 500" in body["errors"][0]["message"]
    body = gql('{ products(first: 5, after: "not a cursor") { totalCount } }')
    assert "Malformed cursor" in body["errors"][0]["message"]
    cursor = gql("{ products(first: 1) { pageInfo { endCursor } } }")["data"]["products"]["pageInfo"]["endCursor"]
    body = gql("query($a: String) { products(first: 1, orderBy: STARS, after: $a) { totalCount } }", {"a": cursor})
    assert "another list or ordering" in body["errors"][0]["message"]
    assert gql("{ products(first: 0) { edges { cursor } pageInfo { hasNextPage } } }")["data"]["products"] == {
        "edges": [], "pageInfo": {"hasNextPage": True}}


def test_product_by_id_with_nested_data_and_provenance(data, engine):
    with engine.connect() as conn:
        pid = conn.execute(text("SELECT p.id FROM product p JOIN source_record sr ON sr.product_id = p.id "
                                "GROUP BY p.id HAVING COUNT(*) = 2 ORDER BY p.id LIMIT 1")).scalar()
    product = data("""query($id: Int!) { product(id: $id) {
        id name group stars status legacyProvince
        producer { id name producerType province { code } products { id } }
        province { code name fullName legacyPredecessors }
        commune { code name }
        provenance { sourceName sourceKind rowNumber lastSeenAt present }
    } }""", {"id": pid})["product"]
    assert product["id"] == pid
    assert product["producer"]["province"]["code"] == product["province"]["code"]
    assert {s["sourceName"] for s in product["provenance"]} >= {"quang-ninh-push"}
    assert len(product["provenance"]) == 2
    assert all(datetime.fromisoformat(s["lastSeenAt"]).tzinfo for s in product["provenance"])
    assert data("{ product(id: 999999) { id } }")["product"] is None


def test_withdrawn_product_is_reachable_by_id(data, engine):
    pid = ids_sql(engine, "status = 'withdrawn'", "id")[0]
    assert data(f"{{ product(id: {pid}) {{ status withdrawnAt }} }}")["product"]["status"] == "WITHDRAWN"


def test_producers_filter_order_and_nesting(data, engine):
    body = data("""{ producers(filter: {province: ["19"], search: "che tan cuong"}, first: 2) {
        totalCount edges { node { id name producerType province { code } commune { name } products { id status } } }
        pageInfo { hasNextPage }
    } }""")["producers"]
    with engine.connect() as conn:
        expected = conn.execute(text("SELECT COUNT(*) FROM producer WHERE province_code = '19' "
                                     "AND search_key LIKE '%che tan cuong%'")).scalar()
    assert body["totalCount"] == expected > 0
    node = body["edges"][0]["node"]
    assert node["commune"] == {"name": "Xã Tân Cương"}
    assert node["products"] and all(p["status"] != "WITHDRAWN" for p in node["products"])
    walked, after = [], None
    while True:
        page = data("""query($a: String) { producers(orderBy: UPDATED_AT, direction: DESC, first: 5, after: $a) {
            edges { node { id } } pageInfo { hasNextPage endCursor } } }""", {"a": after})["producers"]
        walked += [e["node"]["id"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    with engine.connect() as conn:
        assert walked == [r[0] for r in conn.execute(text("SELECT id FROM producer ORDER BY updated_at DESC, id DESC"))]
    assert data("{ producer(id: 1) { id } }")["producer"] == {"id": 1}


def test_no_personal_data_reaches_an_anonymous_caller(gql, client, engine):
    sdl_fields = gql('{ __type(name: "Producer") { fields { name } } }')["data"]["__type"]["fields"]
    names = {f["name"] for f in sdl_fields}
    assert "taxCode" not in names  # never exposed
    assert {"phone", "email", "contactPerson"} <= names  # nullable, filled only for allowed keys
    body = gql('{ producer(id: 1) { phone email contactPerson } }')
    assert body["data"]["producer"] == {"phone": None, "email": None, "contactPerson": None}
    everything = client.post("/graphql", json={"query": """{ producers(first: 500) { edges { node {
        id name producerType address phone email contactPerson createdAt updatedAt products { name } } } } }"""})
    everything = json.dumps(everything.json(), ensure_ascii=False)
    for value in PERSONAL.values():
        assert value not in everything
    with engine.connect() as conn:  # household producers (persons) are anonymous
        households = [r[0] for r in conn.execute(text("SELECT name FROM producer WHERE producer_type = 'household'"))]
    assert households
    for name in households:
        assert f'"{name}"' not in everything
    assert "Hộ sản xuất kinh doanh (ẩn danh)" in everything


def test_producers_with_a_matching_product(data, engine):
    body = data("""{ producers(filter: {hasProduct: {stars: [5], legacyProvince: ["Bắc Kạn"]}}, first: 500) {
        totalCount edges { node { id } } } }""")["producers"]
    with engine.connect() as conn:
        expected = [r[0] for r in conn.execute(text(
            "SELECT DISTINCT producer_id FROM product WHERE stars = 5 AND legacy_province = 'Bắc Kạn' "
            "AND status IN ('active','expired') ORDER BY producer_id"))]
    assert expected and sorted(e["node"]["id"] for e in body["edges"]) == expected
    assert body["totalCount"] == len(expected)


@pytest.mark.parametrize("search", ["san pham", "htx che", "cong ty"])
@pytest.mark.parametrize("order", ["NAME", "STARS", "UPDATED_AT"])
@pytest.mark.parametrize("direction", ["ASC", "DESC"])
def test_searched_pages_walk_every_match_once_in_order(data, engine, search, order, direction):
    """On PostgreSQL a search's page is chosen from the matches first (hub.api.listing._searched_page);
    its pages must still walk every match once, in the same order as any other list."""
    f = {"search": search}
    whole = data(PAGE, {"f": f, "o": order, "d": direction, "first": 500})["products"]
    everything = [e["node"]["id"] for e in whole["edges"]]
    assert len(everything) == whole["totalCount"] > 4
    seen, after = [], None
    while True:
        body = data(PAGE, {"f": f, "o": order, "d": direction, "first": 3, "after": after})["products"]
        seen += [e["node"]["id"] for e in body["edges"]]
        if not body["pageInfo"]["hasNextPage"]:
            break
        after = body["pageInfo"]["endCursor"]
    assert seen == everything
    sql_dir = direction.lower()
    assert everything == ids_sql(engine, f"id IN ({', '.join(map(str, everything))})",
                                 f"{ORDERS[order]} {sql_dir}, id {sql_dir}")
