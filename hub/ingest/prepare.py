"""Raw rows → what the store must do with each: the CPU half of an ingest, without the store.

``prepare`` decides row by row, in file order: a row sent before exactly so is only ``Seen``;
the rest are normalized into ``Accepted`` records or ``Refused`` with every problem. It needs
no database, so a harvest runs it in a child process (``prepared_in_child``) while the parent
writes the previous chunks: on two cores reading and normalizing overlap with the writes.
"""
from __future__ import annotations

import gc
import gc
import multiprocessing
import pickle
import os
import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from multiprocessing.connection import Connection

from hub.ingest.apply import Accepted
from hub.ingest.canonical import CanonicalRecord, canonicalize, raw_hash
from hub.normalize.problem import Problem
from hub.records import RawRow
from hub.units import UnitResolver

BATCH_ROWS = 250  # prepared rows per message from the child: fewer, larger pickles
QUEUE_BATCHES = 8  # how far the child may run ahead of the writes (bounds its memory)
POLL_SECONDS = 1.0


@dataclass(frozen=True)
class Seen:
    """A row identical to one this source sent before and that is still stored."""

    record_id: int


@dataclass(frozen=True)
class Refused:
    """A row that cannot be taken, with every reason."""

    row_number: int
    raw: dict[str, str]
    errors: tuple[dict[str, str | None], ...]


Prepared = Seen | Accepted | Refused


def _raw(row: RawRow) -> dict[str, str]:
    return dict(row.raw) if row.raw else dict(row.values)


def prepare(rows: Iterable[RawRow], resolver: UnitResolver, province: str, province_code: str, today: date,
            known: dict[str, tuple[int, str]]) -> Iterator[Prepared]:
    """One item per row read, in order. ``known`` maps raw hashes to (source record id, record
    key) for rows stored before; a push passes none, as loading them would cost more than it saves.
    A second row naming a product already named in this snapshot is refused as a duplicate."""
    known = dict(known)
    first_row: dict[str, int] = {}
    for row in rows:
        row_hash = None if row.problems else raw_hash(row, province)
        hit = known.pop(row_hash, None) if row_hash is not None else None
        if hit is not None and hit[1] not in first_row:
            first_row[hit[1]] = row.row_number
            yield Seen(hit[0])
            continue
        result = canonicalize(row, resolver, province, province_code, today)
        if isinstance(result, CanonicalRecord) and result.product_key in first_row:
            result = [Problem(
                "DUPLICATE_RECORD", "product_name",
                f"same product as row {first_row[result.product_key]} of this batch",
                result.product_name)]
        if isinstance(result, list):
            yield Refused(row.row_number, _raw(row), tuple(p.as_dict() for p in result))
            continue
        first_row[result.product_key] = row.row_number
        yield Accepted(result, _raw(row), row_hash)


class PrepareError(Exception):
    """The child process that reads and normalizes the rows ended without finishing."""


def can_fork() -> bool:
    """A child by fork shares the parent's reference data for free; only POSIX has fork."""
    return "fork" in multiprocessing.get_all_start_methods()


def _portable(exc: BaseException) -> BaseException:
    """The exception itself when it survives pickling (the parent re-raises the same type and
    message), else a PrepareError carrying its type and message."""
    try:
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:  # noqa: BLE001 - any exception that cannot travel is described instead
        return PrepareError(f"{exc.__class__.__name__}: {exc}")


def _serve(resolver: UnitResolver, tasks: Connection, results: multiprocessing.Queue, parent: int) -> None:
    """The child's loop: one snapshot at a time, its items in batches, then "done" or "error"."""
    def send(message: tuple) -> None:
        while True:
            try:
                results.put(message, timeout=POLL_SECONDS)
                return
            except queue.Full:
                if os.getppid() != parent:  # the parent is gone (killed): nobody will read this
                    os._exit(1)

    while True:
        if not tasks.poll(POLL_SECONDS):
            if os.getppid() != parent:
                return
            continue
        task_id, rows, province, province_code, today, known = tasks.recv()
        try:
            batch: list[Prepared] = []
            for item in prepare(rows, resolver, province, province_code, today, known):
                batch.append(item)
                if len(batch) >= BATCH_ROWS:
                    send(("items", task_id, batch))
                    batch = []
            send(("items", task_id, batch))
            send(("done", task_id, None))
        except BaseException as exc:  # noqa: BLE001 - every failure must reach the parent, which decides
            send(("error", task_id, _portable(exc)))


class _Worker:
    """A forked child that prepares snapshots for the unit resolver it was forked with. It lives
    from one snapshot to the next, so its caches (text, units) stay warm across a harvest's
    sources, and it is forked once rather than per source."""

    def __init__(self, resolver: UnitResolver) -> None:
        context = multiprocessing.get_context("fork")
        self.resolver = resolver
        self.results: multiprocessing.Queue = context.Queue(maxsize=QUEUE_BATCHES)
        self.tasks, child_end = context.Pipe()
        self.process = context.Process(target=_serve, args=(resolver, child_end, self.results, os.getpid()),
                                       daemon=True, name="ocop-hub-prepare")
        gc.freeze()  # the child's collector leaves the inherited heap alone: no copy of all of it
        try:
            self.process.start()
        finally:
            gc.unfreeze()
        child_end.close()
        self.tasks_sent = 0
        self.idle = True

    def items(self, rows: Iterable[RawRow], province: str, province_code: str, today: date,
              known: dict[str, tuple[int, str]]) -> Iterator[Prepared]:
        self.tasks_sent += 1
        task_id = self.tasks_sent
        self.tasks.send((task_id, rows, province, province_code, today, known))
        self.idle = False
        while True:
            try:
                kind, done_id, payload = self.results.get(timeout=POLL_SECONDS)
            except queue.Empty:
                if not self.process.is_alive():
                    raise PrepareError(
                        f"the process reading the rows ended without a result (exit code {self.process.exitcode})"
                    ) from None
                continue
            if done_id != task_id:  # cannot happen: a task left unfinished stops the worker
                raise PrepareError(f"rows of task {done_id} arrived during task {task_id}")
            if kind == "items":
                yield from payload
                continue
            self.idle = True  # the task ended, either way: the worker waits for the next one
            if kind == "error":
                raise payload
            return

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.terminate()
        self.process.join()
        self.tasks.close()
        self.results.close()
        self.results.join_thread()


_worker: _Worker | None = None
_worker_owner = 0  # the pid that forked it: a forked copy of this module must not use it
_worker_busy = threading.Lock()


def worker_pid() -> int | None:
    """This process's prepare worker, while it runs (tests and benchmarks read its memory)."""
    worker = _worker
    if worker is None or _worker_owner != os.getpid() or not worker.process.is_alive():
        return None
    return worker.process.pid


def stop_worker() -> None:
    """Stop this process's prepare worker, if it has one; the next harvest forks a new one
    (which sees this process as it is then)."""
    global _worker
    with _worker_busy:
        if _worker is not None and _worker_owner == os.getpid():
            _worker.stop()
        _worker = None


def prepared_in_child(rows: Iterable[RawRow], resolver: UnitResolver, province: str, province_code: str,
                      today: date, known: dict[str, tuple[int, str]]) -> Iterator[Prepared]:
    """``prepare`` run in this process's prepare worker, its items streamed back in order.

    ``rows`` must be picklable (a ``RegistrySnapshot``, fetched whole here): it is sent to the worker. An exception
    there is raised here as if the items had been made in this process. The worker stops itself
    if this process dies; one that dies silently (killed, out of memory) raises ``PrepareError``.
    One snapshot at a time: a second thread ingesting meanwhile prepares in its own thread.

    A worker is forked only while this process has a single thread. A lock that another thread
    holds at the fork stays locked in the child forever (Python 3.11's ``cached_property`` has
    one, and a harvest beside a push deadlocked on it); with other threads running and no
    worker yet, the rows are prepared here.
    """
    global _worker, _worker_owner
    if not _worker_busy.acquire(blocking=False):
        yield from prepare(rows, resolver, province, province_code, today, known)
        return
    try:
        if _worker is not None and (_worker.resolver is not resolver or _worker_owner != os.getpid()
                                    or not _worker.process.is_alive()):
            if _worker_owner == os.getpid():
                _worker.stop()
            _worker = None
        if _worker is None and threading.active_count() > 1:
            yield from prepare(rows, resolver, province, province_code, today, known)
            return
        if _worker is None:
            _worker, _worker_owner = _Worker(resolver), os.getpid()
        yield from _worker.items(rows, province, province_code, today, known)
    finally:
        if _worker is not None and not _worker.idle:
            _worker.stop()  # abandoned mid-snapshot: it may still be sending that snapshot's rows
            _worker = None
        _worker_busy.release()
