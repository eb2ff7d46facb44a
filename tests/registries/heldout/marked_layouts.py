"""Held-out layouts that read only by composing header rows: ratings and producer types ticked with
"x" under a merged parent, a data table nested in a portal's layout table, a CSV whose header
takes two lines."""
from __future__ import annotations

from .build import Layout, P, Sheet, csv_text, encoded, xlsx

# --- Bình Định: "Hạng sao" over "3 sao" | "4 sao" | "5 sao" and "Loại hình chủ thể" over "HTX" | "DN" |
#     "Hộ SX", ticked with "x"; arabic district sections "1 | Thị xã An Nhơn" over rows "1.1", "1.2" --------

_BINH_DINH = [
    ["DANH SÁCH SẢN PHẨM OCOP TỈNH BÌNH ĐỊNH NĂM 2022"],
    [],
    ["TT", "Tên\nsản phẩm", "Chủ thể", "Loại hình chủ thể", None, None, "Hạng sao", None, None, "Năm\ncông nhận"],
    [None, None, None, "HTX", "DN", "Hộ SX", "3 sao", "4 sao", "5 sao", None],
    ["1", "Thị xã An Nhơn"],
    ["1.1", "Rượu Bàu Đá Cù Lâm", "Cơ sở rượu Bàu Đá Cù Lâm", None, None, "x", "x", None, None, 2021],
    ["1.2", "Bún song thằn Ngọc Hải", "Công ty TNHH Bún Ngọc Hải", None, "x", None, None, "x", None, 2022],
    ["2", "Huyện Phù Cát"],
    ["2.1", "Nước mắm Đề Gi", "HTX Nước mắm Đề Gi", "x", None, None, "x", None, None, 2021],
    ["2.2", "Tré rơm Cát Hanh", "Hộ kinh doanh Trần Thị Lan", None, None, "x", "x", None, None, 2022],
    ["3", "Thị xã Hoài Nhơn"],
    ["3.1", "Bánh tráng nước dừa Tam Quan", "HTX Bánh tráng Tam Quan", "x", None, None, None, "x", None, 2020],
    [None, "Cộng", None, 2, 1, 2, 3, 2, 0, None],
]

BINH_DINH = Layout(
    name="bd_ticked_star_and_type_columns", province="Bình Định", kind="xlsx",
    skipped={"section": 3, "totals": 1},
    build=lambda: xlsx(Sheet("DS", _BINH_DINH, merges=[
        (0, 0, 0, 9), (2, 0, 3, 0), (2, 1, 3, 1), (2, 2, 3, 2), (2, 3, 2, 5), (2, 6, 2, 8), (2, 9, 3, 9),
        (4, 1, 4, 9), (7, 1, 7, 9), (10, 1, 10, 9)])),
    columns={"product_name": "sản phẩm", "producer_name": "Chủ thể", "producer_type*": "Loại hình chủ thể",
             "stars*": "Hạng sao", "year": "công nhận"},
    products=[
        P("Rượu Bàu Đá Cù Lâm", "Cơ sở rượu Bàu Đá Cù Lâm", 3, ("Thị xã An Nhơn", None), certified_year=2021,
          producer_type="household"),
        P("Bún song thằn Ngọc Hải", "Công ty TNHH Bún Ngọc Hải", 4, ("Thị xã An Nhơn", None), certified_year=2022,
          producer_type="enterprise"),
        P("Nước mắm Đề Gi", "HTX Nước mắm Đề Gi", 3, ("Huyện Phù Cát", None), certified_year=2021,
          producer_type="cooperative"),
        P("Tré rơm Cát Hanh", "Hộ kinh doanh Trần Thị Lan", 3, ("Huyện Phù Cát", None), certified_year=2022,
          producer_type="household"),
        P("Bánh tráng nước dừa Tam Quan", "HTX Bánh tráng Tam Quan", 4, ("Thị xã Hoài Nhơn", None),
          certified_year=2020, producer_type="cooperative"),
    ],
    not_products="the arabic-numbered district sections; the 'Cộng' row of tick counts",
    note="the ticked columns hold the rating and the producer type: a clerk reads the ticked child's header",
)

# --- Cao Bằng: a portal page whose layout is a table; a small info table before the data table; a
#     numbering row in <thead>; "Đạt hạng"; "Năm đánh giá" -----------------------------------------------------

_CAO_BANG = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head><body>
<table width="100%" border="0"><tr>
<td class="menu" valign="top"><a href="/">Trang chủ</a><br><a href="/tin-tuc">Tin tức</a><br>
<a href="/ocop">Chương trình OCOP</a></td>
<td class="content" valign="top">
<table class="info"><tr><td>Ngày đăng: 12/3/2024</td><td>Lượt xem: 1523</td></tr></table>
<p><b>Danh sách sản phẩm OCOP tỉnh Cao Bằng năm 2023</b></p>
<table class="data" border="1">
<thead>
<tr><th>STT</th><th>Tên sản phẩm</th><th>Chủ thể OCOP</th><th>Địa chỉ</th><th>Đạt hạng</th><th>Năm đánh giá</th></tr>
<tr><th>1</th><th>2</th><th>3</th><th>4</th><th>5</th><th>6</th></tr>
</thead>
<tbody>
<tr><td>1</td><td>Hạt dẻ Trùng Khánh</td><td>HTX Nông nghiệp Đình Phong</td><td>Xã Đình Phong, huyện Trùng Khánh</td>
<td>3 sao</td><td>2023</td></tr>
<tr><td>2</td><td>Bánh cuốn Cao Bằng</td><td>Hộ kinh doanh Nông Thị Hương</td>
<td>Phường Sông Hiến, thành phố Cao Bằng</td><td>3 sao</td><td>2023</td></tr>
<tr><td>3</td><td>Lạp sườn hun khói</td><td>Công ty TNHH Thực phẩm Quảng Hòa</td><td>Huyện Quảng Hòa</td>
<td>4 sao</td><td>2022</td></tr>
</tbody></table>
<p>Nguồn: Văn phòng Điều phối nông thôn mới tỉnh</p>
</td></tr></table>
</body></html>"""

CAO_BANG = Layout(
    name="cb_portal_nested_tables_numbering_row", province="Cao Bằng", kind="html",
    skipped={},
    build=lambda: _CAO_BANG.encode("utf-8"),
    columns={"product_name": "Tên sản phẩm", "producer_name": "Chủ thể", "address": "Địa chỉ", "stars": "Đạt hạng",
             "year": "Năm đánh giá"},
    products=[
        P("Hạt dẻ Trùng Khánh", "HTX Nông nghiệp Đình Phong", 3, ("huyện Trùng Khánh", "Xã Đình Phong"),
          certified_year=2023),
        P("Bánh cuốn Cao Bằng", "Hộ kinh doanh Nông Thị Hương", 3, ("thành phố Cao Bằng", "Phường Sông Hiến"),
          certified_year=2023),
        P("Lạp sườn hun khói", "Công ty TNHH Thực phẩm Quảng Hòa", 4, ("Huyện Quảng Hòa", None), certified_year=2022),
    ],
    not_products="the menu and the post's info table are not the registry; the numbering row 1…6",
)

# --- Bến Tre: a CSV whose header takes two lines (the parent written once, blanks under its span), a
#     place-and-date line and the office at the end -------------------------------------------------------------

_BEN_TRE = [
    ["TT", "Tên sản phẩm", "Chủ thể", "", "Kết quả đánh giá", "", "Năm công nhận"],
    ["", "", "Tên chủ thể", "Địa chỉ", "Điểm", "Hạng sao", ""],
    ["1", "Kẹo dừa Bến Tre", "Công ty TNHH Kẹo dừa Thanh Long", "Phường 8, thành phố Bến Tre", "76", "4 sao", "2020"],
    ["2", "Bánh phồng Sơn Đốc", "Cơ sở bánh phồng Tư Lành", "Xã Sơn Phú, huyện Giồng Trôm", "65", "3 sao", "2021"],
    ["3", "Bưởi da xanh Định Thủy", "HTX Bưởi da xanh Định Thủy", "Xã Định Thủy, huyện Mỏ Cày Nam", "72", "4 sao",
     "2021"],
    ["4", "Mật hoa dừa Chợ Lách", "HTX Dừa Vĩnh Thành", "Xã Vĩnh Thành, huyện Chợ Lách", "58", "3 sao", "2022"],
    ["", "", "", "", "", "", ""],
    ["", "", "", "", "Bến Tre, ngày 15 tháng 3 năm 2023", "", ""],
    ["", "", "", "", "SỞ NÔNG NGHIỆP VÀ PTNT", "", ""],
]

BEN_TRE = Layout(
    name="bt_csv_two_line_header", province="Bến Tre", kind="csv",
    skipped={"footer": 2},
    build=lambda: encoded(csv_text(_BEN_TRE), "utf-8"),
    columns={"product_name": "Tên sản phẩm", "producer_name": "Tên chủ thể", "address": "Địa chỉ", "score": "Điểm",
             "stars": "Hạng sao", "year": "Năm công nhận"},
    products=[
        P("Kẹo dừa Bến Tre", "Công ty TNHH Kẹo dừa Thanh Long", 4, ("thành phố Bến Tre", "Phường 8"), score=76,
          certified_year=2020),
        P("Bánh phồng Sơn Đốc", "Cơ sở bánh phồng Tư Lành", 3, ("huyện Giồng Trôm", "Xã Sơn Phú"), score=65,
          certified_year=2021),
        P("Bưởi da xanh Định Thủy", "HTX Bưởi da xanh Định Thủy", 4, ("huyện Mỏ Cày Nam", "Xã Định Thủy"), score=72,
          certified_year=2021),
        P("Mật hoa dừa Chợ Lách", "HTX Dừa Vĩnh Thành", 3, ("huyện Chợ Lách", "Xã Vĩnh Thành"), score=58,
          certified_year=2022),
    ],
    not_products="the place-and-date line and the office name at the end",
)

LAYOUTS = [BINH_DINH, CAO_BANG, BEN_TRE]
