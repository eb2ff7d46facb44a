"""A household producer's address is its home: hidden like its name from outsiders."""
from __future__ import annotations

from starlette.testclient import TestClient

from hub.api.access import scrub_rejected
from hub.server import create_app
from hub.api.rejected import field_of
from hub.access.keys import Principal, create_key, verify_token
from hub.vocabulary import Role
from hub.push.submission import push_records
from hub.records import TITLE_PROVINCE_KEY

QUERY = "{ producers(first: 10) { edges { node { name producerType address } } } }"
UNITS = "{ products(first: 10) { edges { node { unitText commune { name } producer { producerType } } } } }"


def test_household_address_is_hidden_from_anonymous_but_not_from_its_province(store) -> None:
    key, token = create_key(store, role=Role.PROVINCE, name="Sở NN Quảng Ninh", province_code="22")
    summary = push_records(store, verify_token(store, token), province="22", records=[
        {"product_name": "Chả mực", "producer_name": "Hộ kinh doanh Nguyễn Văn An", "stars": 3,
         "group": "Thực phẩm", "year": 2024, "address": "Số 5 ngõ 12, phường Bãi Cháy"},
        {"product_name": "Dầu lạc", "producer_name": "HTX Nông nghiệp Hải Yến", "stars": 4,
         "group": "Thực phẩm", "year": 2024, "address": "Thôn 3, xã Hải Yến"},
    ])
    assert summary.created == 2, summary.rejections
    with TestClient(create_app(store)) as client:
        anonymous = client.post("/graphql", json={"query": QUERY}).json()["data"]["producers"]["edges"]
        own = client.post("/graphql", json={"query": QUERY},
                          headers={"Authorization": f"Bearer {token}"}).json()["data"]["producers"]["edges"]
    by_type = {e["node"]["producerType"]: e["node"] for e in anonymous}
    assert by_type["HOUSEHOLD"]["address"] is None and "Nguyễn" not in by_type["HOUSEHOLD"]["name"]
    assert by_type["COOPERATIVE"]["address"] == "Thôn 3, xã Hải Yến"
    assert {e["node"]["address"] for e in own} == {"Số 5 ngõ 12, phường Bãi Cháy", "Thôn 3, xã Hải Yến"}


def test_a_household_products_unit_as_written_is_hidden_but_its_resolved_commune_is_not(store) -> None:
    """The rule reaches what is read from the address: the product's unit as written (docs/access.md)."""
    key, token = create_key(store, role=Role.PROVINCE, name="Sở NN Quảng Ninh", province_code="22")
    summary = push_records(store, verify_token(store, token), province="22", records=[
        {"product_name": "Chả mực", "producer_name": "Hộ kinh doanh Nguyễn Văn An", "stars": 3,
         "group": "Thực phẩm", "year": 2024, "address": "Số 5 ngõ 12, phường Bãi Cháy"},
        {"product_name": "Dầu lạc", "producer_name": "HTX Nông nghiệp Hải Yến", "stars": 4,
         "group": "Thực phẩm", "year": 2024, "address": "Thôn 3, phường Bãi Cháy"},
    ])
    assert summary.created == 2, summary.rejections
    with TestClient(create_app(store)) as client:
        def units(headers: dict[str, str]) -> dict[str, dict]:
            edges = client.post("/graphql", json={"query": UNITS}, headers=headers).json()["data"]["products"]["edges"]
            return {e["node"]["producer"]["producerType"]: e["node"] for e in edges}
        anonymous = units({})
        own = units({"Authorization": f"Bearer {token}"})
    assert anonymous["HOUSEHOLD"]["unitText"] is None
    assert anonymous["HOUSEHOLD"]["commune"] == own["HOUSEHOLD"]["commune"] == {"name": "Phường Bãi Cháy"}
    assert "Số 5 ngõ 12" in own["HOUSEHOLD"]["unitText"]
    assert "Thôn 3" in anonymous["COOPERATIVE"]["unitText"]


def test_a_rejected_rows_unmapped_columns_follow_the_address_rule() -> None:
    """A column that maps to no field ("Ghi chú") of a possible person's row is hidden from
    outsiders like the address; an organisation's is public; the reader's own keys stay."""
    def row(producer: str) -> dict[str, str]:
        return {"Tên sản phẩm": "Mắm tép", "Chủ thể": producer, "Ghi chú": "nhà riêng, sau chợ Hạ Long",
                TITLE_PROVINCE_KEY: "Quảng Ninh"}

    owner = Principal(key_id=1, name="Sở QN", role=Role.PROVINCE, province_code="22")
    other = Principal(key_id=2, name="Sở BN", role=Role.PROVINCE, province_code="24")
    for caller in (None, other):
        household, _ = scrub_rejected(caller, "22", row("Hộ kinh doanh Lê Thị Kín"), [], field_of)
        assert household["Ghi chú"] is None and household[TITLE_PROVINCE_KEY] == "Quảng Ninh"
        company, _ = scrub_rejected(caller, "22", row("Công ty TNHH Hải sản Hạ Long"), [], field_of)
        assert company["Ghi chú"] == "nhà riêng, sau chợ Hạ Long"
    mine, _ = scrub_rejected(owner, "22", row("Hộ kinh doanh Lê Thị Kín"), [], field_of)
    assert mine["Ghi chú"] == "nhà riêng, sau chợ Hạ Long"
