"""Province filters over HTTP, against a real `ocop-hub serve` (SQLite; PostgreSQL when reachable):
codes and names, old or new, in any spelling, read as pushes read them; an unknown province is an
error naming it, never an empty answer (issue 16, item 4)."""
from __future__ import annotations

from typing import Any, Iterator

import pytest
import requests

from hub.api.filters import UNKNOWN_PROVINCE_HINT
from tests.api.live import (BAC_KAN, QUANG_NINH, QUANG_NINH_HARVEST, THAI_NGUYEN, LiveServer, seed_pushes,
                            seeded_store)

TIMEOUT = 15
@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from seeded_store(request, tmp_path_factory, seed_pushes)


@pytest.fixture(scope="module")
def server(store_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with LiveServer(store_url, tmp_path_factory.mktemp("serve") / "server.log") as live:
        yield live


def post(server: LiveServer, query: str, **variables: Any) -> dict[str, Any]:
    response = requests.post(f"{server.url}/graphql", json={"query": query, "variables": variables}, timeout=TIMEOUT)
    assert response.status_code == 200, response.text
    return response.json()


def data(server: LiveServer, query: str, **variables: Any) -> dict[str, Any]:
    body = post(server, query, **variables)
    assert not body.get("errors"), body["errors"]
    return body["data"]


PRODUCTS = "query($f: ProductFilter) { products(first: 100, filter: $f) { totalCount edges { node { name } } } }"


def names(server: LiveServer, **f: Any) -> set[str]:
    page = data(server, PRODUCTS, f=f)["products"]
    assert page["totalCount"] == len(page["edges"])
    return {e["node"]["name"] for e in page["edges"]}


@pytest.mark.parametrize("written", ["22", "Quảng Ninh", "quang ninh", "Tỉnh Quảng Ninh", "TỈNH QUẢNG NINH"])
def test_province_takes_codes_and_names_in_any_spelling(server: LiveServer, written: str) -> None:
    assert names(server, province=[written]) == set(QUANG_NINH)


@pytest.mark.parametrize("written", ["Bắc Kạn", "bac kan", "Tỉnh Bắc Cạn"])
def test_a_pre_reform_province_means_its_current_successor(server: LiveServer, written: str) -> None:
    assert names(server, province=[written]) == set(THAI_NGUYEN) | set(BAC_KAN)


@pytest.mark.parametrize("written", ["Bắc Kạn", "bac kan", "Tinh Bac Can", "06"])
def test_legacy_province_matches_names_folded_and_pre_reform_codes(server: LiveServer, written: str) -> None:
    assert names(server, legacyProvince=[written]) == set(BAC_KAN)


def test_producers_stats_conflicts_and_the_audit_log_read_provinces_alike(server: LiveServer) -> None:
    producers = data(server, """{ producers(filter: {province: ["thai nguyen"]}) { totalCount
        edges { node { province { code } } } } }""")["producers"]
    assert producers["totalCount"] == 1 and producers["edges"][0]["node"]["province"]["code"] == "19"
    nested = data(server, '{ producers(filter: {hasProduct: {legacyProvince: ["bac kan"]}}) { totalCount } }')
    assert nested["producers"]["totalCount"] == 1
    buckets = data(server, """{ stats(groupBy: [PROVINCE], filter: {province: ["Bắc Kạn"]}) {
        key { province { code } } count } }""")
    assert buckets["stats"] == [{"key": {"province": {"code": "19"}}, "count": len(THAI_NGUYEN) + len(BAC_KAN)}]
    conflicts = data(server, """{ conflicts(filter: {province: ["Tỉnh Quảng Ninh"]}) {
        totalCount edges { node { field } } } }""")
    assert conflicts["conflicts"]["totalCount"] == 1 and conflicts["conflicts"]["edges"][0]["node"]["field"] == "stars"
    batches = data(server, '{ importBatches(province: "quang ninh") { edges { node { source } } } }')
    assert {e["node"]["source"] for e in batches["importBatches"]["edges"]} == {QUANG_NINH_HARVEST, "push-22"}


@pytest.mark.parametrize("query", [
    '{ products(filter: {province: ["Atlantis"]}) { totalCount } }',
    '{ products(filter: {legacyProvince: ["Atlantis"]}) { totalCount } }',
    '{ producers(filter: {province: ["Atlantis"]}) { totalCount } }',
    '{ producers(filter: {hasProduct: {province: ["Atlantis"]}}) { totalCount } }',
    '{ stats(groupBy: [STARS], filter: {province: ["Atlantis"]}) { count } }',
    '{ conflicts(filter: {province: ["Atlantis"]}) { totalCount } }',
    '{ importBatches(province: "Atlantis") { totalCount } }',
])
def test_an_unknown_province_is_an_error_naming_it(server: LiveServer, query: str) -> None:
    body = post(server, query)
    assert body["data"] is None
    [error] = body["errors"]
    assert error["message"] == "unknown province 'Atlantis'" + UNKNOWN_PROVINCE_HINT
    assert error["extensions"] == {"code": "UNKNOWN_UNIT"}


def test_every_unknown_value_is_named_and_codes_are_the_current_list(server: LiveServer) -> None:
    [error] = post(server, '{ products(filter: {province: ["22", "Atlantis", "Lemuria"]}) { totalCount } }')["errors"]
    assert error["message"] == "unknown provinces 'Atlantis', 'Lemuria'" + UNKNOWN_PROVINCE_HINT
    [error] = post(server, '{ products(filter: {province: ["06"]}) { totalCount } }')["errors"]  # Bắc Kạn's old code
    assert error["message"] == "unknown province '06'" + UNKNOWN_PROVINCE_HINT
