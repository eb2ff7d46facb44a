"""``/mau-danh-sach.xlsx``: a list template a province can fill in and send as it is.

Sheet "Danh sách": the hub's columns in Vietnamese (each header read back as its field by the
registry readers), star levels, product groups and producer types as cell drop-down lists, whose
choices live on a hidden sheet "Danh mục" (a group's name has commas, which an inline list cannot
hold). Sheet "Hướng dẫn":
each column, whether it is required, how to write it and one example row, laid out down the
sheet so that the reader skips it as instructions (it has no header row) and the example is
never sent as a product.
"""
from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from hub.normalize.groups import GROUP_CODES, group_name
from hub.submit.fields import FIELD_LABELS

LIST_SHEET = "Danh sách"
HELP_SHEET = "Hướng dẫn"
CHOICES_SHEET = "Danh mục"
ROWS = 1000  # rows the drop-down lists cover
STAR_CHOICES = ("3 sao", "4 sao", "5 sao")
PRODUCER_TYPES = ("Hợp tác xã", "Tổ hợp tác", "Doanh nghiệp", "Hộ kinh doanh")

# (field, required, how to write it, example): the template's columns, in order
COLUMNS: tuple[tuple[str, bool, str, str], ...] = (
    ("product_name", True, "Tên sản phẩm như trên quyết định công nhận.", "Mật ong bạc hà"),
    ("producer_name", False, "Tên hợp tác xã, doanh nghiệp, tổ hợp tác hoặc hộ sản xuất.", "HTX Mật ong Mèo Vạc"),
    ("producer_type", False, "Chọn trong danh sách: " + ", ".join(PRODUCER_TYPES) + ".", "Hợp tác xã"),
    ("stars", True, "Chọn trong danh sách: 3 sao, 4 sao hoặc 5 sao.", "4 sao"),
    ("score", False, "Điểm đánh giá trên thang 100 (nếu có); phải khớp với hạng sao.", "75"),
    ("group", False, "Chọn một trong 6 nhóm của Quyết định 148/QĐ-TTg.", "Thực phẩm"),
    ("subgroup", False, "Phân nhóm, ngành hàng như trên quyết định (nếu có).", "Mật ong"),
    ("commune", False, "Xã, phường hiện nay (sau 1/7/2025) hoặc như ghi trên quyết định.", "Xã Mèo Vạc"),
    ("address", False, "Địa chỉ của chủ thể (thôn, xã, tỉnh).", "Thôn Tò Đú, xã Mèo Vạc"),
    ("decision_number", False, "Số quyết định công nhận.", "123/QĐ-UBND"),
    ("decision_date", False, "Ngày quyết định, dạng ngày/tháng/năm.", "15/03/2024"),
    ("year", False, "Năm công nhận.", "2024"),
    ("issuing_body", False, "Cơ quan ra quyết định.", "UBND tỉnh Tuyên Quang"),
    ("tax_code", False, "Mã số thuế của chủ thể (nếu có).", ""),
    ("phone", False, "Điện thoại liên hệ (không công khai).", ""),
    ("email", False, "Email liên hệ (không công khai).", ""),
    ("contact_person", False, "Người đại diện (không công khai).", ""),
)
HEADERS = tuple(FIELD_LABELS[f] for f, *_ in COLUMNS)
EXAMPLE = tuple(example for *_, example in COLUMNS)


def group_choices() -> tuple[str, ...]:
    return tuple(group_name(code) for code in GROUP_CODES)


def _choices(choices: Worksheet, values: tuple[str, ...], column: int, title: str) -> DataValidation:
    """A drop-down list over ``column`` of the list sheet, its values appended to column A of
    ``choices`` (one column only: no row of it can look like a header to the readers)."""
    first = choices.max_row + 1 if choices["A1"].value is not None else 1
    for row, value in enumerate(values, start=first):
        choices[f"A{row}"] = value
    letter = get_column_letter(column)
    check = DataValidation(type="list", formula1=f"'{CHOICES_SHEET}'!$A${first}:$A${first + len(values) - 1}",
                           allow_blank=True,
                           showErrorMessage=True, errorTitle=title,
                           error="Chọn một giá trị trong danh sách: " + ", ".join(values))
    check.add(f"{letter}2:{letter}{ROWS + 1}")
    return check


def template_xlsx() -> bytes:
    """The template workbook's bytes (the same every time but for openpyxl's timestamps)."""
    book = Workbook()
    sheet = book.active
    sheet.title = LIST_SHEET
    sheet.append(list(HEADERS))
    for index, header in enumerate(HEADERS, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE6F0")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(index)].width = max(14, len(header) + 4)
    sheet.freeze_panes = "A2"
    fields = [f for f, *_ in COLUMNS]
    _instructions(book.create_sheet(HELP_SHEET))
    choices = book.create_sheet(CHOICES_SHEET)
    choices.sheet_state = "hidden"
    for values, field, title in ((STAR_CHOICES, "stars", "Hạng sao"), (group_choices(), "group", "Nhóm sản phẩm"),
                                 (PRODUCER_TYPES, "producer_type", "Loại hình chủ thể")):
        sheet.add_data_validation(_choices(choices, values, fields.index(field) + 1, title))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _instructions(sheet: Worksheet) -> None:
    rows: list[list[str]] = [
        ["HƯỚNG DẪN ĐIỀN DANH SÁCH SẢN PHẨM OCOP"],
        ["Mỗi dòng của trang tính “Danh sách” là một sản phẩm. Không đổi tên cột, không chèn dòng tiêu đề khác."],
        ["Bắt buộc: tên sản phẩm và hạng sao. Ô nào không biết thì để trống: hệ thống không tự điền thay."],
        ["Gửi tệp tại trang /nop-du-lieu: xem trước, kiểm tra các dòng bị loại và cảnh báo, rồi bấm “Áp dụng”."],
        [],
        ["Cột", "Bắt buộc", "Cách ghi", "Ví dụ (một dòng mẫu)"],
    ]
    rows += [[FIELD_LABELS[f], "Có" if required else "", how, example] for f, required, how, example in COLUMNS]
    for row in rows:
        sheet.append(row)
    sheet["A1"].font = Font(bold=True, size=13)
    for cell in sheet[6]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCD", (22, 10, 70, 28)):
        sheet.column_dimensions[letter].width = width
