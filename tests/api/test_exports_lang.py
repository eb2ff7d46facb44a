"""``?lang=vi``: Vietnamese headers and enum labels in every export, for provincial staff in Excel."""
from __future__ import annotations

import csv
import io

import pyarrow.parquet as pq
import pytest

from hub.api.export_columns import PRODUCT_COLUMNS as COLUMNS
from hub.api.exports import rejected_csv
from tests.api.test_exports import read_csv


def test_products_csv_in_vietnamese(client):
    english = read_csv(client.get("/export/products.csv?status=active,expired,withdrawn"))
    rows = read_csv(client.get("/export/products.csv?status=active,expired,withdrawn&lang=vi"))
    assert list(rows[0]) == [c.vi for c in COLUMNS]
    assert list(rows[0])[:3] == ["Mã sản phẩm", "Tên sản phẩm", "Nhóm sản phẩm"]
    assert {r["Trạng thái"] for r in rows} == {"Còn hiệu lực", "Hết hạn", "Đã thu hồi"}
    assert "Thực phẩm" in {r["Nhóm sản phẩm"] for r in rows}
    assert {r["Loại chủ thể"] for r in rows} == {"Hợp tác xã", "Doanh nghiệp", "Tổ hợp tác",
                                                "Hộ sản xuất, kinh doanh", ""}
    assert {r["Đề xuất 5 sao"] for r in rows} == {"false"}  # booleans stay machine-readable
    assert [r["Mã sản phẩm"] for r in rows] == [r["id"] for r in english]  # the same rows, only worded
    by_id = {r["id"]: r for r in english}
    assert all(by_id[r["Mã sản phẩm"]]["name"] == r["Tên sản phẩm"] for r in rows)


def test_products_parquet_in_vietnamese(client):
    table = pq.read_table(io.BytesIO(client.get("/export/products.parquet?lang=vi").content))
    assert table.column_names == [c.vi for c in COLUMNS]
    assert set(table.column("Trạng thái").to_pylist()) == {"Còn hiệu lực", "Hết hạn"}
    assert str(table.schema.field("Số sao").type) == "int64"
    assert str(table.schema.field("Đề xuất 5 sao").type) == "bool"


def test_conflicts_csv_in_vietnamese(client):
    response = client.get("/export/conflicts.csv?lang=vi")
    assert response.status_code == 200
    header = next(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert header == ["Mã sản phẩm", "Tên sản phẩm", "Mã tỉnh", "Trường", "Nguồn", "Giá trị",
                      "Phát hiện lúc (UTC)", "Cập nhật lúc (UTC)"]


def test_rejected_csv_in_vietnamese(engine):
    text = "".join(rejected_csv(engine, "thai-nguyen-registry", None, lang="vi"))
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert list(rows[0])[:3] == ["Dòng", "Mã lỗi", "Lỗi"]
    assert rows[0]["Dòng"] == "2" and rows[0]["Tên sản phẩm"] == "'=bad 0"


@pytest.mark.parametrize("path", ["/export/products.csv", "/export/products.parquet", "/export/conflicts.csv"])
def test_an_unknown_language_is_a_400(client, path):
    response = client.get(path + "?lang=fr")
    assert response.status_code == 400 and "'lang'" in response.json()["error"]
    assert client.get(path + "?lang=VI").status_code == 200
