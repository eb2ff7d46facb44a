"""Registries as they really are, through the real ingest path (hub.ingest.ingest_rows), on fresh
stores (SQLite and PostgreSQL): warnings on products, products without producer or group,
conflicts between sources and their counts, and producers whose type is unknown kept private."""
from __future__ import annotations

import csv
import io
import json
from typing import Any, Iterator

import pytest
from sqlalchemy.engine import Engine
from starlette.testclient import TestClient

from hub.api.access import HOUSEHOLD_LABEL, UNDISCLOSED_LABEL
from hub.server import create_app
from hub.access.keys import create_key
from hub.ingest import ImportSummary, ingest_rows
from hub.vocabulary import Role
from hub.records import RawRow

PERSON = "Minh Phát"  # a producer whose name does not say what it is: type unknown, maybe a person
COMPANY = "Công ty TNHH Hạ Long"
REGISTRY, PORTAL = "qn-registry", "qn-portal"


def row(number: int, **values: str) -> RawRow:
    return RawRow(number, values, raw=dict(values))


def registry() -> list[RawRow]:
    return [
        row(2, product_name="Đặc sản Vân Đồn", producer_name=PERSON, stars="4", commune="Xã Không Có Thật",
            address="Thôn 1, xã Không Có Thật", phone="0900 000 111"),   # no group, unknown commune and type
        row(3, product_name="Chả mực Hạ Long", producer_name=COMPANY, stars="5", group="Thực phẩm",
            address="Số 1 đường Hạ Long", decision_date="01/03/2023"),
        row(4, product_name="Sá sùng khô", stars="3", group="Thực phẩm"),  # no producer named
    ]


def portal(stars: str = "4", address: str = "Số 9 Bãi Cháy") -> list[RawRow]:
    """A second source listing two of the same products, disagreeing on stars and addresses."""
    return [
        row(7, product_name="Chả mực Hạ Long", producer_name=COMPANY, stars=stars, group="Thực phẩm",
            address=address, decision_date="01/03/2023"),
        row(8, product_name="Đặc sản Vân Đồn", producer_name=PERSON, stars="4", address="Thôn 2, xã Khác"),
    ]


def ingest(store: Engine, source: str, rows: list[RawRow]) -> ImportSummary:
    summary = ingest_rows(store, source_name=source, source_kind="csv", province="Quảng Ninh", rows=rows)
    assert summary.status == "succeeded", summary.error
    return summary


class Caller:
    def __init__(self, client: TestClient, token: str | None) -> None:
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def data(self, query: str, variables: dict[str, Any] | None = None) -> Any:
        response = self.client.post("/graphql", json={"query": query, "variables": variables or {}},
                                    headers=self.headers)
        body = response.json()
        assert response.status_code == 200 and not body.get("errors"), body
        return body["data"]

    def csv(self, path: str) -> list[dict[str, str]]:
        response = self.client.get(path, headers=self.headers)
        assert response.status_code == 200, response.text
        assert response.content.startswith("\ufeff".encode())
        return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.fixture
def callers(store: Engine) -> Iterator[dict[str | None, Caller]]:
    ingest(store, REGISTRY, registry())
    ingest(store, PORTAL, portal())
    tokens = {"22": create_key(store, role=Role.PROVINCE, name="Sở NN Quảng Ninh", province_code="22")[1],
              "24": create_key(store, role=Role.PROVINCE, name="Sở NN Bắc Ninh", province_code="24")[1],
              "ministry": create_key(store, role=Role.MINISTRY, name="Văn phòng OCOP")[1]}
    with TestClient(create_app(store)) as client:
        yield {None: Caller(client, None), **{who: Caller(client, token) for who, token in tokens.items()}}


PRODUCTS = """{ products(first: 50) { edges { node {
    name group groupText producer { name producerType address }
    warnings { code field message rawValue } } } } }"""


def products(caller: Caller) -> dict[str, Any]:
    return {e["node"]["name"]: e["node"] for e in caller.data(PRODUCTS)["products"]["edges"]}


def test_warnings_come_from_the_owner_record_and_hide_personal_values(callers: dict[str | None, Caller]) -> None:
    for who in (None, "24"):
        node = products(callers[who])["Đặc sản Vân Đồn"]
        assert node["group"] is None
        warnings = {w["code"]: w for w in node["warnings"]}
        assert set(warnings) >= {"GROUP_UNKNOWN", "UNRESOLVED_UNIT"}
        # a commune as written may be part of a person's home address: hidden like it
        unit = warnings["UNRESOLVED_UNIT"]
        assert unit["rawValue"] is None and "Không Có Thật" not in unit["message"]
        typed = [w for w in node["warnings"] if w["field"] == "producer_type"]
        assert typed and all(w["rawValue"] is None and PERSON not in w["message"] for w in typed)
    own = {w["code"]: w for w in products(callers["22"])["Đặc sản Vân Đồn"]["warnings"]}
    assert own["TYPE_UNKNOWN"]["rawValue"] == PERSON
    # the owner's row (the registry's), not the portal's "Thôn 2, xã Khác"
    assert own["UNRESOLVED_UNIT"]["rawValue"] == "Xã Không Có Thật"
    assert products(callers[None])["Chả mực Hạ Long"]["warnings"] == []


def test_a_product_without_producer_is_listed_with_a_null_producer(callers: dict[str | None, Caller]) -> None:
    node = products(callers[None])["Sá sùng khô"]
    assert node["producer"] is None and node["group"] == "FOOD"
    assert [w["code"] for w in node["warnings"]] == ["PRODUCER_MISSING"]
    [exported] = [r for r in callers[None].csv("/export/products.csv") if r["name"] == "Sá sùng khô"]
    assert exported["producer_name"] == "" and exported["producer_id"] == ""


def test_an_unknown_type_producer_is_not_disclosed_and_not_called_a_household(
        callers: dict[str | None, Caller]) -> None:
    for who in (None, "24"):
        caller = callers[who]
        producer = products(caller)["Đặc sản Vân Đồn"]["producer"]
        assert producer == {"name": UNDISCLOSED_LABEL, "producerType": None, "address": None}
        text = json.dumps(caller.data("""{ producers(first: 50) { edges { node { name address } } }
            conflicts { edges { node { values { source value } } } } }"""), ensure_ascii=False)
        assert PERSON not in text and "Thôn 1" not in text and HOUSEHOLD_LABEL not in text
        found = caller.data('{ producers(filter: {search: "minh phat"}) { totalCount } }')
        assert found["producers"]["totalCount"] == 0  # a hidden name never matches
        [exported] = [r for r in caller.csv("/export/products.csv") if r["name"] == "Đặc sản Vân Đồn"]
        assert exported["producer_name"] == UNDISCLOSED_LABEL
    for who in ("22", "ministry"):
        assert products(callers[who])["Đặc sản Vân Đồn"]["producer"]["name"] == PERSON
        assert callers[who].data('{ producers(filter: {search: "minh phat"}) { totalCount } }')["producers"][
            "totalCount"] == 1
    assert products(callers[None])["Chả mực Hạ Long"]["producer"]["name"] == COMPANY  # organisations are public


CONFLICTS = """query($f: ConflictFilter, $first: Int, $after: String) { conflicts(filter: $f, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { product { id name } field values { source value } firstSeenAt updatedAt } } } }"""


def conflicts(caller: Caller, f: dict[str, Any] | None = None, **page: Any) -> dict[str, Any]:
    return caller.data(CONFLICTS, {"f": f, **page})["conflicts"]


def test_conflicts_are_listed_owner_first_filtered_and_paged(callers: dict[str | None, Caller]) -> None:
    everything = conflicts(callers[None])
    found = {(e["node"]["product"]["name"], e["node"]["field"]): e["node"]["values"] for e in everything["edges"]}
    assert everything["totalCount"] == 3
    assert found[("Chả mực Hạ Long", "stars")] == [{"source": REGISTRY, "value": "5"}, {"source": PORTAL, "value": "4"}]
    assert found[("Chả mực Hạ Long", "address")] == [
        {"source": REGISTRY, "value": "Số 1 đường Hạ Long"}, {"source": PORTAL, "value": "Số 9 Bãi Cháy"}]
    # the address of a producer that may be a person is personal
    assert found[("Đặc sản Vân Đồn", "address")] == [{"source": REGISTRY, "value": None}, {"source": PORTAL, "value": None}]
    own = {(e["node"]["product"]["name"], e["node"]["field"]): e["node"]["values"] for e in conflicts(callers["22"])["edges"]}
    assert own[("Đặc sản Vân Đồn", "address")][0] == {"source": REGISTRY, "value": "Thôn 1, xã Không Có Thật"}
    for f, expected in [({"province": ["22"]}, 3), ({"province": ["19"]}, 0), ({"field": "stars"}, 1),
                        ({"source": [PORTAL]}, 3), ({"source": ["nope", REGISTRY]}, 3), ({"source": ["nope"]}, 0),
                        ({"field": "address", "province": ["22"], "source": [PORTAL]}, 2)]:
        assert conflicts(callers[None], f)["totalCount"] == expected, f
    first = conflicts(callers[None], first=2)
    rest = conflicts(callers[None], first=2, after=first["pageInfo"]["endCursor"])
    assert first["pageInfo"]["hasNextPage"] and not rest["pageInfo"]["hasNextPage"]
    paged = [e["cursor"] for e in first["edges"] + rest["edges"]]
    assert paged == [e["cursor"] for e in everything["edges"]]


def test_conflicts_csv(callers: dict[str | None, Caller]) -> None:
    rows = callers[None].csv("/export/conflicts.csv?province=22&field=address")
    by_product: dict[str, list[tuple[str, str]]] = {}
    for r in rows:  # one row per source value, the owner's first
        by_product.setdefault(r["product_name"], []).append((r["source"], r["value"]))
    assert by_product == {"Đặc sản Vân Đồn": [(REGISTRY, ""), (PORTAL, "")],
                          "Chả mực Hạ Long": [(REGISTRY, "Số 1 đường Hạ Long"), (PORTAL, "Số 9 Bãi Cháy")]}
    assert len(callers[None].csv(f"/export/conflicts.csv?source={PORTAL}")) == 6
    ministry = callers["ministry"].csv("/export/conflicts.csv?field=address")
    assert {r["value"] for r in ministry} >= {"Thôn 1, xã Không Có Thật", "Thôn 2, xã Khác"}
    for bad in ("?province=Quang", "?fields=stars"):
        response = callers[None].client.get("/export/conflicts.csv" + bad)
        assert response.status_code == 400 and response.json()["error"]


def test_counts_in_coverage_and_the_audit_log(callers: dict[str | None, Caller]) -> None:
    coverage = callers[None].data("""{ coverage { province { code } warnedCount conflictCount
        sources { name warnedCount conflictCount latestBatch { warnedRows conflicts warnings { code count }
                  unmappedColumns skippedRows { rowNumber reason text } } } } }""")["coverage"]
    [quang_ninh] = [c for c in coverage if c["province"]["code"] == "22"]
    sources = {s["name"]: s for s in quang_ninh["sources"]}
    assert (quang_ninh["warnedCount"], quang_ninh["conflictCount"]) == (3, 3)
    assert (sources[REGISTRY]["warnedCount"], sources[REGISTRY]["conflictCount"]) == (2, 3)
    assert (sources[PORTAL]["warnedCount"], sources[PORTAL]["conflictCount"]) == (1, 3)
    latest = sources[PORTAL]["latestBatch"]
    assert (latest["warnedRows"], latest["conflicts"], latest["unmappedColumns"], latest["skippedRows"]) == (1, 3, [], [])
    assert {"code": "GROUP_UNKNOWN", "count": 1} in latest["warnings"]
    batches = callers[None].data("""{ importBatches(province: "22") { edges { node { source warnedRows conflicts
        warnings { code count } } } } }""")["importBatches"]["edges"]
    by_source = {e["node"]["source"]: e["node"] for e in batches}
    assert by_source[REGISTRY]["warnedRows"] == 2 and by_source[PORTAL]["conflicts"] == 3
    assert {w["code"] for w in by_source[REGISTRY]["warnings"]} >= {"GROUP_UNKNOWN", "PRODUCER_MISSING"}


def test_a_conflict_clears_when_the_sources_agree_again(store: Engine, callers: dict[str | None, Caller]) -> None:
    ingest(store, PORTAL, portal(stars="5", address="Số 1 đường Hạ Long"))
    left = conflicts(callers[None])
    assert [(e["node"]["product"]["name"], e["node"]["field"]) for e in left["edges"]] == [("Đặc sản Vân Đồn", "address")]
    coverage = callers[None].data("{ coverage { province { code } conflictCount } }")["coverage"]
    assert {c["province"]["code"]: c["conflictCount"] for c in coverage}["22"] == 1


def test_a_rejected_company_is_never_called_a_household(store: Engine, callers: dict[str | None, Caller]) -> None:
    bad = [RawRow(2, {"product_name": "Mực khô", "producer_name": COMPANY, "stars": "mười", "phone": "0203 999 888"},
                  raw={"Tên sản phẩm": "Mực khô", "Chủ thể": COMPANY, "Hạng sao": "mười", "Điện thoại": "0203 999 888"}),
           RawRow(3, {"product_name": "Tôm khô", "producer_name": PERSON, "stars": "mười"},
                  raw={"Tên sản phẩm": "Tôm khô", "Chủ thể": PERSON, "Hạng sao": "mười"})]
    assert ingest(store, "qn-rejects", bad).rejected == 2
    query = '{ rejectedRecords(source: "qn-rejects") { edges { node { rowNumber raw errors { message value } } } } }'
    for who in (None, "24"):
        edges = callers[who].data(query)["rejectedRecords"]["edges"]
        raw = {e["node"]["rowNumber"]: e["node"]["raw"] for e in edges}
        assert raw[2]["Chủ thể"] == COMPANY and raw[2]["Điện thoại"] is None
        assert raw[3]["Chủ thể"] == UNDISCLOSED_LABEL
        text = json.dumps(edges, ensure_ascii=False)
        assert HOUSEHOLD_LABEL not in text and PERSON not in text and "0203 999 888" not in text
        exported = callers[who].csv("/export/rejected.csv?source=qn-rejects")
        assert [r["Chủ thể"] for r in exported] == [COMPANY, UNDISCLOSED_LABEL]
    own = callers["22"].data(query)["rejectedRecords"]["edges"]
    assert own[1]["node"]["raw"]["Chủ thể"] == PERSON
