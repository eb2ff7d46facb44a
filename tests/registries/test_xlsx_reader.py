"""Excel registries: title rows, merged cells, STT, two-row headers, value types, zip bombs."""
from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import openpyxl
import pytest

from hub.registries import RegistryError, read_rows
from hub.registries import xlsx_reader
from hub.registries.reading import TableReading
from hub.registries.xlsx_reader import read_xlsx
from tests.reliability.corpus import replace_member

from .helpers import layout_of, spec


def workbook_bytes(build) -> bytes:
    wb = openpyxl.Workbook()
    build(wb)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def registry_sheet(wb: openpyxl.Workbook) -> None:
    ws = wb.active
    ws.title = "Danh sách sản phẩm OCOP"
    ws.append(["UBND TỈNH QUẢNG NINH"])
    ws.append(["DANH SÁCH SẢN PHẨM OCOP"])
    ws.merge_cells("A1:G1")
    ws.merge_cells("A2:G2")
    ws.append(["STT", "Tên SP", "Tên chủ thể", "Địa chỉ", None, "Số sao", "Ngày công nhận"])
    ws.append([None, None, None, "Huyện/TX/TP", "Xã/Phường", None, None])
    for col in "ABCFG":
        ws.merge_cells(f"{col}3:{col}4")
    ws.merge_cells("D3:E3")
    ws.append([1, "Ngọc trai Southsea - ngọc trai Hạ Long", "Công ty Cổ phần Ngọc trai Hạ Long",
               "thành phố Hạ Long", "phường Hùng Thắng", 5, dt.datetime(2022, 12, 30)])
    ws.append([2, "Ngọc trai Akoya - ngọc trai Hạ Long", None, None, None, 5.0, dt.datetime(2022, 12, 30)])
    ws.append([3, "Ngọc trai Tahiti - ngọc trai Hạ Long", None, None, None, "5 sao", "30/12/2022"])
    ws.merge_cells("C5:C7")
    ws.merge_cells("D5:D7")
    ws.merge_cells("E5:E7")
    ws.append(["HUYỆN HẢI HÀ"])  # a section row merged across: it must not fill every field
    ws.merge_cells("A8:G8")
    ws.append([None] * 7)
    ws.append([4, "Dầu lạc", "HTX Nông nghiệp Hải Yến", "huyện Hải Hà", "xã Quảng Phong", 3, 2023])
    ws.append(["STT", "Tên SP", "Tên chủ thể", "Huyện/TX/TP", "Xã/Phường", "Số sao", "Ngày công nhận"])
    ws.append([5, "Dầu vừng", "HTX Nông nghiệp Hải Yến", "huyện Hải Hà", "xã Quảng Phong", 3.5, None])


def test_registry_sheet(tmp_path):
    path = tmp_path / "qn.xlsx"
    path.write_bytes(workbook_bytes(registry_sheet))
    reading = TableReading()
    rows = list(read_xlsx(path.read_bytes(), spec(path, "xlsx"), reading))
    assert [r.row_number for r in rows] == [5, 6, 7, 10, 12]  # row 8 is a section title, not a product
    assert reading.sheet == "Danh sách sản phẩm OCOP" and reading.header_rows == [3, 4]
    assert [(s.row_number, s.reason, s.text) for s in reading.skipped] == [(8, "section", "HUYỆN HẢI HÀ")]
    pearl = {"producer_name": "Công ty Cổ phần Ngọc trai Hạ Long", "district": "thành phố Hạ Long",
             "commune": "phường Hùng Thắng"}
    for row in rows[:3]:
        assert {k: row.values[k] for k in pearl} == pearl
    assert rows[0].values["stars"] == "5" and rows[1].values["stars"] == "5" and rows[2].values["stars"] == "5 sao"
    assert rows[0].values["decision_date"] == "2022-12-30" and rows[2].values["decision_date"] == "30/12/2022"
    oil, sesame = rows[3], rows[4]
    assert oil.values["product_name"] == "Dầu lạc" and oil.values["decision_date"] == "2023"
    assert oil.values["district"] == "huyện Hải Hà" and oil.raw["(section)"] == "HUYỆN HẢI HÀ"  # its own value wins
    assert sesame.values["stars"] == "3.5" and sesame.values["decision_date"] == ""
    assert "STT" not in rows[0].raw and "Địa chỉ / Huyện/TX/TP" in rows[0].raw


def test_merges_found_whatever_the_scan_chunk(tmp_path, monkeypatch):
    """The <mergeCell> scan reads the sheet XML in chunks: tags cut between chunks still count."""
    path = tmp_path / "qn.xlsx"
    path.write_bytes(workbook_bytes(registry_sheet))
    whole = [(r.row_number, r.values, r.raw) for r in read_rows(spec(path, "xlsx"))]
    monkeypatch.setattr(xlsx_reader, "_SCAN_CHUNK", 7)
    assert [(r.row_number, r.values, r.raw) for r in read_rows(spec(path, "xlsx"))] == whole
    assert whole[2][1]["producer_name"] == "Công ty Cổ phần Ngọc trai Hạ Long"  # carried down C5:C7


def test_first_sheet_with_a_header_is_used():
    def build(wb):
        wb.active.title = "Hướng dẫn"
        wb.active.append(["Biểu mẫu kèm theo Quyết định số 1048/QĐ-TTg"])
        data = wb.create_sheet("Dữ liệu")
        data.append(["Tên sản phẩm", "Chủ thể", "Hạng sao", "Năm công nhận"])
        data.append(["Chè Shan tuyết", "HTX Chè Lũng Phìn", "4 sao", 2021])

    (row,) = read_xlsx(workbook_bytes(build), spec("x.xlsx", "xlsx"))
    assert row.row_number == 2 and row.values["year"] == "2021"


def test_wrong_dimension_is_ignored():
    def build(wb):
        ws = wb.active
        ws.append(["Tên sản phẩm", "Chủ thể", "Hạng sao"])
        for i in range(5):
            ws.append([f"SP {i}", "HTX", 3])

    data = workbook_bytes(build)
    # rewrite <dimension ref="A1:C6"/> to a lie, as some exporters do
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    # openpyxl writes `<dimension ref="A1:C6" />`, or without the space when lxml is installed
    true_dimension = rb'<dimension ref="A1:C6"\s*/>'
    assert re.search(true_dimension, sheet)
    lying = replace_member(data, "xl/worksheets/sheet1.xml",
                           re.sub(true_dimension, b'<dimension ref="A1:A1"/>', sheet, count=1))
    assert len(list(read_xlsx(lying, spec("x.xlsx", "xlsx")))) == 5


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("STT,Tên sản phẩm\n".encode(), "not an xlsx file \\(not a zip archive"),
        (b"", "not an xlsx file"),
    ],
)
def test_not_an_xlsx(data, message):
    with pytest.raises(RegistryError, match=message):
        list(read_xlsx(data, spec("x.xlsx", "xlsx")))


def test_zip_without_workbook():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "xin chào")
    with pytest.raises(RegistryError, match="without xl/workbook.xml"):
        list(read_xlsx(buffer.getvalue(), spec("x.xlsx", "xlsx")))


def test_truncated_xlsx():
    data = workbook_bytes(registry_sheet)
    with pytest.raises(RegistryError, match="x.xlsx"):
        list(read_xlsx(data[: len(data) // 2], spec("x.xlsx", "xlsx")))


def test_empty_workbook_and_no_header():
    with pytest.raises(RegistryError, match="every sheet is empty"):
        list(read_xlsx(workbook_bytes(lambda wb: None), spec("x.xlsx", "xlsx")))
    with pytest.raises(RegistryError, match="no sheet has a header row"):
        list(read_xlsx(workbook_bytes(lambda wb: wb.active.append(["a", "b"])), spec("x.xlsx", "xlsx")))


def test_zip_bomb_refused_before_inflating(monkeypatch):
    """A highly compressible member: refused from the central directory, never inflated."""
    monkeypatch.setattr(xlsx_reader, "RATIO_CHECK_MIN_BYTES", 1024 * 1024)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (4 * 1024 * 1024))  # ~1000x
    data = buffer.getvalue()
    assert len(data) < 20_000
    with pytest.raises(RegistryError, match=r"zip bomb: xl/worksheets/sheet1.xml expands \d+×"):
        list(read_xlsx(data, spec("bomb.xlsx", "xlsx")))


def test_zip_bomb_total_size(monkeypatch):
    monkeypatch.setattr(xlsx_reader, "MAX_UNCOMPRESSED_BYTES", 1000)
    with pytest.raises(RegistryError, match="possible zip bomb: .* bytes uncompressed"):
        list(read_xlsx(workbook_bytes(registry_sheet), spec("x.xlsx", "xlsx")))


def test_corrupt_sheet_xml():
    data = workbook_bytes(registry_sheet)
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = content[: len(content) - 200]  # cut inside <sheetData>
            target.writestr(info, content)
    with pytest.raises(RegistryError, match="x.xlsx: not a readable xlsx workbook"):
        list(read_xlsx(out.getvalue(), spec("x.xlsx", "xlsx")))


# Two readers (xlsx_reader's docstring): calamine for sheets whose used area fits in memory,
# openpyxl streaming for the rest. They must read the same rows.

def _rows(data: bytes) -> list[tuple]:
    return [(r.row_number, r.values, r.raw) for r in read_xlsx(data, spec("x.xlsx", "xlsx"))]


def _offset_sheet(wb: openpyxl.Workbook) -> None:
    """A table that starts at C3, with a note far right on one row and an empty row inside."""
    ws = wb.active
    ws["C3"], ws["D3"], ws["E3"], ws["F3"] = "Tên sản phẩm", "Chủ thể", "Hạng sao", "Ngày công nhận"
    ws["C4"], ws["D4"], ws["E4"], ws["F4"] = "Dầu lạc", "HTX Hải Yến", 4, dt.datetime(2023, 5, 2)
    ws["C6"], ws["D6"], ws["E6"], ws["F6"] = "Ngọc trai", "Công ty Ngọc trai", 5.0, dt.datetime(2022, 12, 30, 9, 30)
    ws["K6"] = "ghi chú"


@pytest.mark.parametrize("build", [registry_sheet, _offset_sheet])
def test_both_readers_read_the_same_rows(build, monkeypatch):
    data = workbook_bytes(build)
    assert layout_of(data).read_whole
    read_whole = _rows(data)
    monkeypatch.setattr(xlsx_reader, "MAX_DENSE_CELLS", 0)  # every sheet streamed by openpyxl
    assert _rows(data) == read_whole
    assert read_whole


def test_a_table_that_does_not_start_at_a1():
    (oil, pearl) = _rows(workbook_bytes(_offset_sheet))
    assert oil[0] == 4 and oil[1] == {"product_name": "Dầu lạc", "producer_name": "HTX Hải Yến", "stars": "4",
                                      "decision_date": "2023-05-02"}
    assert pearl[0] == 6 and pearl[1]["stars"] == "5" and pearl[1]["decision_date"] == "2022-12-30 09:30:00"
    assert pearl[2]["column 11"] == "ghi chú"  # columns are numbered from A, as the sheet shows them


def _sheet_xml(cells: str) -> bytes:
    return ('<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>'
            f'{cells}</x:sheetData></x:worksheet>').encode()


def _layout(sheet: bytes):
    return layout_of(replace_member(workbook_bytes(registry_sheet), "xl/worksheets/sheet1.xml", sheet))


def test_the_scan_measures_the_used_area():
    cells = '<x:row r="2"><x:c t="s" r="B2"><x:v>0</x:v></x:c><x:c r="AB7"/></x:row><x:row r="9"><x:c r="C9"/></x:row>'
    layout = _layout(_sheet_xml(cells))
    assert (layout.last_row, layout.last_column, layout.every_cell_addressed) == (9, 28, True)
    assert layout.read_whole


def test_a_sheet_with_error_cells_is_streamed_so_they_read_as_excel_shows_them():
    """calamine reads an error cell (#DIV/0!, #N/A) as empty; openpyxl as its text, which a
    rejection then shows (BAD_STARS '#DIV/0!' rather than a misleading MISSING_FIELD)."""
    def build(wb):
        ws = wb.active
        ws.append(["Tên sản phẩm", "Chủ thể", "Hạng sao"])
        ws.append(["Dầu lạc", "HTX Hải Yến", 4])

    data = workbook_bytes(build)
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    assert b'<c r="C2" t="n"><v>4</v></c>' in sheet
    data = replace_member(data, "xl/worksheets/sheet1.xml", sheet.replace(
        b'<c r="C2" t="n"><v>4</v></c>', b'<c r="C2" t="e"><f>1/0</f><v>#DIV/0!</v></c>'))
    layout = layout_of(data)
    assert layout.has_error_cells and not layout.read_whole
    (row,) = _rows(data)
    assert row[1]["stars"] == "#DIV/0!"


def test_a_far_stray_cell_or_an_unaddressed_cell_is_streamed():
    far = _layout(_sheet_xml('<x:row r="1"><x:c r="A1"/></x:row><x:row r="70000"><x:c r="XFD70000"/></x:row>'))
    assert (far.last_row, far.last_column) == (70_000, 16_384) and not far.read_whole
    unaddressed = _layout(_sheet_xml('<x:row><x:c t="n"><x:v>1</x:v></x:c><x:c r="B1"/></x:row>'))
    assert not unaddressed.every_cell_addressed and not unaddressed.read_whole


def test_a_registry_with_a_far_stray_cell_is_read():
    """One cell at XFD70000 would make calamine hold 1.1 billion cells; openpyxl streams the sheet instead."""
    def build(wb):
        ws = wb.active
        ws.append(["Tên sản phẩm", "Chủ thể", "Hạng sao"])
        ws.append(["Dầu lạc", "HTX Hải Yến", 4])
        ws["XFD70000"] = "x"

    data = workbook_bytes(build)
    assert not layout_of(data).read_whole
    (row,) = _rows(data)
    assert row[:2] == (2, {"product_name": "Dầu lạc", "producer_name": "HTX Hải Yến", "stars": "4"})


def test_a_sheet_without_tags_is_refused():
    sheet = _sheet_xml('<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>' + "a" * (2 << 20) + "</x:t></x:is></x:c></x:row>")
    data = replace_member(workbook_bytes(registry_sheet), "xl/worksheets/sheet1.xml", sheet)
    with pytest.raises(RegistryError, match=r"x.xlsx: broken worksheet xl/worksheets/sheet1.xml \(more than \d+ bytes"):
        list(read_xlsx(data, spec("x.xlsx", "xlsx")))


def test_a_workbook_xml_with_an_entity_bomb_is_refused():
    bomb = ('<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">'
            + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9))
            + ']><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets>'
            '<sheet name="&j;" sheetId="1" r:id="rId1" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"/>'
            "</sheets></workbook>").encode()
    data = replace_member(workbook_bytes(registry_sheet), "xl/workbook.xml", bomb)
    with pytest.raises(RegistryError, match="x.xlsx: not a readable xlsx workbook"):
        list(read_xlsx(data, spec("x.xlsx", "xlsx")))


DATE_FORMATS = ["[$-42A]dd/mm/yyyy", "dd/mm/yyyy;@", "d-mmm-yy", "[$-1010000]d/m/yyyy;@", "mm/dd/yyyy hh:mm",
                "[$-409]mmmm d, yyyy;@", 'dd"/"mm"/"yyyy', "[Red]dd/mm/yyyy", "[$-F800]dddd\\,\\ mmmm\\ dd\\,\\ yyyy"]


@pytest.mark.parametrize("epoch_1904", [False, True], ids=["1900", "1904"])
def test_dates_in_the_formats_provinces_use_read_the_same_both_ways(epoch_1904, monkeypatch):
    """Vietnamese-locale ([$-42A]) and other date formats: a reader that missed one would give
    the serial number (45048) and the row would be refused as BAD_DATE."""
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    def build(wb):
        if epoch_1904:
            wb.epoch = CALENDAR_MAC_1904
        ws = wb.active
        ws.append(["Tên sản phẩm", "Chủ thể", "Hạng sao", "Ngày công nhận"])
        for number, fmt in enumerate(DATE_FORMATS):
            ws.append([f"SP {number}", "HTX Hải Yến", 3, dt.datetime(2023, 5, 2)])
            ws.cell(row=ws.max_row, column=4).number_format = fmt

    data = workbook_bytes(build)
    read_whole = _rows(data)
    assert [values["decision_date"] for _, values, _ in read_whole] == ["2023-05-02"] * len(DATE_FORMATS)
    monkeypatch.setattr(xlsx_reader, "MAX_DENSE_CELLS", 0)
    assert _rows(data) == read_whole
