"""Harvest many sources on both cores: while one registry is written, the next is read and its
rows normalized in a second process (issue 27 item 6). The store still sees one writer.

Reading and ``canonicalize`` are pure of the store (``hub.ingest.prepare`` decides a row's fate
from what the store holds; the normalized record depends only on the row, the unit reference
data, the source's province and the day), so the second process hands over each row with its
record already made, and the one ingest path (``ingest_rows``) takes them as its own. A registry
the second process could not read is read again in this process, so its failure is recorded as a
serial harvest records it.
"""
from __future__ import annotations

import logging
import multiprocessing
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Callable, Iterator, Sequence

from sqlalchemy.engine import Engine

from hub.ingest import ImportSummary
from hub.ingest.prepare import Reader
from hub.ingest.canonical import CanonicalRecord, Places, canonicalize
from hub.normalize.problem import Problem
from hub.records import PRODUCTS, RawRow
from hub.registries.fetch import FetchError
from hub.registries.reading import TableReading
from hub.registries.sources_file import SourceSpec
from hub.registries.read import RegistrySnapshot
from hub.sources.harvest import harvest_source
from hub.units.resolver import UnitResolver

log = logging.getLogger(__name__)

Normalized = CanonicalRecord | list[Problem]


@dataclass
class ReadRegistry:
    """One registry as the second process read it: its fingerprint, its rows each with its
    normalized record, and what the reader understood of the table; ``rows`` None when the
    source's last batch applied this very registry (the ingest reads no row of it then)."""

    fingerprint: str
    rows: list[tuple[RawRow, Normalized]] | None
    reading: TableReading | None


_resolver: UnitResolver | None = None  # the store's resolver, inherited by the forked second process
_store: Engine | None = None  # the second process's own engine on the store, to read only


def _start(engine: Engine) -> None:
    """In the forked process: forget the parent's pooled connections without closing them
    (SQLAlchemy's advice for a fork: closing would end the parent's sessions), and open its own."""
    global _store
    from hub.store.engine import make_engine

    engine.dispose(close=False)
    _store = make_engine(engine.url.render_as_string(hide_password=False))


def read_and_normalize(spec: SourceSpec, today: date) -> ReadRegistry:
    """In the second process: fetch and read the registry, and normalize every row as
    ``prepare`` would (one ``Places`` per registry, the harvest's refusal code)."""
    from hub.ingest.run import applied_last

    assert _resolver is not None and _store is not None, "the read-ahead process was not started by harvest_sources"
    snapshot = RegistrySnapshot(spec)
    fingerprint = snapshot.fingerprint()
    if applied_last(_store, spec.name, spec.province, fingerprint, today):
        return ReadRegistry(fingerprint, None, None)
    province_code = _resolver.resolve_province_code(spec.province) if spec.province else None
    read = partial(canonicalize, places=Places())
    rows = [(row, read(row, _resolver, spec.province, province_code, today)) for row in snapshot]
    return ReadRegistry(fingerprint, rows, snapshot.reading)


class HandedOver:
    """A registry as the second process handed it over, in ``RegistrySnapshot``'s shape: its
    fetch error raised by the fingerprint, where the serial harvest raises it; its rows as read
    there; or, for a list that was unchanged when the reader asked but that the ingest must read
    after all (a batch came in between), the registry fetched again here."""

    def __init__(self, spec: SourceSpec, read: ReadRegistry | FetchError) -> None:
        self.spec, self.read = spec, read
        self._fresh: RegistrySnapshot | None = None

    @property
    def reading(self) -> TableReading | None:
        if self._fresh is not None:
            return self._fresh.reading
        return self.read.reading if isinstance(self.read, ReadRegistry) else None

    def fingerprint(self) -> str:
        if isinstance(self.read, FetchError):
            raise self.read
        return self.read.fingerprint

    def __iter__(self) -> Iterator[RawRow]:
        assert isinstance(self.read, ReadRegistry), "a registry whose fetch failed has no rows"
        if self.read.rows is not None:
            return (row for row, _ in self.read.rows)
        self._fresh = RegistrySnapshot(self.spec)
        return iter(self._fresh)


def _made_ahead(read: ReadRegistry | FetchError) -> Reader | None:
    """``ingest_rows``' reader of a list normalized ahead: each row's record as the second process
    made it (None, ``canonicalize`` itself, when it handed over no rows)."""
    if isinstance(read, FetchError) or read.rows is None:
        return None
    made = {id(row): normalized for row, normalized in read.rows}

    def normalized(row: RawRow, resolver: UnitResolver, province: str, province_code: str | None,
                   day: date, other_province: str) -> Normalized:
        record = made.pop(id(row), None)
        return record if record is not None else canonicalize(row, resolver, province, province_code, day,
                                                              other_province)

    return normalized


def harvest_sources(engine: Engine, specs: Sequence[SourceSpec], *,
                    on_row: Callable[[SourceSpec], Callable[[], None] | None] = lambda spec: None,
                    dry_run: bool = False, today: date | None = None) -> Iterator[tuple[SourceSpec, ImportSummary]]:
    """Harvest ``specs`` in order, one transaction each as ``harvest_source``, reading and
    normalizing the next product list in a second process meanwhile. ``on_row(spec)`` gives the
    per-row callback of a source (progress). One source, or lists of revocations, are harvested
    here alone: there is nothing to overlap."""
    today = today or date.today()
    ahead = [spec for spec in specs if spec.list == PRODUCTS]
    if len(ahead) < 2:
        for spec in specs:
            yield spec, harvest_source(engine, spec, on_row=on_row(spec), dry_run=dry_run, today=today)
        return
    global _resolver
    from hub.ingest.run import resolver_for

    _resolver = resolver_for(engine)
    # Forked, so it starts at once with the modules and the resolver already built (spawned, it
    # took about 1.5 s to import and build them: a 10,000-row harvest's worth of overlap). It
    # runs only the readers and the normalizer: no connection, lock or thread of this process.
    context = multiprocessing.get_context("fork")
    try:
        with ProcessPoolExecutor(max_workers=1, mp_context=context, initializer=_start, initargs=(engine,)) as pool:
            pending: dict[str, Future[ReadRegistry]] = {}

            def order(index: int) -> None:
                """Have the next product list after ``index`` read, unless it is already (one ahead at most)."""
                following = next((spec for spec in specs[index:] if spec.list == PRODUCTS), None)
                if following is None or following.name in pending:
                    return
                try:
                    pending[following.name] = pool.submit(read_and_normalize, following, today)
                except RuntimeError as exc:  # the reader died (BrokenProcessPool): the rest are read here
                    log.info("reading ahead stopped (%s: %s)", type(exc).__name__, exc)

            order(0)
            for index, spec in enumerate(specs):
                future = pending.pop(spec.name, None)
                order(index + 1)  # the next list is read while this one is written
                read = _result(future, spec) if future is not None else None
                handed = HandedOver(spec, read) if read is not None else None
                yield spec, harvest_source(engine, spec, on_row=on_row(spec), dry_run=dry_run, today=today,
                                           snapshot=handed, read=_made_ahead(read) if read is not None else None)
    finally:
        _resolver = None  # the engine's own cache keeps it as long as the engine lives (hub.ingest.run)


def _result(future: Future[ReadRegistry], spec: SourceSpec) -> ReadRegistry | FetchError | None:
    """The second process's reading, its fetch error (not fetched again: a remote registry's
    retries are long), or None when anything else failed: the source is then read again here,
    where a reading error is recorded as the serial harvest records it."""
    try:
        return future.result()
    except FetchError as exc:
        return exc
    except Exception as exc:  # noqa: BLE001 - any other failure falls back to the serial path
        log.info("source %s: read again in the harvesting process (%s: %s)", spec.name, type(exc).__name__, exc)
        return None
