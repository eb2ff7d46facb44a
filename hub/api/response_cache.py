"""Answers kept by data version: never stale, because the version is part of every key.

A key is the query document, its variables and operation name, and who asks (anonymous, or the
API key: what a caller may see depends on it); the version is the store's data version
(hub/store/data_version.py, bumped by every committed write, in any process) and today's date (statuses
change at midnight). An entry of an older version is never served; it ages out of the LRU.
Bounded by bytes; hits, misses and evictions are counted for /healthz and the log.
"""
from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import os
import threading
import time
import weakref
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date
from typing import Any

from hub.access.keys import Principal
from hub.store.data_version import AsyncVersionReader, VersionReader
from hub.store.certificates import current_date

log = logging.getLogger("hub.api.cache")
DEFAULT_CACHE_MB = 64.0
LOG_EVERY_S = 60.0


def cache_bytes_from_env() -> int:
    """``HUB_RESPONSE_CACHE_MB`` (default 64; 0 turns the cache off, ETags stay)."""
    return int(float(os.environ.get("HUB_RESPONSE_CACHE_MB", DEFAULT_CACHE_MB)) * 1024 * 1024)


def caller_scope(principal: Principal | None) -> str:
    return "anonymous" if principal is None else f"key:{principal.key_id}"


def request_key(*parts: Any) -> str:
    """A digest of what identifies an answer (query, variables, caller...)."""
    blob = json.dumps(parts, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def etag_for(version: str, key: str) -> str:
    return f'W/"{version}-{key[:24]}"'


def etag_matches(header: str | None, etag: str) -> bool:
    """``If-None-Match`` names this ETag (or ``*``); weak comparison, as RFC 9110 asks for GET."""
    if not header:
        return False
    tags = {t.strip().removeprefix("W/") for t in header.split(",")}
    return "*" in tags or etag.removeprefix("W/") in tags


@dataclass
class Stats:
    hits: int = 0
    misses: int = 0
    stored: int = 0
    evicted: int = 0


class ResponseCache:
    """LRU of response bodies by (key, version), at most ``max_bytes`` of bodies."""

    def __init__(self, engine: Any, max_bytes: int | None = None) -> None:
        self.max_bytes = cache_bytes_from_env() if max_bytes is None else max_bytes
        self.versions: VersionReader | AsyncVersionReader = \
            VersionReader(engine) if engine.dialect.name == "sqlite" else AsyncVersionReader(engine)
        self._next: asyncio.Future[int] | None = None   # the read the next arrivals share
        self._reading: asyncio.Task[None] | None = None  # the read under way
        self._entries: OrderedDict[str, bytes] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.stats = Stats()
        self._logged = time.monotonic()
        self._named: tuple[tuple[int, date] | None, str] = (None, "")  # the last (version, day) and its name

    @property
    def enabled(self) -> bool:
        return self.max_bytes > 0

    async def version(self) -> str:
        """The data version and the date, read now: what any answer computed after this reflects.
        On SQLite the read is a local primary-key lookup of some microseconds, cheaper than a hop
        to a worker thread, and WAL readers never wait for a writer: it runs on the event loop.
        On PostgreSQL the round trip runs on the loop too, without blocking it (an asynchronous
        connection: hub.store.data_version.AsyncVersionReader), shared by the requests that wait."""
        if isinstance(self.versions, VersionReader):
            number = self.versions.read()
        else:
            number = await self._shared_read()
        day = current_date()
        if self._named[0] != (number, day):  # formatted once per version and day, not per request
            self._named = ((number, day), f"{number}.{day:%Y%m%d}")
        return self._named[1]

    async def _shared_read(self) -> int:
        """One read at a time, shared: a request waits for the next read that *starts* after it
        arrived (that read sees every commit made before), so sharing is exact; the requests that
        arrive while a read is under way all share the one that follows it. Under load a round
        trip serves a whole batch, and reads never queue behind each other."""
        waiting = self._next
        if waiting is None:
            waiting = self._next = asyncio.get_running_loop().create_future()
            if self._reading is None:
                self._start_read()
        return await asyncio.shield(waiting)

    def _start_read(self) -> None:
        pending, self._next = self._next, None
        assert pending is not None

        async def read() -> None:
            try:
                assert isinstance(self.versions, AsyncVersionReader)
                pending.set_result(await self.versions.read())
            except Exception as exc:  # every waiter gets the failure (and answers uncached)
                pending.set_exception(exc)
            finally:
                self._reading = None
                if self._next is not None:  # arrived while this read was under way
                    self._start_read()

        self._reading = asyncio.get_running_loop().create_task(read())  # held: a task nobody holds may vanish

    def get(self, key: str, version: str) -> bytes | None:
        if not self.enabled:
            return None
        with self._lock:
            body = self._entries.get(f"{version}:{key}")
            if body is None:
                self.stats.misses += 1
            else:
                self.stats.hits += 1
                self._entries.move_to_end(f"{version}:{key}")
        self._maybe_log()
        return body

    def put(self, key: str, version: str, body: bytes) -> None:
        if not self.enabled or len(body) > self.max_bytes // 8:  # one answer may not flush the rest
            return
        with self._lock:
            full = f"{version}:{key}"
            old = self._entries.pop(full, None)
            self._bytes -= len(old) if old is not None else 0
            self._entries[full] = body
            self._bytes += len(body)
            self.stats.stored += 1
            while self._bytes > self.max_bytes:
                _, dropped = self._entries.popitem(last=False)
                self._bytes -= len(dropped)
                self.stats.evicted += 1

    def snapshot(self) -> dict[str, Any]:
        """For /healthz: size, counts and hit rate since start."""
        with self._lock:
            asked = self.stats.hits + self.stats.misses
            return {"enabled": self.enabled, "entries": len(self._entries), "bytes": self._bytes,
                    "max_bytes": self.max_bytes, "hits": self.stats.hits, "misses": self.stats.misses,
                    "evicted": self.stats.evicted, "hit_rate": round(self.stats.hits / asked, 4) if asked else None}

    def _maybe_log(self) -> None:
        now = time.monotonic()
        if now - self._logged >= LOG_EVERY_S:
            self._logged = now
            log.info("response cache: %s", self.snapshot())

    def close(self) -> None:
        self.versions.close()


_caches: "weakref.WeakKeyDictionary[Any, ResponseCache]" = weakref.WeakKeyDictionary()
_caches_lock = threading.Lock()


def cache_for(engine: Any) -> ResponseCache:
    """The process's cache over ``engine``: the API's routes and hub.api.run_query share it."""
    with _caches_lock:
        cache = _caches.get(engine)
        if cache is None:
            cache = _caches[engine] = ResponseCache(engine)
        return cache
