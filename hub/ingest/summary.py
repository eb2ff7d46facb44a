"""What an ingest did, per source: the import summary both the CLI and GraphQL report."""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any


@dataclass(frozen=True)
class Rejection:
    """One refused row: where it was and every reason, with stable codes."""

    row_number: int
    errors: tuple[dict[str, str | None], ...]


@dataclass(frozen=True)
class RowWarnings:
    """A stored row and what of its optional fields could not be read (stable codes)."""

    row_number: int
    warnings: tuple[dict[str, str | None], ...]


@dataclass
class ImportSummary:
    source: str
    status: str = "running"
    batch_id: int | None = None
    dry_run: bool = False
    rows_read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    withdrawn: int = 0
    rejected: int = 0
    error: str | None = None
    error_code: str | None = None  # a stable code when the whole snapshot was refused (WRONG_PROVINCE…)
    replayed: bool = False  # a push retried with a known submission id: the first result
    same_as_batch: int | None = None  # the registry was identical to the one this batch applied: not re-read
    conflicts: int = 0  # conflicting fields of the products this batch touched (hub.ingest.conflicts)
    reading: dict[str, Any] | None = None  # how the table was read (hub.registries.reading.TableReading.as_dict)
    rejections: list[Rejection] = field(default_factory=list)
    warnings: list[RowWarnings] = field(default_factory=list)

    @property
    def unmapped_columns(self) -> list[str]:
        """The registry's columns read into no field: their values stay in the raw rows."""
        return list((self.reading or {}).get("unmapped") or [])

    @property
    def skipped_rows(self) -> list[dict[str, Any]]:
        """Rows that are not products (section, totals, footer), each with its reason and text."""
        return list((self.reading or {}).get("skipped") or [])

    @property
    def warning_counts(self) -> dict[str, int]:
        """Rows warned, by warning code."""
        counts: dict[str, int] = {}
        for row in self.warnings:
            for code in {w.get("code") or "" for w in row.warnings}:
                counts[code] = counts.get(code, 0) + 1
        return dict(sorted(counts.items()))

    @property
    def warned(self) -> int:
        """Rows stored with at least one warning."""
        return len(self.warnings)

    def notes(self) -> dict[str, Any]:
        """What ``import_batch.notes`` keeps of this summary (the rows' own warnings stay on their records)."""
        return {"warnings": self.warning_counts, "warned_rows": self.warned, "conflicts": self.conflicts,
                "unmapped_columns": list(self.unmapped_columns), "skipped_rows": list(self.skipped_rows),
                "reading": self.reading}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "ImportSummary":
        """Back from ``dataclasses.asdict`` (a stored submission or job); unknown keys are ignored
        so summaries stored by an older version still load."""
        rejections = [Rejection(r.get("row_number", 0), tuple(r.get("errors") or ()))
                      for r in data.get("rejections") or []]
        warnings = [RowWarnings(r.get("row_number", 0), tuple(r.get("warnings") or ()))
                    for r in data.get("warnings") or []]
        known = {f.name for f in fields(cls)} - {"rejections", "warnings"}
        return cls(**{k: v for k, v in data.items() if k in known}, rejections=rejections, warnings=warnings)

    @property
    def failed(self) -> bool:
        return self.status == "failed"
