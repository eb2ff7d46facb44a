"""The certificate rule, the one place it is written: once in Python, once in SQL.

An OCOP certificate is in force from its decision date for 36 months (Decision 148/QĐ-TTg): it
expires on the day 36 months after the decision (in force that day, expired the next). A
certificate known only by its year is in force from 1 January of that year and expires as one
issued on 31 December of that year would, on 31 December three years on: nothing expires early,
and no date is invented (none is stored). With neither a date nor a year (the workbook's date
unreadable), a careful clerk still knows one thing: the certificate existed on the day the hub
first listed the product (``product.listed_on``), so it ends at the latest 36 months after that
day, as one issued that day would. It is never in force for ever.

Every status, count and filter calls these functions; tests/ingest/test_certificate_rule.py
checks that the Python and the SQL agree on SQLite and PostgreSQL.
"""
from __future__ import annotations

import os
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import ColumnElement, and_, case, extract, null, or_

from hub.store.models import Product
from hub.vocabulary import ProductStatus
from hub.normalize.dates import add_months

CERTIFICATE_MONTHS = 36
"""A certificate's validity (Decision 148/QĐ-TTg)."""
_YEARS = CERTIFICATE_MONTHS // 12  # a year-only certificate ends on 31 December, three years on


def certificate_expiry(decision_date: date) -> date:
    """The day a certificate issued on ``decision_date`` expires (its last day in force)."""
    return add_months(decision_date, CERTIFICATE_MONTHS)


def last_day_in_force(decision_date: date | None, certified_year: int | None,
                      listed_on: date | None) -> date | None:
    """The last day the certificate is in force by the rule: from its decision date, else its
    year, else the day the hub first listed its product; None only for a product stored before
    the hub kept that day (none after migration 0010)."""
    if decision_date is not None:
        return certificate_expiry(decision_date)
    if certified_year is not None:
        return date(certified_year + _YEARS, 12, 31)
    return certificate_expiry(listed_on) if listed_on is not None else None


def status_on(stored: str, expiry_date: date | None, decision_date: date | None,
              certified_year: int | None, listed_on: date | None, on: date) -> str:
    """The status on ``on`` of a product stored with ``stored``: WITHDRAWN and EXPIRED stay as
    stored (the stored status moves only when the refresh runs); an ACTIVE one is EXPIRED once
    its last day in force has passed."""
    if stored in (ProductStatus.WITHDRAWN.value, ProductStatus.EXPIRED.value):
        return stored
    # The stored expiry date is the rule applied to the decision date at ingest; a year or the day listed gives none.
    last = expiry_date if expiry_date is not None or decision_date is not None \
        else last_day_in_force(None, certified_year, listed_on)
    return ProductStatus.EXPIRED.value if last is not None and last < on else ProductStatus.ACTIVE.value


def _year_only(row: Any = Product) -> ColumnElement[bool]:
    """A certificate known only by its year (no decision date, so no expiry date)."""
    return and_(row.expiry_date.is_(None), row.decision_date.is_(None), row.certified_year.is_not(None))


def _undated(row: Any = Product) -> ColumnElement[bool]:
    """A certificate known by neither its date nor its year: it ends as one issued the day listed."""
    return and_(row.expiry_date.is_(None), row.decision_date.is_(None), row.certified_year.is_(None))


def _listed_by(on: date) -> date:
    """The first day ``d`` with ``certificate_expiry(d) >= on``: a certificate counted from a day
    before it has ended by ``on`` (add_months clamps 29 February, so step back over the clamp)."""
    day = add_months(on, -CERTIFICATE_MONTHS)
    while certificate_expiry(day - timedelta(days=1)) >= on:
        day -= timedelta(days=1)
    while certificate_expiry(day) < on:
        day += timedelta(days=1)
    return day


def expired_sql(on: date, row: Any = Product) -> ColumnElement[bool]:
    """``status_on``'s test that the last day in force is before ``on``, in SQL: a year-only
    certificate of year Y has ended when Y + 3 < on's year; an undated one when it was listed
    before ``_listed_by(on)``."""
    return or_(row.expiry_date < on, and_(_year_only(row), row.certified_year <= on.year - _YEARS - 1),
               and_(_undated(row), row.listed_on < _listed_by(on)))


def status_sql(on: date, row: Any = Product) -> ColumnElement[str]:
    """``status_on`` in SQL, over ``row``'s columns (the product table by default)."""
    if row is Product:
        return _product_status_sql(on)
    return _status_case(on, row)


@lru_cache(maxsize=64)
def _product_status_sql(on: date) -> ColumnElement[str]:
    """The products' status on ``on``, built once per day (an expression is immutable, so every
    statement may share it): building the CASE costs more than running it, and a stats check
    builds hundreds of statements."""
    return _status_case(on, Product)


def _status_case(on: date, row: Any) -> ColumnElement[str]:
    return case(
        (row.status == ProductStatus.WITHDRAWN.value, ProductStatus.WITHDRAWN.value),
        (or_(row.status == ProductStatus.EXPIRED.value, expired_sql(on, row)), ProductStatus.EXPIRED.value),
        else_=ProductStatus.ACTIVE.value,
    )


def expiry_month_sql() -> ColumnElement[int]:
    """YYYYMM of the month a product's certificate ends in (null: nothing tells, for a product stored before
    migration 0010 without a date or a year; 0: stored as
    expired already), for counts that must turn ACTIVE into EXPIRED at midnight without being
    recounted."""
    return case(
        (Product.status == ProductStatus.EXPIRED.value, 0),
        (Product.expiry_date.is_not(None),
         extract("year", Product.expiry_date) * 100 + extract("month", Product.expiry_date)),
        (_year_only(), (Product.certified_year + _YEARS) * 100 + 12),
        (and_(_undated(), Product.listed_on.is_not(None)),  # add_months keeps the month: 36 months on
         (extract("year", Product.listed_on) + _YEARS) * 100 + extract("month", Product.listed_on)),
        else_=null(),
    )


@lru_cache(maxsize=64)
def expires_in_month_sql(on: date) -> ColumnElement[bool]:
    """The certificate ends in ``on``'s month (the one month whose statuses change by the day);
    one stored as expired already does not."""
    first = on.replace(day=1)
    following = date(on.year + (on.month == 12), on.month % 12 + 1, 1)
    in_month = and_(Product.expiry_date >= first, Product.expiry_date < following)
    if on.month == 12:
        in_month = or_(in_month, and_(_year_only(), Product.certified_year == on.year - _YEARS))
    listed_first, listed_next = add_months(first, -CERTIFICATE_MONTHS), add_months(following, -CERTIFICATE_MONTHS)
    in_month = or_(in_month, and_(_undated(), Product.listed_on >= listed_first, Product.listed_on < listed_next))
    return and_(Product.status != ProductStatus.EXPIRED.value, in_month)


def years_ending_between(start: date, end: date) -> tuple[int, int]:
    """The certification years whose certificates (issued any day of the year) end between
    ``start`` and ``end``: a filter by year where no expiry filter is to be had."""
    return start.year - _YEARS, end.year - _YEARS


def current_date() -> date:
    """The date certificates are judged by. ``HUB_TODAY`` (YYYY-MM-DD) fixes it, for rehearsing a
    day change or testing one against a real server; unset, it is the machine's date."""
    fixed = os.environ.get("HUB_TODAY")
    return date.fromisoformat(fixed) if fixed else date.today()
