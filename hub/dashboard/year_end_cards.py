"""The year-end cards of the national and province pages: the year-end series
(hub.dashboard.year_end) and, nationally, the programme's targets set against its last point
(hub.dashboard.targets).

The series starts at the first certification year the store holds for the page's filter, read
from today's kept counts (no ``asOf``: one cheap query), so the cards run alongside the page's
other figures; each 31 December is then one ``stats(asOf:)`` by status and stars, which the API
answers from its counts kept by date.
"""
from __future__ import annotations

from typing import Optional

from sqlalchemy.engine import Engine

from hub.access.keys import Principal
from hub.dashboard import data
from hub.dashboard.day import Day
from hub.dashboard.targets import targets_section
from hub.dashboard.year_end import first_year, year_end, year_end_figure


async def year_end_cards(engine: Engine, principal: Optional[Principal], code: Optional[str], day: Day) -> str:
    """The series for the country (``code`` None: with the targets) or one province, at ``day``."""
    years = await data.stats(engine, principal, "CERTIFIED_YEAR", code, Day(None, day.today))
    series = await year_end(engine, principal, code, day, first_year(years))
    return ("" if code else targets_section(series)) + year_end_figure(series, [("province", code)] if code else [])
