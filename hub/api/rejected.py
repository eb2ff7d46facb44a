"""Rejected rows of a source's latest batch, in full: paged, never cut at a first few."""
from __future__ import annotations

from typing import Any, Iterator, Optional

import strawberry
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from strawberry.scalars import JSON

from hub.api.access import scrub_rejected
from hub.api.coverage import BatchSummary, latest_batch_ids
from hub.access.keys import Principal
from hub.registries.headers import map_header
from hub.api.errors import ClientError
from hub.api.pagination import Ordering, PageInfo, page_info
from hub.store.models import ImportBatch, RejectedRecord, Source

ORDERING = Ordering("rejected:row", RejectedRecord.row_number, RejectedRecord.id, descending=False)


@strawberry.type(description="One reason a row was refused.")
class RecordError:
    code: str = strawberry.field(description="Stable error code (see docs/error-codes.md).")
    field: Optional[str] = strawberry.field(description="The field at fault, when one is.")
    message: str = strawberry.field(description="Explanation for people, naming the offending text.")
    value: Optional[str] = strawberry.field(description="The offending value as received, when kept.")


@strawberry.type(description="A source row that could not be accepted, with every reason.")
class RejectedRow:
    row_number: int = strawberry.field(description="Row number in the source as received.")
    raw: JSON = strawberry.field(description="The raw values of the row, by column.")
    errors: list[RecordError] = strawberry.field(description="Every problem found in the row.")


@strawberry.type(description="A rejected row and its cursor.")
class RejectedEdge:
    node: RejectedRow = strawberry.field(description="The rejected row.")
    cursor: str = strawberry.field(description="Opaque position; pass it as `after` to continue.")


@strawberry.type(description="A page of the rejected rows of one batch.")
class RejectedConnection:
    batch: Optional[BatchSummary] = strawberry.field(description="The batch these rows come from (null: none yet).")
    edges: list[RejectedEdge] = strawberry.field(description="Rejected rows of this page, by row number.")
    page_info: PageInfo = strawberry.field(description="Cursors and whether more pages follow.")
    total_count: int = strawberry.field(description="All rejected rows of the batch.")


def _as_text(value: Any) -> str | None:
    return None if value is None else str(value)


def field_of(header: str) -> str:
    """The canonical field of a raw column (registry header or push field name)."""
    return map_header(header) or header


def visible(record: RejectedRecord, principal: Principal | None, province_code: str | None) -> tuple[dict, list]:
    """Raw cells and errors of a rejected row, personal values hidden from outsiders (hub.api.access)."""
    return scrub_rejected(principal, province_code, record.raw, record.errors, field_of)


def to_row(record: RejectedRecord, principal: Principal | None = None, province_code: str | None = None) -> RejectedRow:
    raw, errs = visible(record, principal, province_code)
    errors = [RecordError(code=str(e.get("code", "")), field=_as_text(e.get("field")),
                          message=str(e.get("message", "")), value=_as_text(e.get("value")))
              for e in errs]
    return RejectedRow(row_number=record.row_number, raw=raw, errors=errors)


def resolve_batch(session: Session, source: str, batch_id: int | None) -> ImportBatch | None:
    """The source's batch asked for, or its latest; unknown names are a client error."""
    source_id = session.scalar(select(Source.id).where(Source.name == source))
    if source_id is None:
        raise ClientError(f"Unknown source {source!r}: see `coverage` for the source names.")
    if batch_id is None:
        batch_id = latest_batch_ids(session).get(source_id)
        if batch_id is None:
            return None
    batch = session.get(ImportBatch, batch_id)
    if batch is None or batch.source_id != source_id:
        raise ClientError(f"Batch {batch_id} does not belong to source {source!r}.")
    return batch


def rejected_page(session: Session, source: str, batch_id: int | None, first: int, after: str | None,
                  principal: Principal | None = None) -> RejectedConnection:
    batch = resolve_batch(session, source, batch_id)
    if batch is None:
        return RejectedConnection(batch=None, edges=[], page_info=page_info([], False, after), total_count=0)
    where = [RejectedRecord.batch_id == batch.id] + ([ORDERING.after(after)] if after else [])
    rows = session.scalars(select(RejectedRecord).where(*where).order_by(*ORDERING.order_by()).limit(first + 1)).all()
    total = session.scalar(select(func.count(RejectedRecord.id)).where(RejectedRecord.batch_id == batch.id))
    province_code = session.scalar(select(Source.province_code).where(Source.id == batch.source_id))
    edges = [RejectedEdge(node=to_row(r, principal, province_code), cursor=ORDERING.cursor(r.row_number, r.id)) for r in rows[:first]]
    return RejectedConnection(batch=BatchSummary.from_row(batch), edges=edges,
                              page_info=page_info([e.cursor for e in edges], len(rows) > first, after),
                              total_count=total or 0)


def iter_rejected(session: Session, batch: ImportBatch) -> Iterator[RejectedRecord]:
    """Every rejected row of a batch, streamed, by row number."""
    stmt = select(RejectedRecord).where(RejectedRecord.batch_id == batch.id).order_by(*ORDERING.order_by())
    yield from session.scalars(stmt.execution_options(yield_per=500))
