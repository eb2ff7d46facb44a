"""GET /het-han[?province=CODE]: certificates expiring in the next 180 days, on their own page.

While the API cannot select products by expiry date, the figure reads the candidate products page
by page (hub.dashboard.data.expiring): seconds at national scale. The national and province pages
then do not wait for it: they hold a card the page's script fills from here (a link without
script). Once ProductFilter has expiryFrom/expiryTo, the pages draw it inline and this page stays
as a direct link.
"""
from __future__ import annotations

from typing import Any, Optional
from urllib.parse import urlencode

from sqlalchemy.engine import Engine

from hub.access.keys import Principal
from hub.dashboard import breakdowns as bd
from hub.dashboard import data
from hub.dashboard.day import Day
from hub.dashboard.html import dated_lede, e, page

TITLE = "Chứng nhận hết hạn trong 180 ngày tới"


def deferred_card(code: Optional[str], day: Day) -> str:
    """The card a page holds until its script fills it from /het-han (``code``: one province)."""
    url = day.href("/het-han" + (f"?{urlencode({'province': code})}" if code else ""))
    wide = " wide" if code else ""
    return (f'<section class="card{wide}" id="het-han" data-deferred="{e(url)}" aria-labelledby="het-han-h">'
            f'<h2 id="het-han-h">{TITLE}</h2>'
            f'<p role="status">Đang tính… <a href="{e(url)}">Mở trang riêng</a></p></section>')


async def expiring_page(engine: Engine, principal: Optional[Principal], units: list[dict[str, Any]],
                        code: Optional[str], day: Day) -> tuple[str, str]:
    """(the whole page, its figure alone) for the country or the province ``code``, from ``day``."""
    found = await data.expiring(engine, principal, code, day)
    names = {p["code"]: p["name"] for p in units}
    section = (bd.expiring_province(found, code, day) if code
               else bd.expiring_national(found, {**names, **found.names}, day))
    crumbs = f'<nav aria-label="Vị trí trang" class="no-print"><a href="{e(day.href("/"))}">Toàn quốc</a>'
    if code:
        crumbs += f' › <a href="{e(day.href("/province/" + code))}">{e(names.get(code, code))}</a>'
    heading = TITLE + (f": {names.get(code, code)}" if code else "")
    main = (f'{crumbs} › Chứng nhận sắp hết hạn</nav><h1>{e(heading)}</h1>'
            f'<p class="lede">{dated_lede(day)}</p><div class="grid">{section}</div>')
    return page(heading, main, day, [(p["code"], p["name"]) for p in units], code), section
