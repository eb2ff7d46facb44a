"""Header rules: folded keywords, abbreviations and head nouns, not a list of one file's headers."""
from __future__ import annotations

import pytest

from hub.registries.header_rules import header_field, header_tokens, path_field

# Wording met in provincial lists, and plausible wording nobody on the team has seen yet.
WORDING = [
    ("Hạng sao đạt được", "stars"), ("Số, ngày quyết định", "decision_number"), ("Nhóm sản phẩm OCOP", "group"),
    ("Năm được công nhận", "year"), ("Cơ quan ban hành", "issuing_body"), ("Tên cơ sở", "producer_name"),
    ("Tên sản phẩm, dịch vụ", "product_name"), ("Sản phẩm OCOP", "product_name"),
    ("Tên chủ thể OCOP", "producer_name"), ("Chủ thể kinh doanh", "producer_name"),
    ("Đơn vị/cá nhân sở hữu", "producer_name"), ("Kết quả phân hạng", "stars"), ("Số sao đạt", "stars"),
    ("Điểm đánh giá", "score"), ("Ngày, tháng, năm công nhận", "decision_date"),
    ("QĐ công nhận số", "decision_number"), ("Thời gian công nhận", "decision_date"), ("Năm đạt", "year"),
    ("Xã/phường/đặc khu", "commune"), ("Đơn vị hành chính", "address"), ("Nơi sản xuất", "address"),
    ("Tên HTX/DN/Hộ SXKD", "producer_name"), ("Phân loại", "producer_type"), ("Loại hình tổ chức", "producer_type"),
    ("Tên hàng hoá", "product_name"), ("Số GCN", "decision_number"), ("Số QĐ, ngày cấp", "decision_number"),
    ("Tháng, năm công nhận", "decision_date"), ("Loại sản phẩm", "group"), ("Kết quả đánh giá (điểm)", "score"),
    ("Cấp công nhận (tỉnh/huyện)", "issuing_body"), ("Đơn vị công nhận", "issuing_body"),
    ("Mã số doanh nghiệp", "tax_code"), ("Điện thoại liên hệ", "phone"),
    ("Họ và tên người đại diện", "contact_person"), ("Xã, huyện", "address"), ("Địa bàn", "address"),
    ("Đơn vị hành chính cấp xã", "commune"), ("Xã/P/TT", "commune"), ("E-mail", "email"),
]
# What the old exact list knew: every variant must still map.
OLD_VARIANTS = [
    ("Tên sản phẩm", "product_name"), ("Tên SP", "product_name"), ("Sản phẩm", "product_name"),
    ("Tên sản phẩm OCOP", "product_name"), ("Tên sản phẩm/dịch vụ", "product_name"),
    ("Chủ thể", "producer_name"), ("Tên chủ thể", "producer_name"), ("Chủ thể sản xuất", "producer_name"),
    ("Đơn vị", "producer_name"), ("Chủ thể OCOP", "producer_name"), ("Tên chủ thể sản xuất", "producer_name"),
    ("Đơn vị sản xuất", "producer_name"), ("Cơ sở sản xuất", "producer_name"),
    ("Loại hình", "producer_type"), ("Loại hình chủ thể", "producer_type"), ("Loại hình tổ chức", "producer_type"),
    ("Hạng sao", "stars"), ("Số sao", "stars"), ("Xếp hạng", "stars"), ("Kết quả xếp hạng", "stars"),
    ("Hạng", "stars"), ("Kết quả đánh giá", "stars"), ("Xếp hạng sao", "stars"), ("Hạng sao OCOP", "stars"),
    ("Điểm", "score"), ("Tổng điểm", "score"), ("Điểm đánh giá", "score"),
    ("Nhóm sản phẩm", "group"), ("Nhóm", "group"), ("Ngành hàng", "group"), ("Bộ sản phẩm", "group"),
    ("Ngành", "group"), ("Nhóm ngành", "group"), ("Phân nhóm", "subgroup"), ("Phân nhóm sản phẩm", "subgroup"),
    ("Tỉnh", "province"), ("Tỉnh/Thành phố", "province"), ("Tỉnh/TP", "province"), ("Tỉnh, thành phố", "province"),
    ("Huyện", "district"), ("Huyện/TP", "district"), ("Quận/Huyện", "district"), ("Huyện/TX/TP", "district"),
    ("Huyện, thị xã, thành phố", "district"), ("Quận, huyện", "district"), ("Huyện/Thị xã/Thành phố", "district"),
    ("Xã", "commune"), ("Xã/Phường", "commune"), ("Xã, phường, thị trấn", "commune"),
    ("Xã/Phường/Thị trấn", "commune"), ("Phường/Xã", "commune"), ("Phường, xã", "commune"),
    ("Địa chỉ", "address"), ("Địa chỉ chủ thể", "address"), ("Địa chỉ sản xuất", "address"),
    ("Số quyết định", "decision_number"), ("Số QĐ", "decision_number"), ("Quyết định công nhận", "decision_number"),
    ("Quyết định", "decision_number"), ("Số quyết định công nhận", "decision_number"),
    ("Ngày quyết định", "decision_date"), ("Ngày công nhận", "decision_date"), ("Ngày cấp", "decision_date"),
    ("Ngày QĐ", "decision_date"), ("Ngày ban hành", "decision_date"),
    ("Năm công nhận", "year"), ("Năm", "year"), ("Năm đánh giá", "year"), ("Năm xếp hạng", "year"),
    ("Cơ quan công nhận", "issuing_body"), ("Cấp công nhận", "issuing_body"), ("Cơ quan cấp", "issuing_body"),
    ("Cấp đánh giá", "issuing_body"), ("Mã số thuế", "tax_code"), ("MST", "tax_code"),
    ("Điện thoại", "phone"), ("SĐT", "phone"), ("Số điện thoại", "phone"), ("ĐT", "phone"),
    ("Email", "email"), ("E-mail", "email"), ("Thư điện tử", "email"),
    ("Người đại diện", "contact_person"), ("Người liên hệ", "contact_person"), ("Đại diện", "contact_person"),
]
# Explicitly no field: notes, codes, units of measure, expiry (the hub computes it), title blocks.
NOT_FIELDS = [
    ("Ghi chú", None), ("STT", None), ("TT", None), ("Số TT", None), ("", None), ("Mã sản phẩm", None),
    ("Đơn vị tính", None), ("Ngày hết hạn", None), ("Ngày hết hiệu lực", None), ("UBND TỈNH QUẢNG NINH", None),
    ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", None), ("DANH SÁCH SẢN PHẨM OCOP NĂM 2024", None),
]


@pytest.mark.parametrize(("header", "field"), WORDING + OLD_VARIANTS + NOT_FIELDS)
def test_header_field(header, field):
    assert header_field(header) == field


@pytest.mark.parametrize(
    ("path", "field"),
    [
        (("Chứng nhận OCOP", "Số QĐ"), "decision_number"), (("Chứng nhận OCOP", "Ngày cấp"), "decision_date"),
        (("Chứng nhận OCOP", "Hạng"), "stars"), (("Chứng nhận OCOP", "Số"), "decision_number"),
        (("Chủ thể sản xuất", "Tên"), "producer_name"), (("Chủ thể sản xuất", "Địa chỉ"), "address"),
        (("Chủ thể sản xuất", "Loại hình"), "producer_type"), (("Địa chỉ", "Huyện"), "district"),
        (("Địa chỉ", "Xã"), "commune"), (("Quyết định công nhận", "Số"), "decision_number"),
        (("Quyết định công nhận", "Ngày"), "decision_date"), (("Sản phẩm", "Tên"), "product_name"),
        (("Thông tin chủ thể", "Địa chỉ", "Huyện"), "district"), (("Thông tin chủ thể", "Tên"), "producer_name"),
        (("Địa chỉ", "Thôn/xóm"), "address"), (("Kết quả đánh giá", "Điểm"), "score"),
        (("Chủ thể", "Ghi chú"), None), (("Chủ thể", "STT"), None), (("Tên",), None),
    ],
)
def test_a_child_takes_its_meaning_from_its_parent_when_it_has_none(path, field):
    assert path_field(path) == field


def test_overrides_compare_folded_by_column_name_then_child():
    assert path_field(("Tên hàng hoá",), {"Ten hang hoa": "product_name"}) == "product_name"
    assert path_field(("Đơn vị",), {"Đơn vị": "issuing_body"}) == "issuing_body"
    assert path_field(("Địa chỉ", "Huyện"), {"Địa chỉ / Huyện": "address"}) == "address"
    assert path_field(("Địa chỉ", "Huyện"), {"HUYỆN": "commune"}) == "commune"


@pytest.mark.parametrize(
    ("header", "tokens"),
    [("Tên SP", ("ten", "san_pham")), ("Số QĐ", ("so", "quyet_dinh")), ("Tên HTX", ("ten", "hop_tac_xa")),
     ("SĐT", ("so_dien_thoai",)), ("Ngành hàng", ("nganh_hang",)), ("Xã/P/TT", ("xa", "phuong", "thi_tran")),
     ("Số TT", ("so_thu_tu",)), ("Huyện/TX/TP", ("huyen", "thi_xa", "thanh_pho"))],
)
def test_abbreviations_expand_as_whole_words_and_compounds_join(header, tokens):
    assert header_tokens(header) == tokens
