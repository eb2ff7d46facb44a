"""Migrations create the schema on SQLite and PostgreSQL alike, and match the models."""
from __future__ import annotations

from datetime import date

import pytest

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import func, inspect, select, text
from sqlmodel import Session, SQLModel

from hub.store.models import Commune, LegacyUnit, Province
from hub.store.schema import alembic_config, current_revision
from hub.store_setup import init_store
from hub.store.text_search import SEARCH_OBJECTS

HEAD = "0011"


def test_store_is_at_head_with_every_table(store) -> None:
    head = ScriptDirectory.from_config(alembic_config(store)).get_current_head()
    assert current_revision(store) == head
    tables = set(inspect(store).get_table_names())
    assert set(SQLModel.metadata.tables) <= tables


def test_migrations_match_the_models(store) -> None:
    """Fails when a model changes without a migration (autogenerate finds a difference)."""
    with store.connect() as conn:
        undeclared = lambda name, kind, parent: not (name or "").startswith(SEARCH_OBJECTS)  # noqa: E731
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True,
                                                                       "include_name": undeclared}),
                                SQLModel.metadata)
    assert diff == [], f"models and migrations disagree; add a migration: {diff}"


def test_reference_units_loaded_once_even_when_initialised_twice(store_url) -> None:
    engine = init_store(store_url)  # second time: the fixture already initialised it
    with Session(engine) as session:
        provinces = session.execute(select(func.count()).select_from(Province)).scalar_one()
        communes = session.execute(select(func.count()).select_from(Commune)).scalar_one()
        legacy_provinces = session.execute(
            select(func.count()).select_from(LegacyUnit).where(LegacyUnit.level == "province")
        ).scalar_one()
    engine.dispose()
    assert (provinces, communes, legacy_provinces) == (34, 3321, 63)


def test_0002_goes_down_and_up_again_on_a_filled_store(store) -> None:
    """0002 adds the two hashes and drops four product indexes; both ways keep the data."""
    from alembic import command

    from hub.ingest import ingest_rows
    from hub.records import RawRow
    from hub.store.schema import downgrade, upgrade

    row = RawRow(row_number=2, values={"product_name": "Dầu lạc", "producer_name": "HTX Hải Yến",
                                       "stars": "4 sao", "group": "Thực phẩm"})
    assert ingest_rows(store, source_name="qn", source_kind="csv", province="Quảng Ninh", rows=[row]).created == 1

    def product_indexes() -> set[str]:
        return {ix["name"] for ix in inspect(store).get_indexes("product")}

    assert "ix_product_status" not in product_indexes()
    downgrade(store, "0001")
    assert current_revision(store) == "0001"
    assert {"ix_product_status", "ix_product_search_key", "ix_product_province_code",
            "ix_product_updated_at"} <= product_indexes()
    assert "raw_hash" not in {c["name"] for c in inspect(store).get_columns("source_record")}
    upgrade(store)
    assert current_revision(store) == HEAD and "ix_product_status" not in product_indexes()
    with Session(store) as session:
        assert session.execute(select(func.count()).select_from(SQLModel.metadata.tables["product"])).scalar_one() == 1
        # the hash was dropped with its column: the row is normalized again, and is unchanged
    again = ingest_rows(store, source_name="qn", source_kind="csv", province="Quảng Ninh", rows=[row])
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)


def test_0003_goes_down_and_up_again_on_a_filled_store(store) -> None:
    """0003 makes group and producer optional and adds warnings, facts, notes and conflicts; a
    filled store goes down and up again (SQLite rebuilds the product table that others refer to),
    and going down is refused, changing nothing, while a product has no group or no producer."""
    from hub.ingest import ingest_rows
    from hub.records import RawRow
    from hub.store.schema import downgrade, upgrade

    full = RawRow(row_number=2, values={"product_name": "Dầu lạc", "producer_name": "HTX Hải Yến",
                                        "stars": "4 sao", "group": "Thực phẩm"})
    bare = RawRow(row_number=3, values={"product_name": "Sản phẩm số 9", "stars": "3 sao"})
    assert ingest_rows(store, source_name="qn", source_kind="csv", province="Quảng Ninh", rows=[full]).created == 1
    downgrade(store, "0002")
    assert current_revision(store) == "0002"
    assert "warnings" not in {c["name"] for c in inspect(store).get_columns("source_record")}
    upgrade(store)
    assert current_revision(store) == HEAD
    summary = ingest_rows(store, source_name="qn", source_kind="csv", province="Quảng Ninh", rows=[full, bare])
    assert (summary.created, summary.unchanged) == (1, 1)
    with pytest.raises(RuntimeError, match="no group or no producer"):
        downgrade(store, "0002")
    assert current_revision(store) == HEAD  # one transaction: every step down was undone


def test_0004_goes_down_and_up_again_and_refuses_while_a_source_is_removed(store) -> None:
    """0004 adds source.disabled_at and removed_at; a disabled source goes down (as a plain source)
    and up again, but going down is refused, changing nothing, once a source is removed."""
    from hub.ingest import ingest_rows
    from hub.records import RawRow
    from hub.sources.catalog import disable_source, remove_source
    from hub.store.schema import downgrade, upgrade

    row = RawRow(row_number=2, values={"product_name": "Dầu lạc", "producer_name": "HTX Hải Yến",
                                       "stars": "4 sao", "group": "Thực phẩm"})
    for name in ("qn", "qn-old"):
        assert ingest_rows(store, source_name=name, source_kind="csv", province="Quảng Ninh", rows=[row]).status == "succeeded"
    disable_source(store, "qn")
    downgrade(store, "0003")
    assert current_revision(store) == "0003"
    assert {"disabled_at", "removed_at"}.isdisjoint(c["name"] for c in inspect(store).get_columns("source"))
    upgrade(store)
    assert current_revision(store) == HEAD
    removal = remove_source(store, "qn-old", withdraw_products=False, actor="test")
    assert (removal.rows_unlisted, removal.products_withdrawn) == (1, 0)  # qn still lists the product
    with pytest.raises(RuntimeError, match="removed sources: 1"):
        downgrade(store, "0003")
    assert current_revision(store) == HEAD


def test_0008_and_0009_go_down_and_up_again_and_refuse_while_a_product_is_revoked(store) -> None:
    """0008 adds revocations, 0009 the counts at any date (rebuilt from the certificates going
    up); going below 0008 is refused, changing nothing, once a product is revoked."""
    from hub.ingest import ingest_rows
    from hub.store.models import AsOfCount
    from hub.records import RawRow
    from hub.store.schema import downgrade, upgrade

    row = RawRow(row_number=2, values={"product_name": "Dầu lạc", "producer_name": "HTX Hải Yến",
                                       "stars": "4 sao", "group": "Thực phẩm", "decision_date": "01/03/2024"})
    assert ingest_rows(store, source_name="qn", source_kind="csv", province="Quảng Ninh", rows=[row]).created == 1
    downgrade(store, "0007")
    assert "as_of_count" not in inspect(store).get_table_names()
    upgrade(store)
    assert current_revision(store) == HEAD
    with Session(store) as session:  # rebuilt from the certificate: in force from its decision
        assert session.execute(select(AsOfCount.day, AsOfCount.counts)).all()[0] == (date(2024, 3, 1), '{"4 active":1}')
    revocation = RawRow(row_number=2, values={"product_name": "Dầu lạc", "producer_name": "HTX Hải Yến",
                                              "decision_date": "01/06/2025"})
    assert ingest_rows(store, source_name="qn-thu-hoi", source_kind="csv", province="Quảng Ninh", rows=[revocation],
                       list_kind="revocation").withdrawn == 1
    with pytest.raises(RuntimeError, match="1 revoked products"):
        downgrade(store, "0007")
    assert current_revision(store) == HEAD


def test_0011_keeps_the_same_counts_at_any_date_in_either_layout(store) -> None:
    """0011 keeps one row per province and day (all its counts); going down writes a row per
    province, star level, status and day of change, as 0009 first did; up again, the same rows."""
    from hub.ingest import ingest_rows
    from hub.store.models import AsOfCount
    from hub.records import RawRow
    from hub.store.schema import downgrade, upgrade

    rows = [RawRow(row_number=2, values={"product_name": "Dầu lạc", "producer_name": "HTX Hải Yến", "stars": "4 sao",
                                         "group": "Thực phẩm", "decision_date": "01/03/2021"}),
            RawRow(row_number=3, values={"product_name": "Mắm tôm", "producer_name": "HTX Hải Yến", "stars": "3 sao",
                                         "group": "Thực phẩm", "decision_date": "01/03/2024"})]
    assert ingest_rows(store, source_name="qn", source_kind="csv", province="Quảng Ninh", rows=rows).created == 2

    def kept() -> list[tuple]:
        with Session(store) as session:
            return session.execute(select(AsOfCount.day, AsOfCount.counts).order_by(AsOfCount.day)).all()

    now = kept()
    assert now[:3] == [(date(2021, 3, 1), '{"4 active":1}'), (date(2024, 3, 1), '{"3 active":1,"4 active":1}'),
                       (date(2024, 3, 2), '{"3 active":1,"4 expired":1}')]  # 36 months in force
    downgrade(store, "0010")
    with store.connect() as conn:
        assert [(stars, status, str(day), n) for stars, status, day, n in conn.execute(text(
            "SELECT stars, status, day, n FROM as_of_count ORDER BY day, stars, status"))][:4] == [
            (4, "active", "2021-03-01", 1), (3, "active", "2024-03-01", 1), (4, "active", "2024-03-02", 0),
            (4, "expired", "2024-03-02", 1)]
    upgrade(store)
    assert current_revision(store) == HEAD and kept() == now


def test_0010_keeps_the_day_listed_and_the_list_date_going_up_again(store) -> None:
    """0010 backfills the day each product was first listed (its creation's), the last day of a
    certificate with neither date nor year, and each source's list date; the counts follow."""
    from hub.ingest import ingest_rows
    from hub.store.models import Certificate, Product, Source
    from hub.records import RawRow
    from hub.store.schema import downgrade, upgrade

    rows = [RawRow(row_number=2, values={"product_name": "Dầu lạc", "producer_name": "HTX Hải Yến", "stars": "4 sao",
                                         "group": "Thực phẩm", "decision_date": "01/03/2024"}),
            RawRow(row_number=3, values={"product_name": "Mắm tôm", "producer_name": "HTX Hải Yến", "stars": "3 sao",
                                         "group": "Thực phẩm"})]
    assert ingest_rows(store, source_name="qn", source_kind="csv", province="Quảng Ninh", rows=rows).created == 2

    def state() -> tuple:
        with Session(store) as session:
            listed = dict(session.execute(select(Product.name, Product.listed_on)).all())
            ends = dict(session.execute(select(Product.name, Certificate.valid_to)
                                        .join(Certificate, Certificate.product_id == Product.id)).all())
            return listed, ends, session.scalar(select(Source.list_date).where(Source.name == "qn"))

    listed, ends, list_date = state()
    today = listed["Mắm tôm"]
    assert ends == {"Dầu lạc": date(2027, 3, 1), "Mắm tôm": date(today.year + 3, today.month, today.day)}
    assert list_date == date(2024, 3, 1)
    downgrade(store, "0009")
    assert "listed_on" not in {c["name"] for c in inspect(store).get_columns("product")}
    with store.begin() as conn:  # as 0009 kept it: no end known
        conn.exec_driver_sql("UPDATE certificate SET valid_to = NULL WHERE decision_date IS NULL")
    upgrade(store)
    assert state() == (listed, ends, list_date)
