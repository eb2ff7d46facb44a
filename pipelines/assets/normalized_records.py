"""What applying a snapshot would do: a dry-run ingest that writes nothing."""

from dagster import AssetsDefinition, Failure, MaterializeResult, PartitionsDefinition, asset

from pipelines.assets.summary import summary_metadata
from pipelines.resources import HubStore, RegistrySnapshot


def build_normalized_records(partitions_def: PartitionsDefinition) -> AssetsDefinition:
    @asset(partitions_def=partitions_def, group_name="harvest", kinds={"python"})
    def normalized_records(raw_registry_rows: RegistrySnapshot, hub_store: HubStore) -> MaterializeResult:
        """Validate, normalize and resolve every row against the store, then roll back: the
        would-create/update/unchanged/withdraw and rejected counts before anything is written."""
        summary = hub_store.ingest(raw_registry_rows, dry_run=True)
        if summary.failed:
            raise Failure(description=f"source {summary.source}: {summary.error}",
                          metadata=summary_metadata(summary))
        return MaterializeResult(metadata=summary_metadata(summary, prefix="would_"))

    return normalized_records
