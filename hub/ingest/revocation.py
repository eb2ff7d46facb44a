"""Revocation lists ("Danh sách sản phẩm bị thu hồi Giấy chứng nhận OCOP"): each row ends the
matching product's certificate on the revocation decision's date.

A list is declared as one (``list: revocation`` in the sources file, ``list: REVOCATION`` on a
push) and read by the same readers, title rules and province rules as a registry
(hub.ingest.prepare, hub.ingest.canonical.place_row). A row needs the product's name and the
revocation's date: its own decision cells, else the decision the list's title names. No rating
is needed: the row names a certificate the hub already holds.

Matching, as a clerk would: the product of the same name and producer in the row's province
(the identity key); a row that names no producer, the one product of that name there. A row
that matches none or several, or whose date is not after the start of the certificate it would
end (that date is the certificate's own decision, or an older certificate's revocation), is
rejected with the reason. Nothing is ever guessed.

A revoked product is WITHDRAWN from the revocation's date (its certificate ends REVOKED in
``Product.certificates``) and stays so while its registry still lists it, until a later
decision certifies it again (certificate_log.kept_revocation). A revocation list withdraws only
what it lists: it is not a registry's whole snapshot. Reverting its batch gives the products back.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import insert, select
from sqlmodel import Session

from hub.store.snapshots import product_state
from hub.ingest.apply import Accepted, ApplyTarget, record_rejection
from hub.ingest.canonical import place_row, too_long
from hub.store.certificate_log import sync_certificates, valid_from
from hub.ingest.optional_fields import read_decision
from hub.ingest.summary import ImportSummary
from hub.store.models import Product, ProductChange, Province, utcnow
from hub.vocabulary import ProductStatus
from hub.normalize.fold import search_key
from hub.normalize.identity import producer_key, product_key
from hub.normalize.problem import Problem
from hub.normalize.text import clean_name
from hub.records import RawRow
from hub.units.resolver import UnitResolver

@dataclass(frozen=True)
class Revocation:
    """One row of a revocation list, read: which product, in which province, revoked when."""

    row_number: int
    product_key: str
    product_name: str
    producer_named: bool
    province_code: str
    revoked_on: date
    decision: str | None  # the revocation decision's number as written
    warnings: tuple[Problem, ...] = ()


def read_revocation(row: RawRow, resolver: UnitResolver, source_province: str, source_province_code: str | None,
                    today: date, other_province: str = "WRONG_PROVINCE") -> Revocation | list[Problem]:
    """The row's revocation, or every problem that rejects it (module docstring)."""
    values = row.values
    problems = list(row.problems) + too_long(values)
    warnings: list[Problem] = []
    product_name = clean_name(values.get("product_name"))
    if not product_name:
        problems.append(Problem("MISSING_FIELD", "product_name", "required field 'product_name' is empty"))
    producer_name = clean_name(values.get("producer_name"))
    decision = read_decision(values, today, warnings)
    if decision.date is None:
        written = values.get("decision_date") or values.get("decision_number") or values.get("year")
        problems.append(Problem(
            "REVOCATION_WITHOUT_DATE", "decision_date",
            "the row names no revocation date (day, month and year), in its cells or in the list's title: "
            "a certificate is ended only on a known day", written or None))
    unit = place_row(row, resolver, source_province, source_province_code, other_province, warnings)
    if isinstance(unit, Problem):
        problems.append(unit)
    if problems or isinstance(unit, Problem) or decision.date is None:
        return problems
    owner = producer_key(producer_name, unit.province_code)
    return Revocation(row_number=row.row_number, product_key=product_key(product_name, owner),
                      product_name=product_name, producer_named=bool(producer_name),
                      province_code=unit.province_code, revoked_on=decision.date, decision=decision.number,
                      warnings=tuple(warnings))


def _matches(session: Session, revocations: list[Revocation]) -> dict[int, list[Product]]:
    """Each row's candidate products (by its index): its identity key's product, else, for a row
    naming no producer, the products of its name in its province."""
    by_key = {p.identity_key: p for p in session.execute(
        select(Product).where(Product.identity_key.in_({r.product_key for r in revocations}))).scalars()}
    by_name: dict[tuple[str, str], list[Product]] = defaultdict(list)
    unmatched = [r for r in revocations if r.product_key not in by_key]
    if unmatched:
        for product in session.execute(select(Product).where(
                Product.search_key.in_({search_key(r.product_name) for r in unmatched}),
                Product.province_code.in_({r.province_code for r in unmatched}))).scalars():
            by_name[(product.province_code, product.search_key)].append(product)
    found: dict[int, list[Product]] = {}
    for index, r in enumerate(revocations):
        if r.product_key in by_key:
            found[index] = [by_key[r.product_key]]
        else:
            found[index] = by_name.get((r.province_code, search_key(r.product_name)), [])
    return found


def _refusal(r: Revocation, candidates: list[Product], province: str) -> Problem | None:
    """Why the row cannot end a certificate of ``candidates``, or None: it ends the one's."""
    if not candidates or (r.producer_named and candidates[0].identity_key != r.product_key):
        others = f" ({len(candidates)} of that name there, of other producers)" if candidates else ""
        return Problem("REVOCATION_NO_MATCH", "product_name",
                       f"no product {r.product_name!r} of this producer in {province}{others}: nothing to revoke",
                       r.product_name)
    if len(candidates) > 1:
        return Problem("REVOCATION_AMBIGUOUS", "producer_name",
                       f"{len(candidates)} products named {r.product_name!r} in {province}: "
                       "name the producer so the row matches one", r.product_name)
    product = candidates[0]
    if product.decision_date is None and product.certified_year is None:
        return None  # its start is unknown: any revocation ends it
    starts = valid_from(product.decision_date, product.certified_year, product.created_at.date())
    if r.revoked_on <= starts:
        return Problem("REVOCATION_BEFORE_CERTIFICATE", "decision_date",
                       f"the revocation's date {r.revoked_on.isoformat()} is not after the start of the "
                       f"product's certificate ({starts.isoformat()}): it is that certificate's own decision "
                       "or an earlier certificate's revocation, and ends none in force", r.revoked_on.isoformat())
    return None


def apply_revocations(session: Session, target: ApplyTarget, accepted: list[Accepted], summary: ImportSummary) -> None:
    """End the certificates of the products the rows match (``accepted``: items whose ``record``
    is a Revocation); a row that matches none is rejected with the reason, as a row read wrong is."""
    if not accepted:
        return
    rows: list[Revocation] = [a.record for a in accepted]  # type: ignore[misc]
    found = _matches(session, rows)
    names = dict(session.execute(select(Province.code, Province.name)
                                 .where(Province.code.in_({r.province_code for r in rows}))).all())
    now = utcnow()
    log: list[dict[str, Any]] = []
    for index, (item, r) in enumerate(zip(accepted, rows)):
        problem = _refusal(r, found[index], f"{names.get(r.province_code)} ({r.province_code})")
        if problem is not None:
            record_rejection(session, target, r.row_number, item.raw, (problem.as_dict(),), summary)
            continue
        product = found[index][0]
        if (product.revoked_on, product.revocation_decision) == (r.revoked_on, r.decision):
            summary.unchanged += 1
            continue
        before = product_state(product)
        if product.status != ProductStatus.WITHDRAWN.value:
            product.status, product.withdrawn_at = ProductStatus.WITHDRAWN.value, now
            summary.withdrawn += 1
        else:
            summary.updated += 1  # gone from its registry already, or revoked on another date: now revoked so
        product.revoked_on, product.revocation_decision, product.updated_at = r.revoked_on, r.decision, now
        log.append(dict(batch_id=target.batch_id, product_id=product.id, action="revoked", before=before,
                        after=product_state(product), at=now))
    if log:
        session.flush()
        sync_certificates(session, [entry["product_id"] for entry in log], target.batch_id, now)
        session.execute(insert(ProductChange.__table__), log)
