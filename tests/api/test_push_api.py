"""The write side over HTTP (Starlette's TestClient) on fresh stores, SQLite and PostgreSQL:
tokens, roles, pushProducts (sync and async), dry runs, rejections, idempotent retries,
REPLACE_ALL, revertBatch and history, the audit log, file uploads, and personal data by role."""
from __future__ import annotations

import csv
import io
import json
import time
from typing import Any, Iterator

import openpyxl
import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session
from starlette.testclient import TestClient

from hub.api.access import HOUSEHOLD_LABEL
from hub.server import create_app
from hub.access.keys import create_key, revoke_key
from hub.ingest import ingest_rows
from hub.store.models import ImportBatch, Product
from hub.vocabulary import Role
from hub.records import RawRow

SUMMARY = """batchId source status dryRun replayed rowsRead created updated unchanged withdrawn rejected error
             rejections { index errors { code field message value } }
             warnings { index field code message } warningCounts { code count } warnedRows conflicts
             unmappedColumns skippedRows { rowNumber reason text }"""
PUSH = "mutation($input: PushProductsInput!) { pushProducts(input: $input) { " + SUMMARY + " } }"
PUSH_ASYNC = """mutation($input: PushProductsInput!) { pushProductsAsync(input: $input) {
    id status records provinceCode } }"""
JOB = "query($id: String!) { pushJob(id: $id) { id status records error summary { " + SUMMARY + " } } }"
REVERT = "mutation($id: Int!) { revertBatch(id: $id) { revertBatchId revertedBatchId productsRestored } }"
PRODUCERS = """query($search: String) { producers(first: 500, filter: {search: $search}) { totalCount edges { node {
    name producerType phone email contactPerson province { code } } } } }"""

HOUSEHOLD = "Hộ kinh doanh Nguyễn Thị Hoa"
PHONE, EMAIL, CONTACT = "0987 654 321", "hoa.nguyen@example.vn", "Nguyễn Thị Hoa"


def rec(name: str, producer: str = "HTX Nông nghiệp Hải Yến", stars: Any = 3, **extra: Any) -> dict[str, Any]:
    """A record as a provincial system sends it (camelCase GraphQL fields)."""
    return {"productName": name, "producerName": producer, "stars": stars, "group": "Thực phẩm",
            "decisionDate": "15/06/2024", **extra}


class Api:
    """One caller: a TestClient plus (maybe) a bearer token."""

    def __init__(self, client: TestClient, token: str | None) -> None:
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def post(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        response = self.client.post("/graphql", json={"query": query, "variables": variables or {}},
                                    headers=self.headers)
        assert response.status_code == 200, response.text
        return response.json()

    def data(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        body = self.post(query, variables)
        assert not body.get("errors"), body["errors"]
        return body["data"]

    def push(self, province: str, records: list[dict[str, Any]], **options: Any) -> dict[str, Any]:
        return self.data(PUSH, {"input": {"province": province, "records": records, **options}})["pushProducts"]

    def refused(self, query: str, variables: dict[str, Any]) -> tuple[str, str]:
        body = self.post(query, variables)
        assert body.get("errors"), body
        error = body["errors"][0]
        return error.get("extensions", {}).get("code"), error["message"]

    def get(self, path: str) -> Any:
        return self.client.get(path, headers=self.headers)


@pytest.fixture
def client(store: Engine) -> Iterator[TestClient]:
    with TestClient(create_app(store)) as c:
        yield c


@pytest.fixture
def tokens(store: Engine) -> dict[str, str]:
    return {
        "22": create_key(store, role=Role.PROVINCE, name="Sở NN Quảng Ninh", province_code="22")[1],
        "24": create_key(store, role=Role.PROVINCE, name="Sở NN Bắc Ninh", province_code="24")[1],
        "ministry": create_key(store, role=Role.MINISTRY, name="Văn phòng OCOP")[1],
    }


@pytest.fixture
def api(client: TestClient, tokens: dict[str, str]) -> dict[str | None, Api]:
    return {None: Api(client, None), **{who: Api(client, token) for who, token in tokens.items()}}


def product_states(engine: Engine) -> dict[str, tuple[int, str]]:
    with Session(engine) as s:
        return {p.name: (p.stars, p.status) for p in s.execute(select(Product)).scalars()}


def batch_count(engine: Engine) -> int:
    with Session(engine) as s:
        return s.execute(select(func.count()).select_from(ImportBatch)).scalar_one()


# --- authentication ---------------------------------------------------------------------------

@pytest.mark.parametrize("header", [
    "Bearer ocop_" + "x" * 43,          # well-formed, unknown
    "Bearer not-even-a-hub-token",      # forged
    "Bearer ",                          # empty
    "Basic dXNlcjpwYXNz",               # another scheme
    "ocop_abcdef",                      # no scheme
])
def test_bad_tokens_get_401_on_every_route(client: TestClient, header: str) -> None:
    for method, path in [("POST", "/graphql"), ("GET", "/graphql"), ("GET", "/export/products.csv"),
                         ("GET", "/export/rejected.csv?source=x"), ("POST", "/push/file"), ("GET", "/healthz")]:
        kwargs: dict[str, Any] = {"headers": {"Authorization": header}}
        if method == "POST" and path == "/graphql":
            kwargs["json"] = {"query": "{ provinces { code } }"}
        response = client.request(method, path, **kwargs)
        assert response.status_code == 401, (path, response.text)
        assert response.json()["code"] == "UNAUTHENTICATED"
        assert "Bearer" in response.headers["www-authenticate"]
        assert response.json()["error"]


def test_revoked_key_gets_401_and_a_valid_one_reads(store: Engine, client: TestClient) -> None:
    key, token = create_key(store, role=Role.PROVINCE, name="Sở NN Quảng Ninh", province_code="22")
    caller = Api(client, token)
    assert len(caller.data("{ provinces { code } }")["provinces"]) == 34
    assert revoke_key(store, key.id)
    response = client.post("/graphql", json={"query": "{ provinces { code } }"}, headers=caller.headers)
    assert response.status_code == 401
    assert "revoked" in response.json()["error"]
    # no header at all: an anonymous researcher, who may read
    assert len(Api(client, None).data("{ provinces { code } }")["provinces"]) == 34


# --- roles: who may write where -----------------------------------------------------------------

def test_anonymous_cannot_write_anything(store: Engine, api: dict[str | None, Api]) -> None:
    code, message = api[None].refused(PUSH, {"input": {"province": "22", "records": [rec("Dầu lạc")]}})
    assert code == "FORBIDDEN" and "key" in message
    code, _ = api[None].refused(PUSH_ASYNC, {"input": {"province": "22", "records": [rec("Dầu lạc")]}})
    assert code == "FORBIDDEN"
    code, _ = api[None].refused(REVERT, {"id": 1})
    assert code == "FORBIDDEN"
    upload = api[None].client.post("/push/file", data={"province": "22"},
                                   files={"file": ("ocop.csv", b"a,b\n1,2\n", "text/csv")})
    assert upload.status_code == 403 and upload.json()["code"] == "FORBIDDEN"
    assert product_states(store) == {} and batch_count(store) == 0


def test_province_writes_its_own_province_only_and_ministry_writes_any(store: Engine, api: dict[str | None, Api]) -> None:
    own = api["22"].push("Quảng Ninh", [rec("Dầu lạc"), rec("Dầu vừng", stars="4 sao")])
    assert (own["status"], own["created"], own["rejected"], own["rowsRead"]) == ("succeeded", 2, 0, 2)
    assert own["source"] == "push-22" and own["batchId"]
    before, batches = product_states(store), batch_count(store)

    for province in ("Bắc Ninh", "24", "Tỉnh Bắc Ninh"):
        code, message = api["22"].refused(PUSH, {"input": {"province": province, "records": [rec("Gà đồi")]}})
        assert code == "NOT_YOUR_PROVINCE" and "Bắc Ninh" in message and "22" in message
    code, _ = api["24"].refused(PUSH_ASYNC, {"input": {"province": "22", "records": [rec("Gà đồi")]}})
    assert code == "NOT_YOUR_PROVINCE"
    code, _ = api["24"].refused(REVERT, {"id": own["batchId"]})
    assert code == "NOT_YOUR_PROVINCE"
    code, message = api["22"].refused(PUSH, {"input": {"province": "Atlantis", "records": [rec("Gà đồi")]}})
    assert code == "UNKNOWN_UNIT" and "Atlantis" in message
    assert product_states(store) == before and batch_count(store) == batches  # nothing changed

    ministry = api["ministry"].push("24", [rec("Gà đồi", producer="HTX Gà đồi Yên Thế")])
    assert ministry["created"] == 1 and ministry["source"] == "push-24"
    assert api["ministry"].push("Quảng Ninh", [rec("Dầu lạc", stars=4)])["updated"] == 1


def test_refusals_are_graphql_errors_with_a_code_not_masked(api: dict[str | None, Api]) -> None:
    body = api["24"].post(PUSH, {"input": {"province": "22", "records": [rec("Dầu lạc")]}})
    assert body["data"] is None
    error = body["errors"][0]
    assert error["extensions"] == {"code": "NOT_YOUR_PROVINCE"} and error["path"] == ["pushProducts"]
    assert "Internal error" not in error["message"]


# --- pushing ------------------------------------------------------------------------------------

def test_dry_run_reports_and_writes_nothing(store: Engine, api: dict[str | None, Api]) -> None:
    dry = api["22"].push("22", [rec("Dầu lạc"), rec("Dầu vừng"), rec("Hỏng", stars=9)], dryRun=True)
    assert (dry["status"], dry["dryRun"], dry["created"], dry["rejected"]) == ("dry_run", True, 2, 1)
    assert dry["batchId"] is None
    assert product_states(store) == {} and batch_count(store) == 0
    listed = api["ministry"].data("{ importBatches { totalCount } products { totalCount } }")
    assert listed == {"importBatches": {"totalCount": 0}, "products": {"totalCount": 0}}


def test_rejections_carry_index_code_field_and_message_in_full(store: Engine, api: dict[str | None, Api]) -> None:
    records = [
        rec("Dầu lạc"),                                   # 0: fine
        rec("Mực khô", stars=9),                          # 1: above 5: one problem, not two
        {"productName": "Chả mực", "producerName": "HTX Biển Đông", "group": "Thực phẩm"},  # 2: no stars
        rec("Nước mắm", province="Bắc Ninh"),             # 3: a record of another province
        rec("Bánh gai", stars="sáu sao"),                 # 4: unreadable rating
        rec("Rượu", group="không biết là gì"),            # 5: unknown group: stored, with a warning
        rec("Dầu lạc"),                                   # 6: same product twice in one push
    ]
    summary = api["22"].push("22", records)
    assert (summary["created"], summary["rejected"], summary["rowsRead"]) == (2, 5, 7)
    codes = {r["index"]: {(e["code"], e["field"]) for e in r["errors"]} for r in summary["rejections"]}
    assert set(codes) == {1, 2, 3, 4, 6}
    bad_stars = summary["rejections"][0]
    assert bad_stars["index"] == 1 and [(e["code"], e["field"]) for e in bad_stars["errors"]] == [("BAD_STARS", "stars")]
    assert ("MISSING_FIELD", "stars") in codes[2]
    assert codes[3] == {("NOT_YOUR_PROVINCE", "province")}
    assert ("BAD_STARS", "stars") in codes[4]
    assert ("DUPLICATE_RECORD", "product_name") in codes[6]
    [warning] = [w for w in summary["warnings"] if w["field"] == "group"]
    assert warning["index"] == 5 and warning["code"].startswith("GROUP_") and "không biết là gì" in warning["message"]
    assert summary["warnedRows"] >= 1 and {"code": warning["code"], "count": 1} in summary["warningCounts"]
    assert all(e["message"] for r in summary["rejections"] for e in r["errors"])
    # never capped: every one of many bad records comes back, with its index
    many = api["22"].push("22", [rec(f"Sai {i}", stars=7) for i in range(700)])
    assert many["rejected"] == 700 and [r["index"] for r in many["rejections"]] == list(range(700))
    # and the rejected records of the push channel can be read back, in full
    page = api["22"].data('{ rejectedRecords(source: "push-22") { totalCount } }')
    assert page["rejectedRecords"]["totalCount"] == 700


def test_stars_and_years_may_be_numbers_or_text(api: dict[str | None, Api]) -> None:
    summary = api["22"].push("22", [rec("Dầu lạc", stars=4, year=2024, score=75),
                                    rec("Dầu vừng", stars="4 sao", year="2024", score="75")])
    assert summary["created"] == 2, summary["rejections"]
    body = api["22"].post(PUSH, {"input": {"province": "22", "records": [rec("Dầu lạc", stars=4.5)]}})
    assert body.get("errors") and "Cell" in body["errors"][0]["message"]


def test_same_submission_id_returns_the_first_result_and_applies_nothing_twice(
        store: Engine, api: dict[str | None, Api]) -> None:
    records = [rec("Dầu lạc"), rec("Dầu vừng")]
    first = api["22"].push("22", records, submissionId="qn-2026-11-23-1")
    retry = api["22"].push("22", records, submissionId="qn-2026-11-23-1")
    assert (first["created"], first["replayed"]) == (2, False)
    assert retry == {**first, "replayed": True}
    assert len(product_states(store)) == 2 and batch_count(store) == 1
    before = product_states(store)
    code, message = api["22"].refused(PUSH, {"input": {"province": "22", "records": [rec("Khác")],
                                                       "submissionId": "qn-2026-11-23-1"}})
    assert code == "SUBMISSION_ID_REUSED" and "qn-2026-11-23-1" in message
    assert product_states(store) == before and batch_count(store) == 1


def test_pushing_what_the_harvest_already_has_creates_nothing(store: Engine, api: dict[str | None, Api]) -> None:
    harvested = ingest_rows(store, source_name="quang-ninh-registry", source_kind="csv", province="Quảng Ninh",
                            rows=[RawRow(2, {"product_name": "Dầu lạc", "producer_name": "HTX Nông nghiệp Hải Yến",
                                             "stars": "3", "group": "Thực phẩm", "decision_date": "15/06/2024"}),
                                  RawRow(3, {"product_name": "Chả mực Hạ Long", "producer_name": "Công ty TNHH Hạ Long",
                                             "stars": "5", "group": "Thực phẩm", "decision_date": "01/03/2023"})])
    assert harvested.created == 2
    pushed = api["22"].push("22", [rec("Dầu lạc", producer="Htx  Nông nghiệp Hải Yến", stars="3 sao"),
                                   rec("Chả mực Hạ Long", producer="Công ty TNHH Hạ Long", stars=5,
                                       decisionDate="2023-03-01")])
    assert (pushed["created"], pushed["rejected"]) == (0, 0), pushed
    assert len(product_states(store)) == 2
    node = api[None].data('{ products(filter: {search: "cha muc ha long"}) { edges { node { provenance { sourceName sourceKind } } } } }')
    sources = {p["sourceName"] for p in node["products"]["edges"][0]["node"]["provenance"]}
    assert sources == {"quang-ninh-registry", "push-22"}  # one product, two sources


def test_replace_all_withdraws_what_was_not_sent(store: Engine, api: dict[str | None, Api]) -> None:
    api["22"].push("22", [rec("Dầu lạc"), rec("Dầu vừng"), rec("Mắm tôm")])
    upsert = api["22"].push("22", [rec("Dầu lạc")])
    assert upsert["withdrawn"] == 0
    replace = api["22"].push("22", [rec("Dầu lạc")], mode="REPLACE_ALL")
    assert (replace["withdrawn"], replace["unchanged"]) == (2, 1)
    assert product_states(store) == {"Dầu lạc": (3, "active"), "Dầu vừng": (3, "withdrawn"), "Mắm tôm": (3, "withdrawn")}
    listed = api[None].data("{ products(filter: {status: [WITHDRAWN]}) { edges { node { name withdrawnAt } } } }")
    assert sorted(e["node"]["name"] for e in listed["products"]["edges"]) == ["Dầu vừng", "Mắm tôm"]


def test_too_many_records_for_a_synchronous_push(store: Engine, api: dict[str | None, Api]) -> None:
    from hub.api.push_api import MAX_SYNC_RECORDS

    records = [rec(f"Sản phẩm {i}") for i in range(MAX_SYNC_RECORDS + 1)]
    code, message = api["22"].refused(PUSH, {"input": {"province": "22", "records": records}})
    assert code == "TOO_MANY_RECORDS" and "pushProductsAsync" in message
    assert product_states(store) == {}


def test_body_limit_is_raised_for_key_holders_pushing_only(store: Engine, tokens: dict[str, str]) -> None:
    with TestClient(create_app(store, max_body_bytes=20_000, push_body_bytes=2_000_000)) as client:
        records = [rec(f"Sản phẩm số {i}") for i in range(300)]  # ~40 kB of JSON
        payload = {"query": PUSH, "variables": {"input": {"province": "22", "records": records}}}
        anonymous = client.post("/graphql", json=payload)
        assert anonymous.status_code == 413 and anonymous.json()["code"] == "BODY_TOO_LARGE"
        keyed = client.post("/graphql", json=payload, headers={"Authorization": f"Bearer {tokens['22']}"})
        assert keyed.status_code == 200 and keyed.json()["data"]["pushProducts"]["created"] == 300
        too_big = client.post("/graphql", json={"query": "{ provinces { code } }", "pad": "x" * 2_100_000},
                              headers={"Authorization": f"Bearer {tokens['22']}"})
        assert too_big.status_code == 413


# --- background jobs ----------------------------------------------------------------------------

def wait_for(api: Api, job_id: str, timeout: float = 120) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        job = api.data(JOB, {"id": job_id})["pushJob"]
        if job["status"] not in ("queued", "running") or time.monotonic() > deadline:
            return job
        time.sleep(0.1)


def test_async_push_runs_in_the_background_and_only_its_owner_and_the_ministry_see_it(
        store: Engine, api: dict[str | None, Api]) -> None:
    records = [rec(f"Chả mực loại {i}") for i in range(40)] + [rec("Hỏng", stars=8)]
    job = api["22"].data(PUSH_ASYNC, {"input": {"province": "22", "records": records}})["pushProductsAsync"]
    assert job["status"] in ("queued", "running", "succeeded") and job["records"] == 41
    assert job["provinceCode"] == "22"
    done = wait_for(api["22"], job["id"])
    assert done["status"] == "succeeded", done
    assert (done["summary"]["created"], done["summary"]["rejected"]) == (40, 1)
    assert done["summary"]["rejections"][0]["index"] == 40
    assert len(product_states(store)) == 40
    assert api["ministry"].data(JOB, {"id": job["id"]})["pushJob"]["status"] == "succeeded"
    assert api["24"].data(JOB, {"id": job["id"]})["pushJob"] is None
    assert api[None].data(JOB, {"id": job["id"]})["pushJob"] is None
    assert api["22"].data(JOB, {"id": "no-such-job"})["pushJob"] is None


# --- revert, history, audit log -----------------------------------------------------------------

def test_revert_restores_the_previous_state_and_a_later_push_works(store: Engine, api: dict[str | None, Api]) -> None:
    first = api["22"].push("22", [rec("Dầu lạc", stars=3)])
    second = api["22"].push("22", [rec("Dầu lạc", stars=4), rec("Dầu vừng")])
    assert product_states(store) == {"Dầu lạc": (4, "active"), "Dầu vừng": (3, "active")}

    result = api["22"].data(REVERT, {"id": second["batchId"]})["revertBatch"]
    assert (result["revertedBatchId"], result["productsRestored"]) == (second["batchId"], 2)
    assert product_states(store) == {"Dầu lạc": (3, "active"), "Dầu vừng": (3, "withdrawn")}
    code, _ = api["22"].refused(REVERT, {"id": second["batchId"]})
    assert code == "ALREADY_REVERTED"
    code, _ = api["ministry"].refused(REVERT, {"id": 999_999})
    assert code == "NOT_FOUND"

    log = api[None].data("""{ importBatches(province: "22") { totalCount edges { node {
        id kind actor status created updated reverted revertedByBatchId province { code } } } } }""")["importBatches"]
    by_id = {e["node"]["id"]: e["node"] for e in log["edges"]}
    assert log["totalCount"] == 3 and [e["node"]["id"] for e in log["edges"]] == sorted(by_id, reverse=True)
    assert by_id[second["batchId"]]["reverted"] is True
    assert by_id[second["batchId"]]["revertedByBatchId"] == result["revertBatchId"]
    assert by_id[first["batchId"]] == {**by_id[first["batchId"]], "kind": "push", "status": "succeeded",
                                        "created": 1, "reverted": False, "province": {"code": "22"}}
    assert by_id[first["batchId"]]["actor"].endswith("Sở NN Quảng Ninh")

    again = api["22"].push("22", [rec("Dầu lạc", stars=4), rec("Dầu vừng")])
    assert again["updated"] == 2 and product_states(store) == {"Dầu lạc": (4, "active"), "Dầu vừng": (3, "active")}

    history = api[None].data("""{ products(filter: {search: "dau lac"}) { edges { node {
        history { batchId batchKind actor action at before after } } } } }""")
    entries = history["products"]["edges"][0]["node"]["history"]
    assert [h["action"] for h in entries] == ["created", "updated", "restored", "updated"]
    assert entries[0]["before"] is None and entries[0]["after"]["stars"] == 3
    assert entries[1]["before"]["stars"] == 3 and entries[1]["after"]["stars"] == 4
    assert entries[2]["batchId"] == result["revertBatchId"]


REVERT_COUNTS = "mutation($id: Int!) { revertBatch(id: $id) { revertBatchId productsRestored withdrawn updated } }"
HISTORY = """query($search: String) { products(filter: {search: $search, status: [ACTIVE, EXPIRED, WITHDRAWN]}) {
    edges { node { status history { batchId action } } } } }"""
COVERAGE = """{ coverage { province { code } sources { name lastSuccessAt recordCount latestBatch { id kind } } } }"""


def push_source_coverage(api: Api) -> dict[str, Any]:
    [province] = [p for p in api.data(COVERAGE)["coverage"] if p["province"]["code"] == "22"]
    [source] = [s for s in province["sources"] if s["name"] == "push-22"]
    return source


def test_after_a_revert_history_and_counts_say_what_happened(store: Engine, api: dict[str | None, Api]) -> None:
    api["22"].push("22", [rec("Dầu lạc", stars=3)])
    second = api["22"].push("22", [rec("Dầu lạc", stars=4), rec("Dầu vừng"), rec("Mắm tôm")])
    result = api["22"].data(REVERT_COUNTS, {"id": second["batchId"]})["revertBatch"]
    assert (result["productsRestored"], result["withdrawn"], result["updated"]) == (3, 2, 1)

    def history(search: str) -> tuple[str, list[tuple[int, str]]]:
        [edge] = api[None].data(HISTORY, {"search": search})["products"]["edges"]
        return edge["node"]["status"], [(h["batchId"], h["action"]) for h in edge["node"]["history"]]

    revert_id = result["revertBatchId"]
    assert history("dau vung") == ("WITHDRAWN", [(second["batchId"], "created"), (revert_id, "withdrawn")])
    assert history("dau lac")[1][-2:] == [(second["batchId"], "updated"), (revert_id, "restored")]

    [node] = [e["node"] for e in api[None].data("""{ importBatches(kind: "revert") { edges { node {
        id kind rowsRead created updated unchanged withdrawn } } } }""")["importBatches"]["edges"]]
    assert node == {"id": revert_id, "kind": "revert", "rowsRead": 0, "created": 0, "updated": 1,
                    "unchanged": 0, "withdrawn": 2}
    assert push_source_coverage(api[None])["recordCount"] == 1  # only Dầu lạc is listed again


def test_a_revert_is_not_the_last_success_of_its_source(store: Engine, api: dict[str | None, Api]) -> None:
    pushed = api["22"].push("22", [rec("Dầu lạc")])
    before = push_source_coverage(api[None])["lastSuccessAt"]
    time.sleep(0.05)  # the revert's own time differs from the push's
    api["22"].data(REVERT, {"id": pushed["batchId"]})
    after = push_source_coverage(api[None])
    assert after["lastSuccessAt"] == before and after["recordCount"] == 0


def test_a_record_of_another_province_is_not_yours_whatever_its_commune(api: dict[str | None, Api]) -> None:
    records = [rec("Chè Tân Cương", province="Thái Nguyên"),
               rec("Chè búp", province="Thái Nguyên", commune="Xã Tân Cương"),
               rec("Chả mực", province="Thái Nguyên", commune="Phường Bãi Cháy"),       # a commune of Quảng Ninh
               rec("Sá sùng", province="Tỉnh Thái Nguyên", district="Hạ Long", commune="Bãi Cháy"),
               rec("Miến dong", address="Xã Tân Cương, Thái Nguyên")]
    summary = api["22"].push("Quảng Ninh", records, dryRun=True)
    assert summary["created"] == 0
    assert [[(e["code"], e["field"]) for e in r["errors"]] for r in summary["rejections"]] == \
        [[("NOT_YOUR_PROVINCE", "province")]] * len(records)
    assert all("Thái Nguyên (19)" in r["errors"][0]["message"] for r in summary["rejections"])


def test_revert_refuses_when_a_later_batch_changed_the_same_products(store: Engine, api: dict[str | None, Api]) -> None:
    first = api["22"].push("22", [rec("Dầu lạc", stars=3)])
    api["22"].push("22", [rec("Dầu lạc", stars=4)])
    code, message = api["ministry"].refused(REVERT, {"id": first["batchId"]})
    assert code == "REVERT_CONFLICT" and message
    assert product_states(store) == {"Dầu lạc": (4, "active")}


# --- file upload ----------------------------------------------------------------------------------

HEADER = ["STT", "Tên sản phẩm", "Chủ thể", "Hạng sao", "Nhóm sản phẩm", "Ngày quyết định"]
ROWS = [
    ["1", "Chè Shan tuyết Bình Liêu", "HTX Chè Bình Liêu", "4 sao", "Đồ uống", "12/05/2024"],
    ["2", "Miến dong Bình Liêu", "Công ty TNHH Miến dong Bình Liêu", "3", "Thực phẩm", "12/05/2024"],
    ["3", "Sá sùng khô", "HTX Thủy sản Vân Đồn", "bảy", "Thực phẩm", "12/05/2024"],
]


def csv_bytes() -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([HEADER, *ROWS])
    return buffer.getvalue().encode("utf-8-sig")


def xlsx_bytes() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["DANH SÁCH SẢN PHẨM OCOP TỈNH QUẢNG NINH"])
    sheet.append(HEADER)
    for row in ROWS:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize("filename,body", [("ocop-quang-ninh.csv", csv_bytes), ("ocop-quang-ninh.xlsx", xlsx_bytes)])
def test_file_upload(store: Engine, api: dict[str | None, Api], filename: str, body: Any) -> None:
    data = body()
    dry = api["22"].client.post("/push/file", headers=api["22"].headers,
                                data={"province": "Quảng Ninh", "dryRun": "true"}, files={"file": (filename, data)})
    assert dry.status_code == 200, dry.text
    assert (dry.json()["dryRun"], dry.json()["created"]) == (True, 2) and product_states(store) == {}

    response = api["22"].client.post("/push/file", headers=api["22"].headers,
                                     data={"province": "22", "submissionId": f"file-{filename}"},
                                     files={"file": (filename, data)})
    assert response.status_code == 200, response.text
    summary = response.json()
    assert (summary["status"], summary["created"], summary["rejected"]) == ("succeeded", 2, 1)
    [bad] = summary["rejections"]
    assert bad["index"] >= 3 and {e["code"] for e in bad["errors"]} == {"BAD_STARS"}
    assert sorted(product_states(store)) == ["Chè Shan tuyết Bình Liêu", "Miến dong Bình Liêu"]

    retry = api["22"].client.post("/push/file", headers=api["22"].headers,
                                  data={"province": "22", "submissionId": f"file-{filename}"},
                                  files={"file": (filename, data)})
    assert retry.json() == {**summary, "replayed": True}

    other = api["24"].client.post("/push/file", headers=api["24"].headers, data={"province": "22"},
                                  files={"file": (filename, data)})
    assert other.status_code == 403 and other.json()["code"] == "NOT_YOUR_PROVINCE"
    wrong = api["22"].client.post("/push/file", headers=api["22"].headers, data={"province": "22"},
                                  files={"file": ("ocop.pdf", b"%PDF-1.4")})
    assert wrong.status_code == 422 and wrong.json()["code"] == "BAD_FILE"
    missing = api["22"].client.post("/push/file", headers=api["22"].headers, data={"province": "22"})
    assert missing.status_code in (400, 415)
    assert batch_count(store) == 1


# --- personal data ----------------------------------------------------------------------------------

@pytest.fixture
def personal(api: dict[str | None, Api]) -> None:
    """A household producer (a person) and a cooperative in Quảng Ninh, with contact data."""
    summary = api["22"].push("22", [
        rec("Mắm ruốc nhà làm", producer=HOUSEHOLD, phone=PHONE, email=EMAIL, contactPerson=CONTACT),
        rec("Dầu lạc", producer="HTX Nông nghiệp Hải Yến", phone="0203 111 222", email="htx@example.vn",
            contactPerson="Trần Văn Nam"),
        rec("Hỏng", producer=HOUSEHOLD, stars="mười", phone=PHONE),
    ])
    assert (summary["created"], summary["rejected"]) == (2, 1)


def household_view(api: Api) -> dict[str, Any]:
    edges = api.data(PRODUCERS, {"search": None})["producers"]["edges"]
    [node] = [e["node"] for e in edges if e["node"]["producerType"] == "HOUSEHOLD"]
    return node


@pytest.mark.usefixtures("personal")
def test_personal_data_is_visible_to_the_ministry_and_the_own_province_only(api: dict[str | None, Api]) -> None:
    for who in ("ministry", "22"):
        node = household_view(api[who])
        assert (node["name"], node["phone"], node["email"], node["contactPerson"]) == (HOUSEHOLD, PHONE, EMAIL, CONTACT)
    for who in (None, "24"):
        node = household_view(api[who])
        assert (node["name"], node["phone"], node["email"], node["contactPerson"]) == (HOUSEHOLD_LABEL, None, None, None)
        # a company's name is public, its contact data is not
        [coop] = [e["node"] for e in api[who].data(PRODUCERS, {"search": "hai yen"})["producers"]["edges"]]
        assert coop["name"] == "HTX Nông nghiệp Hải Yến" and coop["phone"] is None
        # nested under products, by id, and in the whole response text
        text = json.dumps(api[who].post("""{ products(first: 500) { edges { node { name producer {
            id name phone email contactPerson products { name } } } } } }"""), ensure_ascii=False)
        for secret in (HOUSEHOLD, PHONE, EMAIL, CONTACT, "0203 111 222", "Trần Văn Nam"):
            assert secret not in text, (who, secret)
        assert HOUSEHOLD_LABEL in text


@pytest.mark.usefixtures("personal")
def test_search_never_matches_a_hidden_household_name(api: dict[str | None, Api]) -> None:
    for who, expected in ((None, 0), ("24", 0), ("22", 1), ("ministry", 1)):
        found = api[who].data(PRODUCERS, {"search": "nguyen thi hoa"})["producers"]
        assert found["totalCount"] == expected, who
        products = api[who].data('{ products(filter: {search: "nguyen thi hoa"}) { totalCount } }')
        assert products["products"]["totalCount"] == expected, who
        stats = api[who].data('{ stats(groupBy: [], filter: {search: "nguyen thi hoa"}) { count } }')["stats"]
        assert sum(b["count"] for b in stats) == expected, who
    # ordering by name pages by the name shown: no cursor carries a hidden name
    page = api[None].data("""{ producers(first: 1, orderBy: NAME) { pageInfo { endCursor } edges { node { name } } } }""")
    import base64
    cursor = base64.urlsafe_b64decode(page["producers"]["pageInfo"]["endCursor"]).decode()
    assert "Nguy" not in cursor


def read_csv(response: Any) -> list[dict[str, str]]:
    assert response.status_code == 200, response.text
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.mark.usefixtures("personal")
def test_exports_follow_the_same_rule(api: dict[str | None, Api]) -> None:
    def household_row(who: str | None) -> dict[str, str]:
        rows = read_csv(api[who].get("/export/products.csv"))
        [row] = [r for r in rows if r["name"] == "Mắm ruốc nhà làm"]
        return row

    anonymous = household_row(None)
    assert anonymous["producer_name"] == HOUSEHOLD_LABEL
    assert not {"producer_phone", "producer_email", "producer_contact_person"} & set(anonymous)
    other = household_row("24")
    assert other["producer_name"] == HOUSEHOLD_LABEL
    assert (other["producer_phone"], other["producer_email"], other["producer_contact_person"]) == ("", "", "")
    for who in ("22", "ministry"):
        row = household_row(who)
        assert (row["producer_name"], row["producer_phone"], row["producer_email"],
                row["producer_contact_person"]) == (HOUSEHOLD, PHONE, EMAIL, CONTACT)
    import pyarrow.parquet as pq
    for who, shown in ((None, HOUSEHOLD_LABEL), ("24", HOUSEHOLD_LABEL), ("ministry", HOUSEHOLD)):
        table = pq.read_table(io.BytesIO(api[who].get("/export/products.parquet").content)).to_pylist()
        [row] = [r for r in table if r["name"] == "Mắm ruốc nhà làm"]
        assert row["producer_name"] == shown
        assert row.get("producer_phone") == (PHONE if who == "ministry" else None)
    # searching the export by a hidden name finds nothing
    assert read_csv(api[None].get("/export/products.csv?search=nguyen%20thi%20hoa")) == []


@pytest.mark.usefixtures("personal")
def test_rejected_rows_hide_personal_values_from_outsiders(api: dict[str | None, Api]) -> None:
    query = '{ rejectedRecords(source: "push-22") { edges { node { raw errors { code field message value } } } } }'
    for who in (None, "24"):
        text = json.dumps(api[who].data(query), ensure_ascii=False)
        assert HOUSEHOLD not in text and PHONE not in text, who
        assert "BAD_STARS" in text
        csv_text = api[who].get("/export/rejected.csv?source=push-22").content.decode("utf-8-sig")
        assert HOUSEHOLD not in csv_text and PHONE not in csv_text and "BAD_STARS" in csv_text
    for who in ("22", "ministry"):
        text = json.dumps(api[who].data(query), ensure_ascii=False)
        assert HOUSEHOLD in text and PHONE in text, who


@pytest.mark.usefixtures("personal")
def test_producer_by_id_follows_the_rule_too(api: dict[str | None, Api]) -> None:
    ids = [e["node"]["producer"]["id"] for e in api["ministry"].data(
        '{ products(filter: {search: "mam ruoc"}) { edges { node { producer { id } } } } }')["products"]["edges"]]
    query = "query($id: Int!) { producer(id: $id) { name phone products { name } } }"
    assert api[None].data(query, {"id": ids[0]})["producer"] == {
        "name": HOUSEHOLD_LABEL, "phone": None, "products": [{"name": "Mắm ruốc nhà làm"}]}
    assert api["22"].data(query, {"id": ids[0]})["producer"]["name"] == HOUSEHOLD


def test_audit_log_pages_and_filters(api: dict[str | None, Api]) -> None:
    for i in range(5):
        api["22"].push("22", [rec(f"Sản phẩm {i}")])
    api["24"].push("24", [rec("Gà đồi")])
    query = """query($after: String, $province: String, $source: String) {
        importBatches(first: 2, after: $after, province: $province, source: $source) {
        totalCount pageInfo { hasNextPage endCursor } edges { node { id source created } } } }"""
    seen, after = [], None
    while True:
        page = api[None].data(query, {"after": after, "province": "22"})["importBatches"]
        assert page["totalCount"] == 5
        seen += [e["node"]["id"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(seen) == 5 == len(set(seen)) and seen == sorted(seen, reverse=True)
    only = api[None].data(query, {"source": "push-24"})["importBatches"]
    assert only["totalCount"] == 1 and only["edges"][0]["node"]["source"] == "push-24"
    assert api[None].data(query, {"source": "no-such-source"})["importBatches"]["totalCount"] == 0


def test_history_of_a_page_is_one_statement_whatever_its_size(store: Engine, api: dict[str | None, Api]) -> None:
    from sqlalchemy import event

    api["22"].push("22", [rec(f"Sản phẩm {i:02d}") for i in range(40)])
    api["22"].push("22", [rec(f"Sản phẩm {i:02d}", stars=4) for i in range(40)])
    query = "query($n: Int!) { products(first: $n) { edges { node { id history { action } } } } }"

    def count(n: int) -> int:
        statements: list[str] = []

        def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
            if statement.split(" ", 1)[0].upper() not in ("BEGIN", "COMMIT", "ROLLBACK"):
                statements.append(statement)

        event.listen(store, "before_cursor_execute", record)
        try:
            edges = api[None].data(query, {"n": n})["products"]["edges"]
        finally:
            event.remove(store, "before_cursor_execute", record)
        assert len(edges) == n and all([h["action"] for h in e["node"]["history"]] == ["created", "updated"] for e in edges)
        return len(statements)

    assert count(3) == count(40) <= 3  # the page, the history batch (totalCount is not asked for)


def test_a_push_failing_inside_the_hub_says_so_without_internals(
        store: Engine, api: dict[str | None, Api], monkeypatch: pytest.MonkeyPatch) -> None:
    import hub.push.submission
    from hub.ingest.summary import ImportSummary

    def broken(*args: Any, **kwargs: Any) -> ImportSummary:
        return ImportSummary(source="push-22", status="failed", batch_id=7, rows_read=1,
                             error="OperationalError: SELECT secret FROM internals")

    monkeypatch.setattr(hub.push.submission, "ingest_rows", broken)
    summary = api["22"].push("22", [rec("Dầu lạc")])
    assert summary["status"] == "failed" and "nothing was applied" in summary["error"]
    assert "secret" not in json.dumps(summary)
    upload = api["22"].client.post("/push/file", headers=api["22"].headers, data={"province": "22"},
                                   files={"file": ("ocop.csv", csv_bytes())})
    assert upload.status_code == 500 and "secret" not in upload.text and upload.json()["status"] == "failed"
