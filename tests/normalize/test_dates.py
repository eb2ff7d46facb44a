"""parse_date, add_months."""
from __future__ import annotations

from datetime import date

import pytest

from hub.normalize.dates import DateValue, add_months, parse_date
from hub.normalize.problem import Problem

TODAY = date(2025, 11, 23)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("15/03/2021", DateValue(date(2021, 3, 15), 2021)),
        ("5/3/2021", DateValue(date(2021, 3, 5), 2021)),
        ("15-03-2021", DateValue(date(2021, 3, 15), 2021)),
        ("15.03.2021", DateValue(date(2021, 3, 15), 2021)),
        (" 15 / 03 / 2021 ", DateValue(date(2021, 3, 15), 2021)),
        ("15/3/21", DateValue(date(2021, 3, 15), 2021)),
        ("15/03/2021 08:30", DateValue(date(2021, 3, 15), 2021)),
        ("2021-03-15", DateValue(date(2021, 3, 15), 2021)),
        ("2021/03/15", DateValue(date(2021, 3, 15), 2021)),
        ("2021-03-15T10:20:00", DateValue(date(2021, 3, 15), 2021)),
        ("2021-03-15 00:00:00", DateValue(date(2021, 3, 15), 2021)),
        ("2021-03-15T10:20:00+07:00", DateValue(date(2021, 3, 15), 2021)),
        ("2021-03-15T10:20:00Z", DateValue(date(2021, 3, 15), 2021)),
        ("43466", DateValue(date(2019, 1, 1), 2019)),
        ("43466.0", DateValue(date(2019, 1, 1), 2019)),
        ("44270.75", DateValue(date(2021, 3, 15), 2021)),
        ("năm 2019", DateValue(None, 2019)),
        ("Năm 2019", DateValue(None, 2019)),
        ("nam 2019", DateValue(None, 2019)),
        ("2019", DateValue(None, 2019)),
        ("2019.0", DateValue(None, 2019)),
        ("ngày 15 tháng 3 năm 2021", DateValue(date(2021, 3, 15), 2021)),
        ("Ngày 05 tháng 03 năm 2021", DateValue(date(2021, 3, 5), 2021)),
        ("ngay 15 thang 3 nam 2021", DateValue(date(2021, 3, 15), 2021)),
        # month and year only: the month is kept (it was DateValue(None, 2021) before it was kept)
        ("tháng 3/2021", DateValue(None, 2021, 3)),
        ("Tháng 3 năm 2021", DateValue(None, 2021, 3)),
        ("03/2021", DateValue(None, 2021, 3)),
        ("23/11/2025", DateValue(date(2025, 11, 23), 2025)),  # today is fine
        ("2025", DateValue(None, 2025)),
        ("01/01/2008", DateValue(date(2008, 1, 1), 2008)),
    ],
)
def test_parse_date(value: str, expected: DateValue) -> None:
    assert parse_date(value, TODAY) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # a leading label
        ("Ngày 19/6/2025", DateValue(date(2025, 6, 19), 2025)),
        ("ngày 05/08/2025", DateValue(date(2025, 8, 5), 2025)),
        ("NGÀY 05/08/2025", DateValue(date(2025, 8, 5), 2025)),
        ("Ngày cấp: 19/6/2025", DateValue(date(2025, 6, 19), 2025)),
        ("Ngày cấp 19-6-2025", DateValue(date(2025, 6, 19), 2025)),
        ("ngày ký: 2025-06-19", DateValue(date(2025, 6, 19), 2025)),
        ("Ngày: 19.6.2025", DateValue(date(2025, 6, 19), 2025)),
        ("ngày19/6/2025", DateValue(date(2025, 6, 19), 2025)),
        ("Ngày cấp: ngày 15 tháng 3 năm 2021", DateValue(date(2021, 3, 15), 2021)),
        # month and year, no day: the month is kept and no day is invented
        ("6/2025", DateValue(None, 2025, 6)),
        ("06-2025", DateValue(None, 2025, 6)),
        ("6.2025", DateValue(None, 2025, 6)),
        ("tháng 6/2025", DateValue(None, 2025, 6)),
        ("Tháng 6 năm 2025", DateValue(None, 2025, 6)),
        ("THÁNG 06/2025", DateValue(None, 2025, 6)),
        ("thang 6-2025", DateValue(None, 2025, 6)),
        ("T6/2025", DateValue(None, 2025, 6)),
        ("t6/2025", DateValue(None, 2025, 6)),
        ("T.6/2025", DateValue(None, 2025, 6)),
        ("Th6/2025", DateValue(None, 2025, 6)),
        ("T6 năm 2025", DateValue(None, 2025, 6)),
        ("tháng 11/2025", DateValue(None, 2025, 11)),  # the current month has begun
        ("Ngày cấp: tháng 6/2025", DateValue(None, 2025, 6)),
    ],
)
def test_parse_date_labels_and_months(value: str, expected: DateValue) -> None:
    assert parse_date(value, TODAY) == expected


@pytest.mark.parametrize(
    ("value", "partial", "month"),
    [
        ("19/6/2025", False, 6),
        ("2021-03-15", False, 3),
        ("6/2025", True, 6),
        ("Tháng 6 năm 2025", True, 6),
        ("năm 2019", True, None),
        ("2019", True, None),
    ],
)
def test_partial_and_month(value: str, partial: bool, month: int | None) -> None:
    result = parse_date(value, TODAY)
    assert isinstance(result, DateValue)
    assert (result.partial, result.month) == (partial, month)
    if partial:
        assert result.date is None  # no day is invented


def test_full_date_month_follows_the_date() -> None:
    assert DateValue(date(2021, 3, 15), 2021).month == 3
    assert DateValue(date(2021, 3, 15), 2021) == DateValue(date(2021, 3, 15), 2021, 3)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("31/02/2020", "BAD_DATE"),
        ("29/02/2023", "BAD_DATE"),
        ("15/13/2021", "BAD_DATE"),
        ("2021-02-30", "BAD_DATE"),
        ("ngày 31 tháng 4 năm 2021", "BAD_DATE"),
        ("13/2021", "BAD_DATE"),
        ("abc", "BAD_DATE"),
        ("15 tháng Ba", "BAD_DATE"),
        ("99999", "BAD_DATE"),
        ("12345", "BAD_DATE"),
        ("2007", "BAD_DATE"),
        ("31/12/2007", "BAD_DATE"),
        ("38000", "BAD_DATE"),  # Excel serial for 2004
        ("24/11/2025", "FUTURE_DATE"),
        ("2026", "FUTURE_DATE"),
        ("2030-01-01", "FUTURE_DATE"),
        ("ngày 1 tháng 1 năm 2030", "FUTURE_DATE"),
        ("12/2025", "FUTURE_DATE"),  # December 2025 has not begun on 23 November 2025
        ("T1/2026", "FUTURE_DATE"),
        ("13/2025", "BAD_DATE"),
        ("0/2025", "BAD_DATE"),
        ("T13/2025", "BAD_DATE"),
        ("6/2007", "BAD_DATE"),
        ("Ngày cấp:", "BAD_DATE"),
        ("Ngày lễ 19/6/2025", "BAD_DATE"),  # only a date label is dropped, not any text
        ("", "MISSING_DATE"),
        ("   ", "MISSING_DATE"),
        (None, "MISSING_DATE"),
    ],
)
def test_parse_date_problems(value: str | None, code: str) -> None:
    result = parse_date(value, TODAY)
    assert isinstance(result, Problem) and result.code == code and result.field == "date"


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2023, 1, 31), 1, date(2023, 2, 28)),
        (date(2021, 3, 15), 36, date(2024, 3, 15)),
        (date(2021, 12, 31), 2, date(2022, 2, 28)),
        (date(2024, 3, 31), -1, date(2024, 2, 29)),
        (date(2021, 5, 10), 0, date(2021, 5, 10)),
        (date(2021, 11, 30), 14, date(2023, 1, 30)),
    ],
)
def test_add_months(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected
