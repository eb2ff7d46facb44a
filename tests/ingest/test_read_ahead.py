"""The harvest of many sources on both cores (hub.sources.read_ahead, issue 27 item 6) stores what
the harvest of one source at a time stores, table for table, and records each failure alike: a
registry that cannot be fetched, one that cannot be read, and a second harvest of unchanged files."""
from __future__ import annotations

import dataclasses
import logging
import os
import shutil
from datetime import date
from pathlib import Path

from bench.harvest_paired import store_digest
from hub.ingest.run import applied_last
from hub.registries import load_sources
from hub.registries.read import RegistrySnapshot
from hub.registries.sources_file import SourceSpec
from hub.sources.harvest import harvest_source
from hub.sources import read_ahead
from hub.sources.read_ahead import harvest_sources
from hub.store.engine import make_engine

TODAY = date(2026, 12, 7)


def specs(samples_dir: Path, folder: Path) -> list[SourceSpec]:
    """The sample registries, with a missing file and a workbook that is not one among them."""
    sources = load_sources(samples_dir / "sources.yaml")
    broken = folder / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not a workbook")
    first = sources[0]
    return [*sources[:3],
            dataclasses.replace(first, name="missing", location=str(folder / "gone.xlsx")),
            dataclasses.replace(first, name="broken", location=str(broken)),
            *sources[3:]]


def summaries(found: list) -> list[tuple]:
    return [(spec.name, s.status, s.error, s.rows_read, s.created, s.unchanged, s.rejected, s.same_as_batch)
            for spec, s in found]


def test_read_ahead_stores_and_fails_as_one_source_at_a_time(samples_dir: Path, sqlite_template: Path,
                                                              tmp_path: Path, caplog) -> None:
    caplog.set_level(logging.INFO, logger="hub.sources.read_ahead")
    sources = specs(samples_dir, tmp_path)
    stores = {}
    for way in ("serial", "ahead"):
        db = tmp_path / f"{way}.sqlite3"
        shutil.copyfile(sqlite_template, db)
        engine = make_engine(f"sqlite:///{db}")
        runs = []
        for _ in range(2):  # the second harvest finds every registry unchanged
            if way == "serial":
                runs.append(summaries([(spec, harvest_source(engine, spec, today=TODAY)) for spec in sources]))
            else:
                runs.append(summaries(list(harvest_sources(engine, sources, today=TODAY))))
        # What the second process asks before reading a list: unchanged lists are not read again.
        read = [spec for spec in sources if spec.name != "missing"]
        assert [applied_last(engine, spec.name, spec.province, RegistrySnapshot(spec).fingerprint(), TODAY)
                for spec in read] == [spec.name != "broken" for spec in read]
        engine.dispose()
        stores[way] = (runs, store_digest(db))
    (serial_runs, serial_digest), (ahead_runs, ahead_digest) = stores["serial"], stores["ahead"]
    # Only the unreadable workbook was read again here; the second process read every other list.
    assert [r.getMessage().split(":")[0] for r in caplog.records if r.name == "hub.sources.read_ahead"] \
        == ["source broken"] * 2
    assert ahead_runs == serial_runs
    assert ahead_digest == serial_digest
    first, second = serial_runs
    by_name = {row[0]: row for row in first}
    assert by_name["missing"][1] == "failed" and by_name["missing"][2].startswith("FetchError: ")
    assert by_name["broken"][1] == "failed" and by_name["broken"][2].startswith("RegistryError: ")
    assert sum(row[4] for row in first) > 100, "the sample registries were harvested"
    assert all(row[7] is not None for row in second if row[1] == "succeeded"), "unchanged files were not read again"


def _die(spec: SourceSpec, today: date) -> None:
    """In place of the reader: the second process dies as if killed (the pool breaks)."""
    os._exit(1)


def test_a_dead_reader_leaves_every_list_to_the_harvesting_process(samples_dir: Path, sqlite_template: Path,
                                                                    tmp_path: Path, monkeypatch, caplog) -> None:
    caplog.set_level(logging.INFO, logger="hub.sources.read_ahead")
    sources = load_sources(samples_dir / "sources.yaml")[:4]
    found = {}
    for way in ("serial", "dead reader"):
        db = tmp_path / f"{way}.sqlite3"
        shutil.copyfile(sqlite_template, db)
        engine = make_engine(f"sqlite:///{db}")
        if way == "serial":
            found[way] = summaries([(spec, harvest_source(engine, spec, today=TODAY)) for spec in sources])
        else:
            monkeypatch.setattr(read_ahead, "read_and_normalize", _die)  # inherited by the forked reader
            found[way] = summaries(list(harvest_sources(engine, sources, today=TODAY)))
        engine.dispose()
        found[way].append(store_digest(db))
    assert found["dead reader"] == found["serial"]
    assert [(name, status) for name, status, *_ in found["serial"][:-1]] == [(s.name, "succeeded") for s in sources]
    messages = [r.getMessage() for r in caplog.records if r.name == "hub.sources.read_ahead"]
    assert messages[0].startswith(f"source {sources[0].name}: read again in the harvesting process (BrokenProcessPool")
    assert any(m.startswith("reading ahead stopped (BrokenProcessPool") for m in messages)


def test_a_list_unchanged_when_asked_but_changed_since_is_read_here(samples_dir: Path, sqlite_template: Path,
                                                                   tmp_path: Path) -> None:
    """The reader handed over only a fingerprint (the list was the one last applied), but the
    ingest finds it is not (a batch came in between): the list is fetched and read here, its
    reading notes kept, as the serial harvest reads it."""
    spec = load_sources(samples_dir / "sources.yaml")[0]
    found = []
    for way in ("serial", "handed over"):
        db = tmp_path / f"{way}.sqlite3"
        shutil.copyfile(sqlite_template, db)
        engine = make_engine(f"sqlite:///{db}")
        fingerprint = RegistrySnapshot(spec).fingerprint()
        handed = read_ahead.HandedOver(spec, read_ahead.ReadRegistry(fingerprint, None, None))
        snapshot = None if way == "serial" else handed
        summary = harvest_source(engine, spec, today=TODAY, snapshot=snapshot)
        engine.dispose()
        found.append((summaries([(spec, summary)]), summary.reading, store_digest(db)))
    assert found[0] == found[1]
    assert found[0][0][0][4] > 0 and found[0][1]["sheets"], "the list was read, and what the reader saw kept"
