"""PDF annexes with a text layer: their ruled tables, read by pdfplumber.

pdfplumber (on pdfminer.six, both pure Python and maintained) finds a table by its ruling lines
and gives each cell's text with its bounding box, which is what an annex printed from Word, Excel
or a browser has. A table that goes on over pages is joined back into one: its header repeated on
each page is read once, and a row cut by the page break (no rule under it on its page; its end is
the first row on the next page, under the repeated header) is joined to its end, cell by cell. A scan (no text layer), an
encrypted file, a page of text without ruled tables and a hostile file are refused with what to do
(``pdf_guard`` checks the bytes first). Each row's location is its page ("page 3", "pages 3–4").
"""
from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pdfplumber
from pdfplumber.utils.exceptions import PdfminerException
from pdfminer.pdfdocument import PDFPasswordIncorrect

from hub.records import RawRow
from hub.registries.errors import NO_TEXT, RegistryError
from hub.registries.annex import Block, Grid, GridRow, Text, clean_cell, header_of, read_annex
from hub.registries.pdf_guard import check_pdf_bytes
from hub.registries.reading import TableReading
from hub.registries.sections import parse_section
from hub.registries.sources_file import SourceSpec

MAX_PAGES = 300
"""A 2,000-row annex is about 70 A4 pages; Hà Nội's whole list would be ~130."""
MAX_PAGE_OBJECTS = 60_000
"""Characters, lines and rectangles on one page; a dense annex page has about 4,000."""
_TOLERANCE = 3.0  # points: the same column's edge on two pages, or a cell's edge against a row's
_TABLE_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}


@dataclass
class _PageTable:
    grid: Grid
    number: int  # among the tables found, from 1
    first_page: int
    page: int  # the last page it is on
    lefts: list[float]  # each column's left edge
    cut: bool  # no rule under its last row: the page break cut that row


def read_pdf(data: bytes, spec: SourceSpec, reading: TableReading | None = None) -> Iterator[RawRow]:
    """Yield the rows of every product table of the PDF (see ``annex.read_annex``)."""
    where = spec.location
    check_pdf_bytes(data, where)
    try:
        blocks = _blocks(data, where)
    except RegistryError:
        raise
    except (PDFPasswordIncorrect, PdfminerException) as exc:
        if not _password_needed(exc):
            raise RegistryError(f"{where}: not a readable PDF ({type(exc).__name__}: {exc})") from exc
        raise RegistryError(f"{where}: password-protected: the PDF is encrypted; send it without a password, "
                            "or the Word or Excel file") from exc
    except RecursionError as exc:
        raise RegistryError(f"{where}: refused: objects nested too deeply to read") from exc
    except Exception as exc:  # pdfminer raises many types for a broken file
        raise RegistryError(f"{where}: not a readable PDF ({type(exc).__name__}: {exc})") from exc
    yield from read_annex(blocks, spec, reading, "PDF")


def _password_needed(exc: BaseException) -> bool:
    """pdfplumber wraps pdfminer's errors: look through the wrapper."""
    causes = [exc, *exc.args, exc.__cause__, exc.__context__]
    return any(isinstance(c, PDFPasswordIncorrect) for c in causes)


def _blocks(data: bytes, where: str) -> list[Block]:
    """Tables (continued ones joined) and lines of text outside them, page by page, top down."""
    blocks: list[Block] = []
    chars = tables = 0
    last: _PageTable | None = None
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        if len(pdf.pages) > MAX_PAGES:
            raise RegistryError(f"{where}: refused: {len(pdf.pages)} pages (limit {MAX_PAGES})")
        for page in pdf.pages:
            objects = sum(len(page.objects.get(k, ())) for k in ("char", "line", "rect", "curve"))
            if objects > MAX_PAGE_OBJECTS:
                raise RegistryError(f"{where}: refused: page {page.page_number} holds {objects} drawn objects "
                                    f"(limit {MAX_PAGE_OBJECTS})")
            chars += len(page.chars)
            found = page.find_tables(dict(_TABLE_SETTINGS, explicit_horizontal_lines=_closing_lines(page)))
            tables += len(found)
            items: list[tuple[float, Any]] = [(t.bbox[1], t) for t in found]
            boxes = [t.bbox for t in found]
            outside = page.filter(lambda obj: not any(_inside(obj, box) for box in boxes))
            items += [(line["top"], line) for line in outside.extract_text_lines()]
            first_on_page = True
            for _, item in sorted(items, key=lambda pair: pair[0]):
                if isinstance(item, dict):
                    text = clean_cell(item["text"])
                    if text:
                        blocks.append(Text(text, f"page {page.page_number}"))
                        if parse_section(text).values:
                            last = None  # a heading: the table under it is a new one
                    continue
                table = _page_table(item, page.page_number, tables, _ruled_below(page, item.bbox))
                if first_on_page and last is not None and _continues(last, table):
                    _join(last, table)
                else:
                    blocks.append(table.grid)
                    last = table
                first_on_page = False
            page.close()  # drop the page's parsed objects: memory stays one page's
    if chars == 0:
        raise RegistryError(f"{where}: {NO_TEXT}")
    if tables == 0:
        raise RegistryError(f"{where}: no table ruling found: the text is not laid out in a ruled table "
                            "(lines between rows and columns); ask the province for the Word or Excel file")
    return blocks


def _inside(obj: dict[str, Any], box: tuple[float, float, float, float]) -> bool:
    x = (obj["x0"] + obj["x1"]) / 2
    y = (obj["top"] + obj["bottom"]) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def _closing_lines(page: Any) -> list[float]:
    """Where a table is cut by the page break its last (or first) row may have no rule under (or
    over) it: close it at the ends of the vertical rules, so that row is read, not lost."""
    verticals = [e for e in page.edges if e["orientation"] == "v"]
    if not verticals:
        return []
    return [min(e["top"] for e in verticals), max(e["bottom"] for e in verticals)]


def _ruled_below(page: Any, box: tuple[float, float, float, float]) -> bool:
    """A rule drawn under the table (over half its width): its last row ends on this page."""
    covered = sum(min(e["x1"], box[2]) - max(e["x0"], box[0]) for e in page.edges
                  if e["orientation"] == "h" and abs(e["top"] - box[3]) <= _TOLERANCE)
    return covered >= (box[2] - box[0]) / 2


def _page_table(table: Any, page: int, number: int, ruled_below: bool) -> _PageTable:
    """A pdfplumber table as rows of texts, spans laid out: a cell spanning columns shows its
    text in each (held by the first); one spanning rows carries it down (see ``TableRow``)."""
    texts = table.extract()
    rows = table.rows
    width = max((len(r.cells) for r in rows), default=0)
    lefts = [min((r.cells[c][0] for r in rows if c < len(r.cells) and r.cells[c]), default=0.0)
             for c in range(width)]
    tops = [r.bbox[1] for r in rows]
    placed: dict[tuple[int, int], tuple[str, str]] = {}
    for r, row in enumerate(rows):
        for c, box in enumerate(row.cells):
            if box is None:
                continue
            text = clean_cell(texts[r][c])
            across = [k for k in range(c, width) if k == c or lefts[k] < box[2] - _TOLERANCE]
            down = [k for k in range(r, len(rows)) if k == r or tops[k] < box[3] - _TOLERANCE]
            for k in down:
                for j in across:
                    placed.setdefault((k, j), (text, "own" if (k, j) == (r, c) else "down" if j == c else "span"))
    grid_rows = []
    for r in range(len(rows)):
        shown = [placed.get((r, c), ("", "own"))[0] for c in range(width)]
        cells = [t if kind != "span" else "" for t, kind in (placed.get((r, c), ("", "own")) for c in range(width))]
        grid_rows.append(GridRow(cells, shown, f"page {page}"))
    return _PageTable(Grid(f"table {number} (page {page})", grid_rows), number, page, page, lefts, not ruled_below)


def _continues(previous: _PageTable, table: _PageTable) -> bool:
    """The first table of a page goes on with the last one of the page before: same columns."""
    return (table.page == previous.page + 1 and len(table.lefts) == len(previous.lefts)
            and all(abs(a - b) <= _TOLERANCE for a, b in zip(table.lefts, previous.lefts)))


def _join(table: _PageTable, part: _PageTable) -> None:
    """Append a page's part of a table: without the header it repeats, and its first row joined to
    the last row before the break when the break cut that row."""
    grid, rows = table.grid, list(part.grid.rows)
    found = header_of(grid, {})
    header = [r.shown for r in (grid.rows[found[0]:found[0] + found[1]] if found else grid.rows[:1])]
    while rows and rows[0].shown in header:
        rows.pop(0)
    if rows and grid.rows and table.cut:
        end, start = rows.pop(0), grid.rows[-1]
        if any(end.cells):  # else only the cut row's padding came over: nothing to join
            before = start.location.split()[-1].split("–")[0]
            grid.rows[-1] = GridRow([_glue(a, b) for a, b in zip(start.cells, end.cells)],
                                    [_glue(a, b) for a, b in zip(start.shown, end.shown)],
                                    f"pages {before}–{part.page}")
    grid.rows += rows
    table.page, table.cut = part.page, part.cut
    grid.label = f"table {table.number} (pages {table.first_page}–{table.page})"


def _glue(first: str, second: str) -> str:
    return " ".join(p for p in (first, second) if p)
