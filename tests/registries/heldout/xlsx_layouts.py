"""Held-out workbooks: provincial appendices and district lists as offices type them in Excel,
with real merged cells, title blocks, numbering rows, sections, totals, notes and signatures."""
from __future__ import annotations

from datetime import date, datetime

from .build import Layout, P, Sheet, xlsx

# --- Quảng Ninh, huyện Tiên Yên: a district list; "4*"; one producer merged over two products ------------

_TIEN_YEN = [
    ["UBND HUYỆN TIÊN YÊN", None, None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", None, None, None],
    ["PHÒNG NÔNG NGHIỆP VÀ PTNT", None, None, "Độc lập - Tự do - Hạnh phúc", None, None, None],
    [],
    ["DANH SÁCH SẢN PHẨM OCOP HUYỆN TIÊN YÊN GIAI ĐOẠN 2019 - 2023"],
    ["(Kèm theo Báo cáo số 215/BC-NN ngày 15/12/2023 của Phòng Nông nghiệp và PTNT)"],
    [],
    ["TT", "Tên sản phẩm", "Chủ thể sản xuất", "Địa chỉ", "Xếp hạng", "Năm được công nhận", "Ghi chú"],
    [1, "Gà Tiên Yên", "HTX Dịch vụ nông nghiệp Hải Lạng", "Xã Hải Lạng", "4*", 2019, None],
    [2, "Gà Tiên Yên ủ muối", None, None, "3*", 2021, None],
    [3, "Trà hoa vàng Tiên Yên", "Công ty TNHH Trà hoa vàng Tiên Yên", "Thị trấn Tiên Yên", "4*", 2020,
     "Nâng hạng năm 2022"],
    [4, "Rượu ba kích Đông Ngũ", "Hộ kinh doanh Nguyễn Văn Thắng", "Xã Đông Ngũ", "3*", 2021, None],
    [5, "Mật ong rừng Phong Dụ", "Tổ hợp tác nuôi ong Phong Dụ", "Xã Phong Dụ", "3*", 2022, None],
    [6, "Sá sùng khô Đồng Rui", "HTX Thủy sản Đồng Rui", "Xã Đồng Rui", "3*", 2023, None],
    ["Tổng cộng: 06 sản phẩm (02 sản phẩm 4 sao, 04 sản phẩm 3 sao)"],
    [],
    [None, "NGƯỜI LẬP BIỂU", None, None, "TRƯỞNG PHÒNG"],
    [],
    [],
    [None, "Lê Thị Mai", None, None, "Hoàng Văn Sơn"],
]

TIEN_YEN = Layout(
    name="qn_tien_yen_district_list", province="Quảng Ninh", kind="xlsx",
    skipped={"totals": 1, "footer": 2},
    build=lambda: xlsx(Sheet("DS OCOP", _TIEN_YEN, merges=[(0, 0, 0, 2), (0, 3, 0, 6), (1, 0, 1, 2), (1, 3, 1, 6),
                                                            (3, 0, 3, 6), (4, 0, 4, 6), (7, 2, 8, 2), (7, 3, 8, 3),
                                                            (13, 0, 13, 6)], bold_rows=[6])),
    columns={"product_name": "Tên sản phẩm", "producer_name": "Chủ thể", "commune|address": "Địa chỉ",
             "stars": "Xếp hạng", "year": "Năm được công nhận"},
    products=[
        P("Gà Tiên Yên", "HTX Dịch vụ nông nghiệp Hải Lạng", 4, (None, "Xã Hải Lạng"), certified_year=2019),
        P("Gà Tiên Yên ủ muối", "HTX Dịch vụ nông nghiệp Hải Lạng", 3, (None, "Xã Hải Lạng"), certified_year=2021),
        P("Trà hoa vàng Tiên Yên", "Công ty TNHH Trà hoa vàng Tiên Yên", 4, (None, "Thị trấn Tiên Yên"),
          certified_year=2020),
        P("Rượu ba kích Đông Ngũ", "Hộ kinh doanh Nguyễn Văn Thắng", 3, (None, "Xã Đông Ngũ"), certified_year=2021),
        P("Mật ong rừng Phong Dụ", "Tổ hợp tác nuôi ong Phong Dụ", 3, (None, "Xã Phong Dụ"), certified_year=2022),
        P("Sá sùng khô Đồng Rui", "HTX Thủy sản Đồng Rui", 3, (None, "Xã Đồng Rui"), certified_year=2023),
    ],
    not_products="national motto and office in the title block; the totals row; the signature block "
                 "(titles, then names under them in the product and stars columns)",
)

# --- Thanh Hóa: an appendix starting at column C, three header rows, a numbering row, a "Ghi chú:" line -----

_THANH_HOA = [
    ["Phụ lục"],
    ["DANH SÁCH SẢN PHẨM ĐƯỢC CÔNG NHẬN ĐẠT TIÊU CHUẨN OCOP TỈNH THANH HÓA NĂM 2023 (ĐỢT 2)"],
    ["(Kèm theo Quyết định số 4528/QĐ-UBND ngày 28/11/2023 của Chủ tịch UBND tỉnh Thanh Hóa)"],
    [],
    ["STT", "Tên sản phẩm", "Thông tin chủ thể", None, None, "Kết quả đánh giá, phân hạng", None, "Ghi chú"],
    [None, None, "Tên chủ thể", "Địa chỉ", None, "Điểm", "Hạng sao", None],
    [None, None, None, "Xã/phường/thị trấn", "Huyện/thị xã/thành phố", None, None, None],
    ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)", "(8)"],
    [1, "Nem chua Bà Hằng", "Hộ kinh doanh Lê Thị Hằng", "Phường Đông Thọ", "Thành phố Thanh Hóa", 68, "3 sao", None],
    [2, "Chè lam Phủ Quảng", "Cơ sở sản xuất chè lam Phủ Quảng", "Thị trấn Vĩnh Lộc", "Huyện Vĩnh Lộc", 72, "4 sao",
     "Sản phẩm nâng hạng"],
    [3, "Nước mắm Ba Làng", "Công ty CP Nước mắm Ba Làng", "Phường Hải Thanh", "Thị xã Nghi Sơn", 75, "4 sao", None],
    [4, "Chiếu cói Nga Sơn", "HTX Cói Nga Liên", "Xã Nga Liên", "Huyện Nga Sơn", 65, "3 sao", None],
    [5, "Bưởi Luận Văn", "HTX Dịch vụ nông nghiệp Xuân Lai", "Xã Xuân Lai", "Huyện Thọ Xuân", 70, "4 sao", None],
    ["Tổng số: 05 sản phẩm"],
    [],
    ["Ghi chú: Điểm đánh giá theo Bộ tiêu chí ban hành kèm Quyết định số 148/QĐ-TTg ngày 24/02/2023."],
]

# No decision column: the title's decision (read by the clerk for every row of the appendix).
_TH_DECISION: dict[str, object] = {"decision_number": "4528/QĐ-UBND", "decision_date": date(2023, 11, 28),
                                  "issuing_body": "Chủ tịch UBND tỉnh Thanh Hóa"}

THANH_HOA = Layout(
    name="th_appendix_three_row_header_from_col_c", province="Thanh Hóa", kind="xlsx",
    skipped={"totals": 1, "footer": 1},
    build=lambda: xlsx(Sheet("PL", _THANH_HOA, origin=(2, 3), merges=[
        (0, 0, 0, 7), (1, 0, 1, 7), (2, 0, 2, 7), (4, 0, 6, 0), (4, 1, 6, 1), (4, 2, 4, 4), (5, 2, 6, 2),
        (5, 3, 5, 4), (4, 5, 4, 6), (5, 5, 6, 5), (5, 6, 6, 6), (4, 7, 6, 7), (13, 0, 13, 7), (15, 0, 15, 7)])),
    columns={"product_name": "Tên sản phẩm", "producer_name": "Tên chủ thể", "commune": "Xã/phường",
             "district": "Huyện/thị xã", "score": "Điểm", "stars": "Hạng sao"},
    products=[
        P("Nem chua Bà Hằng", "Hộ kinh doanh Lê Thị Hằng", 3, ("Thành phố Thanh Hóa", "Phường Đông Thọ"), score=68,
          **_TH_DECISION),
        P("Chè lam Phủ Quảng", "Cơ sở sản xuất chè lam Phủ Quảng", 4, ("Huyện Vĩnh Lộc", "Thị trấn Vĩnh Lộc"),
          score=72, **_TH_DECISION),
        P("Nước mắm Ba Làng", "Công ty CP Nước mắm Ba Làng", 4, ("Thị xã Nghi Sơn", "Phường Hải Thanh"), score=75,
          **_TH_DECISION),
        P("Chiếu cói Nga Sơn", "HTX Cói Nga Liên", 3, ("Huyện Nga Sơn", "Xã Nga Liên"), score=65, **_TH_DECISION),
        P("Bưởi Luận Văn", "HTX Dịch vụ nông nghiệp Xuân Lai", 4, ("Huyện Thọ Xuân", "Xã Xuân Lai"), score=70,
          **_TH_DECISION),
    ],
    not_products="title block; the numbering row (1)…(8); the totals row; the closing 'Ghi chú:' line",
)

# --- Bắc Giang: a summary table on sheet 1, the product list on sheet 2 with district sections -------------

_BG_SUMMARY = [
    ["BẢNG TỔNG HỢP SẢN PHẨM OCOP THEO ĐƠN VỊ HÀNH CHÍNH"],
    [],
    ["TT", "Đơn vị", "Số sản phẩm 3 sao", "Số sản phẩm 4 sao", "Tổng số sản phẩm"],
    [1, "Huyện Lục Ngạn", 2, 1, 3],
    [2, "Huyện Yên Thế", 1, 1, 2],
    [3, "Huyện Lục Nam", 1, 0, 1],
    ["Tổng cộng", None, 4, 2, 6],
]
_BG_LIST = [
    ["DANH SÁCH SẢN PHẨM OCOP TỈNH BẮC GIANG NĂM 2022"],
    [],
    ["TT", "Tên sản phẩm", "Tên chủ thể", "Xã, thị trấn", "Phân hạng", "Nhóm sản phẩm"],
    ["Huyện Lục Ngạn (03 sản phẩm)"],
    [1, "Vải thiều Lục Ngạn", "HTX Vải thiều Tân Quang", "Xã Tân Quang", "4 sao", "Thực phẩm"],
    [2, "Mật ong hoa vải", "HTX Mật ong Biên Sơn", "Xã Biên Sơn", "3 sao", "Thực phẩm"],
    [3, "Cam Lục Ngạn", "Hộ kinh doanh Hoàng Văn Tùng", "Xã Biển Động", "3 sao", "Thực phẩm"],
    ["Huyện Yên Thế (02 sản phẩm)"],
    [4, "Gà đồi Yên Thế", "HTX Gà đồi Đồng Tâm", "Xã Đồng Tâm", "4 sao", "Thực phẩm"],
    [5, "Trứng gà Yên Thế", "Công ty TNHH Trứng gà sạch Đồng Kỳ", "Xã Đồng Kỳ", "3 sao", "Thực phẩm"],
    ["Huyện Lục Nam (01 sản phẩm)"],
    [6, "Na dai Lục Nam", "HTX Na Huyền Sơn", "Xã Huyền Sơn", "3 sao", "Thực phẩm"],
]

BAC_GIANG = Layout(
    name="bg_summary_sheet_then_list", province="Bắc Giang", kind="xlsx",
    skipped={"section": 3, "sheet": 1},  # the summary sheet, named as skipped
    build=lambda: xlsx(Sheet("Tong hop", _BG_SUMMARY, merges=[(0, 0, 0, 4), (6, 0, 6, 1)]),
                       Sheet("DS san pham", _BG_LIST,
                             merges=[(0, 0, 0, 5), (3, 0, 3, 5), (7, 0, 7, 5), (10, 0, 10, 5)])),
    columns={"product_name": "Tên sản phẩm", "producer_name": "Tên chủ thể", "commune": "Xã, thị trấn",
             "stars": "Phân hạng", "group": "Nhóm sản phẩm"},
    products=[
        P("Vải thiều Lục Ngạn", "HTX Vải thiều Tân Quang", 4, ("Huyện Lục Ngạn", "Xã Tân Quang")),
        P("Mật ong hoa vải", "HTX Mật ong Biên Sơn", 3, ("Huyện Lục Ngạn", "Xã Biên Sơn")),
        P("Cam Lục Ngạn", "Hộ kinh doanh Hoàng Văn Tùng", 3, ("Huyện Lục Ngạn", "Xã Biển Động")),
        P("Gà đồi Yên Thế", "HTX Gà đồi Đồng Tâm", 4, ("Huyện Yên Thế", "Xã Đồng Tâm")),
        P("Trứng gà Yên Thế", "Công ty TNHH Trứng gà sạch Đồng Kỳ", 3, ("Huyện Yên Thế", "Xã Đồng Kỳ")),
        P("Na dai Lục Nam", "HTX Na Huyền Sơn", 3, ("Huyện Lục Nam", "Xã Huyền Sơn")),
    ],
    not_products="sheet 1 is a count per district, not products; on sheet 2 the district sections "
                 "'Huyện Lục Ngạn (03 sản phẩm)' give the district of the rows below",
)

# --- Hà Tĩnh: no stars column, star sections "Sản phẩm 4 sao:" / "* Sản phẩm đạt 3 sao"; one decision cell --

_HA_TINH = [
    ["KẾT QUẢ ĐÁNH GIÁ, PHÂN HẠNG SẢN PHẨM OCOP TỈNH HÀ TĨNH NĂM 2024"],
    [],
    ["TT", "Tên sản phẩm", "Chủ thể", "Huyện", "Số QĐ, ngày ký"],
    ["Sản phẩm 4 sao:"],
    [1, "Kẹo cu đơ Hà Tĩnh", "Công ty TNHH Kẹo cu đơ Phúc An", "Thành phố Hà Tĩnh", "QĐ 1234/QĐ-UBND ngày 12/5/2024"],
    [2, "Cam Khe Mây", "HTX Cam Khe Mây", "Hương Khê", "QĐ 1234/QĐ-UBND ngày 12/5/2024"],
    ["* Sản phẩm đạt 3 sao"],
    [3, "Nhung hươu Hương Sơn", "HTX Hươu Sơn Trung", "Hương Sơn", "QĐ 2456/QĐ-UBND ngày 20/8/2024"],
    [4, "Mực khô Thạch Hải", "Hộ kinh doanh Trần Văn Hải", "Thạch Hà", "QĐ 2456/QĐ-UBND ngày 20/8/2024"],
    [5, "Nước mắm Cẩm Nhượng", "HTX Nước mắm Cẩm Nhượng", "Cẩm Xuyên", "QĐ 2456/QĐ-UBND ngày 20/8/2024"],
    ["Tổng số: 5 SP"],
    [],
    [None, None, None, "KT. CHỦ TỊCH"],
    [None, None, None, "PHÓ CHỦ TỊCH"],
    [],
    [None, None, None, "Trần Minh Đức"],
]


def _decision(number: str, day: date) -> dict[str, object]:
    return {"decision_number": number, "decision_date": day}


HA_TINH = Layout(
    name="ht_star_sections_no_stars_column", province="Hà Tĩnh", kind="xlsx",
    skipped={"section": 2, "totals": 1, "footer": 3},
    build=lambda: xlsx(Sheet("Sheet1", _HA_TINH, merges=[(0, 0, 0, 4), (3, 0, 3, 4), (6, 0, 6, 4), (10, 0, 10, 4)])),
    columns={"product_name": "Tên sản phẩm", "producer_name": "Chủ thể", "district": "Huyện",
             "decision_number": "Số QĐ"},
    products=[
        P("Kẹo cu đơ Hà Tĩnh", "Công ty TNHH Kẹo cu đơ Phúc An", 4, ("Thành phố Hà Tĩnh", None),
          **_decision("1234/QĐ-UBND", date(2024, 5, 12))),
        P("Cam Khe Mây", "HTX Cam Khe Mây", 4, ("Hương Khê", None), **_decision("1234/QĐ-UBND", date(2024, 5, 12))),
        P("Nhung hươu Hương Sơn", "HTX Hươu Sơn Trung", 3, ("Hương Sơn", None),
          **_decision("2456/QĐ-UBND", date(2024, 8, 20))),
        P("Mực khô Thạch Hải", "Hộ kinh doanh Trần Văn Hải", 3, ("Thạch Hà", None),
          **_decision("2456/QĐ-UBND", date(2024, 8, 20))),
        P("Nước mắm Cẩm Nhượng", "HTX Nước mắm Cẩm Nhượng", 3, ("Cẩm Xuyên", None),
          **_decision("2456/QĐ-UBND", date(2024, 8, 20))),
    ],
    not_products="the star sections give the rating of the rows below; totals 'Tổng số: 5 SP'; signatures",
)

# --- An Giang: an empty spacer column, ratings in words ("Bốn sao"), a closing notes block -----------------

_AN_GIANG = [
    ["DANH SÁCH SẢN PHẨM OCOP VÙNG BẢY NÚI VÀ CHÂU ĐỐC"],
    [],
    ["Số TT", "Tên sản phẩm", None, "Cơ sở sản xuất", "Địa chỉ", "Số sao", "Năm CN"],
    [1, "Đường thốt nốt Tri Tôn", None, "HTX Thốt nốt Lương Phi", "Xã Lương Phi, huyện Tri Tôn", "Ba sao", 2021],
    [2, "Mắm cá linh Châu Đốc", None, "Cơ sở mắm Bà Sáu Châu Đốc", "Phường Châu Phú A, thành phố Châu Đốc",
     "Bốn sao", 2020],
    [],
    [3, "Khô bò Bảy Núi", None, "Hộ kinh doanh Chau Sóc Kha", "Xã Núi Tô, huyện Tri Tôn", "Ba sao", 2022],
    [4, "Gạo Nàng Nhen Bảy Núi", None, "HTX Nông nghiệp An Hảo", "Xã An Hảo, thị xã Tịnh Biên", "Bốn sao", 2023],
    [],
    ["Ghi chú:"],
    ["- Năm CN: năm được UBND tỉnh công nhận lần đầu."],
    ["- Danh sách do Phòng Kinh tế các địa phương cung cấp."],
]

AN_GIANG = Layout(
    name="ag_spacer_column_words_for_stars", province="An Giang", kind="xlsx",
    skipped={"footer": 3},
    build=lambda: xlsx(Sheet("Sheet1", _AN_GIANG, merges=[(0, 0, 0, 6), (9, 0, 9, 6), (10, 0, 10, 6), (11, 0, 11, 6)])),
    columns={"product_name": "Tên sản phẩm", "producer_name": "Cơ sở sản xuất", "address": "Địa chỉ",
             "stars": "Số sao", "year": "Năm CN"},
    products=[
        P("Đường thốt nốt Tri Tôn", "HTX Thốt nốt Lương Phi", 3, ("huyện Tri Tôn", "Xã Lương Phi"),
          certified_year=2021),
        P("Mắm cá linh Châu Đốc", "Cơ sở mắm Bà Sáu Châu Đốc", 4, ("thành phố Châu Đốc", "Phường Châu Phú A"),
          certified_year=2020),
        P("Khô bò Bảy Núi", "Hộ kinh doanh Chau Sóc Kha", 3, ("huyện Tri Tôn", "Xã Núi Tô"), certified_year=2022),
        P("Gạo Nàng Nhen Bảy Núi", "HTX Nông nghiệp An Hảo", 4, ("thị xã Tịnh Biên", "Xã An Hảo"),
          certified_year=2023),
    ],
    not_products="blank rows inside the table; the 'Ghi chú:' block and its dash lines",
)

# --- Sơn La: "Kết quả đánh giá" over "Điểm" | "Hạng sao", some ratings only as a score; producer merged ------

_SON_LA = [
    ["TỔNG HỢP SẢN PHẨM OCOP TỈNH SƠN LA"],
    [],
    ["STT", "Tên sản phẩm", "Tên chủ thể", "Địa bàn", "Kết quả đánh giá", None, "Năm CN"],
    [None, None, None, None, "Điểm", "Hạng sao", None],
    [1, "Sữa tươi thanh trùng Mộc Châu", "Công ty CP Giống bò sữa Mộc Châu", "Huyện Mộc Châu", 86, "4 sao", 2021],
    [2, "Sữa chua nếp cẩm Mộc Châu", None, None, 78, None, 2021],
    [3, "Xoài tròn Yên Châu", "HTX Nông nghiệp Chiềng Hặc", "Huyện Yên Châu", 64, "3 sao", 2020],
    [4, "Cà phê Arabica Chiềng Ban", "HTX Cà phê Chiềng Ban", "Huyện Mai Sơn", 66, None, 2022],
    [5, "Mận hậu sấy dẻo", "Hộ kinh doanh Lò Văn Pánh", "Thành phố Sơn La", 71, "4 sao", 2023],
    ["Tổng số: 05 SP", None, None, None, None, None, None],
    [],
    [None, "NGƯỜI TỔNG HỢP", None, None, "GIÁM ĐỐC"],
    [None, "(Ký, ghi rõ họ tên)", None, None, "(Ký tên, đóng dấu)"],
]

SON_LA = Layout(
    name="sl_result_parent_score_only_rows", province="Sơn La", kind="xlsx",
    skipped={"totals": 1, "footer": 2},
    build=lambda: xlsx(Sheet("OCOP", _SON_LA, merges=[(0, 0, 0, 6), (2, 0, 3, 0), (2, 1, 3, 1), (2, 2, 3, 2),
                                                      (2, 3, 3, 3), (2, 4, 2, 5), (2, 6, 3, 6), (4, 2, 5, 2),
                                                      (4, 3, 5, 3), (9, 0, 9, 3)])),
    columns={"product_name": "Tên sản phẩm", "producer_name": "Tên chủ thể", "district|address": "Địa bàn",
             "score": "Điểm", "stars": "Hạng sao", "year": "Năm CN"},
    products=[
        P("Sữa tươi thanh trùng Mộc Châu", "Công ty CP Giống bò sữa Mộc Châu", 4, ("Huyện Mộc Châu", None),
          score=86, certified_year=2021),
        P("Sữa chua nếp cẩm Mộc Châu", "Công ty CP Giống bò sữa Mộc Châu", 4, ("Huyện Mộc Châu", None),
          score=78, certified_year=2021),
        P("Xoài tròn Yên Châu", "HTX Nông nghiệp Chiềng Hặc", 3, ("Huyện Yên Châu", None), score=64,
          certified_year=2020),
        P("Cà phê Arabica Chiềng Ban", "HTX Cà phê Chiềng Ban", 3, ("Huyện Mai Sơn", None), score=66,
          certified_year=2022),
        P("Mận hậu sấy dẻo", "Hộ kinh doanh Lò Văn Pánh", 4, ("Thành phố Sơn La", None), score=71,
          certified_year=2023),
    ],
    not_products="totals 'Tổng số: 05 SP'; the signature block with its '(Ký, ghi rõ họ tên)' line",
)

# --- Hà Giang (pre-2025 province): ALL-CAPS header, a product-code column, "tiềm năng 5 sao" --------------

_HA_GIANG = [
    ["SỞ NÔNG NGHIỆP VÀ PTNT HÀ GIANG"],
    ["DANH MỤC SẢN PHẨM OCOP CẤP TỈNH"],
    [],
    ["STT", "MÃ SP", "TÊN SẢN PHẨM", "CHỦ THỂ SỞ HỮU SẢN PHẨM", "HUYỆN/THÀNH PHỐ", "XẾP HẠNG SAO",
     "QUYẾT ĐỊNH CÔNG NHẬN"],
    [1, "HG-01", "Chè Shan tuyết cổ thụ Phìn Hồ", "HTX Chè Phìn Hồ", "Hoàng Su Phì", "4 sao (tiềm năng 5 sao)",
     "Số 1516/QĐ-UBND, ngày 15/8/2022"],
    [2, "HG-02", "Mật ong bạc hà Mèo Vạc", "HTX Hợp Tiến Mèo Vạc", "Mèo Vạc", "4 sao",
     "Số 1516/QĐ-UBND, ngày 15/8/2022"],
    [3, "HG-03", "Rượu ngô Thanh Vân", "HTX Rượu ngô Thanh Vân", "Quản Bạ", "3 sao",
     "Số 2087/QĐ-UBND, ngày 03/11/2022"],
    [4, "HG-04", "Cam sành Bắc Quang", "HTX Cam Hùng Cường", "Bắc Quang", "3 sao", "Số 2087/QĐ-UBND, ngày 03/11/2022"],
]

HA_GIANG = Layout(
    name="hg_caps_header_code_column", province="Hà Giang", kind="xlsx",
    skipped={},
    build=lambda: xlsx(Sheet("Danh muc", _HA_GIANG, merges=[(0, 0, 0, 6), (1, 0, 1, 6)], bold_rows=[3])),
    columns={"product_name": "TÊN SẢN PHẨM", "producer_name": "CHỦ THỂ", "district": "HUYỆN",
             "stars": "XẾP HẠNG SAO", "decision_number": "QUYẾT ĐỊNH"},
    products=[
        P("Chè Shan tuyết cổ thụ Phìn Hồ", "HTX Chè Phìn Hồ", 4, ("Hoàng Su Phì", None), proposed_five_star=True,
          **_decision("1516/QĐ-UBND", date(2022, 8, 15))),
        P("Mật ong bạc hà Mèo Vạc", "HTX Hợp Tiến Mèo Vạc", 4, ("Mèo Vạc", None),
          **_decision("1516/QĐ-UBND", date(2022, 8, 15))),
        P("Rượu ngô Thanh Vân", "HTX Rượu ngô Thanh Vân", 3, ("Quản Bạ", None),
          **_decision("2087/QĐ-UBND", date(2022, 11, 3))),
        P("Cam sành Bắc Quang", "HTX Cam Hùng Cường", 3, ("Bắc Quang", None),
          **_decision("2087/QĐ-UBND", date(2022, 11, 3))),
    ],
    not_products="the title block only; 'MÃ SP' is the province's own product code, not read",
)

# --- Quảng Nam: roman district sections, subtotals "Cộng:", the header repeated at a page break, real dates --

_HEADER_QN = ["TT", "Tên sản phẩm", "Chủ thể", "Xã/phường", "Số sao", "Quyết định số", "Ngày ban hành"]
_QUANG_NAM = [
    ["DANH SÁCH SẢN PHẨM OCOP TỈNH QUẢNG NAM ĐƯỢC CÔNG NHẬN NĂM 2023"],
    [],
    _HEADER_QN,
    ["I", "HUYỆN ĐẠI LỘC"],
    [1, "Bánh tráng Đại Đồng", "Hộ kinh doanh Phan Thị Lài", "Xã Đại Đồng", 3, "3301/QĐ-UBND", datetime(2023, 12, 20)],
    [2, "Rượu ngô Đại Hiệp", "Cơ sở rượu Hai Lúa", "Xã Đại Hiệp", 3, "3301/QĐ-UBND", datetime(2023, 12, 20)],
    [None, "Cộng: 02 sản phẩm"],
    ["II", "THỊ XÃ ĐIỆN BÀN"],
    [3, "Mì Quảng Phú Chiêm", "HTX Mì Quảng Phú Chiêm", "Phường Điện Phương", 4, "1870/QĐ-UBND",
     datetime(2023, 7, 14)],
    [4, "Nhang trầm Điện Nam", "Công ty TNHH Trầm hương Điện Nam", "Phường Điện Nam Trung", 3, "3301/QĐ-UBND",
     datetime(2023, 12, 20)],
    [None, "Cộng: 02 sản phẩm"],
    _HEADER_QN,
    ["III", "HUYỆN NAM TRÀ MY"],
    [5, "Trà sâm dây Ngọc Linh", "HTX Sâm Ngọc Linh Trà Linh", "Xã Trà Linh", 4, "1870/QĐ-UBND",
     datetime(2023, 7, 14)],
    [None, "Cộng: 01 sản phẩm"],
    [None, "Tổng số: 05 sản phẩm"],
]

QUANG_NAM = Layout(
    name="qnam_roman_sections_subtotals_repeated_header", province="Quảng Nam", kind="xlsx",
    skipped={"section": 3, "totals": 4},
    build=lambda: xlsx(Sheet("2023", _QUANG_NAM, merges=[(0, 0, 0, 6)], bold_rows=[2, 11])),
    columns={"product_name": "Tên sản phẩm", "producer_name": "Chủ thể", "commune": "Xã/phường", "stars": "Số sao",
             "decision_number": "Quyết định số", "decision_date": "Ngày ban hành"},
    products=[
        P("Bánh tráng Đại Đồng", "Hộ kinh doanh Phan Thị Lài", 3, ("HUYỆN ĐẠI LỘC", "Xã Đại Đồng"),
          **_decision("3301/QĐ-UBND", date(2023, 12, 20))),
        P("Rượu ngô Đại Hiệp", "Cơ sở rượu Hai Lúa", 3, ("HUYỆN ĐẠI LỘC", "Xã Đại Hiệp"),
          **_decision("3301/QĐ-UBND", date(2023, 12, 20))),
        P("Mì Quảng Phú Chiêm", "HTX Mì Quảng Phú Chiêm", 4, ("THỊ XÃ ĐIỆN BÀN", "Phường Điện Phương"),
          **_decision("1870/QĐ-UBND", date(2023, 7, 14))),
        P("Nhang trầm Điện Nam", "Công ty TNHH Trầm hương Điện Nam", 3, ("THỊ XÃ ĐIỆN BÀN", "Phường Điện Nam Trung"),
          **_decision("3301/QĐ-UBND", date(2023, 12, 20))),
        P("Trà sâm dây Ngọc Linh", "HTX Sâm Ngọc Linh Trà Linh", 4, ("HUYỆN NAM TRÀ MY", "Xã Trà Linh"),
          **_decision("1870/QĐ-UBND", date(2023, 7, 14))),
    ],
    not_products="roman-numbered district sections (the roman numeral in the TT column, the name in the "
                 "product column); subtotals 'Cộng: …'; the header repeated at a page break; the grand total",
)

# --- Quảng Ninh: district sections written with unit initials ("H. Bình Liêu", "TP. Hạ Long") and the count
#     in a cell of its own; "Xã/P/TT"; "Hạng sao đạt được"; an "Địa bàn huyện …" section ---------------------

_QN_INITIALS = [
    ["TỔNG HỢP SẢN PHẨM OCOP TỈNH QUẢNG NINH (BỔ SUNG NĂM 2023)"],
    [],
    ["STT", "Tên sản phẩm", "Chủ thể", "Xã/P/TT", "Hạng sao đạt được"],
    [None, "TP. Hạ Long", None, "02 SP", None],
    [1, "Chả mực Hạ Long", "Công ty TNHH Chả mực Bãi Cháy", "Phường Bãi Cháy", "4 sao"],
    [2, "Sá sùng Hồng Hà", "Hộ kinh doanh Vũ Thị Nga", "Phường Hồng Hà", "3 sao"],
    [None, "H. Bình Liêu", None, "02 SP", None],
    [3, "Miến dong Bình Liêu", "HTX Miến dong Hoành Mô", "Xã Hoành Mô", "4 sao"],
    [4, "Chè hoa vàng Đồng Văn", "Tổ hợp tác Chè hoa vàng Đồng Văn", "Xã Đồng Văn", "3 sao"],
    [None, "Địa bàn huyện Tiên Yên", None, "01 SP", None],
    [5, "Gà Tiên Yên đóng gói", "HTX Dịch vụ nông nghiệp Hải Lạng", "Xã Hải Lạng", "3 sao"],
]

QN_INITIALS = Layout(
    name="qn_unit_initial_sections_count_cell", province="Quảng Ninh", kind="xlsx",
    skipped={"section": 3},
    build=lambda: xlsx(Sheet("Bo sung 2023", _QN_INITIALS, merges=[(0, 0, 0, 4), (3, 1, 3, 2), (6, 1, 6, 2),
                                                                     (9, 1, 9, 2)])),
    columns={"product_name": "Tên sản phẩm", "producer_name": "Chủ thể", "commune": "Xã/P/TT",
             "stars": "Hạng sao"},
    products=[
        P("Chả mực Hạ Long", "Công ty TNHH Chả mực Bãi Cháy", 4, ("Thành phố Hạ Long", "Phường Bãi Cháy")),
        P("Sá sùng Hồng Hà", "Hộ kinh doanh Vũ Thị Nga", 3, ("Thành phố Hạ Long", "Phường Hồng Hà")),
        P("Miến dong Bình Liêu", "HTX Miến dong Hoành Mô", 4, ("Huyện Bình Liêu", "Xã Hoành Mô")),
        P("Chè hoa vàng Đồng Văn", "Tổ hợp tác Chè hoa vàng Đồng Văn", 3, ("Huyện Bình Liêu", "Xã Đồng Văn")),
        P("Gà Tiên Yên đóng gói", "HTX Dịch vụ nông nghiệp Hải Lạng", 3, ("Huyện Tiên Yên", "Xã Hải Lạng")),
    ],
    not_products="three district sections, 'TP.' / 'H.' initials or 'Địa bàn huyện …', the count beside them",
)

LAYOUTS = [QN_INITIALS, TIEN_YEN, THANH_HOA, BAC_GIANG, HA_TINH, AN_GIANG, SON_LA, HA_GIANG, QUANG_NAM]
