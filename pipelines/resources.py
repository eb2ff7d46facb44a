"""Resources, chosen per deployment by one environment variable, ``HUB_DEPLOYMENT``.

* ``local`` (default): the store of ``hub.settings`` (SQLite under ./.ocop-hub unless
  ``HUB_DATABASE_URL``), registries read live (the sample registries are local files).
* ``staging``: the store at ``HUB_DATABASE_URL``; registries replayed from the JSONL snapshots
  that production saved (``HUB_REPLAY_DIR``), so staging never calls a provincial server.
* ``prod``: the store at ``HUB_DATABASE_URL``; registries read live over HTTP or from files.

Every run saves what it read as a JSONL snapshot under ``HUB_SNAPSHOT_DIR`` (default
``$HUB_HOME/snapshots``, ./.ocop-hub/snapshots), one folder per source: the store is always fed
from a snapshot. Not under ``DAGSTER_HOME``: ``make dagster`` sets it to the repository root.
"""
from __future__ import annotations

import hashlib
import json
import os
from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Iterator

from dagster import ConfigurableResource, EnvVar
from pydantic import Field
from sqlalchemy.engine import Engine

from hub.ingest import ImportSummary, IngestError, ingest_rows
from hub.records import RawRow
from hub.registries import RegistryError
from hub.registries.read import RegistrySnapshot as LiveSnapshot
from hub.registries.reading import TableReading
from hub.registries.sources_file import SourceSpec
from hub.settings import load_settings
from hub.store_setup import init_store

DEPLOYMENTS = ("local", "staging", "prod")


@dataclass(frozen=True)
class RegistrySnapshot:
    """What ``raw_registry_rows`` hands downstream: the source as read, its saved rows, and what
    the reader understood of the table (``TableReading.as_dict()``: header, unmapped columns,
    skipped rows), saved beside the rows."""

    source: SourceSpec
    path: str
    rows: int
    sha256: str
    reading: dict[str, Any] | None = None


def reading_path(snapshot_path: str | Path) -> Path:
    return Path(snapshot_path).with_suffix(".reading.json")


def load_reading(snapshot_path: str | Path) -> TableReading | None:
    """The table reading saved beside a snapshot (none for a JSON API or an older snapshot)."""
    path = reading_path(snapshot_path)
    if not path.exists():
        return None
    return TableReading.from_dict(json.loads(path.read_text(encoding="utf-8")))


def read_snapshot(path: str | Path) -> Iterator[RawRow]:
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            yield RawRow(row_number=record["row_number"], values=record["values"], raw=record["raw"])


def latest_snapshot(folder: Path) -> Path | None:
    """Snapshot names are UTC timestamps, so the greatest name is the newest."""
    return max(folder.glob("*.jsonl"), default=None)


class SnapshotStore(ConfigurableResource):
    """Where each run's JSONL snapshot of a registry is written: ``<root>/<source>/<UTC time>.jsonl``."""

    root: str = Field(description="Folder of the snapshots, one sub-folder per source.")

    def write(self, source: SourceSpec, rows: Iterable[RawRow]) -> RegistrySnapshot:
        """Write all rows or nothing: a registry that fails half-way leaves no snapshot behind.
        When ``rows`` tells how its table was read (``.reading``), that is saved beside them."""
        folder = Path(self.root) / source.name
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{datetime.now(timezone.utc):%Y%m%dT%H%M%S%fZ}.jsonl"
        partial = path.with_suffix(".partial")
        digest, count = hashlib.sha256(), 0
        try:
            with open(partial, "wb") as out:
                for row in rows:
                    line = json.dumps({"row_number": row.row_number, "values": row.values, "raw": row.raw},
                                      ensure_ascii=False, sort_keys=True).encode("utf-8") + b"\n"
                    out.write(line)
                    digest.update(line)
                    count += 1
            reading = getattr(rows, "reading", None)
            reading_dict = reading.as_dict() if isinstance(reading, TableReading) and reading.columns else None
            if reading_dict is not None:
                reading_path(path).write_text(json.dumps(reading_dict, ensure_ascii=False), encoding="utf-8")
            partial.replace(path)
        finally:
            partial.unlink(missing_ok=True)
        return RegistrySnapshot(source=source, path=str(path), rows=count, sha256=digest.hexdigest(),
                                reading=reading_dict)


class RegistryClient(ConfigurableResource, ABC):
    """Reads one provincial registry into raw rows; raises ``RegistryError`` when it cannot."""

    @abstractmethod
    def read_rows(self, spec: SourceSpec) -> Iterable[RawRow]: ...


class LiveRegistryClient(RegistryClient):
    """The registry itself, over http(s) or from a path (timeouts and retries: ``HUB_HTTP_*``);
    the rows come with ``.reading``, what the reader understood of the table."""

    def read_rows(self, spec: SourceSpec) -> Iterable[RawRow]:
        return LiveSnapshot(spec)


class SnapshotRegistryClient(RegistryClient):
    """Replays the newest saved snapshot of each source, for tests, demos and staging."""

    snapshot_dir: str = Field(description="A SnapshotStore root: <snapshot_dir>/<source>/*.jsonl.")

    def read_rows(self, spec: SourceSpec) -> Iterable[RawRow]:
        path = latest_snapshot(Path(self.snapshot_dir) / spec.name)
        if path is None:
            raise RegistryError(f"{spec.name}: no snapshot to replay under {self.snapshot_dir}/{spec.name}")
        return ReplayedRows(path)


class ReplayedRows:
    """A saved snapshot's rows, with the table reading saved beside them."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.reading = load_reading(path)

    def __iter__(self) -> Iterator[RawRow]:
        return read_snapshot(self.path)


@lru_cache(maxsize=None)
def _engine(database_url: str) -> Engine:
    """Migrate and load reference units once per process and URL, not once per step."""
    return init_store(database_url)


class HubStore(ConfigurableResource):
    """The unified store; every write goes through ``hub.ingest.ingest_rows``."""

    database_url: str = Field(description="SQLAlchemy URL of the store (SQLite file or PostgreSQL).")

    def engine(self) -> Engine:
        return _engine(self.database_url)

    def ingest(self, snapshot: RegistrySnapshot, *, dry_run: bool) -> ImportSummary:
        """Apply one snapshot as the source's whole registry, in one transaction. The rows'
        sha256 is the fingerprint: a snapshot with the very rows the source's last batch applied
        is not read again (as ``ocop-hub harvest`` skips an unchanged file)."""
        spec = snapshot.source
        try:
            return ingest_rows(
                self.engine(), source_name=spec.name, source_kind=spec.kind, province=spec.province,
                location=spec.location, rows=read_snapshot(snapshot.path), batch_kind="harvest",
                actor="dagster", replace_all=True, dry_run=dry_run, fingerprint=lambda: f"rows:{snapshot.sha256}",
                reading=lambda: load_reading(snapshot.path), list_kind=spec.list,
            )
        except IngestError as exc:
            return ImportSummary(source=spec.name, status="failed", dry_run=dry_run, error=str(exc))


def deployment() -> str:
    name = os.environ.get("HUB_DEPLOYMENT", "local")
    if name not in DEPLOYMENTS:
        raise ValueError(f"HUB_DEPLOYMENT={name!r}: expected one of {', '.join(DEPLOYMENTS)}")
    return name


def snapshot_root() -> str:
    if os.environ.get("HUB_SNAPSHOT_DIR"):
        return os.environ["HUB_SNAPSHOT_DIR"]
    return str(load_settings().home / "snapshots")


def resources_for(name: str) -> dict[str, ConfigurableResource]:
    """The resources of one deployment (see the module docstring)."""
    snapshots = SnapshotStore(root=snapshot_root())
    if name == "local":
        return {"hub_store": HubStore(database_url=load_settings().database_url),
                "registry": LiveRegistryClient(), "snapshots": snapshots}
    store = HubStore(database_url=EnvVar("HUB_DATABASE_URL"))
    if name == "staging":
        return {"hub_store": store, "registry": SnapshotRegistryClient(snapshot_dir=EnvVar("HUB_REPLAY_DIR")),
                "snapshots": snapshots}
    if name == "prod":
        return {"hub_store": store, "registry": LiveRegistryClient(), "snapshots": snapshots}
    raise ValueError(f"unknown deployment {name!r}: expected one of {', '.join(DEPLOYMENTS)}")
