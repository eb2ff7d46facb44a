"""CSV registries in UTF-8 (with or without BOM, NFC or NFD), Windows-1258, TCVN3 or VNI."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from hub.normalize.encodings import decode_bytes
from hub.normalize.problem import Problem
from hub.records import RawRow
from hub.registries.errors import RegistryError
from hub.registries.headers import HEADER_SCAN_ROWS, TableRow, find_header_row, raw_rows_from_table
from hub.registries.reading import TableReading
from hub.registries.sources_file import SourceSpec

DELIMITERS = (",", ";", "\t")


def read_csv(data: bytes, spec: SourceSpec, reading: TableReading | None = None) -> Iterator[RawRow]:
    """Decode the whole file with the source's encoding, find the delimiter and the header, yield rows."""
    decoded = decode_bytes(data, spec.encoding)
    if isinstance(decoded, Problem):
        raise RegistryError(f"{spec.location}: cannot decode the file: {decoded.message}")
    text, _encoding = decoded
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise RegistryError(f"{spec.location}: the file is empty")
    delimiter = sniff_delimiter(text, spec.columns)
    records = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from raw_rows_from_table(_table_rows(records), spec.columns, spec.location, reading)
    except csv.Error as exc:
        raise RegistryError(f"{spec.location}: malformed CSV: {exc}") from exc


def sniff_delimiter(text: str, overrides: dict[str, str] | None = None) -> str:
    """The delimiter under which a header row appears; else the most frequent one in the first lines."""
    head = "\n".join(text.splitlines()[: HEADER_SCAN_ROWS + 1])
    for delimiter in DELIMITERS:
        rows = list(csv.reader(io.StringIO(head, newline=""), delimiter=delimiter))
        if find_header_row(rows, overrides=overrides) is not None:
            return delimiter
    return max(DELIMITERS, key=head.count)


def _table_rows(records: Iterator[list[str]]) -> Iterator[TableRow]:
    for number, cells in enumerate(records, start=1):
        yield TableRow(number=number, cells=cells)
