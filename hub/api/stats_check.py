"""Do the counts kept at ingest agree with the products? ``ocop-hub db check`` and the tests ask.

Every combination of up to two `stats` dimensions, under filters that each cube and the status
derivation must honour, is answered twice: from the counts (hub/api/stats_aggregates.py) and by
the GROUP BY over the products. Any difference is a mismatch, named.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from hub.api.enums import ProducerType, ProductGroup, ProductStatus, StatsDimension
from hub.api.filters import ProductFilter
from hub.api.stats import stats_rows
from hub.models import StatsDirty
from hub.certificates import current_date

FILTERS: tuple[ProductFilter | None, ...] = (
    None,
    ProductFilter(stars=[4, 5]),
    ProductFilter(status=[ProductStatus.EXPIRED]),
    ProductFilter(status=[ProductStatus.ACTIVE, ProductStatus.WITHDRAWN]),
    ProductFilter(status=list(ProductStatus)),
    ProductFilter(group=[ProductGroup.FOOD], year_from=2020),
    ProductFilter(producer_type=[ProducerType.COOPERATIVE], status=[ProductStatus.ACTIVE]),
)


@dataclass
class CheckResult:
    """How many (dimensions, filter) pairs were compared, and each that disagreed."""

    compared: int = 0
    mismatches: list[str] = field(default_factory=list)


def check_counts(engine: Engine, max_dims: int = 2) -> CheckResult:
    """Compare counts and products for every combination of up to ``max_dims`` dimensions under
    each of FILTERS, as of today (hub.certificates.current_date)."""
    result = CheckResult()
    with Session(engine) as session:
        left = list(session.scalars(select(StatsDirty.province_code)))
        if left:  # stats would answer from the products meanwhile: correct, but not kept
            result.mismatches.append(f"provinces changed but not recounted: {', '.join(sorted(left))}")
        for size in range(max_dims + 1):
            for dims in itertools.combinations(list(StatsDimension), size):
                for f in FILTERS:
                    counted = stats_rows(session, list(dims), f)
                    grouped = stats_rows(session, list(dims), f, use_counts=False)
                    result.compared += 1
                    if sorted(map(repr, counted)) != sorted(map(repr, grouped)):
                        result.mismatches.append(
                            f"groupBy {[d.name for d in dims]} filter {_describe(f)} on {current_date()}: "
                            f"counts {_total(counted)} in {len(counted)} buckets, products {_total(grouped)} "
                            f"in {len(grouped)} buckets")
    return result


def _total(rows: list[tuple[object, ...]]) -> int:
    return sum(int(r[-1]) for r in rows)


def _describe(f: ProductFilter | None) -> str:
    if f is None:
        return "none"
    return ", ".join(f"{k}={v}" for k, v in vars(f).items() if v is not None)
