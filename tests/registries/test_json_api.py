"""Paginated JSON APIs served by the local HTTP server."""
from __future__ import annotations

import json

import pytest

from hub.registries import FetchError, RegistryError, read_rows
from hub.registries import json_api

from .helpers import spec

RECORDS = [
    {"id": i, "product_name": f"Chè Shan tuyết {i}", "producer_name": "HTX Chè Lũng Phìn", "stars": 3 + i % 2,
     "score": 72.0, "year": 2022, "ghi_chu": None, "tags": ["chè", "Hà Giang"]}
    for i in range(1, 8)
]


def send_json(handler, document) -> None:
    handler.send(200, json.dumps(document, ensure_ascii=False).encode(), "application/json")


@pytest.mark.parametrize("key", ["items", "data", "results"])
def test_next_link_pagination(server, key):
    def page(handler, query):
        number = int(query.get("p", ["1"])[0])
        chunk = RECORDS[(number - 1) * 3: number * 3]
        send_json(handler, {key: chunk, "next": f"/api?p={number + 1}" if number * 3 < len(RECORDS) else None})

    server.routes["/api"] = page
    rows = list(read_rows(spec(server.url("/api"), "json_api")))
    assert [r.row_number for r in rows] == list(range(1, 8))
    assert rows[0].values == {"product_name": "Chè Shan tuyết 1", "producer_name": "HTX Chè Lũng Phìn",
                              "stars": "4", "score": "72", "year": "2022"}
    assert rows[0].raw["ghi_chu"] == "" and rows[0].raw["tags"] == '["chè", "Hà Giang"]'
    assert server.hits["/api"] == 3


def test_page_number_pagination_until_empty_page(server):
    def page(handler, query):
        number = int(query.get("page", ["1"])[0])
        send_json(handler, RECORDS[(number - 1) * 5: number * 5])

    server.routes["/list"] = page
    rows = list(read_rows(spec(server.url("/list?province=HG"), "json_api")))
    assert len(rows) == 7 and rows[-1].row_number == 7
    assert server.hits["/list"] == 3  # pages 1, 2 and the empty page 3


def test_page_number_with_items_key(server):
    def page(handler, query):
        number = int(query.get("page", ["1"])[0])
        send_json(handler, {"data": RECORDS[(number - 1) * 4: number * 4], "page": number})

    server.routes["/v2"] = page
    assert len(list(read_rows(spec(server.url("/v2?page=1"), "json_api")))) == 7


def test_looping_next_link_is_refused(server):
    server.routes["/loop"] = lambda h, q: send_json(h, {"items": RECORDS[:1], "next": "/loop"})
    with pytest.raises(RegistryError, match="pagination loops"):
        list(read_rows(spec(server.url("/loop"), "json_api")))


def test_api_ignoring_the_page_parameter_is_refused(server):
    server.routes["/same"] = lambda h, q: send_json(h, RECORDS[:2])
    with pytest.raises(RegistryError, match="same records as the page before"):
        list(read_rows(spec(server.url("/same"), "json_api")))


def test_page_bound(server, monkeypatch):
    monkeypatch.setattr(json_api, "MAX_PAGES", 5)

    def endless(handler, query):
        number = int(query.get("n", ["1"])[0])
        send_json(handler, {"items": [{"product_name": f"SP {number}"}], "next": f"/endless?n={number + 1}"})

    server.routes["/endless"] = endless
    with pytest.raises(RegistryError, match="more than 5 pages"):
        list(read_rows(spec(server.url("/endless"), "json_api")))


def test_local_pages_with_relative_next(tmp_path):
    (tmp_path / "page-1.json").write_text(json.dumps({"items": RECORDS[:4], "next": "page-2.json"}), "utf-8")
    (tmp_path / "page-2.json").write_text(json.dumps({"items": RECORDS[4:], "next": None}), "utf-8")
    rows = list(read_rows(spec(tmp_path / "page-1.json", "json_api")))
    assert len(rows) == 7


def test_odd_records_pass_through(server):
    server.routes["/odd"] = lambda h, q: send_json(h, {"items": [{"Tên sản phẩm": "Mật ong", "Số sao": "7"}, "oops", None], "next": None})
    rows = list(read_rows(spec(server.url("/odd"), "json_api")))
    assert rows[0].values == {"product_name": "Mật ong", "stars": "7"}
    assert rows[1].values == {} and rows[1].raw == {"record": '"oops"'} and rows[2].row_number == 3


@pytest.mark.parametrize(
    ("body", "message"),
    [(b"<html>502 Bad Gateway</html>", "not valid JSON"), (b'{"rows": []}', "no list of records"),
     (b'"just a string"', "expected a JSON object or list"), (b'{"items": 3}', "'items' must be a list")],
)
def test_bad_documents(server, body, message):
    server.routes["/bad"] = lambda h, q: h.send(200, body)
    with pytest.raises(RegistryError, match=message):
        list(read_rows(spec(server.url("/bad"), "json_api")))


def test_error_on_a_later_page_fails_the_source(server):
    def page(handler, query):
        if query.get("p"):
            handler.send(404, b"gone")
        else:
            send_json(handler, {"items": RECORDS[:2], "next": "/broken?p=2"})

    server.routes["/broken"] = page
    with pytest.raises(FetchError, match=r"/broken\?p=2 failed after 1 attempt\(s\): HTTP 404"):
        list(read_rows(spec(server.url("/broken"), "json_api")))
