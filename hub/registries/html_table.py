"""An HTML table on a provincial web page: the first ``<table>`` whose header row maps.

Parsed with the standard library's ``html.parser`` (pages are small and often sloppy: omitted
``</td>``, ``&nbsp;``, nested tags in cells, ``colspan``/``rowspan``).
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

from hub.normalize.encodings import decode_bytes
from hub.normalize.problem import Problem
from hub.records import RawRow
from hub.registries.errors import RegistryError
from hub.registries.headers import TableRow, find_header_row, raw_rows_from_table
from hub.registries.reading import TableReading
from hub.registries.sources_file import SourceSpec

MAX_SPAN = 1000
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)""", re.IGNORECASE)
_CHARSET_NAMES = {"utf-8": "utf-8", "utf8": "utf-8", "windows-1258": "cp1258", "cp1258": "cp1258"}
_BREAKS = frozenset({"br", "p", "div", "li", "tr"})
_SPACES = re.compile(r"\s+")


def read_html(data: bytes, spec: SourceSpec, reading: TableReading | None = None) -> Iterator[RawRow]:
    text = decode_html(data, spec)
    parser = _TableParser()
    parser.feed(text)
    parser.close()
    for table in parser.tables:
        rows = _grid(table)
        if find_header_row([r.as_header for r in rows], overrides=spec.columns) is not None:
            yield from raw_rows_from_table(rows, spec.columns, spec.location, reading)
            return
    raise RegistryError(
        f"{spec.location}: no <table> with a header row among {len(parser.tables)} table(s) "
        "(need at least 3 known headers, 'Tên sản phẩm' among them)"
    )


def decode_html(data: bytes, spec: SourceSpec) -> str:
    """The source's encoding if set; else the page's ``<meta charset>``; else content detection."""
    encoding = spec.encoding
    if encoding == "auto":
        declared = _META_CHARSET.search(data[:4096])
        if declared:
            name = declared.group(1).decode("ascii").lower()
            if name in _CHARSET_NAMES:
                encoding = _CHARSET_NAMES[name]
            else:
                try:
                    return unicodedata.normalize("NFC", data.decode(name))
                except (LookupError, UnicodeDecodeError):
                    pass  # a wrong declaration: let the content decide
    decoded = decode_bytes(data, encoding)
    if isinstance(decoded, Problem) and encoding != spec.encoding:
        decoded = decode_bytes(data, "auto")
    if isinstance(decoded, Problem):
        raise RegistryError(f"{spec.location}: cannot decode the page: {decoded.message}")
    return decoded[0]


@dataclass
class _Cell:
    parts: list[str] = field(default_factory=list)
    colspan: int = 1
    rowspan: int = 1

    @property
    def text(self) -> str:
        return _SPACES.sub(" ", "".join(self.parts).replace("\xa0", " ")).strip()


@dataclass
class _Table:
    rows: list[list[_Cell]] = field(default_factory=list)
    row: list[_Cell] | None = None
    cell: _Cell | None = None

    def close_cell(self) -> None:
        if self.cell is not None:
            if self.row is None:
                self.open_row()
            assert self.row is not None
            self.row.append(self.cell)
            self.cell = None

    def open_row(self) -> None:
        self.row = []
        self.rows.append(self.row)

    def close_row(self) -> None:
        self.close_cell()
        self.row = None


class _TableParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[_Table] = []
        self._open: list[_Table] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
            return
        if tag == "table":
            table = _Table()
            self.tables.append(table)
            self._open.append(table)
            return
        if not self._open:
            return
        table = self._open[-1]
        if tag == "tr":
            table.close_row()
            table.open_row()
        elif tag in ("td", "th"):
            table.close_cell()
            if table.row is None:
                table.open_row()
            spans = dict(attrs)
            table.cell = _Cell(colspan=_span(spans.get("colspan")), rowspan=_span(spans.get("rowspan")))
        elif tag in _BREAKS and table.cell is not None:
            table.cell.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)
            return
        if not self._open:
            return
        table = self._open[-1]
        if tag in ("td", "th"):
            table.close_cell()
        elif tag == "tr":
            table.close_row()
        elif tag == "table":
            table.close_row()
            self._open.pop()

    def handle_data(self, data: str) -> None:
        if self._skip or not self._open:
            return
        cell = self._open[-1].cell
        if cell is not None:
            cell.parts.append(data)


def _span(value: str | None) -> int:
    if value is None:  # almost every cell: no exception to raise and catch
        return 1
    try:
        return min(MAX_SPAN, max(1, int(str(value).strip())))
    except ValueError:
        return 1


def _grid(table: _Table) -> list[TableRow]:
    """Lay out spans: a header row shows a spanned cell in every column it covers; a data row
    carries a rowspan down its own column only (see ``TableRow``)."""
    rows = [r for r in table.rows if r]
    placed: dict[tuple[int, int], tuple[str, str]] = {}
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            while (r, c) in placed:
                c += 1
            text = cell.text
            for dr in range(min(cell.rowspan, len(rows) - r)):
                for dc in range(cell.colspan):
                    kind = "own" if dr == dc == 0 else "down" if dc == 0 else "span"
                    placed[(r + dr, c + dc)] = (text, kind)
            c += cell.colspan
    width = 1 + max((c for _, c in placed), default=-1)
    result = []
    for r in range(len(rows)):
        shown = [placed.get((r, c), ("", "own"))[0] for c in range(width)]
        cells = [t if kind in ("own", "down") else "" for t, kind in (placed.get((r, c), ("", "own")) for c in range(width))]
        result.append(TableRow(number=r + 1, cells=cells, header_cells=shown))
    return result
