"""Canonical records → store, chunk by chunk inside the caller's transaction.

Decides create / update / unchanged per record by comparing content hashes per source and
record key (as data.gov's harvester does), so a re-harvest of unchanged data writes almost
nothing: one UPDATE per chunk to note that the rows were seen again.
"""
from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime
from typing import Any, Iterable

from sqlalchemy import insert, select, update
from sqlmodel import Session

from hub.ingest.canonical import CanonicalRecord
from hub.ingest.summary import ImportSummary
from hub.models import Producer, Product, ProductStatus, SourceRecord, utcnow
from hub.normalize.fold import search_key

# Columns of Product that come straight from the canonical record.
_PRODUCT_FIELDS = (
    "name", "stars", "score", "proposed_five_star", "group_code", "group_text", "subgroup",
    "decision_number", "decision_date", "issuing_body", "certified_year", "expiry_date",
    "province_code", "commune_code", "legacy_province", "unit_text", "unit_code", "unit_code_version",
)


def _product_values(rec: CanonicalRecord, producer_id: int, source_id: int, today: date,
                    now: datetime) -> dict[str, Any]:
    data = asdict(rec)
    values = {f: data[f] for f in _PRODUCT_FIELDS if f != "name"}
    values.update(
        name=rec.product_name,
        name_normalized=rec.product_name,
        search_key=search_key(rec.product_name),
        identity_key=rec.product_key,
        producer_id=producer_id,
        source_id=source_id,
        status=rec.status_on(today),
        content_hash=rec.content_hash,
        updated_at=now,
        withdrawn_at=None,
    )
    return values


def _producer_values(rec: CanonicalRecord, now: datetime) -> dict[str, Any]:
    return dict(
        identity_key=rec.producer_key,
        name=rec.producer_name,
        name_normalized=rec.producer_name,
        search_key=search_key(rec.producer_name),
        producer_type=rec.producer_type,
        tax_code=rec.tax_code,
        province_code=rec.province_code,
        commune_code=rec.commune_code,
        address=rec.address,
        phone=rec.phone,
        email=rec.email,
        contact_person=rec.contact_person,
        created_at=now,
        updated_at=now,
    )


def _upsert_producers(session: Session, records: list[CanonicalRecord], now: datetime) -> dict[str, int]:
    """Producer ids by identity key, creating missing producers and filling in facts a
    later source knows (type, tax code, contact) without erasing what an earlier one knew."""
    keys = {r.producer_key for r in records}
    existing = {
        row.identity_key: row
        for row in session.execute(select(Producer).where(Producer.identity_key.in_(keys))).scalars()
    }
    new_values: dict[str, dict[str, Any]] = {}
    for rec in records:
        producer = existing.get(rec.producer_key)
        if producer is None:
            new_values.setdefault(rec.producer_key, _producer_values(rec, now))
            continue
        changes = {
            f: getattr(rec, f)
            for f in ("producer_type", "tax_code", "commune_code", "address", "phone", "email", "contact_person")
            if getattr(rec, f) is not None and getattr(producer, f) != getattr(rec, f)
        }
        if changes:
            for f, v in changes.items():
                setattr(producer, f, v)
            producer.updated_at = now
    ids = {key: p.id for key, p in existing.items()}
    if new_values:
        rows = session.execute(
            insert(Producer).returning(Producer.id, Producer.identity_key), list(new_values.values())
        )
        ids.update({identity_key: pid for pid, identity_key in rows})
    session.flush()
    return ids


def apply_chunk(
    session: Session,
    source_id: int,
    batch_id: int,
    records: list[tuple[CanonicalRecord, dict[str, Any]]],
    summary: ImportSummary,
    today: date,
) -> None:
    """Apply one chunk of (record, raw row) pairs; counts go into ``summary``."""
    if not records:
        return
    now = utcnow()
    keys = [rec.product_key for rec, _ in records]
    seen_before = {
        sr.record_key: sr
        for sr in session.execute(
            select(SourceRecord).where(SourceRecord.source_id == source_id, SourceRecord.record_key.in_(keys))
        ).scalars()
    }
    unchanged_ids: list[int] = []
    to_apply: list[tuple[CanonicalRecord, dict[str, Any]]] = []
    for rec, raw in records:
        sr = seen_before.get(rec.product_key)
        if sr is not None and sr.present and sr.content_hash == rec.content_hash:
            unchanged_ids.append(sr.id)
            summary.unchanged += 1
        else:
            to_apply.append((rec, raw))
    if unchanged_ids:
        session.execute(
            update(SourceRecord).where(SourceRecord.id.in_(unchanged_ids)).values(last_batch_id=batch_id)
        )
    if not to_apply:
        return

    producer_ids = _upsert_producers(session, [rec for rec, _ in to_apply], now)
    products = {
        p.identity_key: p
        for p in session.execute(
            select(Product).where(Product.identity_key.in_([rec.product_key for rec, _ in to_apply]))
        ).scalars()
    }
    new_products: list[dict[str, Any]] = []
    for rec, _raw in to_apply:
        values = _product_values(rec, producer_ids[rec.producer_key], source_id, today, now)
        product = products.get(rec.product_key)
        if product is None:
            new_products.append(values | {"created_at": now})
            summary.created += 1
        elif product.status == ProductStatus.WITHDRAWN.value or (
                product.source_id == source_id and product.content_hash != rec.content_hash):
            for f, v in values.items():
                setattr(product, f, v)
            product.source_id = source_id
            summary.updated += 1
        else:
            # Unchanged, or owned by another source: precedence keeps that source's values;
            # this row's own values stay in provenance (source_record.raw).
            summary.unchanged += 1
    product_ids = {key: p.id for key, p in products.items()}
    if new_products:
        rows = session.execute(insert(Product).returning(Product.id, Product.identity_key), new_products)
        product_ids.update({identity_key: pid for pid, identity_key in rows})
    session.flush()

    new_records: list[dict[str, Any]] = []
    for rec, raw in to_apply:
        sr = seen_before.get(rec.product_key)
        if sr is None:
            new_records.append(dict(
                source_id=source_id, record_key=rec.product_key, row_number=rec.row_number, raw=raw,
                content_hash=rec.content_hash, product_id=product_ids[rec.product_key], present=True,
                first_batch_id=batch_id, last_batch_id=batch_id,
            ))
        else:
            sr.row_number, sr.raw, sr.content_hash = rec.row_number, raw, rec.content_hash
            sr.product_id, sr.present, sr.last_batch_id = product_ids[rec.product_key], True, batch_id
    if new_records:
        session.execute(insert(SourceRecord), new_records)
    session.flush()


def withdraw_missing(session: Session, source_id: int, batch_id: int, summary: ImportSummary) -> None:
    """Rows of this source not seen in this snapshot left the registry: withdraw (never delete)
    the products that no other present row lists, then mark those rows gone. Pure SQL with
    subqueries, so a 200k-row source needs no id lists in Python."""
    gone = (SourceRecord.source_id == source_id) & SourceRecord.present.is_(True) & (
        SourceRecord.last_batch_id != batch_id)
    other = SourceRecord.__table__.alias("other")
    still_listed = (
        select(other.c.id)
        .where(other.c.product_id == Product.id, other.c.present.is_(True),
               (other.c.source_id != source_id) | (other.c.last_batch_id == batch_id))
        .exists()
    )
    now = utcnow()
    result = session.execute(
        update(Product)
        .where(Product.id.in_(select(SourceRecord.product_id).where(gone)), ~still_listed,
               Product.status != ProductStatus.WITHDRAWN.value)
        .values(status=ProductStatus.WITHDRAWN.value, withdrawn_at=now, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    summary.withdrawn += max(result.rowcount or 0, 0)
    session.execute(update(SourceRecord).where(gone).values(present=False).execution_options(synchronize_session=False))


def chunked(items: Iterable[Any], size: int) -> Iterable[list[Any]]:
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
