"""hub.api.request_body.BoundedBody on its own: a large body is spooled to disk, not held in
memory, and replayed to the app byte for byte; limits and deadlines refuse before the app runs.
(The deadlines against a real server and raw sockets: tests/reliability/test_slow_clients.py.)"""
from __future__ import annotations

import asyncio
import hashlib
import json
import os
import tracemalloc
from typing import Any

from hub.api.request_body import SPOOL_BYTES, BoundedBody

CHUNK = 64 * 1024


def _scope(size: int | None, keyed: bool = True) -> dict[str, Any]:
    headers = [(b"content-type", b"application/octet-stream")]
    headers.append((b"content-length", str(size).encode()) if size is not None else (b"transfer-encoding", b"chunked"))
    return {"type": "http", "path": "/push/file", "headers": headers,
            "state": {"principal": object() if keyed else None}}


def _run(limits: dict[str, Any], scope: dict[str, Any], chunks: list[bytes], pause_s: float = 0.0
         ) -> tuple[list[dict[str, Any]], list[int]]:
    """Feed ``chunks`` through the middleware; the app hashes what it receives. Returns what was
    sent back and, from the app, [bytes received, tracemalloc peak when the app started]."""
    sent: list[dict[str, Any]] = []
    seen: list[int] = []

    async def receive() -> dict[str, Any]:
        if pause_s:
            await asyncio.sleep(pause_s)
        chunk = chunks.pop(0)
        return {"type": "http.request", "body": chunk, "more_body": bool(chunks)}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        seen.append(tracemalloc.get_traced_memory()[1])
        digest, size, more = hashlib.sha256(), 0, True
        while more:
            message = await receive()
            digest.update(message["body"])
            size += len(message["body"])
            more = message["more_body"]
        seen.append(size)
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": digest.hexdigest().encode()})

    asyncio.run(BoundedBody(app, **limits)(scope, receive, send))
    return sent, seen


def test_a_large_body_is_spooled_to_disk_and_replayed_whole() -> None:
    body = os.urandom(24 * 1024 * 1024)
    chunks = [body[i:i + CHUNK] for i in range(0, len(body), CHUNK)]
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        sent, (peak, size) = _run({"push_bytes": 64 * 1024 * 1024}, _scope(len(body)), chunks)
    finally:
        tracemalloc.stop()
    assert sent[0]["status"] == 200 and size == len(body)
    assert sent[1]["body"] == hashlib.sha256(body).hexdigest().encode()
    # reading 24 MiB held at most the spool's memory part and a chunk or two, not the body
    assert peak < SPOOL_BYTES + 4 * CHUNK, peak
    print(f"24 MiB body read with a Python heap peak of {peak / 1024:.0f} KiB")


def test_a_small_body_is_replayed_from_memory() -> None:
    sent, (_, size) = _run({}, _scope(None), [b'{"query": ', b'"{ a }"}'])
    assert sent[0]["status"] == 200 and size == len(b'{"query": "{ a }"}')


def test_over_the_limit_streamed_is_413_before_the_app() -> None:
    sent, seen = _run({"max_bytes": 100, "push_bytes": 100}, _scope(None), [b"x" * 60] * 3)
    assert sent[0]["status"] == 413 and not seen
    assert json.loads(sent[1]["body"])["code"] == "BODY_TOO_LARGE"


def test_a_pause_over_the_idle_timeout_is_408_before_the_app() -> None:
    sent, seen = _run({"idle_s": 0.05}, _scope(20), [b"x" * 10, b"y" * 10], pause_s=0.2)
    assert sent[0]["status"] == 408 and not seen
    assert (b"connection", b"close") in sent[0]["headers"]
    assert json.loads(sent[1]["body"])["code"] == "BODY_TIMEOUT"


def test_a_body_that_must_be_waited_for_arrives_whole_within_the_limits() -> None:
    sent, (_, size) = _run({"idle_s": 5}, _scope(18), [b'{"query": "{ a }"}'], pause_s=0.05)
    assert sent[0]["status"] == 200 and size == 18


def test_a_body_already_there_is_taken_without_a_timer() -> None:
    timers: list[int] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b'{"query": "{ a }"}', "more_body": False}

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        timers.append(len(asyncio.get_running_loop()._scheduled))  # type: ignore[attr-defined]
        assert (await receive())["body"] == b'{"query": "{ a }"}'

    async def send(message: dict[str, Any]) -> None:
        pass

    asyncio.run(BoundedBody(app)(_scope(18, keyed=False), receive, send))
    assert timers == [0]


def test_a_wait_for_the_body_is_cancelled_as_the_request_is() -> None:
    async def receive() -> dict[str, Any]:
        await asyncio.Event().wait()  # a client that sends nothing
        raise AssertionError("unreachable")

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        raise AssertionError("the app ran")

    async def main() -> None:
        async def send(message: dict[str, Any]) -> None:
            raise AssertionError(f"sent {message}")

        task = asyncio.ensure_future(BoundedBody(app)(_scope(18, keyed=False), receive, send))
        await asyncio.sleep(0.05)
        task.cancel()
        try:
            await task
        except asyncio.CancelledError:
            return
        raise AssertionError("not cancelled")

    asyncio.run(main())
