"""A real HTTP server on 127.0.0.1 (ephemeral port) for the fetch and reader tests."""
from __future__ import annotations

import socket
import struct
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from hub.units.resolver import UnitResolver
from hub.registries import fetch

Route = Callable[["_Handler", dict[str, list[str]]], None]


class LocalServer:
    """Routes by path; anything else is served from ``root`` if set. ``hits`` counts requests per path."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.root: Path | None = None
        self.hits: Counter[str] = Counter()
        self.stop = threading.Event()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._httpd.daemon_threads = True
        self._httpd.app = self  # type: ignore[attr-defined]
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.02,), daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def start(self) -> None:
        self._thread.start()

    def close(self) -> None:
        self.stop.set()
        self._httpd.shutdown()
        self._httpd.server_close()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # keep test output clean
        pass

    def do_GET(self) -> None:
        app: LocalServer = self.server.app  # type: ignore[attr-defined]
        parts = urlsplit(self.path)
        app.hits[parts.path] += 1
        route = app.routes.get(parts.path)
        if route is not None:
            route(self, parse_qs(parts.query))
            return
        if app.root is not None:
            target = (app.root / parts.path.lstrip("/")).resolve()
            if target.is_file() and app.root.resolve() in target.parents:
                self.send(200, target.read_bytes())
                return
        self.send(404, b"not found")

    def send(self, status: int, body: bytes, content_type: str = "application/octet-stream") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def reset(self) -> None:
        """Close the connection with a TCP RST (SO_LINGER 0)."""
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()
        self.close_connection = True

    def handle(self) -> None:
        try:
            super().handle()
        except OSError:
            pass  # the connection was reset on purpose


@pytest.fixture
def server() -> Iterator[LocalServer]:
    app = LocalServer()
    app.start()
    try:
        yield app
    finally:
        app.close()


@pytest.fixture(autouse=True)
def fast_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    """Retries wait milliseconds, not seconds, in tests."""
    monkeypatch.setattr(fetch, "BACKOFF_BASE_S", 0.01)
    monkeypatch.setenv("HUB_HTTP_TIMEOUT_S", "2")
    monkeypatch.setenv("HUB_HTTP_RETRIES", "2")


@pytest.fixture(scope="session")
def resolver() -> UnitResolver:
    """The unit tables a store loads, built once for the held-out rounds (about a second)."""
    return UnitResolver.from_packages()
