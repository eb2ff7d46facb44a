"""The best value from every source (SQLite and PostgreSQL): a field the owner could not read is
taken from the next source that states it, shown in provenance, and taken back when that source
stops listing the product, is reverted or removed."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlmodel import Session
from starlette.testclient import TestClient

from hub.server import create_app
from hub.audit.history import revert_batch
from hub.access.keys import create_key, verify_token
from hub.ingest import ingest_rows
from hub.store.models import Certificate, Product
from hub.vocabulary import Role
from hub.records import RawRow

TODAY = date(2025, 9, 1)


def row(n: int, name: str, decision: str, **more: str) -> RawRow:
    values = {"product_name": name, "producer_name": "HTX Nông sản Bắc Kạn", "stars": "3 sao",
              "group": "Thực phẩm", "decision_number": decision, **more}
    return RawRow(row_number=n, values=values, raw=dict(values))


def harvest(store, name: str, rows: list[RawRow]):
    summary = ingest_rows(store, source_name=name, source_kind="xlsx", province="Bắc Kạn", rows=rows, today=TODAY)
    assert summary.status == "succeeded", summary.error
    return summary


def product(store, name: str = "Miến dong Na Rì") -> Product:
    with Session(store) as s:
        return s.execute(select(Product).where(Product.name == name)).scalar_one()


def test_a_date_the_owner_could_not_read_is_taken_from_another_source_and_given_back(store) -> None:
    owner = harvest(store, "workbook", [row(5, "Miến dong Na Rì", "1520/QĐ-UBND ngày 15/8/2081"),
                                        row(6, "Gạo nếp Ba Bể", "1520/QĐ-UBND ngày 20/8/2018")])
    assert owner.warning_counts.get("FUTURE_DATE") == 1
    assert (product(store).decision_date, product(store).certified_year) == (None, None)

    annex = harvest(store, "annex", [row(3, "Miến dong Na Rì", "1520/QĐ-UBND ngày 15/8/2018"),
                                     row(4, "Gạo nếp Ba Bể", "1520/QĐ-UBND ngày 21/8/2018")])
    filled = product(store)
    assert (filled.decision_date, filled.certified_year, filled.expiry_date) == (
        date(2018, 8, 15), 2018, date(2021, 8, 15))
    assert filled.field_sources == {"decision_date": "annex"} and annex.updated == 1
    with TestClient(create_app(store)) as client:
        query = "query($id: Int!) { product(id: $id) { certifiedYear provenance { sourceName gives } } }"
        shown = client.post("/graphql", json={"query": query, "variables": {"id": filled.id}}).json()["data"]
    assert shown["product"]["certifiedYear"] == 2018
    assert {p["sourceName"]: p["gives"] for p in shown["product"]["provenance"]} == {
        "workbook": [], "annex": ["decision_date"]}
    assert product(store, "Gạo nếp Ba Bể").decision_date == date(2018, 8, 20)  # the owner's own value stands
    with Session(store) as s:  # the certificate follows the date it now has
        assert s.execute(select(Certificate.valid_from).where(Certificate.product_id == filled.id,
                                                              Certificate.retracted_at.is_(None))).scalars().all() \
            == [date(2018, 8, 15)]

    ministry = verify_token(store, create_key(store, role=Role.MINISTRY, name="Văn phòng OCOP")[1])
    revert_batch(store, ministry, annex.batch_id)
    reverted = product(store)
    assert (reverted.decision_date, reverted.certified_year, reverted.field_sources) == (None, None, None)

    harvest(store, "annex", [row(3, "Miến dong Na Rì", "1520/QĐ-UBND ngày 15/8/2018")])
    assert product(store).decision_date == date(2018, 8, 15)
    harvest(store, "annex", [row(4, "Gạo nếp Ba Bể", "1520/QĐ-UBND ngày 21/8/2018")])  # the row left the annex
    gone = product(store)
    assert (gone.decision_date, gone.certified_year, gone.field_sources) == (None, None, None)


def test_a_date_of_another_decision_is_not_taken(store) -> None:
    harvest(store, "workbook", [row(5, "Miến dong Na Rì", "1520/QĐ-UBND ngày 15/8/2081")])
    harvest(store, "annex", [row(3, "Miến dong Na Rì", "999/QĐ-UBND ngày 15/8/2018")])
    assert (product(store).decision_date, product(store).field_sources) == (None, None)
