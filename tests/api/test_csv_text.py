"""CSV made from Arrow arrays (hub.api.csv_text) is byte for byte what csv.writer wrote before
(hub.api.exports.csv_stream: QUOTE_MINIMAL, CRLF, formulas neutralised, ISO dates, true/false)."""
from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

import pyarrow as pa

from hub.api.csv_text import csv_lines
from hub.api.export_columns import ARROW_TYPES, Kind
from hub.api.exports import BOM, csv_stream

TEXT = ["plain", "Chè Shan tuyết, Hà Giang", 'say "hi"', "line\nbreak", "cr\rinside", "", None,
        "=SUM(A1)", "+84 912", "-5", "@home", "\tlead", "\rlead", " spaced ", "'already", "a;b", "naïve ỷ",
        "=a,b", '-"q"']
COLUMNS: list[tuple[Kind, list[Any]]] = [
    ("string", TEXT),
    ("integer", [0, -1, 5, None, 10**12] + [7] * (len(TEXT) - 5)),
    ("boolean", [True, False, None] + [True] * (len(TEXT) - 3)),
    ("date", [date(2026, 12, 7), None, date(1999, 1, 31)] + [date(2020, 2, 29)] * (len(TEXT) - 3)),
    ("datetime", [datetime(2026, 12, 7, 21, 4, 36, 582574, tzinfo=timezone.utc),
                  datetime(2026, 12, 7, 21, 4, 36, tzinfo=timezone.utc), None,
                  datetime(2026, 1, 1, 0, 0, 0, 1, tzinfo=timezone.utc)] * 4 + [None] * (len(TEXT) - 16)),
]


def _reference(rows: list[list[Any]]) -> str:
    """csv.writer's text of ``rows``, without the BOM and header csv_stream puts first."""
    return "".join(csv_stream(["h"], rows)).removeprefix(BOM + "h\r\n")


def test_rows_are_what_csv_writer_writes() -> None:
    kinds = [k for k, _ in COLUMNS]
    arrays = [pa.array(values, ARROW_TYPES[k]) for k, values in COLUMNS]
    rows = [list(r) for r in zip(*(values for _, values in COLUMNS))]
    assert csv_lines(kinds, arrays) == _reference(rows).encode()


def test_each_text_cell_alone_matches() -> None:
    for value in TEXT:
        cells = [pa.array([value], pa.string()), pa.array(["x"])]
        assert csv_lines(["string", "string"], cells) == _reference([[value, "x"]]).encode()


def test_a_column_without_special_text_is_written_as_it_is() -> None:
    names = ["Mật ong", "Trà xanh", "Gạo 3 sao"]
    assert csv_lines(["string"], [pa.array(names)]) == "Mật ong\r\nTrà xanh\r\nGạo 3 sao\r\n".encode()
