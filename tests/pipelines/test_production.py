"""The production profile end to end (docs/deploy.md): the commands of deploy/systemd's units, run
as separate processes on PostgreSQL, harvest a registry dropped into the inbox and recount the
national aggregates, then all stop on SIGTERM and leave no process behind.

Each unit's ``ExecStart`` runs as systemd would: its ``${VAR}`` from the environment of
deploy/ocop-hub.env.example (values of this test: fresh databases, free ports, folders under
tmp_path), /opt/ocop-hub read as this checkout and its .venv as the interpreter's folder. Every
wait is bounded and says what it waited for, with the end of each process's log."""
from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, TypeVar

import pytest
import requests
from sqlalchemy import create_engine, func, select, text
from sqlmodel import Session

from hub.store.models import Product, Province, Source
from hub.vocabulary import ProductStatus
from pipelines.dev import REPO_ROOT, signal_group, wait_group
from tests.conftest import _PG_REASON, _pg_url_for, empty_postgres_database

from .conftest import FILE_SOURCE
from .processes import free_port, inheriting

DEPLOY = REPO_ROOT / "deploy"
UNITS = DEPLOY / "systemd"
INSTALL_ROOT = "/opt/ocop-hub"
"""Where the units expect the checkout (and its .venv): this test runs them from this one."""
START_S = 90.0
HARVEST_S = 120.0
RECOUNT_S = 90.0

T = TypeVar("T")


@dataclass
class Unit:
    name: str
    exec_start: list[str]
    settings: dict[str, str] = field(default_factory=dict)


def test_docs_deploy_shows_each_deploy_file_as_it_is() -> None:
    blocks = {match.group(1) for match in re.finditer(r"^```\w*\n(.*?)^```", (REPO_ROOT / "docs" / "deploy.md")
                                                     .read_text(encoding="utf-8"), re.MULTILINE | re.DOTALL)}
    files = sorted(path for path in DEPLOY.rglob("*") if path.is_file())
    assert len(files) == 8, files
    for path in files:
        shown = path.read_text(encoding="utf-8") in blocks
        assert shown, f"docs/deploy.md does not show {path.relative_to(REPO_ROOT)} as it is"


def default_signals() -> None:
    """In the unit's process before it starts: every signal handled as by default, as systemd
    starts a service. A suite started in the background by a shell without job control (``make
    test &`` in a script) inherits SIGINT ignored, and Dagster's code server, which gives SIGTERM
    SIGINT's handler, then ignored SIGTERM too: stops that hung until SIGKILL."""
    for signum in (signal.SIGINT, signal.SIGQUIT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, signal.SIG_DFL)


def what_is_left(pgid: int) -> str:
    """The processes of a group that outlived its stop, and where each one's Python is (py-spy),
    for the failure's message: which process holds the stop, and on what."""
    listing = subprocess.run(["ps", "-o", "pid=,ppid=,stat=,etime=,args=", "-g", str(pgid)],
                             capture_output=True, text=True).stdout
    parts = [listing]
    for line in listing.splitlines():
        pid = line.split()[0]
        dump = subprocess.run([str(Path(sys.executable).parent / "py-spy"), "dump", "--pid", pid],
                              capture_output=True, text=True, timeout=30)
        parts.append(f"--- py-spy dump of {pid}\n{dump.stdout or dump.stderr}")
    return "\n".join(parts)


def read_unit(name: str) -> Unit:
    """The [Service] settings of ``deploy/systemd/<name>.service`` (every ``ExecStart`` kept)."""
    unit = Unit(name, [])
    section = ""
    for line in (UNITS / f"{name}.service").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line.startswith("["):
            section = line
        elif section == "[Service]" and "=" in line and not line.startswith("#"):
            key, value = line.split("=", 1)
            if key == "ExecStart":
                unit.exec_start.append(value)
            else:
                unit.settings[key] = value
    return unit


def command(line: str, env: dict[str, str]) -> list[str]:
    """An ``ExecStart`` line as systemd runs it here: ``${VAR}`` from ``env``, paths into this checkout."""
    def expand(match: re.Match[str]) -> str:
        assert match.group(1) in env, f"{line!r} uses ${{{match.group(1)}}}, which ocop-hub.env.example does not set"
        return env[match.group(1)]

    words = shlex.split(re.sub(r"\$\{(\w+)\}", expand, line))
    venv_bin = f"{INSTALL_ROOT}/.venv/bin/"
    assert words[0].startswith(venv_bin), f"{line!r}: the units run the programs of {venv_bin}"
    return [str(Path(sys.executable).parent / words[0][len(venv_bin):]), *words[1:]]


def example_environment() -> dict[str, str]:
    """The variables of deploy/ocop-hub.env.example, with its example values."""
    found = {}
    for line in (DEPLOY / "ocop-hub.env.example").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, value = line.split("=", 1)
            found[key.strip()] = value.strip()
    return found


class Services:
    """The long-running units, each in its own process group with its log in ``logs``."""

    def __init__(self, env: dict[str, str], logs: Path) -> None:
        self.env = env
        self.logs = logs
        self.running: dict[str, subprocess.Popen[bytes]] = {}
        self.started = time.monotonic()
        self.timeline: list[str] = []
        """What was waited for, and when it came (seconds from the start): shown with -s or a failure."""

    def _check_unit(self, unit: Unit) -> None:
        assert unit.settings.get("WorkingDirectory") == INSTALL_ROOT, unit
        assert unit.settings.get("EnvironmentFile") == "/etc/ocop-hub/ocop-hub.env", unit

    def run_oneshot(self, name: str, timeout: float = START_S) -> None:
        """A oneshot unit's commands. systemd runs them one after the other; they migrate one
        database each, so here they run side by side (one interpreter start less to wait for)."""
        unit = read_unit(name)
        self._check_unit(unit)
        assert unit.settings.get("Type") == "oneshot" and unit.exec_start, unit
        started = [(line, subprocess.Popen(command(line, self.env), cwd=REPO_ROOT, env=self.env, text=True,
                                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True))
                   for line in unit.exec_start]
        for line, process in started:
            try:
                output, _ = process.communicate(timeout=timeout)
            finally:
                if process.poll() is None:
                    signal_group(process.pid, signal.SIGKILL)
                    process.wait(timeout=10)
            assert process.returncode == 0, f"{name}: {line} exited with {process.returncode}:\n{output}"

    def start(self, name: str) -> None:
        unit = read_unit(name)
        self._check_unit(unit)
        assert len(unit.exec_start) == 1, unit
        with open(self.logs / f"{name}.log", "wb") as log:
            self.running[name] = subprocess.Popen(command(unit.exec_start[0], self.env), cwd=REPO_ROOT, env=self.env,
                                                  stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                                  start_new_session=True, preexec_fn=default_signals)

    def note(self, event: str) -> None:
        self.timeline.append(f"{time.monotonic() - self.started:6.1f} s  {event}")

    def log_tails(self, chars: int = 2500) -> str:
        tails = [f"--- {path.name} ---\n{path.read_text(errors='replace')[-chars:]}"
                 for path in sorted(self.logs.glob("*.log"))]
        return "\n".join([*self.timeline, *tails])

    def check_running(self) -> None:
        exited = {name: p.returncode for name, p in self.running.items() if p.poll() is not None}
        assert not exited, f"services exited: {exited}\n{self.log_tails()}"

    def stop(self) -> list[str]:
        """Stop as systemd stops the units: in the reverse of their start order (the daemon and the
        webserver, ordered After= the code server, before it), each by SIGTERM to its group and
        SIGKILL if it is not gone within the unit's own ``TimeoutStopSec``; the units that needed
        SIGKILL, each with its bound."""
        killed = []
        for name, process in reversed(self.running.items()):
            bound = float(read_unit(name).settings["TimeoutStopSec"])
            signal_group(process.pid, signal.SIGTERM)
            if not wait_group(process, process.pid, bound):
                killed.append(f"{name} (TimeoutStopSec={bound:.0f})\n{what_is_left(process.pid)}")
                signal_group(process.pid, signal.SIGKILL)
                wait_group(process, process.pid, 10.0)
        return killed


def wait_for(what: str, probe: Callable[[], T | None], seconds: float, services: Services) -> T:
    """``probe()``'s first true answer within ``seconds``; else a failure naming ``what``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        services.check_running()
        try:
            answer = probe()
        except requests.RequestException:
            answer = None
        if answer:
            services.note(what)
            return answer
        time.sleep(0.5)
    raise AssertionError(f"{what}: not within {seconds:.0f} s\n{services.log_tails()}")


def graphql(url: str, query: str, **variables: Any) -> dict[str, Any]:
    response = requests.post(url, json={"query": query, "variables": variables}, timeout=10)
    response.raise_for_status()
    body = response.json()
    assert not body.get("errors"), body["errors"]
    return body["data"]


LOCATION = """{ workspaceOrError { ... on Workspace { locationEntries {
    name loadStatus locationOrLoadError { __typename ... on PythonError { message } } } } } }"""
RUNS_OF_FILE = """query ($file: String!) { runsOrError(filter: {tags: [{key: "ocop/inbox_file", value: $file}]}) {
    ... on Runs { results { runId status startTime endTime } } } }"""
LATEST_AGGREGATES = """{ assetOrError(assetKey: {path: ["national_aggregates"]}) { ... on Asset {
    assetMaterializations(limit: 1) { runId timestamp
        metadataEntries { label ... on IntMetadataEntry { intValue } } } } } }"""


def code_server_ready(port: str) -> Callable[[], bool]:
    """True once the code server answers with the loaded code location (its gRPC API)."""
    from dagster._grpc.client import DagsterGrpcClient
    from dagster._serdes import deserialize_value
    from dagster._utils.error import SerializableErrorInfo

    def probe() -> bool:
        try:
            answer = deserialize_value(DagsterGrpcClient(port=int(port), host="127.0.0.1").list_repositories())
        except Exception:  # not listening yet, or still loading: ask again
            return False
        return not isinstance(answer, SerializableErrorInfo)

    return probe


@pytest.fixture
def dagster_database() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for Dagster's storage (skipped without PostgreSQL, as
    the hub's store below is)."""
    if _PG_REASON:
        pytest.skip(_PG_REASON)
    with empty_postgres_database("ocop_dagster") as name:
        yield _pg_url_for(name)


@pytest.fixture
def hub_database(postgres_copies: Any) -> Iterator[str]:
    """A fresh, migrated hub store on PostgreSQL (tests/conftest.py's template copies)."""
    name = postgres_copies.take()
    yield _pg_url_for(name)
    postgres_copies.give_back(name)


@pytest.mark.postgres
def test_the_production_services_harvest_the_inbox_into_postgresql_and_recount(
        hub_database: str, dagster_database: str, sources_file: Path, samples_dir: Path, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    ours = {
        "HUB_DATABASE_URL": hub_database, "DAGSTER_PG_URL": dagster_database,
        "DAGSTER_HOME": str(tmp_path / "dagster"), "DAGSTER_CODE_SERVER_PORT": str(free_port()),
        "DAGSTER_WEBSERVER_PORT": str(free_port()), "HUB_PORT": str(free_port()), "HUB_DEPLOYMENT": "prod",
        "HUB_SOURCES_FILE": str(sources_file), "HUB_INBOX": str(inbox), "HUB_HOME": str(tmp_path / "home"),
    }
    assert set(ours) == set(example_environment()), "the test sets each variable of deploy/ocop-hub.env.example"
    env = {**os.environ, **ours, "PYTHONUNBUFFERED": "1"}
    (tmp_path / "dagster").mkdir()
    (tmp_path / "dagster" / "dagster.yaml").symlink_to(DEPLOY / "dagster.yaml")  # as docs/deploy.md installs it
    checkout_before = sorted(DEPLOY.rglob("*"))
    logs = tmp_path / "logs"
    logs.mkdir()
    services = Services(env, logs)
    dagster = f"http://127.0.0.1:{ours['DAGSTER_WEBSERVER_PORT']}"
    api = f"http://127.0.0.1:{ours['HUB_PORT']}"
    try:
        services.run_oneshot("ocop-hub-migrate")
        services.note("migrated")
        for name in ("ocop-dagster-code", "ocop-hub-api"):  # the API is answered at the end
            services.start(name)
        # The webserver and the daemon connect to the code server (After= in their units).
        wait_for("the code server serves the code location", code_server_ready(ours["DAGSTER_CODE_SERVER_PORT"]),
                 START_S, services)
        # A province's corrected list, already fully copied (older than the sensor's settle time).
        dropped = inbox / f"{FILE_SOURCE}__2026-12-07.csv"
        shutil.copyfile(samples_dir / "registries" / "lam_dong_2025.csv", dropped)
        settled = time.time() - 60
        os.utime(dropped, (settled, settled))
        for name in ("ocop-dagster-daemon", "ocop-dagster-webserver"):
            services.start(name)

        def location_loaded() -> bool:
            entries = graphql(f"{dagster}/graphql", LOCATION)["workspaceOrError"]["locationEntries"]
            return [(e["name"], e["locationOrLoadError"] and e["locationOrLoadError"]["__typename"])
                    for e in entries] == [("ocop_hub", "RepositoryLocation")]

        wait_for("the webserver serves the code server's location ocop_hub", location_loaded, START_S, services)
        moved = str(inbox / "processed" / dropped.name)

        def harvested() -> dict[str, Any] | None:
            runs = graphql(f"{dagster}/graphql", RUNS_OF_FILE, file=moved)["runsOrError"]["results"]
            assert all(r["status"] not in ("FAILURE", "CANCELED") for r in runs), (runs, services.log_tails())
            return runs[0] if runs and runs[0]["status"] == "SUCCESS" else None

        harvest = wait_for(f"the inbox sensor's run harvests {dropped.name}", harvested, HARVEST_S, services)
        assert not dropped.exists() and Path(moved).exists()

        store = create_engine(hub_database)
        try:
            with Session(store) as session:
                location = session.execute(select(Source.location).where(Source.name == FILE_SOURCE)).scalar_one()
                counted = session.execute(
                    select(func.count()).select_from(Product).join(Province, Province.code == Product.province_code)
                    .where(Product.status != ProductStatus.WITHDRAWN.value)).scalar_one()
                listed = session.execute(select(func.count()).select_from(Product)
                                         .where(Product.status != ProductStatus.WITHDRAWN.value)).scalar_one()
        finally:
            store.dispose()
        assert location == moved, "the store's source was read from the dropped file"
        assert counted > 0

        def recounted() -> dict[str, Any] | None:
            asset = graphql(f"{dagster}/graphql", LATEST_AGGREGATES)["assetOrError"]
            latest = (asset or {}).get("assetMaterializations") or []
            if latest and float(latest[0]["timestamp"]) / 1000 > harvest["endTime"]:
                return latest[0]
            return None

        aggregates = wait_for("national_aggregates recounted after the harvest", recounted, RECOUNT_S, services)
        metadata = {entry["label"]: entry.get("intValue") for entry in aggregates["metadataEntries"]}
        assert aggregates["runId"] != harvest["runId"]
        assert metadata["products"] == counted, (metadata, counted)

        wait_for("ocop-hub serve answers /healthz", lambda: requests.get(f"{api}/healthz", timeout=2).ok, START_S,
                 services)
        served = graphql(f"{api}/graphql", "{ products { totalCount } }")["products"]["totalCount"]
        assert served == listed, "ocop-hub serve answers from the store the harvest wrote"

        dagster_storage = create_engine(dagster_database)
        try:
            with dagster_storage.connect() as conn:
                stored = set(conn.execute(text("SELECT run_id FROM runs")).scalars())
        finally:
            dagster_storage.dispose()
        assert {harvest["runId"], aggregates["runId"]} <= stored, "both runs are in Dagster's PostgreSQL storage"
    finally:
        killed = services.stop()
    services.note(f"stopped (SIGKILL needed by: {killed or 'none'})")
    print("\n".join(services.timeline))
    assert not killed, f"not stopped by SIGTERM within TimeoutStopSec: {killed}\n{services.log_tails()}"
    assert not inheriting(f"HUB_INBOX={inbox}"), f"processes left behind\n{services.log_tails()}"
    assert sorted(DEPLOY.rglob("*")) == checkout_before, "Dagster writes into DAGSTER_HOME, not into the checkout"
