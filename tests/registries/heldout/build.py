"""Builders for the held-out registries: workbooks with real merges, CSV text (perhaps in a legacy
font encoding) and HTML tables, all made in memory, plus the clerk's reading of each file.

A held-out registry is written the way a district or provincial office writes one, with its own
wording and shape; ``Product`` is what a careful clerk reads from one product row, and ``Layout``
holds the file, the clerk's reading of its columns and its products.
"""
from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from hub.normalize.encodings import encode_legacy


@dataclass
class Sheet:
    """One worksheet: ``rows`` of cell values placed from ``origin`` (1-based row, column), and
    merges as (first row, first col, last row, last col) in 0-based ``rows`` coordinates; only a
    merge's top-left cell holds a value (the others are ``None`` in ``rows``)."""

    title: str
    rows: Sequence[Sequence[Any]]
    merges: Sequence[tuple[int, int, int, int]] = ()
    origin: tuple[int, int] = (1, 1)
    bold_rows: Sequence[int] = ()


def xlsx(*sheets: Sheet) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for sheet in sheets:
        ws = book.create_sheet(sheet.title)
        top, left = sheet.origin
        for r, row in enumerate(sheet.rows):
            for c, value in enumerate(row):
                if value is not None and value != "":
                    cell = ws.cell(row=top + r, column=left + c, value=value)
                    if r in sheet.bold_rows:
                        cell.font = Font(bold=True)
        for r1, c1, r2, c2 in sheet.merges:
            ws.merge_cells(f"{get_column_letter(left + c1)}{top + r1}:{get_column_letter(left + c2)}{top + r2}")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_text(lines: Sequence[Sequence[str]], delimiter: str = ",") -> str:
    """CSV as a spreadsheet program writes it: a cell with the delimiter, a quote or a line break is quoted."""
    def cell(value: str) -> str:
        if any(ch in value for ch in (delimiter, '"', "\n")):
            return '"' + value.replace('"', '""') + '"'
        return value
    return "\r\n".join(delimiter.join(cell(v) for v in line) for line in lines) + "\r\n"


def encoded(text: str, encoding: str) -> bytes:
    if encoding in ("utf-8", "utf-8-sig"):
        return text.encode(encoding)
    return encode_legacy(text, encoding)


@dataclass(frozen=True)
class Product:
    """A product row as the clerk reads it. ``extra`` names CanonicalRecord attributes and their
    values (score, decision_number, decision_date, certified_year, group_code …); ``at`` is the
    clerk's (district, commune) for the row, or None when the row does not say where."""

    product_name: str
    producer_name: str | None
    stars: int
    at: tuple[str | None, str | None] | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def P(product: str, producer: str | None, stars: int, at: tuple[str | None, str | None] | None = None,
      **extra: Any) -> Product:
    return Product(product, producer, stars, at, extra)


@dataclass
class Layout:
    """A held-out registry and its clerk's reading.

    ``columns`` maps every field the clerk reads to a piece of the header of the one column that
    holds it (case-insensitive; "a|b" for either), or with a trailing "*" to the ticked children of
    one parent that together give the field ("Hạng sao" › "3 sao" | "4 sao"); any other column must
    stay unread. ``not_products`` says which
    rows below the header are not products (sections, totals, notes, signatures), as a note for
    the reader of the test; ``skipped`` counts those the hub must report, by reason ("section",
    "totals", "footer"; blank rows, repeated headers and column-number rows go unreported)."""

    name: str
    province: str
    kind: str
    build: Callable[[], bytes]
    columns: dict[str, str]
    products: list[Product]
    not_products: str = ""
    skipped: dict[str, int] = field(default_factory=dict)  # rows reported as not products, by reason
    encoding: str = "auto"
    note: str = ""

    @property
    def suffix(self) -> str:
        return {"xlsx": ".xlsx", "csv": ".csv", "html": ".html"}[self.kind]
