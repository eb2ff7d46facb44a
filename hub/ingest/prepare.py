"""Raw rows → what the store must do with each: the CPU half of an ingest, without the store.

``prepare`` decides row by row, in file order: a row sent before exactly so is only ``Seen``;
the rest are normalized into ``Accepted`` records or ``Refused`` with every problem. The writing
half (``hub.ingest.run``, ``hub.ingest.apply``) takes its items in chunks.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from hub.ingest.apply import Accepted
from hub.ingest.canonical import CanonicalRecord, canonicalize, raw_hash
from hub.normalize.problem import Problem
from hub.records import RawRow
from hub.units import UnitResolver


@dataclass(frozen=True)
class Seen:
    """A row identical to one this source sent before and that is still stored, with the
    warnings it was stored with."""

    row_number: int
    record_id: int
    warnings: tuple[dict[str, str | None], ...] = ()


@dataclass(frozen=True)
class Refused:
    """A row that cannot be taken, with every reason."""

    row_number: int
    raw: dict[str, str]
    errors: tuple[dict[str, str | None], ...]


Prepared = Seen | Accepted | Refused


def _raw(row: RawRow) -> dict[str, str]:
    return dict(row.raw) if row.raw else dict(row.values)


def prepare(rows: Iterable[RawRow], resolver: UnitResolver, province: str, province_code: str, today: date,
            known: dict[str, tuple[int, str, list | None]]) -> Iterator[Prepared]:
    """One item per row read, in order. ``known`` maps raw hashes to (source record id, record
    key, its warnings) for rows stored before, and is consumed (a hit is popped: a second identical row is
    normalized, then refused as a duplicate); a push passes none, as loading them would cost more
    than it saves. A second row naming a product already named in this snapshot is refused."""
    first_row: dict[str, int] = {}
    for row in rows:
        row_hash = None if row.problems else raw_hash(row, province)
        hit = known.pop(row_hash, None) if row_hash is not None else None
        if hit is not None and hit[1] not in first_row:
            first_row[hit[1]] = row.row_number
            yield Seen(row.row_number, hit[0], tuple(hit[2] or ()))
            continue
        result = canonicalize(row, resolver, province, province_code, today)
        if isinstance(result, CanonicalRecord) and result.product_key in first_row:
            result = [Problem(
                "DUPLICATE_RECORD", "product_name",
                f"same product as row {first_row[result.product_key]} of this batch",
                result.product_name)]
        if isinstance(result, list):
            yield Refused(row.row_number, _raw(row), tuple(p.as_dict() for p in result))
            continue
        first_row[result.product_key] = row.row_number
        yield Accepted(result, _raw(row), row_hash)
