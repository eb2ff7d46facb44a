"""PDF annexes: a list printed by headless chromium over several pages, read back row for row;
scans, encrypted files and text without ruling refused with what to do."""
from __future__ import annotations

from pathlib import Path

import pytest
from fpdf import FPDF

from hub.registries import RegistryError
from hub.registries.annex import AnnexReading
from hub.records import LOCATION_KEY
from hub.registries.headers import TITLE_DECISION_KEY
from hub.registries.pdf_reader import NO_TEXT, read_pdf
from hub.samples.annex_files import annex_font
from tests.registries import annex_samples as annex
from tests.registries.helpers import spec

TITLE_DECISION = "Quyết định số 2417/QĐ-UBND ngày 28/12/2024 của UBND tỉnh Bắc Kạn"


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    if not annex.CHROMIUM.exists():
        pytest.skip("chromium not installed (/usr/bin/chromium): apt-get install chromium")
    return annex.print_pdf(annex.annex_html(), tmp_path_factory.mktemp("annex-pdf"))


def read(data: bytes, reading: AnnexReading | None = None) -> list:
    return list(read_pdf(data, spec("annexe.pdf", "pdf"), reading))


def text_pdf(lines: list[str], **encryption: str) -> bytes:
    """A PDF of plain lines of text (no ruling), optionally encrypted, written by fpdf2."""
    pdf = FPDF()
    if encryption:
        pdf.set_encryption(**encryption)
    pdf.add_font("annex", "", str(annex_font()))
    pdf.set_font("annex", size=10)
    pdf.add_page()
    for line in lines:
        pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def test_every_product_once_over_the_pages(printed: bytes) -> None:
    """60 products over several pages: the header repeated on each page is read once, no row lost,
    none doubled, the star rating from the section rows, cells wrapped over lines joined."""
    reading = AnnexReading()
    rows = read(printed, reading)
    expected = annex.items()
    assert [r.values["product_name"] for r in rows] == [i.name for i in expected]
    assert [r.values["producer_name"] for r in rows] == [i.producer for i in expected]
    assert [r.values["address"] for r in rows] == [i.address for i in expected]
    assert [r.values["stars"] for r in rows] == [f"{i.stars} sao" for i in expected]
    assert all("\n" not in v and "  " not in v for r in rows for v in r.values.values())
    last = max(int(r.raw[LOCATION_KEY].split()[-1].split("–")[-1]) for r in rows)
    assert last >= 4  # a multi-page table, read as one
    assert len(reading.header_rows) == 1
    assert reading.tables == [f"table 1 (pages 1–{last}): read"]  # the title block's borderless table is no table


def test_a_row_cut_by_a_page_break_is_joined(printed: bytes) -> None:
    rows = read(printed)
    (tall,) = [r for r in rows if r.values["product_name"] == annex.items()[annex.TALL - 1].name]
    assert tall.raw[LOCATION_KEY].startswith("pages ")
    assert tall.raw["Ghi chú"] == annex.items()[annex.TALL - 1].note  # every line of it, in order, once
    assert len(rows) == annex.FOURS + annex.THREES  # not two rows, nor a blank one


def test_sections_totals_and_count_mismatch_as_in_spreadsheets(printed: bytes) -> None:
    reading = AnnexReading()
    read(printed, reading)
    skipped = [(s.reason, s.text) for s in reading.skipped]
    assert ("section", f"I. SẢN PHẨM ĐẠT 4 SAO ({annex.FOURS} sản phẩm)") in skipped
    assert ("totals", f"Tổng cộng: {annex.FOURS + annex.THREES} sản phẩm") in skipped
    assert reading.section_count_mismatches == [
        f"row {[s.row_number for s in reading.skipped if s.text.startswith('II.')][0]}: section "
        f"'II. SẢN PHẨM ĐẠT 3 SAO ({annex.STATED_THREES} sản phẩm)' states {annex.STATED_THREES} products, "
        f"{annex.THREES} rows were read under it"]


def test_the_title_decision_applies_to_every_row(printed: bytes) -> None:
    rows = read(printed)
    assert {r.values["decision_number"] for r in rows} == {TITLE_DECISION}
    assert {r.raw[TITLE_DECISION_KEY] for r in rows} == {TITLE_DECISION}


def test_the_demo_annex_written_without_a_browser_is_read(tmp_path: Path) -> None:
    from hub.samples.annex_files import AnnexDocument, annex_pdf

    body: list[list[str] | str] = ["II. SẢN PHẨM ĐẠT 3 SAO"] + [
        [str(i), f"Mật ong bạc hà số {i}", f"HTX Ong mật số {i}", "xã Bằng Vân, huyện Ngân Sơn",
         "Nhóm\nsản\nphẩm thực phẩm"] for i in range(1, 121)]
    reading = AnnexReading()
    rows = list(read_pdf(annex_pdf(AnnexDocument(annex.TITLE, annex.HEADER, body, [8, 40, 40, 50, 30])),
                         spec("demo.pdf", "pdf"), reading))
    assert [r.values["product_name"] for r in rows] == [f"Mật ong bạc hà số {i}" for i in range(1, 121)]
    assert {r.raw["Ghi chú"] for r in rows} == {"Nhóm sản phẩm thực phẩm"}
    assert len({r.raw[LOCATION_KEY] for r in rows}) >= 3


def test_a_scan_is_refused(tmp_path: Path) -> None:
    if not annex.CHROMIUM.exists():
        pytest.skip("chromium not installed (/usr/bin/chromium): apt-get install chromium")
    folder = tmp_path / "scan"
    folder.mkdir()
    data = annex.print_pdf(annex.scan_html(folder), folder)
    with pytest.raises(RegistryError) as error:
        read(data)
    assert str(error.value) == f"annexe.pdf: {NO_TEXT}"


def test_text_without_ruling_is_refused() -> None:
    data = text_pdf(["STT Tên sản phẩm Tên chủ thể Hạng sao", "1 Miến dong Na Rì HTX Côn Minh 3 sao"])
    with pytest.raises(RegistryError, match=r"^annexe\.pdf: no table ruling found: .*Word or Excel file"):
        read(data)


def test_a_password_protected_pdf_is_refused() -> None:
    data = text_pdf(["Danh sách"], owner_password="chu", user_password="khoa")
    with pytest.raises(RegistryError, match=r"^annexe\.pdf: password-protected: "):
        read(data)


@pytest.mark.parametrize(("data", "why"), [
    (b"", "not a PDF file"),
    (b"PK\x03\x04 not a pdf", "not a PDF file"),
    (b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF", "not a readable PDF|no text"),
])
def test_not_a_pdf_is_refused_naming_the_file(data: bytes, why: str) -> None:
    with pytest.raises(RegistryError, match=rf"^annexe\.pdf: (?:{why})"):
        read(data)


def test_a_page_without_a_product_table_is_refused() -> None:
    from hub.samples.annex_files import AnnexDocument, annex_pdf

    data = annex_pdf(AnnexDocument(["Danh sách đại biểu"], ["STT", "Họ và tên", "Chức vụ"],
                                   [["1", "Nguyễn Văn A", "Chủ tịch"]], [10, 60, 60]))
    with pytest.raises(RegistryError, match=r"^annexe\.pdf: no table with a product header among the 1 table"):
        read(data)
