"""ETag and 304 for GET downloads (the exports): an unchanged store answers without a byte of data.

The ETag is the data version (hub/store/data_version.py), the date, the path with its query string and
the caller; a GET whose ``If-None-Match`` names it gets 304 before the export runs. Other
responses pass through with the ETag added when they succeed.
"""
from __future__ import annotations

import logging

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hub.api.access import STATE_KEY
from hub.api.response_cache import ResponseCache, caller_scope, etag_for, etag_matches, request_key

log = logging.getLogger("hub.api.cache")


class ConditionalGet:
    """ASGI middleware for GET requests under ``prefixes``."""

    def __init__(self, app: ASGIApp, cache: ResponseCache, prefixes: tuple[str, ...] = ("/export/",),
                 exempt: tuple[str, ...] = ("/export/releases/",)) -> None:
        self.app = app
        self.cache = cache
        self.prefixes = prefixes
        self.exempt = exempt  # a release's files never change: their ETag is their SHA-256 (hub/api/releases_api.py)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or not scope["path"].startswith(self.prefixes) \
                or scope["path"].startswith(self.exempt):
            await self.app(scope, receive, send)
            return
        try:
            version = await self.cache.version()
        except Exception:
            log.warning("data version unreadable; download without an ETag", exc_info=True)
            await self.app(scope, receive, send)
            return
        principal = scope.get("state", {}).get(STATE_KEY)
        key = request_key("get", scope["path"], scope.get("query_string", b"").decode("latin-1"), caller_scope(principal))
        etag = etag_for(version, key)
        if etag_matches(Headers(scope=scope).get("if-none-match"), etag):
            await send({"type": "http.response.start", "status": 304,
                        "headers": [(b"etag", etag.encode("ascii")), (b"cache-control", b"no-cache"),
                                    (b"vary", b"Authorization")]})
            await send({"type": "http.response.body", "body": b""})
            return

        async def tagged(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 200:
                message = {**message, "headers": [*message.get("headers", []), (b"etag", etag.encode("ascii")),
                                                  (b"cache-control", b"no-cache"), (b"vary", b"Authorization")]}
            await send(message)

        await self.app(scope, receive, tagged)
