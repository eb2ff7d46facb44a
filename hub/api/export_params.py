"""The query parameters of the /export downloads, read into the API's own filters: the same
names as the GraphQL filter (camelCase or snake_case), and a 400 naming the parameter for
anything wrong, before the first byte of a download is sent."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Callable, Generic, Literal, Sequence, TypeVar, cast

from starlette.datastructures import QueryParams

from hub.api.conflicts import ConflictFilter
from hub.api.enums import ProducerType, ProductGroup, ProductStatus
from hub.api.errors import ClientError
from hub.api.filters import (ProductFilter, check_filter, check_search, reference_resolver,
                             resolve_legacy_province_filter, resolve_province_filter)

Lang = Literal["en", "vi"]
LANGS: tuple[Lang, ...] = ("en", "vi")

CAMEL_CASE = {"legacy_province": "legacyProvince", "producer_type": "producerType",
              "certified_year": "certifiedYear", "year_from": "certifiedYearFrom", "year_to": "certifiedYearTo",
              "updated_since": "updatedSince", "expiry_from": "expiryFrom",
              "expiry_to": "expiryTo", "as_of": "asOf", "known_at": "knownAt"}
"""The GraphQL filter's spelling of each two-word parameter; both spellings are accepted."""
ALIASES = {"year": "certified_year", "certified_year_from": "year_from", "certified_year_to": "year_to",
           "yearFrom": "year_from", "yearTo": "year_to"}
"""More spellings of a parameter: ``year`` for ``certifiedYear``, and the certification year's
range under its snake_case and its deprecated names (``yearFrom``, ``year_from``, for one release)."""
PARAMS = ("province", "legacy_province", "stars", "group", "producer_type", "status",
          "certified_year", "year_from", "year_to", "expiry_from", "expiry_to", "source", "search", "updated_since", "lang",
          "as_of", "known_at")
CONFLICT_PARAMS = ("province", "field", "source", "lang")

F = TypeVar("F")
T = TypeVar("T")


@dataclass(frozen=True)
class ExportQuery(Generic[F]):
    """What a download asked for: which rows (``filter``), in which language (``lang``), and for
    the products export, on which day as known at which moment (``as_of``, ``known_at``: the
    GraphQL ``products(asOf, knownAt)``)."""

    filter: F
    lang: Lang = "en"
    as_of: date | None = None
    known_at: datetime | None = None


class _Params:
    """Query parameters under their snake_case names, remembering how the client spelled each,
    so that messages quote the client's own spelling."""

    def __init__(self, params: QueryParams, accepted: Sequence[str]) -> None:
        spellings = {name: name for name in accepted} | {CAMEL_CASE[n]: n for n in accepted if n in CAMEL_CASE} \
            | {alias: n for alias, n in ALIASES.items() if n in accepted}
        unknown = sorted(set(params.keys()) - spellings.keys())
        if unknown:
            allowed = ", ".join(CAMEL_CASE.get(name, name) for name in accepted)
            snake = [name for name in accepted if name in CAMEL_CASE]
            also = f" (or in snake_case: {', '.join(snake)})" if snake else ""
            raise ClientError(f"Unknown parameter(s) {', '.join(unknown)}; allowed: {allowed}{also}.")
        self._given: dict[str, tuple[str, list[str]]] = {}
        for spelling, name in spellings.items():
            if spelling not in params:
                continue
            if name in self._given:
                raise ClientError(f"Parameter {spelling!r} given twice: as {self._given[name][0]} and {spelling}.")
            self._given[name] = (spelling, params.getlist(spelling))

    def label(self, name: str) -> str:
        return self._given[name][0]

    def one(self, name: str) -> str | None:
        """The parameter's (last) value, or None when absent."""
        return self._given[name][1][-1] if name in self._given else None

    def values(self, name: str) -> list[str] | None:
        """Repeated (?stars=4&stars=5) or comma-separated (?stars=4,5) values; None when absent."""
        if name not in self._given:
            return None
        return [v.strip() for item in self._given[name][1] for v in item.split(",") if v.strip()]


def _int(name: str, text: str, low: int, high: int) -> int:
    """A bounded whole number; its digits are counted before it is read (Python refuses to read
    one of more than 4,300 digits, with an error that would be a 500)."""
    if not re.fullmatch(r"-?\d{1,18}", text) or not low <= int(text) <= high:
        shown = text if len(text) <= 20 else f"{text[:20]}… ({len(text)} characters)"
        raise ClientError(f"Parameter {name!r}: expected a whole number from {low} to {high}, got {shown!r}.")
    return int(text)


def _enum(name: str, enum_cls: Any, text: str) -> Any:
    for member in enum_cls:
        if text.lower() in (member.name.lower(), str(member.value).lower()):
            return member
    allowed = ", ".join(m.name for m in enum_cls)
    raise ClientError(f"Parameter {name!r}: unknown value {text!r}; expected one of {allowed}.")


def _date(p: _Params, name: str) -> date | None:
    return _parsed(p, name, date.fromisoformat, "a date such as 2027-06-30")


def _moment(p: _Params, name: str) -> datetime | None:
    return _parsed(p, name, datetime.fromisoformat, "an ISO date-time such as 2025-07-01T00:00:00Z")


def _parsed(p: _Params, name: str, parse: Callable[[str], T], expected: str) -> T | None:
    text = p.one(name)
    if text is None:
        return None
    try:
        return parse(text)
    except ValueError as exc:
        raise ClientError(f"Parameter {p.label(name)!r}: expected {expected}, got {text!r}.") from exc


def _lang(p: _Params) -> Lang:
    lang = (p.one("lang") or "en").lower()
    if lang in LANGS:
        return cast(Lang, lang)
    raise ClientError(f"Parameter 'lang': expected {' or '.join(LANGS)}, got {p.one('lang')!r}.")


def _provinces(p: _Params) -> list[str] | None:
    """Current province codes from codes or names (old or new, with or without diacritics).

    Read here, not only in the WHERE clause, so that an unknown province is a 400 naming it
    before the CSV's first byte is sent."""
    values = p.values("province")
    return None if values is None else resolve_province_filter(values, reference_resolver())


def _legacy_provinces(p: _Params) -> list[str] | None:
    """Stored names of the pre-reform provinces named in any spelling, or by pre-2025 code."""
    values = p.values("legacy_province")
    return None if values is None else resolve_legacy_province_filter(values, reference_resolver())


def lang_from_params(params: QueryParams) -> Lang:
    """``?lang=`` of a download that takes no other checked parameter (/export/rejected.csv)."""
    return _lang(_Params(params, ("source", "lang")))


def filter_from_params(params: QueryParams) -> ExportQuery[ProductFilter]:
    """Build the API's ProductFilter from query parameters; anything wrong is a ClientError."""
    p = _Params(params, PARAMS)
    f = ProductFilter()
    f.province = _provinces(p)
    f.legacy_province = _legacy_provinces(p)
    if (stars := p.values("stars")) is not None:
        f.stars = [_int(p.label("stars"), s, -99, 99) for s in stars]  # 1–5: check_filter, as GraphQL
    if (groups := p.values("group")) is not None:
        f.group = [_enum(p.label("group"), ProductGroup, g) for g in groups]
    if (types := p.values("producer_type")) is not None:
        f.producer_type = [_enum(p.label("producer_type"), ProducerType, t) for t in types]
    if (statuses := p.values("status")) is not None:
        f.status = [_enum(p.label("status"), ProductStatus, s) for s in statuses]
    if (year := p.one("certified_year")) is not None:
        f.certified_year = _int(p.label("certified_year"), year, 1900, 2200)
    if (year_from := p.one("year_from")) is not None:
        f.year_from = _int(p.label("year_from"), year_from, 1900, 2200)
    if (year_to := p.one("year_to")) is not None:
        f.year_to = _int(p.label("year_to"), year_to, 1900, 2200)
    f.source = p.values("source")
    f.search = p.one("search")
    if f.search is not None:  # checked here, not first in the WHERE clause: a download's 200 is sent before that
        check_search(f.search)
    f.expiry_from = _date(p, "expiry_from")
    f.expiry_to = _date(p, "expiry_to")
    f.updated_since = _moment(p, "updated_since")
    check_filter(f)
    return ExportQuery(f, _lang(p), as_of=_date(p, "as_of"), known_at=_moment(p, "known_at"))


def conflict_filter_from_params(params: QueryParams) -> ExportQuery[ConflictFilter]:
    """The ConflictFilter of /export/conflicts.csv (province, field, source); anything wrong is a ClientError."""
    p = _Params(params, CONFLICT_PARAMS)
    return ExportQuery(ConflictFilter(province=_provinces(p), field=p.one("field") or None, source=p.values("source")),
                       _lang(p))
