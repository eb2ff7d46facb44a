"""The partitioned assets materialized in-process against a fresh store, one source over a real
HTTP server and one from a file: checks, idempotent re-harvest, a failing or hanging server, a
refused source, a shrunken registry, replay from snapshots."""
from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest
from dagster import AssetKey, DagsterInstance, ExecuteInProcessResult, materialize
from sqlalchemy import select
from sqlmodel import Session

from hub.store.models import Product, Source, SourceRecord
from hub.registries.sources_file import SourceSpec
from pipelines.assets import harvest_assets, national_aggregates
from pipelines.resources import SnapshotRegistryClient

from .conftest import FILE_SOURCE, HTTP_SOURCE, RegistryServer


def harvest(specs: list[SourceSpec], source: str, resources: dict[str, Any],
            instance: DagsterInstance | None = None, raise_on_error: bool = True) -> ExecuteInProcessResult:
    return materialize(harvest_assets(specs), partition_key=source, resources=resources,
                       instance=instance or DagsterInstance.ephemeral(), raise_on_error=raise_on_error)


def metadata(result: ExecuteInProcessResult, asset: str) -> dict[str, Any]:
    [event] = [e for e in result.get_asset_materialization_events() if e.asset_key == AssetKey(asset)]
    return {k: v.value for k, v in event.materialization.metadata.items()}


def checks(result: ExecuteInProcessResult) -> dict[str, bool]:
    return {e.check_name: e.passed for e in result.get_asset_check_evaluations()}


def source_products(resources: dict[str, Any], source: str) -> list[tuple]:
    with Session(resources["hub_store"].engine()) as session:
        return [tuple(row) for row in session.execute(
            select(Product.id, Product.name, Product.stars, Product.status, Product.content_hash, Product.updated_at)
            .join(SourceRecord, SourceRecord.product_id == Product.id).join(Source, Source.id == SourceRecord.source_id)
            .where(Source.name == source).order_by(Product.id))]


def http_path(specs: list[SourceSpec]) -> str:
    """The URL path of the HTTP source on the test server."""
    return "/" + next(s for s in specs if s.name == HTTP_SOURCE).location.split("/", 3)[3]


def manifest(samples_dir: Path, source: str) -> dict[str, Any]:
    entries = json.loads((samples_dir / "manifest.json").read_text(encoding="utf-8"))["sources"]
    return next(entry for entry in entries if entry["name"] == source)


def test_two_sources_harvest_and_pass_their_checks(specs: list[SourceSpec], resources: dict[str, Any],
                                                   samples_dir: Path) -> None:
    for source in (HTTP_SOURCE, FILE_SOURCE):
        result = harvest(specs, source, resources)
        assert result.success
        raw, dry, stored = (metadata(result, a) for a in ("raw_registry_rows", "normalized_records", "store_products"))
        assert raw["rows"] == stored["rows_read"] == manifest(samples_dir, source)["rows"]
        assert len(raw["sha256"]) == 64 and Path(raw["snapshot_path"]).is_file()
        assert (dry["would_created"], dry["rejected"]) == (stored["created"], stored["rejected"])
        assert stored["status"] == "succeeded" and stored["created"] > 0
        assert checks(result) == {"rejected_ratio": True, "row_count_vs_previous": True,
                                  "stars_in_range": True, "mapped_to_current_units": True}
        assert len(source_products(resources, source)) == stored["created"]

    aggregates = materialize([national_aggregates], resources=resources, instance=DagsterInstance.ephemeral())
    counted = metadata(aggregates, "national_aggregates")
    assert counted["products"] == sum(len(source_products(resources, s)) for s in (HTTP_SOURCE, FILE_SOURCE))
    assert "| **Total** |" in counted["by_province_and_stars"]


def test_a_reharvest_of_unchanged_data_changes_nothing(specs: list[SourceSpec], resources: dict[str, Any]) -> None:
    instance = DagsterInstance.ephemeral()
    first = metadata(harvest(specs, HTTP_SOURCE, resources, instance), "store_products")
    before = source_products(resources, HTTP_SOURCE)
    again = harvest(specs, HTTP_SOURCE, resources, instance)
    second = metadata(again, "store_products")
    assert (second["created"], second["updated"], second["withdrawn"]) == (0, 0, 0)
    assert second["unchanged"] == first["created"]
    assert source_products(resources, HTTP_SOURCE) == before
    assert checks(again)["row_count_vs_previous"]
    # The same rows as the batch that applied them: the snapshot was not read again (nor dry-run).
    assert first["same_as_batch"] == "none" and second["same_as_batch"] == first["batch_id"]
    assert metadata(again, "normalized_records")["same_as_batch"] == first["batch_id"]
    assert second["rejected"] == first["rejected"]  # the rejections are repeated, not lost


@pytest.mark.parametrize(("trouble", "message"), [("failing", "HTTP 500"), ("slow", "attempt")])
def test_a_broken_registry_fails_the_run_and_keeps_the_previous_products(
        specs: list[SourceSpec], resources: dict[str, Any], registry_server: RegistryServer,
        monkeypatch: pytest.MonkeyPatch, trouble: str, message: str) -> None:
    instance = DagsterInstance.ephemeral()
    assert harvest(specs, HTTP_SOURCE, resources, instance).success
    before = source_products(resources, HTTP_SOURCE)
    getattr(registry_server, trouble).add(http_path(specs))
    monkeypatch.setenv("HUB_HTTP_TIMEOUT_S", "0.3")

    result = harvest(specs, HTTP_SOURCE, resources, instance, raise_on_error=False)
    assert not result.success
    [failure] = [e for e in result.all_events if e.event_type_value == "STEP_FAILURE"]
    assert failure.step_key == "raw_registry_rows"
    assert HTTP_SOURCE in failure.event_specific_data.error.message
    assert message in failure.event_specific_data.error.message
    assert source_products(resources, HTTP_SOURCE) == before
    assert not [e for e in result.get_asset_materialization_events() if e.asset_key == AssetKey("store_products")]
    assert harvest(specs, FILE_SOURCE, resources, instance).success  # other sources are not held back


def test_a_saved_snapshot_replays_without_the_registry(specs: list[SourceSpec], resources: dict[str, Any],
                                                      registry_server: RegistryServer) -> None:
    created = metadata(harvest(specs, HTTP_SOURCE, resources), "store_products")["created"]
    registry_server.failing.add(http_path(specs))
    replay = {**resources, "registry": SnapshotRegistryClient(snapshot_dir=resources["snapshots"].root)}
    stored = metadata(harvest(specs, HTTP_SOURCE, replay), "store_products")
    assert (stored["created"], stored["updated"], stored["unchanged"]) == (0, 0, created)


def test_a_registry_that_shrank_by_half_warns_and_withdraws(specs: list[SourceSpec], resources: dict[str, Any],
                                                           tmp_path: Path) -> None:
    snapshot = Path(metadata(harvest(specs, FILE_SOURCE, resources), "raw_registry_rows")["snapshot_path"])
    lines = snapshot.read_text(encoding="utf-8").splitlines(keepends=True)
    replay_dir = tmp_path / "replay"
    (replay_dir / FILE_SOURCE).mkdir(parents=True)
    (replay_dir / FILE_SOURCE / snapshot.name).write_text("".join(lines[: len(lines) // 3]), encoding="utf-8")
    replay = {**resources, "registry": SnapshotRegistryClient(snapshot_dir=str(replay_dir))}

    result = harvest(specs, FILE_SOURCE, replay)
    stored = metadata(result, "store_products")
    assert stored["rows_read"] == len(lines) // 3 and stored["withdrawn"] > 0
    [drop] = [e for e in result.get_asset_check_evaluations() if e.check_name == "row_count_vs_previous"]
    assert not drop.passed and drop.severity.value == "WARN"
    assert drop.metadata["previous_rows_read"].value == len(lines)


def test_a_source_the_store_refuses_fails_before_writing(specs: list[SourceSpec], resources: dict[str, Any]) -> None:
    moved = [dataclasses.replace(s, province="Atlantis") if s.name == FILE_SOURCE else s for s in specs]
    result = harvest(moved, FILE_SOURCE, resources, raise_on_error=False)
    assert not result.success
    [failure] = [e for e in result.all_events if e.event_type_value == "STEP_FAILURE"]
    assert failure.step_key == "normalized_records"
    assert "unknown province 'Atlantis'" in failure.event_specific_data.error.message
    assert source_products(resources, FILE_SOURCE) == []


def test_a_disabled_source_is_not_harvested(specs: list[SourceSpec], resources: dict[str, Any]) -> None:
    """As `ocop-hub harvest` skips it: no snapshot read, nothing stored, the run does not fail."""
    from hub.sources.catalog import disable_source

    harvest(specs, FILE_SOURCE, resources)
    before = source_products(resources, FILE_SOURCE)
    disable_source(resources["hub_store"].engine(), FILE_SOURCE)
    result = harvest(specs, FILE_SOURCE, resources)
    assert result.success
    assert result.get_asset_materialization_events() == []
    assert source_products(resources, FILE_SOURCE) == before
