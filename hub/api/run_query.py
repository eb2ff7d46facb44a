"""Run a GraphQL query inside the server, as the caller would over HTTP: the same schema, the same
access rules, the same JSON answer. The dashboard draws its figures with it, so a figure is
always what the API would give that caller for that query."""
from __future__ import annotations

from typing import Any, Optional

from sqlalchemy.engine import Engine
from strawberry.http import process_result
from strawberry.types.graphql import OperationType

from hub.api.context import Context
from hub.api.schema import schema
from hub.auth import Principal


async def execute_query(engine: Engine, principal: Optional[Principal], query: str,
                        variables: Optional[dict[str, Any]] = None) -> dict[str, Any]:
    """The response ``/graphql`` would give ``principal`` for ``query``: ``{"data": …}`` plus
    ``"errors"`` when there are any. A mutation raises strawberry's InvalidOperationTypeError:
    a figure never writes."""
    result = await schema.execute(query, variable_values=variables,
                                  context_value=Context(engine=engine, principal=principal),
                                  allowed_operation_types={OperationType.QUERY})
    return dict(process_result(result))
