"""The operator's `ocop-hub`: a sources file checked as a whole before anything runs, one line per
failed source (the trace in the log), and sources listed, disabled, enabled and removed.
Store-bound tests run on SQLite and PostgreSQL (``store_url``).

Commands run in process through typer's CliRunner, with the environment, working folder and
separate stdout/stderr a launch would have (an escaped exception is appended to stderr as its
traceback, as the executable would print it). The real executable still runs where the process
boundary is the point: ``--version``, and the harvest whose trace must reach stderr with
``--verbose`` and the log file without it (``executable=True``)."""
from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import traceback
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import func, select
from sqlmodel import Session
from typer.testing import CliRunner

from hub.cli.main import app
from hub.cli.common import console
from hub.store.engine import make_engine
from hub.store.models import ImportBatch, Product, ProductChange

OCOP_HUB = str(Path(sys.executable).with_name("ocop-hub"))


class Hub:
    """``ocop-hub`` run in ``folder`` on the store ``url``, its log under folder/home: in process,
    or as the real executable (``executable=True``)."""

    def __init__(self, folder: Path, url: str, executable: bool = False) -> None:
        self.folder = folder
        self.executable = executable
        self.settings = {"HUB_DATABASE_URL": url, "HUB_HOME": str(folder / "home"), "HUB_HTTP_RETRIES": "0",
                         "COLUMNS": "200"}
        self.env = {**os.environ, **self.settings}

    def __call__(self, *args: str) -> subprocess.CompletedProcess[str]:
        if self.executable:
            return subprocess.run([OCOP_HUB, *args], cwd=self.folder, env=self.env, capture_output=True,
                                  text=True, timeout=300)
        with contextlib.chdir(self.folder):
            result = CliRunner().invoke(app, list(args), env=self.settings, prog_name="ocop-hub")
        stderr = result.stderr
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            stderr += "".join(traceback.format_exception(result.exception))  # as the executable prints it
        return subprocess.CompletedProcess([OCOP_HUB, *args], result.exit_code, result.stdout, stderr)

    def sources_file(self, entries: list[dict[str, Any]], name: str = "sources.yaml") -> str:
        path = self.folder / name
        path.write_text(yaml.safe_dump({"sources": entries}, allow_unicode=True), encoding="utf-8")
        return str(path)


@pytest.fixture(autouse=True)
def piped_console_width(monkeypatch: pytest.MonkeyPatch) -> None:
    """The width the executable's console takes on a pipe (hub/cli/common.py), even under ``pytest -s``."""
    monkeypatch.setattr(console, "width", 120)


@pytest.fixture(scope="module")
def samples(samples_dir: Path) -> Path:
    return samples_dir / "registries"  # read only


@pytest.fixture
def hub(tmp_path: Path, store_url: str) -> Hub:
    return Hub(tmp_path, store_url)


@pytest.fixture
def sqlite_hub(tmp_path: Path) -> Hub:
    """For what does not depend on the store: a fresh SQLite file."""
    return Hub(tmp_path, f"sqlite:///{tmp_path / 'hub.sqlite3'}")


def entry(name: str, province: str, location: str | Path, kind: str = "xlsx", **extra: str) -> dict[str, Any]:
    return {"name": name, "province": province, "kind": kind, "location": str(location), **extra}


def tra_vinh(samples: Path) -> dict[str, Any]:
    return entry("tra-vinh", "Trà Vinh", samples / "tra_vinh" / "index.html", kind="html")


def bac_kan(samples: Path) -> dict[str, Any]:
    return entry("bac-kan-2018", "Bắc Kạn", samples / "bac_kan_2018.xlsx")


def output(result: subprocess.CompletedProcess[str]) -> str:
    return result.stdout + result.stderr


def table_row(text: str, name: str) -> list[str]:
    line = next(l for l in text.splitlines() if l.startswith("│ " + name + " "))
    return [c.strip() for c in line.strip("│ ").split("│")]


def test_check_and_harvest_list_every_problem_and_harvest_nothing(hub: Hub, samples: Path) -> None:
    path = hub.sources_file([
        tra_vinh(samples),
        entry("atlantis", "Atlantis", samples / "quang_ninh.xlsx"),
        entry("open-office", "Quảng Ninh", samples / "quang_ninh.xlsx", kind="odt", encoding="latin-9"),
        entry("tra-vinh", "Trà Vinh", samples / "lam_dong_2025.csv", kind="csv"),
        entry("late", "Quảng Ninh", samples / "not-delivered.xlsx"),
        bac_kan(samples),
    ])
    check = hub("sources", "check", path)
    assert check.returncode == 2, output(check)
    problems = [l for l in check.stdout.splitlines() if l.startswith("error: ")]
    assert [p.split(": ")[2:4] for p in problems] == [
        ["sources[1] ('atlantis')", "key 'province'"],
        ["sources[2] ('open-office')", "key 'kind'"],
        ["sources[2] ('open-office')", "key 'encoding'"],
        ["sources[3] ('tra-vinh')", "key 'name'"],
        ["sources[4] ('late')", "key 'location'"],
    ]
    assert "unknown province 'Atlantis'" in problems[0] and "duplicate name" in problems[3]
    assert "not-delivered.xlsx: file not found" in problems[4]
    assert "5 problems in" in check.stdout

    harvest = hub("harvest", "--sources", path)
    assert harvest.returncode == 2, output(harvest)
    refused = [l for l in harvest.stdout.splitlines() if l.startswith("error: ")]
    assert refused == problems[:4]  # a registry not delivered yet fails at run time, alone
    assert "nothing was harvested" in harvest.stdout and "Traceback" not in output(harvest)
    assert "Harvest summary" not in harvest.stdout
    with Session(make_engine(hub.env["HUB_DATABASE_URL"])) as session:
        assert session.execute(select(func.count()).select_from(ImportBatch)).scalar_one() == 0


def test_a_registry_missing_at_run_time_fails_alone_in_one_line(tmp_path: Path, store_url: str, samples: Path) -> None:
    hub = Hub(tmp_path, store_url, executable=True)
    path = hub.sources_file([tra_vinh(samples), entry("late", "Quảng Ninh", samples / "not-delivered.xlsx"),
                             bac_kan(samples)])
    result = hub("harvest", "--sources", path)
    assert result.returncode == 1, output(result)
    text = output(result)
    assert "Traceback" not in text
    assert table_row(result.stdout, "tra-vinh")[1] == "succeeded"
    assert table_row(result.stdout, "bac-kan-2018")[1] == "succeeded"
    assert table_row(result.stdout, "late")[1] == "failed"
    failures = [l for l in text.splitlines() if "late" in l and "failed" in l and not l.startswith("│")]
    assert failures == [f"source late ({samples / 'not-delivered.xlsx'}) failed: file not found; fix: deliver the "
                        "file there or correct its 'location' in the sources file, then harvest again"]
    log = Path(hub.env["HUB_HOME"]) / "harvest.log"
    assert f"the traces of the failures are in {log}" in text
    assert "Traceback" in log.read_text(encoding="utf-8") and "not-delivered.xlsx" in log.read_text(encoding="utf-8")

    verbose = hub("harvest", "--sources", path, "--verbose")
    assert verbose.returncode == 1 and "Traceback" in verbose.stderr and "FetchError" in verbose.stderr
    assert "Traceback" not in verbose.stdout


def test_list_disable_enable_remove(hub: Hub, samples: Path) -> None:
    path = hub.sources_file([tra_vinh(samples), bac_kan(samples), entry("late", "Quảng Ninh", samples / "nope.xlsx")])
    assert hub("harvest", "--sources", path).returncode == 1  # 'late' fails: registered with a failed batch
    listed = hub("sources", "list")
    assert listed.returncode == 0, output(listed)
    assert table_row(listed.stdout, "bac-kan-2018")[:3] == ["bac-kan-2018", "19 Bắc Kạn", "xlsx"]
    assert table_row(listed.stdout, "bac-kan-2018")[4:] == ["enabled", table_row(listed.stdout, "bac-kan-2018")[5],
                                                          "37", "37"]
    assert "harvest succeeded" in table_row(listed.stdout, "bac-kan-2018")[5]
    assert "harvest failed" in table_row(listed.stdout, "late")[5]
    assert table_row(listed.stdout, "late")[6:] == ["0", "0"]

    disabled = hub("sources", "disable", "bac-kan-2018")
    assert disabled.returncode == 0 and "disabled since" in disabled.stdout
    assert table_row(hub("sources", "list").stdout, "bac-kan-2018")[4].startswith("disabled ")
    skipped = hub("harvest", "--sources", path, "--source", "bac-kan-2018", "--source", "tra-vinh")
    assert skipped.returncode == 0, output(skipped)
    assert "source bac-kan-2018 is disabled (since " in skipped.stdout and "not harvested" in skipped.stdout
    assert table_row(skipped.stdout, "tra-vinh")[1] == "succeeded"
    assert not any(l.startswith("│ bac-kan-2018 ") for l in skipped.stdout.splitlines())
    assert hub("sources", "enable", "bac-kan-2018").returncode == 0
    again = hub("harvest", "--sources", path, "--source", "bac-kan-2018")
    assert table_row(again.stdout, "bac-kan-2018")[1] == "succeeded"

    refused = hub("sources", "remove", "bac-kan-2018")
    assert refused.returncode == 2
    assert "alone lists 37 products" in refused.stdout
    assert "ocop-hub sources disable bac-kan-2018" in refused.stdout
    assert "ocop-hub sources remove bac-kan-2018 --withdraw-products" in refused.stdout
    assert table_row(hub("sources", "list").stdout, "bac-kan-2018")[4] == "enabled"  # nothing changed

    assert hub("sources", "remove", "late").returncode == 0  # a source no product depends on goes at once
    removed = hub("sources", "remove", "bac-kan-2018", "--withdraw-products")
    assert removed.returncode == 0, output(removed)
    assert "37 rows unlisted, 37 products withdrawn" in removed.stdout
    listed = hub("sources", "list")
    assert not any(l.startswith(("│ bac-kan-2018 ", "│ late ")) for l in listed.stdout.splitlines())
    assert table_row(hub("sources", "list", "--all").stdout, "bac-kan-2018")[4].startswith("removed ")
    with Session(make_engine(hub.env["HUB_DATABASE_URL"])) as session:
        batch = session.scalars(select(ImportBatch).where(ImportBatch.kind == "removal")
                                .order_by(ImportBatch.id.desc())).first()
        assert batch.actor.startswith("cli") and batch.withdrawn == 37
        assert session.execute(select(func.count()).select_from(ProductChange)
                               .where(ProductChange.batch_id == batch.id, ProductChange.action == "withdrawn")
                               ).scalar_one() == 37
        assert session.execute(select(func.count()).select_from(Product)
                               .where(Product.status == "withdrawn")).scalar_one() == 37

    # the removed name stays taken: the sources file that still lists it is refused as a whole
    stale_file = hub("harvest", "--sources", path)
    assert stale_file.returncode == 2 and "was removed on" in stale_file.stdout
    assert hub("sources", "enable", "bac-kan-2018").returncode == 2
    assert hub("sources", "disable", "nope").stdout.startswith("error: no source named 'nope'")


def test_version(tmp_path: Path) -> None:
    result = Hub(tmp_path, f"sqlite:///{tmp_path / 'hub.sqlite3'}", executable=True)("--version")
    assert result.returncode == 0 and result.stdout.strip() == "ocop-hub 0.1.0"


@pytest.mark.parametrize("command", [[], ["harvest"], ["sources", "list"], ["sources", "remove"], ["db", "upgrade"]])
def test_help_shows_flags_without_a_value(sqlite_hub: Hub, command: list[str]) -> None:
    result = sqlite_hub(*command, "--help")
    assert result.returncode == 0 and "--help" in result.stdout
    assert "<bool>" not in result.stdout


def test_harvest_help_names_its_flags(sqlite_hub: Hub) -> None:
    text = sqlite_hub("harvest", "--help").stdout
    assert all(flag in text for flag in ("--dry-run", "--verbose")) and "<bool>" not in text


@pytest.mark.parametrize("text, message", [
    ("", "the sources file is empty"),
    ("sources: []\n", "'sources' lists no source"),
    ("sources:\n", "'sources' lists no source"),
])
def test_an_empty_sources_file_says_so(sqlite_hub: Hub, text: str, message: str) -> None:
    path = sqlite_hub.folder / "empty.yaml"
    path.write_text(text, encoding="utf-8")
    for command in (["harvest", "--sources", str(path)], ["sources", "check", str(path)]):
        result = sqlite_hub(*command)
        assert result.returncode == 2 and message in result.stdout, output(result)
