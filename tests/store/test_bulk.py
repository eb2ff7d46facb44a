"""hub.store.bulk stores what SQLAlchemy's insert stores, value for value, on SQLite and PostgreSQL."""
from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import insert, select, text
from sqlmodel import Session

from hub.store.bulk import insert_rows, insert_rows_returning
from hub.store.models import ImportBatch, Product, ProductChange, Source

_PRODUCT = Product.__table__
_CHANGE = ProductChange.__table__
NOW = datetime(2026, 12, 7, 18, 30, 1, 123456, tzinfo=timezone.utc)


def _product(i: int, source_id: int) -> dict:
    """A product as the ingest gives it: dates, an aware instant, None, and defaults left out."""
    name = f"Mật ong rừng {i}"
    return dict(identity_key=f"22|producer|mat ong rung {i}", name=name, name_normalized=name,
                search_key=f"mat ong rung {i}", stars=3 + i % 3, decision_date=date(2024, 5, i + 1),
                expiry_date=None if i % 2 else date(2027, 5, i + 1), source_id=source_id, province_code="22",
                content_hash=f"hash{i}", created_at=NOW, updated_at=NOW, withdrawn_at=None)


def _rows(session: Session, table, ids: list[int]) -> list[tuple]:
    """Stored rows without their ids, read as the driver gives them (text, as stored, on SQLite)."""
    columns = ", ".join(f'"{c.name}"' for c in table.columns if c.name not in ("id", "product_id"))
    statement = f"SELECT {columns} FROM {table.name} WHERE id IN ({', '.join(map(str, ids))}) ORDER BY id"
    return [tuple(row) for row in session.connection().exec_driver_sql(statement)]


def test_bulk_insert_stores_what_core_stores(store) -> None:
    with Session(store) as session:
        source = Source(name="s", kind="csv", province_text="Quảng Ninh", province_code="22")
        session.add(source)
        session.flush()
        batch = ImportBatch(source_id=source.id, kind="harvest", actor="test")
        session.add(batch)
        session.flush()

        core = [tuple(r) for r in session.execute(
            insert(_PRODUCT).returning(_PRODUCT.c.id, _PRODUCT.c.identity_key), [_product(i, source.id) for i in range(3)])]
        bulk = insert_rows_returning(session, _PRODUCT, [_product(i, source.id) | {"identity_key": f"b{i}"}
                                                         for i in range(3)], ("id", "identity_key"))
        assert sorted(key for _, key in bulk) == ["b0", "b1", "b2"]
        core_ids, bulk_ids = sorted(i for i, _ in core), sorted(i for i, _ in bulk)
        strip = lambda rows: [row[1:] for row in rows]  # noqa: E731  the identity key differs on purpose
        assert strip(_rows(session, _PRODUCT, core_ids)) == strip(_rows(session, _PRODUCT, bulk_ids))
        stored = session.execute(select(Product).where(Product.id == bulk_ids[0])).scalar_one()
        assert (stored.status, stored.proposed_five_star, stored.updated_at) == ("active", False, NOW)  # defaults
        # The product's triggers ran: its province is noted for the recount.
        assert session.execute(text("SELECT count(*) FROM stats_dirty WHERE province_code = '22'")).scalar() == 1

        changes = [dict(batch_id=batch.id, product_id=pid, action="created", before=None,
                        after={"name": "Mật ong", "decision_date": "2024-05-01"}, source_record_id=None,
                        source_record_before=None, at=NOW) for pid in core_ids]
        session.execute(insert(_CHANGE), changes)
        insert_rows(session, _CHANGE, changes)
        stored_changes = session.execute(select(_CHANGE.c.id).order_by(_CHANGE.c.id)).scalars().all()
        assert len(stored_changes) == 6
        first, second = _rows(session, _CHANGE, stored_changes[:3]), _rows(session, _CHANGE, stored_changes[3:])
        assert first == second
        session.rollback()


def test_bulk_insert_of_nothing_writes_nothing(store) -> None:
    with Session(store) as session:
        insert_rows(session, _CHANGE, [])
        assert insert_rows_returning(session, _PRODUCT, [], ("id",)) == []
        assert session.execute(select(_CHANGE.c.id)).first() is None


def test_bulk_insert_keeps_text_that_looks_like_copy_syntax(store) -> None:
    """Tabs, line ends, backslashes and a literal \\N in text and JSON are stored as given (on
    PostgreSQL the rows go through COPY's text format, where each of these means something)."""
    awkward = "Trà\tVinh\\N\nxã \\ Long\r\nĐức \\\\"
    with Session(store) as session:
        source = Source(name="s", kind="csv", province_text=awkward, province_code="86")
        session.add(source)
        session.flush()
        batch = ImportBatch(source_id=source.id, kind="harvest", actor="test")
        session.add(batch)
        session.flush()
        row = _product(1, source.id) | {"province_code": "86", "identity_key": "k", "name": awkward, "search_key": "\\N"}
        ((pid, _),) = insert_rows_returning(session, _PRODUCT, [row], ("id", "identity_key"))
        insert_rows(session, _CHANGE, [dict(batch_id=batch.id, product_id=pid, action="created", before=None,
                                            after={"name": awkward, "note": None}, source_record_id=None,
                                            source_record_before=None, at=NOW)])
        stored = session.execute(select(Product.name, Product.search_key).where(Product.id == pid)).one()
        assert tuple(stored) == (awkward, "\\N")
        after = session.execute(select(_CHANGE.c.after).where(_CHANGE.c.product_id == pid)).scalar_one()
        assert after == {"name": awkward, "note": None}
        session.rollback()
