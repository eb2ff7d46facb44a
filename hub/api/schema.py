"""The GraphQL schema: the Query type and its assembly, plus SDL export."""
from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any, Optional

import strawberry
from graphql import GraphQLError
from strawberry.schema.config import StrawberryConfig
from sqlalchemy import select
from sqlalchemy.orm import Session
from strawberry.types import Info

from hub.api.as_of_listing import as_of_product_page, producers_holding
from hub.api.audit_api import AuditBatchConnection, audit_page
from hub.api.budget import LimitedSchema
from hub.api.conflicts import ConflictConnection, ConflictFilter, conflict_page
from hub.api.context import Context
from hub.api.coverage import MAX_STALE_AFTER_DAYS, STALE_AFTER_DAYS, ProvinceCoverage, compute_coverage
from hub.api.enums import OrderDirection, ProducerOrderField, ProductOrderField, StatsDimension
from hub.api.filters import ProducerFilter, ProductFilter
from hub.api.extensions import schema_extensions
from hub.api.limits import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, client_caused, page_size
from hub.api.listing import producer_ordering, producer_page, product_ordering, product_page
from hub.api.nodes import product_nodes, products_with_parents
from hub.api.plain_fields import PlainFieldsExecutionContext
from hub.api.errors import ClientError
from hub.api.push_api import job_for
from hub.api.push_types import CELL_SCALAR, Cell, PushJob
from hub.api.sources_api import Mutation, SourcesQuery
from hub.api.rejected import RejectedConnection, rejected_page
from hub.api.stats import StatsBucket, compute_stats
from hub.api.types import Producer, ProducerConnection, Product, ProductConnection, Province
from hub.store import models
SDL_PATH = Path(__file__).resolve().parents[2] / "schema" / "schema.graphql"
SDL_HEADER = "# Generated from hub/api by `ocop-hub schema export` (or `make schema`). Do not edit.\n\n"

First = Annotated[Optional[int], strawberry.argument(
    description=f"Page size, at most {MAX_PAGE_SIZE} (default {DEFAULT_PAGE_SIZE}).")]
After = Annotated[Optional[str], strawberry.argument(
    description="Continue after this cursor (the previous page's `pageInfo.endCursor`).")]
Direction = Annotated[OrderDirection, strawberry.argument(description="Sort direction.")]


AsOf = Annotated[Optional[date], strawberry.argument(description=(
    "The products as they were on this day (valid time): each with the certificate it held then, its "
    "stars, group, year and status that day; a product not yet certified that day is left out. Default: "
    "today (with knownAt alone, that moment's day)."))]
KnownAt = Annotated[Optional[datetime], strawberry.argument(description=(
    "As the hub knew them at this moment (transaction time): harvests, pushes and reverts applied later do "
    "not change the answer, so a figure given then is given again. Default: now."))]

@strawberry.type(description="Read access to the national OCOP store.")
class Query(SourcesQuery):
    @strawberry.field(description=(
        "Certified products, filtered and ordered, one page at a time. "
        "Without a status filter, withdrawn products are left out."))
    async def products(
        self, info: Info[Context, None],
        filter: Annotated[Optional[ProductFilter], strawberry.argument(description="Which products.")] = None,
        order_by: Annotated[ProductOrderField, strawberry.argument(description="Sort key.")] = ProductOrderField.NAME,
        direction: Direction = OrderDirection.ASC,
        first: First = None, after: After = None,
        as_of: AsOf = None, known_at: KnownAt = None,
    ) -> ProductConnection:
        ordering, size = product_ordering(order_by, direction), page_size(first)
        if as_of is not None or known_at is not None:
            return await as_of_product_page(info.context, filter, ordering, size, after, as_of, known_at)
        return await product_page(info.context, filter, ordering, size, after)

    @strawberry.field(description="Producers (chủ thể), filtered and ordered, one page at a time.")
    async def producers(
        self, info: Info[Context, None],
        filter: Annotated[Optional[ProducerFilter], strawberry.argument(description="Which producers.")] = None,
        order_by: Annotated[ProducerOrderField, strawberry.argument(description="Sort key.")] = ProducerOrderField.NAME,
        direction: Direction = OrderDirection.ASC,
        first: First = None, after: After = None,
        as_of: Annotated[Optional[date], strawberry.argument(description=(
            "Only the producers with a product certified on this day (valid time), judging `hasProduct` "
            "on each product's certificate that day (default: ACTIVE or EXPIRED then). Default: no such "
            "restriction (with knownAt alone, that moment's day)."))] = None,
        known_at: KnownAt = None,
    ) -> ProducerConnection:
        held = None
        if as_of is not None or known_at is not None:
            held = producers_holding(info.context, filter.has_product if filter else None, as_of, known_at)
        return await producer_page(info.context, filter,
                                   producer_ordering(order_by, direction, info.context.principal),
                                   page_size(first), after, held)

    @strawberry.field(description="One product by id, whatever its status (null when unknown).")
    async def product(self, info: Info[Context, None],
                      id: Annotated[int, strawberry.argument(description="Product id.")]) -> Optional[Product]:
        def fetch(session: Session) -> list[Product]:
            rows = session.execute(products_with_parents().where(models.Product.id == id)).all()
            return product_nodes(session, rows, info.context.principal)

        found = await info.context.db(fetch)
        return found[0] if found else None

    @strawberry.field(description="One producer by id (null when unknown).")
    async def producer(self, info: Info[Context, None],
                       id: Annotated[int, strawberry.argument(description="Producer id.")]) -> Optional[Producer]:
        row = await info.context.loaders.producer.load(id)
        return Producer.from_row(row, info.context.principal) if row else None

    @strawberry.field(description="The 34 current provinces, by code.")
    async def provinces(self, info: Info[Context, None]) -> list[Province]:
        rows = await info.context.db(
            lambda s: s.scalars(select(models.Province).order_by(models.Province.code)).all())
        return [Province.from_row(r) for r in rows]

    @strawberry.field(description=(
        "Product counts grouped by any combination of dimensions, computed by the database in "
        "one GROUP BY. Without a status filter, withdrawn products are not counted."))
    async def stats(
        self, info: Info[Context, None],
        group_by: Annotated[list[StatsDimension], strawberry.argument(description="Dimensions to group by.")],
        filter: Annotated[Optional[ProductFilter], strawberry.argument(description="Which products.")] = None,
        as_of: AsOf = None, known_at: KnownAt = None,
    ) -> list[StatsBucket]:
        principal = info.context.principal
        return await info.context.db(lambda s: compute_stats(s, group_by, filter, principal, as_of, known_at))

    @strawberry.field(description=(
        "Per current province: its sources, last successful harvest or push, product counts, "
        "rejected rows, and whether its data is stale."))
    async def coverage(
        self, info: Info[Context, None],
        stale_after_days: Annotated[int, strawberry.argument(
            description=f"Days without a success after which data is stale (default {STALE_AFTER_DAYS}).")]
        = STALE_AFTER_DAYS,
        as_of: Annotated[Optional[date], strawberry.argument(description=(
            "Count the products held on this day (default: today; with knownAt alone, that moment's day)."))] = None,
        known_at: Annotated[Optional[datetime], strawberry.argument(description=(
            "Coverage as the hub knew it at this moment: its sources, batches, successes and staleness then. "
            "Record, warning and conflict counts stay today's (no history of them is kept)."))] = None,
    ) -> list[ProvinceCoverage]:
        if not 0 <= stale_after_days <= MAX_STALE_AFTER_DAYS:
            raise ClientError(f"staleAfterDays must be between 0 and {MAX_STALE_AFTER_DAYS}, not {stale_after_days}")
        return await info.context.db(lambda s: compute_coverage(s, stale_after_days, as_of=as_of, known_at=known_at))

    @strawberry.field(description=(
        "Every row rejected in a source's latest batch (or the batch given), with all its errors. "
        "Also downloadable as /export/rejected.csv?source=NAME."))
    async def rejected_records(
        self, info: Info[Context, None],
        source: Annotated[str, strawberry.argument(description="Source name.")],
        batch_id: Annotated[Optional[int], strawberry.argument(
            description="A specific batch of the source (default: its latest, dry runs excluded).")] = None,
        first: Annotated[Optional[int], strawberry.argument(
            description=f"Page size, at most {MAX_PAGE_SIZE} (default {MAX_PAGE_SIZE}).")] = None,
        after: After = None,
    ) -> RejectedConnection:
        size = page_size(first, default=MAX_PAGE_SIZE)
        principal = info.context.principal
        return await info.context.db(lambda s: rejected_page(s, source, batch_id, size, after, principal))

    @strawberry.field(description=(
        "Fields on which the sources listing a product disagree (the product shows its owner's value), "
        "with every source's value, oldest first. Personal values (a producer's type or tax code, a "
        "possible person's address) are null for callers who may not see the province's personal data. "
        "Also downloadable as /export/conflicts.csv?province=&field=&source=."))
    async def conflicts(
        self, info: Info[Context, None],
        filter: Annotated[Optional[ConflictFilter], strawberry.argument(description="Which conflicts.")] = None,
        first: First = None, after: After = None,
    ) -> ConflictConnection:
        size = page_size(first)
        principal = info.context.principal
        return await info.context.db(lambda s: conflict_page(s, filter, size, after, principal))

    @strawberry.field(description=(
        "The audit log: every harvest, push and revert batch, newest first, with who applied it, its "
        "province, time, counts, status and whether it was reverted. Each product's changes are in "
        "`Product.history`."))
    async def import_batches(
        self, info: Info[Context, None],
        source: Annotated[Optional[str], strawberry.argument(description="Only this source (by name).")] = None,
        province: Annotated[Optional[str], strawberry.argument(
            description="Only sources of this current province (code or name, old or new).")] = None,
        kind: Annotated[Optional[str], strawberry.argument(description="Only batches of this kind: harvest, push, revert or removal.")] = None,
        first: First = None, after: After = None,
    ) -> AuditBatchConnection:
        size = page_size(first)
        return await info.context.db(lambda s: audit_page(s, source, province, kind, size, after))

    @strawberry.field(description=(
        "A background push (pushProductsAsync) by id: its status, then its import summary. Visible only to "
        "the key that submitted it and to the ministry (null for anyone else, and for unknown ids)."))
    async def push_job(self, info: Info[Context, None],
                       id: Annotated[str, strawberry.argument(description="Job id from pushProductsAsync.")]
                       ) -> Optional[PushJob]:
        return await job_for(info.context, id)


class HubSchema(LimitedSchema, strawberry.Schema):
    """Queries under their budget, deadline and size cap (hub.api.budget). Errors the client caused
    (refused pushes, bad arguments) are answers, not incidents: only the others go to the error log
    (with their trace)."""

    def process_errors(self, errors: list[GraphQLError], execution_context: Any = None) -> None:
        super().process_errors([e for e in errors if not client_caused(e)], execution_context)


schema = HubSchema(query=Query, mutation=Mutation, extensions=schema_extensions(),
                   config=StrawberryConfig(scalar_map={Cell: CELL_SCALAR}),
                   execution_context_class=PlainFieldsExecutionContext)


def sdl() -> str:
    """The schema as SDL text, exactly as exported."""
    return SDL_HEADER + schema.as_str() + "\n"


def export_sdl(path: str | Path = SDL_PATH) -> Path:
    """Write the SDL to ``path`` (default schema/schema.graphql); the CLI's `schema export`."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(sdl(), encoding="utf-8")
    return path
