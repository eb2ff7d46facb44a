"""The best value from every source: a field the owner could not read is taken from another source.

A product shows its owner's values (precedence, hub.ingest.apply). When the owner's row left a
field empty (unreadable, with a warning, or no such column) and another source listing the
product now states it, the product takes that source's value, by this precedence: a province's
push before a harvest, then the source that listed the product first. A decision's date is taken
only from a source that names the same decision number, or when the owner names none: the date of
one decision is never joined to the number of another. ``product.field_sources`` says which
source gave each such field (shown in ``provenance { gives }``); disagreements stay conflicts
(hub.ingest.conflicts). Recomputed from the sources' own facts after every batch that touches the
product, so a withdrawal, a revert or a source's removal takes the value back.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any, Iterable

from sqlalchemy import func, select
from sqlmodel import Session

from hub.store.certificates import certificate_expiry
from hub.store.models import Product, Source, SourceRecord
from hub.vocabulary import SourceKind
from hub.normalize.fold import search_key

FILLED = {"decision_number": "decision_number", "decision_date": "decision_date", "group": "group_code",
          "commune": "commune_code"}
"""Facts (``source_record.facts``) a product may take from another source → its columns."""


def refresh_survivorship(session: Session, product_ids: Iterable[int]) -> list[int]:
    """Recompute the fields these products take from other sources; returns the products changed."""
    ids = sorted(set(product_ids))
    if not ids:
        return []
    # Only a product two sources list, or one that took a value from a source, can change.
    shared = select(SourceRecord.product_id).where(SourceRecord.product_id.in_(ids), SourceRecord.present.is_(True)) \
        .group_by(SourceRecord.product_id).having(func.count(SourceRecord.id) > 1)
    filled = select(Product.id).where(Product.id.in_(ids), Product.field_sources.is_not(None))
    ids = sorted(set(session.execute(shared).scalars()) | set(session.execute(filled).scalars()))
    if not ids:
        return []
    listings: dict[int, list[tuple[bool, int, int, str, dict[str, Any]]]] = defaultdict(list)
    for product_id, record_id, source_id, name, kind, facts in session.execute(
        select(SourceRecord.product_id, SourceRecord.id, SourceRecord.source_id, Source.name, Source.kind,
               SourceRecord.facts)
        .join(Source, Source.id == SourceRecord.source_id)
        .where(SourceRecord.product_id.in_(ids), SourceRecord.present.is_(True))
    ):
        listings[product_id].append((kind != SourceKind.PUSH.value, record_id, source_id, name, facts or {}))
    changed = []
    for product in session.execute(select(Product).where(Product.id.in_(ids))).scalars():
        rows = sorted(listings.get(product.id, ()))
        owner = next((facts for _, _, source_id, _, facts in rows if source_id == product.source_id), None)
        if owner is None:
            continue  # the owner lists it no more (withdrawn): its values stay as they were
        others = [(name, facts) for _, _, source_id, name, facts in rows if source_id != product.source_id]
        if _apply(product, owner, others):
            changed.append(product.id)
    return changed


def _apply(product: Product, owner: dict[str, Any], others: list[tuple[str, dict[str, Any]]]) -> bool:
    """Set the product's filled fields from ``others`` (in precedence order); True when it changed."""
    given: dict[str, str] = {}
    values: dict[str, Any] = {}
    for fact, column in FILLED.items():
        value = owner.get(fact)
        if value is None:
            for name, facts in others:
                if facts.get(fact) is not None and _same_decision(fact, owner, facts):
                    value, given[column] = facts[fact], name
                    break
        values[column] = date.fromisoformat(value) if column == "decision_date" and value else value
    before = {c: getattr(product, c) for c in (*FILLED.values(), "certified_year", "expiry_date", "field_sources")}
    owner_year = product.certified_year if "decision_date" not in (product.field_sources or {}) else None
    for column, value in values.items():
        setattr(product, column, value)
    if "decision_date" in given:
        product.certified_year = owner_year or values["decision_date"].year
        product.expiry_date = certificate_expiry(values["decision_date"])
    elif "decision_date" in (product.field_sources or {}):  # the source that gave it lists it no more
        product.certified_year, product.expiry_date = None, None
    product.field_sources = given or None
    return before != {c: getattr(product, c) for c in before}


def _same_decision(fact: str, owner: dict[str, Any], other: dict[str, Any]) -> bool:
    if fact != "decision_date" or owner.get("decision_number") is None:
        return True
    return search_key(str(other.get("decision_number") or "")) == search_key(str(owner["decision_number"]))
