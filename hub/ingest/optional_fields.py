"""The optional fields of a row: a value when it can be read, else empty with a warning.

Only what defines a product (its name, a star rating, a province) can reject a row. Everything
else a registry may lack or write unreadably; the row is stored without that value and the
warning (a ``Problem`` with a stable code, docs/error-codes.md "Warnings") says what was not
read, with the text as written. Nothing is guessed beyond the documented rules: a group is
inferred from the product's name only by the keyword table, and marked GROUP_INFERRED.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache

from hub.vocabulary import ProducerType
from hub.normalize.dates import DateValue, parse_date
from hub.normalize.decision import split_decision
from hub.normalize.fold import TEXT_CACHE_SIZE
from hub.normalize.groups import GroupMatch, infer_group, map_group
from hub.normalize.problem import Problem
from hub.normalize.producer_type import read_producer_type
from hub.normalize.text import clean_text
from hub.units.names import COMMUNE_TYPES, DISTRICT_TYPES, split_prefix
from hub.units.resolver import ResolvedUnit, UnitResolver

UNIT_FIELDS = ("province", "district", "commune", "address")
"""The cells a row's unit is read from (``read_unit``)."""
# A registry repeats a few dozen group texts and a few decisions per province: each distinct one
# is read once (the readings are frozen, so a cached one is the same value).
_map_group = lru_cache(maxsize=TEXT_CACHE_SIZE)(map_group)


def optional_text(values: dict[str, str], field: str) -> str | None:
    cleaned = clean_text(values.get(field))
    return cleaned or None


@dataclass(frozen=True)
class GroupReading:
    code: str | None
    text: str | None  # as written; None when the registry wrote none


def read_group(group_text: str | None, product_name: str, warnings: list[Problem]) -> GroupReading:
    """The Decision 148 group from the group column; else inferred from the product's name."""
    written = clean_text(group_text) or None
    if written:
        mapped = _map_group(written)
        if isinstance(mapped, GroupMatch):
            return GroupReading(mapped.code, mapped.text)
    inferred = infer_group(product_name)
    why = f"group {written!r} is not in the taxonomy" if written else "no product group given"
    if inferred is not None:
        warnings.append(Problem("GROUP_INFERRED", "group",
                                f"{why}; {inferred.name!r} inferred from the product name", written))
        return GroupReading(inferred.code, written)
    warnings.append(Problem("GROUP_UNKNOWN", "group",
                            f"{why}, and the product name does not tell; left empty", written))
    return GroupReading(None, written)


def read_producer_type_field(type_text: str | None, producer_name: str | None,
                             warnings: list[Problem]) -> str | None:
    reading = read_producer_type(type_text, producer_name)
    if reading.warning is not None:
        warnings.append(reading.warning)
    return reading.type.value if isinstance(reading.type, ProducerType) else None


@dataclass(frozen=True)
class DecisionReading:
    number: str | None
    date: date | None
    year: int | None
    issuing_body: str | None
    date_in_future: bool = False  # a date refused as later than today: reading again may take it


def read_decision(values: dict[str, str], today: date, warnings: list[Problem]) -> DecisionReading:
    """Decision number, date, year and issuing body; a number cell that also holds the date
    ("858/QĐ-UBND ngày 19/6/2025") gives both. A month/year gives only the year (PARTIAL_DATE)."""
    reading, problems = _read_decision(values.get("decision_number"), values.get("issuing_body"),
                                       values.get("decision_date"), values.get("year"), today)
    warnings.extend(problems)
    return reading


@lru_cache(maxsize=TEXT_CACHE_SIZE)
def _read_decision(number_cell: str | None, body_cell: str | None, date_cell: str | None, year_cell: str | None,
                   today: date) -> tuple[DecisionReading, tuple[Problem, ...]]:
    """``read_decision`` of these cells, with its warnings, once per distinct decision."""
    warnings: list[Problem] = []
    number_text = clean_text(number_cell) or None
    body = clean_text(body_cell) or None
    dates: list[tuple[str, str]] = []
    if clean_text(date_cell):
        dates.append(("decision_date", date_cell))  # type: ignore[arg-type]
    if number_text:
        parts = split_decision(number_text)
        number_text = parts.number
        if parts.date_text and not dates:
            dates.append(("decision_number", parts.date_text))
        body = body or parts.issuing_body
    if clean_text(year_cell):
        dates.append(("year", year_cell))  # type: ignore[arg-type]

    best: DateValue | None = None
    future = False
    for field, text in dates:
        parsed = parse_date(text, today)
        if isinstance(parsed, Problem):
            future = future or parsed.code == "FUTURE_DATE"
            left = "year" if field == "year" else "decision date"
            warnings.append(replace(parsed, field=field, message=f"{parsed.message}; the {left} is left empty"))
            continue
        if parsed.date is None and field != "year":
            warnings.append(Problem("PARTIAL_DATE", field,
                                    f"only the month and year are written: {text!r}; the year is kept", text))
        if best is None or (best.date is None and parsed.date is not None):
            best = parsed
    return DecisionReading(number=number_text, date=best.date if best else None,
                           year=best.year if best else None, issuing_body=body, date_in_future=future), tuple(warnings)


def read_unit(values: dict[str, str], resolver: UnitResolver, source_province: str,
              warnings: list[Problem]) -> ResolvedUnit | Problem:
    """The unit as written; when its commune, district or even its province cannot be placed,
    the source's province with the commune left empty (UNRESOLVED_UNIT) and the text kept. A
    district or commune that is not in the source's province but only in others is a row of
    another province: WRONG_PROVINCE, never stored under the source's."""
    written = {f: optional_text(values, f) for f in UNIT_FIELDS}
    address = written["address"]
    if address and written["district"] and not written["commune"]:
        # A district (often from a section row) and an address that names the commune below it:
        # read them as one address, or the commune in it would be ignored.
        unit = resolver.resolve(written["province"], None, None, f"{address}, {written['district']}",
                                default_province=source_province)
        if not isinstance(unit, Problem):
            return unit
    unit = resolver.resolve(written["province"], written["district"], written["commune"], address,
                            default_province=source_province)
    if not isinstance(unit, Problem):
        return unit
    elsewhere = _unit_elsewhere(written, resolver, source_province)
    if elsewhere is not None:
        return elsewhere
    if unit.field == "province" and written["province"]:
        # The row's own province cannot be read: the source's province stands for it.
        fallback = resolver.resolve(None, written["district"], written["commune"], written["address"],
                                    default_province=source_province, strict=False)
    else:
        fallback = resolver.resolve(written["province"], written["district"], written["commune"],
                                    written["address"], default_province=source_province, strict=False)
    if isinstance(fallback, Problem):
        fallback = resolver.resolve(None, default_province=source_province)
    if isinstance(fallback, Problem):
        return fallback  # the source's own province is unknown: not a row's fault, but nothing to place
    text = ", ".join(t for t in (written["commune"], written["district"], written["address"], written["province"]) if t)
    warnings.append(Problem("UNRESOLVED_UNIT", unit.field,
                            f"{unit.message}; stored under {resolver.province_name(fallback.province_code)} "
                            "without a commune", unit.value))
    return replace(fallback, text=text or fallback.text)


def _unit_elsewhere(written: dict[str, str | None], resolver: UnitResolver, source_province: str) -> Problem | None:
    """WRONG_PROVINCE when a district or commune the row names (in its own cell, or typed as one
    in its address: "huyện An Biên") exists only in other provinces than the source's."""
    source_code = resolver.resolve_province_code(source_province)
    if source_code is None or written["province"]:
        return None  # a row's own province is judged by its name (canonicalize)
    named: list[tuple[str, str, str]] = []  # (level, name as written, field)
    if written["district"]:
        named.append(("district", written["district"], "district"))
    if written["commune"]:
        named.append(("commune", written["commune"], "commune"))
    if written["address"] and not written["district"] and not written["commune"]:
        for part in re.split(r"[,;\n]|\s+-\s+", written["address"]):
            typ, _ = split_prefix(part.strip())
            if typ in DISTRICT_TYPES:
                named.append(("district", part.strip(), "address"))
            elif typ in COMMUNE_TYPES:
                named.append(("commune", part.strip(), "address"))
    named.sort(key=lambda unit: unit[0] != "district")  # the district first: a commune is read below it
    for level, name, field in named:
        codes = resolver.provinces_naming(name, level)
        if source_code in codes:
            return None  # the unit is the source's: a typo below it, not another province
        if codes:
            where = ", ".join(f"{resolver.province_name(c)} ({c})" for c in sorted(codes)[:3])
            more = f" and {len(codes) - 3} more" if len(codes) > 3 else ""
            return Problem("WRONG_PROVINCE", field,
                           f"{level} '{name}' is in {where}{more}, not in this source's province "
                           f"{resolver.province_name(source_code)} ({source_code})", name)
    return None
