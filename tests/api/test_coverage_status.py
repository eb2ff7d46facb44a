"""Honest coverage (issue 28, item 6): freshness judged by the date a list speaks for as well as
by its harvest, a merged province shown per former province and reported only when every part
is, and one vocabulary (no source, stale, current) in the API and on the dashboard."""
from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from starlette.testclient import TestClient

from hub.server import create_app
from hub.ingest import ingest_rows
from hub.records import RawRow

QUERY = """{ coverage { province { code } status stale lastSuccessAt
              formerProvinces { code name status sources } sources { name health listDate } } }"""


def harvest(store, name: str, province: str, decided: date) -> None:
    rows = [RawRow(row_number=2, values={"product_name": f"Miến dong {name}", "producer_name": "HTX Nông sản",
                                         "stars": "3 sao", "group": "Thực phẩm",
                                         "decision_date": decided.strftime("%d/%m/%Y")})]
    assert ingest_rows(store, source_name=name, source_kind="csv", province=province, rows=rows).status == "succeeded"


def coverage(client: TestClient) -> dict[str, dict[str, Any]]:
    body = client.post("/graphql", json={"query": QUERY}).json()
    assert "errors" not in body, body
    return {row["province"]["code"]: row for row in body["data"]["coverage"]}


def test_a_merged_province_is_current_only_when_every_former_province_is(store) -> None:
    recent = date.today() - timedelta(days=60)
    harvest(store, "bac-kan", "Bắc Kạn", recent)
    with TestClient(create_app(store)) as client:
        thai_nguyen = coverage(client)["19"]
        assert [(p["code"], p["name"], p["status"], p["sources"]) for p in thai_nguyen["formerProvinces"]] == [
            ("06", "Bắc Kạn", "CURRENT", ["bac-kan"]), ("19", "Thái Nguyên", "NO_SOURCE", [])]
        assert (thai_nguyen["status"], thai_nguyen["stale"]) == ("NO_SOURCE", True)
        harvest(store, "thai-nguyen", "Thái Nguyên", recent)
        thai_nguyen = coverage(client)["19"]
        assert [p["status"] for p in thai_nguyen["formerProvinces"]] == ["CURRENT", "CURRENT"]
        assert (thai_nguyen["status"], thai_nguyen["stale"]) == ("CURRENT", False)


def test_an_old_list_harvested_today_is_stale_by_its_date(store) -> None:
    harvest(store, "quang-ninh-2018", "Quảng Ninh", date(2018, 8, 15))
    harvest(store, "lam-dong", "Lâm Đồng", date.today() - timedelta(days=30))
    with TestClient(create_app(store)) as client:
        rows = coverage(client)
    quang_ninh, lam_dong = rows["22"], rows["68"]
    assert quang_ninh["sources"] == [{"name": "quang-ninh-2018", "health": "STALE", "listDate": "2018-08-15"}]
    assert quang_ninh["lastSuccessAt"] is not None and quang_ninh["status"] == "STALE"
    assert lam_dong["sources"][0]["health"] == "CURRENT"
    assert [p["status"] for p in lam_dong["formerProvinces"]] == ["NO_SOURCE", "NO_SOURCE", "CURRENT"]  # Bình Thuận, Đắk Nông


def test_the_dashboard_says_what_the_api_says(store) -> None:
    harvest(store, "quang-ninh-2018", "Quảng Ninh", date(2018, 8, 15))
    harvest(store, "bac-kan", "Bắc Kạn", date.today() - timedelta(days=60))
    with TestClient(create_app(store)) as client:
        statuses = [row["status"] for row in coverage(client).values()]
        page = client.get("/").text
    kpis = dict((label.strip(), int(n.replace(".", ""))) for n, label in re.findall(
        r'<span class="n">([\d.]+)</span>([^<]+)<a', page))
    assert kpis["tỉnh, thành phố quá hạn báo cáo (hiện nay)"] == statuses.count("STALE") == 1
    assert kpis["tỉnh, thành phố đã báo cáo (trên 34; hiện nay)"] == 34 - statuses.count("NO_SOURCE") == 1
    section = page[page.index('id="bang-bao-cao"'):]
    assert section.count(">Chưa có nguồn<") >= statuses.count("NO_SOURCE") == 33
    assert "<li>Bắc Kạn: Cập nhật</li><li>Thái Nguyên: Chưa có nguồn</li>" in section


def test_a_list_whose_title_states_its_date_speaks_for_that_date(store, tmp_path) -> None:
    """A registry file titled "tính đến ngày 31/12/2019" speaks for that day, whatever its rows'
    decisions (here a recent one): freshness is judged by the title's date, as a clerk reads it."""
    from hub.registries.sources_file import load_sources
    from hub.sources.harvest import harvest_source

    recent = (date.today() - timedelta(days=30)).strftime("%d/%m/%Y")
    (tmp_path / "qn.csv").write_text(
        "UBND TỈNH QUẢNG NINH\nDANH SÁCH SẢN PHẨM OCOP (tính đến ngày 31/12/2019)\n"
        "STT,Tên sản phẩm,Chủ thể,Địa chỉ,Hạng sao,Ngày quyết định\n"
        f"1,Chả mực Hạ Long,Công ty TNHH Chả mực,phường Hạ Long,4 sao,{recent}\n", encoding="utf-8")
    (tmp_path / "sources.yaml").write_text(
        f"sources:\n  - name: qn-titled\n    province: Quảng Ninh\n    kind: csv\n    location: {tmp_path / 'qn.csv'}\n",
        encoding="utf-8")
    [spec] = load_sources(tmp_path / "sources.yaml")
    assert harvest_source(store, spec).status == "succeeded"
    with TestClient(create_app(store)) as client:
        quang_ninh = coverage(client)["22"]
    assert quang_ninh["sources"] == [{"name": "qn-titled", "health": "STALE", "listDate": "2019-12-31"}]
