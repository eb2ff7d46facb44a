"""Excel registries (.xlsx) as provinces publish "Danh sách sản phẩm OCOP".

openpyxl reads in read-only (streaming) mode so a 10× province stays cheap. Read-only mode does
not expose merged cells (they read as empty), so the ``<mergeCells>`` list is read from the
sheet's XML (scanned as bytes) and merged values are carried the way the sheet shows them.
"""
from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import openpyxl
from openpyxl.utils import range_boundaries

from hub.records import RawRow
from hub.registries import RegistryError
from hub.registries.headers import HEADER_SCAN_ROWS, TableRow, cell_text, find_header_row, raw_rows_from_table
from hub.registries.sources_file import SourceSpec

MAX_UNCOMPRESSED_BYTES = 1024 * 1024 * 1024
"""Total size of the unpacked workbook; a real registry is a few MB."""
MAX_COMPRESSION_RATIO = 100
"""Worksheet XML compresses 5–30×; far more than this on a large member is a zip bomb."""
RATIO_CHECK_MIN_BYTES = 8 * 1024 * 1024
MAX_MEMBERS = 10_000
MAX_COLUMNS = 256
"""Columns read per row (Excel 2003's limit; registries have a few dozen). A cell in column XFD
would otherwise make every row 16,384 cells long: CPU, not memory, but hours for a large file."""


def read_xlsx(data: bytes, spec: SourceSpec) -> Iterator[RawRow]:
    """Yield the rows of the first sheet that has a header row."""
    where = spec.location
    archive = _open_checked_zip(data, where)
    workbook = None
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = _first_sheet_with_header(workbook, spec)
        if sheet is None:
            raise RegistryError(
                f"{where}: no sheet has a header row in its first {HEADER_SCAN_ROWS} rows "
                "(need at least 3 known headers, 'Tên sản phẩm' among them)"
                if any(_sheet_has_content(ws) for ws in workbook.worksheets)
                else f"{where}: every sheet is empty"
            )
        rows = _table_rows(sheet, _merged_ranges(archive, sheet, where))
        yield from raw_rows_from_table(rows, spec.columns, f"{where} (sheet {sheet.title!r})")
    except RegistryError:
        raise
    except Exception as exc:  # openpyxl and zipfile raise many types for a broken workbook
        raise RegistryError(f"{where}: not a readable xlsx workbook ({type(exc).__name__}: {exc})") from exc
    finally:
        if workbook is not None:
            workbook.close()
        archive.close()


def _open_checked_zip(data: bytes, where: str) -> zipfile.ZipFile:
    """Open the archive and refuse a zip bomb from its central directory, before anything inflates."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise RegistryError(f"{where}: not an xlsx file (not a zip archive: {exc})") from exc
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise RegistryError(f"{where}: refused: the archive has {len(members)} members (limit {MAX_MEMBERS})")
    total = sum(m.file_size for m in members)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise RegistryError(
            f"{where}: refused as a possible zip bomb: {total} bytes uncompressed "
            f"(limit {MAX_UNCOMPRESSED_BYTES})"
        )
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_CHECK_MIN_BYTES and ratio > MAX_COMPRESSION_RATIO:
            raise RegistryError(
                f"{where}: refused as a possible zip bomb: {member.filename} expands {ratio:.0f}× "
                f"to {member.file_size} bytes (limit {MAX_COMPRESSION_RATIO}×)"
            )
    if "xl/workbook.xml" not in archive.namelist():
        raise RegistryError(f"{where}: not an xlsx file (a zip archive without xl/workbook.xml)")
    return archive


def _sheet_values(sheet: Any) -> Iterator[tuple[Any, ...]]:
    sheet.reset_dimensions()  # some writers store a wrong <dimension>; read every row there is
    return (values[:MAX_COLUMNS] for values in sheet.iter_rows(min_row=1, values_only=True))


def _sheet_has_content(sheet: Any) -> bool:
    return any(any(cell_text(v).strip() for v in row) for row in _sheet_values(sheet))


def _first_sheet_with_header(workbook: Any, spec: SourceSpec) -> Any:
    for sheet in workbook.worksheets:
        if not hasattr(sheet, "iter_rows"):
            continue  # chart sheets
        head = []
        for number, values in enumerate(_sheet_values(sheet), start=1):
            head.append([cell_text(v) for v in values])
            if number >= HEADER_SCAN_ROWS:
                break
        if find_header_row(head, overrides=spec.columns) is not None:
            return sheet
    return None


@dataclass(frozen=True)
class _Merge:
    min_col: int
    min_row: int
    max_col: int
    max_row: int


# <mergeCell ref="A1:C1"/> with any namespace prefix. The merge list follows <sheetData>, so
# the sheet's XML is scanned for it as bytes (openpyxl parses the same XML for the values; a
# second full XML parse only for this list cost as much as reading the values).
_MERGE_CELL = re.compile(rb'<(?:[\w.-]+:)?mergeCell\b[^>]*?\bref="([A-Za-z]+[0-9]+:[A-Za-z]+[0-9]+)"')
_SCAN_CHUNK = 1 << 20
_SCAN_OVERLAP = 1024  # longer than any <mergeCell …> tag, so none is cut between two chunks


def _merged_ranges(archive: zipfile.ZipFile, sheet: Any, where: str) -> list[_Merge]:
    path = getattr(sheet, "_worksheet_path", None)  # openpyxl keeps the member name here
    if not path:
        return []
    merges = []
    try:
        with archive.open(path.lstrip("/")) as source:
            buffer = b""
            while chunk := source.read(_SCAN_CHUNK):
                buffer += chunk
                done = 0
                for match in _MERGE_CELL.finditer(buffer):
                    min_col, min_row, max_col, max_row = range_boundaries(match.group(1).decode("ascii"))
                    if min_col <= MAX_COLUMNS:  # merges are clipped to the columns read
                        merges.append(_Merge(min_col, min_row, min(max_col, MAX_COLUMNS), max_row))
                    done = match.end()
                buffer = buffer[max(done, len(buffer) - _SCAN_OVERLAP):]
    except (KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise RegistryError(f"{where}: broken worksheet {path} ({exc})") from exc
    return sorted(merges, key=lambda m: (m.min_row, m.min_col))


def _table_rows(sheet: Any, merges: list[_Merge]) -> Iterator[TableRow]:
    """Rows of cell texts, with merged cells filled in (see ``TableRow``)."""
    waiting = list(reversed(merges))  # pop() gives the next merge to start
    active: list[_Merge] = []
    origin: dict[tuple[int, int], str] = {}
    for number, values in enumerate(_sheet_values(sheet), start=1):
        cells = [cell_text(v) for v in values]
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
