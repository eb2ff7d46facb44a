"""The privacy rule on every surface: every GraphQL field (found by introspection), every export
column, every route. A table states how each caller sees a household producer's row; the test
fails when a field, column, canonical field or route has no decision in it, and when a surface
answers otherwise (docs/access.md).

One store per backend (SQLite, PostgreSQL) holds a household whose personal data all carry a
secret (``Kín`` in its name, addresses and contact; its phone, e-mail and tax code): two registries
disagree on its address and tax code (conflicts), one changed its address (history), its address
names no known commune (a warning), one of its rows was rejected, a batch failed, and its own
province's key submitted a background push. Callers: anonymous, another province's key, the
owner province's key, the ministry.
"""
from __future__ import annotations

import base64
import csv
import io
import json
import re
import time
from typing import Any, Iterator

import openpyxl
import pyarrow.parquet as pq
import pytest
from graphql import (GraphQLList, GraphQLNonNull, GraphQLObjectType, GraphQLSchema, get_named_type,
                     is_leaf_type)
from sqlalchemy.engine import Engine
from starlette.routing import Mount, Route
from starlette.testclient import TestClient

from hub.server import create_app
from hub.api.conflicts import CONFLICT_FIELDS
from hub.api.export_columns import CONFLICT_COLUMNS, REJECTED_COLUMNS, product_columns
from hub.api.rejected import field_of
from hub.api.schema import schema
from hub.access.keys import Principal, create_key
from hub.ingest import ingest_rows
from hub.vocabulary import Role
from hub.push.submission import SCHEMA_PATH as PUSH_RECORD_SCHEMA_PATH
from hub.records import RawRow
from hub.registries.reading import SkippedRow, TableReading

CALLERS = ("anonymous", "other province", "owner province", "ministry")
SECRETS = ("Kín", "kín", "KÍN", "0999 888 777", "kin.rieng@example.vn", "5700999")

# How each caller (anonymous, other province's key, owner province's key, ministry) sees a field of
# a household's row: "same" (what everyone sees), "hidden" (null, a label or a neutral text: no
# personal value), "shown" (the personal value), "refused" (an error; no data).
PUBLIC = ("same", "same", "same", "same")
PERSONAL = ("hidden", "hidden", "shown", "shown")
MINISTRY = ("refused", "refused", "refused", "shown")
KEYED = ("refused", "hidden", "shown", "shown")  # writes: anonymous refused, another province refused too

GRAPHQL: dict[str, tuple[str, ...]] = {
    **{f"Product.{f}": PUBLIC for f in (
        "id name group groupText subgroup stars score proposedFiveStar decisionNumber decisionDate issuingBody "
        "certifiedYear expiryDate status legacyProvince unitCode unitCodeVersion createdAt updatedAt withdrawnAt "
        "producer province provenance commune history warnings certificates").split()},
    # A certificate is the programme's public record: rating, decision, dates and the source's name.
    **{f"Certificate.{f}": PUBLIC for f in (
        "stars proposedFiveStar decisionNumber decisionDate certifiedYear validFrom validTo ended source "
        "recordedAt").split()},
    "Product.unitText": PERSONAL,
    **{f"Producer.{f}": PUBLIC for f in "id producerType createdAt updatedAt province commune products".split()},
    **{f"Producer.{f}": PERSONAL for f in "name address phone email contactPerson".split()},
    **{f"Province.{f}": PUBLIC for f in "code name fullName legacyPredecessors productCount".split()},
    **{f"Commune.{f}": PUBLIC for f in "code name provinceCode".split()},
    **{f"Provenance.{f}": PUBLIC for f in "sourceName sourceKind rowNumber lastSeenAt present location gives".split()},
    **{f"HistoryEntry.{f}": PUBLIC for f in "batchId batchKind actor action at".split()},
    "HistoryEntry.before": PERSONAL, "HistoryEntry.after": PERSONAL,  # unit_text in the snapshots
    "RowWarning.code": PUBLIC, "RowWarning.field": PUBLIC,
    "RowWarning.message": PERSONAL, "RowWarning.rawValue": PERSONAL,  # producer name/type, address warnings
    **{f"{t}.{f}": PUBLIC for t in ("ProductConnection", "ProducerConnection", "ConflictConnection",
                                    "AuditBatchConnection") for f in ("edges", "pageInfo", "totalCount")},
    **{f"{t}.{f}": PUBLIC for t in ("ProductEdge", "ProducerEdge", "ConflictEdge", "AuditBatchEdge", "RejectedEdge")
       for f in ("node", "cursor")},
    # a cursor carries the sort key as the caller sees it: a producer's shown name
    "ProducerEdge.cursor": PERSONAL, "PageInfo.startCursor": PERSONAL, "PageInfo.endCursor": PERSONAL,
    **{f"PageInfo.{f}": PUBLIC for f in "hasNextPage hasPreviousPage".split()},
    **{f"StatsBucket.{f}": PUBLIC for f in "key count producerCount".split()},
    **{f"StatsKey.{f}": PUBLIC for f in "province legacyProvince stars group producerType certifiedYear year status".split()},
    **{f"ProvinceCoverage.{f}": PUBLIC for f in (
        "province sources productCount rejectedCount warnedCount conflictCount lastSuccessAt stale status "
        "formerProvinces").split()},
    **{f"FormerProvinceCoverage.{f}": PUBLIC for f in "code name status sources".split()},
    **{f"SourceCoverage.{f}": PUBLIC for f in (
        "name kind listKind provinceText lastSuccessAt listDate latestBatch recordCount rejectedCount warnedCount "
        "conflictCount stale health disabledAt").split()},
    "SourceCoverage.lastError": PERSONAL,  # names files and servers: the source's province and the ministry
    **{f"RejectedConnection.{f}": PUBLIC for f in "batch edges pageInfo totalCount".split()},
    "RejectedRow.rowNumber": PUBLIC, "RejectedRow.errors": PUBLIC,
    "RejectedRow.raw": PERSONAL,  # name, contact and address cells
    "RecordError.code": PUBLIC, "RecordError.field": PUBLIC,
    "RecordError.message": PERSONAL, "RecordError.value": PERSONAL,  # quote the hidden cells
    **{f"BatchSummary.{f}": PUBLIC for f in (
        "id kind status startedAt finishedAt rowsRead created updated unchanged withdrawn rejected warnedRows "
        "conflicts unmappedColumns skippedRows warnings").split()},
    **{f"Conflict.{f}": PUBLIC for f in "product field values firstSeenAt updatedAt".split()},
    "ConflictValue.source": PUBLIC, "ConflictValue.value": PERSONAL,  # address, tax code
    **{f"AuditBatch.{f}": PUBLIC for f in (
        "id source sourceKind provinceCode province kind actor status startedAt finishedAt rowsRead created "
        "updated unchanged withdrawn rejected reverted revertedAt revertedByBatchId warnings warnedRows "
        "conflicts unmappedColumns skippedRows").split()},
    **{f"WarningCount.{f}": PUBLIC for f in "code count".split()},
    **{f"SkippedRow.{f}": PUBLIC for f in "rowNumber reason text".split()},
    # a background push: its submitter and the ministry only
    **{f"PushJob.{f}": PERSONAL for f in "id status records provinceCode createdAt finishedAt error summary".split()},
    **{f"ImportSummary.{f}": PERSONAL for f in (
        "batchId source status dryRun replayed rowsRead created updated unchanged withdrawn rejected error "
        "rejections warnings warningCounts warnedRows conflicts unmappedColumns skippedRows").split()},
    **{f"PushRejection.{f}": PERSONAL for f in "index errors".split()},
    **{f"RecordWarning.{f}": PERSONAL for f in "index field code message".split()},
    # ministry only
    **{f"ManagedSource.{f}": MINISTRY for f in (
        "name kind location provinceCode provinceText enabled disabledAt removedAt lastSuccessAt lastBatch "
        "presentRows soleProducts").split()},
    **{f"SourceBatch.{f}": MINISTRY for f in "id kind status at error".split()},
    **{f"Query.{f}": PUBLIC for f in (
        "products producers product producer provinces stats coverage rejectedRecords conflicts "
        "importBatches").split()},
    "Query.pushJob": PERSONAL, "Query.sources": MINISTRY,
    # writes (tests/api/test_push_api.py, tests/api/test_sources_api.py test what the allowed callers get)
    "Mutation.pushProducts": KEYED, "Mutation.pushProductsAsync": KEYED, "Mutation.revertBatch": KEYED,
    **{f"Mutation.{f}": MINISTRY for f in "disableSource enableSource removeSource".split()},
    **{f"RevertResult.{f}": KEYED for f in (
        "revertBatchId revertedBatchId productsRestored withdrawn updated").split()},
    **{f"SourceRemoval.{f}": MINISTRY for f in "source batchId rowsUnlisted productsWithdrawn".split()},
}

EXPORT_COLUMNS: dict[str, tuple[str, ...]] = {
    **{c: PUBLIC for c in (
        "id name group group_text subgroup stars score proposed_five_star status certified_year decision_number "
        "decision_date issuing_body expiry_date province_code province_name legacy_province commune_code "
        "commune_name producer_id producer_type sources warnings updated_at").split()},
    "unit_text": PERSONAL, "producer_name": PERSONAL,
    **{c: ("absent", "hidden", "shown", "shown") for c in "producer_phone producer_email producer_contact_person".split()},
}
"""The products export (CSV and Parquet): an anonymous download has no contact columns at all."""

RECORD_FIELDS: dict[str, tuple[str, ...]] = {
    **{f: PUBLIC for f in (
        "product_name stars score group subgroup province decision_number decision_date year "
        "issuing_body producer_type").split()},
    **{f: PERSONAL for f in "producer_name phone email contact_person tax_code address commune district".split()},
}
"""A rejected row's raw cells (rejectedRecords.raw, /export/rejected.csv), by canonical field."""
UNMAPPED_CELL = PERSONAL
"""A rejected row's cell in a column that maps to no field (a note, an ID number): the address rule."""

CONFLICT_VALUES: dict[str, tuple[str, ...]] = {
    **{f: PUBLIC for f in "stars group commune decision_number decision_date".split()},
    **{f: PERSONAL for f in "producer_type tax_code address".split()},
}
"""A conflict's values by field (GraphQL `conflicts`, /export/conflicts.csv). `commune` is a resolved code."""

ROUTES: dict[str, str] = {
    "/graphql": "GRAPHQL (above)",
    "/healthz": "no row data",
    "/export/products.csv": "EXPORT_COLUMNS", "/export/products.parquet": "EXPORT_COLUMNS",
    "/export/products.xlsx": "EXPORT_COLUMNS",
    "/export/rejected.csv": "RECORD_FIELDS", "/export/conflicts.csv": "CONFLICT_VALUES",
    # the releases (hub/api/releases.py): the anonymous products export written to files, EXPORT_COLUMNS
    # without a key (tests/api/test_releases.py: no contact column)
    "/export/releases/": "no row data (the list)", "/export/releases/{name}/": "no row data (a release's index)",
    "/export/releases/{name}/{file:path}": "EXPORT_COLUMNS as anonymous; code lists",
    "/export/stats.csv": "counts only, as `stats` (test_the_stats_export_searches_names_as_stats_does)",
    "/export/stats.parquet": "counts only, as `stats` (test_the_stats_export_searches_names_as_stats_does)",
    "/export/datapackage.json": "no row data (column descriptions)",
    "/export/codes/{name}.csv": "no row data (official units, enum labels)",
    "/push/file": "writes: keys of the province and the ministry only (tests/api/test_push_api.py)",
    "/": "page: no row data", "/het-han": "page: no row data", "/province": "redirect",
    "/province/{code}": "page: PERSONAL", "/product/{id:int}": "page: PERSONAL",
    "/graphiql/assets": "static files",
    # the submission page (hub/submit): test_the_submission_routes_give_rows_only_to_their_province
    "/nop-du-lieu": "page: no row data", "/mau-danh-sach.xlsx": "no row data (the list template)",
    "/nop-du-lieu/xem-truoc": "the caller's own file, nothing stored: keys only (tests/submit/test_submit_page.py)",
    "/nop-du-lieu/ap-dung": "writes: keys of the province and the ministry only (tests/submit/test_submit_page.py)",
    "/nop-du-lieu/hoan-tac/{id:int}": "writes: revertBatch's rule (tests/submit/test_submit_page.py)",
    "/nop-du-lieu/lich-su": "keys only: importBatches, no row data",
    "/nop-du-lieu/dong-bi-loai/{id:int}.xlsx": "RECORD_FIELDS as written: keys of the batch's province, the ministry",
}
PAGES = {"/": "/", "/het-han": "/het-han?province=22", "/nop-du-lieu": "/nop-du-lieu", "/province/{code}": "/province/22",
         "/province/{code}?keyed": "/province/22?_part=keyed", "/product/{id:int}": "/product/{id}",
         "/product/{id:int}?keyed": "/product/{id}?_part=keyed"}
PERSONAL_PAGES = {"/province/{code}", "/province/{code}?keyed", "/product/{id:int}", "/product/{id:int}?keyed"}

NAME = "Hộ kinh doanh Lê Thị Kín"
REGISTRY, PORTAL = "qn-registry", "qn-portal"


def household(number: int, address: str, tax_code: str = "5700999888", **extra: str) -> RawRow:
    """The household's product whose address names no known commune (a warning, no commune)."""
    values = {"product_name": "Bánh gai lá gai", "producer_name": NAME, "stars": "4", "group": "Thực phẩm",
              "decision_date": "01/03/2024", "address": address, "phone": "0999 888 777",
              "email": "kin.rieng@example.vn", "contact_person": "Lê Văn Kín", "tax_code": tax_code, **extra}
    return RawRow(number, values, raw=dict(values))


def placed_row() -> RawRow:
    """Another of its products, whose address the hub placed in a commune (public)."""
    values = {"product_name": "Chả mực", "producer_name": NAME, "stars": "3", "group": "Thực phẩm",
              "address": "Xóm Kín số 5, phường Bãi Cháy", "phone": "0999 888 777"}
    return RawRow(3, values, raw=dict(values))


def rejected_row() -> RawRow:
    values = {"product_name": "Mắm tép", "producer_name": NAME, "stars": "", "group": "Thực phẩm",
              "address": "Xóm Kín số 11, xã Không Có Thật", "commune": "Xã Kín Đáo", "district": "Huyện Kín",
              "phone": "0999 888 777"}
    return RawRow(9, values, raw={**values, "Ghi chú": "Nhà bà Kín, sau chợ"})  # a column mapped to no field


def ingest(store: Engine, source: str, rows: list[RawRow], **options: Any) -> Any:
    return ingest_rows(store, source_name=source, source_kind="csv", province="Quảng Ninh", rows=rows, **options)


def broken_fetch() -> str:
    raise ConnectionError("registry server qn-broken.example.vn did not answer")


class Caller:
    def __init__(self, client: TestClient, token: str | None) -> None:
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def graphql(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        response = self.client.post("/graphql", json={"query": query, "variables": variables or {}},
                                    headers=self.headers)
        assert response.status_code == 200, response.text
        return response.json()

    def get(self, path: str) -> Any:
        response = self.client.get(path, headers=self.headers)
        assert response.status_code == 200, (path, response.text[:500])
        return response


@pytest.fixture
def world(store: Engine) -> Iterator[tuple[dict[str, Caller], dict[str, Any]]]:
    section = TableReading(skipped=[SkippedRow(1, "section", "I. SẢN PHẨM 4 SAO")])
    first = [household(2, "Xóm Kín số 11, xã Không Có Thật"), placed_row(), rejected_row()]
    assert ingest(store, REGISTRY, first, reading=lambda: section).created == 2
    assert ingest(store, PORTAL, [household(4, "Xóm Kín số 13, xã Không Có Thật", tax_code="5700999777")]).conflicts
    again = [household(2, "Xóm Kín số 12, xã Không Có Thật"), placed_row(), rejected_row()]
    assert ingest(store, REGISTRY, again, reading=lambda: section).updated == 1
    assert ingest(store, "qn-broken", [], fingerprint=broken_fetch).status == "failed"
    tokens = [None, create_key(store, role=Role.PROVINCE, name="Sở NN Bắc Ninh", province_code="24")[1],
              create_key(store, role=Role.PROVINCE, name="Sở NN Quảng Ninh", province_code="22")[1],
              create_key(store, role=Role.MINISTRY, name="Văn phòng OCOP")[1]]
    with TestClient(create_app(store)) as client:
        callers = {who: Caller(client, token) for who, token in zip(CALLERS, tokens)}
        owner = callers["owner province"]
        record = {"productName": "Bánh gai lá gai", "producerName": NAME, "stars": 4, "group": "Thực phẩm",
                  "address": "Xóm Kín số 14, xã Không Có Thật", "phone": "0999 888 777"}
        job = owner.graphql("""mutation($input: PushProductsInput!) { pushProductsAsync(input: $input) { id } }""",
                            {"input": {"province": "22", "dryRun": True, "records": [record, {"productName": NAME}]}})
        job_id = job["data"]["pushProductsAsync"]["id"]
        deadline = time.monotonic() + 30  # finished, so every caller sees the same job
        while owner.graphql('query($id: String!) { pushJob(id: $id) { status } }',
                            {"id": job_id})["data"]["pushJob"]["status"] != "succeeded":
            assert time.monotonic() < deadline, "the background push did not finish"
            time.sleep(0.05)
        ids = owner.graphql("{ products { edges { node { id name producer { id } } } } }")["data"]["products"]
        [node] = [e["node"] for e in ids["edges"] if e["node"]["name"] == "Bánh gai lá gai"]
        yield callers, {"product": node["id"], "producer": node["producer"]["id"], "job": job_id}


# --- the GraphQL walk -------------------------------------------------------------------------------------

ROOT_ARGS = {
    "products": "(first: 50)", "producers": "(first: 10)", "product": "(id: {product})",
    "producer": "(id: {producer})", "pushJob": '(id: "{job}")', "rejectedRecords": f'(source: "{REGISTRY}")',
    "conflicts": "(first: 50)", "importBatches": "(first: 50)",
    "stats": "(groupBy: [PROVINCE, LEGACY_PROVINCE, STARS, GROUP, PRODUCER_TYPE, YEAR, STATUS])",
}


NESTED_PAGE = 5
"""Nested lists' page size (Producer.products, Product.history): every field of every level
selected at once, their defaults would take the walk over the anonymous budget (hub.api.budget)."""


def selection(gql: GraphQLSchema, type_name: str, seen: tuple[str, ...]) -> str:
    """Every field of ``type_name``, objects expanded unless their type is already on the path."""
    type_ = gql.type_map[type_name]
    assert isinstance(type_, GraphQLObjectType)
    parts = []
    for name, field in type_.fields.items():
        inner = get_named_type(field.type)
        page = next((f"({arg}: {NESTED_PAGE})" for arg in ("first", "last") if arg in field.args), "")
        if is_leaf_type(inner):
            parts.append(name)
        elif inner.name not in seen:
            parts.append(f"{name}{page} {{ {selection(gql, inner.name, seen + (inner.name,))} }}")
    return " ".join(parts)


def root_queries(gql: GraphQLSchema, ids: dict[str, Any]) -> dict[str, str]:
    queries = {}
    for name, field in gql.query_type.fields.items():
        inner = get_named_type(field.type)
        args = ROOT_ARGS.get(name, "").format(**ids)
        body = f" {{ {selection(gql, inner.name, (inner.name,))} }}" if not is_leaf_type(inner) else ""
        queries[name] = f"{{ {name}{args}{body} }}"
    return queries


MISSING = "<missing>"


def reachable_from_query(gql: GraphQLSchema) -> set[str]:
    """Every field (Type.field) a query can reach."""
    found: set[str] = set()
    todo, seen = [gql.query_type], {gql.query_type.name}
    while todo:
        type_ = todo.pop()
        for name, field in type_.fields.items():
            found.add(f"{type_.name}.{name}")
            inner = get_named_type(field.type)
            if isinstance(inner, GraphQLObjectType) and inner.name not in seen:
                seen.add(inner.name)
                todo.append(inner)
    return found


def flatten(value: Any, type_: Any, coordinate: str, path: str, out: dict[str, tuple[str, Any]]) -> None:
    """Every value of the answer by path, with the field (Type.field) it answers: leaves as they
    are, objects and lists by their shape (their contents are checked field by field)."""
    if isinstance(type_, GraphQLNonNull):
        type_ = type_.of_type
    if value is None or is_leaf_type(get_named_type(type_)):
        out[path] = (coordinate, value)
        return
    out[path] = (coordinate, f"[{len(value)} items]" if isinstance(type_, GraphQLList) else "{object}")
    if isinstance(type_, GraphQLList):
        for index, item in enumerate(value):
            flatten(item, type_.of_type, coordinate, f"{path}[{index}]", out)
        return
    for name, field in type_.fields.items():
        if name in value:
            flatten(value[name], field.type, f"{type_.name}.{name}", f"{path}.{name}", out)


def under_null(answer: dict[str, tuple[str, Any]], path: str) -> bool:
    """Is ``path`` missing from a caller's answer because an object above it was null for them
    (that null is checked on its own field)?"""
    parent = re.sub(r"(\[\d+\]|\.[^.\[]+)$", "", path)
    if parent == path:
        return False
    if parent in answer:
        return answer[parent][1] is None
    return under_null(answer, parent)


def has_secret(value: Any) -> bool:
    """Does ``value`` carry a personal value, as text or inside a cursor (base64 JSON)?"""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    decoded = [_unbase64(word) for word in re.findall(r"[A-Za-z0-9+/=_-]{16,}", text)]
    return any(secret in t for t in [text, *decoded] for secret in SECRETS)


def _unbase64(word: str) -> str:
    try:
        return json.dumps(json.loads(base64.urlsafe_b64decode(word + "=" * (-len(word) % 4))), ensure_ascii=False)
    except ValueError:
        return ""


def check(coordinate: str, decision: tuple[str, ...], values: dict[str, Any], exercised: set[str]) -> None:
    """One value of one field, as the four callers got it, against the field's decision."""
    shown = [values[c] for c, d in zip(CALLERS, decision) if d in ("same", "shown") and c in values]
    assert all(v == shown[0] for v in shown), (coordinate, values)
    for who, seen in zip(CALLERS, decision):
        if who not in values or not shown:
            continue
        if seen in ("hidden", "refused", "absent"):
            assert not has_secret(seen == "hidden" and values[who]), (coordinate, who, values[who])
            if seen in ("refused", "absent"):
                assert values[who] in (MISSING, None), (coordinate, who, values[who])
            if values[who] != shown[0]:
                exercised.add(coordinate)


def test_every_graphql_field_has_a_decision() -> None:
    gql = schema._schema
    fields = {f"{name}.{field}" for name, type_ in gql.type_map.items()
              if isinstance(type_, GraphQLObjectType) and not name.startswith("__") for field in type_.fields}
    assert fields - set(GRAPHQL) == set(), "fields without a privacy decision: add them to GRAPHQL"
    assert set(GRAPHQL) - fields == set(), "decisions for fields that no longer exist"


def test_every_graphql_field_answers_each_caller_as_its_decision_says(world) -> None:
    callers, ids = world
    gql = schema._schema
    exercised: set[str] = set()
    walked: set[str] = set()
    for root, query in root_queries(gql, ids).items():
        answers: dict[str, dict[str, tuple[str, Any]]] = {}
        for who, caller in callers.items():
            answer = caller.graphql(query)
            if who in ("anonymous", "other province"):
                assert not has_secret(answer), (root, who, answer)
            decision = GRAPHQL[f"Query.{root}"][CALLERS.index(who)]
            if decision == "refused":
                assert answer["data"] is None and answer["errors"][0]["extensions"]["code"] == "FORBIDDEN"
            else:
                assert not answer.get("errors"), (root, who, answer["errors"])
            answers[who] = {}
            if answer["data"] is not None:
                flatten(answer["data"][root], gql.query_type.fields[root].type, f"Query.{root}", root, answers[who])
        for path in {p for a in answers.values() for p in a}:
            coordinate = next(a[path][0] for a in answers.values() if path in a)
            walked.add(coordinate)
            values = {w: a[path][1] if path in a else MISSING for w, a in answers.items()
                      if path in a or not under_null(a, path)}
            if any(GRAPHQL[coordinate][CALLERS.index(w)] != "same" for w in answers if w not in values):
                exercised.add(coordinate)  # hidden with the object above it
            check(coordinate, GRAPHQL[coordinate], values, exercised)
    assert reachable_from_query(gql) - walked == set(), "fields the walk never reached: give the scenario data"
    undecided = {c for c in walked if any(d in ("hidden", "refused") for d in GRAPHQL[c])} - exercised
    assert undecided == set(), "hidden fields whose hiding the scenario never shows: give it data for them"


def test_writes_refuse_anonymous_callers_and_other_provinces(world) -> None:
    callers, ids = world
    record = {"productName": "Bánh gai lá gai", "producerName": NAME, "stars": 4}
    writes = {
        "pushProducts": ("mutation { pushProducts(input: {province: \"22\", dryRun: true, records: [%s]}) { batchId } }"
                         % _gql_object(record)),
        "pushProductsAsync": ("mutation { pushProductsAsync(input: {province: \"22\", dryRun: true, records: [%s]}) "
                              "{ id } }" % _gql_object(record)),
        "revertBatch": "mutation { revertBatch(id: 1) { revertBatchId } }",
        "disableSource": f'mutation {{ disableSource(name: "{REGISTRY}") {{ name }} }}',
        "enableSource": f'mutation {{ enableSource(name: "{REGISTRY}") {{ name }} }}',
        "removeSource": f'mutation {{ removeSource(name: "{REGISTRY}") {{ batchId }} }}',
    }
    assert set(writes) == set(schema._schema.mutation_type.fields)
    codes = {"refused": {"FORBIDDEN"}, "hidden": {"NOT_YOUR_PROVINCE", "FORBIDDEN"}}
    for name, mutation in writes.items():
        for who, seen in zip(CALLERS, GRAPHQL[f"Mutation.{name}"]):
            if seen in codes:
                answer = callers[who].graphql(mutation)
                assert answer["data"] is None, (name, who, answer)
                assert answer["errors"][0]["extensions"]["code"] in codes[seen], (name, who, answer)


def _gql_object(values: dict[str, Any]) -> str:
    return "{" + ", ".join(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in values.items()) + "}"


# --- exports ----------------------------------------------------------------------------------------------

def _csv(response: Any) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_every_export_column_has_a_decision() -> None:
    ministry = Principal(key_id=0, name="ministry", role=Role.MINISTRY, province_code=None)
    assert {c.name for c in product_columns(ministry is not None)} == set(EXPORT_COLUMNS), "columns without a privacy decision"
    assert set(CONFLICT_FIELDS) == set(CONFLICT_VALUES)
    canonical = set(json.loads(PUSH_RECORD_SCHEMA_PATH.read_text(encoding="utf-8"))["properties"])
    assert canonical == set(RECORD_FIELDS), "canonical fields without a decision for rejected rows' cells"


def _xlsx(response) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.text
    header, *rows = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0].iter_rows(
        values_only=True)
    return [dict(zip(header, row)) for row in rows]


def test_every_export_column_answers_each_caller_as_its_decision_says(world) -> None:
    callers, ids = world
    exercised: set[str] = set()
    for path in ("/export/products.csv", "/export/products.parquet", "/export/products.xlsx"):
        rows = {}
        for who, caller in callers.items():
            response = caller.get(path)
            if who in ("anonymous", "other province"):
                assert not has_secret(response.content.decode("utf-8", "replace")), (path, who)
            table = (_csv(response) if path.endswith(".csv") else _xlsx(response) if path.endswith(".xlsx")
                     else pq.read_table(io.BytesIO(response.content)).to_pylist())
            [row] = [r for r in table if str(r["id"]) == str(ids["product"])]
            rows[who] = row
        assert set(rows["ministry"]) == set(EXPORT_COLUMNS)
        for column, decision in EXPORT_COLUMNS.items():
            check(column, decision, {w: (r[column] if r[column] != "" else None) if column in r else MISSING
                                     for w, r in rows.items()}, exercised)
    assert exercised == {c for c, d in EXPORT_COLUMNS.items() if "hidden" in d or "absent" in d}


def test_rejected_rows_and_conflicts_answer_each_caller_as_their_decisions_say(world) -> None:
    callers, _ = world
    exercised: set[str] = set()
    rejected = {who: _csv(c.get(f"/export/rejected.csv?source={REGISTRY}")) for who, c in callers.items()}
    assert [list(r[0])[:3] for r in rejected.values()] == [[c.name for c in REJECTED_COLUMNS]] * 4
    for column in list(rejected["ministry"][0])[3:]:
        check(column, RECORD_FIELDS.get(field_of(column), UNMAPPED_CELL),
              {w: rows[0].get(column) or None for w, rows in rejected.items()}, exercised)
    for who in ("anonymous", "other province"):
        assert not has_secret(rejected[who]), who
    assert exercised == {"producer_name", "address", "commune", "district", "phone", "Ghi chú"}

    exercised.clear()
    conflicts = {who: _csv(c.get("/export/conflicts.csv")) for who, c in callers.items()}
    assert {r["field"] for r in conflicts["ministry"]} == {"address", "tax_code"}
    for index, row in enumerate(conflicts["ministry"]):
        assert list(row) == [c.name for c in CONFLICT_COLUMNS]
        check(row["field"], CONFLICT_VALUES[row["field"]],
              {w: rows[index]["value"] or None for w, rows in conflicts.items()}, exercised)
    assert exercised == {"address", "tax_code"}


def test_the_stats_export_searches_names_as_stats_does(world) -> None:
    """Counts hold no personal data; the one rule that reaches them: a search matches a household's
    name only for a caller who may see it, in the download as in `stats`."""
    callers, _ = world
    totals = {}
    for who, caller in callers.items():
        rows = _csv(caller.get("/export/stats.csv?groupBy=producerType&search=Kín"))
        assert not has_secret(json.dumps(rows, ensure_ascii=False)), who
        api = caller.graphql('{ stats(groupBy: [PRODUCER_TYPE], filter: {search: "Kín"}) { count producerCount } }')
        totals[who] = sum(int(r["product_count"]) for r in rows)
        assert totals[who] == sum(b["count"] for b in api["data"]["stats"]), who
        assert sum(int(r["producer_count"]) for r in rows) == sum(b["producerCount"] for b in api["data"]["stats"])
    assert totals["anonymous"] == totals["other province"] == 0 < totals["owner province"] == totals["ministry"]


# --- routes and pages -------------------------------------------------------------------------------------

def test_every_route_has_a_decision(store: Engine) -> None:
    app = create_app(store)
    paths = {r.path for r in app.routes if isinstance(r, (Route, Mount))}
    assert paths == set(ROUTES), "routes without a privacy decision: add them to ROUTES (and PAGES)"
    pages = {p for p, d in ROUTES.items() if d.startswith("page")}
    assert pages == {p.split("?")[0] for p in PAGES}


def test_the_submission_routes_give_rows_only_to_their_province(world) -> None:
    """A batch's rejected rows as written (the household's phone, its address) go to the keys of the
    batch's province and the ministry only; the history carries no row data for anyone."""
    callers, _ = world
    batches = callers["ministry"].graphql(
        f'{{ importBatches(source: "{REGISTRY}") {{ edges {{ node {{ id rejected }} }} }} }}')
    batch = next(e["node"]["id"] for e in batches["data"]["importBatches"]["edges"] if e["node"]["rejected"])
    for who, caller in callers.items():
        answer = caller.client.get(f"/nop-du-lieu/dong-bi-loai/{batch}.xlsx", headers=caller.headers)
        if who in ("anonymous", "other province"):
            assert answer.status_code == 404 and not has_secret(answer.text), who
        else:
            assert answer.status_code == 200, who
            rows = openpyxl.load_workbook(io.BytesIO(answer.content)).active.iter_rows(values_only=True)
            assert has_secret(" ".join(str(v) for row in rows for v in row if v is not None)), who
        history = caller.client.get("/nop-du-lieu/lich-su?province=22", headers=caller.headers)
        assert history.status_code == (403 if who == "anonymous" else 200) and not has_secret(history.text), who


def test_every_page_answers_each_caller_as_its_decision_says(world) -> None:
    callers, ids = world
    for page, url in PAGES.items():
        texts = {who: c.get(url.format(id=ids["product"])).text for who, c in callers.items()}
        for who in ("anonymous", "other province"):
            assert not has_secret(texts[who]), (page, who)
        for who in ("owner province", "ministry"):
            assert has_secret(texts[who]) == (page in PERSONAL_PAGES), (page, who)
    product = callers["owner province"].get(f"/product/{ids['product']}?_part=keyed").text
    assert "Xóm Kín số 12" in product  # the "Địa bàn (như ghi)" row, for the owner
