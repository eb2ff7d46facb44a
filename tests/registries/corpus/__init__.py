"""A corpus of registry layouts as provinces publish them, built in memory.

Each ``Layout`` is modelled on a public provincial OCOP list (its wording and shape: title blocks,
merged two- and three-row headers, section rows, totals, notes and spacer columns, abbreviations,
signature footers); the values are invented. It states the field every column must be read as
and the products that must come out, so a header rule that reads one layout better cannot
silently read another worse (``test_layout_corpus.py`` and its committed ``FLOOR``).
"""
from __future__ import annotations

import io
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import openpyxl

from hub.records import RawRow
from hub.registries.csv_reader import read_csv
from hub.registries.html_table import read_html
from hub.registries.reading import TableReading
from hub.registries.sources_file import SourceSpec
from hub.registries.xlsx_reader import read_xlsx

READERS: dict[str, Callable[..., Iterator[RawRow]]] = {"csv": read_csv, "xlsx": read_xlsx, "html": read_html}


@dataclass(frozen=True)
class Layout:
    """``columns``: header as the reading names it ("Parent / Child") → field (None: not read).
    ``products``: every product in order, each with the values (a subset of fields) it must have.
    ``skipped``: how many rows are skipped per reason; ``mismatches``: section count mismatches."""

    name: str
    kind: str
    data: bytes
    columns: dict[str, str | None]
    products: list[dict[str, str]]
    skipped: dict[str, int] = field(default_factory=dict)
    mismatches: int = 0
    header_rows: list[int] | None = None


def spec_for(layout: Layout) -> SourceSpec:
    return SourceSpec(name=layout.name, province="Thái Nguyên", kind=layout.kind, location=f"{layout.name}.{layout.kind}")


def read_layout(layout: Layout) -> tuple[list[RawRow], TableReading]:
    reading = TableReading()
    rows = list(READERS[layout.kind](layout.data, spec_for(layout), reading))
    return rows, reading


def xlsx(rows: Sequence[Sequence[Any]], merges: Sequence[str] = (), title: str = "Danh sách") -> bytes:
    """A workbook with one sheet: ``rows`` from A1 (None for an empty cell) and real merged ranges."""
    return workbook([(title, rows, merges)])


def workbook(sheets: Sequence[tuple[str, Sequence[Sequence[Any]], Sequence[str]]]) -> bytes:
    """A workbook of sheets in order, each (name, rows from A1, merged ranges)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows, merges in sheets:
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(list(row))
        for merge in merges:
            ws.merge_cells(merge)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def csv_bytes(text: str) -> bytes:
    return text.encode("utf-8")


def html(table: str, title: str = "Danh sách sản phẩm OCOP") -> bytes:
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title></head><body>'
            f'<table class="menu"><tr><td>Trang chủ</td><td>Tin tức</td></tr></table>{table}</body></html>').encode()


def column_share(layout: Layout, reading: TableReading) -> tuple[int, int]:
    """(columns read as stated, columns stated)."""
    got = {c.header: c.field for c in reading.columns}
    return sum(1 for header, fld in layout.columns.items() if header in got and got[header] == fld), len(layout.columns)


def row_share(layout: Layout, rows: list[RawRow]) -> tuple[int, int]:
    """(products read right, products stated or read, whichever is more): an extra or a missing
    product counts against the share as much as a wrong value."""
    right = sum(1 for want, row in zip(layout.products, rows)
                if all(row.values.get(k, "") == v for k, v in want.items()))
    return right, max(len(layout.products), len(rows))
