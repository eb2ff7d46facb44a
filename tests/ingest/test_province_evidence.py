"""The province a row belongs to comes from its own evidence, and a contradiction is never stored
(SQLite and PostgreSQL): Kiên Giang's list pushed by Thanh Hóa's key or harvested as Thanh Hóa's
stores nothing; pushed by An Giang (Kiên Giang's successor) it is An Giang's own."""
from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select
from sqlmodel import Session

from hub.access.keys import create_key, verify_token
from hub.sources.harvest import harvest_source
from hub.store.models import ImportBatch, Product
from hub.vocabulary import Role
from hub.push.submission import PushRefused, push_file
from hub.registries.sources_file import SourceSpec

TITLE = ["UBND TỈNH KIÊN GIANG", "DANH SÁCH SẢN PHẨM ĐẠT CHỨNG NHẬN OCOP NĂM 2023"]
HEADER = ["STT", "Tên sản phẩm", "Chủ thể", "Địa chỉ", "Hạng sao", "Năm công nhận"]
KIEN_GIANG = [
    ["1", "Khô cá sặc rằn", "HTX Nông nghiệp Nam Thái", "Xã Nam Thái, huyện An Biên", "3 sao", "2023"],
    ["2", "Nước mắm Phú Quốc Khải Hoàn", "Công ty TNHH Khải Hoàn", "Phường Vĩnh Thanh Vân, thành phố Rạch Giá",
     "4 sao", "2023"],
    ["3", "Gạo ST25 Mỹ Lâm", "HTX Mỹ Lâm", "Xã Mỹ Lâm, huyện Hòn Đất", "3 sao", "2023"],
    ["4", "Mật ong rừng U Minh", "HTX Thuận Hòa", "Xã Thuận Hòa, huyện An Minh", "3 sao", "2023"],
]


def workbook(rows: list[list[str]], title: list[str] = ()) -> bytes:  # type: ignore[assignment]
    book = openpyxl.Workbook()
    sheet = book.active
    for line in title:
        sheet.append([line])
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def key(store):
    def of(province_code: str):
        return verify_token(store, create_key(store, role=Role.PROVINCE, name=f"Sở NN {province_code}",
                                              province_code=province_code)[1])
    return of


def stored(engine) -> list[tuple[str, str, str | None]]:
    with Session(engine) as s:
        return sorted(s.execute(select(Product.name, Product.province_code, Product.legacy_province)).all())


def test_a_list_titled_for_another_province_is_refused_whole_when_pushed(store, key) -> None:
    with pytest.raises(PushRefused) as refused:
        push_file(store, key("38"), province="38", filename="kien-giang.xlsx", data=workbook(KIEN_GIANG, TITLE))
    assert refused.value.code == "NOT_YOUR_PROVINCE"
    assert "TỈNH KIÊN GIANG" in refused.value.message and "An Giang (91)" in refused.value.message
    assert "Thanh Hóa (38)" in refused.value.message
    assert stored(store) == []


def test_each_row_of_another_province_is_rejected_naming_both(store, key) -> None:
    """No title: every row's district exists only in Kiên Giang (now An Giang), never in Thanh Hóa."""
    summary = push_file(store, key("38"), province="Thanh Hóa", filename="kg.xlsx", data=workbook(KIEN_GIANG))
    assert summary.status == "succeeded" and summary.created == 0 and summary.rejected == 4
    errors = [r.errors[0] for r in summary.rejections]
    assert {e["code"] for e in errors} == {"NOT_YOUR_PROVINCE"}
    assert all("An Giang (91)" in e["message"] and "Thanh Hóa (38)" in e["message"] for e in errors)
    assert "district 'thành phố Rạch Giá'" in errors[1]["message"]
    assert stored(store) == []


def test_rows_without_evidence_do_not_slip_in_with_a_list_that_is_another_provinces(store, key) -> None:
    """Two rows name no place, or a commune that Thanh Hóa has too (Tân Thành); the list as a whole
    is Kiên Giang's."""
    vague = [["5", "Bánh tráng Tân Thành", "Cơ sở Ba Tư", "Xã Tân Thành", "3 sao", "2023"],
             ["6", "Chả cá Hòa Bình", "Cơ sở Út Hai", "", "3 sao", "2023"]]
    with pytest.raises(PushRefused) as refused:
        push_file(store, key("38"), province="38", filename="kg.xlsx", data=workbook(KIEN_GIANG + vague))
    assert refused.value.code == "NOT_YOUR_PROVINCE"
    assert "4 rows of the list belong to other provinces and only 2 to Thanh Hóa (38)" in refused.value.message
    assert stored(store) == []


def test_a_harvest_that_names_the_wrong_province_stores_nothing(store, tmp_path: Path) -> None:
    path = tmp_path / "kien-giang.xlsx"
    for title, name in ((TITLE, "titled"), ((), "untitled")):
        path.write_bytes(workbook(KIEN_GIANG, title))
        summary = harvest_source(store, SourceSpec(name=name, province="Thanh Hóa", kind="xlsx", location=str(path)))
        if title:
            assert summary.failed and summary.error_code == "WRONG_PROVINCE"
            assert "TỈNH KIÊN GIANG" in summary.error
        else:
            assert summary.rejected == 4
            assert {r.errors[0]["code"] for r in summary.rejections} == {"WRONG_PROVINCE"}
    assert stored(store) == []
    with Session(store) as s:
        assert s.execute(select(ImportBatch.status).where(ImportBatch.error.is_not(None))).scalars().all() == ["failed"]


def test_the_successor_province_pushes_the_old_provinces_list_as_its_own(store, key) -> None:
    summary = push_file(store, key("91"), province="An Giang", filename="kg.xlsx", data=workbook(KIEN_GIANG, TITLE))
    assert (summary.created, summary.rejected) == (4, 0), summary.rejections
    assert {(code, legacy) for _, code, legacy in stored(store)} == {("91", "Kiên Giang")}


def test_a_row_that_contradicts_its_section_is_warned_and_keeps_its_own_value(store, key) -> None:
    rows = [["I. SẢN PHẨM ĐẠT 4 SAO"], KIEN_GIANG[1], ["II. SẢN PHẨM ĐẠT 3 SAO"], KIEN_GIANG[0][:4] + ["4 sao", "2023"]]
    summary = push_file(store, key("91"), province="91", filename="kg.xlsx", data=workbook(rows))
    assert summary.created == 2
    warned = {w.row_number: [x["code"] for x in w.warnings] for w in summary.warnings}
    assert "CONTRADICTS_HEADING" in warned[5] and "CONTRADICTS_HEADING" not in warned.get(3, [])
    with Session(store) as s:
        assert dict(s.execute(select(Product.name, Product.stars)).all())["Khô cá sặc rằn"] == 4
