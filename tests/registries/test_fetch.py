"""fetch_bytes / json_api.fetch_pages against a real local HTTP server."""
from __future__ import annotations

import time

import pytest

from hub.registries import FetchError, RegistryError, fetch_bytes
from hub.registries import fetch as fetch_module
from hub.registries.json_api import fetch_pages


def test_local_file(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(b"x,y\n")
    assert fetch_bytes(str(path)) == b"x,y\n"


def test_local_file_missing(tmp_path):
    with pytest.raises(FetchError, match="file not found"):
        fetch_bytes(str(tmp_path / "nope.csv"))


def test_serves_file(server, tmp_path):
    server.root = tmp_path
    (tmp_path / "r.csv").write_bytes(b"a;b\n1;2\n")
    assert fetch_bytes(server.url("/r.csv")) == b"a;b\n1;2\n"


def test_retries_500_then_succeeds(server):
    def flaky(handler, query):
        if server.hits["/flaky"] <= 2:
            handler.send(500, b"boom")
        else:
            handler.send(200, b"ok")

    server.routes["/flaky"] = flaky
    assert fetch_bytes(server.url("/flaky"), retries=3) == b"ok"
    assert server.hits["/flaky"] == 3


def test_gives_up_after_retries_on_503(server):
    server.routes["/down"] = lambda h, q: h.send(503, b"maintenance")
    with pytest.raises(FetchError) as error:
        fetch_bytes(server.url("/down"), retries=2)
    message = str(error.value)
    assert server.url("/down") in message and "503" in message and "3 attempt" in message
    assert server.hits["/down"] == 3


def test_429_is_retried(server):
    def limited(handler, query):
        handler.send(429 if server.hits["/limited"] == 1 else 200, b"ok")

    server.routes["/limited"] = limited
    assert fetch_bytes(server.url("/limited"), retries=1) == b"ok"


def test_404_is_not_retried(server):
    with pytest.raises(FetchError) as error:
        fetch_bytes(server.url("/missing.csv"), retries=3)
    message = str(error.value)
    assert "HTTP 404" in message and server.url("/missing.csv") in message and "1 attempt" in message
    assert server.hits["/missing.csv"] == 1


def test_hanging_server_times_out(server):
    server.routes["/hang"] = lambda h, q: server.stop.wait(10)
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"timed out after 0.3 s") as error:
        fetch_bytes(server.url("/hang"), timeout=0.3, retries=1)
    assert time.monotonic() - started < 3
    assert "2 attempt" in str(error.value)
    assert server.hits["/hang"] == 2


def test_connection_reset_is_retried_then_reported(server):
    server.routes["/reset"] = lambda h, q: h.reset()
    with pytest.raises(FetchError, match="connection") as error:
        fetch_bytes(server.url("/reset"), retries=1, timeout=2)
    assert server.hits["/reset"] == 2
    assert server.url("/reset") in str(error.value)


def test_truncated_body_is_retried(server):
    def truncated(handler, query):
        if server.hits["/cut"] == 1:
            handler.send_response(200)
            handler.send_header("Content-Length", "1000")
            handler.end_headers()
            handler.wfile.write(b"only a little")
            handler.wfile.flush()
            handler.reset()
        else:
            handler.send(200, b"complete")

    server.routes["/cut"] = truncated
    assert fetch_bytes(server.url("/cut"), retries=2) == b"complete"


def test_nothing_listening():
    with pytest.raises(FetchError, match="connection error") as error:
        fetch_bytes("http://127.0.0.1:9/registry.csv", retries=1, timeout=1)
    assert "2 attempt" in str(error.value)


def test_size_cap(server, monkeypatch):
    server.routes["/big"] = lambda h, q: h.send(200, b"x" * 5000)
    with pytest.raises(FetchError, match="larger than the 1000-byte limit"):
        fetch_bytes(server.url("/big"), max_bytes=1000)
    monkeypatch.setattr(fetch_module, "MAX_BYTES", 100)
    with pytest.raises(FetchError, match="limit"):
        fetch_bytes(server.url("/big"))


def test_size_cap_without_content_length(server):
    def chunked(handler, query):
        handler.send_response(200)
        handler.send_header("Transfer-Encoding", "chunked")
        handler.end_headers()
        for _ in range(20):
            handler.wfile.write(b"100\r\n" + b"y" * 256 + b"\r\n")
        handler.wfile.write(b"0\r\n\r\n")

    server.routes["/chunked"] = chunked
    with pytest.raises(FetchError, match="limit"):
        fetch_bytes(server.url("/chunked"), max_bytes=1000)
    assert len(fetch_bytes(server.url("/chunked"))) == 20 * 256


def test_fetch_pages(server):
    body = '{"items": ["Hà Giang"], "next": null}'.encode()  # one page: the next link ends it
    server.routes["/api"] = lambda h, q: h.send(200, body, "application/json")
    assert fetch_pages(server.url("/api")) == {server.url("/api"): body}


def test_fetch_pages_garbage(server):
    server.routes["/garbage"] = lambda h, q: h.send(200, b"\x00\xffnot json at all")
    with pytest.raises(RegistryError, match="not valid JSON"):
        fetch_pages(server.url("/garbage"))
