"""GET /: the country at a glance. Every number comes from the API (hub.dashboard.data)."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Optional

from sqlalchemy.engine import Engine

from hub.access.keys import Principal
from hub.dashboard import breakdowns as bd
from hub.dashboard import data
from hub.api.coverage import LIST_STALE_AFTER_MONTHS, STALE_AFTER_DAYS
from hub.dashboard.format import COVERAGE_LABELS, HEALTH_LABELS, KIND_LABELS, days_since, vn_datetime, vn_number
from hub.dashboard.expiring import deferred_card
from hub.dashboard.day import Day
from hub.dashboard.html import dated_lede, e, figure, page, table
from hub.dashboard.year_end_cards import year_end_cards
from hub.dashboard.queries import COVERAGE, PROVINCES, Figure
from hub.dashboard.svg import Bar, Tile, bar_chart, tile_map


async def provinces(engine: Engine, principal: Optional[Principal]) -> list[dict[str, Any]]:
    """The 34 current provinces (code, name, fullName, legacyPredecessors), by code."""
    return (await data.run(engine, principal, Figure(PROVINCES)))["provinces"]


async def national_page(engine: Engine, principal: Optional[Principal], day: Day,
                        now: Optional[datetime] = None) -> str:
    now = now or datetime.now(timezone.utc)
    coverage_figure = Figure(COVERAGE, day.variables())
    inline_expiry = await data.has_expiry_filter(engine)  # otherwise the card loads from /het-han
    (units, (totals_figure, totals), stars, groups, types, years, by_province, coverage, expiring,
     year_ends) = await data.gather(
        provinces(engine, principal), data.totals(engine, principal, None, day),
        data.stats(engine, principal, "STARS", None, day), data.stats(engine, principal, "GROUP", None, day),
        data.stats(engine, principal, "PRODUCER_TYPE", None, day), data.stats(engine, principal, "CERTIFIED_YEAR", None, day),
        data.stats(engine, principal, "PROVINCE", None, day), data.run(engine, principal, coverage_figure),
        data.expiring(engine, principal, None, day) if inline_expiry else data.nothing(),
        year_end_cards(engine, principal, None, day))
    names = {p["code"]: p["name"] for p in units}
    rows = coverage["coverage"]
    reporting = sum(1 for r in rows if r["status"] != "NO_SOURCE")
    stale = sum(1 for r in rows if r["status"] == "STALE")
    downloads = day.export_params()
    main = (
        '<h1>Sản phẩm OCOP toàn quốc</h1>'
        f'<p class="lede">Sản phẩm được công nhận (còn hiệu lực hoặc đã hết hạn; không tính sản phẩm đã thu hồi), '
        f'theo 34 tỉnh, thành phố sau sắp xếp ngày 1/7/2025. {dated_lede(day, now)}</p>'
        + bd.kpis([("sản phẩm OCOP", totals["products"], totals_figure),
                   ("chủ thể có sản phẩm", totals["producers"], totals_figure),
                   (f"tỉnh, thành phố đã báo cáo (trên {len(units)}; hiện nay)", reporting, coverage_figure),
                   ("tỉnh, thành phố quá hạn báo cáo (hiện nay)", stale, coverage_figure)])
        + '<div class="grid">'
        + _provinces_figure(by_province, names, day)
        + year_ends
        + bd.stars_figure(stars, downloads) + bd.groups_figure(groups, downloads)
        + bd.producer_types_figure(types, downloads)
        + (bd.expiring_national(expiring, {**names, **expiring.names}, day) if expiring else deferred_card(None, day))
        + bd.years_figure(years, downloads)
        + _coverage_section(rows, coverage_figure, now, day)
        + '</div>')
    return page("Toàn quốc", main, day, [(p["code"], p["name"]) for p in units], None, now)


def _provinces_figure(counted: data.Counted, names: dict[str, str], day: Day) -> str:
    """Products per province, all 34 ranked (none left out for having no products), beside the
    tile map of the same counts."""
    counts = {key["code"]: n for key, n in counted.rows}
    ranked = sorted(((c, counts.get(c, 0)) for c in {**names, **counts}), key=lambda kv: (-kv[1], kv[0]))
    title = "Số sản phẩm theo tỉnh, thành phố"
    bars = bar_chart([Bar(names.get(c, c), n, day.href(f"/province/{c}")) for c, n in ranked], title)
    tiles = tile_map([Tile(c, name, counts.get(c, 0), day.href(f"/province/{c}")) for c, name in names.items()],
                     "Bản đồ ô: số sản phẩm của 34 tỉnh, thành phố")
    rows = [(f'<a href="{e(day.href(f"/province/{c}"))}">{e(name)}</a>', e(c), vn_number(counts.get(c, 0)))
            for c, name in sorted(names.items(), key=lambda kv: (-counts.get(kv[0], 0), kv[0]))]
    rows.append(("Tổng", "", vn_number(counted.total)))
    chart = (f'<div class="maprow"><div>{bars}</div><div><h3>Bản đồ ô (mỗi ô một tỉnh, thành phố)</h3>'
             f'{tiles}</div></div>')
    return figure("theo-tinh", title, chart, table(title, ["Tỉnh, thành phố", "Mã", "Số sản phẩm"], rows, (2,), raw=True),
                  counted.figure, bd.by("PROVINCE", day.export_params()), wide=True)


def _staleness(row: dict[str, Any], now: datetime) -> str:
    """In words first (colour only repeats it): the API's status (no source, stale, current),
    with its age, and for a merged province each former province's own."""
    days = days_since(row["lastSuccessAt"], now)
    if row["status"] == "NO_SOURCE":
        said = '<span class="muted">Chưa có nguồn</span>'
    elif row["status"] == "STALE":
        since = f" (lần cuối {vn_number(days)} ngày trước)" if days else ""
        said = f'<span class="stale">Quá hạn{since}</span>'
    else:
        ago = "hôm nay" if not days else f"{vn_number(days)} ngày trước"
        said = f'<span class="current">Cập nhật</span> <span class="muted">({ago})</span>'
    parts = row["formerProvinces"]
    if len(parts) < 2:
        return said
    return said + '<ul class="plain">' + "".join(
        f'<li>{e(p["name"])}: {e(COVERAGE_LABELS[p["status"]])}</li>' for p in parts) + '</ul>'


def _sources(row: dict[str, Any]) -> str:
    if not row["sources"]:
        return '<span class="muted">—</span>'
    items = "".join(f'<li>{e(s["name"])} <span class="muted">({e(KIND_LABELS.get(s["kind"], s["kind"]))}; '
                    f'{e(HEALTH_LABELS.get(s["health"], s["health"]))})</span></li>' for s in row["sources"])
    return f'<ul class="plain">{items}</ul>'


def _coverage_section(rows: list[dict[str, Any]], source: Figure, now: datetime, day: Day) -> str:
    """Every province: its sources, last success, staleness, rejected and warned rows, conflicts
    (as they are now, whatever the page's date: reporting is the hub's own state), and its products
    at the page's date."""
    title = "Tình hình báo cáo của các tỉnh, thành phố" + (
        f" (nguồn: hiện nay; sản phẩm: tại ngày {day.label})" if day.as_of else "")
    body = [(f'<a href="{e(day.href("/province/" + r["province"]["code"]))}">{e(r["province"]["name"])}</a>', _sources(r),
             e(vn_datetime(r["lastSuccessAt"])), _staleness(r, now), vn_number(r["productCount"]),
             vn_number(r["rejectedCount"]), vn_number(r["warnedCount"]), vn_number(r["conflictCount"]))
            for r in rows]
    headers = ["Tỉnh, thành phố", "Nguồn dữ liệu", "Lần thành công gần nhất", "Tình trạng", "Sản phẩm",
               "Dòng bị từ chối", "Dòng có cảnh báo", "Xung đột"]
    return (f'<section class="card wide" id="bao-cao" aria-labelledby="bao-cao-h"><h2 id="bao-cao-h">{e(title)}</h2>'
            f'<p class="muted">Một nguồn quá hạn khi không có lần thu thập hoặc gửi thành công nào trong '
            f'{STALE_AFTER_DAYS} ngày, hoặc khi danh sách của nguồn có ngày (quyết định mới nhất) cũ hơn '
            f'{LIST_STALE_AFTER_MONTHS} tháng. Một tỉnh sau sáp nhập '
            f'chỉ cập nhật khi mọi tỉnh cũ hợp thành đều cập nhật. '
            f'Dòng bị từ chối: trong lần nhập gần nhất của mỗi nguồn.</p>'
            f'<div class="scroll">{table(title, headers, body, (4, 5, 6, 7), tid="bang-bao-cao", raw=True)}</div>'
            f'<p class="links"><a href="{e(source.graphiql_url())}">Xem truy vấn</a>'
            f'<a href="/export/conflicts.csv">Tải xung đột (CSV)</a></p></section>')
