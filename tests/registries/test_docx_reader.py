"""Word annexes: several tables (a title block, one per star level, signatures), merged section rows
and producers merged down, read as the spreadsheet rules read a sheet; .doc, encrypted files and
zip bombs refused with what to do."""
from __future__ import annotations

import io
import zipfile

import docx
import pytest

from hub.registries import RegistryError
from hub.registries.annex import AnnexReading
from hub.records import LOCATION_KEY
from hub.registries.docx_reader import read_docx
from hub.registries.errors import OLE2_MAGIC
from hub.samples.annex_files import AnnexDocument, annex_docx
from tests.registries import annex_samples as annex
from tests.registries.helpers import spec
from tests.reliability.corpus import zip_bomb

TITLE_DECISION = "Quyết định số 2417/QĐ-UBND ngày 28/12/2024 của UBND tỉnh Bắc Kạn"


def read(data: bytes, reading: AnnexReading | None = None) -> list:
    return list(read_docx(data, spec("phu-luc.docx", "docx"), reading))


def test_every_product_table_is_read_and_the_others_are_not() -> None:
    reading = AnnexReading()
    rows = read(annex.docx_annex(), reading)
    expected = annex.items()
    assert [(r.values["product_name"], r.values["producer_name"], r.values["address"], r.values["stars"])
            for r in rows] == [(i.name, i.producer, i.address, f"{i.stars} sao") for i in expected]
    assert reading.tables == ["table 1: not a product table, ignored", "table 2: read", "table 3: read",
                              "table 4: not a product table, ignored"]
    assert rows[0].raw[LOCATION_KEY] == "table 2, row 2"
    assert rows[annex.FOURS].raw[LOCATION_KEY] == "table 3, row 2"
    assert {r.values["decision_number"] for r in rows} == {TITLE_DECISION}
    assert len(reading.section_count_mismatches) == 1 and "states 50 products, 48 rows" in \
        reading.section_count_mismatches[0]


def test_merged_section_rows_and_producers_merged_down() -> None:
    """A section row merged across the table gives its stars; a producer merged down over its
    products is the producer of each; a row's own decision stands over the title's."""
    document = docx.Document()
    document.add_paragraph("DANH SÁCH SẢN PHẨM OCOP HUYỆN NA RÌ NĂM 2024")
    document.add_paragraph("(Kèm theo Quyết định số 15/QĐ-UBND ngày 02/01/2025 của UBND huyện Na Rì)")
    table = document.add_table(rows=1, cols=5)
    for cell, text in zip(table.rows[0].cells, ["STT", "Tên sản phẩm", "Tên chủ thể", "Địa chỉ", "Số, ngày QĐ"]):
        cell.text = text
    section = table.add_row()
    section.cells[0].merge(section.cells[4]).text = "II. SẢN PHẨM ĐẠT 3 SAO (2 sản phẩm)"
    first, second = table.add_row(), table.add_row()
    for row, values in ((first, ["1", "Miến dong\nNa Rì", "HTX Côn Minh", "xã Côn Minh", ""]),
                        (second, ["2", "Bánh gio", "", "", "99/QĐ-UBND ngày 05/02/2025"])):
        for cell, text in zip(row.cells, values):
            cell.text = text
    first.cells[2].merge(second.cells[2])
    buffer = io.BytesIO()
    document.save(buffer)
    reading = AnnexReading()
    rows = read(buffer.getvalue(), reading)
    assert [(r.values["product_name"], r.values["producer_name"], r.values["stars"], r.values["district"])
            for r in rows] == [("Miến dong Na Rì", "HTX Côn Minh", "3 sao", "HUYỆN NA RÌ"),
                               ("Bánh gio", "HTX Côn Minh", "3 sao", "HUYỆN NA RÌ")]
    assert [r.values["decision_number"] for r in rows] == [
        "Quyết định số 15/QĐ-UBND ngày 02/01/2025 của UBND huyện Na Rì", "99/QĐ-UBND ngày 05/02/2025"]
    assert [s.reason for s in reading.skipped] == ["section"] and reading.section_count_mismatches == []


def test_the_demo_writer_merges_section_rows() -> None:
    body: list[list[str] | str] = ["I. SẢN PHẨM ĐẠT 4 SAO (1 sản phẩm)", ["1", "Chè Shan tuyết", "HTX Bằng Phúc", "", ""],
                                   "Tổng cộng: 1 sản phẩm"]
    data = annex_docx(AnnexDocument(annex.TITLE, annex.HEADER, body, [1, 1, 1, 1, 1]))
    assert b'w:gridSpan w:val="5"' in zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")
    (row,) = read(data)
    assert row.values["stars"] == "4 sao"


@pytest.mark.parametrize(("data", "message"), [
    (OLE2_MAGIC + b"\x00" * 512 + "WordDocument".encode("utf-16-le"),
     r"^phu-luc\.docx: an old binary Word \.doc file \(OLE2\).*save it as \.docx or PDF$"),
    (OLE2_MAGIC + b"\x00" * 512 + "EncryptionInfo".encode("utf-16-le") + "EncryptedPackage".encode("utf-16-le"),
     r"^phu-luc\.docx: password-protected: "),
    (b"", r"^phu-luc\.docx: not a docx file \(not a zip archive"),
    (zip_bomb(64 * 1024 * 1024), r"^phu-luc\.docx: refused as a possible zip bomb"),
])
def test_files_that_cannot_be_read_faithfully_are_refused(data: bytes, message: str) -> None:
    with pytest.raises(RegistryError, match=message):
        read(data)


def test_a_document_without_a_product_table_is_refused() -> None:
    document = docx.Document()
    document.add_paragraph("Danh sách sản phẩm OCOP")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "NGƯỜI LẬP BIỂU"
    buffer = io.BytesIO()
    document.save(buffer)
    with pytest.raises(RegistryError, match=r"^phu-luc\.docx: no table with a product header among the 1 table"):
        read(buffer.getvalue())


def test_inspect_says_which_tables_it_read_and_where_a_row_is(tmp_path) -> None:
    from rich.console import Console

    from hub.sources.inspection import inspect_file
    from hub.sources.inspection_report import print_inspection

    path = tmp_path / "phu-luc.docx"
    path.write_bytes(annex.docx_with_a_nameless_row())
    inspection = inspect_file(path, province="Bắc Kạn")
    console = Console(record=True, width=200)
    print_inspection(console, inspection, preview_rows=0)
    out = console.export_text()
    assert "table 1: not a product table, ignored" in out and "table 3: read" in out
    (rejected,) = inspection.rejected
    assert rejected.location == f"table 3, row {annex.THREES + 3}"
    assert f"row {rejected.row_number} (table 3, row {annex.THREES + 3}): rejected MISSING_FIELD" in out

