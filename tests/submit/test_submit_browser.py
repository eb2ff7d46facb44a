"""/nop-du-lieu in headless Debian chromium over a real `ocop-hub serve` (SQLite): the whole path
with the page's own controls, keyboard-only use, every bad input, and no request leaving the host.

Chromium may only reach the loopback server (tests.api.test_graphiql_browser.BASE_FLAGS) and the
DevTools protocol records every request the page makes (tests.dashboard.test_dashboard_browser.
Recorder). Counts are compared with the API's answers over HTTP from the same server. A
screenshot of the preview goes to the dashboard tests' folder ($HUB_TEST_ARTIFACTS/dashboard, or a
temporary folder). Skipped without
/usr/bin/chromium.
"""
from __future__ import annotations

import base64
import json
import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import openpyxl
import pytest
import requests

from hub.access.keys import create_key
from hub.store.engine import make_engine
from hub.vocabulary import Role
from hub.push.submission import MAX_FILE_BYTES
from hub.submit.messages import BAD_KEY, EMPTY, LIST_REFUSED, NO_KEY
from hub.submit.rejected_xlsx import REASON
from tests.api.live import LiveServer
from tests.api.test_graphiql_browser import CHROMIUM
from tests.dashboard.test_dashboard_browser import Recorder, artifacts, browser  # noqa: F401 (fixtures)
from tests.submit import lists

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="chromium not installed: apt-get install chromium"),
]
TIMEOUT = 20
KEYS = {"Tab": 9, "Enter": 13, " ": 32, "ArrowDown": 40}


@dataclass
class Hub:
    server: LiveServer
    keys: dict[str, str]

    def dry_run(self, filename: str, data: bytes, key: str) -> dict[str, Any]:
        answer = requests.post(f"{self.server.url}/push/file", headers={"Authorization": f"Bearer {key}"},
                               data={"province": "22", "dryRun": "true"}, files={"file": (filename, data)},
                               timeout=TIMEOUT)
        assert answer.status_code == 200, answer.text
        return answer.json()

    def products(self) -> int:
        """Quảng Ninh's figure on its dashboard page, as the server renders it now."""
        page = requests.get(f"{self.server.url}/province/22", timeout=TIMEOUT).text
        found = re.search(r'<span class="n">([\d.]+)</span>sản phẩm OCOP', page)
        assert found, page[:2000]
        return int(found.group(1).replace(".", ""))


@pytest.fixture(scope="module")
def hub(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    """An empty migrated store; keys for Quảng Ninh (22) and Bắc Ninh (24)."""
    folder = tmp_path_factory.mktemp("submit")
    shutil.copyfile(sqlite_template, folder / "hub.sqlite3")
    url = f"sqlite:///{folder / 'hub.sqlite3'}"
    engine = make_engine(url)
    try:
        keys = {code: create_key(engine, role=Role.PROVINCE, province_code=code, name=f"Sở NN {code}")[1]
                for code in ("22", "24")}
    finally:
        engine.dispose()
    with LiveServer(url, folder / "server.log") as server:
        yield Hub(server, keys)


def use_key(browser: Recorder, session: str, key: str) -> None:
    browser.evaluate(session, f"document.getElementById('key-input').value = {json.dumps(key)};"
                              "document.getElementById('key-form').requestSubmit(); true")


def choose_file(browser: Recorder, session: str, path: Path) -> None:
    root = browser.call("DOM.getDocument", session=session)["root"]["nodeId"]
    node = browser.call("DOM.querySelector", {"nodeId": root, "selector": "#file"}, session=session)["nodeId"]
    browser.call("DOM.setFileInputFiles", {"files": [str(path)], "nodeId": node}, session=session)


def counts(browser: Recorder, session: str, region: str) -> dict[str, int]:
    return browser.evaluate(session, f"Object.fromEntries(Array.from(document.querySelectorAll("
                                     f"'#{region} [data-count]')).map(li => [li.dataset.count, "
                                     "+li.querySelector('.n').textContent]))")


def api_counts(summary: dict[str, Any]) -> dict[str, int]:
    return {"created": summary["created"], "updated": summary["updated"], "unchanged": summary["unchanged"],
            "withdrawn": summary["withdrawn"], "rejected": summary["rejected"], "warned": summary["warnedRows"],
            "conflicts": summary["conflicts"]}


def only_the_hub(browser: Recorder, hub: Hub) -> None:
    urls = [r["url"] for r in browser.requests()]
    assert urls and all(u.startswith(hub.server.url + "/") or u.startswith(("data:", "blob:")) for u in urls), urls


def test_the_whole_path(hub: Hub, browser: Recorder, tmp_path: Path, artifacts: Path) -> None:
    data = lists.quang_ninh_list()
    path = tmp_path / "danh-sach-quang-ninh.xlsx"
    path.write_bytes(data)
    before = hub.products()
    session = browser.open(f"{hub.server.url}/nop-du-lieu")
    use_key(browser, session, hub.keys["22"])
    browser.wait(session, "document.getElementById('lich-su') !== null")  # the key works: the history came
    choose_file(browser, session, path)
    browser.evaluate(session, "document.querySelector('#upload-form button[type=submit]').click(); true")
    browser.wait(session, "document.getElementById('xem-truoc') !== null")
    shown = counts(browser, session, "xem-truoc")
    assert shown == api_counts(hub.dry_run(path.name, data, hub.keys["22"]))
    assert shown["created"] == 2 and shown["rejected"] == 2 and hub.products() == before  # nothing stored
    assert browser.evaluate(session, "document.activeElement.id") == "xt-h"  # focus moved to the result
    shot = browser.call("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True}, session=session)
    (artifacts / "nop-du-lieu-xem-truoc.png").write_bytes(base64.b64decode(shot["data"]))

    browser.evaluate(session, "document.querySelector('[data-action=apply]').click(); true")
    browser.wait(session, "document.getElementById('tom-tat') !== null")
    assert counts(browser, session, "tom-tat") == shown
    assert hub.products() == before + shown["created"]  # the province's dashboard figure changed at once
    assert browser.evaluate(session, "document.getElementById('trang-tinh').getAttribute('href')") == "/province/22"
    browser.wait(session, "document.querySelector('#lich-su td') && "
                          "document.getElementById('lich-su').innerText.includes('danh-sach-quang-ninh.xlsx')")
    browser.evaluate(session, "document.querySelector('#lich-su details').open = true; true")
    shot = browser.call("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True}, session=session)
    (artifacts / "nop-du-lieu-ap-dung.png").write_bytes(base64.b64decode(shot["data"]))

    downloads = tmp_path / "downloads"
    downloads.mkdir()
    browser.call("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    browser.evaluate(session, "document.getElementById('tai-dong-bi-loai').click(); true")
    deadline = time.monotonic() + TIMEOUT
    while not list(downloads.glob("*.xlsx")) and time.monotonic() < deadline:
        time.sleep(0.1)
    [saved] = list(downloads.glob("*.xlsx"))
    rows = list(openpyxl.load_workbook(saved).active.iter_rows(values_only=True))
    assert rows[0][-1] == REASON and len(rows) == 1 + shown["rejected"]
    assert "bảy" in rows[1] and "BAD_STARS" in rows[1][-1] and "NOT_YOUR_PROVINCE" in rows[2][-1]

    posts = [r for r in browser.requests() if r["method"] == "POST"]
    assert [r["url"].rsplit("/", 1)[1] for r in posts] == ["xem-truoc", "ap-dung"]
    assert all(r["headers"].get("Authorization") == f"Bearer {hub.keys['22']}" for r in posts)
    assert browser.evaluate(session, "document.cookie") == ""
    only_the_hub(browser, hub)


def press(browser: Recorder, session: str, key: str) -> None:
    code = {"Tab": "Tab", "Enter": "Enter", " ": "Space", "ArrowDown": "ArrowDown"}[key]
    text = {"Enter": "\r", " ": " "}.get(key)
    for kind in ("keyDown", "keyUp"):
        event = {"type": kind, "key": key, "code": code, "windowsVirtualKeyCode": KEYS[key]}
        if text and kind == "keyDown":
            event["text"] = text
        browser.call("Input.dispatchKeyEvent", event, session=session)


def tab_to(browser: Recorder, session: str, selector: str, most: int = 40) -> None:
    """Press Tab until ``selector`` has the focus (at most ``most`` times)."""
    for _ in range(most):
        press(browser, session, "Tab")
        if browser.evaluate(session, f"document.activeElement === document.querySelector({json.dumps(selector)})"):
            return
    raise AssertionError(f"{selector} not reached with Tab")


def test_keyboard_only(hub: Hub, browser: Recorder, tmp_path: Path) -> None:
    """Key, file (the chooser opened with the space bar), preview, sheet choice and apply with keys only."""
    data = lists.workbook(("4 sao", [lists.GOOD[0]]), ("3 sao", [lists.GOOD[1]]))
    path = tmp_path / "hai-trang-tinh.xlsx"
    path.write_bytes(data)
    session = browser.open(f"{hub.server.url}/nop-du-lieu")
    browser.call("Page.enable", session=session)
    browser.call("Page.setInterceptFileChooserDialog", {"enabled": True}, session=session)
    tab_to(browser, session, "#key-input")
    browser.call("Input.insertText", {"text": hub.keys["24"]}, session=session)
    press(browser, session, "Enter")
    browser.wait(session, "document.getElementById('lich-su') !== null")
    tab_to(browser, session, "#province")
    for _ in range(40):  # down the province list to Quảng Ninh
        press(browser, session, "ArrowDown")
        if browser.evaluate(session, "document.getElementById('province').value") == "22":
            break
    assert browser.evaluate(session, "document.getElementById('province').value") == "22"
    # Bắc Ninh's key, Quảng Ninh chosen: refused, with the message in the result region
    tab_to(browser, session, "#file")
    press(browser, session, " ")
    deadline = time.monotonic() + TIMEOUT
    while not any(e["method"] == "Page.fileChooserOpened" for e in browser.events) and time.monotonic() < deadline:
        browser.evaluate(session, "true")  # lets the recorder read events
    chooser = next(e for e in browser.events if e["method"] == "Page.fileChooserOpened")
    browser.call("DOM.setFileInputFiles", {"files": [str(path)], "backendNodeId": chooser["params"]["backendNodeId"]},
                 session=session)
    tab_to(browser, session, "#upload-form button[type=submit]")
    press(browser, session, "Enter")
    browser.wait(session, "document.querySelector('#ket-qua .error') !== null")
    assert "chỉ được gửi dữ liệu của tỉnh mình" in browser.evaluate(session, "document.getElementById('ket-qua').innerText")
    # the right key, typed again in the header form
    tab_to(browser, session, "#key-input")
    browser.call("Input.insertText", {"text": hub.keys["22"]}, session=session)
    press(browser, session, "Enter")
    tab_to(browser, session, "#upload-form button[type=submit]")
    press(browser, session, "Enter")
    browser.wait(session, "document.getElementById('xem-truoc') !== null")
    assert browser.evaluate(session, "document.activeElement.id") == "xt-h"
    assert counts(browser, session, "xem-truoc")["created"] + counts(browser, session, "xem-truoc")["unchanged"] == 2
    tab_to(browser, session, "input[name=sheet][value='4 sao']")
    press(browser, session, " ")  # untick the sheet "4 sao": the preview shown no longer applies
    assert browser.evaluate(session, "document.querySelector('button[data-action=apply]').disabled")
    tab_to(browser, session, "button[data-action=preview]")
    press(browser, session, "Enter")
    browser.wait(session, "document.getElementById('xem-truoc') && "
                          "!document.querySelector('button[data-action=apply]').disabled")
    assert "Chè Shan" not in browser.evaluate(session, "document.getElementById('xem-truoc').innerText")
    tab_to(browser, session, "button[data-action=apply]")
    press(browser, session, "Enter")
    browser.wait(session, "document.getElementById('tom-tat') !== null")
    assert browser.evaluate(session, "document.activeElement.id") == "tt-h"
    text = browser.evaluate(session, "document.getElementById('ket-qua').innerText")
    assert "Đã áp dụng" in text
    only_the_hub(browser, hub)


BAD = [
    ("phu-luc.pdf", lists.scan_pdf, "bản quét"),
    ("phu-luc.doc", lists.old_doc, "(.xls, .doc)"),
    ("co-mat-khau.xlsx", lists.password_xlsx, "đặt mật khẩu"),
    ("rong.xlsx", lambda: b"", EMPTY),
    ("bao-cao.xlsx", lists.not_a_list, "không phải danh sách sản phẩm OCOP"),
    ("bac-ninh.xlsx", lambda: lists.workbook(("Danh sách", [lists.FOREIGN]),
                                             title="DANH SÁCH SẢN PHẨM OCOP TỈNH BẮC NINH"), LIST_REFUSED),
]


def test_bad_inputs_are_told_in_vietnamese_and_store_nothing(hub: Hub, browser: Recorder, tmp_path: Path) -> None:
    before = hub.products()
    good = tmp_path / "danh-sach.xlsx"
    good.write_bytes(lists.quang_ninh_list())
    session = browser.open(f"{hub.server.url}/nop-du-lieu")

    def preview(path: Path) -> str:
        browser.evaluate(session, "document.getElementById('ket-qua').innerHTML = ''; true")
        choose_file(browser, session, path)
        browser.evaluate(session, "document.querySelector('#upload-form button[type=submit]').click(); true")
        browser.wait(session, "document.querySelector('#ket-qua [role=alert]') !== null")
        return browser.evaluate(session, "document.querySelector('#ket-qua [role=alert]').innerText")

    assert preview(good) == NO_KEY  # no key yet: said on the page, nothing sent
    browser.evaluate(session, "sessionStorage.setItem('ocopHubKey', 'ocop_' + 'x'.repeat(43)); true")
    assert preview(good) == BAD_KEY
    use_key(browser, session, hub.keys["22"])
    for name, data, message in BAD:
        path = tmp_path / name
        path.write_bytes(data())
        assert message in preview(path), name
    big = tmp_path / "qua-lon.xlsx"
    with big.open("wb") as f:
        f.truncate(MAX_FILE_BYTES + 1)
    assert "Tệp quá lớn" in preview(big)
    uploads = [r for r in browser.requests() if r["method"] == "POST"]
    assert len(uploads) == 1 + len(BAD)  # the wrong key's and the bad files'; not the keyless or oversized one
    assert hub.products() == before
    only_the_hub(browser, hub)
