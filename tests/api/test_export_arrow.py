"""Each dialect's driver values become the same Arrow column (hub.api.export_arrow)."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pyarrow as pa

from hub.api.export_arrow import arrow_column, labelled, named

UTC_INSTANT = datetime(2026, 12, 7, 21, 4, 36, 582574, tzinfo=timezone.utc)


def test_sqlite_text_and_postgresql_objects_give_the_same_columns() -> None:
    hanoi = timezone(timedelta(hours=7))
    cases = [
        ("date", ["2018-06-05", None], [date(2018, 6, 5), None]),
        ("datetime", ["2026-12-07 21:04:36.582574", "2026-12-07 21:04:36", None],
         [UTC_INSTANT.astimezone(hanoi), UTC_INSTANT.replace(microsecond=0), None]),
        ("boolean", [1, 0, None], [True, False, None]),
        ("integer", [3, None], [3, None]),
        ("string", ["Mật ong", None], ["Mật ong", None]),
    ]
    for kind, sqlite_values, pg_values in cases:
        from_sqlite = arrow_column(kind, sqlite_values, "sqlite")
        assert from_sqlite.equals(arrow_column(kind, pg_values, "postgresql")), kind
    instants = arrow_column("datetime", ["2026-12-07 21:04:36.582574"], "sqlite")
    assert instants.type == pa.timestamp("us", tz="UTC") and instants.to_pylist() == [UTC_INSTANT]


def test_labels_and_names_are_looked_up_and_unknown_values_kept() -> None:
    stored = pa.array(["food", "unknown-group", None])
    assert labelled(stored, {"food": "FOOD"}).to_pylist() == ["FOOD", "unknown-group", None]
    codes = pa.array(["01", "99", None])
    assert named({"01": "Hà Nội"})(codes).to_pylist() == ["Hà Nội", None, None]
    assert named({})(codes).to_pylist() == [None, None, None]
