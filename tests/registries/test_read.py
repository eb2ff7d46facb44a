"""read_rows: one entry point per kind; a broken registry fails with a RegistryError naming it."""
from __future__ import annotations

import pytest

from hub.registries import FetchError, RegistryError, read_rows

from .helpers import spec

GARBAGE = bytes(range(256)) * 8


@pytest.mark.parametrize(
    ("kind", "message"),
    [("xlsx", "not an xlsx file"), ("csv", "cannot decode|no header row"), ("html", "cannot decode|no <table>"),
     ("json_api", "not valid JSON")],
)
def test_garbage_over_http(server, kind, message):
    server.routes["/registry"] = lambda h, q: h.send(200, GARBAGE)
    with pytest.raises(RegistryError, match=message) as error:
        list(read_rows(spec(server.url("/registry"), kind)))
    assert server.url("/registry") in str(error.value)


@pytest.mark.parametrize("kind", ["xlsx", "csv", "html", "json_api"])
def test_server_error_uses_settings_retries(server, kind):
    server.routes["/down"] = lambda h, q: h.send(500, b"Internal Server Error")
    with pytest.raises(FetchError, match=r"HTTP 500 .*|failed after 3 attempt"):
        list(read_rows(spec(server.url("/down"), kind)))
    assert server.hits["/down"] == 3  # HUB_HTTP_RETRIES=2 in conftest


def test_missing_local_file(tmp_path):
    with pytest.raises(FetchError, match="file not found"):
        list(read_rows(spec(tmp_path / "gone.xlsx", "xlsx")))
