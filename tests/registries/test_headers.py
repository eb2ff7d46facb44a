"""Header variants → canonical fields, header-row detection and the shared table logic."""
from __future__ import annotations

import datetime as dt

import pytest

from hub.registries import RegistryError
from hub.registries.headers import TableRow, cell_text, find_header_row, map_header, raw_rows_from_table
from hub.registries.reading import TableReading


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


def test_two_columns_claiming_one_field_refuse_the_source_until_one_is_named():
    """Never "first non-empty wins": which column holds the stars is the province's to say."""
    table = rows(["Tên sản phẩm", "Chủ thể", "Hạng sao", "Xếp hạng"], ["a", "b", "", "4"])
    with pytest.raises(RegistryError, match=r'x: columns "Hạng sao" and "Xếp hạng" both read as stars.*'
                                            r'columns: \{"Hạng sao": stars\}'):
        list(raw_rows_from_table(table, None, "x"))
    (row,) = raw_rows_from_table(table, {"Xep hang": "stars"}, "x")
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


def shown(number: int, cells: list[str], header_cells: list[str]) -> TableRow:
    return TableRow(number=number, cells=cells, header_cells=header_cells)


def test_the_reading_is_filled_before_the_first_row():
    reading = TableReading()
    table = rows(["DANH SÁCH"], ["STT", "Tên SP", "", "Chủ thể", "Hạng", "Ghi chú"], ["1", "Chè", "", "HTX A", "4", ""],
                 ["2", "Trà", "x", "HTX B", "3", ""])
    produced = raw_rows_from_table(table, None, "x", reading)
    next(produced)
    assert reading.header_rows == [2]
    assert [(c.header, c.field, c.index) for c in reading.columns] == [
        ("Tên SP", "product_name", 1), ("column 3", None, 2), ("Chủ thể", "producer_name", 3), ("Hạng", "stars", 4),
        ("Ghi chú", None, 5)]
    assert reading.unmapped == ["Ghi chú"]  # a blank spacer is no unread column…
    list(produced)
    assert reading.unmapped == ["Ghi chú", "column 3"]  # …until a value is found in it
    assert reading.as_dict()["columns"][0] == {"header": "Tên SP", "field": "product_name", "index": 1}


def test_a_merged_parent_read_from_its_first_row_only_is_refused_not_silent():
    """"Chủ thể sản xuất" merged over three columns with no sub-header row that composes: three
    producer columns. Before, the address became a second producer column without a word."""
    top = ["Tên sản phẩm", "Chủ thể sản xuất", "Chủ thể sản xuất", "Chủ thể sản xuất", "Hạng sao"]
    table = [shown(1, ["Tên sản phẩm", "Chủ thể sản xuất", "", "", "Hạng sao"], top),
             shown(2, ["Chè", "HTX A", "xã B", "HTX", "4 sao"], ["Chè", "HTX A", "xã B", "HTX", "4 sao"])]
    with pytest.raises(RegistryError, match='columns "Chủ thể sản xuất", "Chủ thể sản xuất \\(3\\)" and '
                                            '"Chủ thể sản xuất \\(4\\)" all read as producer_name'):
        list(raw_rows_from_table(table, None, "x"))


def test_a_two_row_header_composes_parent_and_child():
    top = ["Tên sản phẩm", "Chủ thể sản xuất", "Chủ thể sản xuất", "Chứng nhận OCOP", "Chứng nhận OCOP"]
    sub = ["Tên sản phẩm", "Tên", "Địa chỉ", "Số QĐ", "Ngày cấp"]
    table = [shown(1, top, top), shown(2, sub, sub), shown(3, ["Chè", "HTX A", "xã B", "12/QĐ", "1/2/2023"], None)]
    (row,) = raw_rows_from_table(table, None, "x")
    assert row.values == {"product_name": "Chè", "producer_name": "HTX A", "address": "xã B",
                          "decision_number": "12/QĐ", "decision_date": "1/2/2023"}
    assert list(row.raw) == ["Tên sản phẩm", "Chủ thể sản xuất / Tên", "Chủ thể sản xuất / Địa chỉ",
                             "Chứng nhận OCOP / Số QĐ", "Chứng nhận OCOP / Ngày cấp"]


def test_two_district_columns_are_refused_with_the_override_that_settles_it():
    table = rows(["Tên sản phẩm", "Chủ thể", "Địa chỉ", "", "Huyện", "Hạng sao"],
                 ["", "", "Huyện", "Xã", "", ""], ["Chè", "HTX A", "Na Rì", "Kim Hỷ", "Na Rì", "4"])
    with pytest.raises(RegistryError) as error:
        list(raw_rows_from_table(table, None, "x.csv"))
    assert str(error.value).startswith('x.csv: columns "Địa chỉ / Huyện" and "Huyện" both read as district')
    assert 'columns: {"Địa chỉ / Huyện": district}' in str(error.value)
    (row,) = raw_rows_from_table(table, {"Địa chỉ / Huyện": "district"}, "x.csv")
    assert row.values["district"] == "Na Rì" and row.raw["Huyện"] == "Na Rì" and row.values["commune"] == "Kim Hỷ"


def test_a_title_merged_across_is_never_the_header_and_two_strong_headers_suffice():
    title = "DANH SÁCH SẢN PHẨM OCOP NĂM 2024"
    table = [shown(1, [title, "", ""], [title] * 3), shown(2, ["Tên SP", "Chủ thể", "Hạng"], None),
             shown(3, ["Chè", "HTX A", "4 sao"], None)]
    reading = TableReading()
    (row,) = raw_rows_from_table(table, None, "x", reading)
    assert reading.header_rows == [2] and row.values["stars"] == "4 sao"


def test_totals_and_footer_rows_are_skipped_and_reported():
    reading = TableReading()
    table = rows(["Tên sản phẩm", "Chủ thể", "Hạng sao"], ["Chè", "HTX A", "4 sao"], ["Tổng cộng", "", "1"],
                 ["", "", "Quảng Ninh, ngày 12 tháng 3 năm 2024"], ["Người lập biểu", "", "KT. GIÁM ĐỐC"],
                 ["Nguyễn Văn An", "", "Trần Văn Bình"])
    assert [r.values["product_name"] for r in raw_rows_from_table(table, None, "x", reading)] == ["Chè"]
    assert [(s.row_number, s.reason) for s in reading.skipped] == [(3, "totals"), (4, "footer"), (5, "footer"),
                                                                   (6, "footer")]


def test_one_ticked_column_per_rating_composes_the_stars():
    top = ["Tên sản phẩm", "Chủ thể", "Hạng sao", "Hạng sao", "Hạng sao"]
    sub = ["Tên sản phẩm", "Chủ thể", "3 sao", "4 sao", "5 sao"]
    table = [shown(1, top, top), shown(2, sub, sub), shown(3, ["Chè", "HTX A", "", "x", ""], None),
             shown(4, ["Trà", "HTX B", "x", "x", ""], None)]
    tea, green = raw_rows_from_table(table, None, "x")
    assert tea.values["stars"] == "4 sao" and tea.raw["Hạng sao / 4 sao"] == "x"
    assert green.values["stars"] == "3 sao, 4 sao"  # two ticks: left for the ingest to reject, not guessed


def test_a_section_title_with_its_count_in_a_cell_of_its_own():
    reading = TableReading()
    table = rows(["STT", "Tên SP", "Chủ thể", "Hạng sao"], ["", "HUYỆN NA RÌ", "", "3"], ["1", "Chè", "HTX A", "3"],
                 ["", "SẢN PHẨM CÔNG NHẬN MỚI", "", ""], ["2", "Trà", "HTX B", "4"])
    chè, trà = raw_rows_from_table(table, None, "x", reading)
    assert chè.values["district"] == "HUYỆN NA RÌ" and trà.raw["(section)"] == "HUYỆN NA RÌ › SẢN PHẨM CÔNG NHẬN MỚI"
    assert reading.section_count_mismatches == ["row 2: section 'HUYỆN NA RÌ' states 3 products, 2 rows were read under it"]
