"""Every download says what it is: a file name with its as-of day and data version, Last-Modified,
a Link to its data package, an ETag, and in Parquet the as-of, known-at, data version, filters,
licence and citation. The licence and citation are the operator's settings."""
from __future__ import annotations

import io
import json
import re
from datetime import date, datetime, timezone
from email.utils import parsedate_to_datetime

import pyarrow.parquet as pq
import pytest
from sqlalchemy import func, select
from starlette.testclient import TestClient

from hub.server import create_app
from hub.store.certificates import current_date
from hub.store.data_version import read_version
from hub.store.models import ImportBatch

NAME = re.compile(r'attachment; filename="ocop-(?P<kind>[a-z0-9-]+)_(?P<day>\d{4}-\d{2}-\d{2})_v(?P<version>\d+)'
                  r'(?P<known>_known-\d{8}T\d{6}Z)?\.(?P<ext>csv|parquet|xlsx)"')


def _name(response) -> dict[str, str]:
    assert response.status_code == 200, response.text
    found = NAME.fullmatch(response.headers["content-disposition"])
    assert found, response.headers["content-disposition"]
    return found.groupdict()


def _latest_batch(engine) -> datetime:
    with engine.connect() as conn:
        found = conn.scalar(select(func.max(ImportBatch.finished_at)))
    return found.replace(tzinfo=timezone.utc) if found.tzinfo is None else found


@pytest.mark.parametrize("path,kind,ext", [
    ("/export/products.csv", "products", "csv"), ("/export/products.parquet", "products", "parquet"),
    ("/export/products.xlsx", "products", "xlsx"), ("/export/stats.csv?groupBy=STARS", "stats", "csv"),
    ("/export/conflicts.csv", "conflicts", "csv"),
    ("/export/rejected.csv?source=thai-nguyen-registry", "rejected-thai-nguyen-registry", "csv"),
    ("/export/codes/provinces.csv", "codes-provinces", "csv"),
])
def test_every_download_is_named_dated_and_linked(client, engine, path, kind, ext) -> None:
    response = client.get(path)
    name = _name(response)
    assert (name["kind"], name["day"], name["ext"], name["known"]) == (kind, current_date().isoformat(), ext, None)
    assert int(name["version"]) == read_version(engine)
    modified = parsedate_to_datetime(response.headers["last-modified"])
    assert modified == _latest_batch(engine).replace(microsecond=0)
    assert response.headers["link"] == '<http://testserver/export/datapackage.json>; rel="describedby"; ' \
                                       'type="application/json"'
    etag = response.headers["etag"]
    assert client.get(path, headers={"If-None-Match": etag}).status_code == 304


def test_a_dated_download_says_its_day_and_moment(client) -> None:
    name = _name(client.get("/export/products.csv?asOf=2024-12-31&knownAt=2026-01-02T03:04:05Z"))
    assert (name["day"], name["known"]) == ("2024-12-31", "_known-20260102T030405Z")


def test_parquet_metadata_says_what_the_file_holds(client, engine) -> None:
    response = client.get("/export/products.parquet?province=19&stars=4,5&year_from=2020")
    meta = {k.decode(): v.decode() for k, v in pq.read_schema(io.BytesIO(response.content)).metadata.items()
            if k.startswith(b"ocop:")}
    version = str(read_version(engine))
    assert meta["ocop:as_of"] == current_date().isoformat() and meta["ocop:known_at"] == ""
    assert meta["ocop:data_version"] == version
    assert json.loads(meta["ocop:filters"]) == {"province": ["19"], "stars": ["4,5"], "certifiedYearFrom": ["2020"]}
    assert meta["ocop:licence"] == "CC-BY-4.0"
    assert meta["ocop:citation"] == (f"OCOP Hub. OCOP products of Vietnam (Mỗi xã một sản phẩm), as of "
                                     f"{current_date().isoformat()}, data version {version}. http://testserver/ "
                                     f"(accessed {current_date().isoformat()}).")
    assert meta["ocop:datapackage"] == "http://testserver/export/datapackage.json"
    known = pq.read_schema(io.BytesIO(client.get("/export/products.parquet?knownAt=2030-01-01T00:00:00Z").content))
    assert known.metadata[b"ocop:known_at"] == b"2030-01-01T00:00:00+00:00"
    assert known.metadata[b"ocop:as_of"] == b"2030-01-01"


def test_the_licence_and_citation_are_the_operators_settings(engine, monkeypatch) -> None:
    monkeypatch.setenv("HUB_DATA_LICENCE", "ODbL-1.0")
    monkeypatch.setenv("HUB_DATA_LICENCE_URL", "https://opendatacommons.org/licenses/odbl/1-0/")
    monkeypatch.setenv("HUB_DATA_PUBLISHER", "Văn phòng Điều phối NTM Trung ương")
    monkeypatch.setenv("HUB_DATA_CITATION", "{publisher} ({as_of}), v{version}")
    with TestClient(create_app(engine)) as client:
        package = client.get("/export/datapackage.json").json()
        meta = pq.read_schema(io.BytesIO(client.get("/export/products.parquet").content)).metadata
    assert package["licenses"] == [{"name": "ODbL-1.0", "path": "https://opendatacommons.org/licenses/odbl/1-0/",
                                    "title": "ODbL-1.0"}]
    citation = f"Văn phòng Điều phối NTM Trung ương ({current_date().isoformat()}), v{read_version(engine)}"
    assert package["ocop:citation"] == citation
    assert meta[b"ocop:licence"] == b"ODbL-1.0" and meta[b"ocop:citation"].decode() == citation


def test_the_package_and_code_lists_refuse_what_they_do_not_take(client) -> None:
    assert client.get("/export/datapackage.json?x=1").status_code == 400
    missing = client.get("/export/codes/districts.csv")
    assert missing.status_code == 404 and "provinces" in missing.json()["error"]
    assert client.get("/export/codes/provinces.csv?lang=vi").status_code == 400


def test_code_lists_hold_the_store_units(client, engine) -> None:
    rows = client.get("/export/codes/provinces.csv").content.decode("utf-8-sig").splitlines()
    assert rows[0] == "code,name,full_name" and "08,Tuyên Quang,Tỉnh Tuyên Quang" in rows
    former = client.get("/export/codes/former-units.csv").content.decode("utf-8-sig").splitlines()
    assert "province,06,pre2025,Bắc Kạn,06,,19," in former
    groups = client.get("/export/codes/groups.csv").content.decode("utf-8-sig").splitlines()
    assert groups[1] == "FOOD,Thực phẩm,Food" and len(groups) == 7
    assert date.fromisoformat(_name(client.get("/export/codes/statuses.csv"))["day"]) == current_date()
