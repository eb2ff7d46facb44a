"""The certificate rule (hub.store.certificates), written once in Python and once in SQL: the two agree
on every product shape and date, on SQLite and on PostgreSQL."""
from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Column, Date, Integer, MetaData, String, Table, delete, insert, select

from hub.store.certificates import (
    certificate_expiry, expired_sql, last_day_in_force, status_on, status_sql, years_ending_between,
)
from hub.vocabulary import ProductStatus

STATUSES = [s.value for s in ProductStatus]


@pytest.mark.parametrize(("issued", "expires"), [
    (date(2021, 3, 15), date(2024, 3, 15)),
    (date(2020, 2, 29), date(2023, 2, 28)),
    (date(2019, 12, 31), date(2022, 12, 31)),
])
def test_a_certificate_expires_36_months_after_its_decision(issued: date, expires: date) -> None:
    assert certificate_expiry(issued) == expires == last_day_in_force(issued, issued.year, date(2025, 1, 1))


def test_a_certificate_known_only_by_its_year_ends_as_one_of_31_december_would() -> None:
    """Expired once even one issued on 31 December of that year would have expired; no expiry invented."""
    active, expired = ProductStatus.ACTIVE.value, ProductStatus.EXPIRED.value
    listed = date(2025, 9, 1)
    assert last_day_in_force(None, 2022, listed) == date(2025, 12, 31)
    assert status_on(active, None, None, 2022, listed, date(2025, 12, 31)) == active
    assert status_on(active, None, None, 2022, listed, date(2026, 1, 1)) == expired
    assert status_on(active, date(2027, 6, 15), date(2024, 6, 15), 2024, listed, date(2027, 6, 15)) == active
    assert status_on(active, date(2027, 6, 15), date(2024, 6, 15), 2024, listed, date(2027, 6, 16)) == expired
    assert status_on(ProductStatus.WITHDRAWN.value, None, None, 2010, listed, date(2030, 1, 1)) == "withdrawn"


def test_a_certificate_with_neither_date_nor_year_ends_36_months_after_it_was_first_listed() -> None:
    """Not in force for ever: it existed the day the hub first listed it, so it ends, at the
    latest, as one issued that day would."""
    active, expired = ProductStatus.ACTIVE.value, ProductStatus.EXPIRED.value
    assert last_day_in_force(None, None, date(2025, 9, 1)) == date(2028, 9, 1)
    assert status_on(active, None, None, None, date(2025, 9, 1), date(2028, 9, 1)) == active
    assert status_on(active, None, None, None, date(2025, 9, 1), date(2028, 9, 2)) == expired
    assert status_on(active, None, None, None, None, date(2040, 1, 1)) == active  # before 0010 kept the day
    assert years_ending_between(date(2026, 1, 1), date(2026, 12, 31)) == (2023, 2023)


dates = st.dates(min_value=date(2008, 1, 1), max_value=date(2035, 12, 31))
products = st.tuples(st.sampled_from(STATUSES), st.none() | dates, st.none() | st.integers(2008, 2035),
                     st.booleans(), st.none() | dates)
edges = st.sampled_from([date(2024, 2, 29), date(2027, 2, 28), date(2028, 2, 29), date(2025, 2, 28),
                         date(2027, 3, 1), date(2031, 12, 31)])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(products, min_size=1, max_size=40), on=dates | edges)
def test_the_sql_and_the_python_rule_agree(store, rows, on: date) -> None:
    # As ingest stores them (an expiry with every decision date), and as older or hand-made rows
    # may hold them (a decision date without its expiry, an expiry without a date).
    shaped = [(i, status, (certificate_expiry(decided) if decided else None) if stored_as_ingest else
               (None if decided else certificate_expiry(date(year or 2020, 6, 1))), decided,
               decided.year if decided and year is None else year, listed)
              for i, (status, decided, year, stored_as_ingest, listed) in enumerate(rows)]
    table = Table("certificate_rule_probe", MetaData(), Column("id", Integer, primary_key=True),
                  Column("status", String), Column("expiry_date", Date), Column("decision_date", Date),
                  Column("certified_year", Integer), Column("listed_on", Date))
    with store.begin() as conn:
        table.create(conn, checkfirst=True)
        conn.execute(delete(table))
        conn.execute(insert(table), [dict(zip(("id", "status", "expiry_date", "decision_date", "certified_year",
                                               "listed_on"), r))
                                     for r in shaped])
        got = dict(conn.execute(select(table.c.id, status_sql(on, table.c))).all())
        ended = dict(conn.execute(select(table.c.id, expired_sql(on, table.c))).all())
    for i, status, expiry, decided, year, listed in shaped:
        assert got[i] == status_on(status, expiry, decided, year, listed, on), (status, expiry, decided, year, on)
        last = expiry if expiry is not None or decided is not None else last_day_in_force(None, year, listed)
        assert bool(ended[i]) == (last is not None and last < on)


def test_the_sql_bound_on_the_listed_day_is_the_python_rule_every_day() -> None:
    """``expired_sql`` compares the day listed with one bound per ``on``: exactly the days whose
    36 months have run out by then, 29 February and month ends included."""
    from datetime import timedelta

    from hub.store.certificates import _listed_by

    for offset in range(0, 3 * 366, 3):
        on = date(2027, 1, 1) + timedelta(days=offset)
        bound = _listed_by(on)
        assert certificate_expiry(bound) >= on > certificate_expiry(bound - timedelta(days=1)), on
