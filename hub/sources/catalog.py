"""Managing sources: list, disable, enable, remove. One code path for ``ocop-hub sources`` and the
ministry's GraphQL mutations (hub/api/sources_api.py); who may call is the caller's business.

A removed source is marked (``source.removed_at``), never deleted: its batches, provenance rows,
rejections and the products' audit log all refer to it, and the history must read the same
afterwards. Its name stays taken. Removing withdraws nothing by itself: it is refused while some
product depends on the source alone, unless the caller asks to withdraw those products, which an
audited ``removal`` batch does exactly as a harvest withdraws products that left their registry.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import distinct, exists, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import aliased
from sqlmodel import Session

from hub.store.engine import lock_province, session_scope, writer
from hub.ingest.apply import withdraw_missing
from hub.ingest.summary import ImportSummary
from hub.store.models import ImportBatch, Product, Source, SourceRecord, utcnow
from hub.vocabulary import BatchStatus, ProductStatus, SourceKind

REMOVAL_BATCH_KIND = "removal"


class SourceRefused(Exception):
    """The request is refused and nothing changed; ``code`` is stable (docs/error-codes.md)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class LastBatch:
    id: int
    kind: str
    status: str
    at: datetime
    error: str | None


@dataclass(frozen=True)
class SourceState:
    """A source as an operator manages it."""

    name: str
    kind: str
    location: str | None
    province_code: str | None
    province_text: str
    disabled_at: datetime | None
    removed_at: datetime | None
    last_success_at: datetime | None
    last_batch: LastBatch | None
    present_rows: int
    sole_products: int
    """Products (not withdrawn) that no other source lists: they depend on this one alone."""


@dataclass(frozen=True)
class Removal:
    source: SourceState
    batch_id: int
    products_withdrawn: int
    rows_unlisted: int


def sole_products(session: Session, source_ids: list[int] | None = None) -> dict[int, int]:
    """source id → its products that are not withdrawn and that no other source's present row lists."""
    mine, other = aliased(SourceRecord), aliased(SourceRecord)
    stmt = (select(mine.source_id, func.count(distinct(mine.product_id)))
            .join(Product, Product.id == mine.product_id)
            .where(mine.present.is_(True), Product.status != ProductStatus.WITHDRAWN.value,
                   ~exists().where(other.product_id == mine.product_id, other.present.is_(True),
                                   other.source_id != mine.source_id))
            .group_by(mine.source_id))
    if source_ids is not None:
        stmt = stmt.where(mine.source_id.in_(source_ids))
    return dict(session.execute(stmt).all())


def list_sources(engine: Engine, include_removed: bool = False) -> list[SourceState]:
    """Every source by name, with its latest batch (dry runs excluded) and counts: a few queries."""
    with Session(engine) as session:
        stmt = select(Source).order_by(Source.name)
        if not include_removed:
            stmt = stmt.where(Source.removed_at.is_(None))
        return _states(session, list(session.scalars(stmt)))


def disabled_names(engine: Engine) -> dict[str, datetime]:
    """Names of the disabled (not removed) sources and since when: the harvest skips them."""
    with Session(engine) as session:
        return dict(session.execute(select(Source.name, Source.disabled_at).where(
            Source.disabled_at.is_not(None), Source.removed_at.is_(None))).all())


def disable_source(engine: Engine, name: str) -> SourceState:
    """Stop harvesting a source and counting it as stale; its products and rows stay as they are.
    Disabling a disabled source changes nothing."""
    return _set_disabled(engine, name, disabled=True)


def enable_source(engine: Engine, name: str) -> SourceState:
    """Harvest a disabled source again (the next harvest takes its registry as it is then)."""
    return _set_disabled(engine, name, disabled=False)


def remove_source(engine: Engine, name: str, *, withdraw_products: bool, actor: str) -> Removal:
    """Mark a source removed, after a ``removal`` batch has unlisted its rows (and withdrawn the
    products that depended on it alone, when ``withdraw_products``). SOURCE_IN_USE, changing
    nothing, while such products exist and ``withdraw_products`` is false."""
    with session_scope(writer(engine)) as session:
        source = _managed(session, name, "removed")
        lock_province(session, source.province_code)
        alone = sole_products(session, [source.id]).get(source.id, 0)
        if alone and not withdraw_products:
            raise SourceRefused("SOURCE_IN_USE", (
                f"source '{name}' alone lists {alone} product{'s' if alone != 1 else ''} (no other source lists "
                f"{'them' if alone != 1 else 'it'}): removing it would leave {'them' if alone != 1 else 'it'} "
                "without any registry. Disable the source instead (kept, not harvested, not stale), or remove it "
                "withdrawing those products in an audited batch (CLI --withdraw-products, API withdrawProducts: true)"))
        now = utcnow()
        batch = ImportBatch(source_id=source.id, kind=REMOVAL_BATCH_KIND, actor=actor)
        session.add(batch)
        session.flush()
        summary = ImportSummary(source=name)
        rows = session.execute(select(func.count(SourceRecord.id)).where(
            SourceRecord.source_id == source.id, SourceRecord.present.is_(True))).scalar_one()
        withdraw_missing(session, source.id, batch.id, summary)
        batch.status, batch.finished_at, batch.withdrawn = BatchStatus.SUCCEEDED.value, now, summary.withdrawn
        batch.notes = {"removed_source": name, "rows_unlisted": rows}
        source.removed_at = now
        session.flush()
        return Removal(source=_states(session, [source])[0], batch_id=batch.id,
                       products_withdrawn=summary.withdrawn, rows_unlisted=rows)


def _set_disabled(engine: Engine, name: str, *, disabled: bool) -> SourceState:
    with session_scope(writer(engine)) as session:
        source = _managed(session, name, "disabled" if disabled else "enabled")
        if disabled and source.disabled_at is None:
            source.disabled_at = utcnow()
        elif not disabled:
            source.disabled_at = None
        session.flush()
        return _states(session, [source])[0]


def _find(session: Session, name: str) -> Source:
    source = session.execute(select(Source).where(Source.name == name)).scalar_one_or_none()
    if source is None:
        raise SourceRefused("NOT_FOUND", f"no source named '{name}' (see `ocop-hub sources list`)")
    return source


def _managed(session: Session, name: str, what: str) -> Source:
    """A source an operator may change: it exists, is not removed and is not a push channel."""
    source = _find(session, name)
    if source.removed_at is not None:
        raise SourceRefused("SOURCE_REMOVED", f"source '{name}' was removed on "
                                              f"{source.removed_at:%Y-%m-%d %H:%M} UTC and cannot be {what}")
    if source.kind == SourceKind.PUSH.value:
        raise SourceRefused("PUSH_CHANNEL", f"source '{name}' is province {source.province_code}'s push channel, "
                                            f"which is not harvested and cannot be {what}: revoke the province's "
                                            "key to stop its pushes (`ocop-hub keys revoke ID`)")
    return source


def _states(session: Session, sources: list[Source]) -> list[SourceState]:
    ids = [s.id for s in sources]
    if not ids:
        return []
    latest = dict(session.execute(
        select(ImportBatch.source_id, func.max(ImportBatch.id))
        .where(ImportBatch.source_id.in_(ids), ImportBatch.status != BatchStatus.DRY_RUN.value)
        .group_by(ImportBatch.source_id)).all())
    batches = {b.id: b for b in session.scalars(select(ImportBatch).where(ImportBatch.id.in_(latest.values())))}
    rows = dict(session.execute(
        select(SourceRecord.source_id, func.count(SourceRecord.id))
        .where(SourceRecord.source_id.in_(ids), SourceRecord.present.is_(True))
        .group_by(SourceRecord.source_id)).all())
    alone = sole_products(session, ids)
    states = []
    for s in sources:
        b = batches.get(latest.get(s.id, -1))
        last = LastBatch(b.id, b.kind, b.status, b.finished_at or b.started_at, b.error) if b else None
        states.append(SourceState(
            name=s.name, kind=s.kind, location=s.location, province_code=s.province_code,
            province_text=s.province_text, disabled_at=s.disabled_at, removed_at=s.removed_at,
            last_success_at=s.last_success_at, last_batch=last, present_rows=rows.get(s.id, 0),
            sole_products=alone.get(s.id, 0)))
    return states
