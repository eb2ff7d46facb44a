"""Excel registries: title rows, merged cells, STT, two-row headers, value types, zip bombs."""
from __future__ import annotations

import datetime as dt
import io
import zipfile

import openpyxl
import pytest

from hub.registries import RegistryError, read_rows
from hub.registries import xlsx_reader
from hub.registries.xlsx_reader import read_xlsx
from tests.reliability.corpus import replace_member

from .helpers import spec


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
    rows = list(read_rows(spec(path, "xlsx")))
    assert [r.row_number for r in rows] == [5, 6, 7, 8, 10, 12]
    pearl = {"producer_name": "Công ty Cổ phần Ngọc trai Hạ Long", "district": "thành phố Hạ Long",
             "commune": "phường Hùng Thắng"}
    for row in rows[:3]:
        assert {k: row.values[k] for k in pearl} == pearl
    assert rows[0].values["stars"] == "5" and rows[1].values["stars"] == "5" and rows[2].values["stars"] == "5 sao"
    assert rows[0].values["decision_date"] == "2022-12-30" and rows[2].values["decision_date"] == "30/12/2022"
    assert rows[3].values == {"product_name": "", "producer_name": "", "district": "", "commune": "",
                              "stars": "", "decision_date": ""}
    assert rows[4].values["product_name"] == "Dầu lạc" and rows[4].values["decision_date"] == "2023"
    assert rows[5].values["stars"] == "3.5" and rows[5].values["decision_date"] == ""
    assert "STT" not in rows[0].raw and "Địa chỉ / Huyện/TX/TP" in rows[0].raw


def test_merges_found_whatever_the_scan_chunk(tmp_path, monkeypatch):
    """The <mergeCell> scan reads the sheet XML in chunks: tags cut between chunks still count."""
    path = tmp_path / "qn.xlsx"
    path.write_bytes(workbook_bytes(registry_sheet))
    whole = [(r.row_number, r.values, r.raw) for r in read_rows(spec(path, "xlsx"))]
    monkeypatch.setattr(xlsx_reader, "_SCAN_CHUNK", 7)
    monkeypatch.setattr(xlsx_reader, "_SCAN_OVERLAP", 100)
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
    assert b'<dimension ref="A1:C6" />' in sheet  # as openpyxl writes it
    lying = replace_member(data, "xl/worksheets/sheet1.xml",
                           sheet.replace(b'<dimension ref="A1:C6" />', b'<dimension ref="A1:A1" />'))
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
