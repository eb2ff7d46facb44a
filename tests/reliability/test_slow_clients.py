"""Slow and stalled clients against a real ``ocop-hub serve`` on loopback (raw sockets): partial
headers and bodies held open used to keep a connection (and a body in memory) for as long as the
client liked (issue 24, finding 5). Now the headers must arrive within HUB_HEADER_TIMEOUT_S and a
body within HUB_BODY_TIMEOUT_S (no pause over HUB_BODY_IDLE_TIMEOUT_S): 408, connection closed.
Also: X-Forwarded-For is believed from the proxies HUB_FORWARDED_ALLOW_IPS names, none by default.
"""
from __future__ import annotations

import json
import socket
import time
from pathlib import Path
from typing import Any, Iterator

import pytest
import requests

from hub.access.keys import create_key
from hub.store.engine import make_engine
from hub.vocabulary import Role
from tests.api.live import LiveServer, sqlite_live_store

DEADLINES = {"HUB_HEADER_TIMEOUT_S": "1", "HUB_BODY_TIMEOUT_S": "3", "HUB_BODY_IDLE_TIMEOUT_S": "1"}
WAIT_S = 15.0  # how long a test waits for the server's answer at most (the deadlines are 1-3 s)


@pytest.fixture(scope="module")
def served(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    folder = tmp_path_factory.mktemp("slow")
    url = sqlite_live_store(sqlite_template, folder)
    engine = make_engine(url)
    token = create_key(engine, role=Role.PROVINCE, name="Sở QN", province_code="22")[1]
    engine.dispose()
    with LiveServer(url, folder / "server.log", env=DEADLINES) as server:
        yield {"server": server, "url": url, "token": token}


def _connect(server: LiveServer) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=WAIT_S)
    return sock


def _answer(sock: socket.socket) -> tuple[bytes, float]:
    """Everything the server sends until it closes the connection, and how long that took."""
    started = time.monotonic()
    received = b""
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            return received, time.monotonic() - started
        received += chunk


def _status_and_body(answer: bytes) -> tuple[int, dict[str, Any]]:
    head, _, body = answer.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), json.loads(body)


def test_partial_headers_get_408_and_the_connection_closes(served: dict[str, Any]) -> None:
    with _connect(served["server"]) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        answer, waited = _answer(sock)
    status, body = _status_and_body(answer)
    assert status == 408 and body["code"] == "HEADERS_TIMEOUT", answer
    print(f"partial headers: 408 after {waited:.2f} s")


def test_a_trickle_of_header_bytes_does_not_keep_the_connection(served: dict[str, Any]) -> None:
    """One byte every 0.3 s: each arrives within any idle timeout, but the headers never end."""
    with _connect(served["server"]) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        started = time.monotonic()
        closed = False
        while time.monotonic() - started < WAIT_S:
            try:
                sock.sendall(b"X")
            except (BrokenPipeError, ConnectionResetError):
                closed = True
                break
            sock.settimeout(0.3)
            try:
                if sock.recv(65536, socket.MSG_PEEK):
                    closed = True
                    break
            except socket.timeout:
                continue
        assert closed, "the server kept a connection whose headers never ended"
        print(f"header trickle: cut after {time.monotonic() - started:.2f} s")


def test_an_idle_connection_is_closed(served: dict[str, Any]) -> None:
    with _connect(served["server"]) as sock:
        answer, waited = _answer(sock)
    assert _status_and_body(answer)[0] == 408
    print(f"silent connection: closed after {waited:.2f} s")


def test_a_body_held_open_gets_408(served: dict[str, Any]) -> None:
    """A key holder's upload that declares 1 MB and stops after 10 bytes."""
    request = (f"POST /push/file HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {served['token']}\r\n"
               "Content-Type: multipart/form-data; boundary=x\r\nContent-Length: 1000000\r\n\r\n").encode()
    with _connect(served["server"]) as sock:
        sock.sendall(request + b"--x\r\nConte")
        answer, waited = _answer(sock)
    status, body = _status_and_body(answer)
    assert status == 408 and body["code"] == "BODY_TIMEOUT", answer
    assert "10 bytes arrived" in body["error"]
    print(f"stalled body: 408 after {waited:.2f} s")


def test_a_body_trickled_slower_than_its_deadline_gets_408(served: dict[str, Any]) -> None:
    """A chunk every 0.5 s (under the 1 s pause allowed), but the whole body never within 3 s."""
    head = ("POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            "Content-Length: 100000\r\n\r\n").encode()
    with _connect(served["server"]) as sock:
        sock.sendall(head)
        sock.settimeout(0.5)
        answer = b""
        started = time.monotonic()
        while time.monotonic() - started < WAIT_S and not answer:
            try:
                sock.sendall(b" " * 100)
                answer = sock.recv(65536)
            except socket.timeout:
                continue
            except (BrokenPipeError, ConnectionResetError):
                break
        sock.settimeout(WAIT_S)
        rest, _ = _answer(sock) if answer else (b"", 0.0)
    status, body = _status_and_body(answer + rest)
    assert status == 408 and body["code"] == "BODY_TIMEOUT"
    assert 2.5 <= time.monotonic() - started, "the body deadline is 3 s, not less"
    print(f"body trickle: 408 after {time.monotonic() - started:.2f} s")


def test_prompt_requests_are_served_as_before(served: dict[str, Any]) -> None:
    url = f"http://127.0.0.1:{served['server'].port}"
    with requests.Session() as session:  # keep-alive: the second request reuses the connection
        for _ in range(2):
            response = session.post(f"{url}/graphql", json={"query": "{ provinces { code } }"}, timeout=WAIT_S)
            assert response.status_code == 200 and response.json()["data"]["provinces"]


# --- X-Forwarded-For -------------------------------------------------------------------------------

RATE = {"HUB_RATE_LIMIT_ANONYMOUS": "1", "HUB_RATE_LIMIT_KEY": "1"}  # bursts of 4


def _spoofed_requests(server: LiveServer, count: int) -> list[int]:
    return [requests.get(f"{server.url}/graphql?query={{provinces{{code}}}}",
                         headers={"X-Forwarded-For": f"203.0.113.{i}"}, timeout=WAIT_S).status_code
            for i in range(count)]


def test_a_spoofed_x_forwarded_for_does_not_escape_the_rate_limit(served: dict[str, Any], tmp_path: Path) -> None:
    with LiveServer(served["url"], tmp_path / "server.log", env=RATE) as server:
        statuses = _spoofed_requests(server, 8)
    assert statuses[:4] == [200] * 4 and 429 in statuses[4:], statuses


def test_x_forwarded_for_is_believed_from_the_proxies_the_setting_names(served: dict[str, Any],
                                                                        tmp_path: Path) -> None:
    with LiveServer(served["url"], tmp_path / "server.log", env={**RATE, "HUB_FORWARDED_ALLOW_IPS": "127.0.0.1"}
                    ) as server:
        statuses = _spoofed_requests(server, 8)
    assert statuses == [200] * 8, statuses  # each address its own bucket: the proxy is trusted
