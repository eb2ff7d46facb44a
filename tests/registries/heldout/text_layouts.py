"""Held-out CSV exports (UTF-8 with a BOM, TCVN3, VNI) and HTML tables (a portal's table with
rowspan/colspan group sections; a decision appendix pasted from Word, headers in bold cells)."""
from __future__ import annotations

from datetime import date

from .build import Layout, P, csv_text, encoded

# --- Nghệ An: a CSV saved from a .VnTime workbook (TCVN3), abbreviated headers, decision in one cell --------

_NGHE_AN = [
    ["DANH SÁCH SẢN PHẨM OCOP TỈNH NGHỆ AN NĂM 2024", "", "", "", "", "", ""],
    ["", "", "", "", "", "", ""],
    ["STT", "Tên SP", "Tên chủ thể (HTX, DN, hộ SXKD)", "Đ/c", "Hạng", "Điểm", "Số QĐ, ngày ký"],
    ["1", "Nước mắm Vạn Phần", "HTX Nước mắm Vạn Phần", "xã Diễn Vạn, huyện Diễn Châu", "4 sao", "76",
     "QĐ 1234/QĐ-UBND ngày 12/5/2024"],
    ["2", "Cam Nghi Văn", "HTX Cam Nghi Văn", "xã Nghi Văn, huyện Nghi Lộc", "3 sao", "68",
     "QĐ 1234/QĐ-UBND ngày 12/5/2024"],
    ["3", "Tương Nam Đàn", "Cơ sở sản xuất tương Hòa Lan", "thị trấn Nam Đàn, huyện Nam Đàn", "4 sao", "74",
     "QĐ 3120/QĐ-UBND ngày 02/10/2024"],
    ["4", "Chè xanh Hạnh Lâm", "HTX Chè Hạnh Lâm", "xã Hạnh Lâm, huyện Thanh Chương", "3 sao", "60",
     "QĐ 3120/QĐ-UBND ngày 02/10/2024"],
    ["Tổng cộng 04 sản phẩm", "", "", "", "", "", ""],
]

NGHE_AN = Layout(
    name="na_tcvn3_csv_abbreviated_headers", province="Nghệ An", kind="csv",
    skipped={"totals": 1},
    build=lambda: encoded(csv_text(_NGHE_AN), "tcvn3"),
    columns={"product_name": "Tên SP", "producer_name": "Tên chủ thể", "address": "Đ/c", "stars": "Hạng",
             "score": "Điểm", "decision_number": "Số QĐ"},
    products=[
        P("Nước mắm Vạn Phần", "HTX Nước mắm Vạn Phần", 4, ("huyện Diễn Châu", "xã Diễn Vạn"), score=76,
          decision_number="1234/QĐ-UBND", decision_date=date(2024, 5, 12)),
        P("Cam Nghi Văn", "HTX Cam Nghi Văn", 3, ("huyện Nghi Lộc", "xã Nghi Văn"), score=68,
          decision_number="1234/QĐ-UBND", decision_date=date(2024, 5, 12)),
        P("Tương Nam Đàn", "Cơ sở sản xuất tương Hòa Lan", 4, ("huyện Nam Đàn", "thị trấn Nam Đàn"), score=74,
          decision_number="3120/QĐ-UBND", decision_date=date(2024, 10, 2)),
        P("Chè xanh Hạnh Lâm", "HTX Chè Hạnh Lâm", 3, ("huyện Thanh Chương", "xã Hạnh Lâm"), score=60,
          decision_number="3120/QĐ-UBND", decision_date=date(2024, 10, 2)),
    ],
    not_products="the title line and an empty line above the header; the totals line",
)

# --- Đồng Tháp: a VNI-Times CSV with semicolons, commune and district columns, "Hạng OCOP đạt" ------------

_DONG_THAP = [
    ["Stt", "Sản phẩm", "Chủ cơ sở", "Xã", "Huyện", "Hạng OCOP đạt", "Năm CN"],
    ["1", "Nem Lai Vung", "Cơ sở nem Tư Tài", "Xã Tân Thành", "Huyện Lai Vung", "4*", "2020"],
    ["2", "Hồng sấy dẻo Lai Vung", "HTX Hồng Long Hậu", "Xã Long Hậu", "Huyện Lai Vung", "3*", "2021"],
    ["3", "Bột sen Tháp Mười", "Công ty TNHH Sen Đồng Tháp Mười", "Xã Mỹ Hòa", "Huyện Tháp Mười", "3*", "2022"],
    ["4", "Xoài cát Mỹ Xương", "HTX Xoài Mỹ Xương", "Xã Mỹ Xương", "Huyện Cao Lãnh", "4*", "2021"],
]

DONG_THAP = Layout(
    name="dt_vni_csv_semicolons", province="Đồng Tháp", kind="csv",
    skipped={},
    build=lambda: encoded(csv_text(_DONG_THAP, delimiter=";"), "vni"),
    columns={"product_name": "Sản phẩm", "producer_name": "Chủ cơ sở", "commune": "Xã", "district": "Huyện",
             "stars": "Hạng OCOP", "year": "Năm CN"},
    products=[
        P("Nem Lai Vung", "Cơ sở nem Tư Tài", 4, ("Huyện Lai Vung", "Xã Tân Thành"), certified_year=2020),
        P("Hồng sấy dẻo Lai Vung", "HTX Hồng Long Hậu", 3, ("Huyện Lai Vung", "Xã Long Hậu"), certified_year=2021),
        P("Bột sen Tháp Mười", "Công ty TNHH Sen Đồng Tháp Mười", 3, ("Huyện Tháp Mười", "Xã Mỹ Hòa"),
          certified_year=2022),
        P("Xoài cát Mỹ Xương", "HTX Xoài Mỹ Xương", 4, ("Huyện Cao Lãnh", "Xã Mỹ Xương"), certified_year=2021),
    ],
    not_products="none",
)

# --- Hải Dương: a wide UTF-8 (BOM) export with taxonomy and contact columns --------------------------------

_HAI_DUONG = [
    ["STT", "Tên sản phẩm OCOP", "Ngành", "Nhóm", "Chủ thể", "Người đại diện", "SĐT", "MST", "Huyện/TP",
     "Xếp hạng sao", "Số quyết định", "Ngày quyết định"],
    ["1", "Vải thiều Thanh Hà", "Thực phẩm", "Nông sản tươi sống", "HTX Dịch vụ nông nghiệp Thanh Xá",
     "Nguyễn Văn Toản", "0912345678", "0800123456", "Huyện Thanh Hà", "4 sao", "1025/QĐ-UBND", "25/04/2023"],
    ["2", "Bánh gai Ninh Giang", "Thực phẩm", "Thực phẩm chế biến", "Hộ kinh doanh Tôn Thị Hoa", "Tôn Thị Hoa",
     "0987654321", "", "Huyện Ninh Giang", "4 sao", "1025/QĐ-UBND", "25/04/2023"],
    ["3", "Rượu nếp Phú Lộc", "Đồ uống", "Đồ uống có cồn", "Công ty CP Rượu Phú Lộc", "Vũ Đình Khoa",
     "02203786123", "0800456789", "Huyện Cẩm Giàng", "3 sao", "2890/QĐ-UBND", "10/11/2023"],
    ["4", "Trà hoa vàng Côn Sơn", "Đồ uống", "Chè và sản phẩm từ chè", "HTX Nông nghiệp Côn Sơn", "Lê Văn Bình",
     "0903111222", "", "Thành phố Chí Linh", "3 sao", "2890/QĐ-UBND", "10/11/2023"],
]

HAI_DUONG = Layout(
    name="hd_wide_utf8_bom_contacts", province="Hải Dương", kind="csv",
    skipped={},
    build=lambda: encoded(csv_text(_HAI_DUONG), "utf-8-sig"),
    columns={"product_name": "Tên sản phẩm", "group": "Ngành", "subgroup": "Nhóm", "producer_name": "Chủ thể",
             "contact_person": "Người đại diện", "phone": "SĐT", "tax_code": "MST", "district": "Huyện/TP",
             "stars": "Xếp hạng sao", "decision_number": "Số quyết định", "decision_date": "Ngày quyết định"},
    products=[
        P("Vải thiều Thanh Hà", "HTX Dịch vụ nông nghiệp Thanh Xá", 4, ("Huyện Thanh Hà", None),
          decision_number="1025/QĐ-UBND", decision_date=date(2023, 4, 25), tax_code="0800123456",
          phone="0912345678", contact_person="Nguyễn Văn Toản"),
        P("Bánh gai Ninh Giang", "Hộ kinh doanh Tôn Thị Hoa", 4, ("Huyện Ninh Giang", None),
          decision_number="1025/QĐ-UBND", decision_date=date(2023, 4, 25), phone="0987654321"),
        P("Rượu nếp Phú Lộc", "Công ty CP Rượu Phú Lộc", 3, ("Huyện Cẩm Giàng", None),
          decision_number="2890/QĐ-UBND", decision_date=date(2023, 11, 10), tax_code="0800456789"),
        P("Trà hoa vàng Côn Sơn", "HTX Nông nghiệp Côn Sơn", 3, ("Thành phố Chí Linh", None),
          decision_number="2890/QĐ-UBND", decision_date=date(2023, 11, 10)),
    ],
    not_products="none",
)

# --- Lâm Đồng: a portal's summary table, rowspan/colspan header, group sections, "★★★★" ---------------------

_LAM_DONG = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>OCOP Lâm Đồng</title></head><body>
<h3>BẢNG TỔNG HỢP SẢN PHẨM OCOP TỈNH LÂM ĐỒNG (tính đến 31/12/2023)</h3>
<table border="1">
<tr><th rowspan="2">TT</th><th rowspan="2">Tên sản phẩm/dịch vụ</th><th colspan="2">Chủ thể</th>
<th rowspan="2">Địa phương</th><th colspan="2">Kết quả phân hạng</th><th colspan="2">Quyết định công nhận</th></tr>
<tr><th>Tên</th><th>Loại hình</th><th>Điểm</th><th>Hạng sao</th><th>Số</th><th>Ngày</th></tr>
<tr><td colspan="9"><b>I. Nhóm Thực phẩm</b></td></tr>
<tr><td>1</td><td>Dâu tây sấy dẻo</td><td>Công ty TNHH Đà Lạt Xanh</td><td>Doanh nghiệp</td><td>Thành phố Đà Lạt</td>
<td>73</td><td>★★★★</td><td>1425/QĐ-UBND</td><td>15/07/2022</td></tr>
<tr><td>2</td><td>Hồng treo gió</td><td>HTX Nông nghiệp Xuân Thọ</td><td>Hợp tác xã</td><td>Thành phố Đà Lạt</td>
<td>66</td><td>★★★</td><td>2160/QĐ-UBND</td><td>10/11/2022</td></tr>
<tr><td>3</td><td>Hạt điều rang muối</td><td>Cơ sở điều Minh Phát</td><td>Hộ kinh doanh</td><td>Huyện Đạ Huoai</td>
<td>65</td><td>★★★</td><td>2160/QĐ-UBND</td><td>10/11/2022</td></tr>
<tr><td colspan="9"><b>II. Nhóm Đồ uống</b></td></tr>
<tr><td>4</td><td>Trà Atiso túi lọc</td><td>Công ty CP Atiso Lâm Viên</td><td>Doanh nghiệp</td><td>Huyện Lạc Dương</td>
<td>78</td><td>★★★★</td><td>1425/QĐ-UBND</td><td>15/07/2022</td></tr>
<tr><td>5</td><td>Cà phê Arabica Cầu Đất</td><td>HTX Cà phê Cầu Đất</td><td>Hợp tác xã</td><td>Thành phố Đà Lạt</td>
<td>81</td><td>★★★★</td><td>1425/QĐ-UBND</td><td>15/07/2022</td></tr>
<tr><td>6</td><td>Trà Ô long Bảo Lộc</td><td>Công ty TNHH Trà Bảo Sơn</td><td>Doanh nghiệp</td>
<td>Thành phố Bảo Lộc</td>
<td>69</td><td>★★★</td><td>2160/QĐ-UBND</td><td>10/11/2022</td></tr>
<tr><td colspan="2"><b>Tổng cộng</b></td><td colspan="7"><b>06 sản phẩm</b></td></tr>
</table>
<p><i>Nguồn: Sở Nông nghiệp và PTNT Lâm Đồng</i></p>
</body></html>"""

LAM_DONG = Layout(
    name="ld_html_colspan_group_sections_glyph_stars", province="Lâm Đồng", kind="html",
    skipped={"section": 2, "totals": 1},
    build=lambda: _LAM_DONG.encode("utf-8"),
    columns={"product_name": "Tên sản phẩm", "producer_name": "Chủ thể / Tên|Chủ thể › Tên|Tên",
             "producer_type": "Loại hình", "district|address": "Địa phương", "score": "Điểm", "stars": "Hạng sao",
             "decision_number": "Số", "decision_date": "Ngày"},
    products=[
        P("Dâu tây sấy dẻo", "Công ty TNHH Đà Lạt Xanh", 4, ("Thành phố Đà Lạt", None), score=73,
          decision_number="1425/QĐ-UBND", decision_date=date(2022, 7, 15), producer_type="enterprise"),
        P("Hồng treo gió", "HTX Nông nghiệp Xuân Thọ", 3, ("Thành phố Đà Lạt", None), score=66,
          decision_number="2160/QĐ-UBND", decision_date=date(2022, 11, 10), producer_type="cooperative"),
        P("Hạt điều rang muối", "Cơ sở điều Minh Phát", 3, ("Huyện Đạ Huoai", None), score=65,
          decision_number="2160/QĐ-UBND", decision_date=date(2022, 11, 10), producer_type="household"),
        P("Trà Atiso túi lọc", "Công ty CP Atiso Lâm Viên", 4, ("Huyện Lạc Dương", None), score=78,
          decision_number="1425/QĐ-UBND", decision_date=date(2022, 7, 15)),
        P("Cà phê Arabica Cầu Đất", "HTX Cà phê Cầu Đất", 4, ("Thành phố Đà Lạt", None), score=81),
        P("Trà Ô long Bảo Lộc", "Công ty TNHH Trà Bảo Sơn", 3, ("Thành phố Bảo Lộc", None), score=69),
    ],
    not_products="the group sections 'I. Nhóm Thực phẩm' (the group of the rows below); the totals row",
)

# --- Đắk Lắk: a decision appendix pasted from Word: no <th>, bold cells, <br> inside headers, district
#     sections with counts, one producer spanning two products, "Thuộc bộ sản phẩm" (Decision 148's
#     third taxonomy level, the only taxonomy column here, so the group) -----------------------------------

_DAK_LAK = """<html><body>
<p align="center"><strong>Phụ lục</strong></p>
<p align="center"><strong>DANH SÁCH SẢN PHẨM ĐẠT CHỨNG NHẬN OCOP NĂM 2023</strong></p>
<p align="center"><em>(Kèm theo Quyết định số 2781/QĐ-UBND ngày 20/12/2023 của UBND tỉnh Đắk Lắk)</em></p>
<table class="MsoTableGrid" border="1" cellspacing="0" cellpadding="0">
<tr><td><p><strong>TT</strong></p></td><td><p><strong>Tên sản phẩm</strong></p></td>
<td><p><strong>Tên chủ thể<br>(HTX, DN, hộ SXKD)</strong></p></td><td><p><strong>Đ/c</strong></p></td>
<td><p><strong>Thuộc bộ<br>sản phẩm</strong></p></td><td><p><strong>Hạng<br>OCOP đạt</strong></p></td>
<td><p><strong>Ghi chú</strong></p></td></tr>
<tr><td colspan="7"><p><strong>Huyện Krông Pắc (03 sản phẩm)</strong></p></td></tr>
<tr><td>1</td><td>Sầu riêng Ri6 Krông Pắc</td><td rowspan="2">HTX Nông nghiệp Thăng Long Krông Pắc</td>
<td rowspan="2">xã Ea Kly</td><td>Rau, củ, quả, hạt tươi</td><td>4 sao</td><td></td></tr>
<tr><td>2</td><td>Sầu riêng sấy thăng hoa</td><td>Rau, củ, quả, hạt chế biến</td><td>3 sao</td><td></td></tr>
<tr><td>3</td><td>Hồ tiêu sạch Phước An</td><td>Hộ kinh doanh Y Kô Niê</td><td>thị trấn Phước An</td><td>Gia vị</td>
<td>3 sao</td><td>Đánh giá lại</td></tr>
<tr><td colspan="7"><p><strong>Thành phố Buôn Ma Thuột (02 sản phẩm)</strong></p></td></tr>
<tr><td>4</td><td>Cà phê bột nguyên chất</td><td>Công ty TNHH Cà phê Ea Tu</td><td>xã Ea Tu</td><td>Cà phê</td>
<td>4 sao</td><td></td></tr>
<tr><td>5</td><td>Mật ong hoa cà phê</td><td>HTX Ong mật Hòa Thắng</td><td>xã Hòa Thắng</td>
<td>Mật ong, sản phẩm từ mật ong</td><td>3 sao</td><td></td></tr>
</table>
<p>Tổng số: 05 sản phẩm</p>
</body></html>"""

DAK_LAK = Layout(
    name="dl_word_appendix_bold_cells_rowspan_producer", province="Đắk Lắk", kind="html",
    skipped={"section": 2},
    build=lambda: _DAK_LAK.encode("utf-8"),
    columns={"product_name": "Tên sản phẩm", "producer_name": "Tên chủ thể", "commune|address": "Đ/c",
             "group": "Thuộc bộ", "stars": "Hạng"},
    products=[
        P("Sầu riêng Ri6 Krông Pắc", "HTX Nông nghiệp Thăng Long Krông Pắc", 4, ("Huyện Krông Pắc", "xã Ea Kly"),
          group_code="FOOD", group_text="Rau, củ, quả, hạt tươi"),
        P("Sầu riêng sấy thăng hoa", "HTX Nông nghiệp Thăng Long Krông Pắc", 3, ("Huyện Krông Pắc", "xã Ea Kly"),
          group_code="FOOD"),
        P("Hồ tiêu sạch Phước An", "Hộ kinh doanh Y Kô Niê", 3, ("Huyện Krông Pắc", "thị trấn Phước An"),
          group_code="FOOD"),
        P("Cà phê bột nguyên chất", "Công ty TNHH Cà phê Ea Tu", 4, ("Thành phố Buôn Ma Thuột", "xã Ea Tu"),
          group_code="FOOD"),
        P("Mật ong hoa cà phê", "HTX Ong mật Hòa Thắng", 3, ("Thành phố Buôn Ma Thuột", "xã Hòa Thắng"),
          group_code="FOOD"),
    ],
    not_products="the district sections with their counts (the district of the rows below); "
                 "'Ghi chú' is not read",
)

# --- Vĩnh Long: a Windows-1258 CSV (tone marks as combining bytes), "Tên hàng hóa", "Thời điểm công
#     nhận" holding a date or only a year, "Xếp hạng OCOP", "Địa chỉ SX", "SĐT/Zalo" ----------------------------

_VINH_LONG = [
    ["TT", "Tên hàng hóa", "Chủ cơ sở", "Địa chỉ SX", "SĐT/Zalo", "Xếp hạng OCOP", "Thời điểm công nhận"],
    ["1", "Khoai lang tím Bình Minh", "HTX Khoai lang Cái Vồn", "phường Cái Vồn, thị xã Bình Minh", "0939123456",
     "4 sao", "15/09/2022"],
    ["2", "Chao Long Phước", "Cơ sở chao Bà Ba", "xã Long Phước, huyện Long Hồ", "0907654321", "3 sao",
     "15/09/2022"],
    ["3", "Bánh tráng Chánh An", "Hộ kinh doanh Lê Văn Mến", "xã Chánh An, huyện Mang Thít", "", "3 sao", "2021"],
    ["4", "Chôm chôm Trung Thành Tây", "Tổ hợp tác Chôm chôm Trung Thành Tây",
     "xã Trung Thành Tây, huyện Vũng Liêm", "0918111222", "3 sao", "2023"],
]

VINH_LONG = Layout(
    name="vl_cp1258_csv_point_in_time_header", province="Vĩnh Long", kind="csv",
    skipped={},
    build=lambda: encoded(csv_text(_VINH_LONG), "cp1258"),
    columns={"product_name": "Tên hàng hóa", "producer_name": "Chủ cơ sở", "address": "Địa chỉ SX",
             "phone": "SĐT", "stars": "Xếp hạng", "decision_date|year": "Thời điểm công nhận"},
    products=[
        P("Khoai lang tím Bình Minh", "HTX Khoai lang Cái Vồn", 4, ("thị xã Bình Minh", "phường Cái Vồn"),
          decision_date=date(2022, 9, 15), certified_year=2022, phone="0939123456"),
        P("Chao Long Phước", "Cơ sở chao Bà Ba", 3, ("huyện Long Hồ", "xã Long Phước"),
          decision_date=date(2022, 9, 15), certified_year=2022),
        P("Bánh tráng Chánh An", "Hộ kinh doanh Lê Văn Mến", 3, ("huyện Mang Thít", "xã Chánh An"),
          certified_year=2021, decision_date=None),
        P("Chôm chôm Trung Thành Tây", "Tổ hợp tác Chôm chôm Trung Thành Tây", 3,
          ("huyện Vũng Liêm", "xã Trung Thành Tây"), certified_year=2023),
    ],
    not_products="none; 'Thời điểm công nhận' is when the product was recognized (a date, or only its year), "
                 "not a score ('điểm')",
)

LAYOUTS = [VINH_LONG, NGHE_AN, DONG_THAP, HAI_DUONG, LAM_DONG, DAK_LAK]
