"""The date a page's figures are at ("Số liệu tại ngày"): the ``?ngay=`` parameter of every page,
read and checked once per request, then passed as ``asOf`` to the API's queries and kept in every
link and form of the page, so the reader stays at the date they chose.

The rule (docs/dashboard.md): empty means today, and today's answers are then exactly the ones the
page gives without the parameter (no ``asOf`` is sent: the kept counts answer). A date is written
2024-12-31 (what a date field sends) or 31/12/2024 (what a reader types where the browser has no
date field). It must lie from 1 January 2018, the year the national programme began (Decision
490/QĐ-TTg of 7 May 2018), to today: a future date is refused, not clamped, because the hub knows
no certificate decided after today, so a page dated in the future would present today's
certificates run forward as that day's figures (and a clamped one figures of a day the reader did
not ask for). A refused date is a 400 page that says why and offers the field again.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Optional
from urllib.parse import urlencode

from starlette.datastructures import QueryParams

from hub.store.certificates import current_date
from hub.dashboard.format import vn_date
from hub.dashboard.params import BadParameter

PARAM = "ngay"
EARLIEST = date(2018, 1, 1)
"""The first day a page may be dated: the national OCOP programme began in 2018."""
NOT_KEPT = (PARAM, "_part", "after", "page")
"""Parameters the date field does not carry over: the date itself, the script's region request, and
the table's cursor and page number (a new date starts the table at its first page)."""

_VN = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


class BadDate(BadParameter):
    """A ``?ngay=`` that is not a date, or lies outside EARLIEST..today."""

    title = "Ngày không hợp lệ"


@dataclass(frozen=True)
class Day:
    """The day a page's figures are at: ``chosen`` (None: the reader chose none, so today), and the
    page it was asked on (``path`` and its ``query`` parameters, for the date field's form)."""

    chosen: Optional[date]
    today: date
    path: str = "/"
    query: tuple[tuple[str, str], ...] = ()

    @property
    def on(self) -> date:
        return self.chosen or self.today

    @property
    def label(self) -> str:
        """dd/mm/yyyy."""
        return vn_date(self.on)

    @property
    def as_of(self) -> Optional[str]:
        """The ``asOf`` to send, or None for today (today's answers are the kept counts')."""
        return self.chosen.isoformat() if self.chosen is not None and self.chosen != self.today else None

    def variables(self) -> dict[str, str]:
        """``{"asOf": "2024-12-31"}`` for a past day, else nothing (a figure's variables as before)."""
        return {"asOf": self.as_of} if self.as_of else {}

    def params(self) -> list[tuple[str, str]]:
        """``[("ngay", …)]`` while the reader chose a day: what links and forms carry on."""
        return [(PARAM, self.chosen.isoformat())] if self.chosen is not None else []

    def export_params(self) -> list[tuple[str, str]]:
        """``[("as_of", …)]`` on a past day: what a download of the page's products adds."""
        return [("as_of", self.as_of)] if self.as_of else []

    def href(self, path: str) -> str:
        """``path`` (maybe with a query and a #fragment) carrying the chosen day."""
        if self.chosen is None:
            return path
        path, hash_, fragment = path.partition("#")
        joiner = "&" if "?" in path else "?"
        return f"{path}{joiner}{urlencode(self.params())}{hash_}{fragment}"


def parse_day(path: str, params: QueryParams, today: Optional[date] = None) -> Day:
    """The Day of the page at ``path`` from its ``?ngay=``; BadDate, in Vietnamese, for anything
    else than a day in range."""
    today = today or current_date()
    raw = (params.get(PARAM) or "").strip()
    return Day(_checked(_read(raw), today) if raw else None, today, path, tuple(params.multi_items()))


def _read(raw: str) -> date:
    try:
        vn = _VN.fullmatch(raw)
        return date(int(vn[3]), int(vn[2]), int(vn[1])) if vn else date.fromisoformat(raw)
    except ValueError:
        raise BadDate(f"“{raw}” không phải là một ngày: hãy chọn ngày trong ô “Số liệu tại ngày”, hoặc viết "
                      f"theo dạng 31/12/2024 (hay 2024-12-31).") from None


def _checked(day: date, today: date) -> date:
    if day < EARLIEST:
        raise BadDate(f"Ngày {vn_date(day)} trước khi Chương trình OCOP quốc gia bắt đầu: hãy chọn một ngày "
                      f"từ {vn_date(EARLIEST)} đến hôm nay ({vn_date(today)}).")
    if day > today:
        raise BadDate(f"Ngày {vn_date(day)} ở tương lai: số liệu chỉ có đến hôm nay ({vn_date(today)}). "
                      f"Hãy chọn một ngày từ {vn_date(EARLIEST)} đến hôm nay.")
    return day
