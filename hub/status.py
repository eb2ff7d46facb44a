"""Certificates expire with time, not with data: move products whose 36 months have passed."""
from __future__ import annotations

import os
from datetime import date

from sqlalchemy import ColumnElement, and_, case, extract, null, or_, update
from sqlalchemy.engine import Engine

from hub.db import session_scope
from hub.models import Product, ProductStatus, utcnow


def refresh_statuses(engine: Engine, today: date | None = None) -> int:
    """Mark active products whose certificate expired before ``today`` as expired; return how many.

    Withdrawn products stay withdrawn. A certificate known only by its year expires as one issued
    on 31 December of that year would (hub.ingest.canonical.certificate_status), though no expiry
    date is stored for it. One UPDATE, so it is cheap enough to run after every harvest.
    """
    today = today or current_date()
    # A year's 31 December certificates expire on 31 December three years on: by today, those of
    # four years ago and earlier.
    last_expired_year = today.year - 4
    with session_scope(engine) as session:
        result = session.execute(
            update(Product)
            .where(Product.status == ProductStatus.ACTIVE.value,
                   or_(Product.expiry_date < today,
                       and_(Product.expiry_date.is_(None), Product.decision_date.is_(None),
                            Product.certified_year <= last_expired_year)))
            .values(status=ProductStatus.EXPIRED.value, updated_at=utcnow())
            .execution_options(synchronize_session=False)
        )
    return max(result.rowcount or 0, 0)


def current_date() -> date:
    """The date certificates are judged by. ``HUB_TODAY`` (YYYY-MM-DD) fixes it, for rehearsing a
    day change or testing one against a real server; unset, it is the machine's date."""
    fixed = os.environ.get("HUB_TODAY")
    return date.fromisoformat(fixed) if fixed else date.today()


def _year_only() -> ColumnElement[bool]:
    """A certificate known only by its year (no decision date, so no expiry date)."""
    return and_(Product.expiry_date.is_(None), Product.decision_date.is_(None), Product.certified_year.is_not(None))


def current_status_sql(on: date) -> ColumnElement[str]:
    """A product's status on ``on``: the stored status moves only when the status refresh runs,
    so an ACTIVE certificate is EXPIRED once its expiry (or, known by its year only, that of a
    31 December certificate of that year) has passed, the rule of
    hub.ingest.canonical.certificate_status. WITHDRAWN and EXPIRED stay as stored."""
    return case(
        (Product.status == ProductStatus.WITHDRAWN.value, ProductStatus.WITHDRAWN.value),
        (or_(Product.status == ProductStatus.EXPIRED.value, Product.expiry_date < on,
             and_(_year_only(), Product.certified_year <= on.year - 4)), ProductStatus.EXPIRED.value),
        else_=ProductStatus.ACTIVE.value,
    )


def expiry_month_sql() -> ColumnElement[int]:
    """YYYYMM of the date a product's certificate expires on (null: it never does; 0: stored as
    expired already), for counts that must turn ACTIVE into EXPIRED at midnight without being
    recounted."""
    return case(
        (Product.status == ProductStatus.EXPIRED.value, 0),
        (Product.expiry_date.is_not(None),
         extract("year", Product.expiry_date) * 100 + extract("month", Product.expiry_date)),
        (_year_only(), (Product.certified_year + 3) * 100 + 12),
        else_=null(),
    )


def expires_in_month_sql(on: date) -> ColumnElement[bool]:
    """The certificate expires in ``on``'s month (the one month whose statuses change by the day);
    one stored as expired already does not."""
    first = on.replace(day=1)
    following = date(on.year + (on.month == 12), on.month % 12 + 1, 1)
    in_month = and_(Product.expiry_date >= first, Product.expiry_date < following)
    if on.month == 12:
        in_month = or_(in_month, and_(_year_only(), Product.certified_year == on.year - 3))
    return and_(Product.status != ProductStatus.EXPIRED.value, in_month)


def current_status(stored: str, expiry_date: date | None, decision_date: date | None,
                   certified_year: int | None, on: date) -> str:
    """``current_status_sql`` for one product already read."""
    if stored in (ProductStatus.WITHDRAWN.value, ProductStatus.EXPIRED.value):
        return stored
    if expiry_date is not None:
        return ProductStatus.EXPIRED.value if expiry_date < on else ProductStatus.ACTIVE.value
    if decision_date is None and certified_year is not None and certified_year <= on.year - 4:
        return ProductStatus.EXPIRED.value
    return ProductStatus.ACTIVE.value
