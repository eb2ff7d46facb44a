"""/export/products.xlsx: the products download as Excel types it (SQLite and PostgreSQL): the same
rows and values as the CSV, dates as dates, codes as text, formulas neutralised, Vietnamese with
?lang=vi, the filters and the privacy rule of the CSV, and a sheet saying what the file is."""
from __future__ import annotations

import csv
import io
from datetime import date, datetime

import openpyxl

from tests.api.conftest import PERSONAL

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _workbook(response):
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == XLSX
    return openpyxl.load_workbook(io.BytesIO(response.content))


def _csv(response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.text
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def _as_csv_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def test_the_workbook_holds_the_csvs_rows_typed(client) -> None:
    query = "?province=19,22&status=active,expired,withdrawn"
    response = client.get("/export/products.xlsx" + query)
    assert len(response.headers.get_list("etag")) == 1  # the data version's, not a file's too
    book = _workbook(response)
    products, about = book.worksheets
    header, *rows = list(products.iter_rows(values_only=True))
    expected = _csv(client.get("/export/products.csv" + query))
    assert list(header) == list(expected[0]) and len(rows) == len(expected) > 0
    by_id = {row[0]: dict(zip(header, row)) for row in rows}
    for want in expected:
        got = by_id[int(want["id"])]
        for column, text in want.items():
            cell = got[column]
            if column == "updated_at":  # UTC, without the zone Excel cannot hold
                assert cell.isoformat() == datetime.fromisoformat(text).replace(tzinfo=None).isoformat(), column
            elif column in ("decision_date", "expiry_date") and cell is not None:  # an Excel date, read back
                assert (cell.date().isoformat(), cell.time()) == (text, datetime.min.time()), column
            else:
                assert _as_csv_text(cell) == text, (want["id"], column, cell, text)
    first = next(r for r in by_id.values() if r["decision_date"] is not None)
    assert type(first["decision_date"]) is datetime  # openpyxl reads an Excel date back as a datetime
    assert all(isinstance(r["province_code"], str) and len(r["province_code"]) == 2 for r in by_id.values())
    names = [r["name"] for r in by_id.values()]
    assert not any(isinstance(n, str) and n.startswith("=") for n in names)  # neutralised as in the CSV
    about_rows = {k: v for k, v in about.iter_rows(values_only=True)}
    assert about_rows["Data version"].isdigit() and "province=19,22" in about_rows["Filters"]
    assert about_rows["Licence"] == "CC-BY-4.0" and about_rows["Suggested citation"]


def test_vietnamese_labels_and_the_privacy_rule_follow_the_csv(client) -> None:
    book = _workbook(client.get("/export/products.xlsx?lang=vi"))
    products, about = book.worksheets
    assert products.title == "Sản phẩm OCOP" and about.title == "Thông tin tệp"
    header = next(products.iter_rows(values_only=True))
    assert list(header) == list(_csv(client.get("/export/products.csv?lang=vi"))[0])
    statuses = {row[header.index("Trạng thái")] for row in products.iter_rows(min_row=2, values_only=True)}
    assert statuses <= {"Còn hiệu lực", "Hết hạn"} and statuses
    text = " ".join(str(v) for row in products.iter_rows(values_only=True) for v in row if v is not None)
    assert not any(secret in text for secret in PERSONAL.values() if secret), "anonymous: no contact"


def test_a_bad_parameter_is_refused_before_any_file_is_made(client) -> None:
    refused = client.get("/export/products.xlsx?stars=9")
    assert refused.status_code == 400 and "stars" in refused.json()["error"]
