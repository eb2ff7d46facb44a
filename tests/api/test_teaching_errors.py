"""Errors that teach (issue 28, item 7): every limit error has a code, an enum error lists the
valid values when none is close, a province error suggests the nearest names, and a filter no
product can match (`stars: [6]`, `yearFrom` after `yearTo`) is refused alike in GraphQL and the
export."""
from __future__ import annotations

import pytest

from hub.api import limits


def only_error(body: dict) -> dict:
    assert body["data"] is None and len(body["errors"]) == 1, body
    return body["errors"][0]


def test_every_limit_error_has_a_code(gql):
    aliases = "{ " + " ".join(f"a{i}: provinces {{ code }}" for i in range(limits.MAX_ALIASES + 1)) + " }"
    deep = "{ products(first: 1) { edges { node { " + "producer { products { " * 6 + "id" + " } }" * 6 + " } } } }"
    long = "{ provinces { " + "code " * (limits.MAX_QUERY_TOKENS + 1) + "} }"
    page = "{ products(first: 501) { totalCount } }"
    for query, code in ((aliases, "TOO_MANY_ALIASES"), (deep, "QUERY_TOO_DEEP"), (long, "QUERY_TOO_LONG"),
                        (page, "BAD_PAGE_SIZE")):
        for _ in range(2):  # the second time from the parser and validation caches: the same answer
            error = only_error(gql(query))
            assert error["extensions"]["code"] == code, error
            assert error["message"].count(". ") <= 3 and ".." not in error["message"], error["message"]


def test_an_enum_error_lists_the_valid_values_or_suggests_one(gql):
    far = only_error(gql("{ products(filter: {group: [BOGUS]}) { totalCount } }"))["message"]
    assert far.endswith("Valid values: FOOD, BEVERAGE, HERBAL, HANDICRAFT, ORNAMENTAL, TOURISM."), far
    near = only_error(gql("{ products(filter: {group: [FOD]}) { totalCount } }"))["message"]
    assert "Did you mean the enum value 'FOOD'?" in near and "Valid values" not in near
    variable = gql("query($s: [ProductStatus!]) { products(filter: {status: $s}) { totalCount } }", {"s": ["GONE"]})
    assert only_error(variable)["message"].endswith("Valid values: ACTIVE, EXPIRED, WITHDRAWN."), variable


@pytest.mark.parametrize("written, code", [("Quang Ninh Province", "22"), ("Ho Chi Minh City", "79"),
                                            ("Tỉnh Quảng Ninh", "22"), ("Thành phố Hồ Chí Minh", "79"),
                                            ("quang ninh province", "22")])
def test_english_and_vietnamese_unit_words_are_ignored(written, code):
    from hub.api.filters import reference_resolver, resolve_province_filter

    assert resolve_province_filter([written], reference_resolver()) == [code]


def test_an_unknown_province_suggests_the_nearest_names(gql):
    error = only_error(gql('{ products(filter: {province: ["Quang Nin", "Atlantis"]}) { totalCount } }'))
    assert error["extensions"]["code"] == "UNKNOWN_UNIT"
    assert "'Quang Nin' (did you mean 'Quảng Ninh'" in error["message"], error["message"]
    assert "'Atlantis';" in error["message"] and "`provinces` query" in error["message"]


IMPOSSIBLE = [("stars: [6]", "stars=6", "`stars` takes ratings from 1 to 5; got 6."),
              ("certifiedYearFrom: 2024, certifiedYearTo: 2020", "certifiedYearFrom=2024&certifiedYearTo=2020",
               "`certifiedYearFrom` (2024) is after `certifiedYearTo` (2020): no product can be in both; swap them."),
              ("yearFrom: 2024, yearTo: 2020", "year_from=2024&yearTo=2020",
               "`certifiedYearFrom` (2024) is after `certifiedYearTo` (2020): no product can be in both; swap them."),
              ("expiryFrom: \"2027-01-01\", expiryTo: \"2026-01-01\"", "expiryFrom=2027-01-01&expiryTo=2026-01-01",
               "`expiryFrom` (2027-01-01) is after `expiryTo` (2026-01-01): no product can be in both; swap them.")]


@pytest.mark.parametrize("graphql, params, message", IMPOSSIBLE, ids=["stars", "years", "old-years", "expiry"])
def test_an_impossible_filter_is_refused_alike_everywhere(gql, client, graphql, params, message):
    for query in (f"{{ products(filter: {{{graphql}}}) {{ totalCount }} }}",
                  f"{{ stats(groupBy: [STARS], filter: {{{graphql}}}) {{ count }} }}",
                  f"{{ stats(groupBy: [STARS], filter: {{{graphql}}}, asOf: \"2025-01-01\") {{ count }} }}",
                  f"{{ producers(filter: {{hasProduct: {{{graphql}}}}}) {{ totalCount }} }}"):
        error = only_error(gql(query))
        assert (error["message"], error["extensions"]["code"]) == (message, "BAD_FILTER"), query
    for path in ("/export/products.csv", "/export/products.parquet"):
        response = client.get(f"{path}?{params}")
        assert response.status_code == 400 and response.json() == {"error": message, "code": "BAD_FILTER"}


def test_the_certification_year_has_one_name_and_its_old_ones_for_one_release(gql, client):
    def count(filter: str) -> int:
        body = gql(f"{{ products(filter: {{{filter}}}) {{ totalCount }} }}")
        assert "errors" not in body, body
        return body["data"]["products"]["totalCount"]

    in_2021 = count("certifiedYear: 2021")
    assert in_2021 > 0 and in_2021 == count("certifiedYearFrom: 2021, certifiedYearTo: 2021") \
        == count("yearFrom: 2021, yearTo: 2021") == count("certifiedYear: 2021, yearFrom: 2021")
    assert count("certifiedYearFrom: 2021") == count("yearFrom: 2021") > in_2021
    twice = only_error(gql("{ products(filter: {certifiedYear: 2021, certifiedYearFrom: 2020}) { totalCount } }"))
    assert twice["extensions"]["code"] == "BAD_FILTER" and "given twice" in twice["message"]
    sdl = gql("{ __type(name: \"ProductFilter\") { inputFields(includeDeprecated: true) { name isDeprecated "
              "deprecationReason } } }")["data"]["__type"]["inputFields"]
    deprecated = {f["name"]: f["deprecationReason"] for f in sdl if f["isDeprecated"]}
    assert deprecated == {"yearFrom": "Use `certifiedYearFrom`. Kept for one release after 2026-12.",
                          "yearTo": "Use `certifiedYearTo`. Kept for one release after 2026-12."}
    rows = {}
    for params in ("year=2021", "certifiedYear=2021", "certified_year=2021", "yearFrom=2021&yearTo=2021",
                   "certified_year_from=2021&certifiedYearTo=2021"):
        response = client.get(f"/export/products.csv?{params}")
        assert response.status_code == 200, (params, response.text)
        rows[params] = response.text.count("\n") - 1
    assert set(rows.values()) == {in_2021}, rows
    response = client.get("/export/products.csv?year=2021&certifiedYear=2021")
    assert response.status_code == 400 and "given twice" in response.json()["error"]
