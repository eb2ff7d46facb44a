"""national_aggregates follows a harvest by itself: its automation condition, evaluated the way the
daemon's automation sensor evaluates it, on an instance where a partition was just materialized
(as the CLI or the UI materialize it: not through harvest_job)."""
from __future__ import annotations

from typing import Any

from dagster import (AssetKey, AutomationConditionSensorDefinition, DagsterInstance, DefaultSensorStatus,
                     evaluate_automation_conditions, materialize)

from hub.registries.sources_file import SourceSpec
from pipelines.assets import harvest_assets, national_aggregates
from pipelines.definitions import build_definitions
from pipelines.resources import resources_for

from .conftest import FILE_SOURCE, HTTP_SOURCE

AGGREGATES = AssetKey("national_aggregates")


def test_the_automation_sensor_runs_by_default_and_targets_the_aggregates(specs: list[SourceSpec]) -> None:
    defs = build_definitions(specs, resources_for("local"))
    [sensor] = [s for s in defs.get_repository_def().sensor_defs if isinstance(s, AutomationConditionSensorDefinition)]
    assert sensor.default_status == DefaultSensorStatus.RUNNING
    assert sensor.asset_selection.resolve(defs.resolve_asset_graph()) == {AGGREGATES}
    assert defs.resolve_assets_def(AGGREGATES).automation_conditions_by_key[AGGREGATES] is not None


def test_a_materialized_partition_requests_the_national_recount(specs: list[SourceSpec],
                                                                resources: dict[str, Any]) -> None:
    defs = build_definitions(specs, resources)
    instance = DagsterInstance.ephemeral()
    idle = evaluate_automation_conditions(defs, instance)
    assert idle.get_num_requested(AGGREGATES) == 0  # nothing harvested yet: nothing to recount

    # One source of several, the others never harvested: they must not hold the recount back.
    assert materialize(harvest_assets(specs), partition_key=HTTP_SOURCE, resources=resources,
                       instance=instance).success
    after = evaluate_automation_conditions(defs, instance, cursor=idle.cursor)
    assert after.get_num_requested(AGGREGATES) == 1

    recount = materialize([national_aggregates], resources=resources, instance=instance)
    assert recount.success
    assert instance.get_latest_materialization_event(AGGREGATES) is not None
    settled = evaluate_automation_conditions(defs, instance, cursor=after.cursor)
    assert settled.get_num_requested(AGGREGATES) == 0  # once per change, not on every tick

    assert materialize(harvest_assets(specs), partition_key=FILE_SOURCE, resources=resources,
                       instance=instance).success
    again = evaluate_automation_conditions(defs, instance, cursor=settled.cursor)
    assert again.get_num_requested(AGGREGATES) == 1
