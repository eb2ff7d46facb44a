"""Excel registries (.xlsx) as provinces publish "Danh sách sản phẩm OCOP".

A sheet is read by calamine (Rust), which holds the sheet's used area in memory and reads its
cells about 13× faster than openpyxl (a whole registry, headers mapped, about 4× faster). The
area is measured first, from the sheet's XML as bytes: a sheet whose area is too large (or whose
cells are not all addressed, so the area cannot be known) is streamed by openpyxl in read-only
mode instead, so one stray cell at XFD1048576 costs time, never gigabytes. So is a sheet with
error cells, which calamine would read as empty where openpyxl gives "#N/A" as Excel shows it.
The ``<mergeCells>`` list is read in the same scan, and merged values are carried the way the
sheet shows them, whichever reader read the values.
"""
from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from xml.etree import ElementTree

import openpyxl
import python_calamine
from openpyxl.utils import column_index_from_string, range_boundaries

from hub.records import RawRow
from hub.registries.errors import RegistryError
from hub.registries.headers import HEADER_SCAN_ROWS, TableRow, cell_text, find_header_row, raw_rows_from_table
from hub.records import LOCATION_KEY
from hub.registries.reading import SkippedRow, TableReading
from hub.registries.sources_file import SourceSpec
from hub.registries.zipcheck import (  # noqa: F401  (the caps, patched by tests as xlsx_reader's)
    MAX_COMPRESSION_RATIO, MAX_MEMBERS, MAX_UNCOMPRESSED_BYTES, RATIO_CHECK_MIN_BYTES, ZipLimits, open_checked_zip,
)

MAX_COLUMNS = 256
"""Columns read per row (Excel 2003's limit; registries have a few dozen). A cell in column XFD
would otherwise make every row 16,384 cells long: CPU, not memory, but hours for a large file."""
MAX_DENSE_CELLS = 500_000
"""Rows × columns (up to the last used cell) a sheet may span to be read whole by calamine.
Measured at this size (25,000 rows × 20 columns): +54 MB peak and 3.7 s to read, against +15 MB
and 13.3 s streamed by openpyxl. A province's registry is a few thousand rows; a larger or
sparser sheet is streamed, so no sheet can make a harvest hold more than about 55 MB for it."""

_WORKSHEET_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_PACKAGE_RELS_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def read_xlsx(data: bytes, spec: SourceSpec, reading: TableReading | None = None) -> Iterator[RawRow]:
    """Yield the rows of every sheet that holds a product table, sheet after sheet (or of the
    sheets the spec names). A sheet without one (a summary, a count table, instructions) is
    named in ``reading`` as skipped, with the reason: nothing is dropped in silence. Each row's
    location is its sheet, since row numbers repeat across sheets."""
    where = spec.location
    archive = open_checked_zip(data, where, "xlsx", "xl/workbook.xml", ZipLimits(
        MAX_UNCOMPRESSED_BYTES, MAX_COMPRESSION_RATIO, RATIO_CHECK_MIN_BYTES, MAX_MEMBERS))
    book = None
    main = reading if reading is not None else TableReading()
    try:
        book = _Workbook(data, archive, where)
        chosen = [_named_sheet(book, name, where) for name in spec.sheets] if spec.sheets else book.sheets
        product: list[_Sheet] = []
        for sheet in chosen:
            why = _why_not_a_product_sheet(book, sheet, spec)
            if why is None:
                product.append(sheet)
            else:
                main.skipped.append(SkippedRow(0, "sheet", f"sheet {sheet.name!r}: {why}"))
        if not product:
            raise RegistryError(
                f"{where}: no sheet has a header row in its first {HEADER_SCAN_ROWS} rows "
                "(need at least 3 known headers, 'Tên sản phẩm' among them)"
                if any(_sheet_has_content(book.values(s)) for s in chosen)
                else f"{where}: every sheet is empty"
            )
        main.sheet = product[0].name
        main.sheets[:] = [s.name for s in product]
        for index, sheet in enumerate(product):
            part = main if index == 0 else TableReading()
            rows = _table_rows(book.values(sheet), book.layout(sheet).merges)
            location = f"sheet {sheet.name!r}"
            for row in raw_rows_from_table(rows, spec.columns, f"{where} ({location})", part,
                                           sheet_name=sheet.name):
                row.raw[LOCATION_KEY] = location
                yield row
            if part is not main:
                main.merge(part)
    except RegistryError:
        raise
    except Exception as exc:  # calamine, openpyxl and zipfile raise many types for a broken workbook
        raise RegistryError(f"{where}: not a readable xlsx workbook ({type(exc).__name__}: {exc})") from exc
    finally:
        if book is not None:
            book.close()
        archive.close()


@dataclass(frozen=True)
class _Sheet:
    name: str
    path: str  # its member in the archive, e.g. "xl/worksheets/sheet1.xml"


@dataclass(frozen=True)
class _Merge:
    min_col: int
    min_row: int
    max_col: int
    max_row: int


@dataclass(frozen=True)
class _Layout:
    """What one scan of a sheet's XML tells before any reader loads it."""

    merges: list[_Merge]
    last_row: int
    last_column: int
    every_cell_addressed: bool
    has_error_cells: bool  # t="e": calamine reads "#N/A" as empty, openpyxl as the text Excel shows

    @property
    def read_whole(self) -> bool:
        """calamine may read this sheet: its area is known and small, and it reads as openpyxl would."""
        return (self.every_cell_addressed and not self.has_error_cells
                and self.last_row * self.last_column <= MAX_DENSE_CELLS)


class _Workbook:
    """The worksheets of one workbook, in order, each read by the reader its layout allows."""

    def __init__(self, data: bytes, archive: zipfile.ZipFile, where: str) -> None:
        self._data, self._archive, self._where = data, archive, where
        self.sheets = _worksheets(archive, where)
        self._layouts: dict[str, _Layout] = {}
        self._calamine = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        self._loaded: dict[str, Any] = {}  # calamine parses a sheet on every get_sheet_by_name
        self._openpyxl: Any = None

    def layout(self, sheet: _Sheet) -> _Layout:
        if sheet.path not in self._layouts:
            self._layouts[sheet.path] = _scan_sheet(self._archive, sheet.path, self._where)
        return self._layouts[sheet.path]

    def values(self, sheet: _Sheet) -> Iterator[Sequence[Any]]:
        """The sheet's rows from row 1, each from column A and cut at MAX_COLUMNS."""
        if self.layout(sheet).read_whole:
            # Loaded once: the header search reads the first rows, then the rows are read again.
            if sheet.name not in self._loaded:
                self._loaded[sheet.name] = self._calamine.get_sheet_by_name(sheet.name)
            return _calamine_rows(self._loaded[sheet.name])
        if self._openpyxl is None:
            self._openpyxl = openpyxl.load_workbook(io.BytesIO(self._data), read_only=True, data_only=True)
        streamed = self._openpyxl[sheet.name]
        streamed.reset_dimensions()  # some writers store a wrong <dimension>; read every row there is
        return (values[:MAX_COLUMNS] for values in streamed.iter_rows(min_row=1, values_only=True))

    def close(self) -> None:
        self._calamine.close()
        if self._openpyxl is not None:
            self._openpyxl.close()


def _calamine_rows(sheet: Any) -> Iterator[list[Any]]:
    """Rows as openpyxl streams them: from column A, without the empty cells after the last one."""
    if sheet.start is None:
        return  # an empty sheet
    skipped = [""] * sheet.start[1]  # iter_rows starts at row 1 but at the first used column
    for row in sheet.iter_rows():
        row = (skipped + row)[:MAX_COLUMNS] if skipped else row[:MAX_COLUMNS]
        while row and row[-1] == "":
            row.pop()
        yield row


def _worksheets(archive: zipfile.ZipFile, where: str) -> list[_Sheet]:
    """Worksheets (not chart sheets) in workbook order, with their members, from workbook.xml and its rels."""
    try:
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError) as exc:
        raise RegistryError(
            f"{where}: not a readable xlsx workbook (workbook.xml or its relationships: {exc})") from exc
    targets = {
        rel.get("Id"): rel.get("Target", "")
        for rel in rels.iter(f"{_PACKAGE_RELS_NS}Relationship") if rel.get("Type") == _WORKSHEET_REL
    }
    sheets = []
    for element in workbook.iter(f"{_MAIN_NS}sheet"):
        target = targets.get(element.get(_REL_ID))
        if target:  # a chart or dialog sheet has another relationship type
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
            sheets.append(_Sheet(element.get("name", ""), path))
    return sheets


# Scanned as bytes, with any namespace prefix: <mergeCell ref="A1:C1"/>, and every cell <c …>
# with its address r="AB12" when it has one.
_MERGE_CELL = re.compile(rb'<(?:[\w.-]+:)?mergeCell\b[^>]*?\bref="([A-Za-z]+[0-9]+:[A-Za-z]+[0-9]+)"')
_CELL = re.compile(rb'<(?:[\w.-]+:)?c[\s/>](?:[^>]*?\br="([A-Z]{1,3})([0-9]{1,7})")?')
_SCAN_CHUNK = 1 << 20
_MAX_BYTES_WITHOUT_TAG = 1 << 20  # a cell holds at most 32,767 characters; a longer stretch is not a sheet


def _scan_sheet(archive: zipfile.ZipFile, path: str, where: str) -> _Layout:
    """One pass over the sheet's XML, in chunks cut after a '>' so that no tag is split."""
    merges: list[_Merge] = []
    columns: set[bytes] = set()
    last_row = unaddressed = 0
    errors = False
    try:
        with archive.open(path) as source:
            buffer = b""
            while True:
                chunk = source.read(_SCAN_CHUNK)
                buffer += chunk
                cut = buffer.rfind(b">") + 1 if chunk else len(buffer)
                part, buffer = buffer[:cut], buffer[cut:]
                if len(buffer) > _MAX_BYTES_WITHOUT_TAG:
                    raise RegistryError(f"{where}: broken worksheet {path} "
                                        f"(more than {_MAX_BYTES_WITHOUT_TAG} bytes without a '>')")
                if b"mergeCell" in part:  # the list follows <sheetData>: skip the regex before it
                    for match in _MERGE_CELL.finditer(part):
                        min_col, min_row, max_col, max_row = range_boundaries(match.group(1).decode("ascii"))
                        if min_col <= MAX_COLUMNS:  # merges are clipped to the columns read
                            merges.append(_Merge(min_col, min_row, min(max_col, MAX_COLUMNS), max_row))
                cells = _CELL.findall(part)
                addressed = [cell for cell in cells if cell[0]]
                unaddressed += len(cells) - len(addressed)
                errors = errors or b' t="e"' in part  # a cell of type error (other elements' t= differ)
                columns.update(column for column, _ in addressed)
                last_row = max(last_row, max((int(row) for _, row in addressed), default=0))
                if not chunk:
                    break
    except (KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise RegistryError(f"{where}: broken worksheet {path} ({exc})") from exc
    last_column = max((column_index_from_string(c.decode("ascii")) for c in columns), default=0)
    return _Layout(sorted(merges, key=lambda m: (m.min_row, m.min_col)), last_row, last_column,
                   every_cell_addressed=unaddressed == 0, has_error_cells=errors)


def _sheet_has_content(values: Iterator[Sequence[Any]]) -> bool:
    return any(any(cell_text(v).strip() for v in row) for row in values)


def _named_sheet(book: _Workbook, name: str, where: str) -> _Sheet:
    """The sheet the sources file names (``sheet:``), compared as written, then case-blind."""
    for sheet in book.sheets:
        if sheet.name == name:
            return sheet
    for sheet in book.sheets:
        if sheet.name.strip().casefold() == name.strip().casefold():
            return sheet
    names = ", ".join(repr(s.name) for s in book.sheets)
    raise RegistryError(f"{where}: no sheet named {name!r} (the workbook has {names})")


def _why_not_a_product_sheet(book: _Workbook, sheet: _Sheet, spec: SourceSpec) -> str | None:
    """None when the sheet has a product header in its first rows; else why it is not read."""
    head = []  # as the sheet shows them, merged parents over their sub-headers
    for row in _table_rows(book.values(sheet), book.layout(sheet).merges):
        head.append(row.as_header)
        if row.number >= HEADER_SCAN_ROWS + 2:
            break
    if find_header_row(head, overrides=spec.columns) is not None:
        return None
    if not any(any(cell.strip() for cell in cells) for cells in head):
        return "empty"
    return (f"no product table (no header row in its first {HEADER_SCAN_ROWS} rows with 'Tên sản phẩm' "
            "and at least 3 known headers): a summary, a count or instructions, not read")


def _table_rows(values: Iterator[Sequence[Any]], merges: list[_Merge]) -> Iterator[TableRow]:
    """Rows of cell texts, with merged cells filled in (see ``TableRow``)."""
    waiting = list(reversed(merges))  # pop() gives the next merge to start
    active: list[_Merge] = []
    origin: dict[tuple[int, int], str] = {}
    for number, row in enumerate(values, start=1):
        cells = [cell_text(v) for v in row]
        while waiting and waiting[-1].min_row <= number:
            active.append(waiting.pop())
        active = [m for m in active if m.max_row >= number]
        if not active:
            yield TableRow(number=number, cells=cells)
            continue
        width = max([len(cells)] + [m.max_col for m in active])
        cells += [""] * (width - len(cells))
        shown = list(cells)
        for merge in active:
            if merge.min_row == number:
                origin[(merge.min_row, merge.min_col)] = cells[merge.min_col - 1]
            value = origin.get((merge.min_row, merge.min_col), "")
            for col in range(merge.min_col, merge.max_col + 1):
                shown[col - 1] = value
            if merge.min_row < number:
                cells[merge.min_col - 1] = value
        yield TableRow(number=number, cells=cells, header_cells=shown)
