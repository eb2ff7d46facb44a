"""docs/exports.md documents every column as the data package does: its tables are what
``python -m hub.api.export_docs`` writes from the same definitions."""
from __future__ import annotations

from hub.api.export_columns import PERSONAL_COLUMNS, PRODUCT_COLUMNS
from hub.api.export_docs import BEGIN, DOC, END, render, rewritten


def test_docs_exports_md_is_what_the_generator_writes() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert text.count(BEGIN) == 1 and text.count(END) == 1
    assert rewritten(text) == text, "docs/exports.md drifted from hub/api/export_columns.py: " \
                                    "run `python -m hub.api.export_docs`"


def test_every_column_is_in_the_docs() -> None:
    generated = render()
    for column in PRODUCT_COLUMNS + PERSONAL_COLUMNS:
        assert f"| `{column.name}` | {column.vi} | {column.kind} |" in generated
