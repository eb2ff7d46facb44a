"""Every figure's "Tải CSV" against the figure itself: the link read from the page, the file fetched
over HTTP from the same server, and its rows set against the figure's table (the one under "Xem
bảng số liệu"). Used by test_figure_downloads (the served HTML) and the browser test (the DOM
chromium rendered)."""
from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from html import unescape
from typing import Callable

from hub.dashboard.format import stars_label, vn_date
from tests.dashboard.demo import Demo, table_rows

UNKNOWN = {"theo-nhom": "Chưa xác định nhóm", "theo-chu-the": "Chưa rõ loại chủ thể",
           "theo-tinh-cu": "Không ghi tỉnh cũ", "theo-nam": "Chưa rõ năm"}
"""What a figure's table calls the bucket the file leaves empty (unknown group, type, province, year)."""
LABEL_COLUMN: dict[str, Callable[[dict[str, str]], str]] = {
    "theo-sao": lambda r: stars_label(int(r["Số sao"])),
    "theo-nhom": lambda r: r["Nhóm sản phẩm"] or UNKNOWN["theo-nhom"],
    "theo-chu-the": lambda r: r["Loại chủ thể"] or UNKNOWN["theo-chu-the"],
    "theo-tinh-cu": lambda r: r["Tỉnh cũ (trước 7/2025)"] or UNKNOWN["theo-tinh-cu"],
    "theo-nam": lambda r: r["Năm công nhận"] or UNKNOWN["theo-nam"],
    "het-han": lambda r: r["Tỉnh, thành phố"],
}
"""The figure's first column, read from a row of its file (the CSV's Vietnamese headers and labels)."""


def number(text: str) -> int:
    return int(text.replace(".", ""))


def download_links(dom: str) -> dict[str, str]:
    """Each figure's (section id's) "Tải CSV" link."""
    links = {}
    for fid, body in re.findall(r'<section class="card[^"]*" id="([^"]+)"(.*?)</section>', dom, re.S):
        found = re.findall(r'<a href="([^"]+)"[^>]*>Tải CSV</a>', body)
        if found:
            links[fid] = unescape(found[0])
    return links


def fetch_csv(demo: Demo, link: str) -> list[dict[str, str]]:
    response = demo.get(link)
    assert response.status_code == 200, (link, response.text[:500])
    assert response.content.startswith("\ufeff".encode()), link
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def check_figure(demo: Demo, dom: str, fid: str, link: str) -> int:
    """The figure's table equals its download (zeros aside: the file lists every unit); returns
    the file's rows."""
    assert link.startswith("/export/stats.csv?"), (fid, link)
    rows = fetch_csv(demo, link)
    shown = table_rows(dom, fid)
    if fid == "theo-tinh":
        table = {code: number(n) for _, code, n in shown if code}
        assert {r["Mã tỉnh"]: int(r["Số sản phẩm"]) for r in rows} == table and len(rows) == 34, fid
    elif fid == "cuoi-nam":
        _check_year_end(rows, shown)
    else:
        table = {row[0]: number(row[1]) for row in shown if row[0] != "Tổng"}
        counted = {LABEL_COLUMN[fid](r): int(r["Số sản phẩm"]) for r in rows}
        assert {k: n for k, n in counted.items() if n} == table, (fid, link)
        assert len(counted) == len(rows), f"{fid}: one row per unit"
    assert len({r["Tại ngày"] for r in rows}) >= 1
    return len(rows)


def _check_year_end(rows: list[dict[str, str]], shown: list[list[str]]) -> None:
    """Per day: in force (ACTIVE) by stars, their total, the ended (EXPIRED) and the certified."""
    by_day: dict[str, dict[tuple[str, int], int]] = defaultdict(dict)
    for r in rows:
        by_day[vn_date(r["Tại ngày"])][(r["Trạng thái"], int(r["Số sao"]))] = int(r["Số sản phẩm"])
    assert [row[0] for row in shown] == list(by_day), "one block of rows per day of the series"
    for day, *cells in shown:
        counts = by_day[day]
        in_force = [n for (status, _), n in sorted(counts.items(), key=lambda kv: kv[0][1]) if status == "Còn hiệu lực"]
        ended = sum(n for (status, _), n in counts.items() if status == "Hết hạn")
        numbers = [number(c) for c in cells]
        assert numbers[-3:] == [sum(in_force), ended, sum(in_force) + ended], day
        assert [n for n in in_force if n] == [n for n in numbers[:-3] if n], day


def check_page(demo: Demo, dom: str, expected: set[str]) -> dict[str, int]:
    """Every figure of a page has its own download, and each matches; returns rows per figure."""
    links = download_links(dom)
    assert set(links) == expected, sorted(links)
    assert not any("/export/products." in link for link in links.values())
    return {fid: check_figure(demo, dom, fid, link) for fid, link in links.items()}
