"""Which certificate each product had on a date, as the hub knew it at a moment: the store's
side of every "as of" figure (national figures are reported at a cut-off date, and a published
figure must be answered again identically later).

A product counts on ``on`` when it had a certificate by then (hub.store.certificate_log): the
latest one that had started, with its rating, its group and province, and its status that day
(ACTIVE while in force, EXPIRED once its 36 months ended it, WITHDRAWN once a revocation ended it
or the product left its registry, as the product's status says today). ``known_at`` reads only what the hub had recorded by that moment and
not yet retracted, so later harvests, pushes and reverts do not change the answer.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import ColumnElement, Subquery, and_, case, or_, select

from hub.store.certificate_log import REVOKED, WITHDRAWN
from hub.store.models import Certificate
from hub.vocabulary import ProductStatus

_C = Certificate.__table__.c
_WITHDRAWING = (WITHDRAWN, REVOKED)  # the ends after which a product no longer counts as certified


def known_by(known_at: datetime | None, c: Any = _C) -> ColumnElement[bool]:
    """The certificate rows (of ``c``, the table's columns or an alias's) the hub held at ``known_at`` (None: now)."""
    if known_at is None:
        return c.retracted_at.is_(None)
    return and_(c.recorded_at <= known_at, or_(c.retracted_at.is_(None), c.retracted_at > known_at))


def status_on_sql(on: date) -> ColumnElement[str]:
    """A certificate row's status on ``on`` (the rule of hub.store.certificates: ``valid_to`` is its last day)."""
    return case(
        (and_(_C.ended_on <= on, _C.end_reason.in_(_WITHDRAWING)), ProductStatus.WITHDRAWN.value),
        (or_(_C.ended_on <= on, _C.valid_to < on), ProductStatus.EXPIRED.value),
        else_=ProductStatus.ACTIVE.value,
    )


def certificates_on(on: date, known_at: datetime | None = None) -> Subquery:
    """One row per product certified by ``on`` (as known at ``known_at``): ``product_id`` and, as
    they were that day, ``stars``, ``proposed_five_star``, ``group_code``, ``province_code``,
    ``legacy_province``, ``certified_year``, ``decision_number``, ``decision_date``, ``valid_to`` and
    ``status``. The product's latest certificate started by then (the highest id among equals) is
    the one with no later one: a probe of ix_certificate_product_valid per row, no sort of them all."""
    later = Certificate.__table__.alias("later")
    superseded = select(later.c.id).where(
        later.c.product_id == _C.product_id, later.c.valid_from <= on, known_by(known_at, later.c),
        or_(later.c.valid_from > _C.valid_from, and_(later.c.valid_from == _C.valid_from, later.c.id > _C.id)))
    return select(
        _C.product_id, _C.stars, _C.proposed_five_star, _C.group_code, _C.province_code, _C.legacy_province,
        _C.certified_year, _C.decision_number, _C.decision_date, _C.valid_to, status_on_sql(on).label("status"),
    ).where(_C.valid_from <= on, known_by(known_at), ~superseded.exists()).subquery("as_of")


def as_of_moment(as_of: date | None, known_at: datetime | None, today: date) -> tuple[date, datetime | None]:
    """The day and the moment a question names: ``known_at`` as an aware UTC instant (a naive one
    is UTC), and the day defaulting to ``known_at``'s (so ``knownAt`` alone asks exactly what was
    answered then), else ``today``."""
    if known_at is not None:
        known_at = known_at.replace(tzinfo=timezone.utc) if known_at.utcoffset() is None \
            else known_at.astimezone(timezone.utc)
    return as_of or (known_at.date() if known_at is not None else today), known_at


def status_of(row: Any, on: date) -> str:
    """``status_on_sql`` for one certificate row already read (the check compares the two)."""
    if row.ended_on is not None and row.ended_on <= on:
        return ProductStatus.WITHDRAWN.value if row.end_reason in _WITHDRAWING else ProductStatus.EXPIRED.value
    if row.valid_to is not None and row.valid_to < on:
        return ProductStatus.EXPIRED.value
    return ProductStatus.ACTIVE.value


def held_on(rows: Iterable[Any], on: date, known_at: datetime | None = None) -> dict[int, Any]:
    """``certificates_on`` over certificate rows already read: each product's latest certificate
    started by ``on`` (the highest id among equals), as known at ``known_at``."""
    held: dict[int, Any] = {}
    for row in rows:
        known = row.retracted_at is None if known_at is None else (
            _aware(row.recorded_at) <= known_at and (row.retracted_at is None or _aware(row.retracted_at) > known_at))
        if not known or row.valid_from > on:
            continue
        best = held.get(row.product_id)
        if best is None or (row.valid_from, row.id) > (best.valid_from, best.id):
            held[row.product_id] = row
    return held


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)
