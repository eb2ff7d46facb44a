"""/graphql in front of Strawberry: queries answered from the response cache, with ETags.

A query (POST as JSON, or GET ``?query=…`` from a client that is not a browser asking for
GraphiQL) is keyed by its document, variables, operation name and caller; the answer carries
``ETag`` (data version and key) and ``Cache-Control: no-cache``, and a GET whose
``If-None-Match`` names the current ETag gets 304 without running anything. A query not in the
cache is executed here with the schema itself (the same extensions, masking and context as
Strawberry's view, less its request handling) and encoded by orjson; only answers without
errors are kept. Everything else (mutations, GraphiQL, multipart uploads, malformed bodies,
documents that do not parse) goes to Strawberry's view untouched.
"""
from __future__ import annotations

import asyncio
import json
import logging
import os
from collections import OrderedDict
from typing import Any, Optional

import orjson
from sqlalchemy.engine import Engine
from strawberry.http import process_result
from strawberry.types.graphql import OperationType
from starlette.datastructures import Headers, QueryParams
from starlette.types import Message, Receive, Scope, Send

from hub.api.access import STATE_KEY
from hub.api.context import Context
from hub.api.query_cost import operation_type
from hub.api.schema import schema
from hub.access.keys import Principal
from hub.api.response_cache import ResponseCache, caller_scope, etag_for, etag_matches, request_key

log = logging.getLogger("hub.api.cache")
MAX_CACHED_QUERY_CHARS = 20_000
"""Longer documents go to Strawberry's view, not kept (they are rare and make poor keys)."""
REMEMBERED_REQUESTS = 4096
"""Distinct requests whose parsed form and key are remembered (hub.api.cached_graphql._read)."""
DEFAULT_MAX_RUNNING = 8
"""Queries run at once per worker process (``HUB_MAX_RUNNING_QUERIES``)."""


def graphql_key(query: str, variables: Any, operation_name: str | None, principal: Any) -> str:
    """The cache key of a query; hub.api.run_query uses the same, so the dashboard and HTTP
    clients share answers."""
    return request_key("graphql", query, variables or None, operation_name, caller_scope(principal))


async def run_graphql(engine: Engine, principal: Optional[Principal], query: str,
                      variables: Optional[dict[str, Any]] = None, operation_name: Optional[str] = None,
                      jobs: Any = None) -> dict[str, Any]:
    """Execute a query operation as Strawberry's HTTP view would (same schema, extensions,
    masking and context), without the view's request handling: the answer as a dict."""
    result = await schema.execute(query, variable_values=variables, operation_name=operation_name,
                                  context_value=Context(engine=engine, principal=principal, jobs=jobs),
                                  allowed_operation_types={OperationType.QUERY})
    return dict(process_result(result))


class CachedGraphQL:
    """ASGI endpoint wrapping the Strawberry view ``view`` (a hub.server.HubGraphQL: its engine
    and jobs are the context of the queries run here). At most ``max_running`` queries run at
    once in this process; the others wait their turn at the door, in order, rather than share
    the interpreter and the connection pool among dozens of threads (measured: throughput and
    tail latency under 50 clients, bench/README.md)."""

    def __init__(self, view: Any, cache: ResponseCache, max_running: int | None = None) -> None:
        self.view = view
        self.cache = cache
        self.max_running = max_running or int(os.environ.get("HUB_MAX_RUNNING_QUERIES", DEFAULT_MAX_RUNNING))
        self._running: asyncio.Semaphore | None = None  # made in the server's event loop, on first use
        self._requests: OrderedDict[tuple[str, bytes, str], Any] = OrderedDict()

    def _read(self, scope: Scope, body: bytes, principal: Any) -> tuple[tuple[str, Any, str | None], str] | None:
        """The query, variables and operation name of a cacheable request and its cache key, or
        None (not a query: Strawberry's view answers). Remembered by the request's bytes and
        caller, so a repeated question costs a dictionary lookup, not a JSON parse and a hash."""
        raw = body if scope["method"] == "POST" else scope.get("query_string", b"")
        memo = (scope["method"], raw, caller_scope(principal))
        if memo in self._requests:
            self._requests.move_to_end(memo)
            return self._requests[memo]
        request = _from_body(body) if scope["method"] == "POST" else _from_params(QueryParams(raw))
        known = None
        if request is not None and operation_type(request[0], request[2]) == "query":
            known = (request, graphql_key(request[0], request[1], request[2], principal))
        if len(raw) <= MAX_CACHED_QUERY_CHARS:
            self._requests[memo] = known
            if len(self._requests) > REMEMBERED_REQUESTS:
                self._requests.popitem(last=False)
        return known

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.view(scope, receive, send)
            return
        headers = Headers(scope=scope)
        body = b""
        if scope["method"] == "POST" and headers.get("content-type", "").startswith("application/json"):
            body = await _read_body(receive)
        elif scope["method"] != "GET" or "text/html" in headers.get("accept", ""):
            await self.view(scope, receive, send)
            return
        replay = _replaying(body, receive) if scope["method"] == "POST" else receive
        principal = scope.get("state", {}).get(STATE_KEY)
        known = self._read(scope, body, principal)
        if known is None:
            await self.view(scope, replay, send)
            return
        (query, variables, operation_name), key = known
        try:
            version = await self.cache.version()
        except Exception:  # the store is unreachable: Strawberry answers with its masked error
            log.warning("data version unreadable; answering uncached", exc_info=True)
            await self.view(scope, replay, send)
            return
        etag = etag_for(version, key)
        if scope["method"] == "GET" and etag_matches(headers.get("if-none-match"), etag):
            await _send(send, 304, [], b"", etag)
            return
        cached = self.cache.get(key, version)
        if cached is None:
            if self._running is None:
                self._running = asyncio.Semaphore(self.max_running)
            async with self._running:
                result = await run_graphql(self.view.engine, principal, query, variables, operation_name,
                                           self.view.jobs)
            cached = orjson.dumps(result)
            if "errors" in result:
                await _send(send, 200, [(b"content-type", b"application/json")], cached, None)
                return
            self.cache.put(key, version, cached)
        await _send(send, 200, [(b"content-type", b"application/json")], cached, etag)


def _from_params(params: QueryParams) -> tuple[str, Any, str | None] | None:
    query = params.get("query")
    if not query or len(query) > MAX_CACHED_QUERY_CHARS:
        return None
    try:
        variables = json.loads(params["variables"]) if params.get("variables") else None
    except ValueError:
        return None
    if not isinstance(variables, (dict, type(None))):
        return None
    return query, variables, params.get("operationName") or None


def _from_body(body: bytes) -> tuple[str, Any, str | None] | None:
    try:
        payload = json.loads(body)
    except ValueError:
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("query"), str):
        return None
    if not isinstance(payload.get("variables"), (dict, type(None))):
        return None
    operation_name = payload.get("operationName")
    if len(payload["query"]) > MAX_CACHED_QUERY_CHARS or not isinstance(operation_name, (str, type(None))):
        return None
    return payload["query"], payload.get("variables"), operation_name or None


async def _read_body(receive: Receive) -> bytes:
    """The whole body (hub.api.request_body.BoundedBody, outside this, has bounded it)."""
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replaying(body: bytes, receive: Receive) -> Receive:
    """A receive that gives ``body`` once, then waits on the client (for its disconnect)."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


async def _send(send: Send, status: int, headers: list[tuple[bytes, bytes]], body: bytes, etag: str | None) -> None:
    extra = [(b"cache-control", b"no-cache"), (b"vary", b"Authorization")]
    if etag is not None:
        extra.append((b"etag", etag.encode("ascii")))
    await send({"type": "http.response.start", "status": status,
                "headers": [*headers, *extra, (b"content-length", str(len(body)).encode("ascii"))]})
    await send({"type": "http.response.body", "body": body})
