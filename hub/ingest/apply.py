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

from dataclasses import dataclass
from types import SimpleNamespace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, update
from sqlmodel import Session

from hub.store.bulk import insert_rows, insert_rows_returning
from hub.store.snapshots import product_state, product_state_from_values, source_record_state
from hub.ingest.canonical import CanonicalRecord
from hub.ingest.cut_cells import cut_errors, cut_raw
from hub.store.certificate_log import kept_revocation, sync_certificates
from hub.ingest.survivorship import refresh_survivorship
from hub.ingest.conflicts import refresh_conflicts
from hub.ingest.summary import ImportSummary, Rejection
from hub.store.models import Producer, Product, ProductChange, RejectedRecord, SourceRecord, utcnow
from hub.vocabulary import ProductStatus, SourceKind
from hub.normalize.fold import search_key

if TYPE_CHECKING:
    from hub.ingest.revocation import Revocation

# Inserts go through the tables (hub.store.bulk: the driver on SQLite, Core on PostgreSQL), not the
# ORM's bulk path: a first harvest inserts every row, and the ORM bookkeeping cost more than SQLite.
_PRODUCER = Producer.__table__
_PRODUCT = Product.__table__
_SOURCE_RECORD = SourceRecord.__table__
_PRODUCT_CHANGE = ProductChange.__table__

# Columns of Product that come straight from the canonical record.
_PRODUCT_FIELDS = (
    "stars", "score", "proposed_five_star", "group_code", "group_text", "subgroup",
    "decision_number", "decision_date", "issuing_body", "certified_year", "expiry_date",
    "province_code", "commune_code", "legacy_province", "unit_text", "unit_code", "unit_code_version",
)
# Producer facts a later source may fill in (never erase).
_PRODUCER_FACTS = ("producer_type", "tax_code", "commune_code", "address", "phone", "email", "contact_person")


@dataclass(frozen=True)
class Accepted:
    """A row that passed validation: its canonical record (a revocation list's: its revocation),
    the row as received and its hash."""

    record: CanonicalRecord | Revocation
    raw: dict[str, str]
    raw_hash: str | None


@dataclass(frozen=True)
class ApplyTarget:
    """What every chunk of one snapshot is applied to; source kinds are read once per snapshot."""

    source_id: int
    batch_id: int
    source_kinds: dict[int, str]
    today: date
    rejected_cell_chars: int = 1000
    """A rejected row's cells are kept cut to this (HUB_REJECTED_CELL_CHARS, hub.ingest.cut_cells)."""

    @property
    def source_kind(self) -> str:
        return self.source_kinds[self.source_id]


def _product_values(rec: CanonicalRecord, producer_id: int | None, source_id: int, today: date,
                    now: datetime) -> dict[str, Any]:
    values = {f: getattr(rec, f) for f in _PRODUCT_FIELDS}
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


def _upsert_producers(session: Session, records: list[CanonicalRecord], now: datetime) -> dict[str | None, int]:
    """Producer ids by identity key, creating missing producers and filling in facts a
    later source knows (type, tax code, contact) without erasing what an earlier one knew."""
    records = [r for r in records if r.producer_key is not None]
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
            f: getattr(rec, f) for f in _PRODUCER_FACTS
            if getattr(rec, f) is not None and getattr(producer, f) != getattr(rec, f)
        }
        if changes:
            for f, v in changes.items():
                setattr(producer, f, v)
            producer.updated_at = now
    ids = {key: p.id for key, p in existing.items()}
    if new_values:
        rows = insert_rows_returning(session, _PRODUCER, list(new_values.values()), ("id", "identity_key"))
        ids.update({identity_key: pid for pid, identity_key in rows})
    return ids


def _may_overwrite(product: Product, target: ApplyTarget) -> bool:
    """The precedence rule (module docstring)."""
    if product.status == ProductStatus.WITHDRAWN.value or product.source_id == target.source_id:
        return True
    return (target.source_kind == SourceKind.PUSH.value
            and target.source_kinds.get(product.source_id) != SourceKind.PUSH.value)


def _same_values(product: Product, values: dict[str, Any]) -> bool:
    """The product already holds these values (its hash and timestamp aside)."""
    return all(getattr(product, f) == v for f, v in values.items() if f not in ("content_hash", "updated_at"))


def _warnings(rec: CanonicalRecord) -> list[dict[str, str | None]] | None:
    return [w.as_dict() for w in rec.warnings] or None


def _kept_raw_hash(item: Accepted) -> str | None:
    """A row with a date refused as in the future is normalized again on every harvest (no raw
    hash kept), so its date is taken once it has come."""
    return None if item.record.date_in_future else item.raw_hash


def mark_seen(session: Session, record_ids: list[int], batch_id: int) -> None:
    """Rows this snapshot sent again unchanged: note that this batch saw them, nothing else."""
    if record_ids:
        session.execute(
            update(_SOURCE_RECORD).where(_SOURCE_RECORD.c.id.in_(record_ids)).values(last_batch_id=batch_id))


def record_rejection(session: Session, target: ApplyTarget, row_number: int, raw: dict[str, str],
                     errors: tuple[dict[str, str | None], ...], summary: ImportSummary) -> None:
    """A row the batch refuses: counted, reported, and kept with its reasons (``rejectedRecords``),
    each cell and value cut to ``target.rejected_cell_chars``."""
    errors = cut_errors(errors, target.rejected_cell_chars)
    summary.rejected += 1
    summary.rejections.append(Rejection(row_number, errors))
    session.add(RejectedRecord(batch_id=target.batch_id, source_id=target.source_id, row_number=row_number,
                               raw=cut_raw(raw, target.rejected_cell_chars), errors=list(errors)))


def apply_chunk(session: Session, target: ApplyTarget, accepted: list[Accepted], summary: ImportSummary) -> None:
    """Apply one chunk of accepted rows; counts go into ``summary``."""
    if not accepted:
        return
    seen_before = {
        row.record_key: row
        for row in session.execute(
            select(_SOURCE_RECORD.c.id, _SOURCE_RECORD.c.record_key, _SOURCE_RECORD.c.present,
                   _SOURCE_RECORD.c.content_hash)
            .where(_SOURCE_RECORD.c.source_id == target.source_id,
                   _SOURCE_RECORD.c.record_key.in_([a.record.product_key for a in accepted]))
        )
    }
    unchanged_ids: list[int] = []
    to_apply: list[Accepted] = []
    for item in accepted:
        sr = seen_before.get(item.record.product_key)
        if sr is not None and sr.present and sr.content_hash == item.record.content_hash:
            unchanged_ids.append(sr.id)
            summary.unchanged += 1
        else:
            to_apply.append(item)
    mark_seen(session, unchanged_ids, target.batch_id)
    if to_apply:
        _apply_changes(session, target, to_apply, {k: sr.id for k, sr in seen_before.items()}, summary)


def _apply_changes(session: Session, target: ApplyTarget, to_apply: list[Accepted],
                   record_ids: dict[str, int], summary: ImportSummary) -> None:
    """New and changed rows: producers, products, source records and the audit log."""
    now = utcnow()
    producer_ids = _upsert_producers(session, [a.record for a in to_apply], now)
    products = {
        p.identity_key: p
        for p in session.execute(
            select(Product).where(Product.identity_key.in_([a.record.product_key for a in to_apply]))
        ).scalars()
    }
    new_products: list[dict[str, Any]] = []
    changes: dict[str, dict[str, Any]] = {}  # product key → audit entry (product_id filled below)
    for item in to_apply:
        rec = item.record
        values = _product_values(rec, producer_ids.get(rec.producer_key), target.source_id, target.today, now)
        product = products.get(rec.product_key)
        if product is None:
            new_products.append(values | {"created_at": now, "listed_on": target.today})
            changes[rec.product_key] = {"action": "created", "before": None,
                                        "after": product_state_from_values(values)}
            summary.created += 1
        elif product.content_hash != rec.product_hash and _may_overwrite(product, target) \
                or product.status == ProductStatus.WITHDRAWN.value:
            values = kept_revocation(product, values)
            if _same_values(product, values):  # a withdrawn product's status differs, unless it stays revoked
                # Only the hash changed form (a new CANONICAL_VERSION): not a change to report or sync.
                product.content_hash = rec.product_hash
                changes[rec.product_key] = {"action": "linked", "before": None}
                summary.unchanged += 1
                continue
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
        rows = insert_rows_returning(session, _PRODUCT, new_products, ("id", "identity_key"))
        product_ids.update({identity_key: pid for pid, identity_key in rows})
    session.flush()

    changed_records = {
        sr.record_key: sr
        for sr in session.execute(
            select(SourceRecord).where(SourceRecord.id.in_(
                [record_ids[a.record.product_key] for a in to_apply if a.record.product_key in record_ids]))
        ).scalars()
    } if record_ids else {}
    new_records: list[dict[str, Any]] = []
    for item in to_apply:
        rec = item.record
        sr = changed_records.get(rec.product_key)
        if sr is None:
            new_records.append(dict(
                source_id=target.source_id, record_key=rec.product_key, row_number=rec.row_number,
                raw=item.raw, raw_hash=_kept_raw_hash(item), content_hash=rec.content_hash,
                product_id=product_ids[rec.product_key], present=True,
                first_batch_id=target.batch_id, last_batch_id=target.batch_id,
                warnings=_warnings(rec), facts=rec.facts() or None,
            ))
        else:
            changes[rec.product_key]["source_record_id"] = sr.id
            changes[rec.product_key]["source_record_before"] = source_record_state(sr)
            sr.row_number, sr.raw, sr.raw_hash, sr.content_hash = rec.row_number, item.raw, _kept_raw_hash(item), \
                rec.content_hash
            sr.product_id, sr.present, sr.last_batch_id = product_ids[rec.product_key], True, target.batch_id
            sr.warnings, sr.facts = _warnings(rec), rec.facts() or None
    if new_records:
        for record_id, record_key in insert_rows_returning(session, _SOURCE_RECORD, new_records, ("id", "record_key")):
            changes[record_key]["source_record_id"] = record_id
    session.flush()
    if products:  # a product created now has one source: it cannot disagree with another yet
        summary.conflicts += refresh_conflicts(session, [p.id for p in products.values()])
    linked = {key: product_state(p) for key, p in products.items() if changes[key]["action"] == "linked"}
    # Only products that existed can take a value from another source: one created now has one source.
    filled = set(refresh_survivorship(session, [p.id for p in products.values()]))
    for key, entry in changes.items():  # what another source gave is part of the change that brought it
        if product_ids[key] in filled and entry["action"] == "linked":
            entry.update(action="updated", before=linked[key])
            summary.unchanged, summary.updated = summary.unchanged - 1, summary.updated + 1
    after = {p.id: p for p in products.values()}  # every "updated" entry's product, filled ones included
    sync_certificates(session, (product_ids[key] for key, entry in changes.items() if entry["action"] == "updated"),
                      target.batch_id, now,
                      created=(SimpleNamespace(**values, id=product_ids[values["identity_key"]])
                               for values in new_products))
    insert_rows(session, _PRODUCT_CHANGE, [
        dict(batch_id=target.batch_id, product_id=product_ids[key], action=entry["action"],
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
    refilled = refresh_survivorship(session, still_listed & {sr.product_id for sr in gone})
    sync_certificates(session, [*refilled, *(entry["product_id"] for entry in log if entry["action"] == "withdrawn")],
                      batch_id, now)
    insert_rows(session, _PRODUCT_CHANGE, log)
    refresh_conflicts(session, {sr.product_id for sr in gone})  # a source that left disagrees no more

