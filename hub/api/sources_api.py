"""Managing sources over GraphQL, for the ministry only: the `sources` query and the
disableSource, enableSource and removeSource mutations. The work is hub.sources.catalog (the CLI's path
too); this module checks the caller and maps results and refusals onto GraphQL."""
from __future__ import annotations

from datetime import datetime
from typing import Annotated, Callable, Optional, TypeVar

import strawberry
from starlette.concurrency import run_in_threadpool
from sqlalchemy.engine import Engine

from hub.api.access import sees_all
from hub.api.context import Context
from hub.api.errors import RefusedError
from hub.api.push_api import Mutation as PushMutation
from hub.api.types import as_utc
from hub.access.keys import Principal
from hub.sources.catalog import (SourceRefused, SourceState, disable_source, enable_source, list_sources,
                         remove_source)

T = TypeVar("T")
Name = Annotated[str, strawberry.argument(description="Source name (see `sources`).")]


@strawberry.type(description="A source's latest batch (dry runs excluded).")
class SourceBatch:
    id: int = strawberry.field(description="Batch id (see importBatches).")
    kind: str = strawberry.field(description="harvest, push, revert or removal.")
    status: str = strawberry.field(description="running, succeeded or failed.")
    at: datetime = strawberry.field(description="When it ended, or started if it has not (UTC).")
    error: Optional[str] = strawberry.field(description="Why it failed, for a failed batch.")


@strawberry.type(description="A source (a provincial registry or push channel) as the ministry manages it.")
class ManagedSource:
    name: str = strawberry.field(description="Source name.")
    kind: str = strawberry.field(description="csv, xlsx, json_api, html, pdf, docx or push.")
    location: Optional[str] = strawberry.field(description="File path or URL of the registry (null for a push).")
    province_code: Optional[str] = strawberry.field(
        description="Current province (two-digit code); null for a list of many provinces, whose rows name their own.")
    province_text: str = strawberry.field(description="The province as the sources file or office wrote it.")
    enabled: bool = strawberry.field(description="False while disabled or once removed: not harvested.")
    disabled_at: Optional[datetime] = strawberry.field(description="Disabled since (UTC), while disabled.")
    removed_at: Optional[datetime] = strawberry.field(description="Removed at (UTC); its history stays.")
    last_success_at: Optional[datetime] = strawberry.field(description="Last successful harvest or push (UTC).")
    last_batch: Optional[SourceBatch] = strawberry.field(description="Its latest batch (dry runs excluded).")
    present_rows: int = strawberry.field(description="Its rows currently listed in its registry.")
    sole_products: int = strawberry.field(description=(
        "Products (not withdrawn) no other source lists: removing the source needs withdrawProducts for them."))

    @classmethod
    def of(cls, s: SourceState) -> ManagedSource:
        b = s.last_batch
        return cls(name=s.name, kind=s.kind, location=s.location, province_code=s.province_code,
                   province_text=s.province_text, enabled=s.disabled_at is None and s.removed_at is None,
                   disabled_at=as_utc(s.disabled_at), removed_at=as_utc(s.removed_at),
                   last_success_at=as_utc(s.last_success_at),
                   last_batch=SourceBatch(id=b.id, kind=b.kind, status=b.status, at=as_utc(b.at), error=b.error)
                   if b else None,
                   present_rows=s.present_rows, sole_products=s.sole_products)


@strawberry.type(description="What removeSource did.")
class SourceRemoval:
    source: ManagedSource = strawberry.field(description="The source, now removed.")
    batch_id: int = strawberry.field(description="The audited removal batch (see importBatches, Product.history).")
    rows_unlisted: int = strawberry.field(description="Its rows marked as no longer listed.")
    products_withdrawn: int = strawberry.field(description="Products withdrawn: those no other source listed.")


def _ministry(principal: Principal | None, what: str) -> None:
    if not sees_all(principal):
        raise RefusedError("FORBIDDEN", f"{what} is for the ministry's keys only "
                                        "(send 'Authorization: Bearer <ministry token>').")


async def _run(ctx: Context, what: str, work: Callable[[Engine], T]) -> T:
    _ministry(ctx.principal, what)
    try:
        return await run_in_threadpool(work, ctx.engine)
    except SourceRefused as exc:
        raise RefusedError(exc.code, exc.message) from exc


@strawberry.type
class SourcesQuery:
    @strawberry.field(description=(
        "Every source with its state, latest batch and counts, by name (ministry keys only; FORBIDDEN otherwise)."))
    async def sources(
        self, info: strawberry.Info[Context, None],
        include_removed: Annotated[bool, strawberry.argument(description="Also list removed sources.")] = False,
    ) -> list[ManagedSource]:
        states = await _run(info.context, "Listing sources", lambda e: list_sources(e, include_removed))
        return [ManagedSource.of(s) for s in states]


@strawberry.type(description=PushMutation.__strawberry_definition__.description + (
    " Managing sources (disableSource, enableSource, removeSource) is for the ministry alone; its refusals: "
    "FORBIDDEN, NOT_FOUND, SOURCE_IN_USE, SOURCE_REMOVED, PUSH_CHANNEL."))
class Mutation(PushMutation):
    @strawberry.field(description=(
        "Stop harvesting a source: it is skipped, not counted as stale, and its products are kept (ministry only)."))
    async def disable_source(self, info: strawberry.Info[Context, None], name: Name) -> ManagedSource:
        return ManagedSource.of(await _run(info.context, "Disabling a source", lambda e: disable_source(e, name)))

    @strawberry.field(description="Harvest a disabled source again (ministry only).")
    async def enable_source(self, info: strawberry.Info[Context, None], name: Name) -> ManagedSource:
        return ManagedSource.of(await _run(info.context, "Enabling a source", lambda e: enable_source(e, name)))

    @strawberry.field(description=(
        "Remove a source: its rows are unlisted in an audited `removal` batch and the source is marked removed "
        "(kept for history, its name not reused). Refused with SOURCE_IN_USE while products depend on it alone, "
        "unless withdrawProducts, which withdraws them in that batch (ministry only)."))
    async def remove_source(
        self, info: strawberry.Info[Context, None], name: Name,
        withdraw_products: Annotated[bool, strawberry.argument(
            description="Withdraw the products no other source lists, then remove.")] = False,
    ) -> SourceRemoval:
        ctx = info.context
        removal = await _run(ctx, "Removing a source",  # runs only for the ministry: ctx.principal is set
                             lambda e: remove_source(e, name, withdraw_products=withdraw_products,
                                                     actor=ctx.principal.actor))
        return SourceRemoval(source=ManagedSource.of(removal.source), batch_id=removal.batch_id,
                             rows_unlisted=removal.rows_unlisted, products_withdrawn=removal.products_withdrawn)
