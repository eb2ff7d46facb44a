"""The decision a list's title names ("Kèm theo Quyết định số …") is the decision of every row that
names none, whatever the file kind: a CSV, an Excel sheet (its title merged across the columns), an
HTML page or a Word annex whose tables have different headers. A row's own decision wins; a title
that names no decision, or a decision named only below the header, gives nothing."""
from __future__ import annotations

import io

import docx
import openpyxl
import pytest

from hub.normalize.decision import split_decision
from hub.ingest.canonical import raw_hash
from hub.records import LIST_DECISION_KEY, RawRow
from hub.registries.csv_reader import read_csv
from hub.registries.docx_reader import read_docx
from hub.registries.headers import TITLE_DECISION_KEY
from hub.registries.html_table import read_html
from hub.registries.xlsx_reader import read_xlsx

from .helpers import spec

TITLE = "DANH SÁCH SẢN PHẨM OCOP TỈNH BẮC KẠN NĂM 2024"
ANNEXED = "(Kèm theo Quyết định số 2417/QĐ-UBND ngày 28/12/2024 của UBND tỉnh Bắc Kạn)"
DECISION = "Quyết định số 2417/QĐ-UBND ngày 28/12/2024 của UBND tỉnh Bắc Kạn"
HEADER = ["STT", "Tên sản phẩm", "Tên chủ thể", "Hạng sao"]
PRODUCTS = [["1", "Miến dong Na Rì", "HTX Côn Minh", "3 sao"], ["2", "Bánh gio", "HTX Hảo Nghĩa", "4 sao"]]


def csv_rows(lines: list[list[str]]) -> list[RawRow]:
    text = "\n".join(",".join(f'"{c}"' for c in line) for line in lines) + "\n"
    return list(read_csv(text.encode(), spec("ds.csv", "csv")))


def xlsx_rows(lines: list[list[str]], merge_titles: int) -> list[RawRow]:
    """The lines as a sheet, the first ``merge_titles`` rows merged across the header's width."""
    wb = openpyxl.Workbook()
    for line in lines:
        wb.active.append(line)
    for row in range(1, merge_titles + 1):
        wb.active.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(HEADER))
    buffer = io.BytesIO()
    wb.save(buffer)
    return list(read_xlsx(buffer.getvalue(), spec("ds.xlsx", "xlsx")))


def html_rows(lines: list[list[str]]) -> list[RawRow]:
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in line) + "</tr>" for line in lines)
    return list(read_html(f"<html><body><table>{body}</table></body></html>".encode(), spec("ds.html", "html")))


@pytest.mark.parametrize("read", [csv_rows, lambda lines: xlsx_rows(lines, 2), html_rows], ids=["csv", "xlsx", "html"])
def test_the_title_decision_is_every_rows(read) -> None:  # type: ignore[no-untyped-def]
    rows = read([[TITLE], [ANNEXED], HEADER, *PRODUCTS])
    assert [r.values["product_name"] for r in rows] == ["Miến dong Na Rì", "Bánh gio"]
    assert [(r.values["decision_number"], r.raw[TITLE_DECISION_KEY]) for r in rows] == [(DECISION, DECISION)] * 2
    parts = split_decision(rows[0].values["decision_number"])  # read like a decision cell
    assert (parts.number, parts.date_text, parts.issuing_body) == ("2417/QĐ-UBND", "28/12/2024", "UBND tỉnh Bắc Kạn")


def test_a_rows_own_decision_number_or_date_wins() -> None:
    header = [*HEADER, "Số QĐ", "Ngày QĐ", "Cơ quan ban hành"]
    rows = csv_rows([[ANNEXED], header,
                     ["1", "Miến dong Na Rì", "HTX Côn Minh", "3 sao", "99/QĐ-UBND", "", ""],
                     ["2", "Bánh gio", "HTX Hảo Nghĩa", "4 sao", "", "05/02/2025", ""],
                     ["3", "Măng khô Ba Bể", "HTX Ba Bể", "3 sao", "", "", "Sở NN và MT"]])
    assert [(r.values["decision_number"], r.values["decision_date"]) for r in rows] == [
        ("99/QĐ-UBND", ""), ("", "05/02/2025"), (DECISION, "")]
    assert [TITLE_DECISION_KEY in r.raw for r in rows] == [False, False, True]
    assert rows[2].values["issuing_body"] == "Sở NN và MT"  # its own body column stands (the normalizer's rule)


def test_the_titles_decision_is_kept_beside_a_rows_own_and_not_hashed() -> None:
    """A revocation list's title names the revocation while its rows' decision column may hold
    each product's certification (hub/ingest/revocation.py): the title's decision is kept beside a
    row's own; a registry reads it not, and its rows' raw hashes (a re-harvest's skip) stay as they were."""
    header = [*HEADER, "Số QĐ", "Ngày QĐ"]
    rows = csv_rows([[ANNEXED], header,
                     ["1", "Miến dong Na Rì", "HTX Côn Minh", "3 sao", "99/QĐ-UBND", ""],
                     ["2", "Bánh gio", "HTX Hảo Nghĩa", "4 sao", "", ""]])
    assert [r.raw.get(LIST_DECISION_KEY) for r in rows] == [DECISION, None]  # the second took the title's
    own = rows[0]
    without = RawRow(own.row_number, own.values, {k: v for k, v in own.raw.items() if k != LIST_DECISION_KEY})
    assert raw_hash(own, "Bắc Kạn") == raw_hash(without, "Bắc Kạn")
    assert raw_hash(rows[1], "Bắc Kạn") != raw_hash(without, "Bắc Kạn")


@pytest.mark.parametrize("lines", [
    [[TITLE], ["(Kèm theo Báo cáo số 215/BC-NN ngày 15/12/2023 của Phòng Nông nghiệp và PTNT)"], HEADER, *PRODUCTS],
    [["Số: 2417/QĐ-UBND"], [TITLE], HEADER, *PRODUCTS],  # the decision's own header: no "Quyết định số"
    [["Quyết định về việc công nhận sản phẩm OCOP"], HEADER, *PRODUCTS],  # no number
    [[TITLE], HEADER, *PRODUCTS, ["Ghi chú: chấm điểm theo Quyết định số 148/QĐ-TTg ngày 24/02/2023"]],  # below
], ids=["a-report", "the-decisions-own-header", "no-number", "below-the-header"])
def test_a_title_that_names_no_decision_gives_none(lines: list[list[str]]) -> None:
    for rows in (csv_rows(lines), xlsx_rows(lines, 1)):
        assert [r.values["product_name"] for r in rows] == ["Miến dong Na Rì", "Bánh gio"]
        assert [r.values.get("decision_number", "") for r in rows] == ["", ""]
        assert not any(TITLE_DECISION_KEY in r.raw for r in rows)


def test_an_annex_title_reaches_every_table_even_with_another_header() -> None:
    """Two product tables with different columns are read as two streams; the title block above the
    first (a district's list, with its decision) is the title of both."""
    document = docx.Document()
    for line in ("UBND HUYỆN NA RÌ", "DANH SÁCH SẢN PHẨM OCOP HUYỆN NA RÌ NĂM 2024",
                 "(Kèm theo Quyết định số 15/QĐ-UBND ngày 02/01/2025 của UBND huyện Na Rì)"):
        document.add_paragraph(line)
    for header, product in ((HEADER, PRODUCTS[0]), ([*HEADER, "Ghi chú"], [*PRODUCTS[1], "mới"])):
        table = document.add_table(rows=2, cols=len(header))
        for row, texts in zip(table.rows, (header, product)):
            for cell, text in zip(row.cells, texts):
                cell.text = text
        document.add_paragraph("")
    buffer = io.BytesIO()
    document.save(buffer)
    rows = list(read_docx(buffer.getvalue(), spec("ds.docx", "docx")))
    decision = "Quyết định số 15/QĐ-UBND ngày 02/01/2025 của UBND huyện Na Rì"
    assert [(r.values["product_name"], r.values["district"], r.raw[TITLE_DECISION_KEY]) for r in rows] == [
        ("Miến dong Na Rì", "HUYỆN NA RÌ", decision), ("Bánh gio", "HUYỆN NA RÌ", decision)]
