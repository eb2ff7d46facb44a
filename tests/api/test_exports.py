"""CSV / Parquet exports: same filters as the API (camelCase or snake_case names, provinces by code or
name), BOM, formula neutralisation, no personal data, one casing for enum values, real booleans."""
from __future__ import annotations

import csv
import io

import pyarrow.parquet as pq
import pytest
from sqlalchemy import text

from hub.api.exports import neutralise
from tests.api.conftest import PERSONAL


def read_csv(response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    raw = response.content
    assert raw.startswith("\ufeff".encode("utf-8")), "CSV must start with a UTF-8 BOM for Excel"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def ids_sql(engine, where: str) -> list[int]:
    with engine.connect() as conn:
        return [r[0] for r in conn.execute(text(f"SELECT id FROM product p WHERE {where} ORDER BY id"))]


@pytest.mark.parametrize("table", [
    [("=1+2", "'=1+2"), ("+84", "'+84"), ("-x", "'-x"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"),
     ("\rx", "'\rx"), ("Chè", "Chè"), ("a=b", "a=b"), ("", ""), (5, 5), (None, None)],
])
def test_neutralise(table):
    for value, expected in table:
        assert neutralise(value) == expected


@pytest.mark.parametrize("params,where", [
    ("", "status IN ('active','expired')"),
    ("?province=19&stars=4,5", "status IN ('active','expired') AND province_code = '19' AND stars IN (4,5)"),
    ("?stars=4&stars=5&group=food", "status IN ('active','expired') AND stars IN (4,5) AND group_code = 'FOOD'"),
    ("?status=withdrawn", "status = 'withdrawn'"),
    ("?year_from=2021&year_to=2022", "status IN ('active','expired') AND certified_year BETWEEN 2021 AND 2022"),
    ("?source=quang-ninh-push", "status IN ('active','expired') AND id IN (SELECT product_id FROM source_record "
     "WHERE source_id = (SELECT id FROM source WHERE name = 'quang-ninh-push'))"),
    ("?producer_type=household&legacy_province=B%E1%BA%AFc%20K%E1%BA%A1n",
     "status IN ('active','expired') AND legacy_province = 'Bắc Kạn' AND producer_id IN "
     "(SELECT id FROM producer WHERE producer_type = 'household')"),
])
def test_csv_uses_the_api_filters(client, engine, params, where):
    rows = read_csv(client.get("/export/products.csv" + params))
    expected = ids_sql(engine, where)
    assert expected and [int(r["id"]) for r in rows] == expected


def test_csv_search_and_parity_with_graphql(client, data):
    rows = read_csv(client.get("/export/products.csv?search=che%20hoa%20vang"))
    assert [r["name"] for r in rows] == ["Chè hoa vàng Đồng Hỷ"]
    api = data('{ products(filter: {province: ["86"], stars: [3]}, first: 500) { totalCount } }')
    assert len(read_csv(client.get("/export/products.csv?province=86&stars=3"))) == api["products"]["totalCount"]


def test_csv_neutralises_formulas_and_keeps_vietnamese(client):
    text_body = client.get("/export/products.csv?status=active,expired,withdrawn").content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text_body)))
    names = {r["name"] for r in rows}
    assert "'=HYPERLINK(\"http://x\")" in names and "'+84 Trà shan tuyết" in names
    assert "'-Bánh chưng Bờ Đậu" in names and "'@SUM(1)" in names
    assert not any(r["name"].startswith(("=", "+", "-", "@")) for r in rows)
    assert {r["group_text"] for r in rows} >= {"'+ thủ công", "nông sản"}
    assert "Chè hoa vàng Đồng Hỷ" in names


def test_exports_carry_no_personal_data(client):
    for path in ["/export/products.csv?status=active,expired,withdrawn", "/export/products.parquet"]:
        body = client.get(path).content
        for value in PERSONAL.values():
            assert value.encode() not in body
    header = read_csv(client.get("/export/products.csv?stars=5"))[0].keys()
    assert not set(header) & {"phone", "email", "contact_person", "tax_code"}


@pytest.mark.parametrize("params,message", [
    ("?stars=six", "'stars'"), ("?stars=9", "from 1 to 5"), ("?group=jewellery", "unknown value 'jewellery'"),
    ("?status=gone", "'status'"), ("?province=Thai", "unknown province 'Thai'"), ("?year_from=20x", "'year_from'"),
    ("?yearFrom=20x", "'yearFrom'"), ("?province=19,Atlantis", "'Atlantis'"),
    ("?updated_since=yesterday", "ISO date-time"), ("?provnce=19", "Unknown parameter(s) provnce"),
])
def test_bad_parameters_are_400_with_a_clear_message(client, params, message):
    for path in ["/export/products.csv", "/export/products.parquet"]:
        response = client.get(path + params)
        assert response.status_code == 400
        assert message in response.json()["error"]


def test_parquet_is_readable_and_typed(client, engine):
    response = client.get("/export/products.parquet?province=22")
    assert response.status_code == 200
    table = pq.read_table(io.BytesIO(response.content))
    assert table.column("id").to_pylist() == ids_sql(engine, "status IN ('active','expired') AND province_code = '22'")
    assert str(table.schema.field("stars").type) == "int64"
    assert str(table.schema.field("updated_at").type) == "timestamp[us, tz=UTC]"
    assert set(table.column("province_name").to_pylist()) == {"Quảng Ninh"}
    empty = pq.read_table(io.BytesIO(client.get("/export/products.parquet?province=08").content))
    assert empty.num_rows == 0 and "name" in empty.column_names


def test_rejected_csv_has_every_row_and_error(client):
    rows = read_csv(client.get("/export/rejected.csv?source=thai-nguyen-registry"))
    assert len(rows) == 700
    assert rows[0]["row_number"] == "2" and rows[-1]["row_number"] == "701"
    assert rows[0]["error_codes"] == "STARS_INVALID; GROUP_UNKNOWN"
    assert "'sáu' is not a star rating" in rows[0]["errors"]
    assert rows[0]["Tên sản phẩm"] == "'=bad 0"
    assert client.get("/export/rejected.csv?source=nope").status_code == 400
    assert client.get("/export/rejected.csv").status_code == 400


@pytest.mark.parametrize("camel,snake", [
    ("?yearFrom=2021&yearTo=2022", "?year_from=2021&year_to=2022"),
    ("?producerType=household&legacyProvince=B%E1%BA%AFc%20K%E1%BA%A1n",
     "?producer_type=household&legacy_province=B%E1%BA%AFc%20K%E1%BA%A1n"),
    ("?updatedSince=2025-01-03T00:00:00Z", "?updated_since=2025-01-03T00:00:00Z"),
])
def test_parameters_take_the_graphql_names_too(client, camel, snake):
    for path in ["/export/products.csv", "/export/products.parquet"]:
        by_camel, by_snake = client.get(path + camel), client.get(path + snake)
        assert by_camel.status_code == 200, by_camel.text
        assert by_camel.content == by_snake.content
    assert read_csv(client.get("/export/products.csv" + camel))


def test_an_unknown_parameter_lists_the_accepted_names(client):
    error = client.get("/export/products.csv?yr=2021").json()["error"]
    assert "Unknown parameter(s) yr" in error
    assert all(name in error for name in ("certifiedYear", "certifiedYearFrom", "certifiedYearTo", "legacyProvince",
                                          "producerType", "updatedSince", "lang", "year_from"))
    twice = client.get("/export/products.csv?yearFrom=2020&year_from=2021")
    assert twice.status_code == 400 and "given twice" in twice.json()["error"]
    assert "legacyProvince" not in client.get("/export/conflicts.csv?stars=5").json()["error"]


@pytest.mark.parametrize("province", ["22", "Quảng Ninh", "quang ninh", "Tỉnh Quảng Ninh", "QUANG NINH"])
def test_a_province_is_a_code_or_a_name(client, engine, province):
    expected = ids_sql(engine, "status IN ('active','expired') AND province_code = '22'")
    rows = read_csv(client.get("/export/products.csv", params={"province": province}))
    assert [int(r["id"]) for r in rows] == expected


def test_an_old_province_name_means_its_successor(client, engine):
    # Bắc Kạn merged into Thái Nguyên (19), Trà Vinh into Vĩnh Long (86) on 1 July 2025
    rows = read_csv(client.get("/export/products.csv", params={"province": "Bac Kan,Trà Vinh"}))
    assert [int(r["id"]) for r in rows] == ids_sql(
        engine, "status IN ('active','expired') AND province_code IN ('19','86')")


def test_an_unknown_province_is_a_400_naming_it(client):
    for path in ["/export/products.csv", "/export/products.parquet", "/export/conflicts.csv"]:
        response = client.get(path, params={"province": "Atlantis"})
        assert response.status_code == 400 and "Atlantis" in response.json()["error"]
    assert client.get("/export/conflicts.csv", params={"province": "Quảng Ninh"}).status_code == 200


def test_enum_values_are_the_graphql_names_in_every_format(client):
    rows = read_csv(client.get("/export/products.csv?status=active,expired,withdrawn"))
    assert {r["status"] for r in rows} == {"ACTIVE", "EXPIRED", "WITHDRAWN"}
    assert {r["group"] for r in rows} == {"FOOD", "BEVERAGE", "HERBAL", "HANDICRAFT", "ORNAMENTAL", "TOURISM", ""}
    assert {r["producer_type"] for r in rows} == {"COOPERATIVE", "ENTERPRISE", "COOPERATIVE_GROUP", "HOUSEHOLD", ""}
    table = pq.read_table(io.BytesIO(client.get("/export/products.parquet?status=active,expired,withdrawn").content))
    assert set(table.column("status").to_pylist()) == {"ACTIVE", "EXPIRED", "WITHDRAWN"}
    assert set(table.column("producer_type").to_pylist()) == {"COOPERATIVE", "ENTERPRISE", "COOPERATIVE_GROUP",
                                                              "HOUSEHOLD", None}


def test_booleans_are_true_false_in_csv_and_booleans_in_parquet(client):
    rows = read_csv(client.get("/export/products.csv"))
    assert {r["proposed_five_star"] for r in rows} == {"false"}
    table = pq.read_table(io.BytesIO(client.get("/export/products.parquet").content))
    assert str(table.schema.field("proposed_five_star").type) == "bool"
    assert set(table.column("proposed_five_star").to_pylist()) == {False}


def test_a_legacy_province_in_any_spelling(client, engine):
    expected = ids_sql(engine, "status IN ('active','expired') AND legacy_province = 'Bắc Kạn'")
    for spelling in ("Bắc Kạn", "bac kan", "Tỉnh Bắc Kạn"):
        rows = read_csv(client.get("/export/products.csv", params={"legacyProvince": spelling}))
        assert [int(r["id"]) for r in rows] == expected, spelling
    response = client.get("/export/products.csv", params={"legacy_province": "Atlantis"})
    assert response.status_code == 400 and "Atlantis" in response.json()["error"]
