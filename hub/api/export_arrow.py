"""Columns of the driver's values as Arrow arrays of an export column's type, one pass per column.

The drivers hand the same column over differently: SQLite gives dates and instants as the text
SQLAlchemy stored (``2026-12-07``, ``2026-12-07 21:04:36.582574``, UTC without an offset) and
booleans as 0/1; psycopg2 gives ``date`` and aware ``datetime`` objects and booleans. Each
column is read as what its driver gives (DRIVER_TYPES) and cast, in C++, to the column's type
(hub.api.export_columns.ARROW_TYPES); no Python object is made per value on the way.
"""
from __future__ import annotations

from typing import Any, Callable, Mapping, Sequence

import pyarrow as pa
import pyarrow.compute as pc

from hub.api.export_columns import ARROW_TYPES, Kind

DRIVER_TYPES: dict[str, dict[str, pa.DataType]] = {
    "sqlite": {"date": pa.string(), "datetime": pa.string(), "boolean": pa.int64()},
    "postgresql": {},
}
"""Per dialect, the Arrow type its driver's values of a kind are read as, where not the column's own."""
NAIVE_UTC = pa.timestamp("us")
"""SQLite's instants: UTC without an offset (sqlmodel's UTCDateTime stores them so)."""


def arrow_column(kind: Kind, values: Sequence[Any], dialect: str) -> pa.Array:
    """``values`` as read by ``dialect``'s driver, as an array of the column's Arrow type."""
    target = ARROW_TYPES[kind]
    read_as = DRIVER_TYPES.get(dialect, {}).get(kind)
    if read_as is None:
        return pa.array(values, type=target)
    array = pa.array(values, type=read_as)
    if kind == "datetime":
        array = array.cast(NAIVE_UTC)
    return array.cast(target)


def labelled(array: pa.Array, labels: dict[str, str]) -> pa.Array:
    """Stored values replaced by their labels; a value without a label stays as stored."""
    return pc.coalesce(named(labels)(array), array)


def named(names: Mapping[str, str | None]) -> Callable[[pa.Array], pa.Array]:
    """What maps an array of text keys (codes, stored enum values) to their names in ``names``
    (null where a key has none), in C++."""
    keys, values = pa.array(list(names), pa.string()), pa.array(list(names.values()), pa.string())

    def look_up(array: pa.Array) -> pa.Array:
        return values.take(pc.index_in(array, value_set=keys))
    return look_up
