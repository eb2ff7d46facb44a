"""Harvest one registry: read its rows and hand them to the one ingest path.

Both the Dagster assets (pipelines/) and ``ocop-hub harvest`` call ``harvest_source``; Dagster
adds partitions, checks and schedules around the same unit of work.
"""
from __future__ import annotations

from typing import Callable

from sqlalchemy.engine import Engine

from hub.ingest import ImportSummary, ingest_rows
from hub.registries.read import RegistrySnapshot
from hub.registries.sources_file import SourceSpec


def harvest_source(engine: Engine, spec: SourceSpec, *, on_row: Callable[[], None] | None = None,
                   dry_run: bool = False) -> ImportSummary:
    """Apply one source's current snapshot. A fetch or file error fails this source only and
    leaves its previous snapshot untouched (the ingest transaction is rolled back). A file
    identical to the one the last batch applied is not parsed again (``fingerprint``). The
    registry is fetched here, whole; its rows are read and normalized in a child process while
    this one writes (``separate_process``)."""
    snapshot = RegistrySnapshot(spec)
    return ingest_rows(
        engine,
        source_name=spec.name,
        source_kind=spec.kind,
        province=spec.province,
        location=spec.location,
        rows=snapshot,
        fingerprint=snapshot.fingerprint,
        batch_kind="harvest",
        actor="harvest",
        replace_all=True,
        dry_run=dry_run,
        separate_process=True,
        on_row=on_row,
    )
