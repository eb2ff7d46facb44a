"""GET /province/{code}: one province's breakdowns, sources and import summaries, certificates
expiring soon, and its searchable product table. Every number comes from the API."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Optional
from urllib.parse import urlencode

from sqlalchemy.engine import Engine

from hub.access.keys import Principal
from hub.dashboard import breakdowns as bd
from hub.dashboard import data
from hub.dashboard.format import (BATCH_KIND_LABELS, BATCH_STATUS_LABELS, HEALTH_LABELS, KIND_LABELS, vn_datetime,
                                  vn_number)
from hub.dashboard.expiring import deferred_card
from hub.dashboard.html import dated_lede, e, page, table
from hub.dashboard.params import TableQuery
from hub.dashboard.products import TableAnswer, fetch_table, product_table
from hub.dashboard.queries import COVERAGE, IMPORT_BATCHES, Figure
from hub.dashboard.year_end_cards import year_end_cards


def find(units: list[dict[str, Any]], code: str) -> Optional[dict[str, Any]]:
    return next((p for p in units if p["code"] == code), None)


def _table(code: str, q: TableQuery, answer: TableAnswer, units: list[dict[str, Any]],
           coverage: list[dict[str, Any]]) -> str:
    row = next((r for r in coverage if r["province"]["code"] == code), None)
    sources = [s["name"] for s in row["sources"]] if row else []
    legacy = (find(units, code) or {}).get("legacyPredecessors") or []
    return product_table(answer, code, q, sources, legacy)


async def province_table(engine: Engine, principal: Optional[Principal], code: str, q: TableQuery,
                         units: list[dict[str, Any]]) -> str:
    """Only the keyed region (the product table), for the page's script."""
    coverage, answer = await data.gather(data.run(engine, principal, Figure(COVERAGE)), fetch_table(engine, principal, q))
    return _table(code, q, answer, units, coverage["coverage"])


async def province_page(engine: Engine, principal: Optional[Principal], code: str, q: TableQuery,
                        units: list[dict[str, Any]], now: Optional[datetime] = None) -> str:
    """The province ``code``'s page at the table query's day (``q.day``)."""
    now = now or datetime.now(timezone.utc)
    day = q.day
    unit = find(units, code)
    assert unit is not None, "the route answers 404 for an unknown province"
    batches_figure = Figure(IMPORT_BATCHES, {"province": code})
    coverage_figure = Figure(COVERAGE, day.variables())
    inline_expiry = await data.has_expiry_filter(engine)  # otherwise the card loads from /het-han
    ((totals_figure, totals), stars, groups, types, years, legacy, coverage, batches, expiring, answer,
     year_ends) = await data.gather(
        data.totals(engine, principal, code, day), data.stats(engine, principal, "STARS", code, day),
        data.stats(engine, principal, "GROUP", code, day), data.stats(engine, principal, "PRODUCER_TYPE", code, day),
        data.stats(engine, principal, "CERTIFIED_YEAR", code, day), data.stats(engine, principal, "LEGACY_PROVINCE", code, day),
        data.run(engine, principal, coverage_figure), data.run(engine, principal, batches_figure),
        data.expiring(engine, principal, code, day) if inline_expiry else data.nothing(),
        fetch_table(engine, principal, q), year_end_cards(engine, principal, code, day))
    rows = coverage["coverage"]
    table_html = _table(code, q, answer, units, rows)
    row = next((r for r in rows if r["province"]["code"] == code), None)
    downloads = [("province", code), *day.export_params()]
    predecessors = unit.get("legacyPredecessors") or []
    merged = (f' Gồm các tỉnh cũ: {e(", ".join(predecessors))}.' if predecessors else "")
    main = (
        f'<nav aria-label="Vị trí trang" class="no-print"><a href="{e(day.href("/"))}">Toàn quốc</a> › '
        f'{e(unit["name"])}</nav><h1>Sản phẩm OCOP: {e(unit["fullName"])}</h1>'
        f'<p class="lede">Mã tỉnh {e(code)}.{merged} {dated_lede(day, now)}</p>'
        + bd.kpis([("sản phẩm OCOP", totals["products"], totals_figure),
                   ("chủ thể có sản phẩm", totals["producers"], totals_figure),
                   ("nguồn dữ liệu (hiện nay)" if day.as_of else "nguồn dữ liệu", len(row["sources"]) if row else 0,
                    coverage_figure),
                   ("dòng bị từ chối (lần nhập gần nhất của mỗi nguồn)", row["rejectedCount"] if row else 0,
                    coverage_figure)])
        + '<div class="grid">'
        + year_ends
        + bd.stars_figure(stars, downloads) + bd.groups_figure(groups, downloads)
        + bd.producer_types_figure(types, downloads) + bd.legacy_figure(legacy, downloads)
        + bd.years_figure(years, downloads)
        + _sources_section(row, batches["importBatches"], coverage_figure, batches_figure)
        + (bd.expiring_province(expiring, code, day) if expiring else deferred_card(code, day))
        + table_html
        + '</div>')
    return page(unit["name"], main, day, [(p["code"], p["name"]) for p in units], code, now)


def _sources_section(row: Optional[dict[str, Any]], batches: dict[str, Any], coverage: Figure, audit: Figure) -> str:
    """The province's sources (coverage) and its latest imports (importBatches), with their counts."""
    sources = row["sources"] if row else []
    source_rows = [
        (e(s["name"]), e(KIND_LABELS.get(s["kind"], s["kind"])), e(HEALTH_LABELS.get(s["health"], s["health"])),
         e(vn_datetime(s["lastSuccessAt"])), vn_number(s["recordCount"]),
         (f'<a href="/export/rejected.csv?{e(urlencode({"source": s["name"], "lang": "vi"}))}">'
          f'{vn_number(s["rejectedCount"])}</a>' if s["rejectedCount"] else "0"),
         vn_number(s["warnedCount"]), vn_number(s["conflictCount"]))
        for s in sources]
    batch_rows = [
        (f'#{b["id"]}', e(b["source"]), e(BATCH_KIND_LABELS.get(b["kind"], b["kind"])), e(b["actor"]),
         e(BATCH_STATUS_LABELS.get(b["status"], b["status"])) + (" (đã hoàn tác)" if b["reverted"] else ""),
         e(vn_datetime(b["finishedAt"] or b["startedAt"])), vn_number(b["rowsRead"]), vn_number(b["created"]),
         vn_number(b["updated"]), vn_number(b["unchanged"]), vn_number(b["withdrawn"]), vn_number(b["rejected"]),
         e(", ".join(f'{w["code"]} {vn_number(w["count"])}' for w in b["warnings"]) or "—"))
        for b in (edge["node"] for edge in batches["edges"])]
    return (
        '<section class="card wide" id="nguon" aria-labelledby="nguon-h"><h2 id="nguon-h">Nguồn dữ liệu và các lần nhập</h2>'
        + '<div class="scroll">' + table("Nguồn dữ liệu", ["Nguồn", "Loại", "Tình trạng", "Lần thành công gần nhất",
                                         "Dòng hiện có", "Dòng bị từ chối", "Dòng có cảnh báo", "Xung đột"],
                                         source_rows, (4, 5, 6, 7), raw=True) + '</div>'
        + '<div class="scroll">' + table(f"Các lần nhập gần nhất ({vn_number(len(batch_rows))} trên "
                                         f"{vn_number(batches['totalCount'])})",
                                         ["Lô", "Nguồn", "Loại", "Người/công cụ", "Kết quả", "Lúc", "Dòng đọc", "Tạo mới",
                                          "Cập nhật", "Không đổi", "Thu hồi", "Từ chối", "Cảnh báo"],
                                         batch_rows, (6, 7, 8, 9, 10, 11), raw=True) + '</div>'
        + f'<p class="links"><a href="{e(coverage.graphiql_url())}">Xem truy vấn (nguồn)</a>'
          f'<a href="{e(audit.graphiql_url())}">Xem truy vấn (các lần nhập)</a></p></section>')
