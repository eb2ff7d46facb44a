"""The figures of a page, fetched through the API's own queries as the request's caller.

Nothing here reads the store: every number comes from hub.api.run_query.execute_query, so the
dashboard counts exactly what ``/graphql`` answers that caller (and goes through whatever cache
sits under it). A page's documents run concurrently.
"""
from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Optional

from sqlalchemy.engine import Engine

from hub.api.run_query import execute_query
from hub.access.keys import Principal
from hub.store.certificates import years_ending_between
from hub.dashboard import queries
from hub.dashboard.day import Day
from hub.dashboard.queries import Figure

EXPIRY_WINDOW_DAYS = 180
EXPIRY_FILTER_FIELDS = ("expiryFrom", "expiryTo")


class QueryFailed(RuntimeError):
    """The API answered a figure's query with errors: the page says so rather than show a wrong 0."""

    def __init__(self, figure: Figure, errors: list[dict[str, Any]]) -> None:
        self.figure = figure
        self.errors = errors
        super().__init__("; ".join(str(e.get("message")) for e in errors))


async def run(engine: Engine, principal: Optional[Principal], figure: Figure) -> dict[str, Any]:
    """The ``data`` of ``figure``'s answer; QueryFailed when the API reports errors."""
    answer = await execute_query(engine, principal, figure.query, figure.variables or None)
    if answer.get("errors"):
        raise QueryFailed(figure, answer["errors"])
    return answer["data"]


@dataclass
class Counted:
    """One figure's buckets as (key value, count), and the figure that produced them."""

    figure: Figure
    rows: list[tuple[Any, int]]

    @property
    def total(self) -> int:
        return sum(count for _, count in self.rows)


def stats_figure(dimension: str, code: Optional[str], day: Day) -> Figure:
    return Figure(queries.stats_document(dimension), {"filter": queries.province_filter(code), **day.variables()})


async def stats(engine: Engine, principal: Optional[Principal], dimension: str, code: Optional[str],
                day: Day) -> Counted:
    """Counts by one dimension at ``day``; a bucket's key is the dimension's value (a province: {code, name})."""
    figure = stats_figure(dimension, code, day)
    field = queries.STATS_FIELDS[dimension].split(" ")[0]
    data = await run(engine, principal, figure)
    return Counted(figure, [(b["key"][field], b["count"]) for b in data["stats"]])


def totals_figure(code: Optional[str], day: Day) -> Figure:
    products = queries.province_filter(code)
    return Figure(queries.TOTALS, {"filter": products, "producers": {"hasProduct": products}, **day.variables()})


async def totals(engine: Engine, principal: Optional[Principal], code: Optional[str],
                 day: Day) -> tuple[Figure, dict[str, int]]:
    """Products and producers (with at least one of those products) for the country or a province at ``day``."""
    figure = totals_figure(code, day)
    data = await run(engine, principal, figure)
    return figure, {"products": data["products"]["totalCount"], "producers": data["producers"]["totalCount"]}


_expiry_filter: Optional[bool] = None


async def has_expiry_filter(engine: Engine) -> bool:
    """Does ProductFilter take expiryFrom/expiryTo yet? Asked once per process, by introspection."""
    global _expiry_filter
    if _expiry_filter is None:
        data = await run(engine, None, Figure(queries.EXPIRY_FILTER_PROBE))
        names = {f["name"] for f in (data.get("__type") or {}).get("inputFields") or []}
        _expiry_filter = all(n in names for n in EXPIRY_FILTER_FIELDS)
    return _expiry_filter


def expiry_window(today: date) -> tuple[date, date]:
    """Certificates ending from today to 180 days on, inclusive."""
    return today, today + timedelta(days=EXPIRY_WINDOW_DAYS)


@dataclass
class Expiring:
    """Certificates expiring in the window: counts per province code, and the products themselves
    when they were listed (a province's; the country's only without the expiry filter)."""

    figure: Figure
    window: tuple[date, date]
    by_province: dict[str, int]
    names: dict[str, str]
    products: list[dict[str, Any]]


async def expiring(engine: Engine, principal: Optional[Principal], code: Optional[str], day: Day) -> Expiring:
    """Per province, the certificates whose expiryDate falls in the window from ``day`` on (their
    stars and expiry as they were that day). With the expiry filter,
    one stats query for the country, and a province's products in the window listed; without it,
    the products certified in the years whose certificates can end in the window (a certificate's
    year is its decision date's), read by pages and kept by their expiryDate."""
    start, end = expiry_window(day.on)
    base = queries.province_filter(code)
    by_expiry = await has_expiry_filter(engine)
    if by_expiry and code is None:
        figure = Figure(queries.EXPIRING_STATS,
                        {"filter": {**base, "expiryFrom": start.isoformat(), "expiryTo": end.isoformat()},
                         **day.variables()})
        answer = await run(engine, principal, figure)
        rows = [(b["key"]["province"], b["count"]) for b in answer["stats"]]
        return Expiring(figure, (start, end), {p["code"]: n for p, n in rows}, {p["code"]: p["name"] for p, _ in rows}, [])
    window = ({"expiryFrom": start.isoformat(), "expiryTo": end.isoformat()} if by_expiry
              else dict(zip(("certifiedYearFrom", "certifiedYearTo"), years_ending_between(start, end))))
    variables: dict[str, Any] = {"filter": {**base, **window}, **day.variables()}
    figure = Figure(queries.EXPIRING_SCAN, dict(variables))
    found: list[dict[str, Any]] = []
    after: Optional[str] = None
    while True:
        page = (await run(engine, principal, Figure(queries.EXPIRING_SCAN, {**variables, "after": after})))["products"]
        found += [e["node"] for e in page["edges"]
                  if e["node"]["expiryDate"] and start.isoformat() <= e["node"]["expiryDate"] <= end.isoformat()]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    by_province: dict[str, int] = {}
    names: dict[str, str] = {}
    for p in found:
        by_province[p["province"]["code"]] = by_province.get(p["province"]["code"], 0) + 1
        names[p["province"]["code"]] = p["province"]["name"]
    found.sort(key=lambda p: (p["expiryDate"], p["name"]))
    return Expiring(figure, (start, end), by_province, names, found)


async def nothing() -> None:
    """A figure a page does not draw this time (its place in a gather)."""
    return None


async def gather(*work: Any) -> list[Any]:
    """Run a page's figures concurrently; the first failure is raised (the others are awaited)."""
    return list(await asyncio.gather(*work))
