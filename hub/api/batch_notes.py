"""How a batch read its registry (``import_batch.notes``, hub.ingest.summary.ImportSummary.notes):
warnings by code, conflicts, columns it did not map and rows that were not products. Shown on
every view of a batch (coverage, importBatches, push results), empty for batches older than it."""
from __future__ import annotations

from typing import Any, Optional

import strawberry


@strawberry.type(description="How many stored rows carry one warning code.")
class WarningCount:
    code: str = strawberry.field(description="Stable warning code, e.g. GROUP_UNKNOWN (docs/error-codes.md).")
    count: int = strawberry.field(description="Rows stored with this warning.")


@strawberry.type(description="A registry row that is not a product and was skipped: a section title, totals, a footer.")
class SkippedRow:
    row_number: int = strawberry.field(description="Row number in the registry as received.")
    reason: str = strawberry.field(description="section, totals or footer.")
    text: Optional[str] = strawberry.field(description="The row's text, as written.")


@strawberry.type(description="What a batch could not read fully: shared by every view of a batch.")
class BatchNotes:
    warned_rows: int = strawberry.field(description="Rows stored with at least one warning (see Product.warnings).")
    conflicts: int = strawberry.field(description=(
        "Conflicting fields of the products this batch touched: another source says otherwise (see `conflicts`)."))
    unmapped_columns: list[str] = strawberry.field(description=(
        "Registry columns the hub did not map onto a field; their values stay in the raw rows."))
    skipped_rows: list[SkippedRow] = strawberry.field(description=(
        "Rows that are not products (section titles, totals, footers), skipped as a clerk would."))


def warning_counts(notes: dict[str, Any] | None) -> list[WarningCount]:
    """Warned rows by code, by code."""
    counts = (notes or {}).get("warnings") or {}
    return [WarningCount(code=str(code), count=int(n)) for code, n in sorted(counts.items())]


def notes_fields(notes: dict[str, Any] | None) -> dict[str, Any]:
    """The BatchNotes fields of stored notes (null on batches from before the notes: all empty)."""
    notes = notes or {}
    return dict(
        warned_rows=int(notes.get("warned_rows") or 0), conflicts=int(notes.get("conflicts") or 0),
        unmapped_columns=[str(c) for c in notes.get("unmapped_columns") or []],
        skipped_rows=[SkippedRow(row_number=int(r.get("row_number") or 0), reason=str(r.get("reason") or ""),
                                 text=None if r.get("text") is None else str(r["text"]))
                      for r in notes.get("skipped_rows") or [] if isinstance(r, dict)])
