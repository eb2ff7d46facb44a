"""Asset checks on ``store_products``, evaluated per source right after its snapshot is applied.

They are declared as ``check_specs`` of the partitioned asset (not as separate partitioned
``@asset_check``s, a preview feature in Dagster 1.13), so each result belongs to one source's run.

Thresholds (WARN, the data is stored anyway; a person should look):
* more than ``REJECTED_RATIO_MAX`` (20%) of a registry's rows rejected: the office changed its
  layout, or a column mapping is missing;
* fewer than ``ROW_DROP_MAX`` (half) the rows of the source's previous successful harvest: a
  truncated download or a filtered export, which would withdraw many products.
ERROR (the store would be wrong): stars outside 1–5, products without a current province or a
national (Decision 148) product group.
"""
from __future__ import annotations

from typing import Iterator

from dagster import AssetCheckResult, AssetCheckSeverity, AssetCheckSpec
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from hub.ingest import ImportSummary
from hub.store.models import ImportBatch, Product, Province, Source, SourceRecord
from hub.vocabulary import BatchStatus
from hub.normalize.groups import GROUP_CODES

REJECTED_RATIO_MAX = 0.20
ROW_DROP_MAX = 0.50

ASSET = "store_products"
CHECK_SPECS = [
    AssetCheckSpec("rejected_ratio", asset=ASSET,
                   description=f"At most {REJECTED_RATIO_MAX:.0%} of the registry's rows rejected (WARN above)."),
    AssetCheckSpec("row_count_vs_previous", asset=ASSET,
                   description=f"Rows read dropped by at most {ROW_DROP_MAX:.0%} against the source's "
                               "previous successful harvest (WARN above)."),
    AssetCheckSpec("stars_in_range", asset=ASSET, description="Every product of the source has 1–5 stars."),
    AssetCheckSpec("mapped_to_current_units", asset=ASSET,
                   description="Every product of the source has a current province and a national product group."),
]


def rejected_ratio(summary: ImportSummary) -> float:
    return summary.rejected / summary.rows_read if summary.rows_read else 0.0


def evaluate(engine: Engine, summary: ImportSummary) -> Iterator[AssetCheckResult]:
    """All checks of one applied snapshot (``summary`` of the real ingest)."""
    with Session(engine) as session:
        yield _rejected_ratio(summary)
        yield _row_count_vs_previous(session, summary)
        yield _stars_in_range(session, summary.source)
        yield _mapped_to_current_units(session, summary.source)


def _rejected_ratio(summary: ImportSummary) -> AssetCheckResult:
    ratio = rejected_ratio(summary)
    return AssetCheckResult(
        check_name="rejected_ratio", passed=ratio <= REJECTED_RATIO_MAX, severity=AssetCheckSeverity.WARN,
        metadata={"rejected": summary.rejected, "rows_read": summary.rows_read,
                  "ratio": round(ratio, 4), "threshold": REJECTED_RATIO_MAX},
    )


def _row_count_vs_previous(session: Session, summary: ImportSummary) -> AssetCheckResult:
    previous = session.execute(
        select(ImportBatch.id, ImportBatch.rows_read)
        .join(Source, Source.id == ImportBatch.source_id)
        .where(Source.name == summary.source, ImportBatch.kind == "harvest",
               ImportBatch.status == BatchStatus.SUCCEEDED.value, ImportBatch.id != summary.batch_id)
        .order_by(ImportBatch.id.desc()).limit(1)
    ).first()
    if previous is None:
        return AssetCheckResult(check_name="row_count_vs_previous", passed=True,
                                metadata={"rows_read": summary.rows_read, "previous": "none (first harvest)"})
    drop = 1 - summary.rows_read / previous.rows_read if previous.rows_read else 0.0
    return AssetCheckResult(
        check_name="row_count_vs_previous", passed=drop <= ROW_DROP_MAX, severity=AssetCheckSeverity.WARN,
        metadata={"rows_read": summary.rows_read, "previous_rows_read": previous.rows_read,
                  "previous_batch_id": previous.id, "drop": round(drop, 4), "threshold": ROW_DROP_MAX},
    )


def _source_products(source_name: str):  # type: ignore[no-untyped-def]
    """The products the source currently lists (its present source records)."""
    return (select(Product.id).join(SourceRecord, SourceRecord.product_id == Product.id)
            .join(Source, Source.id == SourceRecord.source_id)
            .where(Source.name == source_name, SourceRecord.present.is_(True)))


def _stars_in_range(session: Session, source_name: str) -> AssetCheckResult:
    bad = session.execute(
        select(func.count()).select_from(Product)
        .where(Product.id.in_(_source_products(source_name)), ~Product.stars.between(1, 5))
    ).scalar_one()
    return AssetCheckResult(check_name="stars_in_range", passed=bad == 0, metadata={"out_of_range": bad})


def _mapped_to_current_units(session: Session, source_name: str) -> AssetCheckResult:
    no_province = session.execute(
        select(func.count()).select_from(Product).outerjoin(Province, Province.code == Product.province_code)
        .where(Product.id.in_(_source_products(source_name)), Province.code.is_(None))
    ).scalar_one()
    no_group = session.execute(
        select(func.count()).select_from(Product)
        .where(Product.id.in_(_source_products(source_name)), Product.group_code.not_in(GROUP_CODES))
    ).scalar_one()
    return AssetCheckResult(
        check_name="mapped_to_current_units", passed=no_province == 0 and no_group == 0,
        metadata={"without_current_province": no_province, "without_national_group": no_group},
    )
