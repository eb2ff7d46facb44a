"""Third round of held-out registries: layouts built in memory, each with what a careful clerk reads.

Written before reading the hub's header rules or the earlier rounds, aimed at what those rounds may
have missed: a summary table above the product table, Excel numbers where text is meant (stars 4.0,
years 2024.0, dates as Excel dates or serials, phone numbers that lost their leading 0), headers
merged vertically beside two-row parents, district subtotals in the middle of the table, a notes
column that carries the 5-star proposal, a producer cell holding "name - address", a district named
only in the title, "Sản phẩm"/"Chủ thể" headers without "Tên", stars written in words, marks or
padded numbers, a re-certification year beside the first one, and star columns marked with an x.

``columns`` maps a folded fragment of a header (lower case, no diacritics) to the field a clerk
reads it as (None: not a field). ``products`` lists every product row in order, with the values
checked (``product_name`` always; any of producer_name, stars, proposed, year, decision_number,
decision_date, group, phone, district_placed)."""
from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook

from hub.normalize.encodings import encode_legacy


@dataclass
class Layout:
    name: str
    province: str
    kind: str
    data: bytes
    columns: dict[str, str | None]
    products: list[dict[str, Any]]
    not_products: list[str] = field(default_factory=list)  # rows a clerk skips (for the record)


def _xlsx(rows: list[list[Any]], merges: tuple[str, ...] = (), title: str = "Sheet1",
          formats: dict[str, str] | None = None) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    for rng in merges:
        ws.merge_cells(rng)
    for coord, fmt in (formats or {}).items():
        ws[coord].number_format = fmt
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _csv(rows: list[list[str]], encoding: str = "utf-8", sep: str = ",") -> bytes:
    def cell(v: str) -> str:
        return f'"{v.replace(chr(34), chr(34) * 2)}"' if (sep in v or '"' in v or "\n" in v) else v
    text = "\r\n".join(sep.join(cell(v) for v in row) for row in rows) + "\r\n"
    return text.encode("utf-8") if encoding == "utf-8" else encode_legacy(text, encoding)


LAYOUTS: list[Layout] = []

# 1. A summary by district above the product table on the same sheet, a blank row, then the header.
#    Stars and years typed as Excel floats.
LAYOUTS.append(Layout(
    name="quang-ninh-summary-above", province="Quảng Ninh", kind="xlsx",
    data=_xlsx([
        ["DANH SÁCH SẢN PHẨM OCOP TỈNH QUẢNG NINH NĂM 2023"],
        ["Tổng hợp theo địa phương"],
        ["STT", "Địa phương", "Số sản phẩm"],
        [1, "Ba Chẽ", 2],
        [2, "Tiên Yên", 1],
        [None, "Tổng cộng", 3],
        [],
        ["STT", "Tên sản phẩm", "Chủ thể", "Huyện", "Hạng sao", "Năm công nhận"],
        [1, "Ba kích tím Ba Chẽ", "HTX Dược liệu Ba Chẽ", "Ba Chẽ", 4.0, 2023.0],
        [2, "Trà hoa vàng Ba Chẽ", "Công ty TNHH Trà hoa vàng Quảng Ninh", "Ba Chẽ", 3.0, 2022.0],
        [3, "Gà đồi Tiên Yên", "HTX Nông nghiệp Tiên Yên", "Tiên Yên", 3.0, 2023.0],
    ]),
    columns={"ten san pham": "product_name", "chu the": "producer_name", "huyen": "district",
             "hang sao": "stars", "nam cong nhan": "year"},
    products=[
        {"product_name": "Ba kích tím Ba Chẽ", "producer_name": "HTX Dược liệu Ba Chẽ", "stars": 4, "year": 2023,
         "district_placed": True},
        {"product_name": "Trà hoa vàng Ba Chẽ", "producer_name": "Công ty TNHH Trà hoa vàng Quảng Ninh", "stars": 3,
         "year": 2022, "district_placed": True},
        {"product_name": "Gà đồi Tiên Yên", "producer_name": "HTX Nông nghiệp Tiên Yên", "stars": 3, "year": 2023,
         "district_placed": True},
    ],
    not_products=["the summary table (rows 3-6)", "the blank row"],
))

# 2. Excel numbers where text is meant: decision date as a real date and as a bare serial number,
#    phone numbers typed as numbers (leading 0 lost), years as floats, stars as ints.
LAYOUTS.append(Layout(
    name="bac-giang-excel-numbers", province="Bắc Giang", kind="xlsx",
    data=_xlsx([
        ["UBND TỈNH BẮC GIANG"],
        ["DANH SÁCH SẢN PHẨM ĐẠT CHỨNG NHẬN OCOP"],
        ["STT", "Tên sản phẩm", "Tên chủ thể", "Số điện thoại", "Số quyết định", "Ngày quyết định", "Năm", "Số sao"],
        [1, "Vải thiều Lục Ngạn", "HTX Vải thiều Lục Ngạn", 912345678, "1234/QĐ-UBND", datetime(2024, 3, 15), 2024.0, 4],
        [2, "Mỳ Chũ Nam Dương", "Hộ kinh doanh Nguyễn Văn An", 2043852123, "567/QĐ-UBND", 45292, 2024.0, 3],
        [3, "Gạo nếp cái hoa vàng", "HTX Nông sản Yên Dũng", 988776655, 89, datetime(2023, 11, 2), 2023, 3.0],
    ], formats={"F4": "dd/mm/yyyy", "F6": "dd/mm/yyyy"}),
    columns={"ten san pham": "product_name", "ten chu the": "producer_name", "so dien thoai": "phone",
             "so quyet dinh": "decision_number", "ngay quyet dinh": "decision_date", "nam": "year", "so sao": "stars"},
    products=[
        {"product_name": "Vải thiều Lục Ngạn", "producer_name": "HTX Vải thiều Lục Ngạn", "stars": 4, "year": 2024,
         "phone": "0912345678", "decision_number": "1234/QĐ-UBND", "decision_date": date(2024, 3, 15)},
        {"product_name": "Mỳ Chũ Nam Dương", "producer_name": "Hộ kinh doanh Nguyễn Văn An", "stars": 3, "year": 2024,
         "phone": "02043852123", "decision_number": "567/QĐ-UBND", "decision_date": date(2024, 1, 1)},
        {"product_name": "Gạo nếp cái hoa vàng", "producer_name": "HTX Nông sản Yên Dũng", "stars": 3, "year": 2023,
         "phone": "0988776655", "decision_date": date(2023, 11, 2)},
    ],
))

# 3. Two-row header: single headers merged vertically (A1:A2 …) beside two-row parents
#    ("Chủ thể" over "Tên" / "Địa chỉ"; "Quyết định công nhận" over "Số" / "Ngày").
LAYOUTS.append(Layout(
    name="thanh-hoa-vertical-merges", province="Thanh Hóa", kind="xlsx",
    data=_xlsx([
        ["TT", "Tên sản phẩm", "Chủ thể", None, "Quyết định công nhận", None, "Hạng sao", "Ghi chú"],
        [None, None, "Tên", "Địa chỉ", "Số", "Ngày", None, None],
        ["1", "Nem chua Thanh Hóa", "Công ty CP Nem Thanh Hóa", "Phường Đông Hương, TP Thanh Hóa", "2345/QĐ-UBND",
         "12/08/2023", "4", ""],
        ["2", "Chè lam Phủ Quảng", "Cơ sở sản xuất Chè lam Phủ Quảng", "Xã Vĩnh Hùng, huyện Vĩnh Lộc", "2345/QĐ-UBND",
         "12/08/2023", "3", ""],
    ], merges=("A1:A2", "B1:B2", "C1:D1", "E1:F1", "G1:G2", "H1:H2")),
    columns={"ten san pham": "product_name", "chu the / ten": "producer_name", "chu the / dia chi": "address",
             "quyet dinh cong nhan / so": "decision_number", "quyet dinh cong nhan / ngay": "decision_date",
             "hang sao": "stars"},
    products=[
        {"product_name": "Nem chua Thanh Hóa", "producer_name": "Công ty CP Nem Thanh Hóa", "stars": 4,
         "decision_number": "2345/QĐ-UBND", "decision_date": date(2023, 8, 12), "district_placed": True},
        {"product_name": "Chè lam Phủ Quảng", "producer_name": "Cơ sở sản xuất Chè lam Phủ Quảng", "stars": 3,
         "decision_number": "2345/QĐ-UBND", "decision_date": date(2023, 8, 12), "district_placed": True},
    ],
))

# 4. District sections with subtotals in the middle ("Cộng huyện X: 2"), then a grand total.
LAYOUTS.append(Layout(
    name="nghe-an-district-subtotals", province="Nghệ An", kind="xlsx",
    data=_xlsx([
        ["DANH SÁCH SẢN PHẨM OCOP TỈNH NGHỆ AN"],
        ["STT", "Tên sản phẩm", "Chủ thể sản xuất", "Xếp hạng", "Nhóm sản phẩm"],
        ["I", "HUYỆN QUỲNH LƯU"],
        [1, "Nước mắm Quỳnh Dị", "HTX Chế biến hải sản Quỳnh Dị", "3 sao", "Thực phẩm"],
        [2, "Cam Quỳnh Lưu", "HTX Cam Quỳnh Lưu", "3 sao", "Thực phẩm"],
        [None, "Cộng huyện Quỳnh Lưu: 2"],
        ["II", "HUYỆN DIỄN CHÂU"],
        [1, "Rượu Diễn Châu", "Cơ sở rượu Diễn Châu", "4 sao", "Đồ uống"],
        [None, "Cộng huyện Diễn Châu: 1 sản phẩm", None, None, None],
        [None, "Tổng cộng toàn tỉnh", 3],
    ]),
    columns={"ten san pham": "product_name", "chu the san xuat": "producer_name", "xep hang": "stars",
             "nhom san pham": "group"},
    products=[
        {"product_name": "Nước mắm Quỳnh Dị", "producer_name": "HTX Chế biến hải sản Quỳnh Dị", "stars": 3,
         "group": "FOOD", "district_placed": True},
        {"product_name": "Cam Quỳnh Lưu", "producer_name": "HTX Cam Quỳnh Lưu", "stars": 3, "group": "FOOD",
         "district_placed": True},
        {"product_name": "Rượu Diễn Châu", "producer_name": "Cơ sở rượu Diễn Châu", "stars": 4, "group": "BEVERAGE",
         "district_placed": True},
    ],
    not_products=["I HUYỆN QUỲNH LƯU", "Cộng huyện Quỳnh Lưu: 2", "II HUYỆN DIỄN CHÂU", "Cộng huyện Diễn Châu",
                  "Tổng cộng toàn tỉnh"],
))

# 5. HTML: a notes column that carries "Tiềm năng 5 sao" / "Hết hiệu lực"; product names with quotes
#    and line breaks (<br>).
_HTML5 = """<html><body><h3>DANH SÁCH SẢN PHẨM OCOP TỈNH LÂM ĐỒNG</h3>
<table border="1">
<tr><th>STT</th><th>Tên sản phẩm</th><th>Chủ thể</th><th>Hạng sao</th><th>Ghi chú</th></tr>
<tr><td>1</td><td>Cà phê &quot;Cầu Đất&quot;<br>rang xay</td><td>Công ty TNHH Cầu Đất Farm</td><td>4</td><td>Tiềm năng 5 sao</td></tr>
<tr><td>2</td><td>Trà Atiso “Đà Lạt”</td><td>HTX Atiso Lâm Đồng</td><td>3</td><td>Hết hiệu lực</td></tr>
<tr><td>3</td><td>Dâu tây sấy dẻo</td><td>Hộ kinh doanh Trần Thị Mai</td><td>3</td><td></td></tr>
</table></body></html>"""
LAYOUTS.append(Layout(
    name="lam-dong-notes-column", province="Lâm Đồng", kind="html", data=_HTML5.encode("utf-8"),
    columns={"ten san pham": "product_name", "chu the": "producer_name", "hang sao": "stars"},
    products=[
        {"product_name": 'Cà phê "Cầu Đất" rang xay', "producer_name": "Công ty TNHH Cầu Đất Farm", "stars": 4,
         "proposed": True},
        {"product_name": "Trà Atiso “Đà Lạt”", "producer_name": "HTX Atiso Lâm Đồng", "stars": 3},
        {"product_name": "Dâu tây sấy dẻo", "producer_name": "Hộ kinh doanh Trần Thị Mai", "stars": 3},
    ],
))

# 6. CSV (UTF-8): the producer cell holds "Tên chủ thể - Địa chỉ".
LAYOUTS.append(Layout(
    name="hai-duong-producer-address-cell", province="Hải Dương", kind="csv",
    data=_csv([
        ["STT", "Tên sản phẩm", "Tên chủ thể - Địa chỉ", "Hạng sao", "Năm công nhận"],
        ["1", "Bánh đậu xanh Rồng Vàng", "Công ty CP Rồng Vàng - Phường Trần Phú, TP Hải Dương", "4", "2022"],
        ["2", "Vải thiều Thanh Hà", "HTX Nông nghiệp Thanh Hà - Xã Thanh Sơn, huyện Thanh Hà", "3", "2023"],
        ["3", "Gốm Chu Đậu", "Công ty CP Gốm Chu Đậu - Xã Thái Tân, huyện Nam Sách", "4", "2021"],
    ]),
    columns={"ten san pham": "product_name", "hang sao": "stars", "nam cong nhan": "year"},
    products=[
        {"product_name": "Bánh đậu xanh Rồng Vàng", "producer_name": "Công ty CP Rồng Vàng", "stars": 4, "year": 2022,
         "district_placed": True},
        {"product_name": "Vải thiều Thanh Hà", "producer_name": "HTX Nông nghiệp Thanh Hà", "stars": 3, "year": 2023,
         "district_placed": True},
        {"product_name": "Gốm Chu Đậu", "producer_name": "Công ty CP Gốm Chu Đậu", "stars": 4, "year": 2021,
         "district_placed": True},
    ],
))

# 7. A district list: the district is only in the title; the table has a commune column.
LAYOUTS.append(Layout(
    name="ba-che-district-in-title", province="Quảng Ninh", kind="xlsx",
    data=_xlsx([
        ["UBND HUYỆN BA CHẼ"],
        ["DANH SÁCH SẢN PHẨM OCOP HUYỆN BA CHẼ NĂM 2023"],
        [],
        ["STT", "Tên sản phẩm", "Chủ thể", "Xã", "Số sao"],
        [1, "Mật ong rừng Ba Chẽ", "HTX Ong mật Thanh Sơn", "Thanh Sơn", 3],
        [2, "Miến dong Ba Chẽ", "Hộ kinh doanh Lý Văn Sơn", "Nam Sơn", 3],
    ]),
    columns={"ten san pham": "product_name", "chu the": "producer_name", "xa": "commune", "so sao": "stars"},
    products=[
        {"product_name": "Mật ong rừng Ba Chẽ", "producer_name": "HTX Ong mật Thanh Sơn", "stars": 3,
         "district_placed": True},
        {"product_name": "Miến dong Ba Chẽ", "producer_name": "Hộ kinh doanh Lý Văn Sơn", "stars": 3,
         "district_placed": True},
    ],
))

# 8. CSV in TCVN3: "Sản phẩm" / "Chủ thể" without "Tên"; stars as "3 ★", "***", "03 sao", "Ba (3) sao";
#    a year with its re-certification.
LAYOUTS.append(Layout(
    name="yen-bai-tcvn3-star-spellings", province="Yên Bái", kind="csv",
    data=_csv([
        ["STT", "Sản phẩm", "Chủ thể", "Hạng", "Năm công nhận"],
        ["1", "Chè Shan tuyết Suối Giàng", "HTX Chè Suối Giàng", "3 ★", "Năm 2021 (tái cấp 2024)"],
        ["2", "Quế Văn Yên", "Công ty TNHH Quế Văn Yên", "***", "2022"],
        ["3", "Gạo Mường Lò", "HTX Gạo Mường Lò", "03 sao", "2023"],
        ["4", "Táo mèo Mù Cang Chải", "HTX Táo mèo Mù Cang Chải", "Ba (3) sao", "2023"],
        ["5", "Măng tre Bát độ", "HTX Măng tre Yên Bình", "4*", "2023"],
    ], encoding="tcvn3"),
    columns={"san pham": "product_name", "chu the": "producer_name", "hang": "stars", "nam cong nhan": "year"},
    products=[
        {"product_name": "Chè Shan tuyết Suối Giàng", "producer_name": "HTX Chè Suối Giàng", "stars": 3, "year": 2024},
        {"product_name": "Quế Văn Yên", "producer_name": "Công ty TNHH Quế Văn Yên", "stars": 3, "year": 2022},
        {"product_name": "Gạo Mường Lò", "producer_name": "HTX Gạo Mường Lò", "stars": 3, "year": 2023},
        {"product_name": "Táo mèo Mù Cang Chải", "producer_name": "HTX Táo mèo Mù Cang Chải", "stars": 3,
         "year": 2023},
        {"product_name": "Măng tre Bát độ", "producer_name": "HTX Măng tre Yên Bình", "stars": 4, "year": 2023},
    ],
))

# 9. CSV in VNI, semicolons, abbreviated headers ("Tên SP", "Số QĐ", "Ngày QĐ"), a score beside the rank.
LAYOUTS.append(Layout(
    name="dak-lak-vni-abbreviations", province="Đắk Lắk", kind="csv",
    data=_csv([
        ["Mã SP", "Tên SP", "Tên CT", "Loại hình", "Điểm", "Xếp hạng", "Số QĐ", "Ngày QĐ"],
        ["DL01", "Cà phê Buôn Ma Thuột", "Công ty TNHH Cà phê Ban Mê", "Doanh nghiệp", "78", "4 sao", "123/QĐ-UBND",
         "15/03/2024"],
        ["DL02", "Sầu riêng Krông Pắc sấy", "HTX Nông nghiệp Krông Pắc", "HTX", "62", "3 sao", "123/QĐ-UBND",
         "15/03/2024"],
    ], encoding="vni", sep=";"),
    columns={"ma sp": None, "ten sp": "product_name", "ten ct": "producer_name", "loai hinh": "producer_type",
             "diem": "score", "xep hang": "stars", "so qd": "decision_number", "ngay qd": "decision_date"},
    products=[
        {"product_name": "Cà phê Buôn Ma Thuột", "producer_name": "Công ty TNHH Cà phê Ban Mê", "stars": 4, "score": 78,
         "decision_number": "123/QĐ-UBND", "decision_date": date(2024, 3, 15)},
        {"product_name": "Sầu riêng Krông Pắc sấy", "producer_name": "HTX Nông nghiệp Krông Pắc", "stars": 3,
         "score": 62, "decision_number": "123/QĐ-UBND", "decision_date": date(2024, 3, 15)},
    ],
))

# 10. HTML with a rowspan district cell over several products and a rowspan producer over two.
_HTML10 = """<html><body><p>BẢNG TỔNG HỢP SẢN PHẨM OCOP TỈNH SÓC TRĂNG</p>
<table>
<tr><th rowspan="2">STT</th><th rowspan="2">Huyện/Thị xã</th><th colspan="2">Sản phẩm</th><th rowspan="2">Chủ thể</th></tr>
<tr><th>Tên</th><th>Số sao</th></tr>
<tr><td>1</td><td rowspan="3">Mỹ Xuyên</td><td>Bánh pía Mỹ Xuyên</td><td>4</td><td rowspan="2">Công ty TNHH Bánh pía Tân Huê Viên</td></tr>
<tr><td>2</td><td>Lạp xưởng Mỹ Xuyên</td><td>3</td></tr>
<tr><td>3</td><td>Bánh ín Mỹ Xuyên</td><td>3</td><td>Cơ sở Bánh ín Hòa Tú</td></tr>
<tr><td>4</td><td>Kế Sách</td><td>Bưởi năm roi Kế Sách</td><td>3</td><td>HTX Bưởi Kế Sách</td></tr>
</table></body></html>"""
LAYOUTS.append(Layout(
    name="soc-trang-rowspans", province="Sóc Trăng", kind="html", data=_HTML10.encode("utf-8"),
    columns={"huyen": "district", "san pham / ten": "product_name", "san pham / so sao": "stars",
             "chu the": "producer_name"},
    products=[
        {"product_name": "Bánh pía Mỹ Xuyên", "producer_name": "Công ty TNHH Bánh pía Tân Huê Viên", "stars": 4,
         "district_placed": True},
        {"product_name": "Lạp xưởng Mỹ Xuyên", "producer_name": "Công ty TNHH Bánh pía Tân Huê Viên", "stars": 3,
         "district_placed": True},
        {"product_name": "Bánh ín Mỹ Xuyên", "producer_name": "Cơ sở Bánh ín Hòa Tú", "stars": 3,
         "district_placed": True},
        {"product_name": "Bưởi năm roi Kế Sách", "producer_name": "HTX Bưởi Kế Sách", "stars": 3,
         "district_placed": True},
    ],
))

# 11. Stars as one column per rating ("Hạng sao" over "3 sao" / "4 sao" / "5 sao"), marked with "x".
LAYOUTS.append(Layout(
    name="ha-giang-star-columns-marked", province="Hà Giang", kind="xlsx",
    data=_xlsx([
        ["DANH SÁCH SẢN PHẨM OCOP TỈNH HÀ GIANG"],
        ["STT", "Tên sản phẩm", "Chủ thể", "Hạng sao", None, None],
        [None, None, None, "3 sao", "4 sao", "5 sao"],
        [1, "Chè Shan tuyết Hà Giang", "HTX Chè Lũng Phìn", None, "x", None],
        [2, "Mật ong bạc hà", "HTX Ong mật Mèo Vạc", "x", None, None],
        [3, "Thịt bò khô Hà Giang", "Công ty TNHH Đặc sản Hà Giang", None, None, "X"],
    ], merges=("A2:A3", "B2:B3", "C2:C3", "D2:F2")),
    columns={"ten san pham": "product_name", "chu the": "producer_name"},
    products=[
        {"product_name": "Chè Shan tuyết Hà Giang", "producer_name": "HTX Chè Lũng Phìn", "stars": 4},
        {"product_name": "Mật ong bạc hà", "producer_name": "HTX Ong mật Mèo Vạc", "stars": 3},
        {"product_name": "Thịt bò khô Hà Giang", "producer_name": "Công ty TNHH Đặc sản Hà Giang", "stars": 5},
    ],
))

# 12. Header cells with line breaks and parenthesised hints; a group column written as a number
#     ("Nhóm": 1 … 6 by Decision 148's order); decision date written as "Ngày 05 tháng 6 năm 2024".
LAYOUTS.append(Layout(
    name="phu-tho-multiline-headers", province="Phú Thọ", kind="xlsx",
    data=_xlsx([
        ["Số\nTT", "Tên sản phẩm\n(tên thương mại)", "Tên chủ thể\n(HTX, DN, hộ SX)", "Kết quả\nđánh giá\n(số sao)",
         "Quyết định\ncông nhận"],
        [1, "Bưởi Đoan Hùng", "HTX Bưởi Chí Đám", "4 sao",
         "Quyết định số 1456/QĐ-UBND ngày 05 tháng 6 năm 2024"],
        [2, "Chè Long Cốc", "HTX Chè Long Cốc", "3 sao", "Số 20/QĐ-UBND, ngày 10/01/2023"],
    ]),
    columns={"ten san pham": "product_name", "ten chu the": "producer_name", "ket qua": "stars",
             "quyet dinh": "decision_number"},
    products=[
        {"product_name": "Bưởi Đoan Hùng", "producer_name": "HTX Bưởi Chí Đám", "stars": 4,
         "decision_number": "1456/QĐ-UBND", "decision_date": date(2024, 6, 5)},
        {"product_name": "Chè Long Cốc", "producer_name": "HTX Chè Long Cốc", "stars": 3,
         "decision_number": "20/QĐ-UBND", "decision_date": date(2023, 1, 10)},
    ],
))


def _xlsx_sheets(sheets: list[tuple[str, list[list[Any]]]]) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets:
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# 13. A workbook whose first sheet is a summary by district (its own header row) and whose second
#     sheet is the product list.
LAYOUTS.append(Layout(
    name="quang-tri-summary-sheet-first", province="Quảng Trị", kind="xlsx",
    data=_xlsx_sheets([
        ("Tong hop", [
            ["TỔNG HỢP SẢN PHẨM OCOP THEO ĐỊA PHƯƠNG"],
            ["STT", "Huyện, thị xã", "Số sản phẩm 3 sao", "Số sản phẩm 4 sao", "Tổng"],
            [1, "Hướng Hóa", 1, 1, 2],
            [2, "Hải Lăng", 1, 0, 1],
        ]),
        ("Danh sach", [
            ["DANH SÁCH SẢN PHẨM OCOP TỈNH QUẢNG TRỊ"],
            ["STT", "Tên sản phẩm", "Chủ thể", "Huyện", "Hạng sao"],
            [1, "Cà phê Khe Sanh", "HTX Cà phê Khe Sanh", "Hướng Hóa", "4 sao"],
            [2, "Chuối Hướng Hóa", "HTX Nông nghiệp Hướng Phùng", "Hướng Hóa", "3 sao"],
            [3, "Tinh dầu tràm Hải Lăng", "Cơ sở tinh dầu Hải Lăng", "Hải Lăng", "3 sao"],
        ]),
    ]),
    columns={"ten san pham": "product_name", "chu the": "producer_name", "huyen": "district", "hang sao": "stars"},
    products=[
        {"product_name": "Cà phê Khe Sanh", "producer_name": "HTX Cà phê Khe Sanh", "stars": 4, "district_placed": True},
        {"product_name": "Chuối Hướng Hóa", "producer_name": "HTX Nông nghiệp Hướng Phùng", "stars": 3,
         "district_placed": True},
        {"product_name": "Tinh dầu tràm Hải Lăng", "producer_name": "Cơ sở tinh dầu Hải Lăng", "stars": 3,
         "district_placed": True},
    ],
    not_products=["the whole first sheet (a summary, no product names)"],
))


# 14. A summary above the product table whose own header looks like one ("Tên huyện" | "Số sản
#     phẩm" | "Đạt 3 sao" | "Đạt 4 sao"): "Số sản phẩm" counts products, it does not name them.
LAYOUTS.append(Layout(
    name="bac-kan-count-summary-above", province="Bắc Kạn", kind="xlsx",
    data=_xlsx([
        ["KẾT QUẢ ĐÁNH GIÁ, PHÂN HẠNG SẢN PHẨM OCOP NĂM 2024"],
        ["STT", "Tên huyện", "Số sản phẩm", "Đạt 3 sao", "Đạt 4 sao"],
        [1, "Na Rì", 2, 1, 1],
        [2, "Ba Bể", 1, 1, 0],
        [None, "Cộng", 3, 2, 1],
        [],
        ["DANH SÁCH CHI TIẾT"],
        ["STT", "Tên sản phẩm", "Chủ thể", "Huyện", "Hạng sao"],
        [1, "Miến dong Na Rì", "HTX Thành Công", "Na Rì", "3 sao"],
        [2, "Gừng Na Rì", "HTX Nông sản Na Rì", "Na Rì", "4 sao"],
        [3, "Cá nướng Ba Bể", "Hộ kinh doanh Hoàng Văn Hồ", "Ba Bể", "3 sao"],
    ]),
    columns={"ten san pham": "product_name", "chu the": "producer_name", "huyen": "district", "hang sao": "stars"},
    products=[
        {"product_name": "Miến dong Na Rì", "producer_name": "HTX Thành Công", "stars": 3, "district_placed": True},
        {"product_name": "Gừng Na Rì", "producer_name": "HTX Nông sản Na Rì", "stars": 4, "district_placed": True},
        {"product_name": "Cá nướng Ba Bể", "producer_name": "Hộ kinh doanh Hoàng Văn Hồ", "stars": 3,
         "district_placed": True},
    ],
    not_products=["the summary (rows 2-5)", "DANH SÁCH CHI TIẾT"],
))

# 15. Excel cells with line breaks: a product name typed on two lines with quotes, a producer on
#     two lines, stars "4\nsao"; a header "Tên\nsản phẩm" broken mid-phrase.
LAYOUTS.append(Layout(
    name="ha-tinh-line-breaks", province="Hà Tĩnh", kind="xlsx",
    data=_xlsx([
        ["STT", "Tên\nsản phẩm", "Tên\nchủ thể", "Hạng\nsao", "Năm\ncông nhận"],
        [1, "Kẹo cu đơ\n\"Bà Đậu\"", "Cơ sở sản xuất\nKẹo cu đơ Bà Đậu", "4\nsao", 2022],
        [2, "Nước mắm\nCửa Sót", "HTX Chế biến hải sản\nCửa Sót", "3 sao", 2023],
    ]),
    columns={"ten san pham": "product_name", "ten chu the": "producer_name", "hang sao": "stars",
             "nam cong nhan": "year"},
    products=[
        {"product_name": 'Kẹo cu đơ "Bà Đậu"', "producer_name": "Cơ sở sản xuất Kẹo cu đơ Bà Đậu", "stars": 4,
         "year": 2022},
        {"product_name": "Nước mắm Cửa Sót", "producer_name": "HTX Chế biến hải sản Cửa Sót", "stars": 3,
         "year": 2023},
    ],
))
