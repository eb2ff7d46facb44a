"""Run a GraphQL query inside the server, as the caller would over HTTP: the same schema, the same
access rules, the same JSON answer, through the same response cache (hub/api/response_cache.py).
The dashboard draws its figures with it, so a figure is always what the API would give that
caller for that query."""
from __future__ import annotations

import json
from typing import Any, Optional

import orjson
from sqlalchemy.engine import Engine

from hub.api.cached_graphql import graphql_key, run_graphql
from hub.api.response_cache import cache_for
from hub.access.keys import Principal


async def execute_query(engine: Engine, principal: Optional[Principal], query: str,
                        variables: Optional[dict[str, Any]] = None) -> dict[str, Any]:
    """The response ``/graphql`` would give ``principal`` for ``query``: ``{"data": …}`` plus
    ``"errors"`` when there are any. A mutation raises strawberry's InvalidOperationTypeError:
    a figure never writes."""
    cache = cache_for(engine)
    key = graphql_key(query, variables, None, principal)
    version = await cache.version()
    cached = cache.get(key, version)
    if cached is not None:
        return json.loads(cached)
    answer = await run_graphql(engine, principal, query, variables)
    if "errors" not in answer:
        cache.put(key, version, orjson.dumps(answer))
    return answer
