"""Store work off the event loop: one short session per unit of work, in a worker thread."""
from __future__ import annotations

from typing import Callable, TypeVar

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

V = TypeVar("V")


async def run_db(engine: Engine, work: Callable[[Session], V]) -> V:
    """Run blocking store work off the event loop, in its own short session.

    One session per unit of work (not per request): DataLoaders of one request dispatch
    concurrently, and a Session must never be shared between threads.
    """
    def in_session() -> V:
        with Session(engine) as session:
            return work(session)

    return await run_in_threadpool(in_session)
