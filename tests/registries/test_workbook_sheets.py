"""Whole workbooks (issue 23): every sheet with a product table is read, the others are named as
skipped with the reason; the sheet is each row's location; what a title or a sheet's name states
reaches the rows below it; two titled tables on one sheet are each read with their own title."""
from __future__ import annotations

from pathlib import Path

import pytest

from hub.records import LOCATION_KEY
from hub.registries import RegistryError
from hub.registries.read import RegistrySnapshot
from hub.registries.sources_file import load_sources
from tests.registries import corpus
from tests.registries.helpers import spec

HEADER = ["STT", "Tên sản phẩm", "Chủ thể", "Hạng sao", "Quyết định"]


def workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    path.write_bytes(corpus.workbook([(name, rows, ()) for name, rows in sheets.items()]))
    return path


def decision_sheet(first: int, count: int, decision: str) -> list[list[object]]:
    return [HEADER] + [[i, f"Sản phẩm {i}", f"HTX số {i}", "3 sao", decision] for i in range(first, first + count)]


def test_a_summary_sheet_and_one_sheet_per_decision_are_all_read(tmp_path: Path) -> None:
    path = workbook(tmp_path / "qd.xlsx", {
        "Tổng hợp": [["TỔNG HỢP SẢN PHẨM OCOP NĂM 2024"], ["Huyện", "Số sản phẩm"], ["Ba Chẽ", 60]],
        "QĐ 1520": decision_sheet(1, 9, "1520/QĐ-UBND ngày 15/3/2024"),
        "QĐ 2417": decision_sheet(10, 26, "2417/QĐ-UBND ngày 28/6/2024"),
        "Hướng dẫn": [],
        "QĐ 3120": decision_sheet(36, 25, "3120/QĐ-UBND ngày 1/11/2024"),
    })
    snapshot = RegistrySnapshot(spec(path, "xlsx"))
    rows = list(snapshot)
    assert len(rows) == 60  # 9 + 26 + 25: none dropped
    assert snapshot.reading.sheets == ["QĐ 1520", "QĐ 2417", "QĐ 3120"]
    skipped = [(s.reason, s.text) for s in snapshot.reading.skipped]
    assert [reason for reason, _ in skipped] == ["sheet", "sheet"]
    assert skipped[0][1].startswith("sheet 'Tổng hợp': no product table") and skipped[1][1] == "sheet 'Hướng dẫn': empty"
    assert {r.raw[LOCATION_KEY] for r in rows} == {"sheet 'QĐ 1520'", "sheet 'QĐ 2417'", "sheet 'QĐ 3120'"}
    assert [r.row_number for r in rows[:2]] == [2, 3] and rows[9].row_number == 2  # numbers repeat by sheet
    narrowed = list(RegistrySnapshot(spec(path, "xlsx", sheet=("QĐ 2417", "qđ 3120"))))
    assert len(narrowed) == 51


def test_one_sheet_per_star_level_gives_each_row_its_sheets_rating(tmp_path: Path) -> None:
    header = ["STT", "Tên sản phẩm", "Chủ thể", "Địa chỉ"]
    path = workbook(tmp_path / "sao.xlsx", {
        "3 sao": [["DANH SÁCH SẢN PHẨM OCOP"], header, [1, "Chè Tân Cương", "HTX Tân Cương", "Xã Tân Cương"]],
        "4 sao": [["DANH SÁCH SẢN PHẨM OCOP ĐẠT 4 SAO"], header, [1, "Mật ong Ba Chẽ", "HTX Ba Chẽ", "Xã Ba Chẽ"],
                  [2, "Trà hoa vàng", "HTX Trà", "Xã Ba Chẽ"]],
    })
    rows = list(RegistrySnapshot(spec(path, "xlsx")))
    assert [(r.values["product_name"], r.values["stars"]) for r in rows] == [
        ("Chè Tân Cương", "3 sao"), ("Mật ong Ba Chẽ", "4 sao"), ("Trà hoa vàng", "4 sao")]


def test_a_group_named_by_the_title_or_the_sheet_reaches_the_rows_that_name_none(tmp_path: Path) -> None:
    header = ["STT", "Tên sản phẩm", "Chủ thể", "Nhóm", "Hạng sao"]
    path = workbook(tmp_path / "nhom.xlsx", {
        "Nhóm đồ uống": [header, [1, "Rượu ba kích", "HTX Ba kích", "", "3 sao"]],
        "DS": [["DANH SÁCH SẢN PHẨM OCOP NHÓM THỰC PHẨM NĂM 2024"], header,
               [1, "Mật ong Ba Chẽ", "HTX Ba Chẽ", "", "3 sao"], [2, "Trà hoa vàng", "HTX Trà", "Đồ uống", "4 sao"]],
        "Xã Trà Cổ": [header, [1, "Chả mực", "HTX Trà Cổ", "", "3 sao"]],  # a place's name is no group
    })
    rows = list(RegistrySnapshot(spec(path, "xlsx")))
    assert [r.values.get("group") for r in rows] == ["Đồ uống", "Thực phẩm", "Đồ uống", ""]


def test_two_titled_tables_on_one_sheet_each_read_with_their_own_title(tmp_path: Path) -> None:
    header = ["STT", "Tên sản phẩm", "Chủ thể", "Địa chỉ", "Hạng sao"]
    path = workbook(tmp_path / "two.xlsx", {"Danh sách": [
        ["UBND TỈNH QUẢNG NINH"], ["DANH SÁCH SẢN PHẨM ĐẠT OCOP 4 SAO"], header,
        [1, "Mật ong Ba Chẽ", "HTX Ba Chẽ", "Xã Ba Chẽ"], [2, "Trà hoa vàng", "HTX Trà", "Xã Ba Chẽ"], [],
        ["DANH SÁCH SẢN PHẨM ĐẠT OCOP 3 SAO"], header, [1, "Miến dong Bình Liêu", "HTX Bình Liêu", "Xã Bình Liêu"],
        [2, "Chả mực Hạ Long", "Công ty Chả mực", "Phường Hạ Long"],
        [3, "Rượu ba kích", "HTX Ba kích", "Xã Ba Chẽ", "4 sao"]]})
    snapshot = RegistrySnapshot(spec(path, "xlsx"))
    rows = list(snapshot)
    assert [r.values.get("stars") for r in rows] == ["4 sao", "4 sao", "3 sao", "3 sao", "4 sao"]
    assert all(r.raw["(province from title)"] == "TỈNH QUẢNG NINH" for r in rows)
    assert "(contradicts heading)" in rows[4].raw and "(contradicts heading)" not in rows[2].raw


def test_the_sources_file_takes_a_sheet_or_a_list_of_sheets(tmp_path: Path) -> None:
    (tmp_path / "a.xlsx").write_bytes(b"")
    (tmp_path / "sources.yaml").write_text(
        "sources:\n"
        "  - {name: a, province: Quảng Ninh, kind: xlsx, location: a.xlsx, sheet: [QĐ 1520, QĐ 2417]}\n"
        "  - {name: b, province: Quảng Ninh, kind: xlsx, location: a.xlsx, sheet: QĐ 1520}\n", encoding="utf-8")
    specs = load_sources(tmp_path / "sources.yaml")
    assert [s.sheets for s in specs] == [("QĐ 1520", "QĐ 2417"), ("QĐ 1520",)]


def test_a_workbook_without_any_product_sheet_is_refused_naming_why(tmp_path: Path) -> None:
    path = workbook(tmp_path / "none.xlsx", {"Tổng hợp": [["Huyện", "Số sản phẩm"], ["Ba Chẽ", 3]]})
    with pytest.raises(RegistryError, match="no sheet has a header row"):
        list(RegistrySnapshot(spec(path, "xlsx")))


def test_a_row_that_contradicts_its_heading_keeps_its_value_and_says_so(tmp_path: Path) -> None:
    header = ["STT", "Tên sản phẩm", "Chủ thể", "Huyện", "Nhóm", "Hạng sao"]
    path = workbook(tmp_path / "c.xlsx", {"DS": [
        ["DANH SÁCH SẢN PHẨM OCOP NHÓM THỰC PHẨM"], header,
        ["I", "HUYỆN BA CHẼ"], ["1", "Mật ong", "HTX Ba Chẽ", "", "", "3 sao"],
        ["2", "Rượu ba kích", "HTX Ba kích", "huyện Tiên Yên", "Đồ uống", "3 sao"],
        ["3", "Miến dong", "HTX Miến", "Ba Chẽ", "Thực phẩm", "3 sao"]]})
    rows = list(RegistrySnapshot(spec(path, "xlsx")))
    assert [(r.values["district"], r.values["group"]) for r in rows] == [
        ("HUYỆN BA CHẼ", "Thực phẩm"), ("huyện Tiên Yên", "Đồ uống"), ("Ba Chẽ", "Thực phẩm")]
    assert "(contradicts heading)" not in rows[0].raw and "(contradicts heading)" not in rows[2].raw
    assert rows[1].raw["(contradicts heading)"].split(" | ") == [
        "group: the row says 'Đồ uống', the title says 'Thực phẩm'",
        "district: the row says 'huyện Tiên Yên', section 'I HUYỆN BA CHẼ' says 'HUYỆN BA CHẼ'"]


def test_two_titled_tables_with_different_headers_are_each_read_by_their_own(tmp_path: Path) -> None:
    path = workbook(tmp_path / "two-headers.xlsx", {"Danh sách": [
        ["DANH SÁCH SẢN PHẨM ĐẠT OCOP 4 SAO"], ["STT", "Tên sản phẩm", "Chủ thể", "Địa chỉ"],
        [1, "Mật ong Ba Chẽ", "HTX Ba Chẽ", "Xã Ba Chẽ"], [],
        ["DANH SÁCH SẢN PHẨM ĐẠT OCOP 3 SAO"], ["STT", "Tên sản phẩm", "Địa chỉ", "Chủ thể", "Năm công nhận"],
        [1, "Miến dong Bình Liêu", "Xã Bình Liêu", "HTX Bình Liêu", 2023],
        [2, "Chả mực Hạ Long", "Phường Hạ Long", "Công ty Chả mực", 2024]]})
    snapshot = RegistrySnapshot(spec(path, "xlsx"))
    rows = list(snapshot)
    assert [(r.values["product_name"], r.values["producer_name"], r.values["address"], r.values["stars"],
             r.values.get("year")) for r in rows] == [
        ("Mật ong Ba Chẽ", "HTX Ba Chẽ", "Xã Ba Chẽ", "4 sao", None),
        ("Miến dong Bình Liêu", "HTX Bình Liêu", "Xã Bình Liêu", "3 sao", "2023"),
        ("Chả mực Hạ Long", "Công ty Chả mực", "Phường Hạ Long", "3 sao", "2024")]
    assert [s.reason for s in snapshot.reading.skipped] == ["section"]  # the second title, then its table
