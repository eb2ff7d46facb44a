"""Harvest one registry: read its rows and hand them to the one ingest path.

``ocop-hub harvest`` calls ``harvest_source``. The Dagster assets (pipelines/) first save the rows
read as a JSONL snapshot, then ingest that (``pipelines.resources.HubStore.ingest``), adding
partitions, checks and schedules; both go through ``ingest_rows``.
"""
from __future__ import annotations

from typing import Callable, Iterable, Iterator

from sqlalchemy.engine import Engine

from hub.ingest import ImportSummary, ingest_rows
from hub.records import RawRow
from hub.registries.read import RegistrySnapshot
from hub.registries.sources_file import SourceSpec


def _counted(rows: Iterable[RawRow], on_row: Callable[[], None] | None) -> Iterator[RawRow]:
    for row in rows:
        if on_row is not None:
            on_row()
        yield row


def harvest_source(engine: Engine, spec: SourceSpec, *, on_row: Callable[[], None] | None = None,
                   dry_run: bool = False) -> ImportSummary:
    """Apply one source's current snapshot. A fetch or file error fails this source only and
    leaves its previous snapshot untouched (the ingest transaction is rolled back). A registry
    identical to the one the last batch applied is not parsed again (``fingerprint``)."""
    snapshot = RegistrySnapshot(spec)
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
    )
