"""The schedules request one run per source; the inbox sensor harvests a dropped file once."""
from __future__ import annotations

import dataclasses
import os
import shutil
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from dagster import DagsterInstance, build_schedule_context, build_sensor_context
from sqlalchemy import func, select
from sqlmodel import Session

from hub.store.models import Source, SourceRecord
from hub.registries.sources_file import SourceSpec
from pipelines.definitions import build_definitions
from pipelines.partitions import source_for_partition
from pipelines.resources import resources_for
from pipelines.schedules import DEFAULT_CRON
from pipelines.sensors import match_source

from .conftest import HTTP_SOURCE


def test_daily_schedule_requests_every_source_on_the_default_timing(specs: list[SourceSpec]) -> None:
    specs = [*specs[:-1], dataclasses.replace(specs[-1], schedule="30 6 * * 1")]
    defs = build_definitions(specs, resources_for("local"))
    daily = defs.resolve_schedule_def("harvest_daily")
    assert daily.cron_schedule == DEFAULT_CRON and daily.execution_timezone == "Asia/Ho_Chi_Minh"
    context = build_schedule_context(scheduled_execution_time=datetime(2026, 11, 23, 3, 0),
                                     repository_def=defs.get_repository_def())
    requests = daily.evaluate_tick(context).run_requests
    assert [r.partition_key for r in requests] == [s.name for s in specs[:-1]]
    assert len({r.run_key for r in requests}) == len(requests)
    own = defs.resolve_schedule_def("harvest_" + specs[-1].name.replace("-", "_"))
    assert own.cron_schedule == "30 6 * * 1"
    assert [r.partition_key for r in own.evaluate_tick(context).run_requests] == [specs[-1].name]


@pytest.mark.parametrize(("file_name", "expected"), [
    ("bac-kan-2018__2026-11-23.csv", "bac-kan-2018"),
    ("bac-kan-2018.csv", "bac-kan-2018"),
    ("quang-ninh__moi.xlsx", "quang-ninh"),
    ("quang-ninh-bo-sung__2026.csv", "quang-ninh-bo-sung"),  # the longest name wins
    ("bac-kan-2018x.csv", None),
    ("notes.txt", None),
])
def test_a_file_name_names_its_source(file_name: str, expected: str | None) -> None:
    assert match_source(file_name, ["bac-kan-2018", "quang-ninh", "quang-ninh-bo-sung"]) == expected


@pytest.mark.parametrize(("dropped", "kind"), [
    ("bac-kan-2018__phu-luc.pdf", "pdf"), ("bac-kan-2018__phu-luc.DOCX", "docx"),
    ("bac-kan-2018__moi.csv", "csv"), ("bac-kan-2018__moi.odt", "xlsx"),  # unknown: the source's own kind
])
def test_a_dropped_file_is_read_as_its_suffix_says(dropped: str, kind: str) -> None:
    spec = SourceSpec(name="bac-kan-2018", province="Bắc Kạn", kind="xlsx", location="bac_kan_2018.xlsx")
    read = source_for_partition({spec.name: spec}, spec.name, f"inbox/processed/{dropped}")
    assert (read.kind, read.location) == (kind, f"inbox/processed/{dropped}")


def _settled(path: Path) -> None:
    old = time.time() - 60
    os.utime(path, (old, old))


def test_a_dropped_file_is_harvested_once(specs: list[SourceSpec], resources: dict[str, Any], samples_dir: Path,
                                          tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    monkeypatch.setenv("HUB_INBOX", str(inbox))
    dropped = inbox / f"{HTTP_SOURCE}__2026-11-23.xlsx"
    shutil.copyfile(samples_dir / "registries" / "bac_kan_2018.xlsx", dropped)
    _settled(dropped)
    (inbox / "notes.txt").write_text("not a registry")
    defs = build_definitions(specs, resources)
    sensor = defs.resolve_sensor_def("inbox_sensor")
    instance = DagsterInstance.ephemeral()

    first = sensor.evaluate_tick(build_sensor_context(instance=instance, definitions=defs))
    assert len(first.run_requests) == 1
    request = first.run_requests[0]
    moved = inbox / "processed" / dropped.name
    assert request.partition_key == HTTP_SOURCE
    assert request.tags["ocop/inbox_file"] == str(moved)
    assert not dropped.exists() and moved.exists()
    assert (inbox / "notes.txt").exists()

    again = sensor.evaluate_tick(build_sensor_context(instance=instance, definitions=defs))
    assert again.run_requests == []
    assert "notes.txt" in again.skip_message

    result = defs.resolve_job_def("harvest_job").execute_in_process(
        run_config=request.run_config, partition_key=request.partition_key, tags=request.tags, instance=instance)
    assert result.success
    snapshot = result.output_for_node("raw_registry_rows")
    assert snapshot.source.location == str(moved)
    with Session(resources["hub_store"].engine()) as session:
        location, present = session.execute(
            select(Source.location, func.count(SourceRecord.id)).join(SourceRecord, SourceRecord.source_id == Source.id)
            .where(Source.name == HTTP_SOURCE).group_by(Source.location)).one()
    assert location == str(moved) and present > 0


def test_a_file_still_being_written_waits(specs: list[SourceSpec], tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    monkeypatch.setenv("HUB_INBOX", str(inbox))
    (inbox / f"{HTTP_SOURCE}__partial.csv").write_text("STT,Tên sản phẩm\n")
    sensor = build_definitions(specs, resources_for("local")).resolve_sensor_def("inbox_sensor")
    assert sensor.evaluate_tick(build_sensor_context(instance=DagsterInstance.ephemeral())).run_requests == []
    assert (inbox / f"{HTTP_SOURCE}__partial.csv").exists()
