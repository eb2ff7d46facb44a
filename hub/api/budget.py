"""A query's budget, deadline and answer size: what one GraphQL query may take of the server.

* Budget: before any SQL runs, the query's cost (hub.api.query_cost: the values its answer can
  hold, nested lists multiplied) is compared with the caller's budget; over it, the query is
  refused with ``QUERY_TOO_COSTLY``, its cost, the budget and the list field to page.
* Deadline: a query that has not answered after ``HUB_QUERY_DEADLINE_S`` is abandoned with
  ``QUERY_DEADLINE_EXCEEDED``: at its next await (a statement in a worker thread), or at the
  next object the execution completes (hub.api.plain_fields checks the clock there).
* Answer size: an answer over ``HUB_MAX_RESPONSE_BYTES`` encoded is replaced by
  ``RESPONSE_TOO_LARGE``.
All three apply to query operations; mutations are bounded by their own input limits
(5,000 records per synchronous push, the body size).
"""
from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterable, Iterator, Optional

import orjson
from graphql import ExecutionResult as GraphQLExecutionResult
from graphql import GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType

from hub.api.errors import ClientError
from hub.api.query_cost import Cost, ListCost, PlanCache, operation_type
from hub.access.keys import Principal
from hub.settings import load_settings

ACCESS_DOC = "docs/access.md#query-budget"


@dataclass(frozen=True)
class QueryLimits:
    budget: int
    deadline_s: float
    max_response_bytes: int
    caller: str  # "anonymous callers" or "API keys", for messages


@lru_cache(maxsize=1)
def _limits() -> tuple[QueryLimits, QueryLimits]:
    settings = load_settings()
    common = {"deadline_s": settings.query_deadline_s, "max_response_bytes": settings.max_response_bytes}
    return (QueryLimits(settings.query_budget_anonymous, caller="anonymous callers", **common),
            QueryLimits(settings.query_budget_key, caller="API keys", **common))


def query_limits(principal: Optional[Principal]) -> QueryLimits:
    """The limits of a caller, from the settings read once per process (``reload_limits``)."""
    anonymous, keyed = _limits()
    return anonymous if principal is None else keyed


def reload_limits() -> None:
    """Read the HUB_QUERY_*/HUB_MAX_RESPONSE_BYTES settings again (tests change them)."""
    _limits.cache_clear()


class QueryTooCostly(ClientError):
    def __init__(self, cost: Cost, limits: QueryLimits) -> None:
        worst = cost.field_to_page()
        hint = ""
        if worst is not None:
            hint = (f" The list that costs most is `{worst.path}` ({worst.size:,} items each time it is asked, "
                    f"{worst.cost:,} of the cost): {_advice(worst)}.")
        super().__init__(f"This query could cost {cost.total:,}, over the budget of {limits.budget:,} for "
                         f"{limits.caller}.{hint} The cost counts the values an answer can hold: lists count "
                         f"their page size, and nested lists multiply ({ACCESS_DOC}).", "QUERY_TOO_COSTLY")
        self.extensions = {"code": "QUERY_TOO_COSTLY", "cost": cost.total, "budget": limits.budget,
                           "field": worst.path if worst else None, "pageSize": worst.size if worst else None,
                           "costliestLists": [{"field": c.path, "pageSize": c.size, "cost": c.cost}
                                              for c in cost.costliest(3)]}


def _advice(worst: ListCost) -> str:
    if worst.page is None:
        return "select fewer fields under it"
    if worst.page.connection:
        return f"ask for fewer with `{worst.page.argument}` and page with `after`"
    return f"ask for fewer with `{worst.page.argument}`"


class QueryDeadlineExceeded(ClientError):
    def __init__(self, limits: QueryLimits) -> None:
        super().__init__(f"This query did not finish within its deadline of {limits.deadline_s:g} s and was "
                         f"stopped: ask for smaller pages or fewer nested lists ({ACCESS_DOC}).",
                         "QUERY_DEADLINE_EXCEEDED")
        self.extensions = {"code": "QUERY_DEADLINE_EXCEEDED", "deadlineSeconds": limits.deadline_s}


class ResponseTooLarge(ClientError):
    def __init__(self, size: int, limits: QueryLimits) -> None:
        super().__init__(f"The answer would be {size:,} bytes, over the limit of {limits.max_response_bytes:,}: "
                         f"ask for smaller pages or fewer fields, or download /export/products.csv "
                         f"({ACCESS_DOC}).", "RESPONSE_TOO_LARGE")
        self.extensions = {"code": "RESPONSE_TOO_LARGE", "size": size, "limit": limits.max_response_bytes}


def refused(error: ClientError) -> ExecutionResult:
    """An answer that is only this error (``data`` null), as the other refusals are."""
    return ExecutionResult(data=None, errors=[GraphQLError(str(error), original_error=error)])


PLANS = PlanCache()


class QueryBudget(SchemaExtension):
    """Refuses a query over its caller's budget before it executes (the plan is cached per
    document; evaluating it with the variables is all a repeated query pays)."""

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        if context.operation_type is OperationType.QUERY and context.query and context.graphql_document:
            plan = PLANS.plan(context.schema._schema, context.query, context.graphql_document,
                              context.operation_name)
            if plan is not None:
                cost = plan.evaluate(context.variables)
                limits = query_limits(getattr(context.context, "principal", None))
                if cost.total > limits.budget:
                    error = QueryTooCostly(plan.evaluate(context.variables, lists=True), limits)
                    context.result = GraphQLExecutionResult(
                        data=None, errors=[GraphQLError(str(error), original_error=error)])
        yield


def _deadline_hit(errors: Optional[Iterable[GraphQLError]]) -> bool:
    return any(isinstance(e.original_error, QueryDeadlineExceeded) for e in errors or ())


class LimitedSchema:
    """A strawberry.Schema mixin: a query runs under its deadline and answers within the size
    cap. The deadline is also put on the context (``Context.deadline``, a time.monotonic()
    instant), where the execution checks it between objects: a long stretch of Python work with
    no await in it ends there, not only at the next statement."""

    async def execute(self, query: Optional[str], variable_values: Optional[dict[str, Any]] = None,
                      context_value: Any = None, root_value: Any = None, operation_name: Optional[str] = None,
                      allowed_operation_types: Any = None, operation_extensions: Optional[dict[str, Any]] = None
                      ) -> ExecutionResult:
        run = super().execute(query, variable_values, context_value, root_value,  # type: ignore[misc]
                              operation_name, allowed_operation_types, operation_extensions)
        if not query or operation_type(query, operation_name) != "query":
            return await run
        limits = query_limits(getattr(context_value, "principal", None))
        if hasattr(context_value, "deadline"):
            context_value.deadline = time.monotonic() + limits.deadline_s
        try:
            async with asyncio.timeout(limits.deadline_s):
                result: ExecutionResult = await run
        except TimeoutError:
            return refused(QueryDeadlineExceeded(limits))
        if _deadline_hit(result.errors):
            return refused(QueryDeadlineExceeded(limits))
        if result.data is not None:
            size = len(orjson.dumps(result.data))
            if size > limits.max_response_bytes:
                return refused(ResponseTooLarge(size, limits))
        return result
