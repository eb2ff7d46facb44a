"""Per-caller request rate limit: a token bucket per API key (or per client IP for anonymous
callers), as pure ASGI middleware. Over the limit: 429 with ``Retry-After`` and a JSON body
``{"error": ..., "code": "RATE_LIMITED"}``; nothing of the request reaches the app.

Place it after ``hub.api.access.Authenticate`` (so ``scope["state"]["principal"]`` names the key)
and before the body limit, so a flood is refused before its body is read.
Buckets are per process; with several workers each enforces its own share.
"""
from __future__ import annotations

import json
import math
import threading
import time
from collections import OrderedDict
from typing import Any, Callable

from starlette.types import ASGIApp, Receive, Scope, Send

ANONYMOUS_RATE = 10.0
"""Requests per second an anonymous client (one IP) may sustain."""
ANONYMOUS_BURST = 40
KEY_RATE = 50.0
"""Requests per second one API key may sustain (provincial systems pushing in bulk)."""
KEY_BURST = 200
MAX_BUCKETS = 100_000
"""Buckets kept (least recently used dropped first): a spoofing crowd cannot exhaust memory."""
EXEMPT_PATHS = ("/healthz",)


class TokenBucket:
    """``capacity`` tokens, refilled at ``rate`` per second; each request takes one."""

    __slots__ = ("rate", "capacity", "tokens", "stamp")

    def __init__(self, rate: float, capacity: float, now: float) -> None:
        self.rate, self.capacity, self.tokens, self.stamp = rate, capacity, float(capacity), now

    def take(self, now: float) -> float:
        """0.0 when a token was taken; else the seconds until one is available."""
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return 0.0
        return (1.0 - self.tokens) / self.rate


def caller_key(scope: Scope) -> tuple[str, bool]:
    """("key:<id>", True) for an authenticated caller, ("ip:<address>", False) otherwise."""
    principal = scope.get("state", {}).get("principal")
    key_id = getattr(principal, "key_id", None)
    if key_id is not None:
        return f"key:{key_id}", True
    client = scope.get("client")
    return f"ip:{client[0] if client else 'unknown'}", False


class RateLimit:
    """ASGI middleware: one token bucket per caller (see module docstring)."""

    def __init__(self, app: ASGIApp, *, anonymous_rate: float = ANONYMOUS_RATE,
                 anonymous_burst: int = ANONYMOUS_BURST, key_rate: float = KEY_RATE, key_burst: int = KEY_BURST,
                 exempt_paths: tuple[str, ...] = EXEMPT_PATHS, max_buckets: int = MAX_BUCKETS,
                 clock: Callable[[], float] = time.monotonic,
                 identify: Callable[[Scope], tuple[str, bool]] = caller_key) -> None:
        if anonymous_rate <= 0 or key_rate <= 0 or anonymous_burst < 1 or key_burst < 1:
            raise ValueError("rates must be > 0 and bursts >= 1")
        self.app = app
        self.anonymous = (anonymous_rate, anonymous_burst)
        self.keyed = (key_rate, key_burst)
        self.exempt_paths = exempt_paths
        self.max_buckets = max_buckets
        self.clock = clock
        self.identify = identify
        self._buckets: OrderedDict[str, TokenBucket] = OrderedDict()
        self._lock = threading.Lock()

    def wait_for(self, scope: Scope) -> tuple[float, str, tuple[float, int]]:
        """(seconds to wait, caller, (rate, burst)); 0.0 means the request may pass."""
        caller, keyed = self.identify(scope)
        rate, burst = self.keyed if keyed else self.anonymous
        now = self.clock()
        with self._lock:
            bucket = self._buckets.get(caller)
            if bucket is None:
                bucket = self._buckets[caller] = TokenBucket(rate, burst, now)
                while len(self._buckets) > self.max_buckets:
                    self._buckets.popitem(last=False)
            else:
                self._buckets.move_to_end(caller)
            return bucket.take(now), caller, (rate, burst)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path") in self.exempt_paths:
            await self.app(scope, receive, send)
            return
        wait, caller, (rate, burst) = self.wait_for(scope)
        if wait <= 0:
            await self.app(scope, receive, send)
            return
        retry_after = max(1, math.ceil(wait))
        who = "this API key" if caller.startswith("key:") else "anonymous callers from one address"
        payload: dict[str, Any] = {
            "error": f"Too many requests: {who} may send {rate:g} requests per second "
                     f"(bursts of {burst}). Retry after {retry_after} s.",
            "code": "RATE_LIMITED",
        }
        body = json.dumps(payload).encode()
        await send({"type": "http.response.start", "status": 429,
                    "headers": [(b"content-type", b"application/json"),
                                (b"retry-after", str(retry_after).encode()),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})
