"""CSV lines made from Arrow arrays in C++, byte for byte what ``csv.writer`` writes.

pyarrow's own CSV writer (pyarrow.csv.write_csv) quotes every text cell and tells an empty text
from a missing one (``""`` and nothing), and ends lines with LF; the hub's CSV has always been
Python's ``csv.writer`` with CRLF: a cell quoted only where it holds a comma, a quote, CR or LF,
quotes doubled, missing and empty cells alike empty. So the cells are made here with pyarrow's
compute functions, a whole column at a time (formulas neutralised, quoted where needed), and the
lines joined in one call: the same bytes as before (tests/api/test_csv_text.py compares them with
csv.writer's), at the speed of the C++ kernels. (One case differs and never arises in a download:
a row of a single empty cell, which csv.writer writes as ``""``.)
"""
from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from hub.api.export_columns import Kind

FORMULA_START = "^([=+\\-@\t\r])"
"""A cell a spreadsheet would run as a formula (=, +, -, @, tab, CR): written with a leading apostrophe."""
NEEDS_QUOTES = '[,"\r\n]'
"""What csv.writer (QUOTE_MINIMAL, CRLF) quotes a cell for."""
ANY_SPECIAL = FORMULA_START + "|" + NEEDS_QUOTES
LINE_END = "\r\n"


def _instant_text(array: pa.Array) -> pa.Array:
    """UTC instants as ``datetime.isoformat`` writes them: ``2026-12-07T21:04:36.582574+00:00``,
    without the fraction when it is zero. Each distinct instant is formatted once (a harvest
    stamps thousands of rows with the same one)."""
    distinct = array.dictionary_encode()
    text = pc.strftime(distinct.dictionary, format="%Y-%m-%dT%H:%M:%S")  # %S carries the microseconds
    text = pc.replace_substring_regex(text, pattern="\\.000000$", replacement="")
    return pc.binary_join_element_wise(text, "+00:00", "").take(distinct.indices)


def _text_cells(array: pa.Array) -> pa.Array:
    """Text neutralised and quoted where it must be; most columns of most batches need neither,
    and pass after one search."""
    if not pc.any(pc.match_substring_regex(array, ANY_SPECIAL)).as_py():
        return array
    text = pc.replace_substring_regex(array, pattern=FORMULA_START, replacement="'\\1")
    quoted = pc.binary_join_element_wise('"', pc.replace_substring(text, '"', '""'), '"', "")
    return pc.if_else(pc.match_substring_regex(text, NEEDS_QUOTES), quoted, text)


def csv_cells(kind: Kind, array: pa.Array) -> pa.Array:
    """A column's cells as CSV text (nulls stay null: they are written empty)."""
    if kind in ("integer", "boolean", "date"):  # their text never needs quotes: 12, true, 2026-12-07
        return array.cast(pa.string())
    if kind == "datetime":
        return _instant_text(array)
    return _text_cells(array)


def csv_lines(kinds: list[Kind], arrays: list[pa.Array]) -> bytes:
    """The rows of ``arrays`` (columns of ``kinds``) as CSV lines in UTF-8, each ending in CRLF."""
    cells = [csv_cells(k, a) for k, a in zip(kinds, arrays)]
    cells[-1] = pc.binary_join_element_wise(cells[-1].fill_null(""), LINE_END, "")
    lines = pc.binary_join_element_wise(*cells, ",", null_handling="replace", null_replacement="")
    whole = pa.ListArray.from_arrays(pa.array([0, len(lines)], pa.int32()), lines)
    return pc.binary_join(whole, "")[0].as_buffer().to_pybytes()
