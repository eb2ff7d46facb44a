"""The dashboard in headless Debian chromium over a real `ocop-hub serve` on the demo data.

The store is what `make demo` builds (hub.samples harvested: Quảng Ninh's 449 products and four
other provinces). Chromium may only reach the loopback server (every other host name resolves to
nothing) and the DevTools protocol records every request the pages make. Figures are compared with
the API's answers fetched over HTTP from the same server. Screenshots of both pages are written to
$HUB_TEST_ARTIFACTS (or a temporary folder; the path is printed). Skipped without /usr/bin/chromium.
"""
from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path
from typing import Any, Iterator

import pdfplumber
import pytest

from hub.dashboard.format import vn_number
from hub.normalize.fold import search_key
from tests.api.test_graphiql_browser import CHROMIUM, DevTools, chromium, dump_dom
from tests.dashboard.demo import Demo, table_rows
from tests.dashboard.figure_downloads import check_page
from tests.dashboard.test_figure_downloads import NATIONAL, PROVINCE

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="chromium not installed: apt-get install chromium"),
]


@pytest.fixture(scope="module")
def artifacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = Path(os.environ.get("HUB_TEST_ARTIFACTS") or tmp_path_factory.mktemp("artifacts")) / "dashboard"
    folder.mkdir(parents=True, exist_ok=True)
    print(f"\ndashboard screenshots: {folder}")
    return folder


def screenshot(tmp_path: Path, url: str, path: Path) -> None:
    done = chromium(tmp_path, "--virtual-time-budget=5000", "--hide-scrollbars", "--window-size=1400,2400",
                    f"--screenshot={path}", url)
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 50_000  # a page, not a blank


def test_national_page(demo: Demo, tmp_path: Path, artifacts: Path) -> None:
    dom = dump_dom(tmp_path, f"{demo.server.url}/")
    api = demo.graphql("{ stats(groupBy: [PROVINCE]) { key { province { code name } } count } "
                       "products(first: 0) { totalCount } }")
    total = api["products"]["totalCount"]
    assert f'<span class="n">{vn_number(total)}</span>sản phẩm OCOP' in dom
    assert 'aria-label="Quảng Ninh: 449 sản phẩm"' in dom  # the map's tile
    shown = {row[1]: int(row[2].replace(".", "")) for row in table_rows(dom, "theo-tinh") if row[1]}
    assert len(shown) == 34
    expected = {b["key"]["province"]["code"]: b["count"] for b in api["stats"]}
    assert {code: n for code, n in shown.items() if n} == expected and shown["22"] == 449
    assert sum(shown.values()) == total
    expiring = dom[dom.index('id="het-han"'):]
    expiring = expiring[:expiring.index("</section>")]
    assert "data-deferred" not in expiring and "Xem bảng số liệu" in expiring  # the script filled the card
    assert dom.index('id="bang-muc-tieu"') < dom.index('id="bang-cuoi-nam"')  # the targets, then the series
    screenshot(tmp_path, f"{demo.server.url}/", artifacts / "national.png")


def test_province_page(demo: Demo, tmp_path: Path, artifacts: Path) -> None:
    dom = dump_dom(tmp_path, f"{demo.server.url}/province/22")
    assert '<span class="n">449</span>sản phẩm OCOP' in dom and "Tỉnh Quảng Ninh" in dom
    api = demo.graphql('{ stats(groupBy: [STARS], filter: {province: ["22"]}) { key { stars } count } }')
    shown = {row[0]: int(row[1].replace(".", "")) for row in table_rows(dom, "theo-sao") if row[0] != "Tổng"}
    assert shown == {f'{b["key"]["stars"]} sao': b["count"] for b in api["stats"]}
    assert "Tìm thấy <strong>449</strong> sản phẩm" in dom
    screenshot(tmp_path, f"{demo.server.url}/province/22", artifacts / "province-22.png")


@pytest.mark.parametrize("page,figures", [("/?ngay=2022-12-31", NATIONAL), ("/province/22", PROVINCE)])
def test_every_figure_of_the_rendered_page_downloads_its_own_table(demo: Demo, tmp_path: Path, page: str,
                                                                  figures: set[str]) -> None:
    """The links of the page chromium rendered (the expiring card filled by its script), each file
    fetched over HTTP and set against its figure's table."""
    check_page(demo, dump_dom(tmp_path, f"{demo.server.url}{page}"), figures)


def test_search_without_diacritics_finds_mat_ong(demo: Demo, tmp_path: Path) -> None:
    dom = dump_dom(tmp_path, f"{demo.server.url}/province/22?q=mat+ong")
    names = [row[0] for row in table_rows(dom, "san-pham")]
    api = demo.graphql('{ products(filter: {province: ["22"], search: "mat ong"}) { totalCount } }')
    assert names and len(names) == api["products"]["totalCount"]
    assert all("Mật ong" in name for name in names), names
    assert all("mat ong" in search_key(name) for name in names)


class Recorder(DevTools):
    """DevTools that keeps the events it reads (Network.*) instead of dropping them."""

    def __init__(self, tmp_path: Path) -> None:
        super().__init__(tmp_path)
        self.events: list[dict[str, Any]] = []

    def on_event(self, event: dict[str, Any]) -> None:
        self.events.append(event)

    def open(self, url: str) -> str:
        """Open ``url`` with the network recorded; the session once the page has loaded."""
        target = next(t for t in self.call("Target.getTargets")["targetInfos"] if t["type"] == "page")
        session = self.call("Target.attachToTarget", {"targetId": target["targetId"], "flatten": True})["sessionId"]
        self.call("Network.enable", session=session)
        self.call("Page.navigate", {"url": url}, session=session)
        self.wait(session, "document.readyState === 'complete'")
        return session

    def wait(self, session: str, condition: str, seconds: float = 15) -> None:
        js = (f"new Promise(r => {{ const end = Date.now() + {int(seconds * 1000)}; (function poll() {{"
              f" if ({condition}) r(true); else if (Date.now() > end) r(false); else setTimeout(poll, 50); }})(); }})")
        assert self.evaluate(session, js), f"not within {seconds}s: {condition}"

    def requests(self) -> list[dict[str, Any]]:
        return [e["params"]["request"] for e in self.events if e["method"] == "Network.requestWillBeSent"]


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Recorder]:
    recorder = Recorder(tmp_path)
    try:
        yield recorder
    finally:
        recorder.close()


def test_no_request_leaves_the_hub_and_the_page_is_light(demo: Demo, browser: Recorder) -> None:
    session = browser.open(f"{demo.server.url}/")
    time.sleep(0.5)  # anything the page would start after load
    browser.call("Page.navigate", {"url": f"{demo.server.url}/province/22"}, session=session)
    browser.wait(session, "location.pathname === '/province/22' && document.readyState === 'complete'")
    time.sleep(0.5)
    urls = [r["url"] for r in browser.requests()]
    assert f"{demo.server.url}/" in urls and f"{demo.server.url}/province/22" in urls
    assert all(u.startswith(demo.server.url + "/") or u.startswith("data:") for u in urls), urls
    finished = [e for e in browser.events if e["method"] == "Network.loadingFinished"]
    assert 0 < sum(e["params"]["encodedDataLength"] for e in finished) < 2 * 500_000  # both pages, each ≤ 500 KB


def test_a_province_key_sees_its_producers_phones(demo: Demo, browser: Recorder, tmp_path: Path) -> None:
    """The key is typed into the page once (kept in sessionStorage, sent as a header, never a
    cookie); the table then shows the phones the API gives that key. Anonymous: none of them."""
    query = ('{ products(filter: {province: ["08"]}, first: 50) { edges { node { producer { phone } } } } }')
    phones = {e["node"]["producer"]["phone"] for e in demo.graphql(query, key=demo.keys["08"])["products"]["edges"]
              if e["node"]["producer"] and e["node"]["producer"]["phone"]}
    assert phones, "the demo's Tuyên Quang producers have phone numbers"
    anonymous = dump_dom(tmp_path, f"{demo.server.url}/province/08")
    assert not any(p in anonymous for p in phones)
    session = browser.open(f"{demo.server.url}/province/08")
    browser.evaluate(session, f"document.getElementById('key-input').value = {json.dumps(demo.keys['08'])};"
                              "document.getElementById('key-form').requestSubmit(); true")
    browser.wait(session, "document.documentElement.hasAttribute('data-keyed-view')")
    table = browser.evaluate(session, "document.getElementById('san-pham').innerText")
    assert all(p in table for p in phones), (phones, table[:2000])
    assert browser.evaluate(session, "document.cookie") == ""
    keyed = [r for r in browser.requests() if "_part=keyed" in r["url"]]
    assert keyed and keyed[-1]["headers"].get("Authorization") == f"Bearer {demo.keys['08']}"
    # Quảng Ninh's key does not see Tuyên Quang's phones
    browser.evaluate(session, f"sessionStorage.setItem('ocopHubKey', {json.dumps(demo.keys['22'])}); location.reload(); true")
    time.sleep(0.3)
    browser.wait(session, "document.documentElement.hasAttribute('data-keyed-view')")
    table = browser.evaluate(session, "document.getElementById('san-pham').innerText")
    assert not any(p in table for p in phones)


def test_print_gives_a4_pages(demo: Demo, tmp_path: Path) -> None:
    pdf = tmp_path / "bao-cao.pdf"
    done = chromium(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", f"{demo.server.url}/")
    assert done.returncode == 0 and pdf.exists(), done.stderr.decode(errors="replace")[-2000:]
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf.read_bytes())
    assert boxes and all(abs(float(w) - 595.9) < 2 and abs(float(h) - 842.9) < 2 for w, h in boxes), boxes[:3]


def test_print_carries_the_date(demo: Demo, tmp_path: Path) -> None:
    """The printed page (no form, no banner) says the day its figures are at, and when the hub knew them."""
    pdf = tmp_path / "bao-cao-2024.pdf"
    done = chromium(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", f"{demo.server.url}/?ngay=2024-12-31")
    assert done.returncode == 0 and pdf.exists(), done.stderr.decode(errors="replace")[-2000:]
    with pdfplumber.open(pdf) as document:
        first = document.pages[0].extract_text() or ""
    assert "Số liệu tại ngày 31/12/2024, theo dữ liệu hub có lúc" in first, first[:500]
    assert "Sản phẩm OCOP toàn quốc" in first and "Khóa API" not in first  # the banner is not printed


def poll(browser: Recorder, session: str, condition: str, seconds: float = 15) -> None:
    """Recorder.wait without the page's timers (they do not run while its script is disabled)."""
    end = time.monotonic() + seconds
    while not browser.evaluate(session, f"!!({condition})"):
        assert time.monotonic() < end, f"not within {seconds}s: {condition}"
        time.sleep(0.1)


def test_date_picker_without_script_keeps_the_filters(demo: Demo, browser: Recorder, tmp_path: Path,
                                                      artifacts: Path) -> None:
    """With the page's script disabled, the reader fills "Số liệu tại ngày" and clicks "Xem": a plain
    GET that keeps the table's filters, and the page's figures are then the API's at that date."""
    target = next(t for t in browser.call("Target.getTargets")["targetInfos"] if t["type"] == "page")
    session = browser.call("Target.attachToTarget", {"targetId": target["targetId"], "flatten": True})["sessionId"]
    browser.call("Emulation.setScriptExecutionDisabled", {"value": True}, session=session)
    browser.call("Page.navigate", {"url": f"{demo.server.url}/province/22?stars=4"}, session=session)
    poll(browser, session, "document.readyState === 'complete' && !!document.getElementById('ngay')")
    assert browser.evaluate(session, "document.getElementById('key-status').textContent") == ""  # no script ran
    box = browser.evaluate(session, "(function(){ document.getElementById('ngay').value = '2021-12-31';"
                                    " const r = document.querySelector('form.date-form button').getBoundingClientRect();"
                                    " return JSON.stringify([r.x + r.width / 2, r.y + r.height / 2]); })()")
    x, y = json.loads(box)
    for kind in ("mousePressed", "mouseReleased"):
        browser.call("Input.dispatchMouseEvent", {"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1},
                     session=session)
    poll(browser, session, "location.search.includes('ngay=') && document.readyState === 'complete'")
    search = browser.evaluate(session, "location.search")
    assert "stars=4" in search and "ngay=2021-12-31" in search, search
    text = browser.evaluate(session, "document.getElementById('main').innerText")
    at = demo.graphql('{ products(filter: {province: ["22"], stars: [4]}, first: 0, asOf: "2021-12-31") { totalCount } '
                      'all: products(filter: {province: ["22"]}, first: 0, asOf: "2021-12-31") { totalCount } }')
    assert f"Tìm thấy {at['products']['totalCount']} sản phẩm" in text
    assert f"{vn_number(at['all']['totalCount'])}\nsản phẩm OCOP" in text or \
        f"{vn_number(at['all']['totalCount'])}sản phẩm OCOP" in text.replace("\n", "")
    assert "Số liệu tại ngày 31/12/2021" in text
    screenshot(tmp_path, f"{demo.server.url}/?ngay=2021-12-31", artifacts / "national-2021-12-31.png")
