"""The one path into the store for harvested and pushed records alike:
validate → normalize → resolve → upsert, one transaction per source snapshot."""
from __future__ import annotations

import hashlib
import itertools
import logging
import threading
import weakref
from collections import OrderedDict
from datetime import date
from typing import TYPE_CHECKING, Any, Callable, Iterable

from sqlalchemy import String, cast, func, insert, literal, select, update
from sqlalchemy.engine import Engine
from sqlmodel import Session

from hub.store.engine import lock_province, session_scope, writer
from hub.ingest.apply import Accepted, ApplyTarget, apply_chunk, mark_seen, record_rejection, withdraw_missing
from hub.ingest.canonical import CANONICAL_VERSION
from hub.ingest.revocation import apply_revocations, read_revocation
from hub.ingest.prepare import Prepared, Reader, Refusal, Refused, Seen, prepare
from hub.ingest.summary import ImportSummary, Rejection, RowWarnings
from hub.store.models import ImportBatch, Product, RejectedRecord, Source, SourceRecord, utcnow
from hub.vocabulary import BatchStatus
from hub.normalize.dates import parse_date
from hub.normalize.problem import Problem
from hub.records import PRODUCTS, REVOCATION, RawRow
from hub.registries import RegistryError
from hub.settings import load_settings
from hub.units.resolver import UnitResolver

if TYPE_CHECKING:
    from hub.registries.reading import TableReading

log = logging.getLogger(__name__)

CHUNK_SIZE = 2000
ApplyChunk = Callable[[Session, ApplyTarget, list[Accepted], ImportSummary], None]


class IngestError(Exception):
    """A whole snapshot cannot be taken (its source is unusable); nothing was written."""


# By engine, weakly: a resolver holds about 13,000 units, and one kept for every store a process
# ever opened (a test run opens dozens) is memory and garbage-collection time for nothing.
_resolvers: weakref.WeakKeyDictionary[Engine, UnitResolver] = weakref.WeakKeyDictionary()
# By a fingerprint of the reference rows, the few most recent: a new engine on the same reference
# data (a CLI command, a test's fresh store) reads the rows but does not build the indexes again:
# 0.06 s instead of 0.37 s on SQLite (2-core machine, 2026-12-07). The resolver is a pure function
# of those rows, in their order.
_by_reference: OrderedDict[str, UnitResolver] = OrderedDict()
_by_reference_lock = threading.Lock()  # the API warms it from a thread pool
_KEPT_REFERENCES = 4


def resolver_for(engine: Engine) -> UnitResolver:
    """The unit resolver for this store, built once per engine, and once per distinct reference data:
    reference units never change at run time."""
    resolver = _resolvers.get(engine)
    if resolver is None:
        with Session(engine) as session:
            rows = UnitResolver.reference_rows(session)
        fingerprint = hashlib.sha256(repr(rows).encode()).hexdigest()
        with _by_reference_lock:
            resolver = _by_reference.get(fingerprint)
        if resolver is None:
            resolver = UnitResolver(*rows)
        with _by_reference_lock:
            _by_reference[fingerprint] = resolver
            _by_reference.move_to_end(fingerprint)
            while len(_by_reference) > _KEPT_REFERENCES:
                _by_reference.popitem(last=False)
        _resolvers[engine] = resolver
    return resolver


def _source(session: Session, name: str, kind: str, location: str | None,
            province_text: str, province_code: str | None, list_kind: str | None = None) -> Source:
    """The source by its name, created on its first batch; a name keeps its province and its
    kind of list (``list_kind`` None: whichever it has, for a failed batch's record)."""
    source = session.execute(select(Source).where(Source.name == name)).scalar_one_or_none()
    if source is None:
        source = Source(name=name, kind=kind, location=location, list_kind=list_kind or PRODUCTS,
                        province_text=province_text, province_code=province_code)
        session.add(source)
    elif list_kind is not None and source.list_kind != list_kind:
        raise IngestError(f"source '{name}' is a list of {source.list_kind}; it cannot now be a list of "
                          f"{list_kind}: give the other list a source of its own")
    elif source.province_code != province_code:
        raise IngestError(
            f"source '{name}' belongs to {_whose(source.province_code)}; "
            f"it cannot now speak for {province_text or 'many provinces'} ({province_code or 'none of its own'})"
        )
    else:
        source.kind, source.location, source.province_text = kind, location, province_text
    session.flush()
    return source


def _whose(province_code: str | None) -> str:
    return f"province {province_code}" if province_code else "many provinces (its rows name their own)"


def _known_rows(session: Session, source_id: int) -> dict[str, tuple[int, str, list | None]]:
    """(source record id, record key, warnings) by raw hash, for the rows this source lists now."""
    table = SourceRecord.__table__
    rows = session.execute(
        select(table.c.raw_hash, table.c.id, table.c.record_key, table.c.warnings)
        .where(table.c.source_id == source_id, table.c.present.is_(True), table.c.raw_hash.is_not(None)))
    return {row_hash: (record_id, key, warnings) for row_hash, record_id, key, warnings in rows}


def ingest_rows(
    engine: Engine,
    *,
    source_name: str,
    source_kind: str,
    province: str,
    rows: Iterable[RawRow],
    location: str | None = None,
    batch_kind: str = "harvest",
    actor: str = "system",
    replace_all: bool = True,
    dry_run: bool = False,
    today: date | None = None,
    before_commit: Callable[[Session, ImportSummary], None] | None = None,
    fingerprint: Callable[[], str | None] | None = None,
    reading: Callable[[], TableReading | None] | None = None,
    list_kind: str = PRODUCTS,
    read: Reader | None = None,
) -> ImportSummary:
    """Ingest one source snapshot (harvest) or one push.

    ``replace_all``: the rows are the source's whole registry, so products it no longer lists
    are withdrawn. Everything happens in one transaction: on any error nothing is written and
    a failed batch is recorded on its own. ``dry_run`` does all the work, then rolls back.
    Row problems never stop the batch: they become rejections with stable codes.
    ``before_commit`` runs inside the transaction of a real (not dry) run, so what it writes
    (a push's submission id) lands together with the batch or not at all.
    ``fingerprint`` (a whole registry's, called inside the transaction so a fetch error fails
    the batch) lets a registry identical to the last one applied skip reading altogether.
    ``reading`` gives, once the rows are read, what the reader understood of the table (header,
    unmapped columns, skipped rows): it goes into the summary and ``import_batch.notes``.
    ``list_kind`` REVOCATION: the rows end certificates (hub.ingest.revocation); such a list
    never withdraws what it does not list.
    ``read`` normalizes a row of a product list (``canonicalize`` by default): the harvest of many
    sources passes the records a second process made ahead (hub.sources.read_ahead).
    """
    today = today or date.today()
    revocations = list_kind == REVOCATION
    replace_all = replace_all and not revocations
    summary = ImportSummary(source=source_name, dry_run=dry_run)
    resolver = resolver_for(engine)
    province_code = resolver.resolve_province_code(province) if province else None
    if province and province_code is None:
        raise IngestError(f"source '{source_name}': unknown province '{province}'")
    try:
        with session_scope(writer(engine)) as session:
            lock_province(session, province_code)
            source = _source(session, source_name, source_kind, location, province, province_code, list_kind)
            batch = ImportBatch(source_id=source.id, kind=batch_kind, actor=actor)
            session.add(batch)
            session.flush()
            summary.batch_id = batch.id
            snapshot_key = _snapshot_key(fingerprint(), province) if fingerprint and replace_all else None
            batch.snapshot_hash = snapshot_key
            previous = _same_snapshot(session, source.id, batch.id, snapshot_key, today)
            if previous is not None:
                _repeat(session, previous, batch, summary)
            else:
                target = ApplyTarget(source_id=source.id, batch_id=batch.id, today=today,
                                     source_kinds=dict(session.execute(select(Source.id, Source.kind)).all()),
                                     rejected_cell_chars=load_settings().rejected_cell_chars)
                known = _known_rows(session, source.id) if replace_all else {}
                items = prepare(rows, resolver, province, province_code, today, known,
                                other_province="NOT_YOUR_PROVINCE" if batch_kind == "push" else "WRONG_PROVINCE",
                                read=read_revocation if revocations else read)
                _read_and_apply(session, items, target, summary,
                                apply=apply_revocations if revocations else apply_chunk)
                table = reading() if reading is not None else None
                summary.reading = table.as_dict() if table is not None else None
            if replace_all:
                withdraw_missing(session, source.id, batch.id, summary)
            now = utcnow()
            batch.status = BatchStatus.DRY_RUN.value if dry_run else BatchStatus.SUCCEEDED.value
            batch.finished_at = now
            for field in ("rows_read", "created", "updated", "unchanged", "withdrawn", "rejected"):
                setattr(batch, field, getattr(summary, field))
            batch.notes = summary.notes()
            if not dry_run:
                source.last_success_at = now
                if not revocations:
                    source.list_date = list_date_of(session, source.id, summary.reading, today)
            summary.status = batch.status
            if dry_run:
                session.rollback()
            elif before_commit is not None:
                before_commit(session, summary)
    except Exception as exc:
        log.exception("ingest of source %s failed", source_name)
        summary.status = BatchStatus.FAILED.value
        summary.error = batch_error(exc)
        summary.error_code = exc.code if isinstance(exc, Refusal) else None
        record_failure(engine, source_name, source_kind, location, province, province_code,
                       batch_kind, actor, summary, list_kind)
    return summary


def list_date_of(session: Session, source_id: int, reading: dict[str, Any] | None, today: date) -> date | None:
    """The date a source's list speaks for: the day its title says it is as of (``reading``'s
    ``list_date``, hub.registries.title_date), else the latest decision date of the products it
    lists now (an annex's title decision is given to every row that states none, so it counts
    here). A title's date after ``today`` is a typing error, not taken."""
    stated = (reading or {}).get("list_date")
    if stated and date.fromisoformat(stated) <= today:
        return date.fromisoformat(stated)
    return session.scalar(select(func.max(Product.decision_date)).join(SourceRecord, SourceRecord.product_id == Product.id)
                          .where(SourceRecord.source_id == source_id, SourceRecord.present.is_(True)))


def batch_error(exc: Exception) -> str:
    """What a failed batch keeps and shows (``coverage.lastError``, the summary), as ``Kind: text``:
    a registry's, source's or connection's error is written for people; any other (a database
    error's statement and parameters quote rows) is named by its kind only, and the log keeps it
    whole."""
    if isinstance(exc, (RegistryError, IngestError, Refusal, OSError)):
        return f"{exc.__class__.__name__}: {exc}"
    return f"{exc.__class__.__name__}: the batch failed inside the hub and nothing was applied (details in the server log)"


def applied_last(engine: Engine, source_name: str, province: str, fingerprint: str, today: date) -> bool:
    """Whether the source's last batch applied this very registry and still stands: its ingest
    will read none of its rows (``_same_snapshot``), so a harvest reading ahead need not either."""
    with Session(engine) as session:
        source_id = session.scalar(select(Source.id).where(Source.name == source_name))
        return source_id is not None and _same_snapshot(
            session, source_id, 0, _snapshot_key(fingerprint, province), today) is not None


def _snapshot_key(fingerprint: str | None, province: str) -> str | None:
    """The registry's fingerprint under this normalizer version and source province."""
    if fingerprint is None:
        return None
    return hashlib.sha256(f"{CANONICAL_VERSION}\0{province}\0{fingerprint}".encode("utf-8")).hexdigest()


def _same_snapshot(session: Session, source_id: int, batch_id: int, key: str | None,
                   today: date) -> ImportBatch | None:
    """The source's last applied batch, if it applied this very registry and still stands.

    Any batch of the source in between (a revert, a push) breaks the chain. Nor is a batch
    repeated when a date it refused as in the future has come due since.
    """
    if key is None:
        return None
    previous = session.execute(
        select(ImportBatch).where(ImportBatch.source_id == source_id, ImportBatch.id != batch_id,
                                  ImportBatch.status == BatchStatus.SUCCEEDED.value)
        .order_by(ImportBatch.id.desc()).limit(1)
    ).scalar_one_or_none()
    if previous is None or previous.snapshot_hash != key or previous.reverted_at is not None:
        return None
    refused = session.execute(select(RejectedRecord.errors).where(RejectedRecord.batch_id == previous.id)).scalars()
    # The batch's notes count its rows' warnings by code: the rows are scanned only when some had a future date.
    warned = session.execute(
        select(SourceRecord.warnings).where(SourceRecord.source_id == source_id, SourceRecord.present.is_(True),
                                            cast(SourceRecord.warnings, String).like("%FUTURE_DATE%"))
    ).scalars() if ((previous.notes or {}).get("warnings") or {}).get("FUTURE_DATE") else ()
    if any(problem.get("code") == "FUTURE_DATE" and not isinstance(parse_date(problem.get("value"), today), Problem)
           for problems in itertools.chain(refused, warned) for problem in problems):
        return None
    return previous


def _repeat(session: Session, previous: ImportBatch, batch: ImportBatch, summary: ImportSummary) -> None:
    """The registry is byte for byte the one ``previous`` applied: normalizing it again would
    give the same records and rejections. Note the rows as seen and repeat the rejections."""
    table = SourceRecord.__table__
    summary.unchanged = session.execute(
        update(table).where(table.c.source_id == batch.source_id, table.c.present.is_(True))
        .values(last_batch_id=batch.id)
    ).rowcount
    summary.rows_read = previous.rows_read
    rejected = RejectedRecord.__table__
    columns = ("batch_id", "source_id", "row_number", "raw", "errors")
    session.execute(insert(rejected).from_select(
        columns,
        select(literal(batch.id), rejected.c.source_id, rejected.c.row_number, rejected.c.raw, rejected.c.errors)
        .where(rejected.c.batch_id == previous.id).order_by(rejected.c.id)))
    summary.rejections = [
        Rejection(row_number, tuple(errors))
        for row_number, errors in session.execute(
            select(rejected.c.row_number, rejected.c.errors).where(rejected.c.batch_id == batch.id)
            .order_by(rejected.c.id))
    ]
    summary.rejected = len(summary.rejections)
    summary.warnings = [
        RowWarnings(row_number, tuple(warnings))
        for row_number, warnings in session.execute(
            select(table.c.row_number, table.c.warnings)
            .where(table.c.source_id == batch.source_id, table.c.present.is_(True), table.c.warnings.is_not(None))
            .order_by(table.c.row_number))
    ]
    summary.reading = (previous.notes or {}).get("reading")
    summary.same_as_batch = previous.id


def _read_and_apply(session: Session, items: Iterable[Prepared], target: ApplyTarget,
                    summary: ImportSummary, apply: ApplyChunk = apply_chunk) -> None:
    """Write the prepared rows in chunks as they come (``hub.ingest.prepare`` decided each);
    ``apply`` writes a chunk of accepted rows (a revocation list's end certificates)."""
    seen_ids: list[int] = []
    accepted: list[Accepted] = []
    for item in items:
        summary.rows_read += 1
        if isinstance(item, Seen):
            # Sent before exactly so and still listed: nothing to normalize or write.
            seen_ids.append(item.record_id)
            summary.unchanged += 1
            if item.warnings:
                summary.warnings.append(RowWarnings(item.row_number, item.warnings))
            if len(seen_ids) >= CHUNK_SIZE:
                mark_seen(session, seen_ids, target.batch_id)
                seen_ids = []
        elif isinstance(item, Refused):
            record_rejection(session, target, item.row_number, item.raw, item.errors, summary)
        else:
            if item.record.warnings:
                summary.warnings.append(RowWarnings(item.record.row_number,
                                                    tuple(w.as_dict() for w in item.record.warnings)))
            accepted.append(item)
            if len(accepted) >= CHUNK_SIZE:
                apply(session, target, accepted, summary)
                accepted = []
    apply(session, target, accepted, summary)
    mark_seen(session, seen_ids, target.batch_id)


def record_failure(engine: Engine, source_name: str, source_kind: str, location: str | None,
                   province: str, province_code: str | None, batch_kind: str, actor: str,
                   summary: ImportSummary, list_kind: str | None = None) -> None:
    """Keep a failed attempt visible (coverage, audit) without touching the previous snapshot."""
    try:
        with session_scope(engine) as session:
            source = _source(session, source_name, source_kind, location, province, province_code, list_kind)
            batch = ImportBatch(source_id=source.id, kind=batch_kind, actor=actor,
                                status=BatchStatus.FAILED.value, finished_at=utcnow(),
                                rows_read=summary.rows_read, error=summary.error)
            session.add(batch)
            session.flush()
            summary.batch_id = batch.id
    except Exception:  # the store itself is down: the summary still says what failed
        log.exception("could not record the failed batch of %s", source_name)
