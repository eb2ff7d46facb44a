"""The source's products in the unified store: its snapshot applied in one transaction."""

from dagster import AssetKey, AssetsDefinition, Failure, MaterializeResult, PartitionsDefinition, asset

from hub.store.expiry import refresh_statuses
from pipelines import checks
from pipelines.assets.summary import summary_metadata
from pipelines.resources import HubStore, RegistrySnapshot


def build_store_products(partitions_def: PartitionsDefinition) -> AssetsDefinition:
    @asset(partitions_def=partitions_def, group_name="harvest", kinds={"sql"},
           deps=[AssetKey("normalized_records")], check_specs=checks.CHECK_SPECS)
    def store_products(raw_registry_rows: RegistrySnapshot, hub_store: HubStore) -> MaterializeResult:
        """Apply the snapshot through ``hub.ingest`` (create/update/unchanged by content hash,
        missing products withdrawn). A failed ingest rolls back, so the previous data stays, and
        fails the run."""
        summary = hub_store.ingest(raw_registry_rows, dry_run=False)
        if summary.failed:
            raise Failure(description=f"source {summary.source}: {summary.error}",
                          metadata=summary_metadata(summary))
        expired = refresh_statuses(hub_store.engine())
        return MaterializeResult(
            metadata={**summary_metadata(summary), "certificates_expired_now": expired},
            check_results=list(checks.evaluate(hub_store.engine(), summary)),
        )

    return store_products
