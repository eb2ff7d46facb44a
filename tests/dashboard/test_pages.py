"""The dashboard's pages over a real store and the real app (Starlette's TestClient): escaping,
who sees what, the figures' GraphiQL links, the expiring certificates, errors and headers.

The store holds pushes through the real ingest: a product named like a script, a household and
an enterprise with contact data in Quảng Ninh (22), one in Thái Nguyên (19), and certificates
whose decision dates put their expiry inside and outside the next 180 days.
"""
from __future__ import annotations

import asyncio
import json
import re
from datetime import date, timedelta
from html import unescape
from typing import Any, Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from starlette.testclient import TestClient

from hub.server import create_app
from hub.api.run_query import execute_query
from hub.access.keys import create_key, verify_token
from hub.store.engine import make_engine
from hub.dashboard.tilemap import TILE_GRID
from hub.vocabulary import Role
from hub.push.submission import push_records
from tests.api.live import seeded_store

TODAY = date.today()
SCRIPT_NAME = '<script>alert("x")</script> Mật ong'
PHONE_QN, PHONE_TN = "0203 111 222", "0208 333 444"


def decided(days_until_expiry: int) -> str:
    """A decision date (dd/mm/yyyy) whose 36-month certificate ends ``days_until_expiry`` from today."""
    expiry = TODAY + timedelta(days=days_until_expiry)
    return expiry.replace(year=expiry.year - 3).strftime("%d/%m/%Y") if not (expiry.month == 2 and expiry.day == 29) \
        else expiry.replace(year=expiry.year - 3, day=28).strftime("%d/%m/%Y")


def record(name: str, producer: str, days: int = 2000, **extra: Any) -> dict[str, Any]:
    return {"product_name": name, "producer_name": producer, "stars": 4, "group": "Thực phẩm",
            "decision_date": decided(days), **extra}


QN_RECORDS = [
    record(SCRIPT_NAME, "<img src=x onerror=alert(1)> Công ty TNHH Thử", phone=PHONE_QN),
    record("Chả mực Hạ Long", "Hộ kinh doanh Nguyễn Văn Mực", days=30, phone="0912 000 111", producer_type="hộ kinh doanh"),
    record("Nước mắm Cái Rồng", "HTX Cái Rồng", days=170),
    record("Rượu ba kích Ba Chẽ", "HTX Ba Chẽ", days=-20),       # expired already: not in the window
    record("Trà hoa vàng Ba Chẽ", "HTX Ba Chẽ", days=400),       # beyond 180 days
]
TN_RECORDS = [record("Chè Tân Cương", "HTX Chè Tân Cương", days=60, phone=PHONE_TN)]


def _seed(url: str) -> None:
    engine = make_engine(url)
    ministry = verify_token(engine, create_key(engine, role=Role.MINISTRY, name="Bộ")[1])
    for province, records in (("22", QN_RECORDS), ("19", TN_RECORDS)):
        summary = push_records(engine, ministry, province=province, records=records)
        assert summary.rejected == 0, summary
    engine.dispose()


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The same pushes on SQLite and on PostgreSQL (skipped, with the reason, when unreachable)."""
    for url in seeded_store(request, tmp_path_factory, _seed):
        engine = make_engine(url)
        yield engine
        engine.dispose()


@pytest.fixture(scope="module")
def keys(engine: Any) -> dict[str, str]:
    return {"22": create_key(engine, role=Role.PROVINCE, province_code="22", name="Quảng Ninh")[1],
            "19": create_key(engine, role=Role.PROVINCE, province_code="19", name="Thái Nguyên")[1]}


@pytest.fixture(scope="module")
def client(engine: Any) -> Iterator[TestClient]:
    with TestClient(create_app(engine)) as c:
        yield c


def product_id(client: TestClient, name: str) -> int:
    answer = client.post("/graphql", json={"query": "query($s: String) { products(filter: {search: $s}) "
                                                    "{ edges { node { id name } } } }", "variables": {"s": name}}).json()
    return next(int(e["node"]["id"]) for e in answer["data"]["products"]["edges"] if e["node"]["name"] == name)


def test_pages_escape_data(client: TestClient) -> None:
    pid = product_id(client, SCRIPT_NAME)
    for url in ("/province/22", f"/product/{pid}", "/province/22?search=" + SCRIPT_NAME[:20]):
        html = client.get(url).text
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Mật ong" in html, url
        assert "<script>alert" not in html and "<img src=x" not in html, url
        assert len(re.findall(r"<script\b", html)) == 1, url  # the page's own script only


def test_every_figure_query_runs_as_linked(client: TestClient) -> None:
    """Each "Xem truy vấn" link opens GraphiQL (?q=, &variables=) with a document the API answers
    without errors; the national page links the one that counted the provinces."""
    for url in ("/", "/province/22", "/het-han", "/het-han?province=22",
                f"/product/{product_id(client, 'Chè Tân Cương')}"):
        links = re.findall(r'href="(/graphql\?q=[^"]+)"', client.get(url).text)
        assert links, url
        for link in {unescape(link) for link in links}:
            params = parse_qs(urlsplit(link).query)
            assert "+" not in urlsplit(link).query  # GraphiQL decodes with decodeURIComponent
            body = {"query": params["q"][0], "variables": json.loads(params["variables"][0]) if "variables" in params else None}
            answer = client.post("/graphql", json=body).json()
            assert "errors" not in answer and answer["data"], (url, body, answer)


def test_national_page_counts_what_stats_counts(client: TestClient) -> None:
    html = client.get("/").text
    stats = client.post("/graphql", json={"query": "{ stats(groupBy: [PROVINCE]) { key { province { code } } count } "
                                                   "products(first: 0) { totalCount } }"}).json()["data"]
    shown = dict(re.findall(r'<a href="/province/(\d\d)">[^<]+</a></td><td>\d\d</td><td class=n>([\d.]+)</td>', html))
    assert len(shown) == 34
    expected = {b["key"]["province"]["code"]: b["count"] for b in stats["stats"]}
    assert {c: int(n.replace(".", "")) for c, n in shown.items() if n != "0"} == expected
    assert f'<span class="n">{stats["products"]["totalCount"]}</span>sản phẩm OCOP' in html


def section(html: str, ident: str) -> str:
    start = html.index(f'id="{ident}"')
    return html[start:html.index("</section>", start)]


def test_expiring_certificates_in_the_next_180_days(client: TestClient) -> None:
    """The pages hold the card (filled by their script from /het-han while the API cannot select
    by expiry date); /het-han counts per province and lists a province's certificates."""
    assert 'id="het-han"' in client.get("/").text and 'id="het-han"' in client.get("/province/22").text
    national = client.get("/het-han")
    part = client.get("/het-han?_part=keyed").text
    assert national.status_code == 200 and "<h1>" not in part and section(part, "het-han") == section(national.text, "het-han")
    rows = dict(re.findall(r'<a href="/province/(\d\d)#het-han">[^<]+</a></td><td class=n>(\d+)</td>',
                           section(national.text, "het-han")))
    assert rows == {"22": "2", "19": "1"}  # 30 and 170 days in Quảng Ninh, 60 in Thái Nguyên
    province = client.get("/het-han?province=22").text
    listed = re.findall(r'<a href="/product/\d+">([^<]+)</a></td><td>4 sao</td><td>(\d\d/\d\d/\d{4})</td>',
                        section(province, "het-han"))
    assert [name for name, _ in listed] == ["Chả mực Hạ Long", "Nước mắm Cái Rồng"]  # soonest first
    assert listed[0][1] == (TODAY + timedelta(days=30)).strftime("%d/%m/%Y")


def test_personal_data_by_the_api_rules(client: TestClient, keys: dict[str, str]) -> None:
    """Anonymous: no phone, the household's name hidden; the province's key: its own producers'
    phones; another province's key: not these."""
    anonymous = client.get("/province/22").text
    own = client.get("/province/22", headers={"Authorization": f"Bearer {keys['22']}"})
    other = client.get("/province/22", headers={"Authorization": f"Bearer {keys['19']}"}).text
    assert PHONE_QN not in anonymous and "Nguyễn Văn Mực" not in anonymous and "(ẩn danh)" in anonymous
    assert PHONE_QN in own.text and "Hộ kinh doanh Nguyễn Văn Mực" in own.text
    assert PHONE_QN not in other and "Nguyễn Văn Mực" not in other
    assert own.headers["cache-control"] == "private, no-store" and own.headers["vary"] == "Authorization"
    assert client.get("/province/22", headers={"Authorization": "Bearer ocop_not_a_key"}).status_code == 401
    part = client.get("/province/19?_part=keyed", headers={"Authorization": f"Bearer {keys['19']}"}).text
    assert PHONE_TN in part and part.count('id="san-pham"') == 1 and "<h1>" not in part


def test_search_is_diacritic_insensitive_and_downloads_keep_the_filters(client: TestClient) -> None:
    html = client.get("/province/22?q=cha+muc&stars=4").text
    assert re.search(r">Chả mực Hạ Long</a>", html) and "Tìm thấy <strong>1</strong> sản phẩm" in html
    csv_link = unescape(re.search(r'href="(/export/products\.csv\?[^"]+)"', html[html.index('id="san-pham"'):]).group(1))
    assert parse_qs(urlsplit(csv_link).query) == {"province": ["22"], "stars": ["4"], "search": ["cha muc"]}
    rows = client.get(csv_link).text.strip().splitlines()
    assert len(rows) == 2 and "Chả mực Hạ Long" in rows[1]


def test_errors_are_pages_in_vietnamese(client: TestClient) -> None:
    missing = client.get("/province/99")
    assert missing.status_code == 404 and "Không có tỉnh này" in missing.text
    assert client.get("/het-han?province=99").status_code == 404
    assert client.get("/product/999999").status_code == 404
    bad = client.get("/province/22?yearFrom=abc")
    assert bad.status_code == 400 and "Tham số không hợp lệ" in bad.text
    refused = client.get("/province/22?group=NOT_A_GROUP")  # the API refuses it: said, not an empty table
    assert refused.status_code == 200 and 'class="error" role="alert">Không lọc được' in refused.text
    picked = client.get("/province?code=22", follow_redirects=False)
    assert picked.status_code == 303 and picked.headers["location"] == "/province/22"


def test_pages_load_nothing_from_elsewhere(client: TestClient) -> None:
    for url in ("/", "/province/22"):
        response = client.get(url)
        csp = response.headers["content-security-policy"]
        assert "default-src 'none'" in csp and "connect-src 'self'" in csp and "unsafe-inline" not in csp
        urls = re.findall(r'(?:src|href|action)="([^"]*)"', response.text)
        assert urls and all(u.startswith(("/", "#", "data:")) for u in urls), [u for u in urls if not u.startswith("/")]
        assert len(response.content) < 500_000


def test_tile_grid_has_every_current_province(engine: Any) -> None:
    answer = asyncio.run(execute_query(engine, None, "{ provinces { code } }"))
    assert {p["code"] for p in answer["data"]["provinces"]} == set(TILE_GRID)


def test_a_dated_page_counts_what_stats_counts_that_day(client: TestClient) -> None:
    """On both stores: a year ago, the national page's stars and the year-end series' last point are
    the API's stats(asOf:) (fewer products than today: some were decided within the year)."""
    day = (TODAY - timedelta(days=365)).isoformat()
    html = client.get(f"/?ngay={day}")
    assert html.status_code == 200
    answer = client.post("/graphql", json={"query": "query($d: Date) { then: stats(groupBy: [STARS], asOf: $d) "
                                                    "{ key { stars } count } now: stats(groupBy: [STARS]) { count } "
                                                    "active: stats(groupBy: [STARS], asOf: $d, filter: {status: [ACTIVE]}) "
                                                    "{ key { stars } count } }", "variables": {"d": day}}).json()["data"]
    then = sum(b["count"] for b in answer["then"])
    assert 0 < then < sum(b["count"] for b in answer["now"])
    stars = section(html.text, "theo-sao")
    for b in answer["then"]:
        assert f'<td>{b["key"]["stars"]} sao</td><td class=n>{b["count"]}</td>' in stars
    last = re.findall(r"<tr>(.*?)</tr>", section(html.text, "cuoi-nam").split("<tbody>")[1])[-1]
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", last)
    active = sum(b["count"] for b in answer["active"])
    assert cells[0] == (TODAY - timedelta(days=365)).strftime("%d/%m/%Y") and cells[-3] == str(active)
    assert cells[-1] == str(then)


def test_every_page_links_the_provinces_upload_page(client: TestClient) -> None:
    for path in ("/", "/province/22"):
        page = client.get(path)
        assert page.status_code == 200 and '<a href="/nop-du-lieu">Nộp dữ liệu</a>' in page.text
    assert client.get("/nop-du-lieu").status_code == 200
