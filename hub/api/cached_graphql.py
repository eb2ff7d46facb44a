"""/graphql in front of Strawberry: queries answered from the response cache, with ETags.

A query (POST as JSON, or GET ``?query=…`` from a client that is not a browser asking for
GraphiQL) is keyed by its document, variables, operation name and caller; the answer carries
``ETag`` (data version and key) and ``Cache-Control: no-cache``, and a GET whose
``If-None-Match`` names the current ETag gets 304 without running anything. Everything else
(mutations, GraphiQL, multipart uploads, malformed bodies) goes to Strawberry untouched, and so
does a query whose answer has errors: only clean answers are kept.
"""
from __future__ import annotations

import json
import logging
from functools import lru_cache
from typing import Any

from graphql import GraphQLError, OperationDefinitionNode, parse
from starlette.datastructures import Headers, QueryParams
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hub.api.access import STATE_KEY
from hub.api.response_cache import ResponseCache, caller_scope, etag_for, etag_matches, request_key

log = logging.getLogger("hub.api.cache")
MAX_CACHED_QUERY_CHARS = 20_000
"""Longer documents are run, not kept (they are rare and make poor keys)."""


@lru_cache(maxsize=2048)
def operation_type(query: str, operation_name: str | None) -> str | None:
    """'query', 'mutation' or 'subscription' for the operation a request would run; None when
    the document does not parse or names no such operation (Strawberry then says why)."""
    try:
        document = parse(query)
    except GraphQLError:
        return None
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is not None:
        operations = [o for o in operations if o.name is not None and o.name.value == operation_name]
    return operations[0].operation.value if len(operations) == 1 else None


def graphql_key(query: str, variables: Any, operation_name: str | None, principal: Any) -> str:
    """The cache key of a query; hub.api.run_query uses the same, so the dashboard and HTTP
    clients share answers."""
    return request_key("graphql", query, variables or None, operation_name, caller_scope(principal))


class CachedGraphQL:
    """ASGI endpoint wrapping the Strawberry view ``view``."""

    def __init__(self, view: ASGIApp, cache: ResponseCache) -> None:
        self.view = view
        self.cache = cache

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.view(scope, receive, send)
            return
        headers = Headers(scope=scope)
        body = b""
        request = None
        if scope["method"] == "GET" and "text/html" not in headers.get("accept", ""):
            request = _from_params(QueryParams(scope.get("query_string", b"")))
        elif scope["method"] == "POST" and headers.get("content-type", "").startswith("application/json"):
            body = await _read_body(receive)
            request = _from_body(body)
        replay = _replaying(body, receive) if scope["method"] == "POST" else receive
        if request is None or operation_type(request[0], request[2]) != "query":
            await self.view(scope, replay, send)
            return
        query, variables, operation_name = request
        key = graphql_key(query, variables, operation_name, scope.get("state", {}).get(STATE_KEY))
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
        if cached is not None:
            await _send(send, 200, [(b"content-type", b"application/json")], cached, etag)
            return
        status, response_headers, answer = await _captured(self.view, scope, replay)
        clean = status == 200 and b'"errors":' not in answer
        if clean:
            self.cache.put(key, version, answer)
        kept = [(k, v) for k, v in response_headers if k.lower() not in (b"content-length", b"etag")]
        await _send(send, status, kept, answer, etag if clean else None)


def _from_params(params: QueryParams) -> tuple[str, Any, str | None] | None:
    query = params.get("query")
    if not query or len(query) > MAX_CACHED_QUERY_CHARS:
        return None
    try:
        variables = json.loads(params["variables"]) if params.get("variables") else None
    except ValueError:
        return None
    return query, variables, params.get("operationName") or None


def _from_body(body: bytes) -> tuple[str, Any, str | None] | None:
    try:
        payload = json.loads(body)
    except ValueError:
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("query"), str):
        return None
    operation_name = payload.get("operationName")
    if len(payload["query"]) > MAX_CACHED_QUERY_CHARS or not isinstance(operation_name, (str, type(None))):
        return None
    return payload["query"], payload.get("variables"), operation_name or None


async def _read_body(receive: Receive) -> bytes:
    """The whole body (hub.api.limits.BodySizeLimit, outside this, has bounded it)."""
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


async def _captured(app: ASGIApp, scope: Scope, receive: Receive) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    """Run ``app`` and keep its whole response (GraphQL answers are never streamed here)."""
    start: dict[str, Any] = {}
    chunks: list[bytes] = []

    async def keep(message: Message) -> None:
        if message["type"] == "http.response.start":
            start.update(message)
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, keep)
    return int(start.get("status", 500)), list(start.get("headers", [])), b"".join(chunks)


async def _send(send: Send, status: int, headers: list[tuple[bytes, bytes]], body: bytes, etag: str | None) -> None:
    extra = [(b"cache-control", b"no-cache"), (b"vary", b"Authorization")]
    if etag is not None:
        extra.append((b"etag", etag.encode("ascii")))
    await send({"type": "http.response.start", "status": status,
                "headers": [*headers, *extra, (b"content-length", str(len(body)).encode("ascii"))]})
    await send({"type": "http.response.body", "body": body})
