"""HTML building blocks: the page shell, a figure (chart, table view, query and download links),
tables. Plain string building with html.escape on every value from the data: no template engine
to install, and one place (``e``) where text becomes markup."""
from __future__ import annotations

from datetime import datetime, timezone
from html import escape
from typing import Iterable, Optional, Sequence
from urllib.parse import urlencode

from hub.dashboard.assets import CSS, JS
from hub.dashboard.day import EARLIEST, NOT_KEPT, PARAM, Day
from hub.dashboard.format import vn_datetime
from hub.dashboard.queries import Figure


def e(value: object) -> str:
    """Any value as HTML text (quotes escaped too: the same helper fills attributes)."""
    return escape("" if value is None else str(value), quote=True)


def export_links(params: Sequence[tuple[str, str]], label: str = "") -> str:
    """CSV and Parquet downloads of the same products (/export/products.*, the products filter's
    parameters, ``as_of`` on a dated page); with a key, the page's script sends it (data-export
    names the file)."""
    query = ("?" + urlencode(list(params))) if params else ""
    suffix = f" {label}" if label else ""
    return (f'<a href="/export/products.csv{e(query)}" data-export="ocop-products.csv">Tải CSV{e(suffix)}</a>'
            f'<a href="/export/products.parquet{e(query)}" data-export="ocop-products.parquet">'
            f'Tải Parquet{e(suffix)}</a>')


def stats_links(params: Sequence[tuple[str, str]]) -> str:
    """CSV and Parquet downloads of a figure's own table (/export/stats.*: its dimensions, filter
    and day or days, every unit listed, zeros included); the CSV with the page's Vietnamese labels."""
    csv_query, parquet_query = urlencode([*params, ("lang", "vi")]), urlencode(list(params))
    return (f'<a href="/export/stats.csv?{e(csv_query)}" data-export="ocop-stats.csv">Tải CSV</a>'
            f'<a href="/export/stats.parquet?{e(parquet_query)}" data-export="ocop-stats.parquet">Tải Parquet</a>')


def figure(fid: str, title: str, chart: str, table_html: str, source: Figure,
           downloads: Sequence[tuple[str, str]] | None = (), wide: bool = False, note: str = "") -> str:
    """One figure card: heading, chart, its numbers as a table (closed <details>), the link that
    opens its GraphQL query in GraphiQL, and the downloads of its table (``downloads``: the
    /export/stats parameters that give it; None: none)."""
    links = f'<a href="{e(source.graphiql_url())}" aria-label="Xem truy vấn: {e(title)}">Xem truy vấn</a>'
    if downloads is not None:
        links += stats_links(downloads)
    return (f'<section class="card{" wide" if wide else ""}" id="{e(fid)}" aria-labelledby="{e(fid)}-h">'
            f'<h2 id="{e(fid)}-h">{e(title)}</h2>{note}<div class="scroll">{chart}</div>'
            f'<details><summary>Xem bảng số liệu</summary>{table_html}</details>'
            f'<p class="links">{links}</p></section>')


def table(caption: str, headers: Sequence[str], rows: Iterable[Sequence[str]], numeric: Sequence[int] = (),
          tid: Optional[str] = None, raw: bool = False, empty: str = "Không có dữ liệu.") -> str:
    """A table with a caption and column headers; cells are escaped unless ``raw`` (already
    markup); columns in ``numeric`` align right."""
    head = "".join(f'<th scope="col"{" class=n" if i in numeric else ""}>{e(h)}</th>' for i, h in enumerate(headers))
    body = []
    for row in rows:
        cells = "".join(f'<td{" class=n" if i in numeric else ""}>{c if raw else e(c)}</td>' for i, c in enumerate(row))
        body.append(f"<tr>{cells}</tr>")
    if not body:
        body.append(f'<tr><td colspan="{len(headers)}" class="muted">{e(empty)}</td></tr>')
    ident = f' id="{e(tid)}"' if tid else ""
    return (f'<table{ident}><caption>{e(caption)}</caption><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table>')


def province_picker(provinces: Sequence[tuple[str, str]], current: Optional[str], day: Day) -> str:
    options = '<option value="">Chọn tỉnh, thành phố</option>' + "".join(f'<option value="{e(code)}"{" selected" if code == current else ""}>{e(name)}</option>'
                      for code, name in provinces)
    return (f'<form action="/province" method="get" class="no-print"><label>Tỉnh, thành phố '
            f'<select name="code">{options}</select></label> {hidden_day(day)}<button type="submit">Xem</button></form>')


def page(title: str, main: str, day: Day, provinces: Sequence[tuple[str, str]] = (), current: Optional[str] = None,
         now: Optional[datetime] = None) -> str:
    """The whole document: skip link, banner with navigation, the date field, key entry and print
    button, the main content (which starts, in print only, with the page's date), the footer saying
    when (``now``, default this instant) and from what the figures came, and the inline script."""
    generated = vn_datetime(now or datetime.now(timezone.utc))
    nav = (f'<nav aria-label="Điều hướng chính"><ul><li><a href="{e(day.href("/"))}">Toàn quốc</a></li>'
           f'<li><a href="/graphql">GraphiQL</a></li><li><a href="/nop-du-lieu">Nộp dữ liệu</a></li>'
           f'<li>{province_picker(provinces, current, day) if provinces else ""}</li></ul></nav>')
    key = ('<form id="key-form" class="no-print" autocomplete="off"><label for="key-input">Khóa API</label> '
           '<input id="key-input" type="password" size="18" placeholder="ocop_…" aria-describedby="key-status"> '
           '<button type="submit">Dùng khóa</button> <button type="button" id="key-clear" hidden>Xóa khóa</button> '
           '<span id="key-status" role="status" aria-live="polite"></span></form>')
    return (f'<!doctype html><html lang="vi"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">'
            f'<title>{e(title)} · OCOP Hub</title><style>{CSS}</style></head><body>'
            f'<a class="skip" href="#main">Bỏ qua, đến nội dung chính</a>'
            f'<header class="top" role="banner"><p class="brand"><a href="{e(day.href("/"))}">OCOP Hub</a> · Chương trình '
            f'Mỗi xã một sản phẩm</p>{nav}{date_field(day)}{key}'
            f'<button type="button" id="print" class="no-print">In báo cáo</button>'
            f'</header><main id="main" tabindex="-1">{print_line(day, generated)}{main}</main>'
            f'<footer role="contentinfo"><p>Tạo lúc {e(generated)} (giờ Việt Nam). '
            f'Số liệu lấy qua API GraphQL của OCOP Hub '
            f'(<a href="/graphql">/graphql</a>); mỗi biểu đồ có liên kết “Xem truy vấn”.</p></footer>'
            f'<script>{JS}</script></body></html>')


def error_box(message: str) -> str:
    return f'<div class="error" role="alert">{e(message)}</div>'


def hidden(pairs: Iterable[tuple[str, str]]) -> str:
    return "".join(f'<input type="hidden" name="{e(k)}" value="{e(v)}">' for k, v in pairs)


def hidden_day(day: Day) -> str:
    """The page's day as a hidden field of another GET form (the province picker, the table's filters)."""
    return hidden(day.params())


def date_field(day: Day) -> str:
    """The "Số liệu tại ngày" GET form of ``day``'s page: a date field (a plain text field where a
    browser has none; the server checks either), the page's other parameters as hidden fields, and
    "Hôm nay" back to today while a day is chosen. Works without script."""
    others = [(k, v) for k, v in day.query if k not in NOT_KEPT]
    kept = hidden(others)
    today_link = ""
    if day.chosen is not None:
        today_link = f' <a href="{e(day.path + ("?" + urlencode(others) if others else ""))}">Hôm nay</a>'
    return (f'<form method="get" action="{e(day.path)}" class="no-print date-form" role="search" '
            f'aria-label="Số liệu tại ngày"><label for="ngay">Số liệu tại ngày</label> '
            f'<input id="ngay" name="{PARAM}" type="date" min="{EARLIEST.isoformat()}" max="{day.today.isoformat()}" '
            f'value="{day.chosen.isoformat() if day.chosen else ""}" aria-describedby="ngay-help"> {kept}'
            f'<button type="submit">Xem</button>{today_link} <span id="ngay-help">(để trống: hôm nay)</span></form>')


def dated_lede(day: Day, now: Optional[datetime] = None) -> str:
    """The page's lede on its date: "Số liệu lúc …" today, "Số liệu tại ngày …" on a chosen day."""
    now = now or datetime.now(timezone.utc)
    if day.chosen is None:
        return f"Số liệu lúc {e(vn_datetime(now))}."
    return f"Số liệu tại ngày {day.label}, theo dữ liệu hub có lúc {e(vn_datetime(now))}."


def print_line(day: Day, now: str) -> str:
    """What a printed page says of its date (the form is not printed): the day, and that the
    figures are as the hub knew them when the page was made (``now``, Vietnam's time)."""
    return (f'<p class="print-only">Số liệu tại ngày {day.label}, theo dữ liệu hub có lúc {e(now)} '
            f'(giờ Việt Nam).</p>')
