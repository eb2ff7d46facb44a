"""/nop-du-lieu over HTTP (Starlette's TestClient) on fresh stores, SQLite and PostgreSQL: the preview
is the API's dry run and stores nothing, the apply applies exactly what was previewed (or previews
again), the rejected rows come back as the officer wrote them with every reason, the history lists
and reverts, and every bad input is refused in Vietnamese with nothing stored."""
from __future__ import annotations

import io
import re
from typing import Any, Iterator

import openpyxl
import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session
from starlette.testclient import TestClient

from hub.server import create_app
from hub.access.keys import create_key
from hub.store.models import ImportBatch, Product
from hub.vocabulary import Role
from hub.push.submission import MAX_FILE_BYTES
from hub.submit.messages import EMPTY, LIST_REFUSED, NO_KEY, STALE, TOO_LARGE
from hub.submit.rejected_xlsx import REASON
from tests.registries import annex_samples as annex
from tests.submit import lists

XLSX = "ocop-quang-ninh.xlsx"


@pytest.fixture
def client(store: Engine) -> Iterator[TestClient]:
    with TestClient(create_app(store)) as c:
        yield c


@pytest.fixture
def keys(store: Engine) -> dict[str, dict[str, str]]:
    """Authorization headers of Quảng Ninh's (22) and Bắc Ninh's (24) offices and of the ministry."""
    made = {"22": create_key(store, role=Role.PROVINCE, name="Sở NN Quảng Ninh", province_code="22")[1],
            "24": create_key(store, role=Role.PROVINCE, name="Sở NN Bắc Ninh", province_code="24")[1],
            "ministry": create_key(store, role=Role.MINISTRY, name="Văn phòng OCOP")[1]}
    return {who: {"Authorization": f"Bearer {token}"} for who, token in made.items()}


def products(engine: Engine) -> dict[str, str]:
    with Session(engine) as s:
        return {p.name: p.status for p in s.execute(select(Product)).scalars()}


def applied_batches(engine: Engine) -> int:
    with Session(engine) as s:
        return s.execute(select(func.count()).select_from(ImportBatch)
                         .where(ImportBatch.status == "succeeded")).scalar_one()


def counts(html: str) -> dict[str, int]:
    return {name: int(n) for name, n in re.findall(r'data-count="(\w+)"><span class="n">(\d+)</span>', html)}


def token_of(html: str) -> str:
    found = re.search(r'data-action="apply" value="([0-9a-f]{64})"', html)
    assert found, html[:3000]
    return found.group(1)


def alert(html: str) -> str:
    found = re.search(r'role="alert">(.*?)</div>', html, re.S)
    assert found, html[:3000]
    return found.group(1)


def post(client: TestClient, path: str, headers: dict[str, str] | None, filename: str, data: bytes,
         **fields: Any) -> Any:
    return client.post(path, headers=headers or {}, files={"file": (filename, data)}, data=fields)


def test_the_page_is_vietnamese_self_contained_and_locked_down(client: TestClient) -> None:
    page = client.get("/nop-du-lieu")
    assert page.status_code == 200 and '<html lang="vi">' in page.text
    assert 'id="upload-form"' in page.text and 'id="key-form"' in page.text and 'href="/mau-danh-sach.xlsx"' in page.text
    csp = page.headers["content-security-policy"]
    assert "default-src 'none'" in csp and csp.count("'sha256-") == 4 and "unsafe-inline" not in csp
    assert not re.search(r'(src|href)="(https?:)?//', page.text)  # nothing from another host


def test_preview_is_the_apis_dry_run_and_stores_nothing(store: Engine, client: TestClient,
                                                         keys: dict[str, dict[str, str]]) -> None:
    data = lists.quang_ninh_list()
    page = post(client, "/nop-du-lieu/xem-truoc", keys["22"], XLSX, data)
    assert page.status_code == 200, page.text
    api = post(client, "/push/file", keys["22"], XLSX, data, province="22", dryRun="true").json()
    assert counts(page.text) == {"created": api["created"], "updated": api["updated"], "unchanged": api["unchanged"],
                                 "withdrawn": api["withdrawn"], "rejected": api["rejected"],
                                 "warned": api["warnedRows"], "conflicts": api["conflicts"]}
    assert counts(page.text)["created"] == 2 and counts(page.text)["rejected"] == 2
    assert products(store) == {} and applied_batches(store) == 0
    # inspect's reading: columns and their fields, the first rows as read
    assert "<td>Chủ thể</td><td>Tên chủ thể</td>" in page.text and "Dòng tiêu đề</dt><dd>2</dd>" in page.text
    assert "<td>Sá sùng khô</td>" in page.text
    # every rejection with its row, place and reason
    rejected = page.text[page.text.index('id="xt-bi-loai"'):page.text.index('id="xt-canh-bao"')]
    assert "<td>5</td><td>trang tính “Danh sách”</td>" in rejected and "BAD_STARS" in rejected and "bảy" in rejected
    assert "<td>6</td>" in rejected and "NOT_YOUR_PROVINCE" in rejected and "Bắc Ninh" in rejected


def csv_list() -> bytes:
    return "\n".join(",".join(f'"{c}"' for c in row) for row in [lists.HEADER, *lists.GOOD]).encode("utf-8-sig")


@pytest.mark.parametrize(("province", "filename", "data", "created"), [
    ("22", "ocop-quang-ninh.csv", csv_list, 2),
    ("19", "phu-luc-bac-kan.docx", annex.docx_annex, annex.FOURS + annex.THREES),
])
def test_a_csv_or_an_annex_previews_as_the_api_reads_it(store: Engine, client: TestClient, province: str,
                                                        filename: str, data: Any, created: int) -> None:
    headers = {"Authorization": "Bearer " + create_key(store, role=Role.PROVINCE, name="Sở NN",
                                                        province_code=province)[1]}
    body = data()
    page = post(client, "/nop-du-lieu/xem-truoc", headers, filename, body)
    assert page.status_code == 200, page.text[:2000]
    api = post(client, "/push/file", headers, filename, body, province=province, dryRun="true").json()
    assert counts(page.text)["created"] == api["created"] == created
    assert counts(page.text)["warned"] == api["warnedRows"] and counts(page.text)["rejected"] == api["rejected"]
    done = post(client, "/nop-du-lieu/ap-dung", headers, filename, body, token=token_of(page.text))
    assert done.status_code == 200 and len(products(store)) == created


def test_apply_applies_what_was_previewed_once(store: Engine, client: TestClient,
                                               keys: dict[str, dict[str, str]]) -> None:
    data = lists.quang_ninh_list()
    token = token_of(post(client, "/nop-du-lieu/xem-truoc", keys["22"], XLSX, data).text)
    done = post(client, "/nop-du-lieu/ap-dung", keys["22"], XLSX, data, token=token)
    assert done.status_code == 200, done.text
    assert counts(done.text)["created"] == 2 and counts(done.text)["rejected"] == 2
    assert set(products(store)) == {"Chè Shan tuyết Bình Liêu", "Miến dong Bình Liêu"}
    assert 'href="/province/22"' in done.text
    again = post(client, "/nop-du-lieu/ap-dung", keys["22"], XLSX, data, token=token)  # a second click
    assert again.status_code == 200 and "Đã áp dụng trước đó" in again.text and applied_batches(store) == 1

    batch = re.search(r'data-applied="(\d+)"', done.text).group(1)
    download = client.get(f"/nop-du-lieu/dong-bi-loai/{batch}.xlsx", headers=keys["22"])
    assert download.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(download.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    assert header[-1] == REASON and "Hạng sao" in header and "Địa chỉ" in header
    assert [r[header.index("Tên sản phẩm")] for r in body] == ["Sá sùng khô", "Gốm Phù Lãng"]
    assert body[0][header.index("Hạng sao")] == "bảy" and "BAD_STARS" in body[0][-1]  # as written, and why
    assert "NOT_YOUR_PROVINCE" in body[1][-1]
    for other in (keys["24"], {}):  # another province's key, or none: the rows are not theirs
        assert client.get(f"/nop-du-lieu/dong-bi-loai/{batch}.xlsx", headers=other).status_code == 404


def test_a_change_between_preview_and_apply_previews_again(store: Engine, client: TestClient,
                                                           keys: dict[str, dict[str, str]]) -> None:
    data = lists.quang_ninh_list()
    token = token_of(post(client, "/nop-du-lieu/xem-truoc", keys["22"], XLSX, data).text)
    # the store changes: another list of the province is applied in between
    other = lists.workbook(("Danh sách", [lists.GOOD[0]]))
    first = post(client, "/nop-du-lieu/xem-truoc", keys["22"], "khac.xlsx", other)
    assert post(client, "/nop-du-lieu/ap-dung", keys["22"], "khac.xlsx", other,
                token=token_of(first.text)).status_code == 200
    before = products(store)
    stale = post(client, "/nop-du-lieu/ap-dung", keys["22"], XLSX, data, token=token)
    assert stale.status_code == 409 and STALE in stale.text.replace("&quot;", '"').replace("“", "“")
    assert products(store) == before and applied_batches(store) == 1
    fresh = token_of(stale.text)
    assert fresh != token and counts(stale.text)["created"] == 1 and counts(stale.text)["unchanged"] == 1
    # another file under the fresh token: refused too
    changed = lists.workbook(("Danh sách", [*lists.GOOD, lists.BAD_STARS]))
    assert post(client, "/nop-du-lieu/ap-dung", keys["22"], XLSX, changed, token=fresh).status_code == 409
    assert post(client, "/nop-du-lieu/ap-dung", keys["22"], XLSX, data, token=fresh).status_code == 200
    assert set(products(store)) == {"Chè Shan tuyết Bình Liêu", "Miến dong Bình Liêu"}


def test_a_workbook_previews_the_sheets_chosen(store: Engine, client: TestClient,
                                               keys: dict[str, dict[str, str]]) -> None:
    data = lists.workbook(("4 sao", [lists.GOOD[0]]), ("3 sao", [lists.GOOD[1]]))
    both = post(client, "/nop-du-lieu/xem-truoc", keys["22"], XLSX, data)
    assert counts(both.text)["created"] == 2
    assert both.text.count('type="checkbox" name="sheet"') == 2
    one = client.post("/nop-du-lieu/xem-truoc", headers=keys["22"], files={"file": (XLSX, data)},
                      data={"sheet": ["3 sao"]})
    assert counts(one.text)["created"] == 1 and "Miến dong Bình Liêu" in one.text
    assert "Chè Shan tuyết" not in one.text
    api = client.post("/push/file", headers=keys["22"], files={"file": (XLSX, data)},
                      data={"province": "22", "dryRun": "true", "sheet": ["3 sao"]}).json()
    assert (api["created"], api["rowsRead"]) == (1, 1)  # the API reads the same sheet
    done = client.post("/nop-du-lieu/ap-dung", headers=keys["22"], files={"file": (XLSX, data)},
                       data={"sheet": ["3 sao"], "token": token_of(one.text)})
    assert done.status_code == 200 and set(products(store)) == {"Miến dong Bình Liêu"}


def test_history_names_the_file_and_reverts(store: Engine, client: TestClient,
                                            keys: dict[str, dict[str, str]]) -> None:
    data = lists.quang_ninh_list()
    token = token_of(post(client, "/nop-du-lieu/xem-truoc", keys["22"], XLSX, data).text)
    batch = re.search(r'data-applied="(\d+)"',
                      post(client, "/nop-du-lieu/ap-dung", keys["22"], XLSX, data, token=token).text).group(1)
    history = client.get("/nop-du-lieu/lich-su", headers=keys["22"])
    assert history.status_code == 200 and f"<td>{XLSX}</td>" in history.text
    assert f'data-revert="{batch}"' in history.text
    assert "Bắc Ninh" in client.get("/nop-du-lieu/lich-su", headers=keys["24"]).text  # its own province's: none yet
    assert f'data-revert="{batch}"' not in client.get("/nop-du-lieu/lich-su?province=22", headers=keys["24"]).text
    refused = client.post(f"/nop-du-lieu/hoan-tac/{batch}", headers=keys["24"])
    assert refused.status_code == 403 and "tỉnh khác" in refused.text
    assert set(products(store).values()) == {"active"}
    reverted = client.post(f"/nop-du-lieu/hoan-tac/{batch}", headers=keys["22"])
    assert reverted.status_code == 200 and f"Đã hoàn tác lô {batch}" in reverted.text
    assert set(products(store).values()) == {"withdrawn"}
    history = client.get("/nop-du-lieu/lich-su", headers=keys["22"]).text
    assert f'data-revert="{batch}"' not in history and "Đã hoàn tác bởi lô" in history


def test_a_ministry_key_chooses_the_province(store: Engine, client: TestClient,
                                             keys: dict[str, dict[str, str]]) -> None:
    data = lists.quang_ninh_list()
    unchosen = post(client, "/nop-du-lieu/xem-truoc", keys["ministry"], XLSX, data)
    assert unchosen.status_code == 422 and "chọn tỉnh" in alert(unchosen.text)
    chosen = post(client, "/nop-du-lieu/xem-truoc", keys["ministry"], XLSX, data, province="22")
    assert chosen.status_code == 200 and counts(chosen.text)["created"] == 2


@pytest.mark.parametrize(("who", "filename", "data", "status", "message"), [
    (None, XLSX, lists.quang_ninh_list, 403, NO_KEY),
    ("24", XLSX, lists.quang_ninh_list, 403, "Khóa API này chỉ được gửi dữ liệu của tỉnh mình"),
    ("22", "bac-ninh.xlsx", lambda: lists.workbook(("Danh sách", [lists.FOREIGN]),
                                                   title="DANH SÁCH SẢN PHẨM OCOP TỈNH BẮC NINH"), 403, LIST_REFUSED),
    ("22", "phu-luc.pdf", lists.scan_pdf, 422, "bản quét"),
    ("22", "phu-luc.doc", lists.old_doc, 422, "(.xls, .doc)"),
    ("22", XLSX, lists.password_xlsx, 422, "đặt mật khẩu"),
    ("22", XLSX, lambda: b"", 422, EMPTY),
    ("22", XLSX, lambda: b"PK" + b"\0" * (MAX_FILE_BYTES - 1), 422, TOO_LARGE),
    ("22", XLSX, lists.not_a_list, 422, "không phải danh sách sản phẩm OCOP"),
    ("22", "danh-sach.odt", lambda: b"PK\3\4", 422, "Chỉ nhận tệp"),
])
def test_bad_input_is_refused_in_vietnamese_and_stores_nothing(
        store: Engine, client: TestClient, keys: dict[str, dict[str, str]], who: str | None, filename: str,
        data: Any, status: int, message: str) -> None:
    body = data()
    headers = province = None
    if who is not None:
        headers, province = keys[who], "22"
    for path in ("/nop-du-lieu/xem-truoc", "/nop-du-lieu/ap-dung"):
        answer = post(client, path, headers, filename, body, province=province or "", token="0" * 64)
        assert answer.status_code == status, answer.text[:2000]
        assert message in alert(answer.text), alert(answer.text)
    assert products(store) == {} and applied_batches(store) == 0


def test_a_malformed_form_is_refused_in_vietnamese(store: Engine, client: TestClient,
                                                   keys: dict[str, dict[str, str]]) -> None:
    broken = client.post("/nop-du-lieu/xem-truoc", content=b"--x\r\nnot a part", headers={
        **keys["22"], "Content-Type": "multipart/form-data; boundary=x"})
    assert broken.status_code == 400 and "Biểu mẫu gửi lên không hợp lệ" in alert(broken.text)
    unknown = post(client, "/nop-du-lieu/xem-truoc", keys["22"], XLSX, lists.quang_ninh_list(), dryRun="true")
    assert unknown.status_code == 400 and "dryRun" in unknown.text
    assert products(store) == {} and applied_batches(store) == 0


def test_a_wrong_key_is_refused_before_the_page_reads_the_file(client: TestClient) -> None:
    answer = post(client, "/nop-du-lieu/xem-truoc", {"Authorization": "Bearer ocop_" + "x" * 43}, XLSX,
                  lists.quang_ninh_list())
    assert answer.status_code == 401  # the page's script says "Khóa API không đúng hoặc đã bị thu hồi"
