"""Per-request context: the engine, the caller, the request, and fresh DataLoaders.

Imports run one way: context → loaders → nodes → types. The types name ``Context`` only for
type checkers (``strawberry.Info["Context", None]``), never at run time.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Optional, TypeVar

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from hub.api.db import run_db
from hub.api.loaders import Loaders
from hub.access.keys import Principal

T = TypeVar("T")


@dataclass
class Context:
    """What every resolver gets as ``info.context``; loaders are per request, never shared."""

    engine: Engine
    request: Any = None
    response: Any = None
    principal: Optional[Principal] = None  # None: anonymous researcher (see hub.api.access)
    jobs: Any = None                       # hub.push.jobs.PushJobs of the app, for pushProductsAsync
    deadline: Optional[float] = None       # time.monotonic() a query must answer by (hub.api.budget)
    loaders: Loaders = field(init=False)

    def __post_init__(self) -> None:
        self.loaders = Loaders(self.engine, self.principal)

    async def db(self, work: Callable[[Session], T]) -> T:
        """Run ``work(session)`` in a worker thread with its own session."""
        return await run_db(self.engine, work)
