"""Request bodies read whole, within a size and a time, before the app runs.

A body over the caller's limit is refused with 413 (declared or streamed); one that does not
arrive in time (a slow-loris holding the connection with a trickle, or a stalled upload) with 408;
either way the app never sees the request. A body that arrives whole in its first message (a
query's JSON) is passed on as it came; a longer one is kept in a spooled temporary file (in memory
up to ``SPOOL_BYTES``, on disk beyond), not in a bytes object, and replayed to the app in chunks. The deadline for the request line and headers is the server's (hub.api.server_protocol).
"""
from __future__ import annotations

import asyncio
import json
import tempfile
from collections.abc import Coroutine
from typing import IO, Any, Awaitable, Callable, Generator

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hub.api.limits import MAX_BODY_BYTES, MAX_PUSH_BODY_BYTES, PUSH_PATHS

SPOOL_BYTES = 1024 * 1024
"""Bodies up to this stay in memory; larger ones go to a temporary file."""
REPLAY_CHUNK = 256 * 1024
BODY_TIMEOUT_S = 120.0
BODY_IDLE_TIMEOUT_S = 15.0


class BodyRefused(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


class BoundedBody:
    """ASGI middleware (see module docstring). ``max_bytes`` limits every body except an API-key
    holder's on ``push_paths`` (hub.api.access put the principal in scope state; Authenticate runs
    first), which gets ``push_bytes``. The whole body must arrive within ``deadline_s``, with no
    pause between two chunks longer than ``idle_s``."""

    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES, push_bytes: int = MAX_PUSH_BODY_BYTES,
                 push_paths: tuple[str, ...] = PUSH_PATHS, deadline_s: float = BODY_TIMEOUT_S,
                 idle_s: float = BODY_IDLE_TIMEOUT_S, spool_bytes: int = SPOOL_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.push_bytes = max(push_bytes, max_bytes)
        self.push_paths = push_paths
        self.deadline_s, self.idle_s = deadline_s, idle_s
        self.spool_bytes = spool_bytes

    def limit_for(self, scope: Scope) -> int:
        keyed = scope.get("state", {}).get("principal") is not None
        return self.push_bytes if keyed and scope.get("path") in self.push_paths else self.max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        declared = headers.get(b"content-length")
        if b"transfer-encoding" not in headers and declared in (None, b"0"):
            await self.app(scope, receive, send)  # no body (most GETs): nothing to wait for
            return
        limit = self.limit_for(scope)
        end: float | None = None  # the deadline, set when the body first has to be waited for
        try:
            if declared is not None and declared.isdigit() and int(declared[:20]) > limit:
                raise BodyRefused(413, "BODY_TOO_LARGE", self._too_large(limit))
            ready, first = _without_waiting(receive())
            if not ready:
                end, rest = _now() + self.deadline_s, first
                first = await self._receive(lambda: rest, end, 0)
            body = first.get("body", b"")
            if len(body) > limit:
                raise BodyRefused(413, "BODY_TOO_LARGE", self._too_large(limit))
        except BodyRefused as refusal:
            await _refuse(send, refusal)
            return
        if first["type"] == "http.disconnect":
            return  # the client went away
        if not first.get("more_body", False):  # the whole body in one message (a query's JSON): as it came
            await self.app(scope, _replay_whole(first, receive), send)
            return
        end = _now() + self.deadline_s if end is None else end
        with tempfile.SpooledTemporaryFile(max_size=self.spool_bytes) as spool:
            spool.write(body)
            try:
                size = await self._read(receive, spool, limit, end, len(body))
            except BodyRefused as refusal:
                await _refuse(send, refusal)
                return
            if size is None:
                return  # the client went away
            spool.seek(0)
            await self.app(scope, _replay(spool, size, receive), send)

    async def _receive(self, receive: Callable[[], Awaitable[Message]], end: float, received: int) -> Message:
        """The next message, or 408 when the deadline or the idle limit passes first."""
        wait = min(self.idle_s, end - _now())
        try:
            if wait <= 0:
                raise TimeoutError
            async with asyncio.timeout(wait):
                return await receive()
        except TimeoutError:
            raise BodyRefused(408, "BODY_TIMEOUT", self._too_slow(received)) from None

    async def _read(self, receive: Receive, spool: IO[bytes], limit: int, end: float, size: int) -> int | None:
        """Copy the rest of the body into ``spool`` (``size`` bytes there already); its size, or
        None when the client disconnected."""
        while True:
            message = await self._receive(receive, end, size)
            if message["type"] == "http.disconnect":
                return None
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                raise BodyRefused(413, "BODY_TOO_LARGE", self._too_large(limit))
            spool.write(chunk)
            if not message.get("more_body", False):
                return size

    def _too_large(self, limit: int) -> str:
        hint = "" if limit == self.push_bytes else (
            f" API keys may send up to {self.push_bytes} bytes to {' and '.join(self.push_paths)}.")
        return f"Request body too large: the limit is {limit} bytes.{hint}"

    def _too_slow(self, received: int) -> str:
        return (f"Request body too slow: {received} bytes arrived; the whole body must arrive within "
                f"{self.deadline_s:g} s, with no pause longer than {self.idle_s:g} s.")


def _now() -> float:
    return asyncio.get_running_loop().time()


def _without_waiting(step: Awaitable[Message]) -> tuple[bool, Any]:
    """Run ``step`` (a call of receive) until it first waits: (True, its message) when it never
    did (the body had arrived whole: no timer is set, nothing is scheduled), else (False, the rest
    of it to await, under a timeout). Why: a timer per request (asyncio.timeout, the running loop
    looked up five times, each a getpid() on Python 3.11) cost more than the cached answer's lookup.
    An awaitable that is not a coroutine is awaited as it is."""
    if not isinstance(step, Coroutine):
        return False, step
    try:
        waits_on = step.send(None)
    except StopIteration as done:
        return True, done.value
    return False, _Resumed(step, waits_on)


class _Resumed:
    """The rest of a coroutine already run to its first wait (``waits_on``, what it yielded to the
    task): awaited, the task carries on with it exactly as if it had awaited the coroutine itself
    (results, exceptions and cancellation pass through)."""

    def __init__(self, step: Coroutine[Any, Any, Message], waits_on: Any) -> None:
        self.step, self.waits_on = step, waits_on

    def __await__(self) -> Generator[Any, Any, Message]:
        step, yielded = self.step, self.waits_on
        while True:
            try:
                sent = yield yielded
            except GeneratorExit:
                step.close()
                raise
            except BaseException as exc:  # a cancellation (the timeout's), thrown into the step
                try:
                    yielded = step.throw(exc)
                except StopIteration as done:
                    return done.value
            else:
                try:
                    yielded = step.send(sent)
                except StopIteration as done:
                    return done.value


def _replay_whole(message: Message, receive: Receive) -> Receive:
    """A body that came in one message: that message, then the real ``receive``."""
    pending: list[Message] = [message]

    async def replayed() -> Message:
        return pending.pop() if pending else await receive()

    return replayed


def _replay(spool: IO[bytes], size: int, receive: Receive) -> Receive:
    """The spooled body (``size`` bytes) as ``http.request`` messages, then the real ``receive``
    (the app hears of a disconnect)."""
    sent = 0
    done = False

    async def replayed() -> Message:
        nonlocal sent, done
        if done:
            return await receive()
        chunk = spool.read(REPLAY_CHUNK)
        sent += len(chunk)
        done = sent >= size
        return {"type": "http.request", "body": chunk, "more_body": not done}

    return replayed


async def _refuse(send: Send, refusal: BodyRefused) -> None:
    payload = json.dumps({"error": refusal.message, "code": refusal.code}).encode()
    await send({"type": "http.response.start", "status": refusal.status,
                "headers": [(b"content-type", b"application/json"), (b"connection", b"close"),
                            (b"content-length", str(len(payload)).encode())]})
    await send({"type": "http.response.body", "body": payload})
