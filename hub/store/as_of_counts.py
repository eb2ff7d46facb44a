"""Counts at any date kept beside the certificates, so a national figure "as of" a day is read
with one index seek per province instead of placing every product's certificates on that day.

For each province, ``as_of_count`` holds a row at each day any of its counts changes, with the
number of products counted per star level and status from that day on (a JSON object of the
counts not zero: ``{"3 active": 12, "4 expired": 1}``). A product counts on a day under the
certificate it held then (hub.store.as_of.certificates_on: the latest started, as the hub knows it
now) and with that certificate's status that day (as_of.status_of): so each certificate adds its
product from its first day, moves it from ACTIVE to EXPIRED the day after its last, to WITHDRAWN
when revoked or gone from its registry, and takes it away when the next certificate starts.

One row per province and day, not per province, star level, status and day: a figure reads 34
rows (one seek each) instead of 340, which on PostgreSQL cost 12 ms of executor time against
0.4 ms (docs/performance.md).

The counts are rebuilt per province in the ingest transaction, with the other kept counts
(hub/store/aggregates.py, which calls ``recount_as_of`` for the provinces it recounts), so
every writer keeps them without knowing it. They answer "as known now" only; ``knownAt`` is
answered from the certificates. ``ocop-hub db check`` compares them with the certificates.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from itertools import groupby
from operator import attrgetter
from typing import Any, Iterable

import orjson
from sqlalchemy import Connection, delete, inspect, select, text
from sqlalchemy.orm import Session

from hub.store.as_of import status_of
from hub.store.jsontext import json_column_text
from hub.store.models import AsOfCount, Certificate
from hub.store.models import Province as ProvinceRow

_C = Certificate.__table__.c
STARS = (1, 2, 3, 4, 5)


def _events(rows: list[Any], provinces: set[str]) -> Iterable[tuple[str, int, str, date, int]]:
    """(province, stars, status, day, +1/-1) of one product's certificates (in valid time, as
    certificates_on orders them): each counts from its start until the next one starts."""
    for i, row in enumerate(rows):
        end = rows[i + 1].valid_from if i + 1 < len(rows) else None
        if row.province_code not in provinces or (end is not None and end <= row.valid_from):
            continue  # another province's, or one a later row of the same day replaces at once
        key = (row.province_code, row.stars)
        status = status_of(row, row.valid_from)
        yield (*key, status, row.valid_from, 1)
        changes = {d for d in (row.ended_on, row.valid_to + timedelta(days=1) if row.valid_to else None)
                   if d is not None and d > row.valid_from and (end is None or d < end)}
        for day in sorted(changes):
            now = status_of(row, day)
            if now != status:
                yield (*key, status, day, -1)
                yield (*key, now, day, 1)
                status = now
        if end is not None:
            yield (*key, status, end, -1)


def recount_as_of(session: Session, province_codes: list[str]) -> None:
    """Rebuild these provinces' running totals from the certificates known now."""
    if not province_codes:
        return
    codes = set(province_codes)
    session.execute(delete(AsOfCount).where(AsOfCount.province_code.in_(codes)))
    products = select(_C.product_id).where(_C.province_code.in_(codes), _C.retracted_at.is_(None))
    # Every row of those products, retracted ones skipped here rather than in SQL: with
    # ``retracted_at IS NULL`` in the WHERE, SQLite seeks ix_certificate_retracted_at, which holds
    # every live certificate of the nation, and sorts them, for each province recounted.
    rows = session.execute(
        select(_C.product_id, _C.id, _C.province_code, _C.stars, _C.valid_from, _C.valid_to, _C.ended_on,
               _C.end_reason, _C.retracted_at.is_(None).label("live"))
        .where(_C.product_id.in_(products))
        .order_by(_C.product_id, _C.valid_from, _C.id))
    deltas: dict[str, dict[date, dict[str, int]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
    for _, certificates in groupby((row for row in rows if row.live), key=_product_of):
        for province, stars, status, day, change in _events(list(certificates), codes):
            deltas[province][day][f"{stars} {status}"] += change
    # SQLite is given the days as the ISO text its adapter would make of them, without the adapter's call per row.
    conn = session.connection()
    as_text = conn.dialect.name == "sqlite"
    totals: list[tuple[str, date | str, str]] = []
    for province, by_day in deltas.items():
        running: dict[str, int] = {}
        for day in sorted(by_day):
            changed = False
            for key, change in by_day[day].items():
                if change:
                    running[key] = running.get(key, 0) + change
                    changed = True
            if changed:
                counts = {key: running[key] for key in sorted(running, key=_order) if running[key]}
                totals.append((province, day.isoformat() if as_text else day, json_column_text(counts)))
    if totals:  # the driver's executemany: the ORM's and Core's per-row bookkeeping cost 5 times the insert
        mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
        conn.exec_driver_sql(f"INSERT INTO as_of_count (province_code, day, counts) VALUES ({mark}, {mark}, {mark})",
                             totals)


def replace_older_table(conn: Connection) -> bool:
    """For migrations 0010 and 0011: drop an ``as_of_count`` in the layout before 0011 (a row per
    province, star level, status and day) and create it empty in this one; True when it did (the
    caller recounts). A store gone down to 0010 or below has that layout (0011's downgrade)."""
    if "counts" in {column["name"] for column in inspect(conn).get_columns("as_of_count")}:
        return False
    conn.execute(text("DROP TABLE as_of_count"))  # and its index
    AsOfCount.__table__.create(conn)
    return True


def _order(key: str) -> tuple[int, str]:
    stars, status = key.split(" ")
    return int(stars), status


_product_of = attrgetter("product_id")


def counts_on(session: Session, on: date, statuses: list[str], provinces: list[str] | None = None,
              stars: list[int] | None = None) -> list[tuple[str, str, str, int, str, int]]:
    """(province code, name, full name, stars, status, count) on ``on`` for every combination
    with products, by province code, stars and status: one seek of ix_as_of_count_seek per
    province."""
    latest = (select(AsOfCount.counts).where(AsOfCount.province_code == ProvinceRow.code, AsOfCount.day <= on)
              .order_by(AsOfCount.day.desc()).limit(1).scalar_subquery())
    stmt = select(ProvinceRow.code, ProvinceRow.name, ProvinceRow.full_name, latest).order_by(ProvinceRow.code)
    if provinces is not None:
        stmt = stmt.where(ProvinceRow.code.in_(provinces))
    wanted_stars, wanted_statuses = set(stars or STARS), set(statuses)
    found: list[tuple[str, str, str, int, str, int]] = []
    for code, name, full_name, counts in session.execute(stmt):
        for key, n in orjson.loads(counts).items() if counts else ():
            star_text, status = key.split(" ")
            if int(star_text) in wanted_stars and status in wanted_statuses:
                found.append((code, name, full_name, int(star_text), status, n))
    return found
