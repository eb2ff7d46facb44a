"""Sources that disagree about one product: kept as conflicts that people can review.

The product shows its owner's values (precedence, hub.ingest.apply); every source that lists it
keeps its own normalized values in ``source_record.facts``. After each batch the products it
touched are compared field by field over the sources that list them now: a field with two or more
values is a conflict (``product_conflict``, every source's value, the owner's first); a field on
which they agree again, or that only one source still lists, has none. A source that does not
say a field does not disagree about it, and two spellings that fold alike ("Xã A, huyện B" and
"xã A - huyện B") agree. The commune a source's address resolved to decides whether two
addresses agree; it is not a conflict of its own.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete, insert, select
from sqlmodel import Session

from hub.normalize.fold import search_key
from hub.store.models import Product, ProductConflict, Source, SourceRecord, utcnow

_CONFLICT = ProductConflict.__table__
_CHUNK = 2000


def refresh_conflicts(session: Session, product_ids: Iterable[int]) -> int:
    """Recompute the conflicts of these products; returns how many conflicting fields they have now."""
    ids = sorted(set(product_ids))
    total = 0
    for start in range(0, len(ids), _CHUNK):
        total += _refresh(session, ids[start:start + _CHUNK])
    return total


def _disagree(field: str, listed: list[tuple[str, dict[str, Any]]]) -> bool:
    """Two sources disagree when their values differ once folded (case, marks, punctuation aside).
    Addresses placed in communes are compared by commune: "Thôn 1, xã A" and "xã A" agree."""
    if field == "address" and all("commune" in facts for _, facts in listed):
        return len({facts["commune"] for _, facts in listed}) > 1
    return len({search_key(str(facts[field])) for _, facts in listed}) > 1


def _refresh(session: Session, ids: list[int]) -> int:
    listings: dict[int, list[tuple[int, str, dict[str, Any]]]] = defaultdict(list)
    for product_id, source_id, source_name, facts in session.execute(
        select(SourceRecord.product_id, SourceRecord.source_id, Source.name, SourceRecord.facts)
        .join(Source, Source.id == SourceRecord.source_id)
        .where(SourceRecord.product_id.in_(ids), SourceRecord.present.is_(True))
    ):
        listings[product_id].append((source_id, source_name, facts or {}))
    shared = [pid for pid, rows in listings.items() if len({source for source, _, _ in rows}) > 1]
    existing = {
        (row.product_id, row.field): row
        for row in session.execute(select(ProductConflict).where(ProductConflict.product_id.in_(ids))).scalars()
    }
    products = {
        pid: (owner, province)
        for pid, owner, province in session.execute(
            select(Product.id, Product.source_id, Product.province_code).where(Product.id.in_(shared)))
    } if shared else {}
    now = utcnow()
    found: set[tuple[int, str]] = set()
    new_rows: list[dict[str, Any]] = []
    for pid in shared:
        owner, province = products[pid]
        rows = sorted(listings[pid], key=lambda r: (r[0] != owner, r[1]))  # the owner first, then by name
        for field in sorted({f for _, _, facts in rows for f in facts} - {"commune"}):
            listed = [(name, facts) for _, name, facts in rows if field in facts]
            if not _disagree(field, listed):
                continue
            values = [{"source": name, "value": facts[field]} for name, facts in listed]
            found.add((pid, field))
            row = existing.get((pid, field))
            if row is None:
                new_rows.append(dict(product_id=pid, province_code=province, field=field, values=values,
                                     first_seen_at=now, updated_at=now))
            elif row.values != values or row.province_code != province:
                row.values, row.province_code, row.updated_at = values, province, now
    stale = [row.id for key, row in existing.items() if key not in found]
    if stale:
        session.execute(delete(_CONFLICT).where(_CONFLICT.c.id.in_(stale)))
    if new_rows:
        session.execute(insert(_CONFLICT), new_rows)
    session.flush()
    return len(found)
