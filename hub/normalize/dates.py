"""Certificate dates as registries write them (the 36-month rule itself is hub.store.certificates).

Dates arrive as Vietnamese day-first strings ("15/3/2021", "15.03.2021"), ISO strings, Excel serial
numbers (a date cell read without its format), Vietnamese prose ("ngày 15 tháng 3 năm 2021"), with a
label ("Ngày cấp: 15/3/2021"), or with no day: a month ("tháng 3/2021", "T3/2021") or just a year
("năm 2019"), or a rating cycle over two years ("2023-2024", "2022 - 2023"), which gives its
later year: the cycle ends with the certificate; a year with its renewal ("Năm 2021 (tái cấp
2024)", "2021, đánh giá lại năm 2024") gives the renewal's year, the recognition in force. A partial date keeps what was written and no day is invented. A date before 2008
cannot be an OCOP certificate and a date after ``today`` cannot have happened yet; both are refused
rather than guessed at.
"""
from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from hub.normalize.fold import TEXT_CACHE_SIZE, search_key
from hub.normalize.problem import Problem

__all__ = ["DateValue", "EARLIEST_YEAR", "add_months", "parse_date"]

#: OCOP grew out of pilots from 2008 (the national programme is 2018); nothing is older.
EARLIEST_YEAR = 2008
_FIELD = "date"

_EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 = 1900-01-01, with Excel's 1900 leap-year bug
_SERIAL_MIN = (date(EARLIEST_YEAR - 8, 1, 1) - _EXCEL_EPOCH).days  # 2000: later refused as early
_SERIAL_MAX = (date(2100, 1, 1) - _EXCEL_EPOCH).days

_TIME = r"(?:[ t]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*(?:am|pm|sa|ch))?)?"
_DMY = re.compile(rf"^(\d{{1,2}})\s*[/\-.]\s*(\d{{1,2}})\s*[/\-.]\s*(\d{{4}}|\d{{2}}){_TIME}$")
_YMD = re.compile(r"^(\d{4})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{1,2})$")
_MONTH_YEAR = re.compile(r"^(?:th?\.?\s*)?(\d{1,2})\s*[/\-.]\s*(\d{4})$")  # "6/2025", "T6/2025"
_PROSE = re.compile(r"^(\d{1,2})\s*thang\s*(\d{1,2})\s*nam\s*(\d{4})$")
_PROSE_MONTH = re.compile(r"^(?:thang|th|t)\s*(\d{1,2})\s*(?:nam\s*)?(\d{4})$")
# What a clerk writes before a date ("Ngày", "Ngày cấp:", "ngày ký"), marked or not; dropped.
_LABEL = re.compile(
    r"^ng[aà]y(?:\s+(?:c[aấ]p|k[yý]|ban\s+h[aà]nh|quy[eế]t\s+[đd][iị]nh|q[đd]|c[oô]ng\s+nh[aậ]n))?"
    r"\s*:?\s*(?=\S)"
)
_YEAR = re.compile(r"^(?:nam\s*)?(\d{4})(?:\s*0+)?$")
_YEAR_RANGE = re.compile(r"^(?:nam\s*)?(\d{4})\s+(?:den\s+)?(\d{4})$")  # folded: "-" is a space
_MAX_CYCLE_YEARS = 2
# A year with the year the certificate was renewed ("Năm 2021 (tái cấp 2024)", "2021, đánh giá lại
# năm 2024", folded): the renewal is the recognition in force, so its year is read.
_RENEWED = re.compile(r"^(?:nam\s*)?(\d{4})\s+(?:tai cap|cap lai|tai cong nhan|cong nhan lai|danh gia lai|"
                      r"tai danh gia|tai chung nhan|chung nhan lai|nang hang|nang sao)(?:\s+nam)?\s+(\d{4})$")
_SERIAL = re.compile(r"^\d{5}(?:[.,]\d+)?$")


@dataclass(frozen=True)
class DateValue:
    """A parsed date. ``date`` is None when no day was written (a partial date): then ``month`` is
    the month if one was written, else None. For a full date ``month`` is ``date.month``."""

    date: date | None
    year: int
    month: int | None = None

    def __post_init__(self) -> None:
        if self.date is not None and self.month is None:
            object.__setattr__(self, "month", self.date.month)  # one place to read the month

    @property
    def partial(self) -> bool:
        """True when the day (and perhaps the month) was not written."""
        return self.date is None


def add_months(d: date, months: int) -> date:
    """``d`` plus ``months`` calendar months, clamping the day (31 Jan + 1 month = 28/29 Feb)."""
    index = d.year * 12 + (d.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def _bad(value: str, why: str) -> Problem:
    return Problem("BAD_DATE", _FIELD, f"{why}: {value!r}", value)


def _make(value: str, year: int, month: int, day: int) -> date | Problem:
    try:
        return date(year, month, day)
    except ValueError:
        return _bad(value, "no such date")


def _check(value: str, result: DateValue, today: date) -> DateValue | Problem:
    if result.year < EARLIEST_YEAR:
        return _bad(value, f"before {EARLIEST_YEAR}, when OCOP did not exist")
    # A partial date is in the future only if its first possible day is.
    if (result.date or date(result.year, result.month or 1, 1)) > today:
        return Problem("FUTURE_DATE", _FIELD, f"later than today ({today.isoformat()}): {value!r}", value)
    return result


def _drop_labels(text: str) -> str:
    """``text`` without leading "Ngày" / "Ngày cấp:" labels ("Ngày cấp: ngày 15 tháng 3 …")."""
    while match := _LABEL.match(text):
        text = text[match.end():]
    return text


@lru_cache(maxsize=TEXT_CACHE_SIZE)  # a registry repeats its decision dates; pure, and its results are frozen
def _parse(value: str) -> DateValue | Problem:
    text = _drop_labels(" ".join(unicodedata.normalize("NFC", value).strip().lower().split()))
    match = _DMY.match(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
        if len(match.group(3)) == 2:
            year += 2000
        made = _make(value, year, month, day)
        return made if isinstance(made, Problem) else DateValue(made, made.year)
    match = _YMD.match(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
        made = _make(value, year, month, day)
        return made if isinstance(made, Problem) else DateValue(made, made.year)
    if re.match(r"^\d{4}-\d{2}-\d{2}[t ]\d", text):
        try:
            moment = datetime.fromisoformat(text.upper().replace(" ", "T", 1))
        except ValueError:
            return _bad(value, "not an ISO date-time")
        return DateValue(moment.date(), moment.year)
    if _SERIAL.match(text):
        serial = float(text.replace(",", "."))
        if not _SERIAL_MIN <= serial < _SERIAL_MAX:
            return _bad(value, "not a plausible Excel date serial")
        made = _EXCEL_EPOCH + timedelta(days=int(serial))
        return DateValue(made, made.year)
    folded = search_key(text)
    match = _PROSE.match(folded)
    if match:
        day, month, year = (int(g) for g in match.groups())
        made = _make(value, year, month, day)
        return made if isinstance(made, Problem) else DateValue(made, made.year)
    match = _MONTH_YEAR.match(text) or _PROSE_MONTH.match(folded)
    if match:
        month, year = (int(g) for g in match.groups())
        if not 1 <= month <= 12:
            return _bad(value, "no such month")
        return DateValue(None, year, month)
    match = _YEAR.match(folded)
    if match:
        return DateValue(None, int(match.group(1)))
    match = _RENEWED.match(folded)
    if match and int(match.group(2)) >= int(match.group(1)):
        return DateValue(None, int(match.group(2)))
    match = _YEAR_RANGE.match(folded)
    if match:
        first, last = int(match.group(1)), int(match.group(2))
        if 0 < last - first <= _MAX_CYCLE_YEARS:
            return DateValue(None, last)
    return _bad(value, "not a date")


def parse_date(value: str | None, today: date) -> DateValue | Problem:
    """Parse a written date (or month and year, or year) no earlier than 2008 and no later than
    ``today``; a partial date is refused as future only when its first day is after ``today``.

    Problems: MISSING_DATE (empty), BAD_DATE (unreadable, impossible, before 2008),
    FUTURE_DATE (after ``today``).
    """
    if value is None or not str(value).strip():
        return Problem("MISSING_DATE", _FIELD, "no date given", None)
    value = str(value)
    parsed = _parse(value)
    if isinstance(parsed, Problem):
        return parsed
    return _check(value, parsed, today)
