"""Two sources that disagree about one product: the owner's value stands on the product, the
disagreement is kept as a conflict, and it clears itself when they agree again."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlmodel import Session

from hub.audit.history import revert_batch
from hub.access.keys import Principal
from hub.ingest import ingest_rows
from hub.store.models import Product, ProductConflict
from hub.vocabulary import Role
from hub.records import RawRow

TODAY = date(2026, 11, 23)


def pearl(stars: str = "5 sao", address: str = "Phường Hạ Long", **extra: str) -> RawRow:
    values = {"product_name": "Ngọc trai Akoya", "producer_name": "Công ty Cổ phần Ngọc trai Hạ Long",
              "stars": stars, "group": "Thủ công mỹ nghệ", "address": address, **extra}
    return RawRow(row_number=4, values=values, raw=dict(values))


def harvest(engine, name: str, *rows: RawRow, kind: str = "xlsx"):
    return ingest_rows(engine, source_name=name, source_kind=kind, province="Quảng Ninh", rows=list(rows),
                       today=TODAY)


def conflicts(engine) -> dict[str, list[dict]]:
    with Session(engine) as s:
        return {c.field: c.values for c in s.execute(select(ProductConflict)).scalars()}


def test_a_disagreement_is_kept_and_the_owner_value_stands(store) -> None:
    harvest(store, "qn-province", pearl())
    second = harvest(store, "qn-district", pearl(stars="4 sao", address="Phường Bãi Cháy"))
    assert second.conflicts == 2
    found = conflicts(store)
    assert set(found) == {"stars", "address"}
    assert found["stars"] == [{"source": "qn-province", "value": "5"}, {"source": "qn-district", "value": "4"}]
    with Session(store) as s:
        assert s.execute(select(Product.stars)).scalar_one() == 5  # the owner (first source) stands


def test_spellings_that_fold_alike_do_not_conflict(store) -> None:
    harvest(store, "qn-province", pearl(address="Phường Hạ Long, TP Hạ Long"))
    second = harvest(store, "qn-district", pearl(address="phường Hạ Long - tp Hạ Long"))
    assert second.conflicts == 0 and conflicts(store) == {}


def test_a_source_that_does_not_say_a_field_does_not_disagree(store) -> None:
    harvest(store, "qn-province", pearl(decision_number="12/QĐ-UBND"))
    harvest(store, "qn-district", pearl())
    assert conflicts(store) == {}


def test_a_conflict_clears_when_the_sources_agree_again(store) -> None:
    harvest(store, "qn-province", pearl())
    harvest(store, "qn-district", pearl(stars="4 sao"))
    assert set(conflicts(store)) == {"stars"}
    harvest(store, "qn-district", pearl())
    assert conflicts(store) == {}


def test_a_conflict_clears_when_the_other_source_stops_listing_the_product(store) -> None:
    harvest(store, "qn-province", pearl())
    harvest(store, "qn-district", pearl(stars="4 sao"))
    other = RawRow(row_number=5, values={"product_name": "Chả mực Hạ Long", "producer_name": "HTX Chả mực",
                                         "stars": "3 sao", "group": "Thực phẩm"})
    harvest(store, "qn-district", other)
    assert conflicts(store) == {}


def test_a_revert_brings_the_conflict_back_as_it_was(store) -> None:
    harvest(store, "qn-province", pearl())
    harvest(store, "qn-district", pearl(stars="4 sao"))
    agreeing = harvest(store, "qn-district", pearl())
    assert conflicts(store) == {}
    ministry = Principal(key_id=0, name="ministry", role=Role.MINISTRY, province_code=None)
    revert_batch(store, ministry, agreeing.batch_id)
    assert set(conflicts(store)) == {"stars"}

