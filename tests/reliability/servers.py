"""Small hostile servers on 127.0.0.1 for fault tests: a registry that misbehaves on demand, and a
TCP proxy that can cut the API server off from PostgreSQL and restore it."""
from __future__ import annotations

import socket
import struct
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable


class Registry:
    """``http://127.0.0.1:<port>/<behaviour>``; ``hits[path]`` counts requests (with their times).

    Behaviours: /good, /hang, /trickle, /reset, /500, /garbage, /flaky (500 twice, then good),
    /404. ``body`` is what /good and /flaky serve.
    """

    def __init__(self, body: bytes, garbage: bytes = b"\x00\xff garbage \x89PNG" * 100,
                 hang_s: float = 3.0, trickle_every_s: float = 0.05) -> None:
        self.body, self.garbage, self.hang_s, self.trickle_every_s = body, garbage, hang_s, trickle_every_s
        self.hits: dict[str, list[float]] = {}
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                path = self.path.split("?")[0]
                owner.hits.setdefault(path, []).append(time.monotonic())
                getattr(owner, "serve_" + path.strip("/").replace("-", "_"), owner.serve_404)(self)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "Registry":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    @staticmethod
    def _send(h: BaseHTTPRequestHandler, status: int, body: bytes) -> None:
        h.send_response(status)
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)

    def serve_good(self, h: BaseHTTPRequestHandler) -> None:
        self._send(h, 200, self.body)

    def serve_404(self, h: BaseHTTPRequestHandler) -> None:
        self._send(h, 404, b"not here")

    def serve_500(self, h: BaseHTTPRequestHandler) -> None:
        self._send(h, 500, b"Internal Server Error")

    def serve_garbage(self, h: BaseHTTPRequestHandler) -> None:
        self._send(h, 200, self.garbage)

    def serve_flaky(self, h: BaseHTTPRequestHandler) -> None:
        if len(self.hits["/flaky"]) <= 2:
            self._send(h, 503, b"busy")
        else:
            self._send(h, 200, self.body)

    def serve_hang(self, h: BaseHTTPRequestHandler) -> None:
        time.sleep(self.hang_s)  # says nothing at all, not even a status line

    def serve_trickle(self, h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Length", str(10 * len(self.body) + 10_000))
        h.end_headers()
        try:
            for i in range(100_000):  # one byte at a time, each in time for the read timeout
                h.wfile.write(self.body[i % len(self.body): i % len(self.body) + 1])
                h.wfile.flush()
                time.sleep(self.trickle_every_s)
        except OSError:
            pass

    def serve_reset(self, h: BaseHTTPRequestHandler) -> None:
        h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        h.connection.close()  # RST instead of an answer


class TcpProxy:
    """Forward 127.0.0.1:<port> to ``target``. ``cut()`` closes the listener and resets every
    connection (the database "goes away": connection refused); ``restore()`` listens again on
    the same port."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.port = _free_port()
        self._conns: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._listener: socket.socket | None = None
        self._accept_thread: threading.Thread | None = None

    def start(self) -> "TcpProxy":
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self._listener = listener
        self._accept_thread = threading.Thread(target=self._accept, args=(listener,), daemon=True)
        self._accept_thread.start()
        return self

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
                upstream.settimeout(None)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._conns.update((client, upstream))
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    def _pipe(self, src: socket.socket, dst: socket.socket) -> None:
        try:
            while chunk := src.recv(65536):
                dst.sendall(chunk)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def cut(self) -> None:
        # shutdown() first: on Linux, close() alone neither stops a listener another thread is
        # blocked in accept() on, nor wakes a thread blocked in recv()
        if self._listener is not None:
            try:
                self._listener.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self._listener.close()
            self._listener = None
        with self._lock:
            conns, self._conns = self._conns, set()
        for s in conns:
            try:
                s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # RST
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()

    def restore(self) -> None:
        self.start()

    def stop(self) -> None:
        self.cut()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(predicate: Callable[[], bool], timeout: float, every: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(every)
    return False
