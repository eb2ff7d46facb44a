"""The dated release as a Dagster asset (``data_release``) and its monthly schedule: the same
release as ``ocop-hub release`` writes, found again rather than rewritten."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from dagster import AssetKey, DagsterInstance, DefaultScheduleStatus, materialize

from hub.api.releases import list_releases
from hub.registries.sources_file import SourceSpec
from pipelines.assets import data_release, harvest_assets
from pipelines.definitions import build_definitions
from pipelines.resources import resources_for
from pipelines.schedules import RELEASE_CRON, TIMEZONE

from .conftest import FILE_SOURCE

RELEASE = AssetKey("data_release")


def test_the_release_asset_writes_the_release_once_per_data_version(specs: list[SourceSpec], resources: dict[str, Any],
                                                                    tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HUB_RELEASES_DIR", str(tmp_path / "releases"))
    instance = DagsterInstance.ephemeral()
    assert materialize(harvest_assets(specs), partition_key=FILE_SOURCE, resources=resources,
                       instance=instance).success
    first = materialize([data_release], resources=resources, instance=instance)
    assert first.success
    metadata = instance.get_latest_materialization_event(RELEASE).asset_materialization.metadata
    [release] = list_releases(tmp_path / "releases")
    assert metadata["release"].value == release.name and metadata["new"].value is True
    assert {f.name for f in release.files} >= {"products.csv", "products.parquet"}
    assert release.files[0].sha256 in metadata["files"].value
    assert materialize([data_release], resources=resources, instance=instance).success
    again = instance.get_latest_materialization_event(RELEASE).asset_materialization.metadata
    assert again["release"].value == release.name and again["new"].value is False
    assert len(list_releases(tmp_path / "releases")) == 1


@pytest.mark.parametrize("running", [False, True])
def test_the_monthly_release_schedule_follows_the_deployment(specs: list[SourceSpec], running: bool) -> None:
    defs = build_definitions(specs, resources_for("local"), schedules_running=running)
    schedule = defs.get_repository_def().get_schedule_def("release_monthly")
    assert (schedule.cron_schedule, schedule.execution_timezone) == (RELEASE_CRON, TIMEZONE)
    assert schedule.job_name == "data_release_job"
    assert schedule.default_status == (DefaultScheduleStatus.RUNNING if running else DefaultScheduleStatus.STOPPED)
