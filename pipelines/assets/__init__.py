"""Assets, one module per data set: a registry's raw rows → normalized records (dry run) →
its products in the store (partitioned by source) → national aggregates (one for the country) →
the dated release of the public downloads.

The asset modules do not use ``from __future__ import annotations``: Dagster reads their parameter
annotations (config class, resources) when the definitions are built."""
from __future__ import annotations

from typing import Sequence

from dagster import AssetsDefinition

from hub.registries.sources_file import SourceSpec
from pipelines.assets.data_release import data_release
from pipelines.assets.national_aggregates import national_aggregates
from pipelines.assets.normalized_records import build_normalized_records
from pipelines.assets.raw_registry_rows import build_raw_registry_rows
from pipelines.assets.store_products import build_store_products
from pipelines.partitions import source_partitions

__all__ = ["data_release", "harvest_assets", "national_aggregates"]


def harvest_assets(specs: Sequence[SourceSpec]) -> list[AssetsDefinition]:
    """The per-source assets, partitioned by the given sources (built, not module-level, so
    tests and the code location can each pass their own sources file)."""
    partitions = source_partitions(specs)
    return [
        build_raw_registry_rows({spec.name: spec for spec in specs}, partitions),
        build_normalized_records(partitions),
        build_store_products(partitions),
    ]
