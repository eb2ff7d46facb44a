"""What an ingest did, per source: the import summary both the CLI and GraphQL report."""
from __future__ import annotations

from dataclasses import dataclass, field


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
    rejections: list[Rejection] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return self.status == "failed"
