"""Harvest one registry: read its rows and hand them to the one ingest path.

``ocop-hub harvest`` calls ``harvest_source``. The Dagster assets (pipelines/) first save the rows
read as a JSONL snapshot, then ingest that (``pipelines.resources.HubStore.ingest``), adding
partitions, checks and schedules; both go through ``ingest_rows``.
"""
from __future__ import annotations

from datetime import date
from typing import Callable, Iterable, Iterator, Protocol

from sqlalchemy.engine import Engine

from hub.ingest import ImportSummary, ingest_rows
from hub.ingest.prepare import Reader
from hub.records import RawRow
from hub.registries.read import RegistrySnapshot
from hub.registries.reading import TableReading
from hub.registries.sources_file import SourceSpec


class Snapshot(Protocol):
    """What the harvest needs of a registry (``RegistrySnapshot``'s shape): its fingerprint,
    fetched inside the batch's transaction, its rows, and what the reader understood of them."""

    @property
    def reading(self) -> TableReading | None: ...

    def fingerprint(self) -> str: ...

    def __iter__(self) -> Iterator[RawRow]: ...


def _counted(rows: Iterable[RawRow], on_row: Callable[[], None] | None) -> Iterator[RawRow]:
    """``rows``, calling ``on_row`` (a progress bar's advance) as each is taken."""
    for row in rows:
        if on_row is not None:
            on_row()
        yield row


def harvest_source(engine: Engine, spec: SourceSpec, *, on_row: Callable[[], None] | None = None,
                   dry_run: bool = False, today: date | None = None, snapshot: Snapshot | None = None,
                   read: Reader | None = None) -> ImportSummary:
    """Apply one source's current snapshot. A fetch or file error fails this source only and
    leaves its previous snapshot untouched (the ingest transaction is rolled back). A registry
    identical to the one the last batch applied is not parsed again (``fingerprint``).
    ``snapshot`` (the registry fetched now, by default) and ``read`` (``canonicalize``, by
    default): a registry read and normalized ahead by another process (hub.sources.read_ahead)."""
    snapshot = snapshot if snapshot is not None else RegistrySnapshot(spec)
    return ingest_rows(
        engine,
        source_name=spec.name,
        source_kind=spec.kind,
        province=spec.province,
        location=spec.location,
        rows=_counted(snapshot, on_row),
        fingerprint=snapshot.fingerprint,
        reading=lambda: snapshot.reading,
        batch_kind="harvest",
        actor="harvest",
        replace_all=True,
        dry_run=dry_run,
        list_kind=spec.list,
        today=today,
        read=read,
    )


def failure_line(spec: SourceSpec, summary: ImportSummary) -> str:
    """A failed source in one line for an operator: which source and registry, what went wrong,
    and what to do about it (the trace is in the harvest log)."""
    kind, _, message = (summary.error or "unknown error").partition(": ")
    message = message.removeprefix(f"{spec.location}: ")  # the line names the registry already
    return f"source {spec.name} ({spec.location}) failed: {message or kind}; fix: {_remedy(spec, kind, message)}"


def _remedy(spec: SourceSpec, kind: str, message: str) -> str:
    if kind == "FetchError" and spec.is_remote:
        return ("check the URL and that the server answers (retried HUB_HTTP_RETRIES times, "
                "HUB_HTTP_TIMEOUT_S each), then harvest again")
    if kind == "FetchError":
        return "deliver the file there or correct its 'location' in the sources file, then harvest again"
    if kind == "RegistryError":
        return (f"see how the hub reads it with `ocop-hub inspect {spec.location}`; set 'encoding' or map its "
                "headers with 'columns' in the sources file, or ask the province for the right file")
    if kind == "IngestError":
        return "correct the entry in the sources file (`ocop-hub sources check FILE` lists every problem)"
    return "this is not a registry problem: the trace is in the harvest log; report it with that trace"
