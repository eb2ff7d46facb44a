"""The dashboard at a chosen date ("Số liệu tại ngày", ``?ngay=``) over real HTTP, on the demo store
(the sample registries harvested: certificates from 2018 to 2025, so a past date differs from today).

Every figure of a dated page is compared with the API's own answer at that date (``asOf``), fetched
over HTTP from the same server; the year-end series is compared, year by year, with
``stats(asOf: YYYY-12-31)``.
"""
from __future__ import annotations

import json
import re
from datetime import date, timedelta
from html import unescape
from typing import Any, Optional
from urllib.parse import parse_qs, urlsplit

from hub.store.certificates import current_date
from hub.dashboard.targets import load_targets
from tests.dashboard.demo import Demo, table_rows

DAY = "2021-12-31"


def number(text: str) -> int:
    return int(text.replace(".", ""))


def stats(demo: Demo, dim: str, key: str, day: Optional[str], filter: Optional[dict[str, Any]] = None) -> dict[Any, int]:
    answer = demo.graphql(f"query($f: ProductFilter, $d: Date) {{ stats(groupBy: [{dim}], filter: $f, asOf: $d) "
                          f"{{ key {{ {key} }} count }} }}", {"f": filter or {}, "d": day})
    field = key.split(" ")[0]
    return {(b["key"][field]["code"] if field == "province" else b["key"][field]): b["count"] for b in answer["stats"]}


def total(demo: Demo, day: Optional[str], filter: Optional[dict[str, Any]] = None) -> int:
    return demo.graphql("query($f: ProductFilter, $d: Date) { products(filter: $f, first: 0, asOf: $d) { totalCount } }",
                        {"f": filter or {}, "d": day})["products"]["totalCount"]


def year_end_days(demo: Demo, page: str) -> list[tuple[str, list[str]]]:
    return [(row[0], row[1:]) for row in table_rows(demo.get(page).text, "bang-cuoi-nam")]


def test_year_end_series_is_stats_at_each_31_december(demo: Demo) -> None:
    """National and Quảng Ninh's: each row is stats(asOf: that day) — in force (ACTIVE) by stars, and
    certified by then (the default statuses) — from 2018 to the chosen day."""
    for page, code in ((f"/?ngay={DAY}", None), (f"/province/22?ngay={DAY}", "22")):
        html = demo.get(page).text
        headers = re.findall(r'<th scope="col"[^>]*>([^<]+)</th>', html[html.index('id="bang-cuoi-nam"'):].split("</thead>")[0])
        stars = [int(h.split(" ")[0]) for h in headers if h.endswith(" sao")]
        rows = year_end_days(demo, page)
        base = {"province": [code]} if code else {}
        first = max(2018, min(y for y in stats(demo, "YEAR", "year", DAY, base) if y is not None))
        assert [d for d, _ in rows] == [f"31/12/{y}" for y in range(first, 2022)], page
        assert len(rows) >= 3, "the demo holds certificates from 2018 (Quảng Ninh's from 2019)"
        for shown, cells in rows:
            day = date(int(shown[6:]), int(shown[3:5]), int(shown[:2])).isoformat()
            in_force = stats(demo, "STARS", "stars", day, {**base, "status": ["ACTIVE"]})
            assert stars and set(in_force) <= set(stars), (page, day)
            assert [number(c) for c in cells[:len(stars)]] == [in_force.get(s, 0) for s in stars], (page, day)
            assert number(cells[len(stars)]) == sum(in_force.values()), (page, day)
            assert number(cells[-1]) == total(demo, day, base) == sum(stats(demo, "STARS", "stars", day, base).values())
        assert number(rows[-1][1][-1]) != total(demo, None, base), "the demo's figures differ between then and today"


def test_the_series_on_todays_page_runs_to_the_last_complete_year_and_today(demo: Demo) -> None:
    today = current_date()
    shown = [d for d, _ in year_end_days(demo, "/")]
    assert shown == [f"31/12/{y}" for y in range(2018, today.year)] + [today.strftime("%d/%m/%Y")]


def test_every_figure_of_a_dated_page_is_at_that_date(demo: Demo) -> None:
    html = demo.get(f"/?ngay={DAY}").text
    assert f'<span class="n">{total(demo, DAY):,}</span>sản phẩm OCOP'.replace(",", ".") in html
    producers = demo.graphql("query($d: Date) { producers(filter: {hasProduct: {}}, first: 0, asOf: $d) { totalCount } }",
                             {"d": DAY})["producers"]["totalCount"]
    assert f'<span class="n">{producers:,}</span>chủ thể có sản phẩm'.replace(",", ".") in html
    shown = {row[0]: number(row[1]) for row in table_rows(html, "theo-sao") if row[0] != "Tổng"}
    assert shown == {f"{s} sao": n for s, n in stats(demo, "STARS", "stars", DAY).items()}
    by_province = {row[1]: number(row[2]) for row in table_rows(html, "theo-tinh") if row[1]}
    assert {c: n for c, n in by_province.items() if n} == stats(demo, "PROVINCE", "province { code }", DAY)
    years = {row[0]: number(row[1]) for row in table_rows(html, "theo-nam")}
    assert years == {str(y): n for y, n in stats(demo, "YEAR", "year", DAY).items() if y is not None}
    assert max(int(y) for y in years) == 2021  # nothing certified after the chosen day
    coverage = demo.graphql("query($d: Date) { coverage(asOf: $d) { province { name } productCount } }", {"d": DAY})
    assert {row[0]: number(row[4]) for row in table_rows(html, "bao-cao")} == \
        {r["province"]["name"]: r["productCount"] for r in coverage["coverage"]}
    assert "Số liệu tại ngày 31/12/2021" in html and 'class="print-only">Số liệu tại ngày 31/12/2021' in html
    province = demo.get(f"/province/22?ngay={DAY}&stars=4").text
    assert f"Tìm thấy <strong>{total(demo, DAY, {'province': ['22'], 'stars': [4]})}</strong> sản phẩm" in province


def test_the_figures_links_ask_at_that_date(demo: Demo) -> None:
    """Each "Xem truy vấn" link of a dated page re-runs its figure at that date; every answer is
    without errors."""
    html = demo.get(f"/?ngay={DAY}").text
    links = {unescape(link) for link in re.findall(r'href="(/graphql\?q=[^"]+)"', html)}
    dated = 0
    for link in links:
        params = parse_qs(urlsplit(link).query)
        query, variables = params["q"][0], json.loads(params["variables"][0]) if "variables" in params else None
        demo.graphql(query, variables)
        assert (variables or {}).get("asOf") == DAY or f'asOf: "{DAY}"' in query, query
        dated += 1
    assert dated >= 7


def test_an_empty_date_is_today(demo: Demo) -> None:
    plain, empty = demo.get("/").text, demo.get("/?ngay=").text
    for figure in ("theo-sao", "theo-tinh", "theo-nhom", "theo-nam", "bang-cuoi-nam", "bang-muc-tieu"):
        assert table_rows(empty, figure) == table_rows(plain, figure), figure
    assert f'<span class="n">{total(demo, None):,}</span>sản phẩm OCOP'.replace(",", ".") in empty
    assert "asOf%22" not in plain.split('id="theo-sao"')[1].split("</section>")[0]  # no asOf sent for today


def test_links_and_forms_keep_the_date(demo: Demo) -> None:
    html = demo.get(f"/?ngay={DAY}").text
    hrefs = [unescape(h) for h in re.findall(r'href="(/(?:province|product)/[^"]*)"', html)]
    assert hrefs and all(f"ngay={DAY}" in h for h in hrefs), [h for h in hrefs if DAY not in h][:5]
    province = demo.get(f"/province/22?ngay={DAY}&stars=4&q=mat").text
    picker = re.search(r'<form method="get" action="/province/22" class="no-print date-form".*?</form>', province).group(0)
    assert '<input type="hidden" name="stars" value="4">' in picker and 'name="q" value="mat"' in picker
    filters = province[province.index('aria-label="Lọc sản phẩm"'):].split("</form>")[0]
    assert f'<input type="hidden" name="ngay" value="{DAY}">' in filters
    assert all(f"ngay={DAY}" in unescape(h) for h in re.findall(r'href="(/product/\d+[^"]*)"', province))
    picked = demo.get(f"/province?code=22&ngay={DAY}")
    assert picked.url.endswith(f"/province/22?ngay={DAY}")


def test_downloads_of_a_dated_page_hold_that_dates_rows(demo: Demo) -> None:
    """The table's "Tải CSV" carries the date (as_of) with its filters: the file holds exactly the
    products the table counts at that date."""
    html = demo.get(f"/province/22?ngay={DAY}&stars=4").text
    table = html[html.index('id="san-pham"'):]
    link = unescape(re.search(r'href="(/export/products\.csv\?[^"]+)"', table).group(1))
    assert parse_qs(urlsplit(link).query) == {"province": ["22"], "stars": ["4"], "as_of": [DAY]}
    rows = demo.get(link).text.strip().splitlines()
    assert len(rows) - 1 == total(demo, DAY, {"province": ["22"], "stars": [4]}) != total(demo, None, {"province": ["22"], "stars": [4]})
    figures = [unescape(h) for h in re.findall(r'href="(/export/stats\.[^"]+)"', demo.get(f"/?ngay={DAY}").text)]
    assert figures and all(f"as_of={DAY}" in h or f"asOf={DAY}" in h for h in figures)  # the year-end series: asOf each day


def test_targets_against_the_figures_at_that_date(demo: Demo) -> None:
    rows = table_rows(demo.get(f"/?ngay={DAY}").text, "bang-muc-tieu")
    targets = load_targets()
    assert len(rows) == len(targets)
    for row, target in zip(rows, targets):
        assert row[0].startswith(target.label) and row[1] == str(target.year) and row[2] == target.value
        assert number(row[3]) == total(demo, DAY, {"stars": list(target.stars)})
        assert number(row[4]) == total(demo, DAY, {"stars": list(target.stars), "status": ["ACTIVE"]})
        assert row[5] == target.standing(number(row[3])) and "919/QĐ-TTg" in row[6] and target.says in unescape(row[6])


def test_a_product_page_marks_the_certificate_in_force_that_day(demo: Demo) -> None:
    found = demo.graphql('{ products(asOf: "2021-12-31", filter: {status: [ACTIVE]}, first: 1) '
                         '{ edges { node { id stars certificates { validFrom validTo } } } } }')
    node = found["products"]["edges"][0]["node"]
    html = demo.get(f"/product/{node['id']}?ngay={DAY}").text
    rows = table_rows(html, "chung-nhan")
    marked = [row for row in rows if row[-1] == "Có hiệu lực tại 31/12/2021"]
    assert len(marked) == 1 and marked[0][0] == f"{node['stars']} sao"
    before = demo.get(f"/product/{node['id']}?ngay=2018-01-01").text
    first = min(c["validFrom"] for c in node["certificates"])
    if first > "2018-01-01":
        assert "Tại ngày 01/01/2018, sản phẩm không có chứng nhận nào còn hiệu lực." in before


def test_bad_dates_are_400_pages_that_say_why(demo: Demo) -> None:
    tomorrow = (current_date() + timedelta(days=1)).isoformat()
    for path in ("/", "/province/22", "/het-han", "/product/1"):
        for raw, words in (("abc", "không phải là một ngày"), ("2017-12-31", "trước khi Chương trình OCOP"),
                           (tomorrow, "ở tương lai"), ("30/02/2024", "không phải là một ngày")):
            answer = demo.get(f"{path}?ngay={raw}")
            assert answer.status_code == 400, (path, raw)
            assert "Ngày không hợp lệ" in answer.text and words in answer.text, (path, raw)
            assert 'id="ngay" name="ngay" type="date"' in answer.text  # the field again, to correct it
