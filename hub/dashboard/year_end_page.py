"""GET /cuoi-nam[?province=CODE]: the year-end series (and, nationally, the programme's targets) on
their own page, and the card the national and province pages hold for them.

The series asks the API one ``stats(asOf:)`` per 31 December, a GROUP BY over the certificates each
(seconds at national scale until the API keeps counts by date), so the pages do not wait for it:
like the expiring certificates, they hold a region their script fills from here (a plain link
without script), and the response cache keeps the answer until the data changes.
"""
from __future__ import annotations

from typing import Any, Optional
from urllib.parse import urlencode

from sqlalchemy.engine import Engine

from hub.auth import Principal
from hub.dashboard import data
from hub.dashboard.day import Day
from hub.dashboard.html import apart_page, e
from hub.dashboard.targets import targets_section
from hub.dashboard.year_end import first_year, year_end, year_end_figure

REGION = "cuoi-nam-vung"
TITLE = "Sản phẩm còn hiệu lực tại ngày 31/12 hằng năm"


def deferred_year_end(code: Optional[str], day: Day) -> str:
    """The region a page holds until its script fills it from /cuoi-nam (``code``: one province)."""
    url = day.href("/cuoi-nam" + (f"?{urlencode({'province': code})}" if code else ""))
    what = "Chuỗi số liệu cuối năm" + ("" if code else " và mục tiêu của Chương trình")
    return (f'<div class="wide stack" id="{REGION}" data-deferred="{e(url)}">'
            f'<section class="card" aria-labelledby="{REGION}-h"><h2 id="{REGION}-h">{e(what)}</h2>'
            f'<p role="status">Đang tính… <a href="{e(url)}">Mở trang riêng</a></p></section></div>')


async def year_end_region(engine: Engine, principal: Optional[Principal], code: Optional[str], day: Day) -> str:
    """The series (from the first certification year the store holds for the page's filter) and,
    for the country, the targets set against its last point."""
    years = await data.stats(engine, principal, "YEAR", code, Day(None, day.today))  # kept counts: no asOf
    series = await year_end(engine, principal, code, day, first_year(years))
    downloads = ([("province", code)] if code else []) + day.export_params()
    cards = ("" if code else targets_section(series)) + year_end_figure(series, downloads)
    return f'<div class="wide stack" id="{REGION}">{cards}</div>'


async def year_end_page(engine: Engine, principal: Optional[Principal], units: list[dict[str, Any]],
                        code: Optional[str], day: Day) -> tuple[str, str]:
    """(the whole page, its region alone) for the country or the province ``code``."""
    region = await year_end_region(engine, principal, code, day)
    names = {p["code"]: p["name"] for p in units}
    heading = TITLE + (f": {names.get(code, code)}" if code else ": toàn quốc")
    return apart_page(heading, "Cuối năm", region, units, code, day), region
