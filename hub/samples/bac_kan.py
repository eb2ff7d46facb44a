"""Bắc Kạn (now part of Thái Nguyên) 2018: 37 products of 32 producers, 32×3★ and 5×4★ (seed 001),
as the province's hand-typed Excel list: a title block, a two-row merged header with no product-group
column, section rows giving the star rating, a totals row and a signature footer."""
from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from hub.samples.files import SourceOut, bad_row, save_workbook, star_counts, type_counts, warned_row
from hub.samples.names import Names, Producer, Product, certified, grouped_by_producer, producer_core
from hub.samples.places import Place, legacy_places
from hub.samples.words import CATALOGUE, PRODUCER_KINDS

BK_PRODUCTS, BK_PRODUCERS = 37, 32
BK_TURMERIC = ("Tinh bột nghệ nếp đỏ", "Tinh bột nghệ nếp đen")
BK_TURMERIC_PRODUCER = "HTX dịch vụ nông nghiệp Tân Thành"
BK_DECISION = "1520/QĐ-UBND ngày 15/8/2018"
BK_FUTURE_DECISION = "1520/QĐ-UBND ngày 15/8/2081"  # "2081" typed for "2018"
BK_UNKNOWN_COMMUNE = "xã Hoàng Kim Long"
BK_NOTES = ("Sản phẩm mới", "Đã có nhãn hiệu", "Đã có mã số mã vạch", "Đã có chứng nhận VSATTP")
_WIDTH = 7  # STT | Tên sản phẩm | Chủ thể sản xuất: Tên, Địa chỉ | Chứng nhận OCOP: Số, ngày QĐ, Hạng sao | Ghi chú


def bac_kan(rng: random.Random) -> list[Product]:
    places = legacy_places("Bắc Kạn")
    names = Names(rng, places, CATALOGUE)
    tan_thanh = Producer(BK_TURMERIC_PRODUCER, "htx", rng.choice(places))
    names.producers.add(producer_core(tan_thanh.name))
    producers = [names.producer(k) for k in rng.choices(PRODUCER_KINDS, weights=(40, 20, 5, 30, 5), k=BK_PRODUCERS - 1)]
    counts = [1] * len(producers)
    for index in rng.sample(range(len(producers)), 4):  # 4 more producers with two products
        counts[index] = 2
    stars = [4] * 5 + [3] * (BK_PRODUCTS - 2 - 5)
    rng.shuffle(stars)
    products = [certified(rng, names.fixed_product(n), tan_thanh, 3, "herbal", [2018]) for n in BK_TURMERIC]
    for producer, count in zip(producers, counts):
        for _ in range(count):
            name, group = names.product(producer)
            products.append(certified(rng, name, producer, stars.pop(), group, [2018]))
    rng.shuffle(products)
    return grouped_by_producer(products)


def write_bac_kan(rng: random.Random, products: list[Product], folder: Path) -> SourceOut:
    """The 2018 list as the province typed it. Rows: 1–2 the two-column title block, 4–5 the list's
    title, 7–8 the header, then section I (4★), section II (3★, with the three bad rows), the totals
    row and the signature footer. The star rating is written only in the section rows."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "DS OCOP 2018"
    _title_block(ws)
    per_producer = Counter(p.producer.name for p in products)
    fours = [p for p in products if p.stars == 4]
    threes = [p for p in products if p.stars == 3]
    singles = [p for p in threes if per_producer[p.producer.name] == 1]
    lost_commune, original = bk_lost_commune(products), singles[len(singles) // 2]
    future = fours[2]
    sheet = _Sheet(ws, rng, row=9)

    sheet.section(f"I. SẢN PHẨM ĐẠT 4 SAO ({len(fours)} sản phẩm)")
    sheet.products(fours, future=future)
    sheet.section(f"II. SẢN PHẨM ĐẠT 3 SAO ({len(threes)} sản phẩm)")
    sheet.products(threes, lost_commune=lost_commune, duplicate_of=original)
    elsewhere = legacy_places("Cao Bằng")[0]
    sheet.bad("MISSING_FIELD", "missing product name",
              ["", "Hộ kinh doanh Hoàng Văn Khảo", _address(original.producer.place), BK_DECISION])
    sheet.bad("WRONG_PROVINCE", f"a Cao Bằng product ({elsewhere.commune}, {elsewhere.district}, tỉnh Cao Bằng)",
              [f"Miến dong {elsewhere.short}", f"HTX Nông nghiệp {elsewhere.short}",
               f"{_address(elsewhere)}, tỉnh Cao Bằng", BK_DECISION])
    sheet.total(f"Tổng cộng: {len(products)} sản phẩm")
    sheet.footer(Names(rng, [], CATALOGUE))
    save_workbook(wb, folder / "bac_kan_2018.xlsx")
    return SourceOut(
        name="bac-kan-2018", province="Bắc Kạn", kind="xlsx", location="registries/bac_kan_2018.xlsx",
        encoding="auto", certified=len(products), producers=len(per_producer),
        rows=len(products) + len(sheet.bad_rows), bad_rows=sheet.bad_rows, warned_rows=sheet.warned_rows,
        stars=star_counts(products), producer_types=type_counts(products),
        warned_every_row=[{"warnings": ["GROUP_INFERRED", "GROUP_UNKNOWN"],
                           "why": "the list has no product-group column: each group is inferred from the "
                                  "product's name, or left empty"}],
        description=(
            "Excel workbook typed by hand, sheet \"DS OCOP 2018\": a title block (\"ỦY BAN NHÂN DÂN TỈNH BẮC "
            "KẠN\" | \"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\"), the list's title and \"(Kèm theo Quyết định số "
            "1520/QĐ-UBND ngày 15/8/2018 của UBND tỉnh Bắc Kạn)\", a two-row merged header (\"STT\" | \"Tên sản "
            "phẩm\" | \"Chủ thể sản xuất\" over \"Tên\" / \"Địa chỉ\" | \"Chứng nhận OCOP\" over \"Số, ngày "
            "quyết định\" / \"Hạng sao\" | \"Ghi chú\") with NO product-group column, section rows \"I. SẢN "
            "PHẨM ĐẠT 4 SAO (5 sản phẩm)\" and \"II. SẢN PHẨM ĐẠT 3 SAO (32 sản phẩm)\" giving the rating (the "
            "\"Hạng sao\" cells of the product rows are empty), a producer's name and address merged down over "
            "its consecutive products, pre-reform addresses (\"xã Bộc Bố, huyện Pác Nặm\"), the decision's "
            "number and date in one cell (\"1520/QĐ-UBND ngày 15/8/2018\"), a notes column, a totals row "
            "\"Tổng cộng: 37 sản phẩm\" and a signature footer (\"NGƯỜI LẬP BIỂU\", \"KT. CHỦ TỊCH\", "
            "\"PHÓ CHỦ TỊCH\", names). Row numbers are the sheet's."
        ),
    )


def bk_lost_commune(products: list[Product]) -> Product:
    """The 3★ product whose commune is typed as one that does not exist (UNRESOLVED_UNIT)."""
    per_producer = Counter(p.producer.name for p in products)
    return [p for p in products if p.stars == 3 and per_producer[p.producer.name] == 1][3]


def bk_address(product: Product, lost_commune: Product | None) -> str:
    """The producer's address as the list writes it (the lost commune's as typed)."""
    place = product.producer.place
    return f"{BK_UNKNOWN_COMMUNE}, {place.district}" if product is lost_commune else _address(place)


def _address(place: Place) -> str:
    return f"{place.commune}, {place.district}"


def _left_and_right(ws: Worksheet, row: int, left: str | None, right: str | None) -> None:
    """A line of the title block or the footer: one text over columns A–C, one over E–G."""
    for first, last, text in ((1, 3, left), (5, _WIDTH, right)):
        if text:
            ws.cell(row=row, column=first, value=text).font = Font(bold=True)
            ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)


def _title_block(ws: Worksheet) -> None:
    _left_and_right(ws, 1, "ỦY BAN NHÂN DÂN TỈNH BẮC KẠN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    _left_and_right(ws, 2, None, "Độc lập - Tự do - Hạnh phúc")
    for row, text in ((4, "DANH SÁCH SẢN PHẨM ĐẠT CHỨNG NHẬN OCOP NĂM 2018"),
                      (5, "(Kèm theo Quyết định số 1520/QĐ-UBND ngày 15/8/2018 của UBND tỉnh Bắc Kạn)")):
        ws.cell(row=row, column=1, value=text).font = Font(bold=row == 4, italic=row == 5)
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=_WIDTH)
    top = ["STT", "Tên sản phẩm", "Chủ thể sản xuất", None, "Chứng nhận OCOP", None, "Ghi chú"]
    sub = [None, None, "Tên", "Địa chỉ", "Số, ngày quyết định", "Hạng sao", None]
    for col, (upper, lower) in enumerate(zip(top, sub), start=1):
        ws.cell(row=7, column=col, value=upper)
        ws.cell(row=8, column=col, value=lower)
    for col in (1, 2, 7):
        ws.merge_cells(start_row=7, start_column=col, end_row=8, end_column=col)
    for col in (3, 5):
        ws.merge_cells(start_row=7, start_column=col, end_row=7, end_column=col + 1)
    for row in ws.iter_rows(min_row=1, max_row=8):
        for cell in row:
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            if cell.row >= 7:
                cell.font = Font(bold=True)
    for letter, width in zip("ABCDEFG", (6, 34, 34, 36, 30, 10, 18)):
        ws.column_dimensions[letter].width = width


class _Sheet:
    """Writes the rows below the header, keeping the row number and what the manifest must say."""

    def __init__(self, ws: Worksheet, rng: random.Random, row: int) -> None:
        self.ws, self.rng, self.row, self.index = ws, rng, row, 0
        self.bad_rows: list[dict[str, object]] = []
        self.warned_rows: list[dict[str, object]] = []

    def _put(self, values: Sequence[object], **style: bool) -> None:
        for col, value in enumerate(values, start=1):
            cell = self.ws.cell(row=self.row, column=col, value=value)
            if style:
                cell.font = Font(**style)
        self.row += 1

    def section(self, title: str) -> None:
        self.ws.merge_cells(start_row=self.row, start_column=1, end_row=self.row, end_column=_WIDTH)
        self._put([title], bold=True)

    def products(self, products: Sequence[Product], future: Product | None = None,
                 lost_commune: Product | None = None, duplicate_of: Product | None = None) -> None:
        """Product rows, a producer's name and address merged down over its consecutive products."""
        rows_of: dict[str, list[int]] = {}
        for p in products:
            self.index += 1
            address = bk_address(p, lost_commune)
            decision = BK_FUTURE_DECISION if p is future else BK_DECISION
            note = self.rng.choice(BK_NOTES) if self.rng.random() < 0.2 else None
            rows = rows_of.setdefault(p.producer.name, [])
            rows.append(self.row)
            first = len(rows) == 1
            if p is future:
                self.warned_rows.append(warned_row(self.row, "FUTURE_DATE", f"decision {decision!r} (for 2018)"))
            if p is lost_commune:
                self.warned_rows.append(warned_row(self.row, "UNRESOLVED_UNIT", f"unknown commune in {address!r}"))
            self._put([self.index, p.name, p.producer.name if first else None, address if first else None,
                       decision, None, note])
            if p is duplicate_of:  # typed twice, STT and all
                self.bad_rows.append(bad_row(self.row, "DUPLICATE_RECORD", f"exact duplicate of row {self.row - 1}"))
                self._put([self.index, p.name, p.producer.name, address, decision, None, note])
        for rows in rows_of.values():
            if len(rows) > 1:  # consecutive: a producer's products are grouped
                for col in (3, 4):
                    self.ws.merge_cells(start_row=rows[0], start_column=col, end_row=rows[-1], end_column=col)

    def bad(self, error: str, why: str, values: Sequence[str]) -> None:
        """An extra row in the current section: STT, name, producer, address, decision."""
        self.index += 1
        self.bad_rows.append(bad_row(self.row, error, why))
        self._put([self.index, *values, None, None])

    def total(self, text: str) -> None:
        self.ws.merge_cells(start_row=self.row, start_column=1, end_row=self.row, end_column=4)
        self._put([text], bold=True)

    def footer(self, people: Names) -> None:
        """The two signatures: the clerk who typed the list, and the vice-chairman who signed it for the
        committee's chairman, with room for the signatures and the seal above their names."""
        self.row += 1
        lines = [("NGƯỜI LẬP BIỂU", "TM. ỦY BAN NHÂN DÂN"), (None, "KT. CHỦ TỊCH"), (None, "PHÓ CHỦ TỊCH"),
                 (None, None), (None, None), (None, None), (people.person(), people.person())]
        for left, right in lines:
            _left_and_right(self.ws, self.row, left, right)
            self.row += 1
