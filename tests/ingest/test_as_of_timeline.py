"""Figures at any date, as they were known at any time (SQLite and PostgreSQL): a province's 2023
list, then its 2024 list (two products re-rated by 2024 decisions, one gone, one new), asked about
at dates in valid time and at moments between the harvests, then the 2024 batch reverted."""
from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlmodel import Session
from starlette.testclient import TestClient

from hub.api import stats_check
from hub.server import create_app
from hub.api.stats_check import check_as_of
from hub.audit.history import revert_batch
from hub.access.keys import create_key, verify_token
from hub.ingest import ingest_rows
from hub.store.models import Product, utcnow
from hub.vocabulary import Role
from hub.records import RawRow


def row(n: int, name: str, stars: str, **more: str) -> RawRow:
    values = {"product_name": name, "producer_name": f"HTX {name}", "stars": stars, "group": "Thực phẩm",
              "commune": "Xã Ba Chẽ", **more}
    return RawRow(row_number=n, values=values, raw=dict(values))


LIST_2023 = [row(1, "Mật ong Ba Chẽ", "3 sao", decision_date="10/05/2021"),
             row(2, "Trà hoa vàng", "3 sao", decision_date="01/07/2022"),
             row(3, "Ba kích tím", "4 sao", decision_date="01/03/2023"),
             row(4, "Miến dong Bình Liêu", "3 sao", year="2023")]
LIST_2024 = [row(1, "Mật ong Ba Chẽ", "4 sao", decision_date="01/03/2024"),
             row(2, "Trà hoa vàng", "4 sao", decision_date="01/06/2024"),
             row(4, "Miến dong Bình Liêu", "3 sao", year="2023"),
             row(5, "Chả mực Hạ Long", "3 sao", decision_date="01/09/2024")]

STATS = """query($asOf: Date, $knownAt: DateTime, $by: [StatsDimension!]!) {
  stats(groupBy: $by, asOf: $asOf, knownAt: $knownAt) { key { stars status } count } }"""


def harvest(store, rows: list[RawRow], today: date) -> int:
    summary = ingest_rows(store, source_name="quang-ninh", source_kind="xlsx", province="Quảng Ninh", rows=rows,
                          today=today)
    assert summary.status == "succeeded" and summary.rejected == 0, summary.rejections
    return summary.batch_id  # type: ignore[return-value]


def test_figures_at_any_date_as_known_at_any_time(store) -> None:
    harvest(store, LIST_2023, date(2024, 1, 15))
    after_2023 = utcnow()
    batch_2024 = harvest(store, LIST_2024, date(2025, 1, 10))
    after_2024 = utcnow()

    with TestClient(create_app(store)) as client:
        def stats(by: str = "STARS", **args: Any) -> dict[Any, int]:
            body = client.post("/graphql", json={"query": STATS, "variables": {"by": [by], **args}}).json()
            assert not body.get("errors"), body
            return {b["key"][by.lower()]: b["count"] for b in body["data"]["stats"]}

        # Valid time: each product with the certificate it held that day.
        assert stats(asOf="2021-12-31") == {3: 1}
        assert stats(asOf="2022-12-31") == {3: 2}
        assert stats(asOf="2023-12-31") == {3: 3, 4: 1}
        assert stats(asOf="2024-12-31") == {3: 2, 4: 3}  # two re-rated; the one gone still counts then
        assert stats(asOf="2024-12-31", by="STATUS") == {"ACTIVE": 5}
        assert stats(asOf="2026-06-01", by="STATUS") == {"ACTIVE": 4, "EXPIRED": 1}  # Ba kích's 36 months
        # Transaction time: between the harvests, the hub knew only the 2023 list.
        assert stats(asOf="2024-12-31", knownAt=after_2023.isoformat()) == {3: 3, 4: 1}
        assert stats(asOf="2024-12-31", knownAt=after_2024.isoformat()) == {3: 2, 4: 3}
        # Today: the product that left its registry is withdrawn (not counted by default), by the kept
        # counts and by the certificates alike.
        assert stats() == {3: 2, 4: 2} == stats(asOf=date.today().isoformat())
        assert stats(by="STATUS") == stats(by="STATUS", asOf=date.today().isoformat())

        query = """{ products(filter: {status: [ACTIVE, EXPIRED, WITHDRAWN]}) { edges { node { name
          certificates { stars decisionDate validFrom validTo ended source } } } } }"""
        nodes = {e["node"]["name"]: e["node"]["certificates"]
                 for e in client.post("/graphql", json={"query": query}).json()["data"]["products"]["edges"]}
        assert [(c["stars"], c["validFrom"], c["validTo"], c["ended"]) for c in nodes["Mật ong Ba Chẽ"]] == [
            (3, "2021-05-10", "2024-02-29", "SUPERSEDED"), (4, "2024-03-01", "2027-03-01", None)]
        assert [c["validFrom"] for c in nodes["Miến dong Bình Liêu"]] == ["2023-01-01"]  # year only
        assert nodes["Ba kích tím"][0]["stars"] == 4 and nodes["Ba kích tím"][0]["source"] == "quang-ninh"

        def products(**args: Any) -> dict[str, tuple[int, str, str | None]]:
            query = """query($asOf: Date, $knownAt: DateTime) { products(asOf: $asOf, knownAt: $knownAt,
              filter: {status: [ACTIVE, EXPIRED, WITHDRAWN]}) { totalCount edges { node { name stars status
              decisionDate } } } }"""
            body = client.post("/graphql", json={"query": query, "variables": args}).json()
            assert not body.get("errors"), body
            page = body["data"]["products"]
            assert page["totalCount"] == len(page["edges"])
            return {e["node"]["name"]: (e["node"]["stars"], e["node"]["status"], e["node"]["decisionDate"])
                    for e in page["edges"]}

        assert products(asOf="2022-12-31") == {"Mật ong Ba Chẽ": (3, "ACTIVE", "2021-05-10"),
                                               "Trà hoa vàng": (3, "ACTIVE", "2022-07-01")}
        assert products(asOf="2024-12-31")["Mật ong Ba Chẽ"] == (4, "ACTIVE", "2024-03-01")
        assert products(asOf="2024-12-31")["Ba kích tím"] == (4, "ACTIVE", "2023-03-01")
        assert products(asOf="2024-12-31", knownAt=after_2023.isoformat())["Mật ong Ba Chẽ"] == (
            3, "EXPIRED", "2021-05-10")  # as known then, its 36 months had run out by that day
        assert products()["Ba kích tím"][1] == "WITHDRAWN"
        assert "Chả mực Hạ Long" not in products(asOf="2024-08-31")

        # Reverting the 2024 batch gives back, from then on, the answers from before it.
        ministry = verify_token(store, create_key(store, role=Role.MINISTRY, name="Văn phòng OCOP")[1])
        revert_batch(store, ministry, batch_2024)
        assert stats(asOf="2024-12-31") == {3: 3, 4: 1}
        assert stats(asOf="2024-12-31", knownAt=after_2024.isoformat()) == {3: 2, 4: 3}  # what was answered then
        assert stats(asOf="2024-12-31", knownAt=after_2023.isoformat()) == {3: 3, 4: 1}
    with Session(store) as s:
        assert s.execute(select(Product.stars).where(Product.name == "Mật ong Ba Chẽ")).scalar_one() == 3
    # ocop-hub db check's comparison: the GROUP BY against the certificates counted one by one.
    checked = check_as_of(store)
    assert (checked.compared, checked.mismatches) == (210, [])


def test_the_as_of_check_finds_a_rule_that_disagrees(store, monkeypatch) -> None:
    harvest(store, LIST_2023, date(2024, 1, 15))
    monkeypatch.setattr(stats_check, "status_of", lambda row, on: "active")  # expiry forgotten in Python
    checked = check_as_of(store, dates=20, moments=0)
    assert checked.compared == 40 and checked.mismatches and "certificates counted one by one" in checked.mismatches[0]
    assert any("counts kept at any date" in m for m in checked.mismatches)


def test_producers_as_of_a_day_are_those_with_a_product_certified_then(store) -> None:
    harvest(store, LIST_2023, date(2024, 1, 15))
    after_2023 = utcnow()
    harvest(store, LIST_2024, date(2025, 1, 10))
    query = """query($asOf: Date, $knownAt: DateTime, $filter: ProducerFilter) {
      producers(asOf: $asOf, knownAt: $knownAt, filter: $filter) { totalCount edges { node { name } } } }"""
    with TestClient(create_app(store)) as client:
        def producers(**args: Any) -> list[str]:
            body = client.post("/graphql", json={"query": query, "variables": args}).json()
            assert not body.get("errors"), body
            page = body["data"]["producers"]
            assert page["totalCount"] == len(page["edges"])
            return sorted(e["node"]["name"] for e in page["edges"])

        assert producers(asOf="2022-12-31") == ["HTX Mật ong Ba Chẽ", "HTX Trà hoa vàng"]
        assert producers(asOf="2023-12-31", filter={"hasProduct": {"stars": [4]}}) == ["HTX Ba kích tím"]
        assert producers(asOf="2024-12-31", filter={"hasProduct": {"stars": [4]}}) == [
            "HTX Ba kích tím", "HTX Mật ong Ba Chẽ", "HTX Trà hoa vàng"]  # re-rated in 2024
        assert producers(asOf="2024-12-31", knownAt=after_2023.isoformat(),
                         filter={"hasProduct": {"stars": [4]}}) == ["HTX Ba kích tím"]  # as known before 2024's list
        assert len(producers()) == 5  # no date: every producer, as before
        mat_ong_3 = {"search": "Mật ong", "hasProduct": {"stars": [3]}}  # the producer's own filter, and the day's
        assert producers(asOf="2023-12-31", filter=mat_ong_3) == ["HTX Mật ong Ba Chẽ"]
        assert producers(asOf="2024-12-31", filter=mat_ong_3) == []


def test_the_products_export_as_of_a_day_as_known_at_a_moment(store) -> None:
    import csv
    import io

    import pyarrow.parquet as pq

    harvest(store, LIST_2023, date(2024, 1, 15))
    after_2023 = utcnow()
    harvest(store, LIST_2024, date(2025, 1, 10))
    with TestClient(create_app(store)) as client:
        def rows(**params: str) -> dict[str, tuple[str, str, str]]:
            response = client.get("/export/products.csv", params=params)
            assert response.status_code == 200, response.text
            return {r["name"]: (r["stars"], r["status"], r["decision_date"])
                    for r in csv.DictReader(io.StringIO(response.text))}

        assert rows(asOf="2022-12-31") == {"Mật ong Ba Chẽ": ("3", "ACTIVE", "2021-05-10"),
                                           "Trà hoa vàng": ("3", "ACTIVE", "2022-07-01")}
        assert rows(as_of="2024-12-31", known_at=after_2023.isoformat())["Mật ong Ba Chẽ"] == (
            "3", "EXPIRED", "2021-05-10")  # as known before the 2024 list
        assert rows(asOf="2024-12-31")["Mật ong Ba Chẽ"] == ("4", "ACTIVE", "2024-03-01")
        assert rows(asOf="2024-12-31", stars="3") == {"Miến dong Bình Liêu": ("3", "ACTIVE", ""),
                                                      "Chả mực Hạ Long": ("3", "ACTIVE", "2024-09-01")}
        assert "Ba kích tím" not in rows() and rows(asOf="2024-12-31")["Ba kích tím"][1] == "ACTIVE"
        table = pq.read_table(io.BytesIO(client.get("/export/products.parquet?asOf=2022-12-31").content))
        assert sorted(zip(table.column("name").to_pylist(), table.column("stars").to_pylist())) == [
            ("Mật ong Ba Chẽ", 3), ("Trà hoa vàng", 3)]
        bad = client.get("/export/products.csv?asOf=31/12/2024")
        assert bad.status_code == 400 and "asOf" in bad.text


def test_coverage_as_known_at_a_moment_counts_the_products_of_a_day(store) -> None:
    first = harvest(store, LIST_2023, date(2024, 1, 15))
    after_2023 = utcnow()
    second = harvest(store, LIST_2024, date(2025, 1, 10))
    query = """query($asOf: Date, $knownAt: DateTime) { coverage(asOf: $asOf, knownAt: $knownAt) {
      province { code } productCount sources { name latestBatch { id } } } }"""
    with TestClient(create_app(store)) as client:
        def quang_ninh(**args: str) -> tuple[int, list[tuple[str, int]]]:
            body = client.post("/graphql", json={"query": query, "variables": args}).json()
            assert not body.get("errors"), body
            [qn] = [p for p in body["data"]["coverage"] if p["province"]["code"] == "22"]
            return qn["productCount"], [(s["name"], s["latestBatch"]["id"]) for s in qn["sources"]]

        assert quang_ninh(asOf="2022-12-31") == (2, [("quang-ninh", second)])
        assert quang_ninh(asOf="2024-12-31") == (5, [("quang-ninh", second)])
        assert quang_ninh(asOf="2024-12-31", knownAt=after_2023.isoformat()) == (4, [("quang-ninh", first)])
        before_any = "2020-01-01T00:00:00Z"
        assert quang_ninh(knownAt=before_any) == (0, [])  # the hub knew no source then
        assert quang_ninh()[0] == 4  # now: the one gone from its registry is withdrawn


def test_figures_as_of_a_day_are_read_from_the_kept_counts_and_checked_against_the_certificates(store) -> None:
    from sqlalchemy import delete

    from hub.store.engine import session_scope
    from hub.store.aggregates import recount_all
    from hub.store.models import AsOfCount

    harvest(store, LIST_2023, date(2024, 1, 15))
    harvest(store, LIST_2024, date(2025, 1, 10))
    with TestClient(create_app(store)) as client:
        def stats(**args: Any) -> dict[Any, int]:
            body = client.post("/graphql", json={"query": STATS, "variables": {"by": ["STARS"], **args}}).json()
            assert not body.get("errors"), body
            return {b["key"]["stars"]: b["count"] for b in body["data"]["stats"]}

        assert stats(asOf="2024-12-31") == {3: 2, 4: 3}
        with session_scope(store) as s:  # lose the kept counts: the day's figure is read from them
            s.execute(delete(AsOfCount))
        assert stats(asOf="2024-12-31") == {}
        assert stats(asOf="2024-12-31", knownAt=utcnow().isoformat()) == {3: 2, 4: 3}  # from the certificates
        assert any("counts kept at any date" in m for m in check_as_of(store, dates=5, moments=0).mismatches)
        with session_scope(store) as s:
            recount_all(s)  # ocop-hub db check --repair
        assert stats(asOf="2024-12-31") == {3: 2, 4: 3}
        assert check_as_of(store, dates=20, moments=0).mismatches == []
