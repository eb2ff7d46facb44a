"""`make dagster` (pipelines/dev.py) through a real subprocess: DAGSTER_HOME is the repository root
(its dagster.yaml the one Dagster reads, Dagster's files under .ocop-hub/dagster), the UI up on the
given port without the "will not be used" warning nor "Use 'dg dev' instead", and a stop signal (a supervisor's SIGTERM, or
Ctrl-C to the terminal's process group) leaves no process.

Both cases start Dagster on the repository's own instance folder, as `make dagster` does: they run
one after the other, on one xdist worker (XDIST_GROUPS in tests/conftest.py)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from pipelines.dev import INSTANCE_CONFIG, REPO_ROOT, main

from .processes import alive, descendants, free_port, inheriting

STARTUP_SECONDS = 120

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the process tree from /proc")


def wait_for_ui(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        assert process.poll() is None, "the script exited before the UI answered"
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/server_info", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"no Dagster UI on port {port} after {STARTUP_SECONDS} s")


@pytest.mark.parametrize("stop", ["SIGTERM to the script", "Ctrl-C to its process group"])
def test_make_dagster_starts_the_ui_and_a_stop_leaves_no_process(tmp_path: Path, stop: str) -> None:
    port = free_port()
    env = {**os.environ, "HUB_SOURCES_FILE": str(tmp_path / "none.yaml"), "HUB_INBOX": str(tmp_path / "inbox"),
           "HUB_DATABASE_URL": f"sqlite:///{tmp_path / 'hub.sqlite3'}", "DAGSTER_HOME": str(tmp_path / "elsewhere")}
    log = tmp_path / "dev.log"
    with open(log, "wb") as out:
        process = subprocess.Popen([sys.executable, "-m", "pipelines.dev", "--port", str(port)], cwd=REPO_ROOT,
                                   env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            wait_for_ui(port, process)
            assert (REPO_ROOT / ".ocop-hub" / "dagster" / "history").is_dir(), "Dagster's storage, as dagster.yaml says"
            started = descendants(process.pid)
            assert len(started) >= 3, "dagster dev, its webserver and its daemon"
            if stop.startswith("SIGTERM"):
                process.send_signal(signal.SIGTERM)
            else:
                os.killpg(process.pid, signal.SIGINT)
            assert process.wait(timeout=60) == 0
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
    output = log.read_text(errors="replace")
    assert "will not be used" not in output
    assert "dg dev" not in output and "SupersessionWarning" not in output  # docs/deploy.md, "Why not dg"
    assert f"http://127.0.0.1:{port}" in output
    assert not {pid for pid in started if alive(pid)}, output[-3000:]
    assert not inheriting(f"HUB_INBOX={tmp_path / 'inbox'}"), output[-3000:]
    assert not (tmp_path / "elsewhere").exists(), "a DAGSTER_HOME of the caller's is not used"


def test_the_instance_config_is_the_root_dagster_yaml_and_keeps_dagsters_files_in_an_ignored_folder() -> None:
    import yaml

    assert INSTANCE_CONFIG == REPO_ROOT / "dagster.yaml" and INSTANCE_CONFIG.is_file()
    assert not (REPO_ROOT / "pipelines" / "dagster.yaml").exists(), "one instance config, no copy"
    config = yaml.safe_load(INSTANCE_CONFIG.read_text(encoding="utf-8"))
    folders = [config["storage"]["sqlite"]["base_dir"], config["local_artifact_storage"]["config"]["base_dir"],
               config["compute_logs"]["config"]["base_dir"]]
    assert all(folder.startswith(".ocop-hub/") for folder in folders), folders
    assert ".ocop-hub/" in (REPO_ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()


def test_the_script_points_dagster_home_at_the_repository_root(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, object] = {}
    monkeypatch.setenv("DAGSTER_HOME", "/somewhere/else")
    monkeypatch.setattr("pipelines.dev.run", lambda command, env: seen.update(command=command, env=env) or 0)
    assert main(["--port", "3999"]) == 0
    assert seen["env"]["DAGSTER_HOME"] == str(REPO_ROOT)  # type: ignore[index]
    assert seen["command"][-5:] == ["dev", "-h", "127.0.0.1", "-p", "3999"]  # type: ignore[index]
