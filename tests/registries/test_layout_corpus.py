"""The layout corpus: every column read as stated, every product read right, every other row skipped
for its reason; and a committed floor under the share read right, so no rule can lower it."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from tests.registries.corpus import column_share, read_layout, row_share
from tests.registries.corpus.layouts import LAYOUTS

FLOOR = float((Path(__file__).parent / "corpus" / "FLOOR").read_text().strip())
MIN_LAYOUTS = 12


@pytest.mark.parametrize("layout", LAYOUTS, ids=[layout.name for layout in LAYOUTS])
def test_layout(layout):
    rows, reading = read_layout(layout)
    assert {c.header: c.field for c in reading.columns if c.header in layout.columns} == layout.columns
    assert reading.unmapped == [h for h, f in layout.columns.items() if f is None]  # blank spacers left out
    assert len(rows) == len(layout.products)
    for want, row in zip(layout.products, rows):
        assert {k: row.values.get(k, "") for k in want} == want, row.row_number
    assert Counter(s.reason for s in reading.skipped) == Counter(layout.skipped)
    assert len(reading.section_count_mismatches) == layout.mismatches
    if layout.header_rows is not None:
        assert reading.header_rows == layout.header_rows
    skipped = {s.row_number for s in reading.skipped} | set(reading.header_rows)
    assert not skipped & {r.row_number for r in rows}


def test_the_corpus_is_read_at_least_as_well_as_committed():
    """The share of stated columns mapped right and of products read right (extra or missing
    products count as wrong) never falls below ``corpus/FLOOR``; raise FLOOR when it rises."""
    assert len(LAYOUTS) >= MIN_LAYOUTS
    columns, rows = [0, 0], [0, 0]
    for layout in LAYOUTS:
        read, reading = read_layout(layout)
        for total, (right, out_of) in ((columns, column_share(layout, reading)), (rows, row_share(layout, read))):
            total[0] += right
            total[1] += out_of
    column_rate, row_rate = columns[0] / columns[1], rows[0] / rows[1]
    assert column_rate >= FLOOR, f"columns read right: {columns[0]}/{columns[1]}"
    assert row_rate >= FLOOR, f"products read right: {rows[0]}/{rows[1]}"


def test_section_titles_show_in_the_raw_row():
    layout = next(layout for layout in LAYOUTS if layout.name == "lam-dong-nested-sections")
    rows, reading = read_layout(layout)
    assert rows[1].raw["(section)"] == "I SẢN PHẨM 4 SAO › 2. Huyện Lâm Hà"
    assert reading.as_dict()["skipped"][0] == {"row_number": 2, "reason": "section", "text": "I SẢN PHẨM 4 SAO"}
