"""What an ingest did, per source: the import summary both the CLI and GraphQL report."""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any


@dataclass(frozen=True)
class Rejection:
    """One refused row: where it was and every reason, with stable codes."""

    row_number: int
    errors: tuple[dict[str, str | None], ...]


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
    replayed: bool = False  # a push retried with a known submission id: the first result
    same_as_batch: int | None = None  # the registry was identical to the one this batch applied: not re-read
    rejections: list[Rejection] = field(default_factory=list)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "ImportSummary":
        """Back from ``dataclasses.asdict`` (a stored submission or job); unknown keys are ignored
        so summaries stored by an older version still load."""
        rejections = [Rejection(r.get("row_number", 0), tuple(r.get("errors") or ()))
                      for r in data.get("rejections") or []]
        known = {f.name for f in fields(cls)} - {"rejections"}
        return cls(**{k: v for k, v in data.items() if k in known}, rejections=rejections)

    @property
    def failed(self) -> bool:
        return self.status == "failed"
