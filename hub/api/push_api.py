"""The write side of the API: pushProducts (sync and as a background job), pushJob and
revertBatch. The domain work is hub.push.submission, hub.push.jobs and hub.audit.history; this module maps GraphQL input
onto it (shapes in hub.api.push_types) and its results and refusals back onto GraphQL.
"""
from __future__ import annotations

from typing import Annotated

import strawberry
from starlette.concurrency import run_in_threadpool

from hub.api.access import sees_all
from hub.api.context import Context
from hub.api.errors import ClientError, RefusedError
from hub.api.push_types import (MAX_ASYNC_RECORDS, MAX_SYNC_RECORDS, ImportSummary, PushJob, PushProductsInput,
                                RevertResult, record_dict)
from hub.audit.history import revert_batch
from hub.access.keys import Principal
from hub.push.submission import PushRefused, push_records


# --- refusals ---------------------------------------------------------------------------------

def refused(exc: Exception) -> RefusedError:
    """A hub.push.submission.PushRefused as the GraphQL error clients read (extensions.code)."""
    return RefusedError(getattr(exc, "code", "REFUSED"), getattr(exc, "message", None) or str(exc))


def require_key(principal: Principal | None, what: str) -> Principal:
    if principal is None:
        raise RefusedError("FORBIDDEN", f"{what} needs an API key: send 'Authorization: Bearer <token>'. "
                                        "Anonymous callers may only read public data.")
    return principal


async def push_sync(ctx: Context, input: PushProductsInput) -> ImportSummary:
    records = [record_dict(r) for r in input.records]
    try:
        summary = await run_in_threadpool(
            lambda: push_records(ctx.engine, ctx.principal, province=input.province, records=records,
                                 mode=input.mode.value, dry_run=input.dry_run, submission_id=input.submission_id,
                                 max_records=MAX_SYNC_RECORDS, list_kind=input.list.value))
    except PushRefused as exc:
        raise refused(exc) from exc
    return ImportSummary.from_summary(summary)


async def push_async(ctx: Context, input: PushProductsInput) -> PushJob:
    if ctx.jobs is None:
        raise ClientError("Background pushes are not available on this server.")
    if len(input.records) > MAX_ASYNC_RECORDS:
        raise RefusedError("TOO_MANY_RECORDS", f"{len(input.records)} records in one job; the limit is "
                                               f"{MAX_ASYNC_RECORDS}: split the push into several submissions.")
    records = [record_dict(r) for r in input.records]
    try:
        job_id = await run_in_threadpool(  # submit checks the key and the province before queueing
            lambda: ctx.jobs.submit(ctx.principal, province=input.province, records=records, mode=input.mode.value,
                                    dry_run=input.dry_run, submission_id=input.submission_id,
                                    list_kind=input.list.value))
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
    principal = require_key(ctx.principal, "Reverting a batch")
    try:
        result = await run_in_threadpool(revert_batch, ctx.engine, principal, batch_id)
    except PushRefused as exc:
        raise refused(exc) from exc
    return RevertResult(revert_batch_id=result.revert_batch_id, reverted_batch_id=result.reverted_batch_id,
                        products_restored=result.products_restored, withdrawn=result.withdrawn,
                        updated=result.updated)


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
    async def push_products(self, info: strawberry.Info[Context, None], input: PushInputArg) -> ImportSummary:
        return await push_sync(info.context, input)

    @strawberry.field(description=(
        f"Push up to {MAX_ASYNC_RECORDS} records as a background job; returns at once. Poll `pushJob(id)` "
        "for its status and import summary. Refusals known up front (no key, another province) are "
        "returned immediately, as for pushProducts."))
    async def push_products_async(self, info: strawberry.Info[Context, None], input: PushInputArg) -> PushJob:
        return await push_async(info.context, input)

    @strawberry.field(description=(
        "Undo an applied batch: every product it changed goes back to its state before it (created products "
        "are withdrawn). Refused when a later batch changed the same products (REVERT_CONFLICT), when it was "
        "already reverted, or when the batch belongs to another province."))
    async def revert_batch(self, info: strawberry.Info[Context, None],
                           id: Annotated[int, strawberry.argument(description="Batch id (see importBatches).")]
                           ) -> RevertResult:
        return await revert(info.context, id)
