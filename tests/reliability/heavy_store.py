"""A store where nested lists are long: producers holding many products, each with a history.

What the issue's heavy query fed on (a province's push of producers holding 60 products each);
written through bulk inserts on top of tests/api/live.py's seed, so a module builds it in a
second or two. Used by the budget's live tests and the query fuzz (tests/reliability).
"""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from sqlalchemy import insert, select

from hub.store.engine import make_engine, session_scope
from hub.store.models import ImportBatch, Producer, Product, ProductChange, Source
from hub.normalize.fold import search_key

PRODUCERS = 40
PRODUCTS_EACH = 60
CHANGES_EACH = 4
AT = datetime(2025, 3, 1, tzinfo=timezone.utc)


def snapshot(name: str, stars: int) -> dict[str, object]:
    """A history entry's values, shaped as the ingest writes them."""
    return {"name": name, "stars": stars, "group_code": "FOOD", "group_text": "Thực phẩm", "status": "active",
            "certified_year": 2024, "decision_number": "12/QĐ-UBND", "decision_date": "2024-06-01",
            "issuing_body": "UBND tỉnh Quảng Ninh", "province_code": "22", "unit_text": "Hạ Long, Quảng Ninh"}


def seed_heavy(url: str, producers: int = PRODUCERS, each: int = PRODUCTS_EACH, changes: int = CHANGES_EACH) -> int:
    """Add ``producers`` enterprises in Quảng Ninh with ``each`` products and ``changes`` history
    entries per product; the number of products added."""
    engine = make_engine(url)
    try:
        with session_scope(engine) as s:
            source = s.execute(select(Source).where(Source.name == "quang-ninh-push")).scalar_one()
            batches = []
            for n in range(changes):
                batch = ImportBatch(source_id=source.id, kind="push", status="succeeded", actor="heavy",
                                    started_at=AT + timedelta(days=n), finished_at=AT + timedelta(days=n))
                s.add(batch)
                batches.append(batch)
            s.flush()
            names = [f"Công ty TNHH Đặc sản Nặng {i:03d}" for i in range(producers)]
            s.execute(insert(Producer), [
                {"identity_key": f"heavy-producer-{i}", "name": name, "name_normalized": name,
                 "search_key": search_key(name), "producer_type": "enterprise", "province_code": "22"}
                for i, name in enumerate(names)])
            ids = s.execute(select(Producer.id).where(Producer.identity_key.like("heavy-producer-%"))
                            .order_by(Producer.id)).scalars().all()
            rows = [{"identity_key": f"heavy-{p}-{j}", "name": f"Sản phẩm nặng {p:03d}-{j:03d}",
                     "name_normalized": f"Sản phẩm nặng {p:03d}-{j:03d}",
                     "search_key": search_key(f"San pham nang {p:03d} {j:03d}"), "group_code": "FOOD", "stars": 3,
                     "certified_year": 2024, "decision_date": date(2024, 6, 1), "status": "active",
                     "producer_id": producer_id, "source_id": source.id, "province_code": "22",
                     "unit_text": "Hạ Long, Quảng Ninh", "content_hash": f"heavy-{p}-{j}"}
                    for p, producer_id in enumerate(ids) for j in range(each)]
            s.execute(insert(Product), rows)
            products = s.execute(select(Product.id, Product.name).where(Product.identity_key.like("heavy-%"))).all()
            s.execute(insert(ProductChange), [
                {"batch_id": batch.id, "product_id": pid, "action": "created" if n == 0 else "updated",
                 "before": None if n == 0 else snapshot(name, 3), "after": snapshot(name, 3 + n % 2),
                 "at": AT + timedelta(days=n)}
                for pid, name in products for n, batch in enumerate(batches)])
        return len(rows)
    finally:
        engine.dispose()
