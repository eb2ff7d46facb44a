"""The date a list's title says the list speaks for, as a clerk reads it above the table.

"Danh sách sản phẩm OCOP (tính đến ngày 31/12/2024)", "cập nhật đến 30/6/2025", "tại thời điểm
tháng 6/2025": the list as of that day (a month: its last day). "Danh sách sản phẩm OCOP năm
2023": the products of 2023, so the list speaks for 31 December 2023. A date the title states
wins over a year it names. A date that belongs to a
decision ("Quyết định số 2417/QĐ-UBND ngày 28/12/2024") is not the list's: the decision's date is
every row's own, counted by the ingest from the products. The latest such date of the title wins;
none, None (the source's list date is then its latest decision date, hub.ingest.run).
"""
from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from datetime import date

from hub.normalize.fold import search_key

_AS_OF = r"(?:tinh den|cap nhat den|cap nhat|den het|den|tai thoi diem|thoi diem|tai ngay|tai)"
_DAY = re.compile(rf"\b{_AS_OF}\s+(?:ngay\s+)?(\d{{1,2}})\s+(?:thang\s+)?(\d{{1,2}})\s+(?:nam\s+)?(20\d\d)\b")
_MONTH = re.compile(rf"\b{_AS_OF}\s+(?:thang\s+)?(\d{{1,2}})\s+(?:nam\s+)?(20\d\d)\b")
_YEAR = re.compile(r"\bnam\s+(20\d\d)\b(?!\s+\d)")  # "năm 2023", not "năm 2019-2020"
_DECISION = re.compile(r"\b(?:quyet dinh|qd)\b")


def _valid(year: int, month: int, day: int | None = None) -> date | None:
    if not 1 <= month <= 12:
        return None
    last = calendar.monthrange(year, month)[1]
    if day is None:
        return date(year, month, last)
    return date(year, month, day) if 1 <= day <= last else None


def title_list_date(lines: Sequence[str]) -> date | None:
    """The latest day the title lines say the list is as of (module docstring), else None."""
    found: list[date] = []
    years: list[date] = []
    for line in lines:
        text = search_key(line)
        decision = _DECISION.search(text)
        own = text[:decision.start()] if decision else text  # what follows "Quyết định" is the decision's
        for match in _DAY.finditer(own):
            day, month, year = (int(g) for g in match.groups())
            found += [d for d in [_valid(year, month, day)] if d]
        for match in _MONTH.finditer(_DAY.sub(" ", own)):
            month, year = (int(g) for g in match.groups())
            found += [d for d in [_valid(year, month)] if d]
        for match in _YEAR.finditer(_DAY.sub(" ", own)):
            years.append(date(int(match.group(1)), 12, 31))
    return max(found or years) if found or years else None
