"""A province's product table: search, the `products` filters, keyset pages; server-rendered as
the request's caller (personal data by the API's rules), swapped for the keyed view by the page's
script when the reader entered a key (the region is ``data-keyed``)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional, Sequence
from urllib.parse import urlencode

from sqlalchemy.engine import Engine

from hub.api.enums import ProducerType, ProductGroup, ProductStatus
from hub.access.keys import Principal
from hub.dashboard import data
from hub.dashboard.format import (group_label, producer_type_label, stars_label, status_label, vn_date,
                                  vn_number)
from hub.dashboard.html import e, error_box, export_links, hidden_day, table
from hub.dashboard.params import PAGE_SIZE, TableQuery
from hub.dashboard.queries import PRODUCT_TABLE, Figure

ORDER_LABELS = {"NAME": "Tên sản phẩm", "STARS": "Hạng sao", "CERTIFIED_YEAR": "Năm công nhận", "UPDATED_AT": "Ngày cập nhật"}


@dataclass
class TableAnswer:
    """The table's `products` answer, or the API's refusal of the reader's filter."""

    figure: Figure
    products: Optional[dict[str, Any]]
    error: Optional[str] = None


async def fetch_table(engine: Engine, principal: Optional[Principal], q: TableQuery) -> TableAnswer:
    figure = Figure(PRODUCT_TABLE, q.variables())
    try:
        return TableAnswer(figure, (await data.run(engine, principal, figure))["products"])
    except data.QueryFailed as failed:
        return TableAnswer(figure, None, str(failed))


def product_table(answer: TableAnswer, code: str, q: TableQuery, sources: Sequence[str], legacy: Sequence[str]) -> str:
    """The whole ``#san-pham`` section: form, count, table, pager, query and download links."""
    body = (_results(answer.products, code, q) if answer.products is not None
            else error_box("Không lọc được: " + str(answer.error)))
    links = (f'<p class="links"><a href="{e(answer.figure.graphiql_url())}">Xem truy vấn</a>'
             f'{export_links(q.export_params, "(đúng bộ lọc này)")}</p>')
    return (f'<section class="card wide" id="san-pham" data-keyed aria-labelledby="san-pham-h">'
            f'<h2 id="san-pham-h">Danh sách sản phẩm</h2>{_form(code, q, sources, legacy)}{body}{links}</section>')


def _results(answer: dict[str, Any], code: str, q: TableQuery) -> str:
    total = answer["totalCount"]
    edges = answer["edges"]
    first = (q.page - 1) * PAGE_SIZE + 1
    shown = (f"Tìm thấy <strong>{vn_number(total)}</strong> sản phẩm"
             + (f"; đang hiển thị {vn_number(first)}–{vn_number(first + len(edges) - 1)}." if edges else "."))
    rows = [_row(edge["node"], q) for edge in edges]
    headers = ["Sản phẩm", "Hạng sao", "Nhóm", "Chủ thể", "Loại chủ thể", "Điện thoại", "Thư điện tử",
               "Năm công nhận", "Ngày hết hạn", "Trạng thái"]
    listing = table("Sản phẩm OCOP (trang này)", headers, rows, (7,), tid="bang-san-pham", raw=True)
    return f'<p role="status">{shown}</p><div class="scroll">{listing}</div>{_pager(answer, code, q)}'


def _row(p: dict[str, Any], q: TableQuery) -> list[str]:
    producer = p.get("producer") or {}
    return [f'<a href="{e(q.day.href("/product/%d" % int(p["id"])))}">{e(p["name"])}</a>'
            + (' <span class="muted">(tiềm năng 5 sao)</span>' if p.get("proposedFiveStar") else ""),
            e(stars_label(p["stars"])), e(group_label(p["group"])),
            e(producer.get("name") or "—"), e(producer_type_label(producer.get("producerType")) if producer else "—"),
            e(producer.get("phone") or "—"), e(producer.get("email") or "—"),
            e(p.get("certifiedYear") or "—"), e(vn_date(p.get("expiryDate"))), e(status_label(p["status"]))]


def _pager(answer: dict[str, Any], code: str, q: TableQuery) -> str:
    """First page and next page (keyset cursors go forward; the browser's Back goes back)."""
    keep = [(k, v) for k, v in q.export_params if k not in ("province", "as_of")] + q.day.params()
    if q.order_by != "NAME" or q.direction != "ASC":
        keep += [("orderBy", q.order_by), ("direction", q.direction)]
    links = []
    if q.page > 1:
        links.append(f'<a href="/province/{e(code)}?{e(urlencode(keep))}#san-pham">« Trang đầu</a>')
    info = answer["pageInfo"]
    if info["hasNextPage"]:
        nxt = urlencode(keep + [("after", info["endCursor"]), ("page", str(q.page + 1))])
        links.append(f'<a href="/province/{e(code)}?{e(nxt)}#san-pham" rel="next">Trang sau »</a>')
    pages = max(1, -(-answer["totalCount"] // PAGE_SIZE))
    return (f'<nav class="pager" aria-label="Phân trang danh sách sản phẩm"><span>Trang {vn_number(q.page)}/'
            f'{vn_number(pages)}</span>{"".join(links)}</nav>')


def _select(name: str, label: str, options: Sequence[tuple[str, str]], chosen: str, blank: str = "Tất cả") -> str:
    opts = f'<option value="">{e(blank)}</option>' + "".join(
        f'<option value="{e(v)}"{" selected" if v == chosen else ""}>{e(text)}</option>' for v, text in options)
    return f'<label>{e(label)}<select name="{e(name)}">{opts}</select></label>'


def _form(code: str, q: TableQuery, sources: Sequence[str], legacy: Sequence[str]) -> str:
    """The `products` filters as a GET form (works without script; the URL is shareable)."""
    stars = q.filter.get("stars") or []
    boxes = "".join(f'<label class="inline"><input type="checkbox" name="stars" value="{n}"'
                    f'{" checked" if n in stars else ""}> {n} sao</label>' for n in (3, 4, 5))
    fields = [
        f'<label>Tìm theo tên (có hoặc không dấu)<input type="search" name="search" value="{e(q.value("search"))}" '
        f'placeholder="vd. mat ong"></label>',
        f'<fieldset class="filters"><legend>Hạng sao</legend>{boxes}</fieldset>',
        _select("group", "Nhóm sản phẩm", [(g.name, group_label(g.name)) for g in ProductGroup], q.value("group")),
        _select("producerType", "Loại chủ thể", [(t.name, producer_type_label(t.name)) for t in ProducerType],
                q.value("producerType")),
        _select("status", "Trạng thái", [(s.name, status_label(s.name)) for s in ProductStatus], q.value("status")),
        _select("source", "Nguồn", [(s, s) for s in sources], q.value("source")),
        _select("legacyProvince", "Tỉnh cũ", [(n, n) for n in legacy], q.value("legacyProvince")),
        f'<label>Từ năm<input type="number" name="certifiedYearFrom" min="2018" max="2100" value="{e(q.value("certifiedYearFrom"))}"></label>',
        f'<label>Đến năm<input type="number" name="certifiedYearTo" min="2018" max="2100" value="{e(q.value("certifiedYearTo"))}"></label>',
        _select("orderBy", "Sắp xếp theo", [(k, v) for k, v in ORDER_LABELS.items() if k != "NAME"],
                q.order_by if q.order_by != "NAME" else "", blank=ORDER_LABELS["NAME"]),
        _select("direction", "Chiều", [("DESC", "Giảm dần")], q.direction if q.direction == "DESC" else "",
                blank="Tăng dần"),
        hidden_day(q.day) + '<button type="submit">Lọc</button>',
        f'<a href="{e(q.day.href(f"/province/{code}#san-pham"))}">Bỏ lọc</a>',
    ]
    return (f'<form class="filters" method="get" action="/province/{e(code)}#san-pham" role="search" '
            f'aria-label="Lọc sản phẩm">{"".join(fields)}</form>')
