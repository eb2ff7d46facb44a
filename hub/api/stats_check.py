"""Do the counts kept at ingest agree with the products? ``ocop-hub db check`` and the tests ask.

Every combination of up to two `stats` dimensions, under filters that each cube and the status
derivation must honour, is answered twice: from the counts (hub/api/stats_aggregates.py) and by
the GROUP BY over the products. Any difference is a mismatch, named.
"""
from __future__ import annotations

import itertools
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from hub.api.enums import DIMENSIONS, ProducerType, ProductGroup, ProductStatus, StatsDimension
from hub.api.filters import ProductFilter
from hub.api.stats import as_of_statement, kept_as_of_rows, stats_rows
from hub.store.as_of import as_of_moment, held_on, status_of
from hub.ingest.run import resolver_for
from hub.store.models import Certificate, StatsDirty
from hub.store.models import Province as ProvinceRow
from hub.store.certificates import current_date

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
    each of FILTERS, as of today (hub.store.certificates.current_date)."""
    result = CheckResult()
    with Session(engine) as session:
        left = list(session.scalars(select(StatsDirty.province_code)))
        if left:  # stats would answer from the products meanwhile: correct, but not kept
            result.mismatches.append(f"provinces changed but not recounted: {', '.join(sorted(left))}")
        for size in range(max_dims + 1):
            for dims in itertools.combinations(DIMENSIONS, size):
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


AS_OF_DIMS = [StatsDimension.PROVINCE, StatsDimension.STARS, StatsDimension.STATUS]


def check_as_of(engine: Engine, dates: int = 100, moments: int = 10, seed: int = 2026) -> CheckResult:
    """Compare ``stats(asOf, knownAt)`` (one GROUP BY over the certificates held that day) with a
    count in Python over every certificate row (hub.store.as_of.held_on), by province, stars and
    status, at ``dates`` random days across the certificates' span, each as known now, and at
    ``moments`` random moments of the store's history."""
    result = CheckResult()
    every_status = ProductFilter(status=list(ProductStatus))
    with Session(engine) as session:
        rows = session.execute(select(Certificate.__table__)).all()
        if not rows:
            return result
        resolver = resolver_for(engine)
        provinces = {code: (code, name, full) for code, name, full in session.execute(
            select(ProvinceRow.code, ProvinceRow.name, ProvinceRow.full_name))}
        first = min(r.valid_from for r in rows)
        last = max(max((r.valid_to for r in rows if r.valid_to), default=first), current_date())
        times = sorted(r.recorded_at for r in rows)
        draw = random.Random(seed)
        asked = [(first + timedelta(days=draw.randint(0, (last - first).days + 366)), None) for _ in range(dates)]
        asked += [(None, times[draw.randrange(len(times))] + timedelta(microseconds=draw.choice((-1, 0, 1))))
                  for _ in range(moments)]
        for on, known_at in asked:
            day, moment = as_of_moment(on, known_at, current_date())
            stmt = as_of_statement(AS_OF_DIMS, every_status, None, resolver, day, moment)
            counted = Counter({tuple(r[:-1]): int(r[-1]) for r in session.execute(stmt)})
            brute = Counter((*provinces[row.province_code], row.stars, status_of(row, day))
                            for row in held_on(rows, day, moment).values())
            result.compared += 1
            if counted != brute:
                result.mismatches.append(
                    f"as of {day}" + (f" known at {moment.isoformat()}" if moment else "")
                    + f": GROUP BY {sum(counted.values())} in {len(counted)} buckets, certificates counted one by one "
                    f"{sum(brute.values())} in {len(brute)} buckets")
            if moment is None:  # the counts kept at any date answer "as known now"
                kept = Counter({tuple(r[:-1]): int(r[-1])
                                for r in kept_as_of_rows(session, AS_OF_DIMS, every_status, resolver, day)})
                result.compared += 1
                if kept != brute:
                    result.mismatches.append(
                        f"as of {day}: counts kept at any date {sum(kept.values())} in {len(kept)} buckets, "
                        f"certificates counted one by one {sum(brute.values())} in {len(brute)} buckets "
                        "(`ocop-hub db check --repair` rebuilds them)")
    return result


def _total(rows: list[tuple[object, ...]]) -> int:
    return sum(int(r[-1]) for r in rows)


def _describe(f: ProductFilter | None) -> str:
    if f is None:
        return "none"
    return ", ".join(f"{k}={v}" for k, v in vars(f).items() if v is not None)
