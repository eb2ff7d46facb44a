"""Revocation lists ("Danh sách sản phẩm bị thu hồi Giấy chứng nhận OCOP"): each row ends the
matching product's certificate on the revocation decision's date.

A list is declared as one (``list: revocation`` in the sources file, ``list: REVOCATION`` on a
push) and read by the same readers, title rules and province rules as a registry
(hub.ingest.prepare, hub.ingest.canonical.place_row). A row needs the product's name and the
revocation's date: its own decision cells, else the decision the list's title names. No rating
is needed: the row names a certificate the hub already holds.

Which decision is the revocation, as a careful clerk reads it: the list's title often names the
revocation decision ("kèm theo Quyết định số 45/QĐ-UBND ngày 15/3/2025 về việc thu hồi …") while
the rows' decision column holds each product's certification. So a row's own dated decision is
its revocation only when it is after the start of the certificate it would end; on or before that
start it is that certificate's decision (or an older one's), and the title's decision, kept beside
the row (``LIST_DECISION_KEY``), is the revocation instead. A row whose own cells give no date
takes the title's too. With neither after the start, the row is rejected.

Matching, as a clerk would: the product of the same name and producer in the row's province
(the identity key); a row that names no producer, the one product of that name there. A row
that matches none or several, or none of whose dates (its own, the title's) is after the start of
the certificate it would end, is rejected with the reason. Nothing is ever guessed.

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
from hub.ingest.optional_fields import DecisionReading, read_decision
from hub.ingest.summary import ImportSummary
from hub.store.models import Product, ProductChange, Province, utcnow
from hub.vocabulary import ProductStatus
from hub.normalize.fold import search_key
from hub.normalize.identity import producer_key, product_key
from hub.normalize.problem import Problem
from hub.normalize.text import clean_name
from hub.records import LIST_DECISION_KEY, RawRow
from hub.units.resolver import UnitResolver

@dataclass(frozen=True)
class Revocation:
    """One row of a revocation list, read: which product, in which province, revoked when."""

    row_number: int
    product_key: str
    product_name: str
    producer_named: bool
    province_code: str
    revoked_on: date  # the row's own decision's date; without one, the title's
    decision: str | None  # the revocation decision's number as written
    warnings: tuple[Problem, ...] = ()
    listed_on: date | None = None  # the list's title's decision, when the row's own is another…
    listed_decision: str | None = None  # …: the revocation if the row's is the certification's

    def dates(self) -> list[tuple[date, str | None]]:
        """The revocation's candidate (date, number), the row's own first, then the title's."""
        own = [(self.revoked_on, self.decision)]
        return own + [(self.listed_on, self.listed_decision)] if self.listed_on is not None else own


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
    listed = _title_decision(row, today)
    if decision.date is None and listed is not None:
        decision, listed = listed, None  # the row's own cells give no day: the title's is the revocation
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
                      warnings=tuple(warnings), listed_on=listed.date if listed else None,
                      listed_decision=listed.number if listed else None)


def _title_decision(row: RawRow, today: date) -> DecisionReading | None:
    """The dated decision the list's title names, kept beside a row whose own cells name another
    (hub.registries.headers), or None. Its reading's warnings are the title's, not the row's."""
    title = row.raw.get(LIST_DECISION_KEY) if row.raw else None
    if not title:
        return None
    reading = read_decision({"decision_number": title}, today, [])
    return reading if reading.date is not None else None


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


def _ending(r: Revocation, candidates: list[Product], province: str) -> tuple[date, str | None] | Problem:
    """The (date, decision number) on which the row ends the certificate of the one product of
    ``candidates``: the first of ``r.dates()`` after that certificate's start (module docstring);
    else why it cannot."""
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
        return r.dates()[0]  # its start is unknown: the row's own decision ends it
    starts = valid_from(product.decision_date, product.certified_year, product.created_at.date())
    for on, number in r.dates():
        if on > starts:
            return on, number
    dates = (f"neither the row's decision date {r.revoked_on.isoformat()} nor the title's "
             f"{r.listed_on.isoformat()} is" if r.listed_on else f"the revocation's date {r.revoked_on.isoformat()} is not")
    return Problem("REVOCATION_BEFORE_CERTIFICATE", "decision_date",
                   f"{dates} after the start of the product's certificate ({starts.isoformat()}): it is that "
                   "certificate's own decision or an earlier certificate's revocation, and ends none in force",
                   r.revoked_on.isoformat())


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
        ending = _ending(r, found[index], f"{names.get(r.province_code)} ({r.province_code})")
        if isinstance(ending, Problem):
            record_rejection(session, target, r.row_number, item.raw, (ending.as_dict(),), summary)
            continue
        product = found[index][0]
        if (product.revoked_on, product.revocation_decision) == ending:
            summary.unchanged += 1
            continue
        before = product_state(product)
        if product.status != ProductStatus.WITHDRAWN.value:
            product.status, product.withdrawn_at = ProductStatus.WITHDRAWN.value, now
            summary.withdrawn += 1
        else:
            summary.updated += 1  # gone from its registry already, or revoked on another date: now revoked so
        (product.revoked_on, product.revocation_decision), product.updated_at = ending, now
        log.append(dict(batch_id=target.batch_id, product_id=product.id, action="revoked", before=before,
                        after=product_state(product), at=now))
    if log:
        session.flush()
        sync_certificates(session, [entry["product_id"] for entry in log], target.batch_id, now)
        session.execute(insert(ProductChange.__table__), log)
