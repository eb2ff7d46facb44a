"""Reporting coverage: per current province, its sources, their last success and rejects, and
how current it is, in one vocabulary (``CoverageStatus``: no source, stale, current) that the
dashboard says in Vietnamese.

A source is current when it succeeded within the window (45 days by default) AND the list it
holds speaks for a recent date (``source.list_date`` within ``LIST_STALE_AFTER_MONTHS``): a 2018
list harvested today is stale. A province merged from several (since 1 July 2025) is shown per
former province: each has the status of the sources whose products lie in it (or whose province
as written names it), and the merged province is only as current as its least current part.
"""
from __future__ import annotations

import enum
from collections import defaultdict
from datetime import date, datetime, timedelta, timezone
from typing import Optional

import strawberry
from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from hub.api.access import may_see_personal
from hub.api.batch_notes import BatchNotes, WarningCount, notes_fields, warning_counts
from hub.api.context import Context
from hub.api.filters import legacy_province_name, product_conditions, wanted_statuses
from hub.api.types import Province, as_utc
from hub.store.models import ImportBatch, Product, ProductConflict, RejectedRecord, Source, SourceRecord
from hub.vocabulary import BatchStatus
from hub.store.models import Province as ProvinceRow
from hub.store.certificates import current_date
from hub.store.as_of import as_of_moment, certificates_on
from hub.store.as_of_counts import counts_on
from hub.ingest.run import resolver_for
from hub.normalize.dates import add_months
from hub.units.resolver import UnitResolver

STALE_AFTER_DAYS = 45
MAX_STALE_AFTER_DAYS = 36_500  # a century: beyond, dates overflow
"""A source with no successful harvest or push for this many days is stale (about six weeks:
a monthly registry that missed one update)."""
LIST_STALE_AFTER_MONTHS = 13
"""A list whose date is older than this (a yearly round of certification missed, and a month) is
stale, however recently it was harvested."""
SNAPSHOT_KINDS = ("harvest", "push")
"""Batches that bring a registry's data: only these are a source's successes (a revert or a removal is not)."""


@strawberry.type(description="One import of a source snapshot or push, with its counts.")
class BatchSummary(BatchNotes):
    id: int = strawberry.field(description="Batch identifier.")
    kind: str = strawberry.field(description="harvest or push.")
    status: str = strawberry.field(description="running, succeeded or failed.")
    started_at: datetime = strawberry.field(description="Start (UTC).")
    finished_at: Optional[datetime] = strawberry.field(description="End (UTC), if it ended.")
    rows_read: int = strawberry.field(description="Rows read from the source.")
    created: int = strawberry.field(description="Products created.")
    updated: int = strawberry.field(description="Products updated.")
    unchanged: int = strawberry.field(description="Products unchanged.")
    withdrawn: int = strawberry.field(description="Products withdrawn (left the registry).")
    rejected: int = strawberry.field(description="Rows rejected (see rejectedRecords).")
    warnings: list[WarningCount] = strawberry.field(description="Rows stored with warnings, by warning code.")

    @classmethod
    def from_row(cls, b: ImportBatch) -> BatchSummary:
        return cls(id=b.id, kind=b.kind, status=b.status, started_at=as_utc(b.started_at),
                   finished_at=as_utc(b.finished_at), rows_read=b.rows_read, created=b.created,
                   updated=b.updated, unchanged=b.unchanged, withdrawn=b.withdrawn, rejected=b.rejected,
                   warnings=warning_counts(b.notes), **notes_fields(b.notes))


@strawberry.enum(description="How current a source is.")
class SourceHealth(enum.Enum):
    CURRENT = strawberry.enum_value("current", description=(
        "Succeeded within the staleness window, and its list speaks for a date within "
        f"{LIST_STALE_AFTER_MONTHS} months (or states none)."))
    STALE = strawberry.enum_value("stale", description=(
        f"Its last success is older than the window, or its list speaks for a date more than {LIST_STALE_AFTER_MONTHS} "
        "months old (a recent harvest of an old list is stale)."))
    NEVER_SUCCEEDED = strawberry.enum_value("never_succeeded", description=(
        "No harvest or push of it ever succeeded: it has no data to be stale (see lastError)."))
    DISABLED = strawberry.enum_value("disabled", description="Disabled by the ministry: not harvested.")


@strawberry.enum(description=(
    "How current a province's (or a former province's) reporting is: the one vocabulary of the API and the "
    "dashboard (\"Chưa có nguồn\", \"Quá hạn\", \"Cập nhật\")."))
class CoverageStatus(enum.Enum):
    NO_SOURCE = strawberry.enum_value("no_source", description=(
        "No enabled source has ever delivered its list here (none registered, all disabled, or none succeeded)."))
    STALE = strawberry.enum_value("stale", description="Its sources delivered, but none of them is current.")
    CURRENT = strawberry.enum_value("current", description="At least one of its enabled sources is current.")


_ORDER = [CoverageStatus.NO_SOURCE, CoverageStatus.STALE, CoverageStatus.CURRENT]


@strawberry.type(description="One source of a province and how current it is (removed sources are left out).")
class SourceCoverage:
    name: str = strawberry.field(description="Source name.")
    kind: str = strawberry.field(description="csv, xlsx, json_api, html, pdf, docx or push.")
    list_kind: str = strawberry.field(description=(
        "products (a registry of certified products) or revocation (a list of revoked certificates)."))
    province_text: str = strawberry.field(description="The province as the office wrote it.")
    last_success_at: Optional[datetime] = strawberry.field(description="Last successful harvest or push (UTC).")
    list_date: Optional[date] = strawberry.field(description=(
        "The date its list speaks for: the latest decision date it lists (an annex's title decision is given to "
        "every row that states none). Freshness is judged by it as well as by `lastSuccessAt`."))
    latest_batch: Optional[BatchSummary] = strawberry.field(description="The latest import (dry runs excluded).")
    record_count: int = strawberry.field(description="Source rows currently present, linked to products.")
    rejected_count: int = strawberry.field(description="Rows rejected in the latest batch.")
    warned_count: int = strawberry.field(description=(
        "Source rows currently present that were stored with warnings (values that could not be read)."))
    conflict_count: int = strawberry.field(description=(
        "Conflicting fields of the products this source lists: another source says otherwise (see `conflicts`)."))
    stale: bool = strawberry.field(description=(
        "Its last success is older than the staleness window. Never for a disabled source, nor for one that "
        "never succeeded (see `health`)."))
    health: SourceHealth = strawberry.field(description="current, stale, never succeeded or disabled.")
    disabled_at: Optional[datetime] = strawberry.field(description="Disabled since (UTC), while disabled.")
    province_code: strawberry.Private[Optional[str]]
    error: strawberry.Private[Optional[str]]
    former: strawberry.Private[set[str]]  # the former provinces it covers, by name

    @strawberry.field(description=(
        "Why its latest batch failed, when it did (for a source that never succeeded: why not). Shown to the "
        "ministry and to the source's province; null for others (it names files and servers)."))
    def last_error(self, info: strawberry.Info[Context, None]) -> Optional[str]:
        return self.error if may_see_personal(info.context.principal, self.province_code) else None


@strawberry.type(description=(
    "Reporting coverage of one province of before 1 July 2025 inside the current province it was merged into."))
class FormerProvinceCoverage:
    code: str = strawberry.field(description="Its pre-2025 two-digit code.")
    name: str = strawberry.field(description="Its name.")
    status: CoverageStatus = strawberry.field(description="Its own status, from the sources covering it.")
    sources: list[str] = strawberry.field(description=(
        "The sources covering it: those listing products that lie in it, or naming it as their province."))


@strawberry.type(description="Reporting coverage of one current province.")
class ProvinceCoverage:
    province: Province = strawberry.field(description="The province.")
    status: CoverageStatus = strawberry.field(description=(
        "No source, stale or current: for a province merged from several, its least current former province "
        "(it is reported only when every part of it is)."))
    former_provinces: list[FormerProvinceCoverage] = strawberry.field(description=(
        "The provinces of before 1 July 2025 it was merged from, each with its own status (one for a province "
        "that was not merged)."))
    sources: list[SourceCoverage] = strawberry.field(description="Its sources, by name.")
    product_count: int = strawberry.field(description=(
        "Products counted here (active or expired), on `asOf` as known at `knownAt` when given."))
    rejected_count: int = strawberry.field(description="Rows rejected in the latest batch of each source.")
    warned_count: int = strawberry.field(description="Rows of its sources currently present that carry warnings.")
    conflict_count: int = strawberry.field(description="Conflicting fields of its products (see `conflicts`).")
    last_success_at: Optional[datetime] = strawberry.field(description="Latest success over its sources (UTC).")
    stale: bool = strawberry.field(deprecation_reason=(
        "Use `status`: `stale` is also true for a province with no source (NO_SOURCE). Removed in the next release."),
        description="True when its `status` is not CURRENT.")


def latest_batch_ids(session: Session, known_at: datetime | None = None) -> dict[int, int]:
    """source id → id of its latest non-dry-run batch (finished by ``known_at``, when given)."""
    stmt = (select(ImportBatch.source_id, func.max(ImportBatch.id))
            .where(ImportBatch.status != BatchStatus.DRY_RUN.value, *_finished_by(known_at))
            .group_by(ImportBatch.source_id))
    return dict(session.execute(stmt).all())


def _finished_by(known_at: datetime | None) -> list[ColumnElement[bool]]:
    return [] if known_at is None else [ImportBatch.finished_at <= known_at]


def _product_counts(session: Session, as_of: date | None, known_at: datetime | None) -> dict[str, int]:
    """Products counted per province (ACTIVE or EXPIRED): now, or on ``as_of`` as known at ``known_at``
    (as known now, from the counts kept at any date, as ``stats(asOf)`` reads them)."""
    if as_of is None and known_at is None:
        return dict(session.execute(select(Product.province_code, func.count(Product.id))
                                    .where(*product_conditions(None)).group_by(Product.province_code)).all())
    on, known_at = as_of_moment(as_of, known_at, current_date())
    if known_at is None:
        counts: dict[str, int] = defaultdict(int)
        for code, _, _, _, _, n in counts_on(session, on, wanted_statuses(None)):
            counts[code] += n
        return counts
    held = certificates_on(on, known_at)
    return dict(session.execute(select(held.c.province_code, func.count(held.c.product_id))
                                .where(held.c.status.in_(wanted_statuses(None))).group_by(held.c.province_code)).all())


def compute_coverage(session: Session, stale_after_days: int, now: datetime | None = None,
                     as_of: date | None = None, known_at: datetime | None = None) -> list[ProvinceCoverage]:
    """Coverage now, or as the hub knew it at ``known_at`` (its sources, batches and successes by
    then, staleness judged then) with products counted on ``as_of``. Record, warning and conflict
    counts are always today's: the hub keeps no history of them."""
    known_at = as_of_moment(None, known_at, current_date())[1]
    now = known_at or now or datetime.now(timezone.utc)
    cutoff = now - timedelta(days=stale_after_days)
    list_cutoff = add_months(known_at.date() if known_at is not None else current_date(), -LIST_STALE_AFTER_MONTHS)
    resolver = resolver_for(session.get_bind())
    provinces = session.scalars(select(ProvinceRow).order_by(ProvinceRow.code)).all()
    live = [Source.removed_at.is_(None)] if known_at is None else [
        Source.created_at <= known_at, or_(Source.removed_at.is_(None), Source.removed_at > known_at)]
    sources = session.scalars(select(Source).where(*live).order_by(Source.name)).all()
    latest = latest_batch_ids(session, known_at)
    batches = {b.id: b for b in session.scalars(select(ImportBatch).where(ImportBatch.id.in_(latest.values())))}
    succeeded = dict(session.execute(
        select(ImportBatch.source_id, func.max(ImportBatch.finished_at))
        .where(ImportBatch.status == BatchStatus.SUCCEEDED.value, ImportBatch.kind.in_(SNAPSHOT_KINDS),
               *_finished_by(known_at))
        .group_by(ImportBatch.source_id)).all())
    rejected = dict(session.execute(
        select(RejectedRecord.batch_id, func.count(RejectedRecord.id))
        .where(RejectedRecord.batch_id.in_(latest.values())).group_by(RejectedRecord.batch_id)).all())
    records = dict(session.execute(
        select(SourceRecord.source_id, func.count(SourceRecord.id))
        .where(SourceRecord.present.is_(True)).group_by(SourceRecord.source_id)).all())
    warned = dict(session.execute(
        select(SourceRecord.source_id, func.count(SourceRecord.id))
        .where(SourceRecord.present.is_(True), SourceRecord.warnings.is_not(None))
        .group_by(SourceRecord.source_id)).all())
    conflicts_by_source = dict(session.execute(
        select(SourceRecord.source_id, func.count(ProductConflict.id))
        .join(ProductConflict, ProductConflict.product_id == SourceRecord.product_id)
        .where(SourceRecord.present.is_(True)).group_by(SourceRecord.source_id)).all())
    conflicts_by_province = dict(session.execute(
        select(ProductConflict.province_code, func.count(ProductConflict.id))
        .group_by(ProductConflict.province_code)).all())
    products = _product_counts(session, as_of, known_at)

    filled = _provinces_filled(session, [s.id for s in sources if s.province_code is None])
    former = _former_covered(session, sources, resolver)
    by_province: dict[str, list[SourceCoverage]] = defaultdict(list)
    for s in sources:
        kept = s.last_success_at if known_at is None else None  # the source's own mark is today's
        successes = [as_utc(t) for t in (kept, succeeded.get(s.id)) if t is not None]
        last = max(successes) if successes else None
        batch = batches.get(latest.get(s.id, -1))
        health = _health(s, last, cutoff, list_cutoff)
        coverage = SourceCoverage(
            name=s.name, kind=s.kind, list_kind=s.list_kind, province_text=s.province_text, last_success_at=last,
            list_date=s.list_date, former=former.get(s.id, set()),
            latest_batch=BatchSummary.from_row(batch) if batch else None,
            record_count=records.get(s.id, 0), rejected_count=rejected.get(batch.id, 0) if batch else 0,
            warned_count=warned.get(s.id, 0), conflict_count=conflicts_by_source.get(s.id, 0),
            stale=health is SourceHealth.STALE, health=health, disabled_at=as_utc(s.disabled_at),
            province_code=s.province_code,
            error=batch.error if batch is not None and batch.status == BatchStatus.FAILED.value else None,
        )
        for code in ([s.province_code] if s.province_code is not None else filled.get(s.id, [])):
            by_province[code].append(coverage)
    result = []
    for p in provinces:
        own = by_province.get(p.code, [])
        times = [s.last_success_at for s in own if s.last_success_at is not None]
        last = max(times) if times else None
        parts = [FormerProvinceCoverage(code=code, name=name, status=_status(covering),
                                        sources=[s.name for s in covering])
                 for code, name in resolver.former_provinces(p.code)
                 for covering in [[s for s in own if name in s.former]]]
        status = min((part.status for part in parts), key=_ORDER.index) if parts else _status(own)
        result.append(ProvinceCoverage(
            province=Province.from_row(p), status=status, former_provinces=parts, sources=own,
            product_count=products.get(p.code, 0),
            rejected_count=sum(s.rejected_count for s in own), warned_count=sum(s.warned_count for s in own),
            conflict_count=conflicts_by_province.get(p.code, 0), last_success_at=last,
            stale=status is not CoverageStatus.CURRENT,
        ))
    return result


def _status(sources: list[SourceCoverage]) -> CoverageStatus:
    """Current when one enabled source is; stale when some delivered but none is; else no source."""
    healths = {s.health for s in sources}
    if SourceHealth.CURRENT in healths:
        return CoverageStatus.CURRENT
    return CoverageStatus.STALE if SourceHealth.STALE in healths else CoverageStatus.NO_SOURCE


def _former_covered(session: Session, sources: list[Source], resolver: UnitResolver) -> dict[int, set[str]]:
    """source id → the former provinces (by name) it covers: where the products it lists now lie,
    and the one its province as written names (a source that lists nothing yet still covers it)."""
    covered: dict[int, set[str]] = defaultdict(set)
    for source_id, name in session.execute(
        select(SourceRecord.source_id, Product.legacy_province).distinct()
        .join(Product, Product.id == SourceRecord.product_id)
        .where(SourceRecord.present.is_(True), Product.legacy_province.is_not(None))
    ):
        covered[source_id].add(name)
    for s in sources:
        named = legacy_province_name(resolver, s.province_text) if s.province_text else None
        if named is not None:
            covered[s.id].add(named)
    return covered


def _provinces_filled(session: Session, source_ids: list[int]) -> dict[int, list[str]]:
    """The provinces a list of many provinces fills: those of the products its rows list now."""
    if not source_ids:
        return {}
    found: dict[int, list[str]] = defaultdict(list)
    for source_id, code in session.execute(
        select(SourceRecord.source_id, Product.province_code).distinct()
        .join(Product, Product.id == SourceRecord.product_id)
        .where(SourceRecord.source_id.in_(source_ids), SourceRecord.present.is_(True))
        .order_by(SourceRecord.source_id, Product.province_code)
    ):
        found[source_id].append(code)
    return found


def _health(source: Source, last_success: datetime | None, cutoff: datetime, list_cutoff: date) -> SourceHealth:
    if source.disabled_at is not None:
        return SourceHealth.DISABLED
    if last_success is None:
        return SourceHealth.NEVER_SUCCEEDED
    old_list = source.list_date is not None and source.list_date < list_cutoff
    return SourceHealth.STALE if last_success < cutoff or old_list else SourceHealth.CURRENT
