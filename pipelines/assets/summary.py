"""An ``ImportSummary`` as asset metadata (shared by the dry run and the real ingest)."""
from __future__ import annotations

from collections import Counter
from typing import Any

from hub.ingest import ImportSummary
from pipelines.checks import rejected_ratio

COUNTS = ("created", "updated", "unchanged", "withdrawn")


def summary_metadata(summary: ImportSummary, prefix: str = "") -> dict[str, Any]:
    """Counts (prefixed ``would_`` for a dry run), the rejected ratio and the rejections by code.
    Every rejected row is kept in full in the store (``rejected_record``, by batch id)."""
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
        "error": summary.error or "",
    }
