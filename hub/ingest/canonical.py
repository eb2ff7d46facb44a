"""Raw row → canonical record: every normalizer applied, every problem collected (never raised)."""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, fields, replace
from datetime import date
from functools import cached_property, lru_cache

from hub.ingest.optional_fields import (
    UNIT_FIELDS, optional_text, read_decision, read_group, read_producer_type_field, read_unit,
)
from hub.store.jsontext import compact_json_bytes
from hub.vocabulary import ProductStatus
from hub.store.certificates import certificate_expiry, status_on
from hub.normalize.fold import TEXT_CACHE_SIZE, search_key
from hub.normalize.identity import producer_key, product_key
from hub.normalize.problem import Problem
from hub.normalize.stars import StarRating, parse_stars
from hub.normalize.text import clean_name, clean_text
from hub.records import HEADING_CONFLICT_KEY, LIST_DECISION_KEY, REQUIRED_FIELDS, TITLE_PROVINCE_KEY, RawRow
from hub.units.resolver import ResolvedUnit, UnitResolver

# Bump when normalization changes what a record means, so a re-harvest re-applies every row.
CANONICAL_VERSION = 3  # 2: hashes over field reprs; 3: optional fields become warnings


@dataclass(frozen=True)
class CanonicalRecord:
    """A validated, normalized product with its producer and unit: what the store upserts."""

    row_number: int
    product_key: str
    producer_key: str | None  # None: the registry names no producer (warning PRODUCER_MISSING)
    product_name: str
    producer_name: str | None
    producer_type: str | None
    tax_code: str | None
    phone: str | None
    email: str | None
    contact_person: str | None
    stars: int
    score: int | None
    proposed_five_star: bool
    group_code: str | None
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
    warnings: tuple[Problem, ...] = ()
    date_in_future: bool = False  # a FUTURE_DATE warning: the row must be read again when it comes due

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
        """ACTIVE or EXPIRED on ``today`` (hub.store.certificates, the rule)."""
        return status_on(ProductStatus.ACTIVE.value, self.expiry_date, self.decision_date, self.certified_year,
                         today, today)  # a new listing: listed today

    def facts(self) -> dict[str, str]:
        """This source's values of the fields two sources can disagree on (hub.ingest.conflicts)."""
        values = {
            "stars": f"{self.stars}" + (" (tiềm năng 5 sao)" if self.proposed_five_star else ""),
            "group": self.group_code,
            "producer_type": self.producer_type,
            "tax_code": self.tax_code,
            "address": self.address or self.unit_text,
            "commune": self.commune_code,
            "decision_number": self.decision_number,
            "decision_date": self.decision_date.isoformat() if self.decision_date else None,
        }
        return {field: value for field, value in values.items() if value is not None}


_NOT_PRODUCT_FACTS = frozenset({
    "row_number", "producer_name", "producer_type", "tax_code", "phone", "email", "contact_person", "address",
    "warnings", "date_in_future",
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
    raw = row.raw
    if LIST_DECISION_KEY in raw:  # read by revocation lists only, which skip no row: hashed as before it was kept
        raw = {key: value for key, value in raw.items() if key != LIST_DECISION_KEY}
    return hashlib.sha256(compact_json_bytes((CANONICAL_VERSION, source_province, row.values, raw))).hexdigest()


MAX_TEXT_CHARS = 500  # names and other text fields; a longer cell is a row error, not a broken index


def too_long(values: dict[str, str]) -> list[Problem]:
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
        if not clean_text(values.get(field)) and not (field == "stars" and clean_text(values.get("score")))
    ]


# Ratings and decision dates repeat over a registry's rows: each distinct one is read once.
_parse_stars = lru_cache(maxsize=TEXT_CACHE_SIZE)(parse_stars)
_expiry = lru_cache(maxsize=TEXT_CACHE_SIZE)(certificate_expiry)

_POTENTIAL_NOTE = re.compile(r"(?:san pham |sp )?(?:de xuat )?tiem nang ?5 ?sao")


def _noted_potential(rating: StarRating, raw: dict[str, str], stars_text: str | None) -> StarRating:
    """A 4★ rating beside a cell that says only "Tiềm năng 5 sao" (a notes column) is the 5★
    proposal, as a clerk reads it; the cells stay as written."""
    if rating.stars != 4 or rating.proposed_five_star:
        return rating
    if any(cell != stars_text and _POTENTIAL_NOTE.fullmatch(search_key(cell))
           for cell in raw.values() if cell and "5" in cell and len(cell) <= 40):  # cheap tests first
        return replace(rating, proposed_five_star=True)
    return rating


def _stars(values: dict[str, str], warnings: list[Problem], raw: dict[str, str]) -> StarRating | Problem:
    """The rating, from the stars and/or the score; an unreadable score beside a readable
    rating is a warning, a score that contradicts the rating is not."""
    stars_text, score_text = values.get("stars"), values.get("score")
    rating = _parse_stars(stars_text, score_text)
    if isinstance(rating, StarRating):
        return _noted_potential(rating, raw, stars_text)
    if isinstance(rating, Problem) and rating.code == "BAD_SCORE" and clean_text(stars_text):
        alone = _parse_stars(stars_text, None)
        if isinstance(alone, StarRating):
            warnings.append(replace(rating, message=f"{rating.message}; the score is left empty"))
            return _noted_potential(alone, raw, stars_text)
    return rating


def place_row(row: RawRow, resolver: UnitResolver, source_province: str, source_province_code: str | None,
              other_province: str, warnings: list[Problem]) -> ResolvedUnit | Problem:
    """Where a row belongs (canonicalize's docstring says by which evidence), or why it cannot
    be stored under its source: ``other_province`` for a row of another province, NO_PROVINCE or
    UNKNOWN_UNIT for a row of a many-province source that cannot be placed."""
    values = row.values
    if source_province_code is None:
        source_province = (row.raw.get(TITLE_PROVINCE_KEY) or "").split("; ")[0]
    unit = read_unit(values, resolver, source_province, warnings)
    if isinstance(unit, Problem) and not source_province and unit.field == "province":
        written = clean_text(values.get("province"))
        return Problem("UNKNOWN_UNIT", "province", f"unknown province {written!r}, and the source lists "
                       "many provinces: the row cannot be placed", written) if written else \
            Problem("NO_PROVINCE", "province", "the row names no province, and its source lists many "
                    "provinces: write the province in a column or in the address", unit.value)
    if isinstance(unit, Problem):
        return replace(unit, code=other_province) if unit.code == "WRONG_PROVINCE" else unit
    if source_province_code is not None and unit.province_code != source_province_code:
        return Problem(
            other_province, "province",
            f"row belongs to {resolver.province_name(unit.province_code)} ({unit.province_code}), "
            f"not to this source's province {resolver.province_name(source_province_code)} ({source_province_code})",
            unit.text,
        )
    return unit


class Places:
    """``place_row`` once per distinct unit of a batch. A batch's rows repeat their units (10,000
    rows of the bench data name 2,453), and where a row belongs is a function of its unit cells,
    its list's title (for a source of many provinces) and the batch's source: the reading and
    the warnings it gave are kept and given again, in the same order, to every row naming the
    same unit."""

    _MAX = 1 << 16  # forgotten past this many: a batch of unique units costs no more than before

    def __init__(self) -> None:
        self._known: dict[tuple[str | None, ...], tuple[ResolvedUnit | Problem, tuple[Problem, ...]]] = {}

    def place(self, row: RawRow, resolver: UnitResolver, source_province: str, source_province_code: str | None,
              other_province: str, warnings: list[Problem]) -> ResolvedUnit | Problem:
        values = row.values
        title = (row.raw.get(TITLE_PROVINCE_KEY) or "") if source_province_code is None else None
        key = (*(values.get(field) for field in UNIT_FIELDS), title, source_province, source_province_code,
               other_province)
        known = self._known.get(key)
        if known is None:
            found: list[Problem] = []
            unit = place_row(row, resolver, source_province, source_province_code, other_province, found)
            if len(self._known) >= self._MAX:
                self._known.clear()
            known = self._known[key] = (unit, tuple(found))
        warnings.extend(known[1])
        return known[0]


def canonicalize(
    row: RawRow, resolver: UnitResolver, source_province: str, source_province_code: str | None, today: date,
    other_province: str = "WRONG_PROVINCE", places: Places | None = None,
) -> CanonicalRecord | list[Problem]:
    """Normalize one row. Returns the record (with its warnings), or every problem that rejects
    it: a missing or unreadable name or rating, a row that contradicts itself, a row of another
    province. Every other field is optional (hub.ingest.optional_fields).

    ``source_province`` is the source's province as written (perhaps a pre-reform one): rows
    that name no province are resolved within it, so their old districts are found.
    A row resolving to another current province than its source's, or naming a district or
    commune found only in other provinces, is refused with ``other_province`` (WRONG_PROVINCE for
    a harvest, NOT_YOUR_PROVINCE for a push): a province's registry or push speaks only for that
    province. A source of many provinces (``source_province_code`` None) places each row by its
    own province column or address, else by its list's title; a row naming none is NO_PROVINCE.
    ``places`` (one per batch, from ``prepare``) reads each distinct unit of the batch once.
    """
    values = row.values
    problems = list(row.problems) + _missing(values) + too_long(values)
    if problems and any(p.code == "FIELD_TOO_LONG" for p in problems):
        return problems  # normalizing a 100,000-character cell is wasted work

    warnings: list[Problem] = []
    rated = clean_text(values.get("stars")) or clean_text(values.get("score"))
    stars = _stars(values, warnings, row.raw) if rated else None
    if isinstance(stars, Problem):
        problems.append(stars)
    product_name = clean_name(values.get("product_name"))
    producer_name = clean_name(values.get("producer_name")) or None
    if producer_name is None:
        warnings.append(Problem("PRODUCER_MISSING", "producer_name",
                                "no producer named; the product is stored without one", None))
    group = read_group(values.get("group"), product_name, warnings)
    producer_type = (read_producer_type_field(values.get("producer_type"), producer_name, warnings)
                     if producer_name or clean_text(values.get("producer_type")) else None)
    decision = read_decision(values, today, warnings)

    for heading in filter(None, (row.raw.get(HEADING_CONFLICT_KEY) or "").split(" | ")):
        field = heading.split(":", 1)[0]
        warnings.append(Problem("CONTRADICTS_HEADING", field, f"{heading}; the row's own value is kept",
                                values.get(field)))

    unit = (places.place(row, resolver, source_province, source_province_code, other_province, warnings)
            if places is not None else
            place_row(row, resolver, source_province, source_province_code, other_province, warnings))
    if isinstance(unit, Problem):
        problems.append(unit)
    if problems or isinstance(unit, Problem):
        return problems
    assert isinstance(stars, StarRating)

    p_key = producer_key(producer_name, unit.province_code) if producer_name else None
    return CanonicalRecord(
        row_number=row.row_number,
        product_key=product_key(product_name, p_key or producer_key("", unit.province_code)),
        producer_key=p_key,
        product_name=product_name,
        producer_name=producer_name,
        producer_type=producer_type,
        tax_code=optional_text(values, "tax_code"),
        phone=optional_text(values, "phone"),
        email=optional_text(values, "email"),
        contact_person=optional_text(values, "contact_person"),
        stars=stars.stars,
        score=stars.score,
        proposed_five_star=stars.proposed_five_star,
        group_code=group.code,
        group_text=group.text,
        subgroup=optional_text(values, "subgroup"),
        decision_number=decision.number,
        decision_date=decision.date,
        certified_year=decision.year,
        expiry_date=_expiry(decision.date) if decision.date else None,
        issuing_body=decision.issuing_body,
        province_code=unit.province_code,
        commune_code=unit.commune_code,
        legacy_province=unit.legacy_province,
        unit_text=unit.text or None,
        unit_code=unit.unit_code,
        unit_code_version=unit.unit_code_version,
        address=optional_text(values, "address"),
        warnings=tuple(warnings),
        date_in_future=decision.date_in_future,
    )
