"""The date a list's title says it speaks for (hub/registries/title_date.py), as a clerk reads it."""
from __future__ import annotations

from datetime import date

import pytest

from hub.registries.title_date import title_list_date


@pytest.mark.parametrize("lines,expected", [
    (["DANH SÁCH SẢN PHẨM OCOP (tính đến ngày 31/12/2024)"], date(2024, 12, 31)),
    (["Cập nhật đến 30/6/2025"], date(2025, 6, 30)),
    (["DANH SACH SAN PHAM OCOP TINH DEN NGAY 15-03-2024"], date(2024, 3, 15)),  # no diacritics, dashes
    (["(tính đến ngày 30 tháng 6 năm 2025)"], date(2025, 6, 30)),              # a date in words
    (["tính đến tháng 6/2025"], date(2025, 6, 30)),                            # a month: its last day
    (["DANH SÁCH SẢN PHẨM ĐẠT CHỨNG NHẬN OCOP NĂM 2023"], date(2023, 12, 31)),  # the year's list
    (["DANH SÁCH OCOP NĂM 2025", "(tính đến ngày 30 tháng 6 năm 2025)"], date(2025, 6, 30)),  # a date beats a year
    (["(Kèm theo Quyết định số 2417/QĐ-UBND ngày 28/12/2024 của UBND tỉnh Bắc Kạn)"], None),  # the decision's date
    (["DANH SÁCH NĂM 2022 (Kèm theo Quyết định số 12/QĐ-UBND năm 2024)"], date(2022, 12, 31)),
    (["Năm 2019-2020"], None),                                                  # a cycle, not one year
    (["tính đến 31/02/2024"], None),                                            # no such day
    (["UBND TỈNH QUẢNG NINH", "STT"], None),
])
def test_a_title_gives_the_day_its_list_is_as_of(lines: list[str], expected: date | None) -> None:
    assert title_list_date(lines) == expected
