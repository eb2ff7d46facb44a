"""The breakdowns both pages show (totals, stars, groups, producer types, years, expiring
certificates), as figure cards: the national page and a province's page differ only in the filter."""
from __future__ import annotations

from typing import Callable, Optional, Sequence

from hub.dashboard.data import Counted, Expiring
from hub.dashboard.day import Day
from hub.dashboard.format import (group_label, producer_type_label, stars_label, vn_date, vn_number,
                                  vn_percent)
from hub.dashboard.html import e, figure, table
from hub.dashboard.queries import EXPIRING_STATS, Figure
from hub.dashboard.svg import Bar, bar_chart, column_chart


def kpis(items: Sequence[tuple[str, int, Figure]]) -> str:
    """The headline numbers, each with the query that counted it."""
    cells = "".join(f'<li><span class="n">{vn_number(n)}</span>{e(label)} '
                    f'<a class="no-print" href="{e(f.graphiql_url())}" aria-label="Xem truy vấn: {e(label)}">'
                    f'<small>Xem truy vấn</small></a></li>' for label, n, f in items)
    return f'<ul class="kpis" aria-label="Số liệu chính">{cells}</ul>'


def by(dimension: str, downloads: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """A figure's /export/stats parameters: its dimension, then the page's filter and day."""
    return [("groupBy", dimension), *downloads]


def _breakdown(fid: str, title: str, counted: Counted, label: Callable[[object], str], header: str,
               downloads: list[tuple[str, str]], dimension: str) -> str:
    """A bar chart of one dimension with its table (count and share of the total)."""
    total = counted.total
    bars = [Bar(label(key), n) for key, n in counted.rows]
    rows = [(label(key), vn_number(n), vn_percent(n, total)) for key, n in counted.rows]
    rows.append(("Tổng", vn_number(total), vn_percent(total, total)))
    return figure(fid, title, bar_chart(bars, title), table(title, [header, "Số sản phẩm", "Tỉ lệ"], rows, (1, 2)),
                  counted.figure, by(dimension, downloads))


def stars_figure(counted: Counted, downloads: list[tuple[str, str]]) -> str:
    return _breakdown("theo-sao", "Theo hạng sao", counted, lambda k: stars_label(k), "Hạng sao", downloads, "STARS")  # type: ignore[arg-type]


def groups_figure(counted: Counted, downloads: list[tuple[str, str]]) -> str:
    return _breakdown("theo-nhom", "Theo nhóm sản phẩm (Quyết định 148/QĐ-TTg)", counted,
                      lambda k: group_label(k), "Nhóm sản phẩm", downloads, "GROUP")  # type: ignore[arg-type]


def producer_types_figure(counted: Counted, downloads: list[tuple[str, str]]) -> str:
    return _breakdown("theo-chu-the", "Theo loại chủ thể", counted, lambda k: producer_type_label(k),  # type: ignore[arg-type]
                      "Loại chủ thể", downloads, "PRODUCER_TYPE")


def legacy_figure(counted: Counted, downloads: list[tuple[str, str]]) -> str:
    return _breakdown("theo-tinh-cu", "Theo tỉnh cũ (trước 1/7/2025, như danh sách ghi)", counted,
                      lambda k: str(k) if k else "Không ghi tỉnh cũ", "Tỉnh cũ", downloads, "LEGACY_PROVINCE")


def years_figure(counted: Counted, downloads: list[tuple[str, str]]) -> str:
    """Certifications per year, oldest first; products without a known year are counted apart."""
    dated = [(str(k), n) for k, n in counted.rows if k is not None]
    undated = sum(n for k, n in counted.rows if k is None)
    title = "Số sản phẩm được công nhận theo năm"
    note = (f'<p class="muted">Chưa rõ năm công nhận: {vn_number(undated)} sản phẩm (không có trong biểu đồ).</p>'
            if undated else "")
    rows = [(y, vn_number(n)) for y, n in dated] + ([("Chưa rõ năm", vn_number(undated))] if undated else [])
    return figure("theo-nam", title, column_chart(dated, title), table(title, ["Năm", "Số sản phẩm"], rows, (1,)),
                  counted.figure, by("CERTIFIED_YEAR", downloads), wide=True, note=note)


def expiring_title(exp: Expiring, day: Day) -> str:
    start, end = exp.window
    when = "tới" if day.as_of is None else "kể từ ngày đang xem"
    return f"Chứng nhận hết hạn trong 180 ngày {when} ({vn_date(start)} – {vn_date(end)})"


def expiring_national(exp: Expiring, names: dict[str, str], day: Day) -> str:
    """Per province, how many certificates end within the window."""
    title = expiring_title(exp, day)
    ranked = sorted(exp.by_province.items(), key=lambda kv: (-kv[1], kv[0]))
    bars = [Bar(names.get(code, code), n, day.href(f"/province/{code}#het-han")) for code, n in ranked]
    rows = [(f'<a href="{e(day.href(f"/province/{code}#het-han"))}">{e(names.get(code, code))}</a>', vn_number(n))
            for code, n in ranked]
    rows.append(("Tổng", vn_number(sum(exp.by_province.values()))))
    return figure("het-han", title, bar_chart(bars, title),
                  table(title, ["Tỉnh, thành phố", "Số chứng nhận sắp hết hạn"], rows, (1,), raw=True),
                  exp.figure, _expiring_downloads(exp, day), note=_expiry_note())


def _expiring_downloads(exp: Expiring, day: Day) -> Optional[list[tuple[str, str]]]:
    """The figure's table when it is ``stats`` by province over the window (with the expiry
    filter); counted from a scan of the products, it has no stats download."""
    if exp.figure.query != EXPIRING_STATS:
        return None
    window = exp.figure.variables["filter"]
    return by("PROVINCE", [("expiryFrom", window["expiryFrom"]), ("expiryTo", window["expiryTo"]),
                           *day.export_params()])


def expiring_province(exp: Expiring, code: str, day: Day) -> str:
    """A province's certificates ending within the window, soonest first."""
    title = expiring_title(exp, day)
    n = exp.by_province.get(code, 0)
    rows = [(f'<a href="{e(day.href("/product/%d" % int(p["id"])))}">{e(p["name"])}</a>', e(stars_label(p["stars"])),
             e(vn_date(p["expiryDate"])))
            for p in exp.products]
    listing = (f'<details><summary>Xem danh sách ({vn_number(len(rows))} sản phẩm, hết hạn sớm nhất trước)</summary>'
               f'<div class="scroll">{table(title, ["Sản phẩm", "Hạng sao", "Ngày hết hạn"], rows, (), raw=True)}</div>'
               f'</details>' if rows else "")
    body = f'<p><strong>{vn_number(n)}</strong> chứng nhận hết hạn trong khoảng này.</p>{listing}'
    return (f'<section class="card wide" id="het-han" aria-labelledby="het-han-h"><h2 id="het-han-h">{e(title)}</h2>'
            f'{_expiry_note()}{body}<p class="links"><a href="{e(exp.figure.graphiql_url())}">Xem truy vấn</a></p></section>')


def _expiry_note() -> str:
    return ('<p class="muted">Chứng nhận có hiệu lực 36 tháng kể từ ngày quyết định; sản phẩm không có ngày '
            'quyết định thì không có ngày hết hạn và không được tính.</p>')
