"""A decision annex (PDF or Word) as the registry rules read it: its product tables in one row stream.

An annex ("Phụ lục … kèm theo Quyết định số …") is a document, not a sheet: a title block in
paragraphs (or a borderless table), then one or several ruled tables (one per star level, per
district, a cover table of signatures), headings between them, a signature block after. Each
reader (``pdf_reader``, ``docx_reader``) turns its file into ``Block``s in reading order; this
module picks the tables whose header is a product table, lays them and the section headings
between them out as one stream of ``TableRow``s, and reads it with ``raw_rows_from_table``, so the
header, section, totals and footer rules are exactly the spreadsheets'. Each row keeps where it is
in the document under the raw key ``(location)``. The title block above the first table is given to
``raw_rows_from_table`` as the title of every table read, so a district or a decision it names
reaches every row the way a spreadsheet's title rows do.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from hub.records import LOCATION_KEY, RawRow
from hub.registries.errors import RegistryError
from hub.registries.headers import HEADER_SCAN_ROWS, TableRow, raw_rows_from_table
from hub.registries.layout import MAX_HEADER_DEPTH, find_header
from hub.registries.reading import TableReading
from hub.registries.sections import parse_section, title_line
from hub.registries.sources_file import SourceSpec



@dataclass
class GridRow:
    """A table row: ``cells`` carry a value merged down its column, ``shown`` shows a value merged
    across too (see ``TableRow``); ``location`` says where it is in the document."""

    cells: list[str]
    shown: list[str]
    location: str


@dataclass
class Grid:
    """One table of the document, as a person sees it (a PDF table continued over pages is one)."""

    label: str  # "table 2", "table 1 (pages 1–3)"
    rows: list[GridRow]


@dataclass
class Text:
    """A line of text outside the tables (title, heading, signature), in reading order."""

    text: str
    location: str


Block = Grid | Text


@dataclass
class AnnexReading(TableReading):
    """A table reading that also says which of the document's tables were read and which not."""

    tables: list[str] = field(default_factory=list)


def clean_cell(text: str | None) -> str:
    """A cell's text wrapped over several lines, joined with single spaces, in NFC."""
    if not text:
        return ""
    return unicodedata.normalize("NFC", " ".join(text.split()))


def header_of(grid: Grid, overrides: dict[str, str]) -> tuple[int, int] | None:
    """(start, depth) of the product header in the table's first rows, or None."""
    head = [r.shown for r in grid.rows[:HEADER_SCAN_ROWS + MAX_HEADER_DEPTH - 1]]
    block = find_header(head, overrides)
    return None if block is None else (block.start, block.depth)


def read_annex(blocks: Sequence[Block], spec: SourceSpec, reading: TableReading | None, kind: str) -> Iterator[RawRow]:
    """Read every product table of the document, in order; refuse a document with none."""
    where = spec.location
    grids = [b for b in blocks if isinstance(b, Grid)]
    product = {id(g) for g in grids if header_of(g, spec.columns) is not None}
    if not product:
        raise RegistryError(
            f"{where}: no table with a product header among the {len(grids)} table(s) of the {kind} "
            "(need at least 3 known headers, 'Tên sản phẩm' among them)"
        )
    if isinstance(reading, AnnexReading):
        reading.tables[:] = [f"{g.label}: " + ("read" if id(g) in product else "not a product table, ignored")
                             for g in grids]
    first = next(i for i, b in enumerate(blocks) if id(b) in product)
    title = _title_lines(blocks[:first])
    cut = len(title)
    while cut and parse_section(title[cut - 1]).values:  # the first table's own heading, a section
        cut -= 1
    streams = _streams(blocks[first:], spec.columns, product, title[cut:], cut)
    main = reading if reading is not None else TableReading()
    for index, (rows, locations) in enumerate(streams):
        part = main if index == 0 else TableReading()
        for row in raw_rows_from_table(rows, spec.columns, where, part, title=title[:cut]):
            row.raw[LOCATION_KEY] = locations[row.row_number]
            yield row
        if part is not main:
            main.merge(part)


def _title_lines(blocks: Sequence[Block]) -> list[str]:
    """The text above the first product table: its paragraphs, and the rows of any table there
    (the borderless "UBND TỈNH … | CỘNG HÒA …" block), each row's cells joined."""
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, Text):
            lines.append(block.text)
        else:
            lines += [title_line(r.shown) for r in block.rows]
    return [line for line in lines if line]


def _streams(blocks: Sequence[Block], overrides: dict[str, str], product: set[int], first_headings: list[str],
             title_count: int) -> list[tuple[list[TableRow], dict[int, str]]]:
    """The product tables as row streams: one per run of tables with the same header (a later
    header is skipped as a repeated header by the row rules). A heading above a table that names
    stars, a unit, a group or a producer ("II. SẢN PHẨM ĐẠT 3 SAO") is a section row under its
    header. Row numbers run over the whole document, after the ``title_count`` title lines."""
    streams: list[tuple[list[TableRow], dict[int, str]]] = []
    number = title_count
    signature: tuple[tuple[str, ...], ...] | None = None
    headings = [Text(line, "title") for line in first_headings]

    def add(cells: list[str], shown: list[str] | None, location: str) -> None:
        nonlocal number
        number += 1
        streams[-1][0].append(TableRow(number=number, cells=cells, header_cells=shown))
        streams[-1][1][number] = location

    for block in blocks:
        if isinstance(block, Text):
            if parse_section(block.text).values:  # not a signature, a page number or a note
                headings.append(block)
            continue
        if id(block) not in product:
            continue
        start, depth = header_of(block, overrides)  # type: ignore[misc]
        header = tuple(tuple(r.shown) for r in block.rows[start:start + depth])
        if header != signature:
            streams.append(([], {}))
            signature = header
        for index, row in enumerate(block.rows):
            add(row.cells, row.shown, row.location)
            if index == start + depth - 1:
                for text in headings:
                    add([text.text], None, text.location)
                headings = []
    return streams
