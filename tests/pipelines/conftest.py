"""Sample registries (generated once per session: ``samples_dir``, tests/conftest.py) served by a
real HTTP server on 127.0.0.1, and the resources of a test deployment (a fresh store per test,
snapshots under tmp_path)."""
from __future__ import annotations

import functools
import threading
import time
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml

from hub.registries import fetch
from hub.registries.sources_file import SourceSpec

HTTP_SOURCE = "bac-kan-2018"
FILE_SOURCE = "lam-dong-2025"
SLOW_SECONDS = 1.5


class RegistryHandler(SimpleHTTPRequestHandler):
    """Serves the sample folder; paths in ``server.failing`` answer 500, in ``server.slow`` hang."""

    def do_GET(self) -> None:
        if self.path in self.server.failing:  # type: ignore[attr-defined]
            self.send_error(500, "registry temporarily broken")
            return
        if self.path in self.server.slow:  # type: ignore[attr-defined]
            time.sleep(SLOW_SECONDS)
        super().do_GET()

    def log_message(self, format: str, *args: Any) -> None:
        pass


class RegistryServer:
    def __init__(self, root: Path) -> None:
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(RegistryHandler, directory=str(root)))
        self.httpd.daemon_threads = True
        self.httpd.failing = set()  # type: ignore[attr-defined]
        self.httpd.slow = set()  # type: ignore[attr-defined]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def failing(self) -> set[str]:
        return self.httpd.failing  # type: ignore[attr-defined]

    @property
    def slow(self) -> set[str]:
        return self.httpd.slow  # type: ignore[attr-defined]

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/{path}"


@pytest.fixture(scope="session")
def registry_server(samples_dir: Path) -> Iterator[RegistryServer]:
    server = RegistryServer(samples_dir)
    server.thread.start()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()


@pytest.fixture(autouse=True)
def fast_http(monkeypatch: pytest.MonkeyPatch) -> None:
    """A broken registry fails in milliseconds, not after seconds of backoff."""
    monkeypatch.setattr(fetch, "BACKOFF_BASE_S", 0.01)
    monkeypatch.setenv("HUB_HTTP_TIMEOUT_S", "5")
    monkeypatch.setenv("HUB_HTTP_RETRIES", "1")


@pytest.fixture
def registry_server_clean(registry_server: RegistryServer) -> Iterator[RegistryServer]:
    yield registry_server
    registry_server.failing.clear()
    registry_server.slow.clear()


@pytest.fixture
def sources_file(samples_dir: Path, registry_server_clean: RegistryServer, tmp_path: Path) -> Path:
    """The generated sources file, with the HTTP source's location rewritten to its URL."""
    document = yaml.safe_load((samples_dir / "sources.yaml").read_text(encoding="utf-8"))
    for entry in document["sources"]:
        if entry["name"] == HTTP_SOURCE:
            entry["location"] = registry_server_clean.url(entry["location"])
        else:
            entry["location"] = str(samples_dir / entry["location"])
    path = tmp_path / "sources.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def specs(sources_file: Path) -> list[SourceSpec]:
    from pipelines.partitions import load_catalog

    return load_catalog(sources_file)


@pytest.fixture
def resources(store_url: str, tmp_path: Path) -> dict[str, Any]:
    from pipelines.resources import HubStore, LiveRegistryClient, SnapshotStore

    return {"hub_store": HubStore(database_url=store_url), "registry": LiveRegistryClient(),
            "snapshots": SnapshotStore(root=str(tmp_path / "snapshots"))}
