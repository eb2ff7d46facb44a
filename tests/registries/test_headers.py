"""Header variants → canonical fields, header-row detection and the shared table logic."""
from __future__ import annotations

import datetime as dt

import pytest

from hub.registries import RegistryError
from hub.registries.headers import TableRow, cell_text, find_header_row, map_header, raw_rows_from_table


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Tên sản phẩm", "product_name"), ("TÊN SẢN PHẨM", "product_name"), ("Tên SP", "product_name"),
        ("ten  san pham", "product_name"), ("Sản phẩm", "product_name"), ("Chủ thể", "producer_name"),
        ("Tên chủ thể", "producer_name"), ("Chủ thể sản xuất", "producer_name"), ("Đơn vị", "producer_name"),
        ("Loại hình", "producer_type"), ("Loại hình chủ thể", "producer_type"), ("Hạng sao", "stars"),
        ("Số sao", "stars"), ("Xếp hạng", "stars"), ("Kết quả xếp hạng", "stars"), ("Hạng", "stars"),
        ("Điểm", "score"), ("Tổng điểm", "score"), ("Nhóm sản phẩm", "group"), ("Nhóm", "group"),
        ("Ngành hàng", "group"), ("Bộ sản phẩm", "group"), ("Phân nhóm", "subgroup"), ("Tỉnh", "province"),
        ("Tỉnh/Thành phố", "province"), ("Huyện", "district"), ("Huyện/TP", "district"),
        ("Quận/Huyện", "district"), ("Xã", "commune"), ("Xã/Phường", "commune"),
        ("Xã, phường, thị trấn", "commune"), ("Địa chỉ", "address"), ("Số quyết định", "decision_number"),
        ("Số QĐ", "decision_number"), ("Quyết định công nhận", "decision_number"),
        ("Ngày quyết định", "decision_date"), ("Ngày công nhận", "decision_date"), ("Ngày cấp", "decision_date"),
        ("Năm công nhận", "year"), ("Năm", "year"), ("Năm đánh giá", "year"), ("Cơ quan công nhận", "issuing_body"),
        ("Cấp công nhận", "issuing_body"), ("Mã số thuế", "tax_code"), ("MST", "tax_code"), ("Điện thoại", "phone"),
        ("SĐT", "phone"), ("Email", "email"), ("Người đại diện", "contact_person"),
        ("product_name", "product_name"), ("producer_type", "producer_type"), ("decision_date", "decision_date"),
        ("Ghi chú", None), ("", None), ("STT", None),
    ],
)
def test_map_header(header, field):
    assert map_header(header) == field


def test_override_wins():
    assert map_header("Tên hàng hoá", {"Ten hang hoa": "product_name"}) == "product_name"
    assert map_header("Đơn vị", {"Đơn vị": "issuing_body"}) == "issuing_body"


def test_find_header_row_below_titles():
    rows = [["UBND TỈNH BẮC KẠN"], ["DANH SÁCH SẢN PHẨM OCOP"], [], ["STT", "Tên SP", "Chủ thể", "Số sao"], ["1", "a", "b", "3*"]]
    assert find_header_row(rows) == 3
    assert find_header_row([["Chủ thể", "Số sao", "Năm"]]) is None  # no product name
    assert find_header_row([["x"]] * 25 + [["Tên SP", "Chủ thể", "Số sao"]]) is None  # beyond max_scan


def rows(*cells_per_row: list[str]) -> list[TableRow]:
    return [TableRow(number=i, cells=list(cells)) for i, cells in enumerate(cells_per_row, start=1)]


def test_table_rows_skip_stt_empty_repeated_header_and_column_numbers():
    table = rows(
        ["Danh sách"],
        ["STT", "Tên sản phẩm", "Chủ thể", "Hạng sao", "Ghi chú"],
        ["(1)", "(2)", "(3)", "(4)", "(5)"],
        ["1", " Miến dong ", "HTX Na Rì", "3 sao", "mới"],
        ["", "", "", "", ""],
        ["STT", "Tên sản phẩm", "Chủ thể", "Hạng sao", "Ghi chú"],
        ["2", "Mật ong", "", "7 sao", "", "lạc chỗ"],
    )
    result = list(raw_rows_from_table(table, None, "x.csv"))
    assert [r.row_number for r in result] == [4, 7]
    assert result[0].values == {"product_name": "Miến dong", "producer_name": "HTX Na Rì", "stars": "3 sao"}
    assert result[0].raw == {"Tên sản phẩm": "Miến dong", "Chủ thể": "HTX Na Rì", "Hạng sao": "3 sao", "Ghi chú": "mới"}
    assert result[1].values["stars"] == "7 sao" and result[1].raw["column 6"] == "lạc chỗ"


def test_two_row_header():
    table = rows(
        ["Tên sản phẩm", "Chủ thể", "Địa chỉ", "Địa chỉ", "Hạng sao"],
        ["Tên sản phẩm", "Chủ thể", "Huyện", "Xã", "Hạng sao"],
        ["Miến dong", "HTX", "huyện Na Rì", "xã Kim Hỷ", "3*"],
    )
    (row,) = raw_rows_from_table(table, None, "x")
    assert row.values["district"] == "huyện Na Rì" and row.values["commune"] == "xã Kim Hỷ"
    assert "Địa chỉ / Huyện" in row.raw and row.row_number == 3


def test_duplicate_columns_keep_first_non_empty():
    table = rows(["Tên sản phẩm", "Chủ thể", "Hạng sao", "Xếp hạng"], ["a", "b", "", "4"])
    (row,) = raw_rows_from_table(table, None, "x")
    assert row.values["stars"] == "4" and set(row.raw) == {"Tên sản phẩm", "Chủ thể", "Hạng sao", "Xếp hạng"}


def test_no_header_and_empty_table():
    with pytest.raises(RegistryError, match="x.csv: no header row found"):
        list(raw_rows_from_table(rows(["a", "b"], ["c", "d"]), None, "x.csv"))
    with pytest.raises(RegistryError, match="x.csv: the table is empty"):
        list(raw_rows_from_table(rows([""], []), None, "x.csv"))


@pytest.mark.parametrize(
    ("value", "text"),
    [(None, ""), (3, "3"), (3.0, "3"), (4.5, "4.5"), (dt.datetime(2023, 5, 12), "2023-05-12"),
     (dt.datetime(2023, 5, 12, 8, 30), "2023-05-12 08:30:00"), (dt.date(2020, 1, 2), "2020-01-02"),
     (True, "TRUE"), ("Hà Giang", "Hà Giang")],
)
def test_cell_text(value, text):
    assert cell_text(value) == text
