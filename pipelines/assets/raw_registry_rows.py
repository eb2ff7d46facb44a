"""A registry's rows as read, saved as a JSONL snapshot: what every later step reads."""

from typing import Any, Iterator, Mapping, Optional

from dagster import (AssetExecutionContext, AssetsDefinition, Config, Failure, MetadataValue, Output,
                     PartitionsDefinition, asset)
from pydantic import Field

from hub.registries import RegistryError
from hub.sources.catalog import disabled_names
from hub.registries.sources_file import SourceSpec
from pipelines.partitions import source_for_partition
from pipelines.resources import HubStore, RegistryClient, RegistrySnapshot, SnapshotStore


class RawRowsConfig(Config):
    location: Optional[str] = Field(
        default=None,
        description="Read this file or URL instead of the source's own location (the inbox sensor sets it).",
    )


def _reading_metadata(reading: dict[str, Any] | None) -> dict[str, Any]:
    """How the table was read: its header rows, each column's field, what was not read."""
    if not reading:
        return {}
    columns = {c["header"]: c["field"] or "(not mapped)" for c in reading["columns"]}
    return {"header_rows": ", ".join(str(n) for n in reading["header_rows"]),
            "columns": MetadataValue.json(columns),
            "unmapped_columns": ", ".join(reading["unmapped"]) or "none",
            "skipped_rows": len(reading["skipped"])}


def build_raw_registry_rows(sources: Mapping[str, SourceSpec],
                            partitions_def: PartitionsDefinition) -> AssetsDefinition:
    @asset(partitions_def=partitions_def, group_name="harvest", kinds={"jsonl"}, output_required=False)
    def raw_registry_rows(context: AssetExecutionContext, config: RawRowsConfig, registry: RegistryClient,
                          snapshots: SnapshotStore, hub_store: HubStore) -> Iterator[Output[RegistrySnapshot]]:
        """Read one provincial registry and save its raw rows; a registry that cannot be read
        (unreachable, 5xx, truncated, undecodable) fails this partition and writes nothing. A
        source an operator disabled (``ocop-hub sources disable``) is not read: no output, so the
        steps after it are skipped, as ``ocop-hub harvest`` skips it."""
        spec = source_for_partition(sources, context.partition_key, config.location)
        disabled = disabled_names(hub_store.engine()).get(spec.name)
        if disabled is not None:
            context.log.info(f"source {spec.name} is disabled (since {disabled:%Y-%m-%d %H:%M} UTC): not harvested")
            return
        try:
            snapshot = snapshots.write(spec, registry.read_rows(spec))
        except RegistryError as exc:
            raise Failure(description=f"source {spec.name}: {exc}",
                          metadata={"location": spec.location, "kind": spec.kind}) from exc
        yield Output(snapshot, metadata={
            "rows": snapshot.rows, "sha256": snapshot.sha256, "snapshot_path": MetadataValue.path(snapshot.path),
            "location": spec.location, "kind": spec.kind, "province": spec.province,
            **_reading_metadata(snapshot.reading),
        })

    return raw_registry_rows
