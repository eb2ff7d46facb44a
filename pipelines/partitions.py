"""One partition per provincial registry, read from the sources file when the code location loads.

Static partitions (not dynamic ones kept in sync by a sensor): the sources file is the single
declaration of what to harvest, and per-source schedules are built from the same file at the same
moment, so partitions and schedules can never disagree. Editing the file takes effect on
"Reload definitions" in the UI (or the next run worker, which re-reads it).
"""
from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from typing import Mapping, Sequence

from dagster import Failure, StaticPartitionsDefinition, get_dagster_logger

from hub.registries.sources_file import SourceSpec, load_sources

DEFAULT_SOURCES_FILE = Path("samples/sources.yaml")
KIND_BY_SUFFIX = {".csv": "csv", ".xlsx": "xlsx", ".json": "json_api", ".html": "html", ".htm": "html",
                  ".pdf": "pdf", ".docx": "docx"}
"""A dropped file's suffix says how to read it; any other suffix keeps the source's own kind."""


def sources_file() -> Path:
    """``HUB_SOURCES_FILE``, or ``samples/sources.yaml`` (written by ``python -m hub.samples``)."""
    return Path(os.environ.get("HUB_SOURCES_FILE") or DEFAULT_SOURCES_FILE)


def load_catalog(path: Path) -> list[SourceSpec]:
    """The sources of ``path``; none (and one clear log line) when the file does not exist yet.

    A missing file must not stop ``dagster dev``; a file that exists but is wrong raises
    ``SourcesFileError``, whose message the UI shows as the code location's load error.
    """
    if not path.is_file():
        get_dagster_logger().warning(
            f"sources file {path.resolve()} not found (set HUB_SOURCES_FILE, or run "
            f"`python -m hub.samples --out samples`): loading with no source partitions"
        )
        return []
    return load_sources(path)


def source_partitions(specs: Sequence[SourceSpec]) -> StaticPartitionsDefinition:
    return StaticPartitionsDefinition([spec.name for spec in specs])


def source_for_partition(sources: Mapping[str, SourceSpec], partition_key: str,
                         location: str | None = None) -> SourceSpec:
    """The spec of a partition, optionally reading ``location`` (a dropped file) instead."""
    spec = sources.get(partition_key)
    if spec is None:
        raise Failure(f"no source named {partition_key!r} in the sources file")
    if not location:
        return spec
    kind = KIND_BY_SUFFIX.get(Path(location).suffix.lower(), spec.kind)
    return dataclasses.replace(spec, location=location, kind=kind)
