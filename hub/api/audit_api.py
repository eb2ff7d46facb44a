"""The audit log as GraphQL: importBatches, newest first, with who applied each batch and what
it did (each product's own changes are Product.history, hub.audit.history)."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, Optional

import strawberry
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hub.api.batch_notes import BatchNotes, WarningCount, notes_fields, warning_counts
from hub.api.filters import resolve_province_filter
from hub.api.pagination import Ordering, PageInfo, page_info
from hub.api.types import Province, as_utc
from hub.ingest.run import resolver_for
from hub.store.models import ImportBatch as BatchRow
from hub.store.models import Source

if TYPE_CHECKING:
    from hub.api.context import Context


@strawberry.type(description="One import in the audit log: a harvest, a push or a revert, who applied it and what it did.")
class AuditBatch(BatchNotes):
    id: int = strawberry.field(description="Batch identifier.")
    source: str = strawberry.field(description="Source name (a registry, or `push-CODE` for a province's pushes).")
    source_kind: str = strawberry.field(description="csv, xlsx, json_api, html, pdf, docx or push.")
    kind: str = strawberry.field(description="harvest, push, revert or removal (a source removed by an operator).")
    actor: str = strawberry.field(description=(
        "Who applied it: `harvest` (ocop-hub harvest), `dagster` (a Dagster run) or `key:ID:NAME` (the API key "
        "that pushed or reverted)."))
    province_code: Optional[str] = strawberry.field(
        description="Current province of the source; null for a list of many provinces.")
    status: str = strawberry.field(description="running, succeeded or failed.")
    started_at: datetime = strawberry.field(description="Start (UTC).")
    finished_at: Optional[datetime] = strawberry.field(description="End (UTC), if it ended.")
    rows_read: int = strawberry.field(description="Rows or records read.")
    created: int = strawberry.field(description="Products created.")
    updated: int = strawberry.field(description="Products updated (for a revert: put back as they were).")
    unchanged: int = strawberry.field(description="Products unchanged.")
    withdrawn: int = strawberry.field(description=(
        "Products withdrawn (for a revert: those the reverted batch had created)."))
    rejected: int = strawberry.field(description="Rows refused (see rejectedRecords).")
    reverted: bool = strawberry.field(description="True once revertBatch undid this batch.")
    reverted_at: Optional[datetime] = strawberry.field(description="When it was reverted (UTC).")
    reverted_by_batch_id: Optional[int] = strawberry.field(description="The batch that reverted it.")
    warnings: list[WarningCount] = strawberry.field(description="Rows stored with warnings, by warning code.")

    @strawberry.field(description="Current province of the source (null for a list of many provinces).")
    async def province(self, info: strawberry.Info["Context", None]) -> Optional[Province]:
        if self.province_code is None:
            return None
        row = await info.context.loaders.province.load(self.province_code)
        return Province.from_row(row) if row else None

    @classmethod
    def from_row(cls, b: BatchRow, source: str, source_kind: str, province_code: str | None) -> AuditBatch:
        return cls(id=b.id, source=source, source_kind=source_kind, kind=b.kind, actor=b.actor,
                   province_code=province_code, status=b.status, started_at=as_utc(b.started_at),
                   finished_at=as_utc(b.finished_at), rows_read=b.rows_read, created=b.created, updated=b.updated,
                   unchanged=b.unchanged, withdrawn=b.withdrawn, rejected=b.rejected,
                   reverted=b.reverted_at is not None, reverted_at=as_utc(b.reverted_at),
                   reverted_by_batch_id=b.reverted_by_batch_id, warnings=warning_counts(b.notes),
                   **notes_fields(b.notes))


@strawberry.type(description="An audit batch and its cursor.")
class AuditBatchEdge:
    node: AuditBatch = strawberry.field(description="The batch.")
    cursor: str = strawberry.field(description="Opaque position; pass it as `after` to continue.")


@strawberry.type(description="A page of the audit log, newest first.")
class AuditBatchConnection:
    edges: list[AuditBatchEdge] = strawberry.field(description="Batches of this page, newest first.")
    page_info: PageInfo = strawberry.field(description="Cursors and whether more pages follow.")
    total_count: int = strawberry.field(description="Batches matching the filter, over all pages.")


BATCH_ORDERING = Ordering("audit:id:desc", BatchRow.id, BatchRow.id, descending=True)


def audit_page(session: Session, source: str | None, province: str | None, kind: str | None,
               first: int, after: str | None) -> AuditBatchConnection:
    """A page of the log; ``province`` is read as every province filter reads it (hub.api.filters)."""
    where: list[Any] = []
    if source is not None:
        where.append(Source.name == source)
    if province is not None:
        where.append(Source.province_code.in_(resolve_province_filter([province], resolver_for(session.get_bind()))))
    if kind is not None:
        where.append(BatchRow.kind == kind)
    paged = where + ([BATCH_ORDERING.after(after)] if after else [])
    stmt = (select(BatchRow, Source.name, Source.kind, Source.province_code)
            .join(Source, Source.id == BatchRow.source_id).where(*paged)
            .order_by(*BATCH_ORDERING.order_by()).limit(first + 1))
    rows = session.execute(stmt).all()
    total = session.scalar(select(func.count(BatchRow.id)).join(Source, Source.id == BatchRow.source_id).where(*where))
    edges = [AuditBatchEdge(node=AuditBatch.from_row(b, name, kind_, code), cursor=BATCH_ORDERING.cursor(b.id, b.id))
             for b, name, kind_, code in rows[:first]]
    return AuditBatchConnection(edges=edges, page_info=page_info([e.cursor for e in edges], len(rows) > first, after),
                                total_count=total or 0)
