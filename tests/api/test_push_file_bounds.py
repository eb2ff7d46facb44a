"""``POST /push/file`` against a real ``ocop-hub serve`` on loopback (SQLite and PostgreSQL), as
an outsider would try it (issue 24, findings 4 and 6): a form field given twice is refused whole
(``dryRun=true`` then ``dryRun=false`` used to write a batch), and a file of more rows than a
synchronous push takes goes to a background job instead of being applied inside the request."""
from __future__ import annotations

import csv
import io
import time
from typing import Any

import pytest
import requests
from sqlalchemy import func, select
from sqlmodel import Session

from hub.access.keys import create_key
from hub.store.engine import make_engine
from hub.store.models import ImportBatch, Product
from hub.vocabulary import Role
from hub.push.submission import MAX_SYNC_RECORDS, SYNC_FILE_BYTES
from tests.api.live import LiveServer, live_store_url, one_worker_server  # noqa: F401

TIMEOUT = 30
HEADER = ["STT", "Tên sản phẩm", "Chủ thể", "Hạng sao", "Nhóm sản phẩm", "Ngày quyết định"]
JOB = "query($id: String!) { pushJob(id: $id) { status records error summary { dryRun rowsRead created } } }"



def csv_file(rows: int) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([HEADER] + [[str(i + 1), f"Miến dong Bình Liêu {i}", "HTX Miến dong Bình Liêu",
                                              "3 sao", "Thực phẩm", "12/05/2024"] for i in range(rows)])
    return buffer.getvalue().encode("utf-8")


@pytest.fixture(scope="module")
def token(live_store_url: str) -> str:
    engine = make_engine(live_store_url)
    try:
        return create_key(engine, role=Role.PROVINCE, name="Sở NN Quảng Ninh", province_code="22")[1]
    finally:
        engine.dispose()


def store_counts(url: str) -> tuple[int, int]:
    engine = make_engine(url)
    try:
        with Session(engine) as s:
            return (s.execute(select(func.count()).select_from(Product)).scalar_one(),
                    s.execute(select(func.count()).select_from(ImportBatch)).scalar_one())
    finally:
        engine.dispose()


def upload(server: LiveServer, token: str, fields: list[tuple[str, str]], data: bytes) -> requests.Response:
    return requests.post(f"{server.url}/push/file", headers={"Authorization": f"Bearer {token}"}, data=fields,
                         files={"file": ("ocop-quang-ninh.csv", data)}, timeout=TIMEOUT)


@pytest.mark.parametrize("fields", [
    [("province", "22"), ("dryRun", "true"), ("dryRun", "false")],
    [("province", "22"), ("province", "19")],
    [("province", "22"), ("mode", "UPSERT"), ("mode", "REPLACE_ALL")],
])
def test_a_form_field_given_twice_is_refused_and_nothing_is_written(
        one_worker_server: LiveServer, live_store_url: str, token: str, fields: list[tuple[str, str]]) -> None:
    before = store_counts(live_store_url)
    response = upload(one_worker_server, token, fields, csv_file(2))
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["code"] == "DUPLICATE_FIELD" and fields[-1][0] in body["error"], body
    assert store_counts(live_store_url) == before


def settled(server: LiveServer, token: str, job_id: str) -> dict[str, Any]:
    deadline, state = time.monotonic() + 300, {}
    while time.monotonic() < deadline:
        answer = requests.post(f"{server.url}/graphql", json={"query": JOB, "variables": {"id": job_id}},
                               headers={"Authorization": f"Bearer {token}"}, timeout=TIMEOUT).json()
        state = answer["data"]["pushJob"]
        if state["status"] not in ("queued", "running"):
            break
        time.sleep(0.5)
    return state


def test_a_file_over_the_row_cap_goes_to_a_job(one_worker_server: LiveServer, live_store_url: str, token: str) -> None:
    before = store_counts(live_store_url)
    rows = MAX_SYNC_RECORDS + 1
    data = csv_file(rows)
    assert len(data) < SYNC_FILE_BYTES  # small enough to be read in the request: its rows decide
    response = upload(one_worker_server, token, [("province", "22"), ("dryRun", "true")], data)
    assert response.status_code == 202, response.text
    job = response.json()["job"]
    assert job["status"] == "queued" and job["records"] == rows and "pushJob" in response.json()["message"]
    state = settled(one_worker_server, token, job["id"])
    assert state["status"] == "succeeded", state
    assert state["summary"] == {"dryRun": True, "rowsRead": rows, "created": rows}
    assert store_counts(live_store_url)[0] == before[0]  # a dry run: nothing applied


def test_a_large_file_is_read_by_the_job_not_in_the_request(one_worker_server: LiveServer, live_store_url: str,
                                                             token: str) -> None:
    """Over SYNC_FILE_BYTES the request does not even read the file: an unreadable one is queued,
    and its job fails with BAD_FILE, applying nothing."""
    before = store_counts(live_store_url)
    response = requests.post(f"{one_worker_server.url}/push/file", headers={"Authorization": f"Bearer {token}"},
                             data=[("province", "22")], timeout=TIMEOUT,
                             files={"file": ("ocop.xlsx", b"PK\x03\x04" + b"\x00" * (SYNC_FILE_BYTES + 10))})
    assert response.status_code == 202, response.text
    job = response.json()["job"]
    assert job["records"] is None and "bytes" in response.json()["message"]
    state = settled(one_worker_server, token, job["id"])
    assert state["status"] == "failed" and state["error"].startswith("BAD_FILE: ocop.xlsx"), state
    assert store_counts(live_store_url)[0] == before[0]


def test_a_file_within_the_cap_is_still_applied_in_the_request(one_worker_server: LiveServer, token: str) -> None:
    response = upload(one_worker_server, token, [("province", "22"), ("dryRun", "true")], csv_file(3))
    assert response.status_code == 200, response.text
    assert (response.json()["dryRun"], response.json()["created"]) == (True, 3)


def test_an_anonymous_upload_of_many_rows_is_still_forbidden(one_worker_server: LiveServer) -> None:
    response = requests.post(f"{one_worker_server.url}/push/file", data=[("province", "22")],
                             files={"file": ("x.csv", csv_file(10))}, timeout=TIMEOUT)
    assert response.status_code == 403 and response.json()["code"] == "FORBIDDEN"
