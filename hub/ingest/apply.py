"""Canonical records → store, chunk by chunk inside the caller's transaction.

Decides create / update / unchanged per record by comparing content hashes per source and
record key (as data.gov's harvester does), so a re-harvest of unchanged data writes almost
nothing: one UPDATE per chunk to note that the rows were seen again. Every real change is
written to the audit log (``product_change``) with the state before it, so a batch can be
reverted and a product's history shown.

Precedence when sources disagree about one product: a product shows the values of the source
that owns it (the one that created it); a province's push takes ownership from a harvest, a
harvest never overrides a push or another harvest. The losing values stay in provenance
(``source_record.raw`` of the losing source).
"""
from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlmodel import Session

from hub.audit_state import product_state, product_state_from_values, source_record_state
from hub.ingest.canonical import CanonicalRecord
from hub.ingest.summary import ImportSummary
from hub.models import Producer, Product, ProductChange, ProductStatus, Source, SourceKind, SourceRecord, utcnow
from hub.normalize.fold import search_key

# Columns of Product that come straight from the canonical record.
_PRODUCT_FIELDS = (
    "stars", "score", "proposed_five_star", "group_code", "group_text", "subgroup",
    "decision_number", "decision_date", "issuing_body", "certified_year", "expiry_date",
    "province_code", "commune_code", "legacy_province", "unit_text", "unit_code", "unit_code_version",
)


def _product_values(rec: CanonicalRecord, producer_id: int, source_id: int, today: date,
                    now: datetime) -> dict[str, Any]:
    data = asdict(rec)
    values = {f: data[f] for f in _PRODUCT_FIELDS}
    values.update(
        name=rec.product_name,
        name_normalized=rec.product_name,
        search_key=search_key(rec.product_name),
        identity_key=rec.product_key,
        producer_id=producer_id,
        source_id=source_id,
        status=rec.status_on(today),
        content_hash=rec.product_hash,
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
    return ids


def _may_overwrite(product: Product, source_id: int, source_kind: str, kinds: dict[int, str]) -> bool:
    """The precedence rule (module docstring)."""
    if product.status == ProductStatus.WITHDRAWN.value or product.source_id == source_id:
        return True
    return source_kind == SourceKind.PUSH.value and kinds.get(product.source_id) != SourceKind.PUSH.value


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

    kinds = dict(session.execute(select(Source.id, Source.kind)).all())
    source_kind = kinds[source_id]
    producer_ids = _upsert_producers(session, [rec for rec, _ in to_apply], now)
    products = {
        p.identity_key: p
        for p in session.execute(
            select(Product).where(Product.identity_key.in_([rec.product_key for rec, _ in to_apply]))
        ).scalars()
    }
    new_products: list[dict[str, Any]] = []
    changes: dict[str, dict[str, Any]] = {}  # product key → audit entry (product_id filled below)
    for rec, _raw in to_apply:
        values = _product_values(rec, producer_ids[rec.producer_key], source_id, today, now)
        product = products.get(rec.product_key)
        if product is None:
            new_products.append(values | {"created_at": now})
            changes[rec.product_key] = {"action": "created", "before": None,
                                        "after": product_state_from_values(values)}
            summary.created += 1
        elif product.content_hash != rec.product_hash and _may_overwrite(product, source_id, source_kind, kinds) \
                or product.status == ProductStatus.WITHDRAWN.value:
            before = product_state(product)
            for f, v in values.items():
                setattr(product, f, v)
            changes[rec.product_key] = {"action": "updated", "before": before}
            summary.updated += 1
        else:
            # Unchanged, or owned by a source that takes precedence: only provenance is added.
            changes[rec.product_key] = {"action": "linked", "before": None}
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
            changes[rec.product_key]["source_record_id"] = sr.id
            changes[rec.product_key]["source_record_before"] = source_record_state(sr)
            sr.row_number, sr.raw, sr.content_hash = rec.row_number, raw, rec.content_hash
            sr.product_id, sr.present, sr.last_batch_id = product_ids[rec.product_key], True, batch_id
    if new_records:
        rows = session.execute(
            insert(SourceRecord).returning(SourceRecord.id, SourceRecord.record_key), new_records)
        for record_id, record_key in rows:
            changes[record_key]["source_record_id"] = record_id
    session.flush()
    after = {p.id: p for p in products.values()}
    session.execute(insert(ProductChange), [
        dict(batch_id=batch_id, product_id=product_ids[key], action=entry["action"],
             before=entry["before"],
             after=entry.get("after") or (product_state(after[product_ids[key]])
                                          if entry["action"] == "updated" else None),
             source_record_id=entry.get("source_record_id"),
             source_record_before=entry.get("source_record_before"), at=now)
        for key, entry in changes.items()
    ])


def withdraw_missing(session: Session, source_id: int, batch_id: int, summary: ImportSummary) -> None:
    """Rows of this source not seen in this snapshot left the registry: mark them gone, and
    withdraw (never delete) the products that no other present row lists. Both are logged."""
    gone = session.execute(
        select(SourceRecord).where(
            SourceRecord.source_id == source_id, SourceRecord.present.is_(True),
            SourceRecord.last_batch_id != batch_id,
        )
    ).scalars().all()
    if not gone:
        return
    gone_ids = {sr.id for sr in gone}
    still_listed = set(session.execute(
        select(SourceRecord.product_id).where(
            SourceRecord.product_id.in_({sr.product_id for sr in gone}), SourceRecord.present.is_(True),
            SourceRecord.id.not_in(gone_ids),
        )
    ).scalars())
    products = {p.id: p for p in session.execute(
        select(Product).where(Product.id.in_({sr.product_id for sr in gone}))).scalars()}
    now = utcnow()
    log: list[dict[str, Any]] = []
    for sr in gone:
        sr_before = source_record_state(sr)
        sr.present = False
        product = products[sr.product_id]
        action, before = "unlisted", None
        if sr.product_id not in still_listed and product.status != ProductStatus.WITHDRAWN.value:
            before = product_state(product)
            product.status, product.withdrawn_at, product.updated_at = ProductStatus.WITHDRAWN.value, now, now
            action = "withdrawn"
            summary.withdrawn += 1
        log.append(dict(batch_id=batch_id, product_id=product.id, action=action, before=before,
                        after=product_state(product) if before else None, source_record_id=sr.id,
                        source_record_before=sr_before, at=now))
    session.flush()
    session.execute(insert(ProductChange), log)

