"""The code location: one ``Definitions`` for ``dagster dev`` and the deployed daemon alike.

``HUB_SOURCES_FILE`` says which registries (one partition each); ``HUB_DEPLOYMENT`` which
resources (see ``pipelines.resources``). ``ocop-hub harvest`` runs the same unit of work
(``hub.sources.harvest.harvest_source`` → ``hub.ingest.ingest_rows``) in-process without Dagster.
"""
from __future__ import annotations

from typing import Any, Mapping, Sequence

from dagster import AssetSelection, Definitions, define_asset_job, in_process_executor

from hub.registries.sources_file import SourceSpec
from pipelines.assets import data_release, harvest_assets, national_aggregates
from pipelines.partitions import load_catalog, sources_file
from pipelines.resources import deployment, resources_for
from pipelines.schedules import build_harvest_schedules, build_release_schedule
from pipelines.sensors import build_automation_sensor, build_inbox_sensor


def build_definitions(specs: Sequence[SourceSpec], resources: Mapping[str, Any],
                      schedules_running: bool = False) -> Definitions:
    harvest = harvest_assets(specs)
    harvest_job = define_asset_job(
        "harvest_job", selection=AssetSelection.assets(*harvest),
        description="Harvest one source: read its registry, dry-run, apply to the store, check.",
    )
    aggregates = AssetSelection.assets(national_aggregates)
    aggregates_job = define_asset_job("national_aggregates_job", selection=aggregates)
    release_job = define_asset_job("data_release_job", selection=AssetSelection.assets(data_release),
                                   description="Write today's dated release of the public downloads.")
    return Definitions(
        assets=[*harvest, national_aggregates, data_release],
        jobs=[harvest_job, aggregates_job, release_job],
        schedules=[*build_harvest_schedules(specs, harvest_job, running=schedules_running),
                   build_release_schedule(release_job, running=schedules_running)],
        sensors=[build_inbox_sensor(specs, harvest_job), build_automation_sensor(aggregates)],
        resources=resources,
        # A harvest's steps are a chain (read, dry run, apply): one process per run, not one per
        # step, which re-imported Dagster and the hub and re-opened the store for each.
        executor=in_process_executor,
    )


_deployment = deployment()
defs = build_definitions(load_catalog(sources_file()), resources_for(_deployment),
                         schedules_running=_deployment != "local")
