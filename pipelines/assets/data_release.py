"""The dated release of the public downloads (hub.api.releases), written by Dagster on a schedule
(``release_monthly``) or on demand: the same as ``ocop-hub release``."""

from dagster import AssetKey, MaterializeResult, MetadataValue, asset

from hub.api.releases import releases_dir, write_release
from pipelines.resources import HubStore


@asset(group_name="releases", kinds={"csv", "parquet"}, deps=[AssetKey("national_aggregates")])
def data_release(hub_store: HubStore) -> MaterializeResult:
    """Today's release: written once per date and data version, found again (not rewritten) after."""
    release, new = write_release(hub_store.engine())
    return MaterializeResult(metadata={
        "release": release.name,
        "new": new,
        "as_of": release.as_of,
        "data_version": release.data_version,
        "folder": MetadataValue.path(str(releases_dir() / release.name)),
        "files": MetadataValue.md("\n".join(f"- `{f.name}` {f.bytes:,} bytes, sha256 `{f.sha256}`"
                                            for f in release.files)),
    })
