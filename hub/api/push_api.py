"""The write side of the API: pushProducts (sync and as a background job), revertBatch, and the
audit queries (importBatches, pushJob). The domain work is hub.push, hub.jobs and hub.audit; this
module maps GraphQL input onto it and its results and refusals back onto GraphQL.
"""
from __future__ import annotations

import logging
from datetime import datetime
from enum import Enum
from typing import Annotated, Any, NewType, Optional

import strawberry
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from strawberry.types import Info

from hub.api.access import sees_all
from hub.api.context import Context
from hub.api.errors import ClientError, RefusedError
from hub.api.pagination import Ordering, PageInfo, page_info
from hub.api.rejected import RecordError
from hub.api.types import Province, as_utc
from hub.auth import Principal
from hub.ingest.summary import ImportSummary as SummaryData
from hub.ingest.summary import Rejection
from hub.models import BatchStatus
from hub.models import ImportBatch as BatchRow
from hub.models import PushJob as JobRow
from hub.models import Source
from hub.records import FIELDS

log = logging.getLogger("hub.api")

MAX_SYNC_RECORDS = 5_000
"""Records per pushProducts request; more → TOO_MANY_RECORDS (use pushProductsAsync)."""
MAX_ASYNC_RECORDS = 100_000
"""Records per pushProductsAsync request (one background job)."""
FAILED_MESSAGE = "The push failed inside the hub and nothing was applied; the error has been logged (batch {})."


def _parse_cell(value: Any) -> str | int:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ValueError(f"expected a string or an integer, got {value!r}")
    return value


Cell = NewType("Cell", object)
CELL_SCALAR = strawberry.scalar(
    name="Cell",
    description="A value as the province's records hold it: a string (\"4 sao\") or an integer (4).",
    serialize=lambda v: v, parse_value=_parse_cell)
"""Registered in the schema's StrawberryConfig.scalar_map (hub.api.schema)."""


@strawberry.enum(description="How a push relates to what the hub already has from the province's push channel.")
class PushMode(Enum):
    UPSERT = strawberry.enum_value("UPSERT", description=(
        "Create or update the records sent; products not sent are left as they are."))
    REPLACE_ALL = strawberry.enum_value("REPLACE_ALL", description=(
        "The records sent are the province's whole list: products pushed earlier and not sent now are withdrawn."))


_FIELD_DOCS = {
    "product_name": "Tên sản phẩm (required by the record contract; missing → MISSING_FIELD rejection).",
    "producer_name": "Chủ thể: the producer (required).",
    "producer_type": "Loại hình chủ thể ('HTX', 'Công ty TNHH', 'Hộ kinh doanh'…); inferred from the name when absent.",
    "stars": "Hạng sao (required): 3–5 as a number or text ('4 sao', '4 sao (tiềm năng 5 sao)').",
    "score": "Điểm: the 100-point score, when known.",
    "group": "Nhóm sản phẩm (required): a Decision 148/1048 group or free text.",
    "subgroup": "Phân nhóm, as written.",
    "province": "Tỉnh as written (before or after the 2025 reform); defaults to the pushed province.",
    "district": "Huyện (pre-reform records only).",
    "commune": "Xã / phường as written.",
    "address": "Địa chỉ, free text.",
    "decision_number": "Số quyết định công nhận.",
    "decision_date": "Ngày quyết định (dd/mm/yyyy or ISO yyyy-mm-dd).",
    "year": "Năm công nhận.",
    "issuing_body": "Cơ quan công nhận, as written.",
    "tax_code": "Mã số thuế of the producer (never published).",
    "phone": "Điện thoại of the producer (personal data: shown only to the ministry and the province).",
    "email": "E-mail of the producer (personal data).",
    "contact_person": "Người đại diện (personal data).",
}
_CELL_FIELDS = {"stars", "score", "year"}


def _record_input() -> type:
    """PushRecordInput: one optional field per canonical field of hub.records.FIELDS, camelCase
    in GraphQL (strawberry's default), snake_case in the record handed to hub.push."""
    namespace: dict[str, Any] = {"__annotations__": {}}
    for name in FIELDS:
        namespace["__annotations__"][name] = Optional[Cell] if name in _CELL_FIELDS else Optional[str]  # type: ignore[valid-type]
        namespace[name] = strawberry.field(default=None, description=_FIELD_DOCS.get(name, name))
    cls = type("PushRecordInput", (), namespace)
    return strawberry.input(cls, description=(
        "One certified product as the province records it: the fields of schema/push-record.schema.json "
        "in camelCase. Every field is optional here so that a bad record is rejected on its own, with its "
        "index and a stable code, instead of failing the whole request."))


PushRecordInput = _record_input()


def record_dict(record: Any) -> dict[str, Any]:
    """The snake_case record hub.push validates, without the fields left out."""
    return {name: getattr(record, name) for name in FIELDS if getattr(record, name, None) is not None}


@strawberry.input(description="A push of certified products for one province.")
class PushProductsInput:
    province: str = strawberry.field(description=(
        "The province: its two-digit code (\"22\") or its name as written (\"Quảng Ninh\", \"Tỉnh Quảng Ninh\"). "
        "A province key may push only its own."))
    records: list[PushRecordInput] = strawberry.field(description=(  # type: ignore[valid-type]
        f"The records, at most {MAX_SYNC_RECORDS} for pushProducts and {MAX_ASYNC_RECORDS} for "
        "pushProductsAsync. Pass them as a variable: the query text itself is limited in size."))
    mode: PushMode = strawberry.field(default=PushMode.UPSERT, description="UPSERT (default) or REPLACE_ALL.")
    dry_run: bool = strawberry.field(default=False, description=(
        "Report what would happen and write nothing."))
    submission_id: Optional[str] = strawberry.field(default=None, description=(
        "A client-chosen id (1–200 characters) making retries safe: the same id with the same records "
        "returns the first result and applies nothing twice; the same id with other records is refused "
        "(SUBMISSION_ID_REUSED)."))


@strawberry.type(description="One refused record of a push: where it was and every reason.")
class PushRejection:
    index: int = strawberry.field(description=(
        "The record's 0-based position in `records` (for a file upload: the row number in the sheet)."))
    errors: list[RecordError] = strawberry.field(description=(
        "Every problem found, each with a stable code (docs/error-codes.md)."))

    @classmethod
    def from_rejection(cls, r: Rejection) -> PushRejection:
        return cls(index=r.row_number, errors=[
            RecordError(code=str(e.get("code", "")), field=None if e.get("field") is None else str(e["field"]),
                        message=str(e.get("message", "")), value=None if e.get("value") is None else str(e["value"]))
            for e in r.errors if isinstance(e, dict)])


@strawberry.type(description="What a push did (or, for a dry run, would do): counts and every rejection.")
class ImportSummary:
    batch_id: Optional[int] = strawberry.field(description=(
        "The batch in the audit log (see importBatches, revertBatch); null for a dry run."))
    source: str = strawberry.field(description="The source the records went to (the province's push channel).")
    status: str = strawberry.field(description="succeeded, dry_run or failed (then nothing was applied).")
    dry_run: bool = strawberry.field(description="True when nothing was written.")
    replayed: bool = strawberry.field(description=(
        "True when this submissionId was seen before: this is the first result, and nothing was applied again."))
    rows_read: int = strawberry.field(description="Records received.")
    created: int = strawberry.field(description="Products created.")
    updated: int = strawberry.field(description="Products whose values changed.")
    unchanged: int = strawberry.field(description="Products already as sent.")
    withdrawn: int = strawberry.field(description="Products withdrawn (REPLACE_ALL: pushed before, not sent now).")
    rejected: int = strawberry.field(description="Records refused; each is in `rejections`.")
    error: Optional[str] = strawberry.field(description="Why the push failed, when status is failed.")
    rejections: list[PushRejection] = strawberry.field(description=(
        "Every refused record with its index and reasons: complete, never cut short."))

    @classmethod
    def from_summary(cls, s: SummaryData) -> ImportSummary:
        error = None
        if s.status == BatchStatus.FAILED.value:  # the cause is logged by hub.ingest, never sent out
            error = FAILED_MESSAGE.format(s.batch_id)
        return cls(batch_id=None if s.dry_run else s.batch_id, source=s.source, status=s.status,
                   dry_run=s.dry_run, replayed=bool(getattr(s, "replayed", False)), rows_read=s.rows_read,
                   created=s.created, updated=s.updated, unchanged=s.unchanged, withdrawn=s.withdrawn,
                   rejected=s.rejected, error=error,
                   rejections=[PushRejection.from_rejection(r) for r in s.rejections])

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ImportSummary:
        """From a summary stored as JSON (dataclasses.asdict of hub.ingest.summary.ImportSummary)."""
        return cls.from_summary(SummaryData.from_dict(data))


def summary_json(s: SummaryData) -> dict[str, Any]:
    """The ImportSummary as the JSON the file upload answers (same names as in GraphQL)."""
    t = ImportSummary.from_summary(s)
    return {
        "batchId": t.batch_id, "source": t.source, "status": t.status, "dryRun": t.dry_run, "replayed": t.replayed,
        "rowsRead": t.rows_read, "created": t.created, "updated": t.updated, "unchanged": t.unchanged,
        "withdrawn": t.withdrawn, "rejected": t.rejected, "error": t.error,
        "rejections": [{"index": r.index, "errors": [{"code": e.code, "field": e.field, "message": e.message,
                                                       "value": e.value} for e in r.errors]}
                       for r in t.rejections],
    }


@strawberry.type(description="A push running in the background (pushProductsAsync): poll it with `pushJob`.")
class PushJob:
    id: str = strawberry.field(description="Job identifier.")
    status: str = strawberry.field(description="queued, running, succeeded or failed.")
    records: int = strawberry.field(description="Records submitted.")
    province_code: str = strawberry.field(description="Province pushed to (two-digit code).")
    created_at: datetime = strawberry.field(description="When the job was submitted (UTC).")
    finished_at: Optional[datetime] = strawberry.field(description="When it ended (UTC), once it has.")
    error: Optional[str] = strawberry.field(description=(
        "Why the job failed (for a refused push: the refusal message, see `errorCode`)."))
    summary: Optional[ImportSummary] = strawberry.field(description="The import summary, once the job has ended.")

    @classmethod
    def from_row(cls, row: JobRow) -> PushJob:
        return cls(id=row.id, status=row.status, records=row.records, province_code=row.province_code,
                   created_at=as_utc(row.created_at), finished_at=as_utc(row.finished_at), error=row.error,
                   summary=ImportSummary.from_dict(row.summary) if row.summary else None)


@strawberry.type(description="The result of revertBatch.")
class RevertResult:
    revert_batch_id: int = strawberry.field(description="The new batch that did the revert (itself in the audit log).")
    reverted_batch_id: int = strawberry.field(description="The batch that was reverted.")
    products_restored: int = strawberry.field(description="Products put back in their state before that batch.")


@strawberry.type(description="One import in the audit log: a harvest, a push or a revert, who applied it and what it did.")
class AuditBatch:
    id: int = strawberry.field(description="Batch identifier.")
    source: str = strawberry.field(description="Source name (a registry, or `push-CODE` for a province's pushes).")
    source_kind: str = strawberry.field(description="csv, xlsx, json_api, html or push.")
    kind: str = strawberry.field(description="harvest, push or revert.")
    actor: str = strawberry.field(description="Who applied it: `system` for harvests, `key:ID:NAME` for an API key.")
    province_code: str = strawberry.field(description="Current province of the source.")
    status: str = strawberry.field(description="running, succeeded or failed.")
    started_at: datetime = strawberry.field(description="Start (UTC).")
    finished_at: Optional[datetime] = strawberry.field(description="End (UTC), if it ended.")
    rows_read: int = strawberry.field(description="Rows or records read.")
    created: int = strawberry.field(description="Products created.")
    updated: int = strawberry.field(description="Products updated.")
    unchanged: int = strawberry.field(description="Products unchanged.")
    withdrawn: int = strawberry.field(description="Products withdrawn.")
    rejected: int = strawberry.field(description="Rows refused (see rejectedRecords).")
    reverted: bool = strawberry.field(description="True once revertBatch undid this batch.")
    reverted_at: Optional[datetime] = strawberry.field(description="When it was reverted (UTC).")
    reverted_by_batch_id: Optional[int] = strawberry.field(description="The batch that reverted it.")

    @strawberry.field(description="Current province of the source.")
    async def province(self, info: Info[Context, None]) -> Optional[Province]:
        row = await info.context.loaders.province.load(self.province_code)
        return Province.from_row(row) if row else None

    @classmethod
    def from_row(cls, b: BatchRow, source: str, source_kind: str, province_code: str) -> AuditBatch:
        return cls(id=b.id, source=source, source_kind=source_kind, kind=b.kind, actor=b.actor,
                   province_code=province_code, status=b.status, started_at=as_utc(b.started_at),
                   finished_at=as_utc(b.finished_at), rows_read=b.rows_read, created=b.created, updated=b.updated,
                   unchanged=b.unchanged, withdrawn=b.withdrawn, rejected=b.rejected,
                   reverted=b.reverted_at is not None, reverted_at=as_utc(b.reverted_at),
                   reverted_by_batch_id=b.reverted_by_batch_id)


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
    from sqlalchemy import func

    where: list[Any] = []
    if source is not None:
        where.append(Source.name == source)
    if province is not None:
        where.append(Source.province_code == province.zfill(2))
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


# --- refusals ---------------------------------------------------------------------------------

def refused(exc: Exception) -> RefusedError:
    """A hub.push.PushRefused as the GraphQL error clients read (extensions.code)."""
    return RefusedError(getattr(exc, "code", "REFUSED"), getattr(exc, "message", None) or str(exc))


def require_key(principal: Principal | None, what: str) -> Principal:
    if principal is None:
        raise RefusedError("FORBIDDEN", f"{what} needs an API key: send 'Authorization: Bearer <token>'. "
                                        "Anonymous callers may only read public data.")
    return principal


async def push_sync(ctx: Context, input: PushProductsInput) -> ImportSummary:
    from hub.push import PushRefused, push_records

    records = [record_dict(r) for r in input.records]
    try:
        summary = await run_in_threadpool(
            lambda: push_records(ctx.engine, ctx.principal, province=input.province, records=records,
                                 mode=input.mode.value, dry_run=input.dry_run, submission_id=input.submission_id,
                                 max_records=MAX_SYNC_RECORDS))
    except PushRefused as exc:
        raise refused(exc) from exc
    return ImportSummary.from_summary(summary)


async def push_async(ctx: Context, input: PushProductsInput) -> PushJob:
    from hub.push import PushRefused

    if ctx.jobs is None:
        raise ClientError("Background pushes are not available on this server.")
    if len(input.records) > MAX_ASYNC_RECORDS:
        raise RefusedError("TOO_MANY_RECORDS", f"{len(input.records)} records in one job; the limit is "
                                               f"{MAX_ASYNC_RECORDS}: split the push into several submissions.")
    records = [record_dict(r) for r in input.records]
    try:
        job_id = await run_in_threadpool(  # submit checks the key and the province before queueing
            lambda: ctx.jobs.submit(ctx.principal, province=input.province, records=records, mode=input.mode.value,
                                    dry_run=input.dry_run, submission_id=input.submission_id))
    except PushRefused as exc:
        raise refused(exc) from exc
    row = await run_in_threadpool(ctx.jobs.get, job_id)
    if row is None:  # pragma: no cover - the job table is written before submit returns
        raise ClientError(f"Job {job_id} was submitted but cannot be read back yet; query pushJob(id: \"{job_id}\").")
    return PushJob.from_row(row)


async def job_for(ctx: Context, job_id: str) -> PushJob | None:
    """The job, for its owner key or the ministry; null for everyone else (and unknown ids)."""
    principal = ctx.principal
    if principal is None or ctx.jobs is None:
        return None
    row = await run_in_threadpool(ctx.jobs.get, job_id)
    if row is None or not (sees_all(principal) or row.key_id == principal.key_id):
        return None
    return PushJob.from_row(row)


async def revert(ctx: Context, batch_id: int) -> RevertResult:
    from hub.audit import revert_batch
    from hub.push import PushRefused

    principal = require_key(ctx.principal, "Reverting a batch")
    try:
        result = await run_in_threadpool(revert_batch, ctx.engine, principal, batch_id)
    except PushRefused as exc:
        raise refused(exc) from exc
    return RevertResult(revert_batch_id=result.revert_batch_id, reverted_batch_id=result.reverted_batch_id,
                        products_restored=result.products_restored)


PushInputArg = Annotated[PushProductsInput, strawberry.argument(
    description="The province, its records, the mode, dryRun and an optional submissionId.")]


@strawberry.type(description=(
    "Writes, for API keys only (Authorization: Bearer <token>): the ministry writes any province, a "
    "province key only its own. A refused request changes nothing; its GraphQL error carries a stable "
    "`extensions.code` (FORBIDDEN, NOT_YOUR_PROVINCE, UNKNOWN_UNIT, SUBMISSION_ID_REUSED, TOO_MANY_RECORDS, "
    "BAD_MODE, BAD_SUBMISSION_ID, NOT_FOUND, REVERT_CONFLICT, ALREADY_REVERTED; docs/error-codes.md)."))
class Mutation:
    @strawberry.field(description=(
        f"Push up to {MAX_SYNC_RECORDS} certified products of one province through the same ingest path as "
        "the harvest, in one transaction (all applied or none), and return what happened. Bad records are "
        "rejected one by one with their index; the rest are applied. Larger pushes: pushProductsAsync."))
    async def push_products(self, info: Info[Context, None], input: PushInputArg) -> ImportSummary:
        return await push_sync(info.context, input)

    @strawberry.field(description=(
        f"Push up to {MAX_ASYNC_RECORDS} records as a background job; returns at once. Poll `pushJob(id)` "
        "for its status and import summary. Refusals known up front (no key, another province) are "
        "returned immediately, as for pushProducts."))
    async def push_products_async(self, info: Info[Context, None], input: PushInputArg) -> PushJob:
        return await push_async(info.context, input)

    @strawberry.field(description=(
        "Undo an applied batch: every product it changed goes back to its state before it (created products "
        "are withdrawn). Refused when a later batch changed the same products (REVERT_CONFLICT), when it was "
        "already reverted, or when the batch belongs to another province."))
    async def revert_batch(self, info: Info[Context, None],
                           id: Annotated[int, strawberry.argument(description="Batch id (see importBatches).")]
                           ) -> RevertResult:
        return await revert(info.context, id)
