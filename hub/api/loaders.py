"""DataLoaders: every nested field of a page is fetched in one statement per kind, by id."""
from __future__ import annotations

from collections import defaultdict
from typing import Any, Callable, Hashable, Iterable, Sequence, TypeVar

from sqlalchemy import func, select, tuple_
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from strawberry.dataloader import DataLoader

from hub.api.db import run_db
from hub.api.filters import product_conditions
from hub.api.nodes import product_nodes, products_with_parents
from hub.audit.history import product_history
from hub.access.keys import Principal
from hub.api.certificate_type import Certificate as CertificateType
from hub.store.certificate_log import certificates_of
from hub.store.models import Commune, LegacyUnit, Producer, Product, Province, Source, SourceRecord

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


def _loader(engine: Engine, fetch: Callable[[Session, list[K]], Iterable[tuple[K, V]]],
            default: Callable[[], V] | None = None, many: bool = False) -> DataLoader[K, Any]:
    """A DataLoader whose batch is one ``fetch`` (one SQL statement) in a worker thread."""

    def batch(session: Session, keys: list[K]) -> list[Any]:
        pairs = list(fetch(session, keys))
        if many:
            grouped: dict[K, list[V]] = defaultdict(list)
            for key, value in pairs:
                grouped[key].append(value)
            return [grouped.get(k, []) for k in keys]
        found = dict(pairs)
        return [found.get(k, default() if default else None) for k in keys]

    async def load(keys: list[K]) -> Sequence[Any]:
        return await run_db(engine, lambda session: batch(session, list(keys)))

    return DataLoader(load_fn=load)


def _producers(session: Session, ids: list[int]) -> Iterable[tuple[int, Producer]]:
    return ((p.id, p) for p in session.scalars(select(Producer).where(Producer.id.in_(ids))))


def _provinces(session: Session, codes: list[str]) -> Iterable[tuple[str, Province]]:
    return ((p.code, p) for p in session.scalars(select(Province).where(Province.code.in_(codes))))


def _communes(session: Session, codes: list[str]) -> Iterable[tuple[str, Commune]]:
    return ((c.code, c) for c in session.scalars(select(Commune).where(Commune.code.in_(codes))))


def _by_size(keys: list[tuple[int, int]]) -> dict[int, list[int]]:
    """(id, page size) keys grouped by size: one statement per size (a request asks one or two)."""
    grouped: dict[int, list[int]] = defaultdict(list)
    for key_id, size in keys:
        grouped[size].append(key_id)
    return grouped


def _products_of_producers(session: Session, keys: list[tuple[int, int]],
                           viewer: Principal | None) -> Iterable[tuple[tuple[int, int], Any]]:
    """The first ``size`` products (by name) of each producer: a window, so the cap holds in SQL."""
    for size, ids in _by_size(keys).items():
        rank = func.row_number().over(partition_by=Product.producer_id,
                                      order_by=(Product.name, Product.id)).label("rank")
        first = select(Product.id, rank).where(Product.producer_id.in_(ids), *product_conditions(None)).subquery()
        stmt = (products_with_parents().join(first, first.c.id == Product.id).where(first.c.rank <= size)
                .order_by(Product.name, Product.id))
        rows = session.execute(stmt).all()
        yield from (((row[0].producer_id, size), node) for row, node in zip(rows, product_nodes(session, rows, viewer)))


def _legacy_names(session: Session, codes: list[str]) -> Iterable[tuple[str, str]]:
    stmt = (select(LegacyUnit.current_province_code, LegacyUnit.name)
            .where(LegacyUnit.level == "province", LegacyUnit.current_province_code.in_(codes))
            .distinct().order_by(LegacyUnit.current_province_code, LegacyUnit.name))
    return ((code, name) for code, name in session.execute(stmt))


def _product_counts(session: Session, codes: list[str]) -> Iterable[tuple[str, int]]:
    stmt = (select(Product.province_code, func.count(Product.id))
            .where(Product.province_code.in_(codes), *product_conditions(None))
            .group_by(Product.province_code))
    return ((code, count) for code, count in session.execute(stmt))


def _history(session: Session, keys: list[tuple[int, int]]) -> Iterable[tuple[tuple[int, int], Any]]:
    """The ``last`` latest audit entries of many products in one go (hub.audit.history.product_history)."""
    for last, ids in _by_size(keys).items():
        found = product_history(session, ids, last=last)
        yield from (((pid, last), entry) for pid in ids for entry in found.get(pid, []))


def _warnings(session: Session, keys: list[tuple[int, int]]) -> Iterable[tuple[tuple[int, int], list[Any]]]:
    """Warnings of the present record of each (product, source): what of the row could not be read."""
    stmt = (select(SourceRecord.product_id, SourceRecord.source_id, SourceRecord.warnings)
            .where(tuple_(SourceRecord.product_id, SourceRecord.source_id).in_(keys),
                   SourceRecord.present.is_(True), SourceRecord.warnings.is_not(None)))
    return (((pid, sid), list(warnings or [])) for pid, sid, warnings in session.execute(stmt))


def _certificates(session: Session, ids: list[int]) -> Iterable[tuple[int, Any]]:
    """Certificates of many products, as known now, in valid time, each with its source's name."""
    names = dict(session.execute(select(Source.id, Source.name)).all())
    return ((pid, CertificateType.from_row(row, names.get(row.source_id, "")))
            for pid, rows in certificates_of(session, ids).items() for row in rows)


class Loaders:
    """Fresh per request, so nothing cached outlives the request that read it."""

    def __init__(self, engine: Engine, viewer: Principal | None = None) -> None:
        self.producer = _loader(engine, _producers)
        self.province = _loader(engine, _provinces)
        self.commune = _loader(engine, _communes)
        self.products_of_producer = _loader(
            engine, lambda session, ids: _products_of_producers(session, ids, viewer), many=True)
        self.legacy_names = _loader(engine, _legacy_names, many=True)
        self.product_count = _loader(engine, _product_counts, default=lambda: 0)
        self.history = _loader(engine, _history, many=True)
        self.warnings = _loader(engine, _warnings, default=list)
        self.certificates = _loader(engine, _certificates, many=True)
