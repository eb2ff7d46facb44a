"""Raw rows → what the store must do with each: the CPU half of an ingest, without the store.

``prepare`` decides row by row, in file order: a row sent before exactly so is only ``Seen``;
the rest are normalized into ``Accepted`` records or ``Refused`` with every problem. The writing
half (``hub.ingest.run``, ``hub.ingest.apply``) takes its items in chunks.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from datetime import date

from hub.ingest.apply import Accepted
from hub.ingest.canonical import CanonicalRecord, Places, canonicalize, raw_hash
from hub.ingest.revocation import Revocation
from hub.normalize.problem import Problem
from hub.records import LOCATION_KEY, TITLE_PROVINCE_KEY, RawRow
from hub.units.resolver import UnitResolver


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


class Refusal(Exception):
    """The whole batch is refused, for a reason its caller may read (``code``, stable, and the
    message): nothing of it is stored, and the summary carries the code (``error_code``)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class ListOfAnotherProvince(Refusal):
    """The whole list is another province's: its title names another province, or more of its
    rows place themselves in other provinces than in the source's. Nothing of it is stored.
    ``code``: WRONG_PROVINCE (a harvest) or NOT_YOUR_PROVINCE (a push)."""


def _raw(row: RawRow) -> dict[str, str]:
    return dict(row.raw) if row.raw else dict(row.values)


Reader = Callable[[RawRow, UnitResolver, str, str | None, date, str], CanonicalRecord | Revocation | list[Problem]]


def prepare(rows: Iterable[RawRow], resolver: UnitResolver, province: str, province_code: str | None, today: date,
            known: dict[str, tuple[int, str, list | None]], other_province: str = "WRONG_PROVINCE",
            read: Reader | None = None) -> Iterator[Prepared]:
    """One item per row read, in order. ``known`` maps raw hashes to (source record id, record
    key, its warnings) for rows stored before, and is consumed (a hit is popped: a second identical row is
    normalized, then refused as a duplicate); a push passes none, as loading them would cost more
    than it saves. A second row naming a product already named in this snapshot is refused.

    A list whose title names another province, or more of whose rows belong to other provinces
    than to this one, raises ``ListOfAnotherProvince`` (``other_province`` is its code). A source of
    many provinces (``province_code`` None) places each row by its own province, else its title's.
    ``read`` reads one row: a registry's product (canonicalize, by default) or a revocation list's row."""
    read = read or partial(canonicalize, places=Places())  # a batch's units, each read once
    first_row: dict[str, RawRow] = {}
    titles_checked: set[str] = set()
    placed = elsewhere = 0
    for row in rows:
        titles = row.raw.get(TITLE_PROVINCE_KEY)
        if titles and titles not in titles_checked and province_code is not None:
            titles_checked.add(titles)
            _check_title(titles, resolver, province, province_code, other_province)
        row_hash = None if row.problems else raw_hash(row, province)
        hit = known.pop(row_hash, None) if row_hash is not None else None
        if hit is not None and hit[1] not in first_row:
            first_row[hit[1]] = row
            placed += 1
            yield Seen(row.row_number, hit[0], tuple(hit[2] or ()))
            continue
        result = read(row, resolver, province, province_code, today, other_province)
        if not isinstance(result, list) and result.product_key in first_row:
            result = [Problem(
                "DUPLICATE_RECORD", "product_name",
                f"same product as {_where(first_row[result.product_key])} of this batch",
                result.product_name)]
        if isinstance(result, list):
            elsewhere += any(p.code == other_province for p in result)
            yield Refused(row.row_number, _raw(row), tuple(p.as_dict() for p in result))
            continue
        placed += 1
        first_row[result.product_key] = row
        yield Accepted(result, _raw(row), row_hash)
    # With none placed, nothing is stored anyway: each row says why.
    if province_code is not None and placed and elsewhere > placed:
        raise ListOfAnotherProvince(other_province, (
            f"{elsewhere} rows of the list belong to other provinces and only {placed} to "
            f"{resolver.province_name(province_code)} ({province_code}): it is not this province's list, "
            "and nothing of it is stored (see the rows' reasons in a dry run or `ocop-hub inspect`)"))


def _where(row: RawRow) -> str:
    """"row 12", or "row 12 (sheet '4 sao')" where row numbers repeat across sheets."""
    location = row.raw.get(LOCATION_KEY) if row.raw else None
    return f"row {row.row_number}" + (f" ({location})" if location else "")


def _check_title(titles: str, resolver: UnitResolver, province: str, province_code: str, code: str) -> None:
    """Refuse a list whose title names only provinces other than the source's (an old province
    inside the source's new one is the same province)."""
    named = {resolver.resolve_province_code(t) for t in titles.split("; ")} - {None}
    if named and province_code not in named:
        names = ", ".join(f"{resolver.province_name(c)} ({c})" for c in sorted(named))  # type: ignore[arg-type]
        raise ListOfAnotherProvince(code, (
            f"the list's title names {titles!r}, that is {names}, not {province} ({province_code}): "
            "a province's source or key speaks only for that province, and nothing of this list is stored"))
