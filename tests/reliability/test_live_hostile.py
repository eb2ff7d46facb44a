"""A real ``ocop-hub serve`` (tests/api/live.py) under hostile clients: hostile queries refused
fast with a clear error, and role boundaries over HTTP that tests/api does not already cover. The
fuzzing of queries and bodies is in tests/reliability/test_query_fuzz.py."""
from __future__ import annotations

import json
import re
import statistics
import time
from pathlib import Path
from typing import Any, Iterator

import pytest
import requests
from sqlalchemy import select

from hub.api.access import HOUSEHOLD_LABEL
from hub.api.limits import MASKED_MESSAGE
from hub.access.keys import create_key, revoke_key
from hub.store.engine import make_engine, session_scope
from hub.store.models import ImportBatch, Producer, Product, RejectedRecord, Source
from hub.vocabulary import Role
from hub.normalize.fold import search_key
from tests.api.live import LiveServer, sqlite_live_store

LEAKS = re.compile(r"Traceback|sqlalchemy|psycopg|sqlite3|File \"|\.py\b|SELECT |INSERT |hub\.api", re.I)
QUICK_S = 1.0
HOUSEHOLD_NAME, HOUSEHOLD_PHONE = "Hộ kinh doanh Lê Thị Bí Mật", "0909 111 222"
HOUSEHOLD_EMAIL, HOUSEHOLD_CONTACT = "bi.mat@example.vn", "Lê Thị Bí Mật"
PERSONAL_VALUES = ["Lê Thị Bí Mật", HOUSEHOLD_PHONE, HOUSEHOLD_EMAIL, "0912 345 678",
                   "rieng.tu@example.vn", "0987 000 111"]


@pytest.fixture(scope="module")
def live(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    folder = tmp_path_factory.mktemp("hostile")
    url = sqlite_live_store(sqlite_template, folder)
    engine = make_engine(url)
    with session_scope(engine) as s:  # a household producer with personal data, and a rejected row holding some
        source = s.execute(select(Source).where(Source.name == "quang-ninh-push")).scalar_one()
        producer = Producer(identity_key="hh-1", name=HOUSEHOLD_NAME, name_normalized=HOUSEHOLD_NAME,
                            search_key=search_key(HOUSEHOLD_NAME), producer_type="household", province_code="22",
                            phone=HOUSEHOLD_PHONE, email=HOUSEHOLD_EMAIL, contact_person=HOUSEHOLD_CONTACT)
        s.add(producer)
        s.flush()
        s.add(Product(identity_key="hh-p-1", name="Nem chua Hộ Bí Mật", name_normalized="Nem chua Hộ Bí Mật",
                      search_key=search_key("Nem chua Hộ Bí Mật"), group_code="FOOD", stars=3, certified_year=2024,
                      status="active", producer_id=producer.id, source_id=source.id, province_code="22",
                      content_hash="hh"))
        batch = s.execute(select(ImportBatch).where(ImportBatch.source_id == source.id)).scalar_one()
        s.add(RejectedRecord(batch_id=batch.id, source_id=source.id, row_number=42,
                             raw={"Tên sản phẩm": "Mắm Hộ Bí Mật", "Chủ thể": HOUSEHOLD_NAME,
                                  "Điện thoại": "0987 000 111", "Email": HOUSEHOLD_EMAIL,
                                  "Người đại diện": HOUSEHOLD_CONTACT},
                             errors=[{"code": "BAD_STARS", "field": "stars",
                                      "message": f"'sáu' is not a star rating ({HOUSEHOLD_NAME})", "value": "sáu"}]))
    keys = {
        "22": create_key(engine, role=Role.PROVINCE, name="Sở QN", province_code="22"),
        "19": create_key(engine, role=Role.PROVINCE, name="Sở TN", province_code="19"),
        "ministry": create_key(engine, role=Role.MINISTRY, name="Bộ"),
        "revoked": create_key(engine, role=Role.MINISTRY, name="cũ"),
    }
    revoke_key(engine, keys["revoked"][0].id)
    with LiveServer(url, folder / "server.log") as server:
        yield {"server": server, "url": server.url, "engine": engine,
               "tokens": {k: token for k, (_, token) in keys.items()}}
    engine.dispose()


def post(live: dict[str, Any], body: Any, token: str | None = None, raw: bytes | None = None,
         path: str = "/graphql", **kw: Any) -> tuple[requests.Response, float]:
    headers = {"Content-Type": "application/json", **({"Authorization": f"Bearer {token}"} if token else {})}
    started = time.monotonic()
    response = requests.post(live["url"] + path, data=raw if raw is not None else json.dumps(body),
                             headers=headers, timeout=30, **kw)
    return response, time.monotonic() - started


def assert_clean(response: requests.Response) -> None:
    assert response.status_code < 500, response.text[:500]
    assert not LEAKS.search(response.text), response.text[:1000]


# --- hostile queries --------------------------------------------------------------------------

def _nested(depth: int) -> str:
    inner = "name"
    for _ in range(depth):
        inner = f"products {{ edges {{ node {{ {inner} }} }} }}"
    return "{ producers(first: 1) { edges { node { " + inner + " } } } }"


HOSTILE = {
    "deep nesting (200 levels)": {"query": _nested(200)},
    "alias flood (5,000 aliases)": {"query": "{ " + " ".join(f"a{i}: provinces {{ code }}" for i in range(5000)) + " }"},
    "field duplication (20,000 × name)": {"query": "{ provinces { " + "name " * 20_000 + "} }"},
    "huge page size": {"query": "{ products(first: 100000000) { edges { node { name } } } }"},
    "negative page size": {"query": "{ products(first: -1) { totalCount } }"},
    "introspection alias flood": {"query": "{ " + " ".join(f"s{i}: __schema {{ types {{ name fields {{ name }} }} }}"
                                                           for i in range(200)) + " }"},
    "deep introspection": {"query": "{ __schema { types { " + "ofType { " * 60 + "name" + " }" * 60 + " } } }"},
    "fragment cycle": {"query": "query { provinces { ...A } } fragment A on Province { ...B } "
                                "fragment B on Province { ...A }"},
    "directive flood": {"query": "{ provinces { code " + "@include(if: true) " * 5000 + "} }"},
    "not a query": {"query": "}}}{{{" * 1000},
}


ANSWERED = {"deep introspection"}  # introspection is exempt from the depth limit; cheap (nulls), answered fast


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_queries_are_refused_quickly_and_clearly(live: dict[str, Any], name: str) -> None:
    response, elapsed = post(live, HOSTILE[name])
    assert_clean(response)
    assert elapsed < QUICK_S, f"{name}: {elapsed:.2f} s"
    body = response.json()
    assert response.status_code in (200, 400, 413), response.status_code
    message = json.dumps(body)[:300]
    print(f"{name}: HTTP {response.status_code} in {elapsed * 1000:.0f} ms: {message}")
    if name in ANSWERED:
        assert response.status_code == 200 and "data" in body
    elif isinstance(body, dict) and "errors" in body:
        assert body["errors"] and all(e.get("message") for e in body["errors"])
        assert not body.get("data") or all(v is None for v in body["data"].values())
    else:
        assert "error" in body  # 413 and friends


def test_oversized_body_is_refused_before_it_is_read(live: dict[str, Any]) -> None:
    huge = b'{"query": "{ provinces { code } }", "pad": "' + b"x" * 20_000_000 + b'"}'
    response, elapsed = post(live, None, raw=huge)
    assert response.status_code == 413 and response.json()["code"] == "BODY_TOO_LARGE"
    assert elapsed < QUICK_S * 2, elapsed
    chunked, elapsed = post(live, None, raw=iter([huge[i:i + 65536] for i in range(0, 3_000_000, 65536)]))
    assert chunked.status_code == 413, chunked.text
    print(f"oversized: 20 MB refused in {elapsed * 1000:.0f} ms")


def test_malformed_requests_are_400_not_500(live: dict[str, Any]) -> None:
    for raw in (b"{", b'{"query": 5}', b'{"query": "{ provinces { code } }", "variables": 7}', b"[]",
                json.dumps([{"query": "{ provinces { code } }"}] * 100).encode(),  # batching: 400, not enabled
                b'{"query": "{ product(id: 99999999999999) { name } }"}'):
        response, elapsed = post(live, None, raw=raw)
        assert_clean(response)
        assert elapsed < QUICK_S


# --- security over HTTP -------------------------------------------------------------------------

def _forged(live: dict[str, Any]) -> dict[str, str]:
    real = live["tokens"]["ministry"]
    return {
        "right prefix, random": "ocop_" + "A" * 43,
        "real token, last char changed": real[:-1] + ("A" if real[-1] != "A" else "B"),
        "real token plus suffix": real + "x",
        "real prefix only": real[:11],
        "token with NUL": real + "\x00",
        "over-long": "ocop_" + "x" * 5000,
        "revoked ministry key": live["tokens"]["revoked"],
    }


def test_forged_and_revoked_tokens_are_401_everywhere(live: dict[str, Any]) -> None:
    for label, token in _forged(live).items():
        for method, path in [("POST", "/graphql"), ("GET", "/export/products.csv"), ("GET", "/healthz"),
                             ("GET", "/export/rejected.csv?source=quang-ninh-push"), ("POST", "/push/file")]:
            try:
                r = requests.request(method, live["url"] + path, headers={"Authorization": f"Bearer {token}"},
                                     json={"query": "{ provinces { code } }"} if path == "/graphql" else None,
                                     timeout=10)
            except (requests.exceptions.InvalidHeader, ValueError):
                continue  # the client refuses to send it: nothing reached the server
            # a NUL in a header is refused by uvicorn itself (400) before the app sees it
            assert r.status_code == (400 if "\x00" in token else 401), (label, path, r.status_code, r.text[:200])
            assert_clean(r)


def test_tokens_in_the_query_string_or_body_are_ignored(live: dict[str, Any]) -> None:
    token = live["tokens"]["ministry"]
    query = '{ producers(first: 500) { edges { node { name phone } } } }'
    for params in ({"token": token}, {"access_token": token}, {"api_key": token}, {"authorization": f"Bearer {token}"}):
        r = requests.post(live["url"] + "/graphql", params=params, json={"query": query}, timeout=10)
        names = [e["node"]["name"] for e in r.json()["data"]["producers"]["edges"]]
        assert HOUSEHOLD_NAME not in names and HOUSEHOLD_LABEL in names  # read as anonymous
        assert all(e["node"]["phone"] is None for e in r.json()["data"]["producers"]["edges"])
    r = requests.post(live["url"] + "/graphql", json={"query": query, "extensions": {"token": token},
                                                      "authorization": f"Bearer {token}"}, timeout=10)
    assert HOUSEHOLD_NAME not in r.text
    r = requests.post(live["url"] + "/graphql", json={"query": query}, cookies={"token": token}, timeout=10)
    assert HOUSEHOLD_NAME not in r.text


def test_unknown_and_revoked_tokens_take_the_same_time(live: dict[str, Any]) -> None:
    """No timing oracle telling a revoked (once valid) key from a made-up one: both are one
    indexed lookup of the token's hash. Medians of 40 alternating requests within 5 ms."""
    session = requests.Session()
    times: dict[str, list[float]] = {"unknown": [], "revoked": []}
    tokens = {"unknown": "ocop_" + "Z" * 43, "revoked": live["tokens"]["revoked"]}
    for _ in range(40):
        for label, token in tokens.items():
            started = time.perf_counter()
            r = session.get(live["url"] + "/healthz", headers={"Authorization": f"Bearer {token}"}, timeout=10)
            times[label].append(time.perf_counter() - started)
            assert r.status_code == 401
    medians = {k: statistics.median(v) * 1000 for k, v in times.items()}
    print(f"401 medians (ms): {medians}")
    assert abs(medians["unknown"] - medians["revoked"]) < 5, medians


def test_other_provinces_keys_cannot_write_or_revert_and_see_no_personal_data(live: dict[str, Any]) -> None:
    tn = live["tokens"]["19"]
    push = {"query": "mutation($i: PushProductsInput!) { pushProducts(input: $i) { status } }",
            "variables": {"i": {"province": "22", "records": [{"productName": "X", "producerName": "HTX Y",
                                                                 "stars": 3, "group": "Thực phẩm"}]}}}
    r, _ = post(live, push, token=tn)
    assert r.json()["errors"][0]["extensions"]["code"] == "NOT_YOUR_PROVINCE"
    with session_scope(live["engine"]) as s:
        batch_id = s.execute(select(ImportBatch.id).join(Source).where(Source.name == "quang-ninh-push")).scalar()
    r, _ = post(live, {"query": f"mutation {{ revertBatch(id: {batch_id}) {{ revertBatchId }} }}"}, token=tn)
    assert r.json()["errors"][0]["extensions"]["code"] in ("NOT_YOUR_PROVINCE", "NOT_REVERTIBLE", "FORBIDDEN")
    files = {"file": ("x.csv", b"a,b\n1,2\n", "text/csv")}
    r = requests.post(live["url"] + "/push/file", data={"province": "22"}, files=files,
                      headers={"Authorization": f"Bearer {tn}"}, timeout=10)
    assert r.status_code in (400, 403) and "NOT_YOUR_PROVINCE" in r.text, r.text
    r, _ = post(live, {"query": "{ producers(first: 500) { edges { node { name phone email contactPerson } } } }"},
                token=tn)
    assert not any(v in r.text for v in (HOUSEHOLD_NAME, HOUSEHOLD_PHONE, HOUSEHOLD_EMAIL, HOUSEHOLD_CONTACT)), r.text


# --- personal data on every public path ------------------------------------------------------------

PUBLIC_QUERIES = [
    "{ producers(first: 500) { edges { node { name phone email contactPerson } } } }",
    '{ producers(first: 500, filter: {search: "Bí Mật"}) { totalCount edges { node { name } } } }',
    '{ producers(first: 500, filter: {search: "bi mat"}) { totalCount } }',
    '{ products(first: 500, filter: {search: "Bí Mật"}) { edges { node { name producer { name phone email '
    'contactPerson } } } } }',
    '{ rejectedRecords(source: "quang-ninh-push") { edges { node { rowNumber raw errors { message value } } } } }',
    '{ products(first: 1, after: "Bí Mật 0909 111 222") { totalCount } }',  # errors echo input?
    '{ producers(first: 1, filter: {search: "Hộ kinh doanh Lê Thị Bí Mật"}) { totalCount } }',
]


@pytest.mark.parametrize("query", PUBLIC_QUERIES)
def test_no_personal_data_leaves_through_graphql_to_anonymous_callers(live: dict[str, Any], query: str) -> None:
    response, _ = post(live, {"query": query})
    assert_clean(response)
    text = response.text
    leaked = [v for v in PERSONAL_VALUES if v in text and v not in query]
    assert not leaked, (leaked, text[:800])
    if "totalCount" in text and "search" in query and "errors" not in response.json():
        assert '"totalCount": 0' in text.replace('":0', '": 0') or "totalCount\":0" in text  # hidden names never match


@pytest.mark.parametrize("path", ["/export/products.csv", "/export/products.parquet",
                                  "/export/rejected.csv?source=quang-ninh-push",
                                  "/export/products.csv?search=B%C3%AD%20M%E1%BA%ADt"])
def test_no_personal_data_in_anonymous_exports(live: dict[str, Any], path: str) -> None:
    r = requests.get(live["url"] + path, timeout=30)
    assert r.status_code == 200, r.text[:300]
    content = r.content
    if path.endswith("parquet"):
        import io

        import pyarrow.parquet as pq

        content = pq.read_table(io.BytesIO(content)).to_pandas().to_csv().encode() if False else \
            json.dumps(pq.read_table(io.BytesIO(content)).to_pylist(), default=str, ensure_ascii=False).encode()
    text = content.decode("utf-8-sig")
    leaked = [v for v in PERSONAL_VALUES if v in text]
    assert not leaked, (path, leaked, text[:600])


def test_exports_neutralise_formula_injection(live: dict[str, Any]) -> None:
    import csv
    import io

    r = requests.get(live["url"] + "/export/products.csv", timeout=30)
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    cells = [c for row in rows[1:] for c in row]
    assert any(c.startswith("'=HYPERLINK") for c in cells)
    assert not any(c[:1] in ("=", "+", "@", "\t", "\r") for c in cells), [c for c in cells if c[:1] in "=+@"]
    assert not any(c.startswith("-") and not re.fullmatch(r"-?\d+(\.\d+)?", c) for c in cells)
    r = requests.get(live["url"] + "/export/rejected.csv?source=quang-ninh-push", timeout=30)
    for row in csv.reader(io.StringIO(r.content.decode("utf-8-sig"))):
        assert not any(c[:1] in ("=", "+", "@") for c in row), row


# --- bugs found here (hub/api), now fixed --------------------------------------------------

@pytest.mark.parametrize("raw", [b"null", b"true", b"5", b'"x"', b"\xff\xfe\x00"],
                         ids=["null", "true", "number", "string", "undecodable-bytes"])
def test_non_object_json_bodies_are_400(live: dict[str, Any], raw: bytes) -> None:
    response, elapsed = post(live, None, raw=raw)
    assert response.status_code == 400, (response.status_code, response.text[:200])
    assert elapsed < QUICK_S


@pytest.mark.parametrize("days", [2147483646, 1_000_000_000, -2147483647])
def test_coverage_with_an_absurd_stale_after_days_is_a_client_error(live: dict[str, Any], days: int) -> None:
    response, _ = post(live, {"query": f"{{ coverage(staleAfterDays: {days}) {{ province {{ code }} }} }}"})
    assert_clean(response)
    assert MASKED_MESSAGE not in response.text, response.text[:300]


def test_an_overlong_search_is_a_client_error(live: dict[str, Any]) -> None:
    response, elapsed = post(live, {"query": "query($s: String) { products(filter: {search: $s}) { totalCount } }",
                                    "variables": {"s": "x" * 900_000}})
    assert_clean(response)
    assert elapsed < QUICK_S
    assert MASKED_MESSAGE not in response.text, response.text[:300]
