"""Raw row → canonical record: every normalizer applied, every problem collected (never raised)."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, fields, replace
from datetime import date
from functools import cached_property

from hub.jsontext import compact_json_bytes
from hub.models import ProducerType, ProductStatus
from hub.normalize.dates import DateValue, certificate_expiry, parse_date
from hub.normalize.groups import GroupMatch, map_group
from hub.normalize.identity import producer_key, product_key
from hub.normalize.problem import Problem
from hub.normalize.producer_type import parse_producer_type
from hub.normalize.stars import StarRating, parse_stars
from hub.normalize.text import clean_name, clean_text
from hub.records import REQUIRED_FIELDS, RawRow
from hub.units import ResolvedUnit, UnitResolver

# Bump when normalization changes what a record means, so a re-harvest re-applies every row.
CANONICAL_VERSION = 2  # 2: hashes over field reprs instead of sorted JSON


@dataclass(frozen=True)
class CanonicalRecord:
    """A validated, normalized product with its producer and unit: what the store upserts."""

    row_number: int
    product_key: str
    producer_key: str
    product_name: str
    producer_name: str
    producer_type: str | None
    tax_code: str | None
    phone: str | None
    email: str | None
    contact_person: str | None
    stars: int
    score: int | None
    proposed_five_star: bool
    group_code: str
    group_text: str | None
    subgroup: str | None
    decision_number: str | None
    decision_date: date | None
    certified_year: int | None
    expiry_date: date | None
    issuing_body: str | None
    province_code: str
    commune_code: str | None
    legacy_province: str | None
    unit_text: str | None
    unit_code: str | None
    unit_code_version: str | None
    address: str | None

    @cached_property
    def content_hash(self) -> str:
        """Hash of the whole normalized row (not the raw bytes): decides whether a source's
        row changed since that source last sent it."""
        return _hash(self, _CONTENT_FIELDS)

    @cached_property
    def product_hash(self) -> str:
        """Hash of the product's own facts (not its producer's spelling or contact data):
        the same product pushed or harvested, written differently, hashes the same."""
        return _hash(self, _PRODUCT_FACT_FIELDS)

    def status_on(self, today: date) -> str:
        if self.expiry_date is not None and self.expiry_date < today:
            return ProductStatus.EXPIRED.value
        return ProductStatus.ACTIVE.value


_NOT_PRODUCT_FACTS = frozenset({
    "row_number", "producer_name", "producer_type", "tax_code", "phone", "email", "contact_person", "address",
})
_CONTENT_FIELDS = tuple(f.name for f in fields(CanonicalRecord) if f.name != "row_number")
_PRODUCT_FACT_FIELDS = tuple(f.name for f in fields(CanonicalRecord) if f.name not in _NOT_PRODUCT_FACTS)


def _hash(record: CanonicalRecord, names: tuple[str, ...]) -> str:
    """sha256 of the fields' reprs in a fixed order (str, int, bool, date and None only):
    cheaper than a sorted JSON document, and as stable."""
    blob = repr((CANONICAL_VERSION, *(getattr(record, name) for name in names)))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def raw_hash(row: RawRow, source_province: str) -> str:
    """Hash of a row as received (fields and original cells), the province it is read in and
    the normalizer version. A stored row with this hash normalized to what is stored, so a
    re-harvest need not normalize it again.

    Compact JSON keeps every cell's boundaries; the columns' order is hashed too, so a file with
    its columns reordered only misses the skip (its rows are normalized again, to the same result).
    """
    return hashlib.sha256(compact_json_bytes((CANONICAL_VERSION, source_province, row.values, row.raw))).hexdigest()


def _optional(values: dict[str, str], field: str) -> str | None:
    cleaned = clean_text(values.get(field))
    return cleaned or None


MAX_TEXT_CHARS = 500  # names and other text fields; a longer cell is a row error, not a broken index


def _too_long(values: dict[str, str]) -> list[Problem]:
    return [
        Problem("FIELD_TOO_LONG", field, f"'{field}' has {len(value)} characters; at most {MAX_TEXT_CHARS}",
                value[:80] + "…")
        for field, value in values.items()
        if value is not None and len(value) > MAX_TEXT_CHARS
    ]


def _missing(values: dict[str, str]) -> list[Problem]:
    return [
        Problem("MISSING_FIELD", field, f"required field '{field}' is empty")
        for field in REQUIRED_FIELDS
        if not clean_text(values.get(field))
    ]


def canonicalize(
    row: RawRow, resolver: UnitResolver, source_province: str, source_province_code: str, today: date
) -> CanonicalRecord | list[Problem]:
    """Normalize one row. Returns the record, or every problem found in it (not just the first).

    ``source_province`` is the source's province as written (perhaps a pre-reform one): rows
    that name no province are resolved within it, so their old districts are found.
    A row resolving to another current province than its source's is refused
    (NOT_YOUR_PROVINCE): a province's registry or push speaks only for that province.
    """
    values = row.values
    problems = list(row.problems) + _missing(values) + _too_long(values)
    if problems and any(p.code == "FIELD_TOO_LONG" for p in problems):
        return problems  # normalizing a 100,000-character cell is wasted work

    stars = parse_stars(values.get("stars"), values.get("score")) if values.get("stars") or values.get("score") else None
    if isinstance(stars, Problem):
        problems.append(stars)
    group = map_group(values.get("group")) if clean_text(values.get("group")) else None
    if isinstance(group, Problem):
        problems.append(group)

    producer_name = clean_name(values.get("producer_name"))
    product_name = clean_name(values.get("product_name"))
    type_text = clean_text(values.get("producer_type"))
    producer_type = parse_producer_type(type_text or None, producer_name or None)
    if isinstance(producer_type, Problem):
        if type_text:
            problems.append(producer_type)
        producer_type = None  # not written and not inferable from the name: unknown, not wrong

    decision: DateValue | None = None
    for field in ("decision_date", "year"):
        if clean_text(values.get(field)):
            parsed = parse_date(values.get(field), today)
            if isinstance(parsed, Problem):
                problems.append(replace(parsed, field=field))  # name the column it came from
            elif decision is None or (decision.date is None and parsed.date is not None):
                decision = parsed

    unit = resolver.resolve(
        _optional(values, "province"),
        _optional(values, "district"),
        _optional(values, "commune"),
        _optional(values, "address"),
        default_province=source_province,
    )
    if isinstance(unit, Problem):
        problems.append(unit)
    elif unit.province_code != source_province_code:
        problems.append(Problem(
            "NOT_YOUR_PROVINCE", "province",
            f"row belongs to {resolver.province_name(unit.province_code)} ({unit.province_code}), "
            f"not to this source's province {resolver.province_name(source_province_code)} ({source_province_code})",
            unit.text,
        ))

    if problems:
        return problems
    assert isinstance(stars, StarRating) and isinstance(group, GroupMatch) and isinstance(unit, ResolvedUnit)

    decision_date = decision.date if decision else None
    year = decision.year if decision else None
    if decision_date is not None:
        expiry: date | None = certificate_expiry(decision_date)
    elif year is not None:
        # Only the year is known: assume the latest possible date so nothing expires early.
        expiry = certificate_expiry(date(year, 12, 31))
    else:
        expiry = None

    p_key = producer_key(producer_name, unit.province_code)
    return CanonicalRecord(
        row_number=row.row_number,
        product_key=product_key(product_name, p_key),
        producer_key=p_key,
        product_name=product_name,
        producer_name=producer_name,
        producer_type=producer_type.value if isinstance(producer_type, ProducerType) else None,
        tax_code=_optional(values, "tax_code"),
        phone=_optional(values, "phone"),
        email=_optional(values, "email"),
        contact_person=_optional(values, "contact_person"),
        stars=stars.stars,
        score=stars.score,
        proposed_five_star=stars.proposed_five_star,
        group_code=group.code,
        group_text=group.text,
        subgroup=_optional(values, "subgroup"),
        decision_number=_optional(values, "decision_number"),
        decision_date=decision_date,
        certified_year=year,
        expiry_date=expiry,
        issuing_body=_optional(values, "issuing_body"),
        province_code=unit.province_code,
        commune_code=unit.commune_code,
        legacy_province=unit.legacy_province,
        unit_text=unit.text or None,
        unit_code=unit.unit_code,
        unit_code_version=unit.unit_code_version,
        address=_optional(values, "address"),
    )

