"""The audit log read back: a product's history, and reverting a batch to the state before it."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from hub.ingest.conflicts import refresh_conflicts
from hub.store.certificate_log import revert_certificates
from hub.ingest.survivorship import refresh_survivorship
from hub.store.snapshots import product_state, restore_product, restore_source_record
from hub.access.keys import Principal
from hub.store.engine import lock_province, session_scope, writer
from hub.store.models import ImportBatch, Product, ProductChange, Source, SourceRecord, utcnow
from hub.vocabulary import BatchStatus
from hub.push.submission import PushRefused


@dataclass(frozen=True)
class HistoryEntry:
    batch_id: int
    batch_kind: str
    actor: str
    action: str
    at: datetime
    before: dict[str, Any] | None
    after: dict[str, Any] | None


@dataclass(frozen=True)
class RevertResult:
    revert_batch_id: int
    reverted_batch_id: int
    products_restored: int  # every product put back as before the batch: withdrawn + updated
    withdrawn: int          # products the batch had created, now withdrawn
    updated: int            # products whose values or status went back to what they were


def revert_action(change: ProductChange, product_changed: bool, record_dropped: bool) -> str:
    """What reverting ``change`` did to its product, in the history's words: a product the batch
    created is ``withdrawn``; one whose values or status went back is ``restored``; otherwise
    only provenance changed: the source no longer lists it (``unlisted``), or lists it as
    before (``linked``)."""
    if change.action == "created":
        return "withdrawn"
    if product_changed:
        return "restored"
    return "unlisted" if record_dropped else "linked"


def product_history(session: Session, product_ids: list[int], last: int | None = None
                    ) -> dict[int, list[HistoryEntry]]:
    """Every change to these products, oldest first, in one query (for a DataLoader); with
    ``last``, only each product's ``last`` latest changes (a window, so the cap holds in SQL)."""
    history: dict[int, list[HistoryEntry]] = {pid: [] for pid in product_ids}
    stmt = (select(ProductChange, ImportBatch.kind, ImportBatch.actor)
            .join(ImportBatch, ImportBatch.id == ProductChange.batch_id)
            .order_by(ProductChange.product_id, ProductChange.id))
    if last is None:
        stmt = stmt.where(ProductChange.product_id.in_(product_ids))
    else:
        rank = func.row_number().over(partition_by=ProductChange.product_id,
                                      order_by=ProductChange.id.desc()).label("rank")
        latest = (select(ProductChange.id, rank).where(ProductChange.product_id.in_(product_ids))
                  .subquery())
        stmt = stmt.join(latest, latest.c.id == ProductChange.id).where(latest.c.rank <= last)
    for change, kind, actor in session.execute(stmt).all():
        history[change.product_id].append(HistoryEntry(
            batch_id=change.batch_id, batch_kind=kind, actor=actor, action=change.action, at=change.at,
            before=change.before, after=change.after))
    return history


def revert_batch(engine: Engine, principal: Principal | None, batch_id: int) -> RevertResult:
    """Restore every product and source row a batch touched to its state before the batch.

    Products the batch created are withdrawn, not deleted (other systems sync deletions as
    flags). Refused, changing nothing, when a later batch changed the same products: reverting
    would silently undo that later work too.
    """
    if principal is None:
        raise PushRefused("FORBIDDEN", "reverting a batch needs an API key")
    with session_scope(writer(engine)) as session:
        found = session.execute(
            select(ImportBatch, Source).join(Source, Source.id == ImportBatch.source_id)
            .where(ImportBatch.id == batch_id)
        ).one_or_none()
        if found is None:
            raise PushRefused("NOT_FOUND", f"no batch {batch_id}")
        batch, source = found
        if not principal.may_write(source.province_code):
            raise PushRefused("NOT_YOUR_PROVINCE",
                              f"batch {batch_id} belongs to "
                              f"{'province ' + source.province_code if source.province_code else 'a list of many provinces'}; "
                              f"key '{principal.name}' writes only for {principal.province_code}")
        lock_province(session, source.province_code)
        if batch.reverted_at is not None:
            raise PushRefused("ALREADY_REVERTED", f"batch {batch_id} was already reverted by batch "
                                                  f"{batch.reverted_by_batch_id}")
        if batch.status != BatchStatus.SUCCEEDED.value or batch.kind not in ("harvest", "push"):
            # A revert or a source's removal is not undone by replaying its log: a removed source stays removed.
            raise PushRefused("NOT_REVERTIBLE", f"batch {batch_id} is a {batch.status} {batch.kind}: "
                                                "only applied harvests and pushes can be reverted")
        changes = session.execute(
            select(ProductChange).where(ProductChange.batch_id == batch_id).order_by(ProductChange.id.desc())
        ).scalars().all()
        product_ids = {c.product_id for c in changes}
        later = session.execute(
            select(ProductChange.batch_id, func.count())
            .join(ImportBatch, ImportBatch.id == ProductChange.batch_id)
            .where(ProductChange.product_id.in_(product_ids), ProductChange.batch_id > batch_id,
                   ImportBatch.reverted_at.is_(None))
            .group_by(ProductChange.batch_id)
        ).all() if product_ids else []
        if later:
            raise PushRefused("REVERT_CONFLICT",
                              f"later batches changed the same products: "
                              f"{', '.join(str(b) for b, _ in sorted(later))}; revert those first")

        now = utcnow()
        revert = ImportBatch(source_id=source.id, kind="revert", actor=principal.actor,
                             status=BatchStatus.SUCCEEDED.value, finished_at=now)
        session.add(revert)
        session.flush()
        products = {p.id: p for p in session.execute(
            select(Product).where(Product.id.in_(product_ids))).scalars()}
        withdrawn: set[int] = set()
        restored: set[int] = set()
        log = []
        for change in changes:
            product = products[change.product_id]
            before_state = product_state(product)
            if change.action == "created":
                product.status, product.withdrawn_at = "withdrawn", now
            elif change.before is not None:
                restore_product(product, change.before)
            product.updated_at = now
            record = session.get(SourceRecord, change.source_record_id) if change.source_record_id else None
            record_dropped = False
            if record is not None and change.source_record_before is None:
                record.present = False  # kept for provenance and the audit log, no longer listed
                record_dropped = True
            elif record is not None:
                restore_source_record(record, change.source_record_before)
            after_state = product_state(product)
            action = revert_action(change, before_state != after_state, record_dropped)
            if action == "withdrawn":
                withdrawn.add(product.id)
            elif action == "restored":
                restored.add(product.id)
            log.append(ProductChange(batch_id=revert.id, product_id=product.id, action=action,
                                     before=before_state, after=after_state, at=now))
        session.flush()
        refresh_conflicts(session, product_ids)  # the source rows are as they were: so are their disagreements
        refresh_survivorship(session, product_ids)  # what the batch's rows gave is given back
        revert_certificates(session, batch_id, revert.id, now)
        session.add_all(log)
        restored -= withdrawn
        # A revert is no harvest or push success: source.last_success_at stays as that last one set it.
        revert.withdrawn, revert.updated = len(withdrawn), len(restored)
        revert.unchanged = len(product_ids - withdrawn - restored)
        batch.reverted_at, batch.reverted_by_batch_id = now, revert.id
        session.flush()
        return RevertResult(revert_batch_id=revert.id, reverted_batch_id=batch_id,
                            products_restored=len(withdrawn | restored), withdrawn=len(withdrawn),
                            updated=len(restored))
