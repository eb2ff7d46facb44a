"""`ocop-hub` end to end on a real SQLite file: upgrade, harvest (summary, exit codes), schema."""
from __future__ import annotations

import shutil
import socket
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from hub.cli.main import app

runner = CliRunner()


@pytest.fixture
def empty_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, samples_dir: Path) -> Path:
    """A store file that does not exist yet, and a copy of the session's samples (tests change them);
    HUB_HOME (the harvest log) under tmp_path, not the repository's .ocop-hub."""
    monkeypatch.setenv("HUB_DATABASE_URL", f"sqlite:///{tmp_path / 'hub.sqlite3'}")
    monkeypatch.setenv("HUB_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("HUB_HTTP_RETRIES", "0")
    shutil.copytree(samples_dir, tmp_path / "samples")
    return tmp_path


@pytest.fixture
def env(empty_env: Path, sqlite_template: Path) -> Path:
    """As ``empty_env``, the store a copy of the session's migrated template (tests/conftest.py):
    migrating from nothing is ``test_db_upgrade_reports_the_revision``'s case."""
    shutil.copyfile(sqlite_template, empty_env / "hub.sqlite3")
    return empty_env


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_db_upgrade_reports_the_revision(empty_env: Path) -> None:
    from alembic.script import ScriptDirectory

    from hub.store.schema import MIGRATIONS

    head = ScriptDirectory(str(MIGRATIONS)).get_current_head()
    result = runner.invoke(app, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert head == "0011" and f"revision {head}" in " ".join(result.output.split())  # however the URL wraps


def test_harvest_prints_a_summary_per_source_and_exits_zero(env: Path) -> None:
    result = runner.invoke(app, ["harvest", "--sources", str(env / "samples" / "sources.yaml"),
                                 "--source", "bac-kan-2018"])
    assert result.exit_code == 0, result.output
    line = next(l for l in result.output.splitlines() if "bac-kan-2018" in l and "succeeded" in l)
    assert [c.strip() for c in line.strip("│ ").split("│")] == ["bac-kan-2018", "succeeded", "40", "37", "0", "0", "0", "3", "37", "0"]
    again = runner.invoke(app, ["harvest", "--sources", str(env / "samples" / "sources.yaml"),
                                "--source", "bac-kan-2018"])
    line = next(l for l in again.output.splitlines() if "bac-kan-2018" in l and "succeeded" in l)
    assert [c.strip() for c in line.strip("│ ").split("│")] == ["bac-kan-2018", "succeeded", "40", "0", "0", "37", "0", "3", "37", "0"]
    assert "bac-kan-2018: file unchanged since batch 1, not read again" in " ".join(again.output.split())


def test_failed_source_exits_one_and_the_others_still_land(env: Path) -> None:
    sources = yaml.safe_load((env / "samples" / "sources.yaml").read_text(encoding="utf-8"))
    sources["sources"].append({"name": "offline", "province": "Quảng Ninh", "kind": "csv",
                               "location": f"http://127.0.0.1:{closed_port()}/registry.csv"})
    path = env / "samples" / "with-offline.yaml"
    path.write_text(yaml.safe_dump(sources, allow_unicode=True), encoding="utf-8")
    result = runner.invoke(app, ["harvest", "--sources", str(path), "--source", "offline",
                                 "--source", "tra-vinh"])
    assert result.exit_code == 1, result.output
    assert "source offline (http://127.0.0.1:" in result.output and "failed: GET" in result.output
    assert any("tra-vinh" in l and "succeeded" in l for l in result.output.splitlines())


@pytest.mark.parametrize("args, message", [
    (["--source", "nope"], "no source named nope"),
    (["--sources", "missing.yaml"], "missing.yaml"),
])
def test_bad_arguments_exit_two_with_a_clear_message(env: Path, args: list[str], message: str) -> None:
    base = ["harvest", "--sources", str(env / "samples" / "sources.yaml")]
    result = runner.invoke(app, base + args)
    assert result.exit_code == 2
    assert message in result.output


def test_keys_create_list_revoke(env: Path) -> None:
    from hub.access.keys import verify_token
    from hub.store.engine import make_engine

    created = runner.invoke(app, ["keys", "create", "--role", "province", "--province", "22",
                                  "--name", "Sở NN Quảng Ninh"])
    assert created.exit_code == 0, created.output
    token = created.output.strip().splitlines()[-1]
    engine = make_engine()
    assert verify_token(engine, token).province_code == "22"
    listed = runner.invoke(app, ["keys", "list"])
    assert "Sở NN Quảng Ninh" in listed.output and token not in listed.output
    row = next(line for line in listed.output.splitlines() if "Sở NN Quảng Ninh" in line)
    cells = [c.strip() for c in row.strip("│ ").split("│")]
    assert cells[6] not in ("", "-") and cells[6][:10] == cells[5][:10]  # last used: now, like created
    assert cells[7] == "-"  # not revoked
    assert runner.invoke(app, ["keys", "revoke", "1"]).exit_code == 0
    assert verify_token(engine, token) is None
    assert runner.invoke(app, ["keys", "revoke", "1"]).exit_code == 2


@pytest.mark.parametrize("args, message", [
    (["--role", "province", "--name", "X"], "needs --province"),
    (["--role", "province", "--province", "99", "--name", "X"], "unknown province code '99'"),
    (["--role", "ministry", "--province", "22", "--name", "X"], "do not give --province"),
    (["--role", "admin", "--name", "X"], "--role must be ministry or province"),
])
def test_keys_create_refuses_bad_arguments_clearly(env: Path, args: list[str], message: str) -> None:
    result = runner.invoke(app, ["keys", "create", *args])
    assert result.exit_code == 2 and message in result.output
