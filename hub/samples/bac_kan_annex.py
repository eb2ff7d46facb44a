"""The Bắc Kạn 2018 list again, as the decision's annex: once as a PDF, once as a Word file.

The same 37 products of the same 32 producers, written as the annex to the decision that
certified them: the decision's number, date and issuer only in the title ("Kèm theo Quyết định số
1520/QĐ-UBND …"), the star rating only in the section rows, no group column. Both sources repeat
bac_kan_2018.xlsx product for product (same names, producers and addresses), so they add no
product: the harvest resolves each row to the product the workbook created. The row numbers in
the manifest are read back from the written file, as the reader numbers rows in a document.
"""
from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

from hub.registries.read import file_reader
from hub.registries.sources_file import SourceSpec
from hub.samples.annex_files import AnnexDocument, annex_docx, annex_pdf
from hub.samples.bac_kan import bk_address, bk_lost_commune
from hub.samples.files import SourceOut, star_counts, type_counts, warned_row
from hub.samples.names import Product

TITLE = [
    "ỦY BAN NHÂN DÂN TỈNH BẮC KẠN",
    "Phụ lục",
    "DANH SÁCH SẢN PHẨM ĐẠT CHỨNG NHẬN OCOP NĂM 2018",
    "(Kèm theo Quyết định số 1520/QĐ-UBND ngày 15/8/2018 của UBND tỉnh Bắc Kạn)",
]
HEADER = ["STT", "Tên sản phẩm", "Chủ thể sản xuất", "Địa chỉ", "Ghi chú"]
SIGNATURE = [("NGƯỜI LẬP BIỂU", "TM. ỦY BAN NHÂN DÂN"), ("", "KT. CHỦ TỊCH"), ("", "PHÓ CHỦ TỊCH")]


def bac_kan_annex(products: list[Product]) -> AnnexDocument:
    lost = bk_lost_commune(products)
    fours = [p for p in products if p.stars == 4]
    threes = [p for p in products if p.stars == 3]
    body: list[list[str] | str] = []
    number = 0
    for title, part in ((f"I. SẢN PHẨM ĐẠT 4 SAO ({len(fours)} sản phẩm)", fours),
                        (f"II. SẢN PHẨM ĐẠT 3 SAO ({len(threes)} sản phẩm)", threes)):
        body.append(title)
        for p in part:
            number += 1
            body.append([str(number), p.name, p.producer.name, bk_address(p, lost), ""])
    body.append(f"Tổng cộng: {len(products)} sản phẩm")
    return AnnexDocument(TITLE, HEADER, body, widths=[8, 42, 48, 52, 18], signature=SIGNATURE)


def write_bac_kan_annex_pdf(rng: random.Random, products: list[Product], folder: Path) -> SourceOut:
    return _write(products, folder, "pdf", annex_pdf, "PDF printed from the annex (fpdf2): a ruled table over "
                  "two A4 pages with its header repeated on the second, cells wrapped over several lines")


def write_bac_kan_annex_docx(rng: random.Random, products: list[Product], folder: Path) -> SourceOut:
    return _write(products, folder, "docx", annex_docx, "Word document (python-docx): title paragraphs, one "
                  "table whose section and totals rows are merged across, the header row set to repeat")


def _write(products: list[Product], folder: Path, kind: str, writer: Callable[[AnnexDocument], bytes],
           what: str) -> SourceOut:
    data = writer(bac_kan_annex(products))
    location = f"registries/bac_kan_2018_phu_luc.{kind}"
    (folder / f"bac_kan_2018_phu_luc.{kind}").write_bytes(data)
    lost = bk_lost_commune(products)
    spec = SourceSpec(name="samples", province="Bắc Kạn", kind=kind, location=location)
    rows = list(file_reader(kind)(data, spec))
    (lost_row,) = [r.row_number for r in rows if r.values["product_name"] == lost.name]
    return SourceOut(
        name=f"bac-kan-2018-phu-luc-{kind}", province="Bắc Kạn", kind=kind, location=location, encoding="auto",
        certified=0, producers=0, rows=len(rows), bad_rows=[], stars=star_counts(products),
        producer_types=type_counts(products),
        warned_rows=[warned_row(lost_row, "UNRESOLVED_UNIT",
                                f"unknown commune in {bk_address(lost, lost)!r}, as in bac_kan_2018.xlsx")],
        warned_every_row=[{"warnings": ["GROUP_INFERRED", "GROUP_UNKNOWN"],
                           "why": "the annex has no product-group column"}],
        description=(
            f"The Bắc Kạn 2018 list as the annex of Decision 1520/QĐ-UBND: {what}. The 37 products of "
            "bac_kan_2018.xlsx (same names, producers and addresses, the bad rows left out), under section rows "
            "\"I. SẢN PHẨM ĐẠT 4 SAO (5 sản phẩm)\" and \"II. SẢN PHẨM ĐẠT 3 SAO (32 sản phẩm)\", a totals row, "
            "signatures under the table. No decision column: the title's \"(Kèm theo Quyết định số "
            "1520/QĐ-UBND ngày 15/8/2018 của UBND tỉnh Bắc Kạn)\" gives every row its decision. They are "
            "ALREADY in bac_kan_2018.xlsx and must not add to the count. Row numbers run over the document's "
            "title lines and table rows, as the annex reader numbers them; each row's page (PDF) or table and "
            "row (Word) is in its provenance."
        ),
    )
