"""Section titles, totals and footer lines, told by their words."""
from __future__ import annotations

import pytest

from hub.registries.sections import SectionStack, is_footer, is_totals, parse_section, section_group


@pytest.mark.parametrize(
    ("title", "values", "count"),
    [
        ("I. SẢN PHẨM ĐẠT 4 SAO", {"stars": "4 sao"}, None),
        ("II. Sản phẩm 3 sao (21 sản phẩm)", {"stars": "3 sao"}, 21),
        ("Sản phẩm tiềm năng 5 sao", {"stars": "4 sao (tiềm năng 5 sao)"}, None),
        ("HUYỆN ĐỨC TRỌNG", {"district": "HUYỆN ĐỨC TRỌNG"}, None),
        ("Huyện Bạch Thông:", {"district": "Huyện Bạch Thông"}, None),
        ("TP. Đà Lạt (5 SP)", {"district": "TP. Đà Lạt"}, 5),
        ("1. Xã Tân Hà", {"commune": "Xã Tân Hà"}, None),
        ("Tỉnh Bắc Kạn", {"province": "Tỉnh Bắc Kạn"}, None),
        ("Nhóm thực phẩm", {"group": "Nhóm thực phẩm"}, None),
        ("A. NHÓM ĐỒ UỐNG", {"group": "NHÓM ĐỒ UỐNG"}, None),
        ("Đợt 1 năm 2024", {}, None),
    ],
)
def test_parse_section(title, values, count):
    section = parse_section(title)
    assert (section.values, section.count) == (values, count)


def test_a_bare_group_name_is_a_group_section_once_the_row_is_a_section():
    assert section_group(parse_section("B. ĐỒ UỐNG")).values == {"group": "ĐỒ UỐNG"}
    assert parse_section("DANH SÁCH SẢN PHẨM OCOP (tiếp theo)").is_title


@pytest.mark.parametrize(
    ("text", "totals"),
    [("Tổng cộng", True), ("Tổng: 37 sản phẩm", True), ("Cộng", True), ("Tổng số sản phẩm", True),
     ("Tổng cộng (I+II)", True), ("TỔNG CỘNG (12 SP)", True), ("Tổng công ty Thép", False), ("Cộng đồng", False),
     ("Trà xanh", False)],
)
def test_is_totals(text, totals):
    assert is_totals(text) is totals


@pytest.mark.parametrize(
    ("text", "footer"),
    [("Người lập biểu", True), ("Người lập bảng", True), ("Thủ trưởng đơn vị", True), ("KT. GIÁM ĐỐC", True),
     ("TM. ỦY BAN NHÂN DÂN", True), ("(Ký, ghi rõ họ tên)", True), ("Nơi nhận:", True), ("PHÓ GIÁM ĐỐC", True),
     ("Quảng Ninh, ngày 12 tháng 3 năm 2024", True), ("Đà Lạt, ngày … tháng … năm 2024", True),
     ("ngày 12/3/2024", False), ("Kỳ Sơn", False), ("HTX Nông nghiệp Hải Yến", False)],
)
def test_is_footer(text, footer):
    assert is_footer(text, alone=False) is footer


def test_a_section_replaces_its_kind_and_its_sub_sections_and_checks_its_count():
    stack = SectionStack()
    stack.push(parse_section("I. SẢN PHẨM 4 SAO (2 sản phẩm)"), 5)
    stack.push(parse_section("1. Huyện Đức Trọng"), 6)
    values, raw = {"stars": "", "district": "huyện Đức Trọng"}, {}
    stack.apply(values, raw)
    assert values == {"stars": "4 sao", "district": "huyện Đức Trọng"}  # the row's own value wins
    assert raw == {"(section)": "I. SẢN PHẨM 4 SAO (2 sản phẩm) › 1. Huyện Đức Trọng"}
    stack.push(parse_section("II. SẢN PHẨM 3 SAO"), 8)
    assert [o.section.title for o in stack.open] == ["II. SẢN PHẨM 3 SAO"]
    assert stack.mismatches == ["row 5: section 'I. SẢN PHẨM 4 SAO (2 sản phẩm)' states 2 products, 1 rows were read under it"]
