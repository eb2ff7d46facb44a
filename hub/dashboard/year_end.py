"""The year-end series: products in force at each 31 December, by stars, from the first year the
page's figures hold (never before the programme's 2018) to the last year complete by the page's
date, and at the page's date itself. National figures are reported at such cut-offs ("tính đến
31/12/2024"), and a certificate in force at one year's end may have expired by the next, so the
series is asked of the API at each day (``stats(asOf:)``), not summed from the years of
certification.

One document asks every day at once (aliased ``stats``, grouped by status and stars): its
"Xem truy vấn" link re-runs the whole series. In force is status ACTIVE that day; EXPIRED that
day is certified by then but no longer in force (36 months passed, or revoked); the two make the
products certified by then, the page's headline count.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Optional, Sequence

from sqlalchemy.engine import Engine

from hub.access.keys import Principal
from hub.dashboard import data
from hub.dashboard.day import EARLIEST, Day
from hub.dashboard.format import stars_label, vn_date, vn_number
from hub.dashboard.html import figure, table
from hub.dashboard.queries import Figure, day_alias, province_filter, year_end_document
from hub.dashboard.svg import stacked_column_chart

IN_FORCE, ENDED = "ACTIVE", "EXPIRED"


@dataclass(frozen=True)
class Point:
    """The products at one day, by stars: in force, and certified by then but no longer in force."""

    day: date
    in_force: dict[int, int]
    ended: dict[int, int]

    @property
    def total_in_force(self) -> int:
        return sum(self.in_force.values())

    @property
    def total_ended(self) -> int:
        return sum(self.ended.values())

    @property
    def certified(self) -> int:
        return self.total_in_force + self.total_ended

    def certified_with(self, stars: Sequence[int]) -> int:
        return sum(self.in_force.get(s, 0) + self.ended.get(s, 0) for s in stars)

    def in_force_with(self, stars: Sequence[int]) -> int:
        return sum(self.in_force.get(s, 0) for s in stars)


@dataclass(frozen=True)
class YearEnd:
    figure: Figure
    points: list[Point]
    """Oldest first; the last one is the page's day."""

    @property
    def stars(self) -> list[int]:
        return sorted({s for p in self.points for s in p.in_force})


def series_days(day: Day, first_year: Optional[int]) -> list[date]:
    """Each 31 December from ``first_year`` (not before 2018) up to the year before the page's
    day, then the page's day (itself a 31 December when the reader chose one)."""
    start = max(first_year or day.on.year, EARLIEST.year)
    return [date(y, 12, 31) for y in range(start, day.on.year)] + [day.on]


async def year_end(engine: Engine, principal: Optional[Principal], code: Optional[str], day: Day,
                   first_year: Optional[int]) -> YearEnd:
    """The series for the country (``code`` None) or one province."""
    days = [d.isoformat() for d in series_days(day, first_year)]
    figure_ = Figure(year_end_document(days), {"filter": province_filter(code)})
    answer = await data.run(engine, principal, figure_)
    points = []
    for d in days:
        by_status: dict[str, dict[int, int]] = {IN_FORCE: {}, ENDED: {}}
        for bucket in answer[day_alias(d)]:
            key, n = bucket["key"], bucket["count"]
            counts = by_status.get(key["status"])
            if counts is not None:
                counts[key["stars"]] = counts.get(key["stars"], 0) + n
        points.append(Point(date.fromisoformat(d), by_status[IN_FORCE], by_status[ENDED]))
    return YearEnd(figure_, points)


def first_year(years: data.Counted) -> Optional[int]:
    """The earliest certification year among a page's figures (None: no product has a year)."""
    known = [int(k) for k, n in years.rows if k is not None and n]
    return min(known) if known else None


def _label(point: Point, last: bool) -> str:
    return vn_date(point.day) if last or (point.day.month, point.day.day) != (12, 31) else str(point.day.year)


def year_end_figure(series: YearEnd, page_filter: list[tuple[str, str]]) -> str:
    """The series as stacked columns (in force, by stars) and as a table with the certified totals;
    its download is the same table as stats by status and stars at each of its days."""
    stars = series.stars
    title = "Sản phẩm còn hiệu lực tại ngày 31/12 hằng năm, theo hạng sao"
    last = len(series.points) - 1
    chart = stacked_column_chart([(_label(p, i == last), [p.in_force.get(s, 0) for s in stars])
                                  for i, p in enumerate(series.points)], [stars_label(s) for s in stars], title)
    headers = ["Tại ngày", *(stars_label(s) for s in stars), "Tổng còn hiệu lực", "Đã hết hiệu lực",
               "Đã công nhận (tổng)"]
    rows = [(vn_date(p.day), *(vn_number(p.in_force.get(s, 0)) for s in stars), vn_number(p.total_in_force),
             vn_number(p.total_ended), vn_number(p.certified)) for p in series.points]
    note = ('<p class="muted">Còn hiệu lực: chứng nhận trong 36 tháng kể từ ngày quyết định và chưa bị thu hồi '
            'tại ngày đó. Đã hết hiệu lực: đã được công nhận trước ngày đó nhưng chứng nhận đã hết hạn hoặc bị thu '
            'hồi. Cột cuối: số tại ngày đang xem.</p>')
    return figure("cuoi-nam", title, chart,
                  table(title, headers, rows, tuple(range(1, len(headers))), tid="bang-cuoi-nam"),
                  series.figure, [("groupBy", "STATUS,STARS"), *page_filter,
                                  *(("asOf", p.day.isoformat()) for p in series.points)], wide=True, note=note)
