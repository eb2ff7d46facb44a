"""The code location loads: with the configured sources, with a test sources file, and with none."""
from __future__ import annotations

from pathlib import Path

from dagster import Definitions

from hub.registries.sources_file import SourceSpec
from pipelines.definitions import build_definitions
from pipelines.partitions import load_catalog
from pipelines.resources import resources_for


def test_the_code_location_loads() -> None:
    from pipelines.definitions import defs

    Definitions.validate_loadable(defs)
    repository = defs.get_repository_def()
    assert {job.name for job in repository.get_all_jobs()} >= {"harvest_job", "national_aggregates_job",
                                                                     "data_release_job"}
    assert {s.name for s in repository.sensor_defs} == {"inbox_sensor", "national_aggregates_automation"}


def test_every_sample_source_is_a_partition(specs: list[SourceSpec]) -> None:
    defs = build_definitions(specs, resources_for("local"))
    Definitions.validate_loadable(defs)
    job = defs.resolve_job_def("harvest_job")
    assert job.partitions_def is not None
    assert set(job.partitions_def.get_partition_keys()) == {spec.name for spec in specs}
    assert len(specs) >= 5
    keys = {key.to_user_string() for key in defs.resolve_asset_graph().get_all_asset_keys()}
    assert keys == {"raw_registry_rows", "normalized_records", "store_products", "national_aggregates",
                    "data_release"}
    checks = {key.name for key in defs.resolve_asset_graph().asset_check_keys}
    assert checks == {"rejected_ratio", "row_count_vs_previous", "stars_in_range", "mapped_to_current_units"}


def test_a_missing_sources_file_loads_with_no_partitions(tmp_path: Path, caplog) -> None:  # type: ignore[no-untyped-def]
    specs = load_catalog(tmp_path / "nowhere.yaml")
    assert specs == []
    assert "not found" in caplog.text
    defs = build_definitions(specs, resources_for("local"))
    Definitions.validate_loadable(defs)
    assert defs.resolve_job_def("harvest_job").partitions_def.get_partition_keys() == []


def test_each_deployment_has_its_resources(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    for name in ("local", "staging", "prod"):
        resources = resources_for(name)
        assert set(resources) == {"hub_store", "registry", "snapshots"}
    assert type(resources_for("staging")["registry"]).__name__ == "SnapshotRegistryClient"
    assert type(resources_for("prod")["registry"]).__name__ == "LiveRegistryClient"
