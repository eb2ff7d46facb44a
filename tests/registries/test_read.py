"""read_rows: one entry point per kind; a broken registry fails with a RegistryError naming it."""
from __future__ import annotations

import pytest

from hub.registries import FetchError, RegistryError, read_rows
from hub.registries.read import RegistrySnapshot

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


def test_a_snapshot_tells_what_its_reader_understood(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("DANH SÁCH\nSTT,Tên SP,Chủ thể,Hạng sao,Ghi chú\nI. SẢN PHẨM 4 SAO,,,,\n1,Chè,HTX A,,\nCộng,1,,,\n",
                    encoding="utf-8")
    snapshot = RegistrySnapshot(spec(path, "csv"))
    (row,) = list(snapshot)
    assert row.values["stars"] == "4 sao"
    assert snapshot.reading.as_dict() == {
        "sheet": None, "sheets": [], "header_rows": [2],
        "columns": [{"header": "Tên SP", "field": "product_name", "index": 1},
                    {"header": "Chủ thể", "field": "producer_name", "index": 2},
                    {"header": "Hạng sao", "field": "stars", "index": 3}, {"header": "Ghi chú", "field": None, "index": 4}],
        "unmapped": ["Ghi chú"],
        "skipped": [{"row_number": 3, "reason": "section", "text": "I. SẢN PHẨM 4 SAO"},
                    {"row_number": 5, "reason": "totals", "text": "Cộng | 1"}],
        "section_count_mismatches": [],
        "list_date": None,
    }
    assert len(list(snapshot)) == 1 and len(snapshot.reading.skipped) == 2  # read again: a fresh reading
