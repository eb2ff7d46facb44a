"""The product table's URL parameters → the `products` query's variables and the export's URL.

The parameters are the exports' own (docs/exports.md: camelCase names, lists repeated or
comma-separated), so the page's "Tải CSV" link is its own query string plus the province: the
download is exactly the rows of the table. ``q`` is accepted for ``search``. Values are passed
to the API as the caller wrote them: the API validates them and its error is shown.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Optional

from starlette.datastructures import QueryParams

if TYPE_CHECKING:  # hub.dashboard.day raises this module's BadParameter
    from hub.dashboard.day import Day

PAGE_SIZE = 50
LISTS = {"stars": int, "group": str.upper, "producerType": str.upper, "status": str.upper,
         "source": str, "legacyProvince": str}
SCALARS = {"certifiedYearFrom": int, "certifiedYearTo": int, "search": str, "updatedSince": str}
OLD_NAMES = {"certifiedYearFrom": "yearFrom", "certifiedYearTo": "yearTo"}
"""A link made before the one name of the certification year still filters."""
ORDERS = ("NAME", "STARS", "CERTIFIED_YEAR", "UPDATED_AT")


class BadParameter(ValueError):
    """A parameter the page cannot even pass on (a year that is not a number)."""


@dataclass
class TableQuery:
    """What the reader asked the product table for."""

    filter: dict[str, Any]
    export_params: list[tuple[str, str]]
    order_by: str
    direction: str
    after: Optional[str]
    page: int
    day: "Day"

    def variables(self) -> dict[str, Any]:
        return {"filter": self.filter, "orderBy": self.order_by, "direction": self.direction,
                "first": PAGE_SIZE, "after": self.after, **self.day.variables()}

    def value(self, name: str) -> str:
        """The parameter as the form shows it back (lists comma-joined)."""
        v = self.filter.get(name)
        if v is None:
            return ""
        return ",".join(str(x) for x in v) if isinstance(v, list) else str(v)


def _values(params: QueryParams, name: str) -> list[str]:
    return [part.strip() for raw in params.getlist(name) for part in raw.split(",") if part.strip()]


def table_query(params: QueryParams, province: str, day: "Day") -> TableQuery:
    """The table's filter (always within ``province``), order, cursor and page number, at ``day``
    (the download's ``as_of``)."""
    f: dict[str, Any] = {"province": [province]}
    export: list[tuple[str, str]] = [("province", province)]
    try:
        for name, cast in LISTS.items():
            values = [cast(v) for v in _values(params, name)]  # type: ignore[operator]
            if values:
                f[name] = values
                export += [(name, str(v)) for v in values]
        search = (params.get("search") or params.get("q") or "").strip()
        for name, cast in SCALARS.items():
            raw = search if name == "search" else (params.get(name) or params.get(OLD_NAMES.get(name, name)) or "").strip()
            if raw:
                f[name] = cast(raw)  # type: ignore[operator]
                export.append((name, raw))
        page = max(1, int(params.get("page") or 1))
    except ValueError as exc:
        raise BadParameter(f"Tham số không hợp lệ: {exc}") from exc
    order = (params.get("orderBy") or "NAME").upper()
    order = "CERTIFIED_YEAR" if order == "YEAR" else order  # a link made before the one name
    direction = (params.get("direction") or "ASC").upper()
    return TableQuery(f, export + day.export_params(), order if order in ORDERS else "NAME",
                      "DESC" if direction == "DESC" else "ASC", params.get("after") or None, page, day)
