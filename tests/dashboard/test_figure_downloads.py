"""Each dashboard figure's "Tải CSV" downloads that figure's own table (/export/stats.csv with its
dimensions, filter and day), not the product list: on the demo store over a real server, today and
at a past date, nationally and for Quảng Ninh (tests/dashboard/figure_downloads.py compares them)."""
from __future__ import annotations

import pytest

from tests.dashboard.demo import Demo
from tests.dashboard.figure_downloads import check_page, download_links, fetch_csv

NATIONAL = {"theo-tinh", "cuoi-nam", "theo-sao", "theo-nhom", "theo-chu-the", "het-han", "theo-nam"}
PROVINCE = {"cuoi-nam", "theo-sao", "theo-nhom", "theo-chu-the", "theo-tinh-cu", "theo-nam"}


@pytest.mark.parametrize("page,figures", [
    ("/", NATIONAL), ("/?ngay=2021-12-31", NATIONAL),
    ("/province/22", PROVINCE), ("/province/22?ngay=2021-12-31", PROVINCE),
])
def test_every_figure_downloads_its_own_table(demo: Demo, page: str, figures: set[str]) -> None:
    rows = check_page(demo, demo.get(page).text, figures)
    assert rows["theo-sao"] == 3, "every certified star rating, zeros included"
    assert rows["theo-nhom"] >= 6, "every group of Decision 148"


def test_a_dated_figure_downloads_that_day(demo: Demo) -> None:
    links = download_links(demo.get("/?ngay=2021-12-31").text)
    assert "as_of=2021-12-31" in links["theo-sao"]
    assert {r["Tại ngày"] for r in fetch_csv(demo, links["theo-sao"])} == {"2021-12-31"}
    series = fetch_csv(demo, links["cuoi-nam"])
    assert {r["Tại ngày"] for r in series} == {f"{y}-12-31" for y in range(2018, 2022)}


def test_a_province_figure_downloads_only_that_province(demo: Demo) -> None:
    links = download_links(demo.get("/province/22").text)
    assert "province=22" in links["theo-sao"]
    national = download_links(demo.get("/").text)
    ours = sum(int(r["Số sản phẩm"]) for r in fetch_csv(demo, links["theo-sao"]))
    everyone = sum(int(r["Số sản phẩm"]) for r in fetch_csv(demo, national["theo-sao"]))
    assert 0 < ours < everyone
