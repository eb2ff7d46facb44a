"""ProductFilter / ProducerFilter → SQLAlchemy WHERE clauses, and provinces as clients write them.

The one code path for products, producers, stats, coverage counts and the exports: whatever a
client filters on, every view of the data counts the same rows. Every province filter (products,
producers, stats, conflicts, importBatches, the exports) reads its values with
``resolve_province_filter`` / ``resolve_legacy_province_filter``: codes or names, as pushes read
them, and an unknown province is an error naming it, never an empty answer.
"""
from __future__ import annotations

from datetime import date, datetime, timezone
from functools import lru_cache
from typing import Any, Callable, Optional

import strawberry
from sqlalchemy import ColumnElement, select, true

from hub.api.access import name_searchable_sql
from hub.api.errors import ClientError
from hub.api.enums import ProducerType, ProductGroup, ProductStatus
from hub.access.keys import Principal
from hub.store.models import Producer, Product, Source, SourceRecord
from hub.normalize.fold import search_key
from hub.store.certificates import current_date, status_sql
from hub.store.text_search import contains, one_of
from hub.units.resolver import province_code_of
from hub.units.resolver import UnitResolver

DEFAULT_STATUSES = (ProductStatus.ACTIVE, ProductStatus.EXPIRED)
UNKNOWN_UNIT = "UNKNOWN_UNIT"
UNKNOWN_PROVINCE_HINT = ("; a province is named as written, current or former, in any spelling, or by code: "
                         "the `provinces` query lists the current ones and their codes")
BAD_FILTER = "BAD_FILTER"
ONE_RELEASE = "Kept for one release after 2026-12."
STAR_RATINGS = range(1, 6)
PROVINCE_DOC = (
    "Current provinces: two-digit codes (\"19\") or names, old or new, with or without diacritics or "
    "\"Tỉnh\" (\"Thái Nguyên\", \"quang ninh\"); a pre-reform name means its current successor "
    "(\"Bắc Kạn\" → 19). Read as pushes read them; an unknown one is an error (UNKNOWN_UNIT).")


@lru_cache(maxsize=1)
def reference_resolver() -> UnitResolver:
    """The units `ocop-hub db upgrade` loads into every store (hub.units.reference), for callers that
    have no store at hand; those that have one pass hub.ingest.run.resolver_for(engine)."""
    return UnitResolver.from_packages()


def _refuse_unknown(unknown: list[str], resolver: UnitResolver) -> None:
    """One error naming every unknown province, each with the nearest province names, or, when
    none is near, where to find them all."""
    if unknown:
        noun = "province" if len(unknown) == 1 else "provinces"
        named = []
        for value in unknown:
            near = resolver.nearest_provinces(value)
            named.append(f"{value!r} (did you mean {' or '.join(repr(n) for n in near)}?)" if near else repr(value))
        raise ClientError(f"unknown {noun} {', '.join(named)}{UNKNOWN_PROVINCE_HINT}", UNKNOWN_UNIT)


def resolve_province_filter(values: list[str], resolver: UnitResolver) -> list[str]:
    """The current province codes that ``values`` name, read as pushes read a province
    (hub.units.resolver.province_code_of). An unknown value is a ClientError (code UNKNOWN_UNIT) naming it:
    a filter that matched nothing would read as "no products there"."""
    return _resolve_all(values, lambda value: province_code_of(resolver, value), resolver)


def legacy_province_name(resolver: UnitResolver, text: str) -> str | None:
    """The pre-reform province a text names, as the store keeps it (the name the ingest gave it),
    or None: a two-digit code is one of the pre-2025 list, a name may be spelt in any way."""
    text = text.strip()
    if text.isdecimal():
        unit = resolver.legacy_unit("province", text.zfill(2))
        return unit[0] if unit else None
    resolved = resolver.resolve(text) if text else None
    return getattr(resolved, "legacy_province", None)


def resolve_legacy_province_filter(values: list[str], resolver: UnitResolver) -> list[str]:
    """The stored names of the pre-reform provinces ``values`` name; unknown ones as above."""
    return _resolve_all(values, lambda value: legacy_province_name(resolver, value), resolver)


def _resolve_all(values: list[str], resolve: Callable[[str], str | None], resolver: UnitResolver) -> list[str]:
    """Each value resolved once, in order, without repeats; every unknown one named in one error."""
    resolved: list[str] = []
    unknown: list[str] = []
    for value in values:
        found = resolve(value)
        if found is None:
            unknown.append(value)
        elif found not in resolved:
            resolved.append(found)
    _refuse_unknown(unknown, resolver)
    return resolved


@strawberry.input(description=(
    "Which products to include. Every field narrows the set (AND); list fields match any of "
    "their values (OR). Without `status`, withdrawn products are left out."
))
class ProductFilter:
    province: Optional[list[str]] = strawberry.field(default=None, description=PROVINCE_DOC)
    legacy_province: Optional[list[str]] = strawberry.field(default=None, description=(
        "Pre-reform provinces (the province a product's registry or address named before the 2025 merger): "
        "names in any spelling (\"Bắc Kạn\", \"bac kan\", \"Tỉnh Bắc Cạn\") or pre-2025 two-digit codes "
        "(\"06\"). An unknown one is an error (UNKNOWN_UNIT)."))
    stars: Optional[list[int]] = strawberry.field(default=None, description="Star ratings (1–5).")
    group: Optional[list[ProductGroup]] = strawberry.field(default=None, description="Product groups.")
    producer_type: Optional[list[ProducerType]] = strawberry.field(default=None, description="Producer kinds.")
    status: Optional[list[ProductStatus]] = strawberry.field(
        default=None, description="Certificate statuses; default ACTIVE and EXPIRED (not WITHDRAWN).")
    certified_year: Optional[int] = strawberry.field(default=None, description=(
        "Certified in this year (`certifiedYear` is the certification year's one name: on products, in filters "
        "and in the exports' `certified_year` column)."))
    year_from: Optional[int] = strawberry.field(default=None, name="certifiedYearFrom",
                                                description="Certified in this year or later.")
    year_to: Optional[int] = strawberry.field(default=None, name="certifiedYearTo",
                                              description="Certified in this year or earlier.")
    old_year_from: Optional[int] = strawberry.field(
        default=None, name="yearFrom", description="Certified in this year or later.",
        deprecation_reason=f"Use `certifiedYearFrom`. {ONE_RELEASE}")
    old_year_to: Optional[int] = strawberry.field(
        default=None, name="yearTo", description="Certified in this year or earlier.",
        deprecation_reason=f"Use `certifiedYearTo`. {ONE_RELEASE}")
    expiry_from: Optional[date] = strawberry.field(default=None, description=(
        "Certificate expires on this day or later (products without an expiry date never match)."))
    expiry_to: Optional[date] = strawberry.field(default=None, description=(
        "Certificate expires on this day or earlier (products without an expiry date never match)."))
    source: Optional[list[str]] = strawberry.field(
        default=None, description="Names of sources the product came from (any of them).")
    search: Optional[str] = strawberry.field(default=None, description=(
        "Words in the product or producer name, with or without diacritics: "
        "\"che hoa vang\" finds \"Chè hoa vàng\", \"dak\" finds \"Đắk\"."))
    updated_since: Optional[datetime] = strawberry.field(
        default=None, description="Changed in the hub at or after this instant (incremental sync).")

    def __post_init__(self) -> None:
        """Every filter GraphQL reads (products, producers' hasProduct, stats, coverage) is checked
        as it is built; the exports, which fill one field by field, call ``check_filter`` after."""
        check_filter(self)


@strawberry.input(description="Which producers to include. Every field narrows the set (AND).")
class ProducerFilter:
    province: Optional[list[str]] = strawberry.field(default=None, description=PROVINCE_DOC)
    producer_type: Optional[list[ProducerType]] = strawberry.field(default=None, description="Producer kinds.")
    search: Optional[str] = strawberry.field(
        default=None, description="Words in the producer name, with or without diacritics.")
    updated_since: Optional[datetime] = strawberry.field(
        default=None, description="Changed in the hub at or after this instant (incremental sync).")
    has_product: Optional[ProductFilter] = strawberry.field(default=None, description=(
        "Only producers with at least one product matching this product filter "
        "(e.g. {stars: [5]}, or {legacyProvince: [\"Bắc Kạn\"]})."))


def to_store_time(value: datetime) -> datetime:
    """The store's columns take aware instants: a naive one is read as UTC."""
    if value.utcoffset() is None:
        return value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)


MAX_SEARCH_CHARS = 200


def check_search(text: str) -> None:
    """A search text the API takes (at most MAX_SEARCH_CHARS), else a ClientError."""
    if len(text) > MAX_SEARCH_CHARS:
        raise ClientError(f"search text is {len(text)} characters long; at most {MAX_SEARCH_CHARS}")


def text_matches(column: Any, text: str) -> ColumnElement[bool]:
    """``column`` (a ``search_key``) contains the folded text (hub.store.text_search: by index)."""
    check_search(text)
    return contains(column, search_key(text))


def status_condition(statuses: list[ProductStatus] | None) -> ColumnElement[bool]:
    """Statuses as of today (hub.store.certificates.status_sql). The stored status tells withdrawn
    from not withdrawn exactly, and its index serves the default (ACTIVE and EXPIRED); only a
    filter that separates ACTIVE from EXPIRED needs the dates."""
    wanted = {s.value for s in (statuses if statuses is not None else DEFAULT_STATUSES)}
    if (ProductStatus.ACTIVE.value in wanted) == (ProductStatus.EXPIRED.value in wanted):
        return Product.status.in_(sorted(wanted))
    return status_sql(current_date()).in_(sorted(wanted))


def check_filter(f: ProductFilter) -> None:
    """Settle the certification year's names into ``year_from`` / ``year_to`` (what every
    reader of a filter uses): ``certifiedYear`` is both ends, the deprecated ``yearFrom`` /
    ``yearTo`` are the new ends' old names; two names for one end must agree. Then refuse
    (BAD_FILTER) a filter no product can match by construction, rather than answer 0: a star
    rating outside 1–5, a range whose start is after its end. GraphQL and the exports both read
    their filters through here, so both refuse alike."""
    for end, old in (("year_from", "old_year_from"), ("year_to", "old_year_to")):
        given = {v for v in (getattr(f, end), getattr(f, old), f.certified_year) if v is not None}
        if len(given) > 1:
            raise ClientError(f"the certification year is given twice, differently ({', '.join(map(str, sorted(given)))}):"
                              f" give `certifiedYear`, or `certifiedYearFrom` / `certifiedYearTo`", BAD_FILTER)
        setattr(f, end, given.pop() if given else None)
        setattr(f, old, None)
    bad = [s for s in f.stars or [] if s not in STAR_RATINGS]
    if bad:
        raise ClientError(f"`stars` takes ratings from 1 to 5; got {', '.join(map(str, bad))}.", BAD_FILTER)
    for low, high, start, end in (("certifiedYearFrom", "certifiedYearTo", f.year_from, f.year_to),
                                  ("expiryFrom", "expiryTo", f.expiry_from, f.expiry_to)):
        if start is not None and end is not None and start > end:
            raise ClientError(f"`{low}` ({start}) is after `{high}` ({end}): no product can be in both; "
                              f"swap them.", BAD_FILTER)


def counted_conditions(f: ProductFilter, resolver: UnitResolver, model: Any) -> list[ColumnElement[bool]]:
    """The criteria on the columns a product and its kept counts share (``model``: Product, or
    hub.store.models.StatsCount for hub/api/stats_aggregates.py): provinces, stars, group, years."""
    where: list[ColumnElement[bool]] = []
    if f.province is not None:
        where.append(model.province_code.in_(resolve_province_filter(f.province, resolver)))
    if f.legacy_province is not None:
        where.append(model.legacy_province.in_(resolve_legacy_province_filter(f.legacy_province, resolver)))
    if f.stars is not None:
        where.append(model.stars.in_(f.stars))
    if f.group is not None:
        where.append(model.group_code.in_([g.value for g in f.group]))
    if f.year_from is not None:
        where.append(model.certified_year >= f.year_from)
    if f.year_to is not None:
        where.append(model.certified_year <= f.year_to)
    return where


def product_conditions(f: ProductFilter | None, principal: Principal | None = None,
                       resolver: UnitResolver | None = None) -> list[ColumnElement[bool]]:
    """WHERE clauses for a product filter; producer and source criteria are id subqueries, so no
    join is ever needed and the caller may join whatever it selects.

    ``principal`` is the caller (None: anonymous): a search matches a household producer's name
    only for callers allowed to see it (hub.api.access). ``resolver`` reads the province filters
    (default: reference_resolver); an unknown province raises ClientError."""
    f = f or ProductFilter()
    return [status_condition(f.status), *counted_conditions(f, resolver or reference_resolver(), Product),
            *expiry_conditions(f, Product.expiry_date), *listing_conditions(f, principal)]


def wanted_statuses(f: ProductFilter | None) -> list[str]:
    """The statuses a filter asks for (default ACTIVE and EXPIRED)."""
    statuses = f.status if f is not None and f.status is not None else DEFAULT_STATUSES
    return sorted({s.value for s in statuses})


def expiry_conditions(f: ProductFilter, expiry: Any) -> list[ColumnElement[bool]]:
    """expiryFrom / expiryTo on the column holding the certificate's last day."""
    where: list[ColumnElement[bool]] = []
    if f.expiry_from is not None:
        where.append(expiry >= f.expiry_from)
    if f.expiry_to is not None:
        where.append(expiry <= f.expiry_to)
    return where


def held_conditions(held: Any, filter: ProductFilter | None, principal: Principal | None,
                    resolver: UnitResolver | None = None) -> list[ColumnElement[bool]]:
    """``filter`` on the certificates ``held`` on a day (hub.store.as_of.certificates_on: stars,
    group, province, year, status and expiry as they were) and on what the products are now
    (search, source, producer type)."""
    f = filter or ProductFilter()
    return [held.c.status.in_(wanted_statuses(f)), *counted_conditions(f, resolver or reference_resolver(), held.c),
            *expiry_conditions(f, held.c.valid_to), *listing_conditions(f, principal)]


def listing_conditions(f: ProductFilter, principal: Principal | None) -> list[ColumnElement[bool]]:
    """The criteria on what a product is, not on its certificate: producer type, source, search,
    change time. Id subqueries on the product table."""
    where: list[ColumnElement[bool]] = []
    if f.producer_type is not None:
        types = [t.value for t in f.producer_type]
        where.append(Product.producer_id.in_(select(Producer.id).where(Producer.producer_type.in_(types))))
    if f.source is not None:
        sourced = select(SourceRecord.product_id).join(Source, Source.id == SourceRecord.source_id)
        where.append(Product.id.in_(sourced.where(Source.name.in_(f.source))))
    if f.search is not None and search_key(f.search):
        by_producer = select(Producer.id).where(text_matches(Producer.search_key, f.search),
                                                name_searchable_sql(principal))
        where.append(text_matches(Product.search_key, f.search) | one_of(Product.producer_id, by_producer))
    if f.updated_since is not None:
        where.append(Product.updated_at >= to_store_time(f.updated_since))
    return where


def producer_conditions(f: ProducerFilter | None, principal: Principal | None = None,
                        resolver: UnitResolver | None = None) -> list[ColumnElement[bool]]:
    """WHERE clauses for a producer filter; ``principal`` and ``resolver`` as in product_conditions."""
    f = f or ProducerFilter()
    where: list[ColumnElement[bool]] = []
    if f.province is not None:
        codes = resolve_province_filter(f.province, resolver or reference_resolver())
        where.append(Producer.province_code.in_(codes))
    if f.producer_type is not None:
        where.append(Producer.producer_type.in_([t.value for t in f.producer_type]))
    if f.search is not None and search_key(f.search):
        where.append(text_matches(Producer.search_key, f.search))
        where.append(name_searchable_sql(principal))
    if f.updated_since is not None:
        where.append(Producer.updated_at >= to_store_time(f.updated_since))
    if f.has_product is not None:
        products = product_conditions(f.has_product, principal, resolver)
        where.append(Producer.id.in_(select(Product.producer_id).where(*products)))
    return where or [true()]
