"""Search by index (hub/store/text_search.py) finds exactly what LIKE '%key%' finds, on SQLite (FTS5
trigram tables kept by triggers) and PostgreSQL (pg_trgm), including after names change."""
from __future__ import annotations

from sqlalchemy import func, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from hub.store.engine import session_scope
from hub.store.models import Producer, Product
from hub.normalize.fold import search_key
from hub.store.text_search import contains, like_pattern_of

KEYS = ["mat ong", "che", "ong", "hoa", "ha long", "a", "ru", "ong_r", "100", "xyz khong co", "dong hy", "tan cuong"]


def by_like(session: Session, model, key: str) -> set[int]:
    return set(session.scalars(select(model.id).where(model.search_key.like(like_pattern_of(key), escape="\\"))))


def by_index(session: Session, model, key: str) -> set[int]:
    return set(session.scalars(select(model.id).where(contains(model.search_key, key))))


def test_the_index_finds_what_like_finds(store) -> None:
    from hub.ingest import ingest_rows
    from hub.records import RawRow

    names = ["Mật ong rừng Hạ Long", "Chè Tân Cương", "Chè hoa vàng Đồng Hỷ", "Mật ong_rừng 100%", "Rượu ba kích"]
    rows = [RawRow(row_number=i + 2, values={"product_name": n, "producer_name": f"HTX Hoa Ong {i}", "stars": "4 sao",
                                             "group": "Thực phẩm"}) for i, n in enumerate(names)]
    ingest_rows(store, source_name="qn", source_kind="csv", province="Quảng Ninh", rows=rows)
    with Session(store) as session:
        for model in (Product, Producer):
            for key in KEYS:
                assert by_index(session, model, key) == by_like(session, model, key), (model.__name__, key)
        assert by_index(session, Product, "mat ong") and by_index(session, Producer, "hoa ong")
    with session_scope(store) as session:  # a renamed product is found by its new name only
        session.execute(update(Product).where(Product.name == "Rượu ba kích")
                        .values(name="Rượu mơ Yên Tử", search_key=search_key("Rượu mơ Yên Tử")))
    with Session(store) as session:
        assert by_index(session, Product, "ba kich") == set() and len(by_index(session, Product, "yen tu")) == 1
        assert by_index(session, Product, "ruou") == by_like(session, Product, "ruou")


def test_sqlite_matches_trigrams_for_three_characters_or_more() -> None:
    long_key = str(select(Product.id).where(contains(Product.search_key, "mat ong")).compile(dialect=sqlite.dialect()))
    short_key = str(select(Product.id).where(contains(Product.search_key, "ru")).compile(dialect=sqlite.dialect()))
    on_postgres = str(select(Product.id).where(contains(Product.search_key, "mat ong"))
                      .compile(dialect=postgresql.dialect()))
    assert "product_search MATCH" in long_key and "LIKE" not in long_key
    assert "LIKE" in short_key and "MATCH" not in short_key
    assert "LIKE" in on_postgres  # pg_trgm serves LIKE itself


def test_the_search_index_exists(store) -> None:
    with store.connect() as conn:
        if conn.dialect.name == "sqlite":
            tables = set(conn.scalars(text("SELECT name FROM sqlite_master WHERE type = 'table'")))
            assert {"product_search", "producer_search"} <= tables
        else:
            indexes = set(conn.scalars(text("SELECT indexname FROM pg_indexes WHERE tablename IN ('product', 'producer')")))
            assert {"ix_product_search_trgm", "ix_producer_search_trgm"} <= indexes
        assert conn.scalar(select(func.count()).select_from(Product)) == 0
