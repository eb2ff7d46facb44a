"""What a reader understood of a table, for the clerk who checks a harvest: which rows were the
header, what each column was read as, which columns were not read, and which rows were not
products (section titles, totals, footers) and why."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

SKIP_REASONS = ("section", "totals", "footer", "sheet")
"""Why a row is not a product; "sheet" names a whole sheet of a workbook that holds no product
table (row number 0), so a workbook's summary sheet is reported, not dropped in silence."""


@dataclass
class ColumnReading:
    """A column: its header as written ("Parent / Child" under a merged parent), the field it was
    read as (None: kept in the raw row only) and its 0-based position in the table."""

    header: str
    field: str | None
    index: int


@dataclass
class SkippedRow:
    """A row that is not a product; ``reason`` is one of ``SKIP_REASONS``."""

    row_number: int
    reason: str
    text: str


@dataclass
class TableReading:
    """Filled by ``raw_rows_from_table`` as it reads: the header part before the first row is
    yielded, the skipped rows and count mismatches as they are met (complete once the rows are)."""

    sheet: str | None = None  # the first sheet read
    sheets: list[str] = field(default_factory=list)  # every sheet read, in order
    header_rows: list[int] = field(default_factory=list)
    columns: list[ColumnReading] = field(default_factory=list)
    unmapped: list[str] = field(default_factory=list)
    skipped: list[SkippedRow] = field(default_factory=list)
    section_count_mismatches: list[str] = field(default_factory=list)
    list_date: str | None = None  # ISO: the day a title says the list is as of (hub.registries.title_date)

    def merge(self, part: TableReading) -> None:
        """Add what another table of the same file showed (a later sheet or annex table): its
        skipped rows, count mismatches and unmapped columns, and its title's list date when later;
        the first table's header stays."""
        if part.list_date and (self.list_date is None or part.list_date > self.list_date):
            self.list_date = part.list_date
        self.skipped.extend(part.skipped)
        self.section_count_mismatches.extend(part.section_count_mismatches)
        self.unmapped.extend(c for c in part.unmapped if c not in self.unmapped)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TableReading:
        """The reading ``as_dict`` gave (kept beside a snapshot, read back later)."""
        return cls(
            sheet=data.get("sheet"), sheets=list(data.get("sheets", [])), header_rows=list(data.get("header_rows", [])),
            columns=[ColumnReading(**c) for c in data.get("columns", [])], unmapped=list(data.get("unmapped", [])),
            skipped=[SkippedRow(**s) for s in data.get("skipped", [])],
            section_count_mismatches=list(data.get("section_count_mismatches", [])),
            list_date=data.get("list_date"),
        )
