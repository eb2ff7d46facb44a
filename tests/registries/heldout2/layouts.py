"""Held-out registries, second round: layouts written from how provinces, districts and communes
publish OCOP lists, before the hub's rules were read. Each states what a careful clerk reads:

* ``columns``: a distinctive part of a column's header as written (folded: no accents, lower
  case) → the field the clerk reads it as; ``None``: a column the hub must NOT read into any field
  (price, packaging, QR code, a product code, an expiry as written, a note) and must name as
  unmapped. Columns not listed (STT, ...) are not asserted.
* ``products``: every product row, in order, with what the clerk reads from it. Keys:
  ``product_name``, ``producer_name`` (None: the list names none), ``stars``, and optionally
  ``proposed`` (tiềm năng 5 sao), ``year``, ``decision_number``, ``decision_date``, ``commune``
  (the CURRENT commune the row is placed in, by name), ``district_placed`` (True: a pre-2025 row
  placed at least in its old district), ``group`` (Decision 148 code), ``score``,
  ``producer_type`` (code).
* every other row (titles, column numbering, sections, totals, notes, signatures, repeated
  headers) is not a product.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from tests.registries.heldout2.build import Sheet, csv_bytes, html_page, tr, xlsx


@dataclass(frozen=True)
class Layout:
    name: str
    kind: str
    province: str
    data: bytes
    columns: dict[str, str | None]
    products: tuple[dict[str, Any], ...]
    about: str


def P(name: str, producer: str | None, stars: int, **more: Any) -> dict[str, Any]:
    return {"product_name": name, "producer_name": producer, "stars": stars, **more}


LAYOUTS: list[Layout] = []


def layout(name: str, kind: str, province: str, data: bytes, columns: dict[str, str | None],
           products: list[dict[str, Any]], about: str) -> None:
    LAYOUTS.append(Layout(name, kind, province, data, columns, tuple(products), about))


# 1 ── Lào Cai after the reform: a summary sheet first, the list on the second sheet; national
# heading block, ALL-CAPS headers broken over two lines, a column-numbering row "(1)…(8)", STT
# written "1.", a note column, a total line and a signature block.
_lc = [
    P("Chè Shan tuyết Suối Giàng", "HTX Chè Suối Giàng", 4, commune="Xã Văn Chấn", decision_number="1612/QĐ-UBND", year=2023),
    P("Gạo Séng Cù Mường Khương", "HTX Nông nghiệp Mường Khương", 3, commune="Xã Mường Khương", decision_number="2210/QĐ-UBND", year=2022),
    P("Táo mèo ngâm mật ong", "Hộ kinh doanh Lý Thị Mai", 3, commune="Xã Mù Cang Chải", decision_number="1612/QĐ-UBND", year=2023),
    P("Mận Tam hoa Bắc Hà", "HTX Dịch vụ nông nghiệp Bắc Hà", 4, commune="Xã Bắc Hà", decision_number="3020/QĐ-UBND", year=2024),
    P("Rượu ngô men lá San Lùng", "Công ty TNHH Rượu Sa Pa", 3, commune="Phường Sa Pa", decision_number="3020/QĐ-UBND", year=2024),
    P("Quế vỏ Văn Yên", "Công ty CP Quế hồi Yên Bái", 3, commune="Xã Mậu A", decision_number="1612/QĐ-UBND", year=2023),
]
layout("lao-cai-2025-caps", "xlsx", "Lào Cai", xlsx(
    Sheet("Tổng hợp", [["TỔNG HỢP SỐ LƯỢNG SẢN PHẨM OCOP"], [], ["Hạng sao", "Số sản phẩm", "Ghi chú"],
                       ["3 sao", 4, None], ["4 sao", 2, None], ["Tổng", 6, None]]),
    Sheet("Danh sách", [
        ["UBND TỈNH LÀO CAI", None, None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
        ["SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG", None, None, "Độc lập - Tự do - Hạnh phúc"],
        [],
        ["DANH SÁCH SẢN PHẨM OCOP CÒN HIỆU LỰC TRÊN ĐỊA BÀN TỈNH LÀO CAI"],
        ["(Cập nhật theo đơn vị hành chính cấp xã mới từ ngày 01/7/2025)"],
        ["STT", "TÊN\nSẢN PHẨM", "CHỦ THỂ\nSẢN XUẤT", "XÃ, PHƯỜNG\n(SAU SẮP XẾP)", "HẠNG\nSAO",
         "SỐ QUYẾT ĐỊNH\nCÔNG NHẬN", "NĂM\nCÔNG NHẬN", "GHI CHÚ"],
        ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)", "(8)"],
        *[[f"{i}.", p["product_name"], p["producer_name"], p["commune"], str(p["stars"]), p["decision_number"], p["year"],
           "Chuyển từ tỉnh Yên Bái" if i == 6 else None] for i, p in enumerate(_lc, 1)],
        [None, "Tổng cộng: 06 sản phẩm"],
        [],
        [None, None, None, None, None, "NGƯỜI LẬP BIỂU"],
        [None, None, None, None, None, "Nguyễn Văn An"],
    ], merges=["A1:C1", "D1:H1", "A2:C2", "D2:H2", "A4:H4", "A5:H5", "B14:E14"]),
), {"ten san pham": "product_name", "chu the": "producer_name", "xa, phuong": "commune", "hang": "stars",
    "so quyet dinh": "decision_number", "nam": "year", "ghi chu": None}, _lc,
    "post-2025 xlsx, summary sheet first, ALL-CAPS two-line headers, numbering row, STT '1.'")

# 2 ── Sơn La after the reform: bilingual headers "Vietnamese (English)"; price, QR code and
# packaging columns the hub must not read.
_sl = [
    P("Cà phê Arabica Chiềng Ban", "HTX Cà phê Chiềng Ban", 4, commune="Phường Chiềng Sinh", group="FOOD", year=2023),
    P("Mận hậu sấy dẻo Mộc Châu", "Công ty TNHH Nông sản Mộc Châu", 3, commune="Phường Mộc Châu", group="FOOD", year=2024),
    P("Chè Shan tuyết Tà Xùa", "HTX Chè Tà Xùa", 4, commune="Xã Tà Xùa", group="FOOD", year=2022),
    P("Rượu Mông Pê", "Hộ kinh doanh Lò Văn Ún", 3, commune="Xã Mường La", group="BEVERAGE", year=2023),
    P("Khăn piêu thổ cẩm", "HTX Dệt thổ cẩm Chiềng La", 3, commune="Xã Chiềng La", group="HANDICRAFT", year=2024),
]
_sl_groups = {"FOOD": "Thực phẩm (Food)", "BEVERAGE": "Đồ uống (Beverage)", "HANDICRAFT": "Thủ công mỹ nghệ (Handicraft)"}
layout("son-la-bilingual", "xlsx", "Sơn La", xlsx(Sheet("OCOP", [
    ["DANH SÁCH SẢN PHẨM OCOP TỈNH SƠN LA / LIST OF OCOP PRODUCTS OF SON LA PROVINCE"],
    ["STT (No.)", "Tên sản phẩm (Product name)", "Chủ thể sản xuất (Producer)", "Xã/Phường (Commune/Ward)",
     "Nhóm sản phẩm (Product group)", "Hạng sao (Star rating)", "Năm công nhận (Year)", "Giá bán (Price, VND)",
     "Mã QR (QR code)", "Quy cách đóng gói (Packaging)"],
    *[[i, p["product_name"], p["producer_name"], p["commune"], _sl_groups[p["group"]], f"{p['stars']} sao", p["year"],
       f"{(i * 45):d}.000", f"https://ocop.sonla.gov.vn/qr/SL{i:04d}", "Hộp 500g"] for i, p in enumerate(_sl, 1)],
], merges=["A1:J1"])),
    {"product name": "product_name", "producer": "producer_name", "commune/ward": "commune", "product group": "group",
     "star rating": "stars", "(year)": "year", "price": None, "qr code": None, "packaging": None}, _sl,
    "post-2025 xlsx, bilingual headers, price/QR/packaging columns")

# 3 ── Tuyên Quang after the reform (with Hà Giang's communes): headers carrying footnote marks,
# a star cell marked "(*)" that the notes under the table explain as "tiềm năng 5 sao".
_tq = [
    P("Chè Shan tuyết Cao Bồ", "HTX Chè Cao Bồ", 4, proposed=True, commune="Xã Cao Bồ", year=2023),
    P("Mật ong bạc hà Mèo Vạc", "HTX Ong mật Mèo Vạc", 4, commune="Xã Mèo Vạc", year=2023),
    P("Thịt bò khô Hà Giang", "Công ty TNHH Đặc sản Hà Giang", 3, commune="Phường Hà Giang 1", year=2024),
    P("Cam sành Vị Xuyên", "HTX Cam Vị Xuyên", 3, commune="Xã Vị Xuyên", year=2022),
]
layout("tuyen-quang-footnotes", "xlsx", "Tuyên Quang", xlsx(Sheet("Sheet1", [
    ["DANH SÁCH SẢN PHẨM OCOP TỈNH TUYÊN QUANG"],
    ["STT", "Tên sản phẩm (1)", "Tên chủ thể (2)", "Địa chỉ (3)", "Hạng sao (*)", "Năm đánh giá (**)"],
    ["1", "Chè Shan tuyết Cao Bồ", "HTX Chè Cao Bồ", "Xã Cao Bồ, tỉnh Tuyên Quang", "4 sao (*)", 2023],
    ["2", "Mật ong bạc hà Mèo Vạc", "HTX Ong mật Mèo Vạc", "Xã Mèo Vạc, tỉnh Tuyên Quang", "4 sao", 2023],
    ["3", "Thịt bò khô Hà Giang", "Công ty TNHH Đặc sản Hà Giang", "Phường Hà Giang 1, tỉnh Tuyên Quang", "3 sao", 2024],
    ["4", "Cam sành Vị Xuyên", "HTX Cam Vị Xuyên", "Xã Vị Xuyên, tỉnh Tuyên Quang", "3 sao", 2022],
    [],
    ["Ghi chú:"],
    ["(1) Tên sản phẩm theo Giấy chứng nhận"],
    ["(*) Sản phẩm tiềm năng 5 sao"],
    ["(**) Năm Hội đồng cấp tỉnh đánh giá, phân hạng"],
], merges=["A1:F1"])),
    {"ten san pham": "product_name", "ten chu the": "producer_name", "dia chi": "address", "hang sao": "stars",
     "nam danh gia": "year"}, _tq,
    "post-2025 xlsx, footnote marks in headers and a star cell, notes below the table")

# 4 ── Vĩnh Long after the reform: a list grouped by producer: the producer (with its commune) is
# a section row in the name column, its products below it.
_vl = [
    P("Bưởi da xanh Chợ Lách", "HTX Nông nghiệp Chợ Lách", 4, commune="Xã Chợ Lách", year=2022),
    P("Chôm chôm Java sấy dẻo", "HTX Nông nghiệp Chợ Lách", 3, commune="Xã Chợ Lách", year=2023),
    P("Kẹo dừa sầu riêng", "Cơ sở Kẹo dừa Thanh Long", 4, commune="Phường An Hội", year=2021),
    P("Kẹo dừa lá dứa", "Cơ sở Kẹo dừa Thanh Long", 3, commune="Phường An Hội", year=2021),
    P("Bánh tráng dừa", "Cơ sở Kẹo dừa Thanh Long", 3, commune="Phường An Hội", year=2024),
    P("Mắm ruốc Trà Vinh", "Công ty TNHH Thực phẩm Trà Vinh", 3, commune="Phường Trà Vinh", year=2023),
]
_vl_rows: list[list[Any]] = []
for roman, producer in (("I", "HTX Nông nghiệp Chợ Lách"), ("II", "Cơ sở Kẹo dừa Thanh Long"), ("III", "Công ty TNHH Thực phẩm Trà Vinh")):
    mine = [p for p in _vl if p["producer_name"] == producer]
    _vl_rows.append([roman, producer, mine[0]["commune"], None, None])
    _vl_rows += [[str(i), p["product_name"], None, f"{p['stars']} sao", p["year"]] for i, p in enumerate(mine, 1)]
layout("vinh-long-by-producer", "xlsx", "Vĩnh Long", xlsx(Sheet("DS", [
    ["DANH SÁCH CHỦ THỂ VÀ SẢN PHẨM OCOP TỈNH VĨNH LONG"],
    ["TT", "Tên chủ thể / sản phẩm", "Xã, phường", "Số sao", "Năm công nhận"],
    *_vl_rows,
], merges=["A1:E1"])), {"so sao": "stars", "nam cong nhan": "year"}, _vl,
    "post-2025 xlsx grouped by producer: producer + commune on a section row, products below")

# 5 ── Nam Định before the reform: a re-rating result ("Kết quả đánh giá lại") with the old and
# the new rating side by side; the current rating is the new one. No decision column: the title's
# decision ("Kèm theo Quyết định số 2750/QĐ-UBND ngày 12/12/2024") is every row's.
_nd_title: dict[str, Any] = {"decision_number": "2750/QĐ-UBND", "decision_date": date(2024, 12, 12)}
_nd = [
    P("Nước mắm Giao Châu", "HTX Nước mắm Giao Châu", 4, district_placed=True, **_nd_title),
    P("Gạo tám thơm Hải Hậu", "HTX Nông nghiệp Hải Hậu", 4, district_placed=True, **_nd_title),
    P("Bánh nhãn Hải Hậu", "Cơ sở Bánh nhãn Quế Phong", 3, district_placed=True, **_nd_title),
    P("Kẹo Sìu Châu", "Công ty TNHH Bánh kẹo Nam Trực", 3, district_placed=True, **_nd_title),
]
_nd_old = [3, 4, 4, 3]
_nd_dist = ["Giao Thủy", "Hải Hậu", "Hải Hậu", "Nam Trực"]
_nd_note = ["Nâng hạng", "Giữ hạng", "Hạ hạng", "Giữ hạng"]
layout("nam-dinh-danh-gia-lai", "xlsx", "Nam Định", xlsx(Sheet("Kết quả", [
    ["KẾT QUẢ ĐÁNH GIÁ LẠI, PHÂN HẠNG SẢN PHẨM OCOP NĂM 2024"],
    ["(Kèm theo Quyết định số 2750/QĐ-UBND ngày 12/12/2024 của UBND tỉnh Nam Định)"],
    ["STT", "Tên sản phẩm", "Chủ thể", "Huyện/TP", "Hạng cũ", "Hạng mới", "Năm công nhận lần đầu", "Ghi chú"],
    *[[i, p["product_name"], p["producer_name"], _nd_dist[i - 1], f"{_nd_old[i - 1]} sao", f"{p['stars']} sao", 2019 + i % 3,
       _nd_note[i - 1]] for i, p in enumerate(_nd, 1)],
], merges=["A1:H1", "A2:H2"])),
    {"ten san pham": "product_name", "chu the": "producer_name", "huyen": "district", "hang moi": "stars",
     "hang cu": None, "ghi chu": None}, _nd,
    "pre-2025 xlsx re-rating: 'Hạng cũ' and 'Hạng mới' columns, bare district names")

# 6 ── Bắc Giang before the reform (now Bắc Ninh): a semicolon CSV with a BOM, the rating written
# every way a district office writes it, and a year written as a rating cycle "2023-2024".
_bg = [
    P("Vải thiều Lục Ngạn", "HTX Vải thiều Phong Minh", 4, district_placed=True, year=2024),
    P("Gà đồi Yên Thế", "HTX Gà đồi Yên Thế", 3, district_placed=True, year=2022),
    P("Rượu làng Nghĩa Hòa", "Cơ sở Rượu Nghĩa Hòa", 3, district_placed=True, year=2021),
    P("Mật ong rừng Tây Yên Tử", "HTX Mật ong Lục Nam", 4, district_placed=True, year=2024),
    P("Bánh đa Kế", "Cơ sở Bánh đa Thọ Xương", 3, district_placed=True, year=2023),
    P("Miến dong Đồi Ngô", "HTX Miến Đồi Ngô", 4, district_placed=True, year=2023),
]
_bg_addr = ["Xã Phong Minh, huyện Lục Ngạn", "Xã Đồng Tiến, huyện Yên Thế", "Xã Nghĩa Hòa, huyện Lạng Giang",
            "Xã Đông Hưng, huyện Lục Nam", "Phường Thọ Xương, thành phố Bắc Giang", "Thị trấn Đồi Ngô, huyện Lục Nam"]
_bg_stars = ["OCOP 4 sao", "3 sao OCOP", "Hạng 3", "4/5 sao", "3★", "Hạng 4 sao"]
_bg_year = ["2023-2024", "2022", "2021", "2024", "2023", "2022 - 2023"]
layout("bac-giang-star-wordings", "csv", "Bắc Giang", csv_bytes([
    ["STT", "Tên sản phẩm", "Chủ thể", "Địa chỉ", "Phân hạng", "Năm"],
    *[[i, p["product_name"], p["producer_name"], _bg_addr[i - 1], _bg_stars[i - 1], _bg_year[i - 1]] for i, p in enumerate(_bg, 1)],
], sep=";", bom=True), {"ten san pham": "product_name", "chu the": "producer_name", "dia chi": "address",
                         "phan hang": "stars", "nam": "year"}, _bg,
    "pre-2025 CSV (;, BOM), stars 'OCOP 4 sao'/'3 sao OCOP'/'Hạng 3'/'4/5 sao'/'3★', year '2023-2024'")

# 7 ── Thái Bình before the reform (now Hưng Yên): a TCVN3 CSV, commune and district in two
# columns, the decision written on two lines in one cell, an expiry written as "Hiệu lực đến".
_tb = [
    P("Bánh cáy làng Nguyễn", "HTX Bánh cáy Đông Sơn", 4, district_placed=True, decision_number="1850/QĐ-UBND", decision_date=date(2022, 12, 15), year=2022),
    P("Chiếu cói Tân Lễ", "HTX Cói Tân Lễ", 3, district_placed=True, decision_number="2012/QĐ-UBND", decision_date=date(2023, 12, 28), year=2023),
    P("Nước mắm Diêm Điền", "Công ty TNHH Hải sản Diêm Điền", 3, district_placed=True, decision_number="1850/QĐ-UBND", decision_date=date(2022, 12, 15), year=2022),
    P("Gạo nếp cái hoa vàng Quỳnh Hoa", "HTX Nông nghiệp Quỳnh Hoa", 3, district_placed=True, decision_number="2012/QĐ-UBND", decision_date=date(2023, 12, 28), year=2023),
]
_tb_place = [("Xã Đông Sơn", "Đông Hưng"), ("Xã Tân Lễ", "Hưng Hà"), ("Thị trấn Diêm Điền", "Thái Thụy"), ("Xã Quỳnh Hoa", "Quỳnh Phụ")]
layout("thai-binh-tcvn3", "csv", "Thái Bình", csv_bytes([
    ["TT", "Tên sản phẩm", "Tên chủ thể", "Xã", "Huyện", "Hạng", "Quyết định công nhận", "Hiệu lực đến"],
    *[[i, p["product_name"], p["producer_name"], _tb_place[i - 1][0], _tb_place[i - 1][1], f"{p['stars']} sao",
       f"Số {p['decision_number']}\nngày {p['decision_date']:%d/%m/%Y}", f"{p['decision_date'].day}/{p['decision_date'].month}/{p['decision_date'].year + 3}"]
      for i, p in enumerate(_tb, 1)],
], encoding="tcvn3"), {"ten san pham": "product_name", "ten chu the": "producer_name", "xa": "commune",
                       "huyen": "district", "hang": "stars", "quyet dinh": "decision_number", "hieu luc den": None}, _tb,
    "pre-2025 TCVN3 CSV, commune/district columns, two-line decision cell, 'Hiệu lực đến'")

# 8 ── An Giang after the reform (with Kiên Giang's special zone): a VNI CSV with a product code,
# "Xã/phường/đặc khu", a certificate term and an expiry date as written.
_ag = [
    P("Nước mắm Phú Quốc", "Công ty TNHH Nước mắm Khải Hoàn", 4, commune="Đặc khu Phú Quốc"),
    P("Hồ tiêu Phú Quốc", "HTX Hồ tiêu Suối Đá", 3, commune="Đặc khu Phú Quốc"),
    P("Đường thốt nốt Tri Tôn", "HTX Thốt nốt Tri Tôn", 4, commune="Xã Tri Tôn"),
    P("Khô cá lóc Châu Phú", "Cơ sở Khô Bà Hai", 3, commune="Xã Châu Phú"),
    P("Mắm cá linh Châu Đốc", "Công ty CP Mắm Bà Giáo Khỏe", 4, commune="Phường Châu Đốc"),
]
layout("an-giang-vni", "csv", "An Giang", csv_bytes([
    ["Mã sản phẩm", "Tên sản phẩm", "Chủ thể", "Xã/phường/đặc khu", "Số sao", "Thời hạn chứng nhận", "Ngày hết hạn"],
    *[[f"AG-{2021 + i % 4}-{i * 7:03d}", p["product_name"], p["producer_name"], p["commune"], str(p["stars"]), "36 tháng",
       f"12/10/{2025 + i % 3}"] for i, p in enumerate(_ag, 1)],
], encoding="vni"), {"ma san pham": None, "ten san pham": "product_name", "chu the": "producer_name",
                     "dac khu": "commune", "so sao": "stars", "thoi han": None, "ngay het han": None}, _ag,
    "post-2025 VNI CSV, product code, 'Xã/phường/đặc khu', term and expiry columns")

# 9 ── Quảng Trị after the reform (with Quảng Bình's communes): an HTML table with a two-row
# <thead> (merged "Chủ thể" and "Quyết định công nhận"), a <tfoot> total before the <tbody>.
_qt = [
    P("Hồ tiêu Vĩnh Linh", "HTX Nông nghiệp Vĩnh Linh", 4, commune="Xã Vĩnh Linh", decision_number="1203/QĐ-UBND", decision_date=date(2023, 6, 12), producer_type="COOPERATIVE"),
    P("Trà xanh Phong Nha", "Hộ kinh doanh Nguyễn Văn Hùng", 3, commune="Xã Phong Nha", decision_number="2455/QĐ-UBND", decision_date=date(2024, 10, 25), producer_type="HOUSEHOLD"),
    P("Khoai deo Lệ Thủy", "HTX Sen Thủy", 3, commune="Xã Lệ Thủy", decision_number="2455/QĐ-UBND", decision_date=date(2024, 10, 25), producer_type="COOPERATIVE"),
    P("Cà phê Khe Sanh", "Công ty CP Cà phê Khe Sanh", 4, commune="Phường Đông Hà", decision_number="1203/QĐ-UBND", decision_date=date(2023, 6, 12), producer_type="ENTERPRISE"),
]
_qt_type = {"COOPERATIVE": "Hợp tác xã", "HOUSEHOLD": "Hộ sản xuất", "ENTERPRISE": "Doanh nghiệp"}
layout("quang-tri-thead-tfoot", "html", "Quảng Trị", html_page(
    "<h3>DANH SÁCH SẢN PHẨM OCOP TỈNH QUẢNG TRỊ</h3><table border='1'><thead>"
    + tr("<th rowspan='2'>STT", "<th rowspan='2'>Tên sản phẩm", "<th colspan='2'>Chủ thể", "<th rowspan='2'>Xã, phường",
         "<th colspan='2'>Quyết định công nhận", "<th rowspan='2'>Hạng sao", tag="th")
    + tr("Tên", "Loại hình", "Số", "Ngày", tag="th")
    + "</thead><tfoot>" + tr("<td colspan='6'>Tổng cộng", "<td colspan='2'>4 sản phẩm") + "</tfoot><tbody>"
    + "".join(tr(str(i), p["product_name"], p["producer_name"], _qt_type[p["producer_type"]], p["commune"], p["decision_number"],
                 f"{p['decision_date']:%d/%m/%Y}", str(p["stars"])) for i, p in enumerate(_qt, 1))
    + "</tbody></table>"),
    {"ten san pham": "product_name", "chu the / ten": "producer_name", "loai hinh": "producer_type", "xa, phuong": "commune",
     "quyet dinh cong nhan / so": "decision_number", "quyet dinh cong nhan / ngay": "decision_date", "hang sao": "stars"}, _qt,
    "post-2025 HTML, two-row thead with merged parents, tfoot total before tbody")

# 10 ── Gia Lai: a portal export with English snake_case headers.
_gl = [
    P("Cà phê Pleiku rang xay", "HTX Cà phê Biển Hồ", 4, commune="Phường Pleiku", year=2023, decision_number="556/QĐ-UBND", decision_date=date(2023, 5, 18), group="FOOD", producer_type="COOPERATIVE"),
    P("Bánh tráng nước dừa Tam Quan", "Cơ sở Bánh tráng Ba Thi", 3, commune="Phường Tam Quan", year=2022, decision_number="1020/QĐ-UBND", decision_date=date(2022, 9, 6), group="FOOD", producer_type="HOUSEHOLD"),
    P("Rượu Bàu Đá", "Công ty TNHH Rượu Bàu Đá Cù Lâm", 4, commune="Phường An Nhơn", year=2024, decision_number="2231/QĐ-UBND", decision_date=date(2024, 11, 2), group="BEVERAGE", producer_type="ENTERPRISE"),
    P("Hồ tiêu Chư Prông", "HTX Nông nghiệp Chư Prông", 3, commune="Xã Chư Prông", year=2023, decision_number="556/QĐ-UBND", decision_date=date(2023, 5, 18), group="FOOD", producer_type="COOPERATIVE"),
]
_gl_type = {"COOPERATIVE": "Hợp tác xã", "HOUSEHOLD": "Hộ kinh doanh", "ENTERPRISE": "Doanh nghiệp"}
_gl_group = {"FOOD": "Thực phẩm", "BEVERAGE": "Đồ uống"}
layout("gia-lai-portal-snake-case", "csv", "Gia Lai", csv_bytes([
    ["id", "product_code", "product_name", "owner_name", "owner_type", "ward_name", "province_name", "star",
     "rating_year", "decision_no", "decision_date", "category", "price_vnd", "qr_url"],
    *[[1000 + i, f"GL{i:05d}", p["product_name"], p["producer_name"], _gl_type[p["producer_type"]], p["commune"], "Gia Lai",
       p["stars"], p["year"], p["decision_number"], p["decision_date"].isoformat(), _gl_group[p["group"]], 120000 + i,
       f"https://ocop.gialai.gov.vn/p/{i}"] for i, p in enumerate(_gl, 1)],
]), {"product_code": None, "product_name": "product_name", "owner_name": "producer_name", "owner_type": "producer_type",
     "ward_name": "commune", "province_name": "province", "star": "stars", "rating_year": "year",
     "decision_no": "decision_number", "decision_date": "decision_date", "category": "group", "price_vnd": None, "qr_url": None},
    _gl, "portal CSV export with English snake_case headers")

# 11 ── Hưng Yên: a database export whose headers are field codes (unaccented, upper case).
_hy = [
    P("Nhãn lồng Hưng Yên", "HTX Nhãn lồng Phố Hiến", 4, commune="Phường Phố Hiến", year=2022, decision_number="1905/QĐ-UBND"),
    P("Gà Đông Tảo", "HTX Gà Đông Tảo Khoái Châu", 4, commune="Xã Khoái Châu", year=2023, decision_number="2100/QĐ-UBND"),
    P("Tương Bần", "Cơ sở Tương Bần Nguyễn Thị Hà", 3, commune="Phường Mỹ Hào", year=2021, decision_number="987/QĐ-UBND"),
    P("Bánh cuốn Trần Lãm", "Hộ kinh doanh Phạm Văn Tới", 3, commune="Phường Trần Lãm", year=2024, decision_number="2100/QĐ-UBND"),
]
layout("hung-yen-field-codes", "csv", "Hưng Yên", csv_bytes([
    ["MA_SP", "TEN_SP", "TEN_CHU_THE", "MA_XA", "TEN_XA", "SO_SAO", "NAM_CN", "SO_QD"],
    *[[f"HY{i:03d}", p["product_name"], p["producer_name"], f"{12000 + i}", p["commune"], p["stars"], p["year"],
       p["decision_number"]] for i, p in enumerate(_hy, 1)],
]), {"ma_sp": None, "ten_sp": "product_name", "ten_chu_the": "producer_name", "ten_xa": "commune", "so_sao": "stars",
     "nam_cn": "year", "so_qd": "decision_number"}, _hy, "CSV export with field-code headers (TEN_SP, SO_SAO, …)")

# 12 ── Thanh Hóa before the reform: Roman-numeral group sections, numbered sub-sections and
# lettered star sub-sections "a) Sản phẩm đạt 4 sao"; no stars column: the rating is the section's.
_th = [
    P("Nem chua Thanh Hóa", "Công ty CP Nem chua Hương Nhung", 4, group="FOOD", district_placed=True, year=2022),
    P("Chè lam Phủ Quảng", "Cơ sở Chè lam Hương", 3, group="FOOD", district_placed=True, year=2023),
    P("Mắm tép Hồi Xuân", "HTX Mắm tép Hồi Xuân", 3, group="FOOD", district_placed=True, year=2023),
    P("Rượu cần Điền Trung", "HTX Rượu cần Điền Trung", 3, group="BEVERAGE", district_placed=True, year=2024),
    P("Rượu ngô Cành Nàng", "Cơ sở Rượu Bá Thước", 4, group="BEVERAGE", district_placed=True, year=2021),
]
_th_addr = ["Phường Đông Thọ, TP Thanh Hóa", "Phường Hàm Rồng, TP Thanh Hóa", "Thị trấn Hồi Xuân, huyện Quan Hóa",
            "Xã Điền Trung, huyện Bá Thước", "Thị trấn Cành Nàng, huyện Bá Thước"]


def _th_row(i: int) -> list[Any]:
    p = _th[i - 1]
    return [i, p["product_name"], p["producer_name"], _th_addr[i - 1], p["year"]]


layout("thanh-hoa-roman-subsections", "xlsx", "Thanh Hóa", xlsx(Sheet("2024", [
    ["DANH SÁCH SẢN PHẨM OCOP TỈNH THANH HÓA (lũy kế đến 31/12/2024)"],
    ["TT", "Tên sản phẩm", "Chủ thể", "Địa chỉ", "Năm công nhận"],
    ["I", "NHÓM THỰC PHẨM"],
    ["1", "Thực phẩm chế biến"],
    ["a)", "Sản phẩm đạt 4 sao"],
    _th_row(1),
    ["b)", "Sản phẩm đạt 3 sao"],
    _th_row(2),
    ["1.1", "Thủy sản chế biến"],
    [None, "Sản phẩm đạt 3 sao"],
    _th_row(3),
    ["II", "NHÓM ĐỒ UỐNG"],
    ["a)", "Sản phẩm đạt 3 sao"],
    _th_row(4),
    ["b)", "Sản phẩm đạt 4 sao"],
    _th_row(5),
], merges=["A1:E1", "B3:E3", "B4:E4", "B5:E5", "B7:E7", "B9:E9", "B10:E10", "B12:E12", "B13:E13", "B15:E15"])),
    {"ten san pham": "product_name", "chu the": "producer_name", "dia chi": "address", "nam cong nhan": "year"}, _th,
    "pre-2025 xlsx, roman group sections, '1'/'1.1' sub-sections, 'a)' star sub-sections, no stars column")

# 13 ── Hà Giang before the reform (now Tuyên Quang): a long printed sheet whose header row is
# repeated every 40 rows, with a page line before it.
_hg_kinds = ["Chè Shan tuyết", "Mật ong bạc hà", "Thịt bò khô", "Cam sành", "Rượu ngô", "Bánh tam giác mạch",
             "Gạo nếp nương", "Lạp sườn gác bếp", "Măng khô", "Mận sấy"]
_hg_places = ["Đồng Văn", "Mèo Vạc", "Yên Minh", "Quản Bạ", "Vị Xuyên", "Bắc Quang", "Hoàng Su Phì", "Xín Mần", "Bắc Mê"]
_hg = [P(f"{k} {pl}", f"HTX {k} {pl}", 3 + (i % 2), district_placed=True, year=2020 + i % 5)
       for i, (k, pl) in enumerate(((k, pl) for pl in _hg_places for k in _hg_kinds))]
_hg_head = ["STT", "Tên sản phẩm", "Chủ thể", "Huyện", "Hạng sao", "Năm"]
_hg_rows: list[list[Any]] = [["DANH SÁCH SẢN PHẨM OCOP TỈNH HÀ GIANG GIAI ĐOẠN 2019-2024"], _hg_head]
for i, p in enumerate(_hg, 1):
    if i > 1 and (i - 1) % 40 == 0:
        _hg_rows += [[f"Trang {(i - 1) // 40 + 1}"], _hg_head]
    _hg_rows.append([i, p["product_name"], p["producer_name"], _hg_places[(i - 1) // 10], f"{p['stars']} sao", p["year"]])
layout("ha-giang-repeated-header", "xlsx", "Hà Giang", xlsx(Sheet("In", _hg_rows, merges=["A1:F1"])),
       {"ten san pham": "product_name", "chu the": "producer_name", "huyen": "district", "hang sao": "stars", "nam": "year"},
       _hg, "pre-2025 xlsx, 90 products, header repeated every 40 rows after a page line")

# 14 ── Đắk Lắk after the reform (with Phú Yên): merged two-row header "Sản phẩm / Tên", "Chủ thể /
# Tên" and the rating as an "x" under one of "Kết quả phân hạng / 3 sao | 4 sao | 5 sao"; a
# TỔNG CỘNG row counting products per star in those columns.
_dl = [
    P("Cà phê Buôn Ma Thuột rang xay", "Công ty TNHH Cà phê Ban Mê", 4, commune="Phường Buôn Ma Thuột", group="FOOD"),
    P("Cá ngừ đại dương hấp", "HTX Thủy sản Sông Cầu", 3, commune="Phường Sông Cầu", group="FOOD"),
    P("Rượu cần Ea Kao", "HTX Rượu cần Ea Kao", 3, commune="Phường Ea Kao", group="BEVERAGE"),
    P("Sầu riêng Hòa Phú", "HTX Nông nghiệp Hòa Phú", 4, commune="Xã Hòa Phú", group="FOOD"),
    P("Yến sào Tuy Hòa", "Công ty CP Yến sào Phú Yên", 5, commune="Phường Tuy Hòa", group="FOOD"),
]
_dl_group = {"FOOD": "Thực phẩm", "BEVERAGE": "Đồ uống"}
layout("dak-lak-star-marks", "xlsx", "Đắk Lắk", xlsx(Sheet("OCOP", [
    ["KẾT QUẢ ĐÁNH GIÁ, PHÂN HẠNG SẢN PHẨM OCOP TỈNH ĐẮK LẮK NĂM 2025"],
    ["STT", "Sản phẩm", None, "Chủ thể", None, "Kết quả phân hạng", None, None, "Ghi chú"],
    [None, "Tên", "Nhóm", "Tên", "Địa chỉ", "3 sao", "4 sao", "5 sao", None],
    *[[i, p["product_name"], _dl_group[p["group"]], p["producer_name"], p["commune"],
       "x" if p["stars"] == 3 else None, "x" if p["stars"] == 4 else None, "x" if p["stars"] == 5 else None, None]
      for i, p in enumerate(_dl, 1)],
    ["TỔNG CỘNG", None, None, None, None, 2, 2, 1, None],
], merges=["A1:I1", "A2:A3", "B2:C2", "D2:E2", "F2:H2", "I2:I3", "A9:E9"])),
    {"san pham / ten": "product_name", "nhom": "group", "chu the / ten": "producer_name", "dia chi": "address",
     "ghi chu": None}, _dl,
    "post-2025 xlsx, merged parents 'Sản phẩm'/'Chủ thể' over 'Tên', stars as 'x' under '3/4/5 sao', totals per star")

# 15 ── Quảng Ninh after the reform: an HTML list naming "Đơn vị hành chính cấp xã" (special zones
# included), stars drawn as ★, price, packaging and "Hiệu lực đến" columns.
_qn = [
    P("Chả mực Hạ Long", "Công ty CP Chả mực Hạ Long", 5, commune="Phường Hạ Long"),
    P("Sá sùng khô Quan Lạn", "HTX Sá sùng Quan Lạn", 4, commune="Đặc khu Vân Đồn"),
    P("Nước mắm Cái Rồng", "HTX Nước mắm Cái Rồng", 3, commune="Đặc khu Vân Đồn"),
    P("Mực một nắng Cô Tô", "Hộ kinh doanh Trần Văn Dũng", 3, commune="Đặc khu Cô Tô"),
    P("Trà hoa vàng Ba Chẽ", "HTX Trà hoa vàng Ba Chẽ", 4, commune="Xã Ba Chẽ"),
]
layout("quang-ninh-dac-khu", "html", "Quảng Ninh", html_page(
    "<table><tr><th>TT</th><th>Tên sản phẩm</th><th>Chủ thể</th><th>Đơn vị hành chính cấp xã</th><th>Xếp hạng</th>"
    "<th>Giá bán (đồng)</th><th>Quy cách đóng gói</th><th>Hiệu lực đến</th></tr>"
    + "".join(tr(str(i), p["product_name"], p["producer_name"], p["commune"], "★" * p["stars"], f"{150 + 50 * i}.000",
                 "Hộp 500g" if i % 2 else "Chai 650ml", "31/12/2026") for i, p in enumerate(_qn, 1))
    + "</table><p>Nguồn: Sở Nông nghiệp và Môi trường tỉnh Quảng Ninh</p>"),
    {"ten san pham": "product_name", "chu the": "producer_name", "cap xa": "commune", "xep hang": "stars",
     "gia ban": None, "quy cach": None, "hieu luc den": None}, _qn,
    "post-2025 HTML, 'Đơn vị hành chính cấp xã' incl. đặc khu, ★ stars, price/packaging/expiry")

# 16 ── Ninh Bình after the reform: one sheet per rating ("3 sao", "4 sao"), each with its own
# title and header and no stars column.
_nb3 = [
    P("Cá kho làng Vũ Đại", "HTX Cá kho làng Vũ Đại", 3, commune="Xã Lý Nhân"),
    P("Kẹo Sìu Châu Nam Định", "Cơ sở Kẹo Sìu Châu Hương", 3, commune="Phường Nam Định"),
]
_nb4 = [
    P("Sơn mài Cát Đằng", "HTX Sơn mài Cát Đằng", 4, commune="Xã Ý Yên"),
    P("Chuối ngự Đại Hoàng", "HTX Chuối ngự Đại Hoàng", 4, commune="Xã Nam Lý"),
]


def _nb_sheet(stars: int, rows: list[dict[str, Any]]) -> Sheet:
    return Sheet(f"{stars} sao", [
        [f"DANH SÁCH SẢN PHẨM OCOP ĐẠT {stars} SAO"],
        ["STT", "Tên sản phẩm", "Chủ thể", "Xã/phường"],
        *[[i, p["product_name"], p["producer_name"], p["commune"]] for i, p in enumerate(rows, 1)],
    ], merges=["A1:D1"])


layout("ninh-binh-sheet-per-star", "xlsx", "Ninh Bình", xlsx(_nb_sheet(3, _nb3), _nb_sheet(4, _nb4)),
       {"ten san pham": "product_name", "chu the": "producer_name", "xa/phuong": "commune"}, _nb3 + _nb4,
       "post-2025 xlsx, one sheet per rating, the rating only in the sheet name and its title")

# 17 ── Đồng Tháp after the reform: an HTML table with a caption, a producer cell spanning two
# product rows, a score beside the rating, and recognition dates written four ways.
_dt = [
    P("Xoài cát Hòa Lộc", "HTX Xoài Mỹ Xương", 4, commune="Xã Mỹ Thọ", score=72, decision_date=date(2023, 11, 20)),
    P("Xoài sấy dẻo", "HTX Xoài Mỹ Xương", 3, commune="Xã Mỹ Thọ", score=65, decision_date=date(2023, 11, 20)),
    P("Trà tim sen Tháp Mười", "Công ty TNHH Sen Tháp Mười", 4, commune="Xã Tháp Mười", score=81, decision_date=date(2024, 3, 5)),
    P("Hủ tiếu Sa Đéc", "Cơ sở Hủ tiếu Ba Hiệp", 3, commune="Phường Sa Đéc", score=58, decision_date=date(2024, 3, 5)),
    P("Bánh phồng tôm Sa Giang", "Công ty CP XNK Sa Giang", 5, commune="Phường Sa Đéc", score=92, decision_date=date(2022, 8, 15)),
]
layout("dong-thap-rowspan-dates", "html", "Đồng Tháp", html_page(
    "<table><caption>Danh sách sản phẩm OCOP tỉnh Đồng Tháp</caption>"
    "<tr><th>STT</th><th>Tên sản phẩm</th><th>Chủ thể</th><th>Xã, phường</th><th>Điểm đánh giá</th><th>Hạng</th>"
    "<th>Ngày công nhận</th></tr>"
    + tr("1", "Xoài cát Hòa Lộc", "<td rowspan='2'>HTX Xoài Mỹ Xương", "<td rowspan='2'>Xã Mỹ Thọ", "72", "4 sao",
         "ngày 20 tháng 11 năm 2023")
    + tr("2", "Xoài sấy dẻo", "65", "3 sao", "20/11/2023")
    + tr("3", "Trà tim sen Tháp Mười", "Công ty TNHH Sen Tháp Mười", "Xã Tháp Mười", "81", "4 sao", "2024-03-05")
    + tr("4", "Hủ tiếu Sa Đéc", "Cơ sở Hủ tiếu Ba Hiệp", "Phường Sa Đéc", "58", "3 sao", "05/3/2024")
    + tr("5", "Bánh phồng tôm Sa Giang", "Công ty CP XNK Sa Giang", "Phường Sa Đéc", "92", "5 sao", "15.8.2022")
    + "</table>"),
    {"ten san pham": "product_name", "chu the": "producer_name", "xa, phuong": "commune", "diem": "score",
     "hang": "stars", "ngay cong nhan": "decision_date"}, _dt,
    "post-2025 HTML with caption, producer/commune rowspan over two products, score + rating, four date forms")

# 18 ── Cao Bằng before the reform: an HTML re-rating list whose rating header is merged: "Hạng
# sao" over "Năm 2021" and "Sau đánh giá lại năm 2024".
_cb = [
    P("Hạt dẻ Trùng Khánh", "HTX Hạt dẻ Trùng Khánh", 4, district_placed=True),
    P("Miến dong Phia Đén", "HTX Miến dong Nguyên Bình", 3, district_placed=True),
    P("Thạch đen Thạch An", "Cơ sở Thạch đen Đức Long", 3, district_placed=True),
]
_cb_old = [3, 3, 4]
_cb_dist = ["Huyện Trùng Khánh", "Huyện Nguyên Bình", "Huyện Thạch An"]
layout("cao-bang-rerating-merged", "html", "Cao Bằng", html_page(
    "<p>KẾT QUẢ ĐÁNH GIÁ LẠI SẢN PHẨM OCOP HẾT HẠN CHỨNG NHẬN</p><table border='1'>"
    + tr("<th rowspan='2'>STT", "<th rowspan='2'>Tên sản phẩm", "<th rowspan='2'>Chủ thể", "<th rowspan='2'>Huyện/Thành phố",
         "<th colspan='2'>Hạng sao", tag="th")
    + tr("Năm 2021", "Sau đánh giá lại năm 2024", tag="th")
    + "".join(tr(str(i), p["product_name"], p["producer_name"], _cb_dist[i - 1], f"{_cb_old[i - 1]} sao", f"{p['stars']} sao")
              for i, p in enumerate(_cb, 1))
    + "</table>"),
    {"ten san pham": "product_name", "chu the": "producer_name", "huyen": "district", "sau danh gia lai": "stars",
     "nam 2021": None}, _cb,
    "pre-2025 HTML re-rating, merged 'Hạng sao' over the old year and 'Sau đánh giá lại'")

# 19 ── Hải Phòng after the reform (with Hải Dương): a transition list carrying the OLD address and
# the NEW commune side by side, the producer as "Đơn vị sở hữu", and the certificate term as a
# merged "Thời hạn chứng nhận" over "Từ ngày" / "Đến ngày" (the end date is not read).
_hp = [
    P("Vải thiều Thanh Hà", "HTX Vải thiều Thanh Hà", 4, commune="Xã Thanh Hà"),
    P("Bánh gai Ninh Giang", "Cơ sở Bánh gai Ninh Giang", 4, commune="Xã Ninh Giang"),
    P("Rượu Phú Lộc", "Công ty TNHH Rượu Phú Lộc Cẩm Giàng", 3, commune="Xã Cẩm Giàng"),
    P("Chè Bắc An", "HTX Chè Bắc An", 3, commune="Phường Chí Linh"),
    P("Nước mắm Cát Hải", "HTX Nước mắm Cát Hải", 4, commune="Đặc khu Cát Hải"),
]
_hp_old = ["Thị trấn Thanh Hà, huyện Thanh Hà, tỉnh Hải Dương", "Thị trấn Ninh Giang, huyện Ninh Giang, tỉnh Hải Dương",
           "Xã Cẩm Vũ, huyện Cẩm Giàng, tỉnh Hải Dương", "Xã Bắc An, thành phố Chí Linh, tỉnh Hải Dương",
           "Thị trấn Cát Hải, huyện Cát Hải, thành phố Hải Phòng"]
layout("hai-phong-old-and-new-address", "xlsx", "Hải Phòng", xlsx(Sheet("Sau sáp nhập", [
    ["DANH SÁCH SẢN PHẨM OCOP THÀNH PHỐ HẢI PHÒNG SAU HỢP NHẤT"],
    ["STT", "Tên SP", "Đơn vị sở hữu", "Địa chỉ cũ", "Xã, phường, đặc khu (mới)", "Phân hạng", "Thời hạn chứng nhận", None],
    [None, None, None, None, None, None, "Từ ngày", "Đến ngày"],
    *[[i, p["product_name"], p["producer_name"], _hp_old[i - 1], p["commune"], f"{p['stars']} sao", f"1{i}/06/2023",
       f"1{i}/06/2026"] for i, p in enumerate(_hp, 1)],
], merges=["A1:H1", "A2:A3", "B2:B3", "C2:C3", "D2:D3", "E2:E3", "F2:F3", "G2:H2"])),
    {"ten sp": "product_name", "don vi so huu": "producer_name", "(moi)": "commune", "phan hang": "stars",
     "den ngay": None}, _hp,
    "post-2025 xlsx, old address and new commune columns, 'Đơn vị sở hữu', merged term 'Từ ngày'/'Đến ngày'")

# 20 ── Cà Mau after the reform (with Bạc Liêu): an English-language HTML page (for a trade fair),
# the data table nested in a layout table beside a menu table, ratings written "4-star".
_cm = [
    P("Ca Mau dried shrimp (Tôm khô Cà Mau)", "Công ty TNHH Tôm khô Rạch Gốc", 4, commune="Xã Tân Ân"),
    P("U Minh forest honey (Mật ong rừng U Minh)", "HTX Ong mật U Minh", 4, commune="Xã U Minh"),
    P("Bac Lieu sea salt (Muối Bạc Liêu)", "HTX Diêm nghiệp Đông Hải", 3, commune="Xã Đông Hải"),
    P("Ba Khia crab paste (Mắm ba khía)", "Cơ sở Mắm Út Lý", 3, commune="Phường Bạc Liêu"),
]
layout("ca-mau-english-nested", "html", "Cà Mau", html_page(
    "<table width='100%'><tr><td valign='top'><table><tr><td><a href='/'>Home</a></td></tr><tr><td>"
    "<a href='/ocop'>OCOP</a></td></tr></table></td><td>"
    "<h2>OCOP products of Ca Mau province</h2><table class='grid'>"
    + tr("No.", "Product name", "Owner", "Commune / Ward", "OCOP rating", "Price (VND)", tag="th")
    + "".join(tr(str(i), p["product_name"], p["producer_name"], p["commune"], f"{p['stars']}-star", "150,000")
              for i, p in enumerate(_cm, 1))
    + "</table></td></tr></table>"),
    {"product name": "product_name", "owner": "producer_name", "commune / ward": "commune", "ocop rating": "stars",
     "price": None}, _cm, "post-2025 English HTML nested in a layout table, '4-star' ratings")

# 21 ── Lạng Sơn before the reform: a CSV with a decision cell written as a sentence (number, date
# and issuing body), "Tổ chức, cá nhân sở hữu sản phẩm", ratings "Đạt 4 sao" and years "Năm 2023".
_ls = [
    P("Hồi Văn Quan", "HTX Nông lâm nghiệp Văn Quan", 4, district_placed=True, decision_number="1234/QĐ-UBND", decision_date=date(2023, 6, 5), year=2023),
    P("Na Chi Lăng", "HTX Na Chi Lăng", 4, district_placed=True, decision_number="2301/QĐ-UBND", decision_date=date(2022, 11, 20), year=2022),
    P("Miến dong Bình Gia", "Cơ sở Miến dong Hoa Thám", 3, district_placed=True, decision_number="1234/QĐ-UBND", decision_date=date(2023, 6, 5), year=2023),
    P("Thạch đen Tràng Định", "HTX Thạch đen Tràng Định", 3, district_placed=True, decision_number="887/QĐ-UBND", decision_date=date(2024, 4, 18), year=2024),
]
_ls_dist = ["Văn Quan", "Chi Lăng", "Bình Gia", "Tràng Định"]
layout("lang-son-decision-sentence", "csv", "Lạng Sơn", csv_bytes([
    ["TT", "Tên sản phẩm OCOP", "Tổ chức, cá nhân sở hữu sản phẩm", "Huyện, thành phố", "Kết quả phân hạng", "Năm",
     "Quyết định công nhận"],
    *[[i, p["product_name"], p["producer_name"], _ls_dist[i - 1], f"Đạt {p['stars']} sao", f"Năm {p['year']}",
       f"QĐ số {p['decision_number']} ngày {p['decision_date'].day:02d}/{p['decision_date'].month}/{p['decision_date'].year} của UBND tỉnh Lạng Sơn"]
      for i, p in enumerate(_ls, 1)],
]), {"ten san pham ocop": "product_name", "so huu san pham": "producer_name", "huyen, thanh pho": "district",
     "ket qua phan hang": "stars", "nam": "year", "quyet dinh cong nhan": "decision_number"}, _ls,
    "pre-2025 CSV, decision as a sentence with its issuing body, 'Đạt 4 sao', 'Năm 2023'")

# 22 ── Huế after the reform: a three-row merged header ("Thông tin sản phẩm" › "Phân hạng" ›
# "Số sao" | "Điểm"; "Thông tin chủ thể" › "Tên" | "Địa chỉ" › "Xã, phường").
_hue = [
    P("Mè xửng Thiên Hương", "Công ty TNHH Mè xửng Thiên Hương", 4, commune="Phường Thuận Hóa", score=82),
    P("Trà cung đình Huế", "HTX Dược liệu Phong Điền", 3, commune="Phường Phong Điền", score=66),
    P("Nón lá Phú Cam", "Tổ hợp tác Nón lá Phú Cam", 3, commune="Phường An Cựu", score=61),
    P("Tinh dầu tràm Lộc An", "HTX Tinh dầu Lộc An", 4, commune="Xã Lộc An", score=75),
]
layout("hue-three-row-header", "xlsx", "Huế", xlsx(Sheet("OCOP", [
    ["STT", "Thông tin sản phẩm", None, None, "Thông tin chủ thể", None],
    [None, "Tên sản phẩm", "Phân hạng", None, "Tên", "Địa chỉ"],
    [None, None, "Số sao", "Điểm", None, "Xã, phường"],
    *[[i, p["product_name"], p["stars"], p["score"], p["producer_name"], p["commune"]] for i, p in enumerate(_hue, 1)],
], merges=["A1:A3", "B1:D1", "E1:F1", "B2:B3", "C2:D2", "E2:E3"])),
    {"ten san pham": "product_name", "so sao": "stars", "diem": "score", "thong tin chu the / ten": "producer_name",
     "xa, phuong": "commune"}, _hue, "post-2025 xlsx, three-row merged header")
