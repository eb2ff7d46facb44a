"""The layouts of the corpus (see the package docstring). Wording and shapes from public provincial
lists (Quảng Ninh, Lâm Đồng, Bắc Kạn, Hà Tĩnh, Nghệ An, Thái Nguyên, Trà Vinh…); values invented."""
from __future__ import annotations

from tests.registries.corpus import Layout, csv_bytes, html, xlsx

_ = None


def _quang_ninh_two_row() -> Layout:
    """Title block of three merged rows, "Chủ thể sản xuất" and "Chứng nhận OCOP" merged over their
    children, the (1)…(10) row, a producer merged down over two products, totals, signatures."""
    rows = [
        ["UBND TỈNH QUẢNG NINH"],
        ["DANH SÁCH SẢN PHẨM OCOP ĐƯỢC CÔNG NHẬN NĂM 2024"],
        ["(Kèm theo Quyết định số 4321/QĐ-UBND ngày 12/12/2024 của UBND tỉnh Quảng Ninh)"],
        ["STT", "Tên sản phẩm", "Chủ thể sản xuất", _, _, "Chứng nhận OCOP", _, _, "Nhóm sản phẩm", "Ghi chú"],
        [_, _, "Tên", "Địa chỉ", "Loại hình", "Số QĐ", "Ngày cấp", "Hạng", _, _],
        [f"({i})" for i in range(1, 11)],
        [1, "Chả mực Hạ Long", "HTX Thủy sản Hùng Thắng", "phường Hùng Thắng, TP Hạ Long", "HTX",
         "4321/QĐ-UBND", "12/12/2024", "4 sao", "Thực phẩm", _],
        [2, "Mực khô Hạ Long", _, _, _, "4321/QĐ-UBND", "12/12/2024", "3 sao", "Thực phẩm", "mới"],
        [3, "Rượu ba kích Ba Chẽ", "Công ty TNHH Ba Kích Xanh", "thị trấn Ba Chẽ", "Doanh nghiệp",
         "4321/QĐ-UBND", "12/12/2024", "3 sao", "Đồ uống", _],
        [4, "Trà hoa vàng Ba Chẽ", "Hộ kinh doanh Lý Thị Vàng", "xã Thanh Sơn", "Hộ kinh doanh",
         "4321/QĐ-UBND", "12/12/2024", "4 sao", "Thực phẩm", _],
        ["Tổng cộng: 4 sản phẩm"],
        [],
        [_, "Người lập biểu", _, _, _, _, _, "KT. GIÁM ĐỐC"],
        [_, _, _, _, _, _, _, "PHÓ GIÁM ĐỐC"],
        [_, "Nguyễn Văn An", _, _, _, _, _, "Trần Thị Bình"],
    ]
    merges = ["A1:J1", "A2:J2", "A3:J3", "A4:A5", "B4:B5", "C4:E4", "F4:H4", "I4:I5", "J4:J5",
              "C7:C8", "D7:D8", "E7:E8", "A11:C11"]
    return Layout(
        "quang-ninh-two-row", "xlsx", xlsx(rows, merges),
        columns={"Tên sản phẩm": "product_name", "Chủ thể sản xuất / Tên": "producer_name",
                 "Chủ thể sản xuất / Địa chỉ": "address", "Chủ thể sản xuất / Loại hình": "producer_type",
                 "Chứng nhận OCOP / Số QĐ": "decision_number", "Chứng nhận OCOP / Ngày cấp": "decision_date",
                 "Chứng nhận OCOP / Hạng": "stars", "Nhóm sản phẩm": "group", "Ghi chú": None},
        products=[
            {"product_name": "Chả mực Hạ Long", "producer_name": "HTX Thủy sản Hùng Thắng", "stars": "4 sao",
             "address": "phường Hùng Thắng, TP Hạ Long", "decision_date": "12/12/2024"},
            {"product_name": "Mực khô Hạ Long", "producer_name": "HTX Thủy sản Hùng Thắng", "stars": "3 sao",
             "producer_type": "HTX"},
            {"product_name": "Rượu ba kích Ba Chẽ", "group": "Đồ uống", "decision_number": "4321/QĐ-UBND"},
            {"product_name": "Trà hoa vàng Ba Chẽ", "producer_type": "Hộ kinh doanh", "stars": "4 sao"},
        ],
        skipped={"totals": 1, "footer": 3}, header_rows=[4, 5],
    )


def _lam_dong_star_sections() -> Layout:
    """No stars column: "I. SẢN PHẨM ĐẠT 4 SAO (2 sản phẩm)" sections merged across; the second
    section states 3 products and has 2; a date line and signatures below the totals."""
    rows = [
        ["SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG TỈNH LÂM ĐỒNG"],
        ["DANH SÁCH SẢN PHẨM OCOP NĂM 2025"],
        [],
        ["STT", "Tên sản phẩm", "Tên chủ thể", "Địa chỉ", "Nhóm sản phẩm", "Năm công nhận", "Ghi chú"],
        ["I. SẢN PHẨM ĐẠT 4 SAO (2 sản phẩm)"],
        [1, "Cà phê Arabica Cầu Đất", "HTX Cà phê Cầu Đất", "xã Xuân Trường", "Thực phẩm", 2025, _],
        [2, "Trà Atiso Đà Lạt", "Công ty CP Atiso Lâm Viên", "phường Lâm Viên", "Dược liệu", 2025, _],
        ["II. Sản phẩm 3 sao (3 sản phẩm)"],
        [3, "Mứt dâu tây Đà Lạt", "Hộ kinh doanh Lê Thị Dâu", "phường Xuân Hương", "Thực phẩm", 2025, _],
        [4, "Rượu cần Lạch Dương", "Tổ hợp tác Lạch Dương", "xã Lạc Dương", "Đồ uống", 2025, "tái đánh giá"],
        ["Tổng cộng", _, 4],
        [_, _, _, _, "Lâm Đồng, ngày 20 tháng 11 năm 2025"],
        [_, "Người lập bảng", _, _, "TM. ỦY BAN NHÂN DÂN"],
        [_, _, _, _, "(Ký, ghi rõ họ tên)"],
    ]
    merges = ["A1:G1", "A2:G2", "A5:G5", "A8:G8", "A11:B11"]
    return Layout(
        "lam-dong-star-sections", "xlsx", xlsx(rows, merges),
        columns={"Tên sản phẩm": "product_name", "Tên chủ thể": "producer_name", "Địa chỉ": "address",
                 "Nhóm sản phẩm": "group", "Năm công nhận": "year", "Ghi chú": None},
        products=[
            {"product_name": "Cà phê Arabica Cầu Đất", "stars": "4 sao", "year": "2025"},
            {"product_name": "Trà Atiso Đà Lạt", "stars": "4 sao", "group": "Dược liệu"},
            {"product_name": "Mứt dâu tây Đà Lạt", "stars": "3 sao"},
            {"product_name": "Rượu cần Lạch Dương", "stars": "3 sao", "producer_name": "Tổ hợp tác Lạch Dương"},
        ],
        skipped={"section": 2, "totals": 1, "footer": 3}, mismatches=1, header_rows=[4],
    )


def _bac_kan_district_sections() -> Layout:
    """CSV typed by a district office: "TT" for the running number, "Tên HTX/DN/Hộ SXKD", district
    sections in the product column ("Huyện Bạch Thông:", "HUYỆN NA RÌ"), no district column."""
    text = (
        "UBND TỈNH BẮC KẠN,,,,,,\r\n"
        "DANH SÁCH SẢN PHẨM OCOP NĂM 2019,,,,,,\r\n"
        ",,,,,,\r\n"
        "TT,Tên SP,Tên HTX/DN/Hộ SXKD,Xã,Hạng sao,Năm công nhận,Ghi chú\r\n"
        ",Huyện Bạch Thông:,,,,,\r\n"
        "1,Miến dong Cao Sơn,HTX Nông nghiệp Cao Sơn,xã Cao Sơn,3 sao,2019,\r\n"
        "2,Gạo nếp vải Quang Thuận,HTX Quang Thuận,xã Quang Thuận,3 sao,2019,\r\n"
        ",HUYỆN NA RÌ,,,,,\r\n"
        "3,Miến dong Côn Minh,HTX Miến dong Côn Minh,xã Côn Minh,4 sao,2019,\r\n"
        "4,Mật ong bạc hà Na Rì,Hộ kinh doanh Hoàng Văn Ong,xã Kim Hỷ,3 sao,2019,mới\r\n"
        "Tổng: 4 sản phẩm,,,,,,\r\n"
        ',,,,"Bắc Kạn, ngày 5 tháng 12 năm 2019",,\r\n'
        ",Thủ trưởng đơn vị,,,,,\r\n"
        ',"(Ký, ghi rõ họ tên)",,,,,\r\n'
    )
    return Layout(
        "bac-kan-district-sections", "csv", csv_bytes(text),
        columns={"Tên SP": "product_name", "Tên HTX/DN/Hộ SXKD": "producer_name", "Xã": "commune",
                 "Hạng sao": "stars", "Năm công nhận": "year", "Ghi chú": None},
        products=[
            {"product_name": "Miến dong Cao Sơn", "district": "Huyện Bạch Thông", "commune": "xã Cao Sơn"},
            {"product_name": "Gạo nếp vải Quang Thuận", "district": "Huyện Bạch Thông"},
            {"product_name": "Miến dong Côn Minh", "district": "HUYỆN NA RÌ", "stars": "4 sao"},
            {"product_name": "Mật ong bạc hà Na Rì", "district": "HUYỆN NA RÌ",
             "producer_name": "Hộ kinh doanh Hoàng Văn Ong"},
        ],
        skipped={"section": 2, "totals": 1, "footer": 3}, header_rows=[4],
    )


def _ha_tinh_group_sections() -> Layout:
    """HTML: a title row, "Địa chỉ" spanning "Huyện" | "Xã", group sections "A. NHÓM THỰC PHẨM"
    (no group column), the number and date of the decision in one cell, "Cộng" at the end."""
    table = """<table border="1">
<tr><td colspan="8"><b>DANH SÁCH SẢN PHẨM OCOP TỈNH HÀ TĨNH NĂM 2024</b></td></tr>
<tr><th rowspan="2">STT</th><th rowspan="2">Tên sản phẩm</th><th rowspan="2">Chủ thể</th><th colspan="2">Địa chỉ</th>
<th rowspan="2">Hạng sao</th><th rowspan="2">Số, ngày quyết định</th><th rowspan="2">Ghi chú</th></tr>
<tr><th>Huyện</th><th>Xã</th></tr>
<tr><td colspan="8"><b>A. NHÓM THỰC PHẨM</b></td></tr>
<tr><td>1</td><td>Kẹo cu đơ Hà Tĩnh</td><td>Cơ sở Kẹo cu đơ Thành Sen</td><td>thành phố Hà Tĩnh</td><td>phường Thạch Quý</td><td>3 sao</td><td>858/QĐ-UBND ngày 19/6/2024</td><td></td></tr>
<tr><td>2</td><td>Cam bù Hương Sơn</td><td>HTX Cam bù Sơn Trường</td><td>huyện Hương Sơn</td><td>xã Sơn Trường</td><td>4 sao</td><td>858/QĐ-UBND ngày 19/6/2024</td><td></td></tr>
<tr><td colspan="8"><b>B. NHÓM ĐỒ UỐNG</b></td></tr>
<tr><td>3</td><td>Rượu Cu Ba</td><td>Công ty TNHH Rượu Cu Ba</td><td>huyện Cẩm Xuyên</td><td>xã Cẩm Quan</td><td>3 sao</td><td>1021/QĐ-UBND ngày 2/8/2024</td><td>bổ sung</td></tr>
<tr><td colspan="2">Cộng</td><td colspan="6">3 sản phẩm</td></tr>
</table>"""
    return Layout(
        "ha-tinh-group-sections", "html", html(table),
        columns={"Tên sản phẩm": "product_name", "Chủ thể": "producer_name", "Địa chỉ / Huyện": "district",
                 "Địa chỉ / Xã": "commune", "Hạng sao": "stars", "Số, ngày quyết định": "decision_number",
                 "Ghi chú": None},
        products=[
            {"product_name": "Kẹo cu đơ Hà Tĩnh", "group": "NHÓM THỰC PHẨM", "decision_number": "858/QĐ-UBND ngày 19/6/2024"},
            {"product_name": "Cam bù Hương Sơn", "group": "NHÓM THỰC PHẨM", "district": "huyện Hương Sơn"},
            {"product_name": "Rượu Cu Ba", "group": "NHÓM ĐỒ UỐNG", "commune": "xã Cẩm Quan"},
        ],
        skipped={"section": 2, "totals": 1}, header_rows=[2, 3],
    )


def _nghe_an_three_rows() -> Layout:
    """Three header rows: "Thông tin chủ thể" › "Địa chỉ" › "Huyện" | "Xã"; "Kết quả đánh giá" ›
    "Điểm" | "Hạng sao"."""
    rows = [
        ["DANH MỤC SẢN PHẨM OCOP TỈNH NGHỆ AN NĂM 2023"],
        ["STT", "Tên sản phẩm", "Thông tin chủ thể", _, _, _, "Kết quả đánh giá", _, "Năm công nhận", "Ghi chú"],
        [_, _, "Tên", "Địa chỉ", _, "Loại hình", "Điểm", "Hạng sao", _, _],
        [_, _, _, "Huyện", "Xã", _, _, _, _, _],
        [1, "Nhút Thanh Chương", "HTX Nhút Thanh Chương", "huyện Thanh Chương", "xã Thanh Đồng", "HTX", 72, "4 sao", 2023, _],
        [2, "Tương Nam Đàn", "Hộ kinh doanh Nguyễn Thị Tương", "huyện Nam Đàn", "xã Nam Anh", "Hộ kinh doanh", 61, "3 sao", 2023, _],
        [3, "Cam Vinh", "Công ty CP Cam Vinh", "huyện Nghi Lộc", "xã Nghi Diên", "Doanh nghiệp", 80, "4 sao", 2023, "tiềm năng 5 sao"],
    ]
    merges = ["A1:J1", "A2:A4", "B2:B4", "C2:F2", "G2:H2", "I2:I4", "J2:J4", "C3:C4", "D3:E3", "F3:F4", "G3:G4", "H3:H4"]
    return Layout(
        "nghe-an-three-rows", "xlsx", xlsx(rows, merges),
        columns={"Tên sản phẩm": "product_name", "Thông tin chủ thể / Tên": "producer_name",
                 "Thông tin chủ thể / Địa chỉ / Huyện": "district", "Thông tin chủ thể / Địa chỉ / Xã": "commune",
                 "Thông tin chủ thể / Loại hình": "producer_type", "Kết quả đánh giá / Điểm": "score",
                 "Kết quả đánh giá / Hạng sao": "stars", "Năm công nhận": "year", "Ghi chú": None},
        products=[
            {"product_name": "Nhút Thanh Chương", "district": "huyện Thanh Chương", "commune": "xã Thanh Đồng",
             "score": "72", "stars": "4 sao", "producer_type": "HTX"},
            {"product_name": "Tương Nam Đàn", "producer_name": "Hộ kinh doanh Nguyễn Thị Tương", "score": "61"},
            {"product_name": "Cam Vinh", "year": "2023", "stars": "4 sao"},
        ],
        header_rows=[2, 3, 4],
    )


def _csv_parents_then_blanks() -> Layout:
    """A CSV export of a two-row header: each parent typed once, the cells after it left empty."""
    text = (
        "STT,Tên sản phẩm,Chủ thể,,Địa chỉ,,Hạng sao,Quyết định công nhận,\n"
        ",,Tên,Loại hình,Huyện,Xã,,Số,Ngày\n"
        "1,Bánh tét lá cẩm,Hộ kinh doanh Thạch Thị Dừa,Hộ kinh doanh,huyện Cầu Kè,xã Hòa Ân,3 sao,1833/QĐ-UBND,05/08/2020\n"
        "2,Kẹo dừa Cầu Kè,HTX Dừa Cầu Kè,HTX,huyện Cầu Kè,xã Hòa Tân,4 sao,1833/QĐ-UBND,05/08/2020\n"
        "3,Mắm ba khía,HTX Nông nghiệp Đại Phước,HTX,huyện Càng Long,xã Đại Phước,3 sao,2210/QĐ-UBND,12/10/2021\n"
    )
    return Layout(
        "tra-vinh-csv-parents", "csv", csv_bytes(text),
        columns={"Tên sản phẩm": "product_name", "Chủ thể / Tên": "producer_name", "Chủ thể / Loại hình": "producer_type",
                 "Địa chỉ / Huyện": "district", "Địa chỉ / Xã": "commune", "Hạng sao": "stars",
                 "Quyết định công nhận / Số": "decision_number", "Quyết định công nhận / Ngày": "decision_date"},
        products=[
            {"product_name": "Bánh tét lá cẩm", "producer_name": "Hộ kinh doanh Thạch Thị Dừa",
             "producer_type": "Hộ kinh doanh", "district": "huyện Cầu Kè", "decision_date": "05/08/2020"},
            {"product_name": "Kẹo dừa Cầu Kè", "commune": "xã Hòa Tân", "decision_number": "1833/QĐ-UBND"},
            {"product_name": "Mắm ba khía", "stars": "3 sao", "decision_date": "12/10/2021"},
        ],
        header_rows=[1, 2],
    )


def _abbreviations() -> Layout:
    """Semicolon CSV with the abbreviations of a hand-typed list: SP, CS, ĐC, SĐT, QĐ, MST."""
    text = (
        "STT;Tên SP;Tên CS;ĐC;SĐT;Nhóm SP;Hạng;Số QĐ;Ngày QĐ;MST;Ghi chú\n"
        "1;Chè búp Tân Cương;HTX Chè Tân Cương;xã Tân Cương;0912345678;Thực phẩm;4 sao;1520/QĐ-UBND;15/08/2022;4600123456;\n"
        "2;Chè móc câu La Bằng;Cơ sở chè Hảo Đạt;xã La Bằng;0987654321;Thực phẩm;3 sao;1520/QĐ-UBND;15/08/2022;;\n"
        "3;Rượu men lá Phú Lương;Hộ kinh doanh Ma Văn Rượu;xã Yên Ninh;;Đồ uống;3 sao;1520/QĐ-UBND;15/08/2022;;mới\n"
        "Cộng;3 SP;;;;;;;;;\n"
        "Nơi nhận:;;;;;;;;;;\n"
        "- Sở NN&PTNT;;;;;;;;;;\n"
        "- Lưu VT;;;;;;;;;;\n"
    )
    return Layout(
        "thai-nguyen-abbreviations", "csv", csv_bytes(text),
        columns={"Tên SP": "product_name", "Tên CS": "producer_name", "ĐC": "address", "SĐT": "phone",
                 "Nhóm SP": "group", "Hạng": "stars", "Số QĐ": "decision_number", "Ngày QĐ": "decision_date",
                 "MST": "tax_code", "Ghi chú": None},
        products=[
            {"product_name": "Chè búp Tân Cương", "producer_name": "HTX Chè Tân Cương", "phone": "0912345678",
             "tax_code": "4600123456", "address": "xã Tân Cương"},
            {"product_name": "Chè móc câu La Bằng", "producer_name": "Cơ sở chè Hảo Đạt", "stars": "3 sao"},
            {"product_name": "Rượu men lá Phú Lương", "group": "Đồ uống", "decision_date": "15/08/2022"},
        ],
        skipped={"totals": 1, "footer": 3}, header_rows=[1],
    )


def _pasted_pages() -> Layout:
    """Two printed pages pasted one after the other: the title, the header and the (1)…(6) row
    again; a blank spacer column between the name and the producer."""
    header = ["STT", "Tên sản phẩm", _, "Chủ thể", "Hạng sao", "Năm", "Ghi chú"]
    numbers = ["(1)", "(2)", _, "(3)", "(4)", "(5)", "(6)"]
    rows = [
        ["DANH SÁCH SẢN PHẨM OCOP TỈNH HẢI DƯƠNG"],
        header, numbers,
        [1, "Bánh gai Ninh Giang", _, "Công ty TNHH Bánh gai Tứ Kỳ", "4 sao", 2021, _],
        [2, "Vải thiều Thanh Hà", _, "HTX Vải thiều Thanh Hà", "4 sao", 2021, _],
        [],
        ["DANH SÁCH SẢN PHẨM OCOP TỈNH HẢI DƯƠNG (tiếp theo)"],
        header, numbers,
        [3, "Bánh đậu xanh Rồng Vàng", _, "Công ty CP Rồng Vàng", "3 sao", 2022, _],
        [4, "Gốm Chu Đậu", _, "Công ty CP Gốm Chu Đậu", "5 sao", 2022, "Trung ương công nhận"],
    ]
    return Layout(
        "hai-duong-pasted-pages", "xlsx", xlsx(rows, ["A1:G1", "A7:G7"]),
        columns={"Tên sản phẩm": "product_name", "Chủ thể": "producer_name", "Hạng sao": "stars", "Năm": "year",
                 "Ghi chú": None},
        products=[
            {"product_name": "Bánh gai Ninh Giang", "stars": "4 sao"},
            {"product_name": "Vải thiều Thanh Hà", "year": "2021"},
            {"product_name": "Bánh đậu xanh Rồng Vàng", "producer_name": "Công ty CP Rồng Vàng"},
            {"product_name": "Gốm Chu Đậu", "stars": "5 sao", "year": "2022"},
        ],
        skipped={"section": 1}, header_rows=[2],
    )


def _post_reform_wording() -> Layout:
    """After July 2025: communes and special zones, no district; "Sản phẩm OCOP", "Kết quả phân
    hạng", "Ngày, tháng, năm công nhận", "Cơ quan ban hành"; a signature block."""
    text = (
        '"DANH SÁCH SẢN PHẨM OCOP ĐƯỢC CÔNG NHẬN (Kèm theo Quyết định số 2001/QĐ-UBND ngày 20/10/2025)",,,,,,,,\n'
        'STT,Sản phẩm OCOP,Tên chủ thể OCOP,Xã/phường/đặc khu,Tỉnh,Kết quả phân hạng,"Ngày, tháng, năm công nhận",'
        'Cơ quan ban hành,Ghi chú\n'
        "1,Nước mắm Cát Hải,HTX Nước mắm Cát Hải,đặc khu Cát Hải,Hải Phòng,4 sao,20/10/2025,UBND thành phố Hải Phòng,\n"
        "2,Bánh đa Kinh Môn,Hộ kinh doanh Phạm Văn Đa,phường Kinh Môn,Hải Phòng,3 sao,20/10/2025,UBND thành phố Hải Phòng,\n"
        ',,,,,,"Hải Phòng, ngày 21 tháng 10 năm 2025",,\n'
        ",,,,,,KT. CHỦ TỊCH,,\n"
        ",,,,,,PHÓ CHỦ TỊCH,,\n"
        ",,,,,,Lê Văn Ký,,\n"
    )
    return Layout(
        "hai-phong-post-reform", "csv", csv_bytes(text),
        columns={"Sản phẩm OCOP": "product_name", "Tên chủ thể OCOP": "producer_name",
                 "Xã/phường/đặc khu": "commune", "Tỉnh": "province", "Kết quả phân hạng": "stars",
                 "Ngày, tháng, năm công nhận": "decision_date", "Cơ quan ban hành": "issuing_body", "Ghi chú": None},
        products=[
            {"product_name": "Nước mắm Cát Hải", "commune": "đặc khu Cát Hải", "province": "Hải Phòng",
             "issuing_body": "UBND thành phố Hải Phòng"},
            {"product_name": "Bánh đa Kinh Môn", "stars": "3 sao", "decision_date": "20/10/2025"},
        ],
        skipped={"footer": 4}, header_rows=[2],
    )


def _nested_sections() -> Layout:
    """HTML: stars sections with their roman number in the STT column, district sub-sections
    numbered "1.", "2." under each; neither stars nor district has a column."""
    def section(number: str, title: str) -> str:
        return f'<tr><td>{number}</td><td colspan="5"><b>{title}</b></td></tr>'

    def product(n: int, name: str, producer: str, commune: str, group: str) -> str:
        return f"<tr><td>{n}</td><td>{name}</td><td>{producer}</td><td>{commune}</td><td>{group}</td><td></td></tr>"

    table = ("<table border=1><tr><th>STT</th><th>Tên sản phẩm</th><th>Chủ thể</th><th>Xã</th>"
             "<th>Nhóm</th><th>Ghi chú</th></tr>"
             + section("I", "SẢN PHẨM 4 SAO") + section("", "1. Huyện Đức Trọng")
             + product(1, "Rau Đức Trọng", "HTX Rau Hiệp Thạnh", "xã Hiệp Thạnh", "Thực phẩm")
             + section("", "2. Huyện Lâm Hà")
             + product(2, "Cà phê Lâm Hà", "HTX Cà phê Nam Hà", "xã Nam Hà", "Thực phẩm")
             + section("II", "SẢN PHẨM 3 SAO") + section("", "1. Huyện Đức Trọng")
             + product(3, "Hoa cẩm tú cầu", "Hộ kinh doanh Trần Hoa", "xã Tà Năng", "Sinh vật cảnh")
             + product(4, "Dâu tây Hiệp An", "HTX Dâu Hiệp An", "xã Hiệp An", "Thực phẩm")
             + "</table>")
    return Layout(
        "lam-dong-nested-sections", "html", html(table),
        columns={"Tên sản phẩm": "product_name", "Chủ thể": "producer_name", "Xã": "commune", "Nhóm": "group",
                 "Ghi chú": None},
        products=[
            {"product_name": "Rau Đức Trọng", "stars": "4 sao", "district": "Huyện Đức Trọng"},
            {"product_name": "Cà phê Lâm Hà", "stars": "4 sao", "district": "Huyện Lâm Hà"},
            {"product_name": "Hoa cẩm tú cầu", "stars": "3 sao", "district": "Huyện Đức Trọng"},
            {"product_name": "Dâu tây Hiệp An", "stars": "3 sao", "district": "Huyện Đức Trọng"},
        ],
        skipped={"section": 5}, header_rows=[1],
    )


def _no_group_column() -> Layout:
    """"Sản phẩm" and "Chủ thể" merged over their details, no group column, no decision column: the
    title's decision ("Kèm theo Quyết định số …") is every row's."""
    rows = [
        ["UBND TỈNH THÁI NGUYÊN"],
        ["DANH SÁCH SẢN PHẨM OCOP"],
        ["(Kèm theo Quyết định số 858/QĐ-UBND ngày 19/6/2025 của UBND tỉnh)"],
        ["STT", "Sản phẩm", _, "Chủ thể", _, _, "Năm công nhận"],
        [_, "Tên", "Hạng sao", "Tên", "Số điện thoại", "Người đại diện", _],
        [1, "Miến dong Na Rì", "3 sao", "HTX Miến dong Côn Minh", "0209 3871 234", "Hoàng Văn Minh", 2025],
        [2, "Gạo Bao Thai Định Hóa", "4 sao", "HTX Nông nghiệp Định Hóa", "0208 3878 111", "Ma Thị Thai", 2025],
    ]
    merges = ["A1:G1", "A2:G2", "A3:G3", "A4:A5", "B4:C4", "D4:F4", "G4:G5"]
    return Layout(
        "thai-nguyen-no-group", "xlsx", xlsx(rows, merges),
        columns={"Sản phẩm / Tên": "product_name", "Sản phẩm / Hạng sao": "stars", "Chủ thể / Tên": "producer_name",
                 "Chủ thể / Số điện thoại": "phone", "Chủ thể / Người đại diện": "contact_person",
                 "Năm công nhận": "year"},
        products=[
            {"product_name": "Miến dong Na Rì", "stars": "3 sao", "producer_name": "HTX Miến dong Côn Minh",
             "contact_person": "Hoàng Văn Minh",
             "decision_number": "Quyết định số 858/QĐ-UBND ngày 19/6/2025 của UBND tỉnh"},  # the title's
            {"product_name": "Gạo Bao Thai Định Hóa", "phone": "0208 3878 111", "year": "2025"},
        ],
        header_rows=[4, 5],
    )


def _wording_variants() -> Layout:
    """Headers worded as some provinces word them: "Tên sản phẩm, dịch vụ", "Chủ thể kinh doanh",
    "Phân loại", "Nơi sản xuất", "Số sao đạt", "Điểm đánh giá", "QĐ công nhận số",
    "Thời gian công nhận", "Năm đạt"; no STT column."""
    text = (
        '"Tên sản phẩm, dịch vụ",Chủ thể kinh doanh,Phân loại,Nơi sản xuất,Số sao đạt,Điểm đánh giá,'
        "QĐ công nhận số,Thời gian công nhận,Năm đạt\n"
        "Du lịch cộng đồng Bản Lác,HTX Du lịch Bản Lác,HTX,xã Chiềng Châu,4 sao,75,1200/QĐ-UBND,06/2023,2023\n"
        "Cá suối nướng Mai Châu,Hộ kinh doanh Hà Văn Cá,Hộ kinh doanh,xã Mai Hạ,3 sao,58,1200/QĐ-UBND,06/2023,2023\n"
        "Tổng số sản phẩm,2,,,,,,,\n"
    )
    return Layout(
        "hoa-binh-wording", "csv", csv_bytes(text),
        columns={"Tên sản phẩm, dịch vụ": "product_name", "Chủ thể kinh doanh": "producer_name",
                 "Phân loại": "producer_type", "Nơi sản xuất": "address", "Số sao đạt": "stars",
                 "Điểm đánh giá": "score", "QĐ công nhận số": "decision_number",
                 "Thời gian công nhận": "decision_date", "Năm đạt": "year"},
        products=[
            {"product_name": "Du lịch cộng đồng Bản Lác", "producer_type": "HTX", "score": "75", "year": "2023"},
            {"product_name": "Cá suối nướng Mai Châu", "address": "xã Mai Hạ", "decision_number": "1200/QĐ-UBND"},
        ],
        skipped={"totals": 1}, header_rows=[1],
    )


def _own_stars_win() -> Layout:
    """A stars column AND stars sections: a row's own rating stands, the section fills only the
    empty cells (the clerk left "4 sao" out under "I. SẢN PHẨM 4 SAO")."""
    rows = [
        ["STT", "Tên SP", "Chủ thể", "Hạng sao", "Nhóm"],
        ["I. SẢN PHẨM 4 SAO"],
        [1, "Ngọc trai Hạ Long", "Công ty CP Ngọc trai Hạ Long", _, "Thủ công mỹ nghệ"],
        [2, "Ngọc trai Akoya", "Công ty CP Ngọc trai Hạ Long", "5 sao", "Thủ công mỹ nghệ"],
        ["II. SẢN PHẨM 3 SAO"],
        [3, "Dầu lạc Hải Yến", "HTX Nông nghiệp Hải Yến", _, "Thực phẩm"],
    ]
    return Layout(
        "own-stars-win", "xlsx", xlsx(rows, ["A2:E2", "A5:E5"]),
        columns={"Tên SP": "product_name", "Chủ thể": "producer_name", "Hạng sao": "stars", "Nhóm": "group"},
        products=[
            {"product_name": "Ngọc trai Hạ Long", "stars": "4 sao"},
            {"product_name": "Ngọc trai Akoya", "stars": "5 sao"},
            {"product_name": "Dầu lạc Hải Yến", "stars": "3 sao"},
        ],
        skipped={"section": 2}, header_rows=[1],
    )


def _commune_sections_named_headers() -> Layout:
    """HTML with the exact wording the team met in the wild: "Tên cơ sở", "Hạng sao đạt được",
    "Nhóm sản phẩm OCOP", "Năm được công nhận", "Cơ quan ban hành"; commune sections typed in the
    STT column ("Xã Tân Hà"), one stating a count that matches."""
    table = """<table>
<tr><td colspan="7">UBND HUYỆN LÂM HÀ</td></tr>
<tr><td colspan="7">DANH SÁCH SẢN PHẨM OCOP CẤP HUYỆN</td></tr>
<tr><td>STT</td><td>Tên sản phẩm</td><td>Tên cơ sở</td><td>Hạng sao đạt được</td><td>Nhóm sản phẩm OCOP</td>
<td>Năm được công nhận</td><td>Cơ quan ban hành</td></tr>
<tr><td colspan="7">Xã Tân Hà (2 sản phẩm)</td></tr>
<tr><td>1</td><td>Sầu riêng Tân Hà</td><td>HTX Sầu riêng Tân Hà</td><td>3 sao</td><td>Thực phẩm</td><td>2023</td><td>UBND huyện Lâm Hà</td></tr>
<tr><td>2</td><td>Cà phê chồn Tân Hà</td><td>Cơ sở Cà phê Hương Rừng</td><td>3 sao</td><td>Thực phẩm</td><td>2023</td><td>UBND huyện Lâm Hà</td></tr>
<tr><td colspan="7">Xã Đan Phượng</td></tr>
<tr><td>3</td><td>Mật ong Đan Phượng</td><td>Hộ kinh doanh Vũ Văn Ong</td><td>4 sao</td><td>Thực phẩm</td><td>2024</td><td>UBND tỉnh Lâm Đồng</td></tr>
</table>"""
    return Layout(
        "lam-ha-commune-sections", "html", html(table),
        columns={"Tên sản phẩm": "product_name", "Tên cơ sở": "producer_name", "Hạng sao đạt được": "stars",
                 "Nhóm sản phẩm OCOP": "group", "Năm được công nhận": "year", "Cơ quan ban hành": "issuing_body"},
        products=[
            {"product_name": "Sầu riêng Tân Hà", "commune": "Xã Tân Hà", "issuing_body": "UBND huyện Lâm Hà"},
            {"product_name": "Cà phê chồn Tân Hà", "commune": "Xã Tân Hà", "producer_name": "Cơ sở Cà phê Hương Rừng"},
            {"product_name": "Mật ong Đan Phượng", "commune": "Xã Đan Phượng", "stars": "4 sao", "year": "2024"},
        ],
        skipped={"section": 2}, header_rows=[3],
    )


LAYOUTS: list[Layout] = [
    _quang_ninh_two_row(), _lam_dong_star_sections(), _bac_kan_district_sections(), _ha_tinh_group_sections(),
    _nghe_an_three_rows(), _csv_parents_then_blanks(), _abbreviations(), _pasted_pages(), _post_reform_wording(),
    _nested_sections(), _no_group_column(), _wording_variants(), _own_stars_win(), _commune_sections_named_headers(),
]
