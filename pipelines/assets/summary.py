"""An ``ImportSummary`` as asset metadata (shared by the dry run and the real ingest)."""
from __future__ import annotations

from collections import Counter
from typing import Any

from hub.ingest import ImportSummary
from pipelines.checks import rejected_ratio

COUNTS = ("created", "updated", "unchanged", "withdrawn")


def summary_metadata(summary: ImportSummary, prefix: str = "") -> dict[str, Any]:
    """Counts (prefixed ``would_`` for a dry run), the rejected ratio, the rejections and warnings
    by code, conflicts, and the columns read into no field. Every rejected row is kept in full in
    the store (``rejected_record``, by batch id), every warning on its stored row."""
    codes = Counter(error.get("code") for rejection in summary.rejections for error in rejection.errors)
    return {
        "status": summary.status,
        "batch_id": summary.batch_id if summary.batch_id is not None else "none",
        # The snapshot held the very rows this batch applied: nothing was read again.
        "same_as_batch": summary.same_as_batch if summary.same_as_batch is not None else "none",
        "rows_read": summary.rows_read,
        **{prefix + name: getattr(summary, name) for name in COUNTS},
        "rejected": summary.rejected,
        "rejected_ratio": round(rejected_ratio(summary), 4),
        "rejections_by_code": dict(sorted((str(code), n) for code, n in codes.items())),
        # Stored rows whose optional fields could not all be read, by warning code.
        "warned": summary.warned,
        "warnings_by_code": summary.warning_counts,
        "conflicts": summary.conflicts,
        # Columns of the registry read into no field: their values stay in the raw rows.
        "unmapped_columns": ", ".join(summary.unmapped_columns) or "none",
        "skipped_rows": len(summary.skipped_rows),
        "error": summary.error or "",
    }
