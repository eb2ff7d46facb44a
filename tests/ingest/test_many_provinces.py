"""Sources covering many provinces (a national compilation, the ministry's 5-star list): the
sources file leaves `province:` out, each row lands under its own current province (old names by
the 2025 reform), a row naming none is rejected saying so, and coverage counts the source under
every province it fills. SQLite and PostgreSQL."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlmodel import Session
from starlette.testclient import TestClient

from hub.server import create_app
from hub.sources.harvest import harvest_source
from hub.store.models import Product, Source
from hub.registries.sources_file import load_sources

ROWS = [
    "STT,Tên sản phẩm,Chủ thể,Tỉnh,Hạng sao,Năm công nhận",
    "1,Ngọc trai Hạ Long,Công ty CP Ngọc trai Hạ Long,Quảng Ninh,5 sao,2022",
    "2,Chè Tân Cương,HTX Chè Tân Cương,Thái Nguyên,5 sao,2023",
    "3,Miến dong Na Rì,HTX Miến dong Na Rì,Bắc Kạn,5 sao,2021",
    "4,Bưởi da xanh Chợ Lách,HTX Nông nghiệp Chợ Lách,Bến Tre,5 sao,2024",
    "5,Cá khô Atlantis,HTX Atlantis,Tỉnh Atlantis,5 sao,2024",
    "6,Mắm tôm chua,Cơ sở Bà Sáu,,5 sao,2024",
]


def test_a_national_list_places_each_row_in_its_own_province(store, tmp_path: Path) -> None:
    (tmp_path / "ocop-5-sao.csv").write_text("\n".join(ROWS) + "\n", encoding="utf-8")
    (tmp_path / "sources.yaml").write_text(
        "sources:\n  - {name: bo-5-sao, kind: csv, location: ocop-5-sao.csv}\n", encoding="utf-8")
    [spec] = load_sources(tmp_path / "sources.yaml")
    assert spec.province == ""
    summary = harvest_source(store, spec)
    assert (summary.status, summary.created, summary.rejected) == ("succeeded", 4, 2)
    reasons = {r.row_number: (r.errors[0]["code"], r.errors[0]["message"]) for r in summary.rejections}
    assert reasons[6][0] == "UNKNOWN_UNIT" and "unknown province 'Tỉnh Atlantis'" in reasons[6][1]
    assert reasons[7][0] == "NO_PROVINCE" and "names no province" in reasons[7][1]
    with Session(store) as s:
        placed = dict(s.execute(select(Product.name, Product.province_code)).all())
        assert s.execute(select(Source.province_code).where(Source.name == "bo-5-sao")).scalar_one() is None
    assert placed == {"Ngọc trai Hạ Long": "22", "Chè Tân Cương": "19", "Miến dong Na Rì": "19",
                      "Bưởi da xanh Chợ Lách": "86"}  # Bắc Kạn is now Thái Nguyên, Bến Tre Vĩnh Long

    with TestClient(create_app(store)) as client:
        body = client.post("/graphql", json={"query": "{ coverage { province { code } sources { name recordCount } } }"})
        pages = {code: client.get(f"/province/{code}").text for code in ("19", "22", "86", "01")}
    assert {code for code, page in pages.items() if "bo-5-sao" in page} == {"19", "22", "86"}  # the dashboard too
    listed = {p["province"]["code"]: [s["name"] for s in p["sources"]] for p in body.json()["data"]["coverage"]}
    assert {code for code, names in listed.items() if "bo-5-sao" in names} == {"19", "22", "86"}
    again = harvest_source(store, spec)
    assert (again.unchanged, again.created, again.withdrawn) == (4, 0, 0) and again.same_as_batch == summary.batch_id
