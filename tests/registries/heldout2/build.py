"""Small builders for held-out registry files, made in memory: xlsx (openpyxl, real merged cells,
several sheets), CSV (UTF-8 or a legacy encoding) and HTML tables."""
from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook

from hub.normalize.encodings import encode_legacy

Row = Sequence[Any]


@dataclass
class Sheet:
    """One worksheet: its rows (None = empty cell) and merged ranges ("A1:G1")."""

    title: str
    rows: list[Row]
    merges: list[str] = field(default_factory=list)


def xlsx(*sheets: Sheet) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for sheet in sheets:
        ws = wb.create_sheet(sheet.title)
        for r, row in enumerate(sheet.rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    ws.cell(row=r, column=c, value=value)
        for rng in sheet.merges:
            ws.merge_cells(rng)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def csv_bytes(rows: list[Row], sep: str = ",", encoding: str = "utf-8", bom: bool = False) -> bytes:
    def cell(v: Any) -> str:
        s = "" if v is None else str(v)
        if any(ch in s for ch in (sep, '"', "\n")):
            s = '"' + s.replace('"', '""') + '"'
        return s

    text = "\r\n".join(sep.join(cell(v) for v in row) for row in rows) + "\r\n"
    if encoding in ("tcvn3", "vni", "cp1258"):
        return encode_legacy(text, encoding)
    data = text.encode("utf-8")
    return (b"\xef\xbb\xbf" + data) if bom else data


def html_page(body: str, title: str = "Danh sách sản phẩm OCOP") -> bytes:
    return (f"<!DOCTYPE html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>{title}</title></head>"
            f"<body>{body}</body></html>").encode("utf-8")


def tr(*cells: str, tag: str = "td") -> str:
    """A row; a cell written "<th colspan=2>x" keeps its own tag and attributes."""
    out = []
    for c in cells:
        if c.startswith("<"):
            out.append(c if c.endswith(f"</{tag}>") else c + f"</{tag}>")
        else:
            out.append(f"<{tag}>{c}</{tag}>")
    return "<tr>" + "".join(out) + "</tr>"
