"""Certificates over time: the rows every writer keeps in step with the products it changed.

A product shows its certificate now; ``certificate`` keeps every certificate it had, and when the
hub knew of each (hub.store.models.Certificate). ``sync_certificates`` compares each product it is given
with its latest known certificate, after the writer changed the product, and records what the
change means:
- a later decision (a re-rating or a renewal) supersedes the certificate from its own date: the
  earlier one still holds for the dates before it;
- the same decision read differently (a corrected rating, a date now readable) replaces it for
  every date: the earlier reading was wrong;
- a product leaving its registry ends its certificate on the day the hub learned it, and one
  listed again has it back: its earlier certificates are not erased;
- a revocation (hub/ingest/revocation.py) ends it on the revocation decision's date.
Rows are only ever retracted (``retracted_at``) and added, so ``revert_certificates`` can give back
exactly what a batch replaced.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from typing import Any, Iterable

from sqlalchemy import insert, select, update
from sqlmodel import Session

from hub.store.bulk import insert_rows
from hub.store.certificates import last_day_in_force
from hub.store.models import Certificate, Product
from hub.vocabulary import ProductStatus

_TABLE = Certificate.__table__
_FACTS = ("stars", "proposed_five_star", "decision_number", "decision_date", "certified_year", "valid_from",
          "province_code", "group_code", "legacy_province")
SUPERSEDED, REVOKED, WITHDRAWN = "superseded", "revoked", "withdrawn"


def valid_from(decision_date: date | None, certified_year: int | None, first_listed: date) -> date:
    """When a certificate starts: its decision date; known by its year only, 1 January of that
    year; with neither, the day the hub first listed the product (it was certified by then at
    the latest; no earlier date is invented)."""
    if decision_date is not None:
        return decision_date
    if certified_year is not None:
        return date(certified_year, 1, 1)
    return first_listed


def version_of(product: Any) -> dict[str, Any]:
    """The certificate a product (a row or an object with the product's columns) shows now."""
    return dict(
        product_id=product.id, stars=product.stars, proposed_five_star=bool(product.proposed_five_star),
        decision_number=product.decision_number, decision_date=product.decision_date,
        certified_year=product.certified_year,
        valid_from=valid_from(product.decision_date, product.certified_year, _listed_on(product)),
        valid_to=last_day_in_force(product.decision_date, product.certified_year, _listed_on(product)),
        province_code=product.province_code, group_code=product.group_code,
        legacy_province=product.legacy_province, source_id=product.source_id,
        **_end_of(product),
    )


def _end_of(product: Any) -> dict[str, Any]:
    """How the product's certificate ended early, as far as the product tells: revoked on the
    revocation's date, or withdrawn on the day the hub learned it left its registry."""
    revoked_on = getattr(product, "revoked_on", None)  # absent from stores before migration 0008
    if revoked_on is not None:
        return dict(ended_on=revoked_on, end_reason=REVOKED)
    if product.status == ProductStatus.WITHDRAWN.value:
        return dict(ended_on=_day(product.withdrawn_at), end_reason=WITHDRAWN)
    return dict(ended_on=None, end_reason=None)


def kept_revocation(product: Any, values: dict[str, Any]) -> dict[str, Any]:
    """``values`` (a source's reading of a product) as they apply to ``product``: a revoked
    certificate stays revoked (the product withdrawn, its revocation kept) unless the reading
    names a later certificate, one that starts after the revocation (a new decision)."""
    if product.revoked_on is None:
        return values
    starts = valid_from(values.get("decision_date"), values.get("certified_year"), product.revoked_on)
    if starts > product.revoked_on:
        return values | {"revoked_on": None, "revocation_decision": None}
    return values | {"status": ProductStatus.WITHDRAWN.value, "withdrawn_at": product.withdrawn_at,
                     "revoked_on": product.revoked_on, "revocation_decision": product.revocation_decision}


def _listed_on(product: Any) -> date:
    """The day the hub first listed the product (stores before migration 0010: its creation's)."""
    return getattr(product, "listed_on", None) or _day(product.created_at)


def _day(moment: datetime | date | None) -> date | None:
    return moment.date() if isinstance(moment, datetime) else moment


def _copy(row: Any) -> dict[str, Any]:
    return {c.name: getattr(row, c.name) for c in _TABLE.columns
            if c.name not in ("id", "recorded_batch_id", "recorded_at", "retracted_batch_id", "retracted_at")}


def sync_certificates(session: Session, product_ids: Iterable[int], batch_id: int | None, now: datetime,
                      created: Iterable[Any] = ()) -> None:
    """Record what the products' changes in this batch mean for their certificates (module
    docstring). ``created``: products this batch created (objects or rows with the product's
    columns, ``id`` included): they have no certificate yet, so none is read for them."""
    added: list[dict[str, Any]] = [version_of(product) for product in created]
    ids = sorted(set(product_ids))
    latest: dict[int, Any] = {}
    for row in session.execute(select(_TABLE).where(_TABLE.c.product_id.in_(ids), _TABLE.c.retracted_at.is_(None))
                               .order_by(_TABLE.c.product_id, _TABLE.c.valid_from, _TABLE.c.id)) if ids else ():
        latest[row.product_id] = row  # the last in valid time
    retract: list[int] = []
    for product in session.execute(select(Product).where(Product.id.in_(ids))).scalars() if ids else ():
        want = version_of(product)
        known = latest.get(product.id)
        if known is None:
            added.append(want)
        elif all(getattr(known, f) == want[f] for f in _FACTS):
            if known.end_reason != SUPERSEDED and (known.ended_on, known.end_reason) != (want["ended_on"],
                                                                                        want["end_reason"]):
                retract.append(known.id)  # listed again, or gone from its registry now
                added.append(_copy(known) | {"ended_on": want["ended_on"], "end_reason": want["end_reason"]})
        elif want["valid_from"] > known.valid_from:
            retract.append(known.id)  # a later decision: the earlier certificate holds until it
            ended = known.ended_on if known.ended_on and known.ended_on < want["valid_from"] else want["valid_from"]
            added.append(_copy(known) | {"ended_on": ended,
                                         "end_reason": known.end_reason if ended == known.ended_on else SUPERSEDED})
            added.append(want)
        else:
            retract.append(known.id)  # the same certificate read again differently: the new reading stands
            added.append(want)
    if retract:
        session.execute(update(_TABLE).where(_TABLE.c.id.in_(retract))
                        .values(retracted_at=now, retracted_batch_id=batch_id))
    if added:
        insert_rows(session, _TABLE, [row | {"recorded_at": now, "recorded_batch_id": batch_id} for row in added])


def revert_certificates(session: Session, batch_id: int, revert_batch_id: int, now: datetime) -> None:
    """What the batch recorded is retracted, and what it retracted is known again (recorded anew)."""
    replaced = session.execute(select(_TABLE).where(_TABLE.c.retracted_batch_id == batch_id)).all()
    session.execute(update(_TABLE).where(_TABLE.c.recorded_batch_id == batch_id, _TABLE.c.retracted_at.is_(None))
                    .values(retracted_at=now, retracted_batch_id=revert_batch_id))
    if replaced:
        session.execute(insert(_TABLE), [_copy(row) | {"recorded_at": now, "recorded_batch_id": revert_batch_id}
                                         for row in replaced])


def certificates_of(session: Session, product_ids: list[int], known_at: datetime | None = None) -> dict[int, list[Any]]:
    """Each product's certificates as known now (or at ``known_at``), in valid time."""
    known = _TABLE.c.retracted_at.is_(None) if known_at is None else (
        (_TABLE.c.recorded_at <= known_at) & (_TABLE.c.retracted_at.is_(None) | (_TABLE.c.retracted_at > known_at)))
    rows: dict[int, list[Any]] = defaultdict(list)
    for row in session.execute(select(_TABLE).where(_TABLE.c.product_id.in_(product_ids), known)
                               .order_by(_TABLE.c.product_id, _TABLE.c.valid_from, _TABLE.c.id)):
        rows[row.product_id].append(row)
    return rows
