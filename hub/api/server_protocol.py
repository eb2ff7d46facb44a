"""uvicorn's HTTP protocol with a deadline for the request line and headers.

uvicorn closes a keep-alive connection that stays idle, but a connection that sends its headers
a byte at a time (or opens and sends nothing) is kept open for as long as the client likes: a few
hundred of them hold every connection slot (slow-loris). Here, from the moment a connection opens,
and again after each response, the next request's headers must be complete within
``HUB_HEADER_TIMEOUT_S`` (hub.settings); otherwise the server answers 408 and closes it. The
body's deadline is hub.api.request_body's. ``ocop-hub serve`` passes ``DeadlineProtocol`` to
uvicorn as its ``http`` protocol.
"""
from __future__ import annotations

import asyncio
import json
from functools import lru_cache
from typing import Any

from hub.settings import load_settings

try:  # the implementation uvicorn's "auto" would choose
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol as _Base
except ImportError:  # pragma: no cover - httptools not installed
    from uvicorn.protocols.http.h11_impl import H11Protocol as _Base  # type: ignore[assignment]


EARLY_S = 0.01
"""A timer may fire a little before its time (the loop's clock resolution): within this, it is due."""


@lru_cache(maxsize=1)
def header_timeout_s() -> float:
    """Read once per server process (a protocol object is made per connection)."""
    return load_settings().header_timeout_s


def _timeout_response(seconds: float) -> bytes:
    body = json.dumps({"error": f"Request headers too slow: they must arrive within {seconds:g} s.",
                       "code": "HEADERS_TIMEOUT"}).encode()
    return (b"HTTP/1.1 408 Request Timeout\r\ncontent-type: application/json\r\nconnection: close\r\n"
            b"content-length: " + str(len(body)).encode() + b"\r\n\r\n" + body)


class DeadlineProtocol(_Base):  # type: ignore[misc, valid-type]
    """See the module docstring. One timer per connection, moved lazily: a response only sets the
    next deadline (``_header_due``); the timer, when it fires early, waits the rest. (A timer made
    and cancelled per response cost a heap push and an object per request, on the cached path.)"""

    _header_timer: asyncio.TimerHandle | None = None
    _header_due: float = 0.0

    def connection_made(self, transport: Any) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm_header_deadline()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._arm_header_deadline()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm_header_deadline()
        super().connection_lost(exc)

    def _arm_header_deadline(self) -> None:
        self._header_due = self.loop.time() + header_timeout_s()
        if self._header_timer is None and not self.transport.is_closing():
            self._header_timer = self.loop.call_at(self._header_due, self._header_deadline_passed)

    def _disarm_header_deadline(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _header_deadline_passed(self) -> None:
        self._header_timer = None
        if self.transport.is_closing():
            return
        cycle = self.cycle
        if cycle is not None and not cycle.response_complete:
            return  # the headers of the request being served arrived in time; its response re-arms
        if self.loop.time() < self._header_due - EARLY_S:  # a response since set a later deadline
            self._header_timer = self.loop.call_at(self._header_due, self._header_deadline_passed)
            return
        self.transport.write(_timeout_response(header_timeout_s()))
        self.transport.close()
