"""What the submission page says, in Vietnamese, when a file or a request is refused, and what
each problem code means for the officer who wrote the row.

The push path (hub.push.submission) refuses in English with a stable code (docs/error-codes.md); the page
keeps that text as the detail and leads with a sentence the officer can act on. A BAD_FILE is told
apart by the reader's own wording (the constants it raises with, where it has them).
"""
from __future__ import annotations

import re
from typing import Any, Iterable, Mapping

from hub.push.submission import MAX_FILE_BYTES
from hub.registries.errors import NO_TEXT, OLE2_MAGIC

TEMPLATE_HINT = "Có thể dùng mẫu danh sách của hệ thống: /mau-danh-sach.xlsx."

EMPTY = "Tệp rỗng (0 byte): hãy chọn lại đúng tệp danh sách."
TOO_LARGE = (f"Tệp quá lớn: tối đa {MAX_FILE_BYTES // (1024 * 1024)} MB. Hãy bỏ các trang tính, hình ảnh không cần "
             "thiết hoặc chia danh sách thành nhiều tệp.")
NO_KEY = "Chưa có khóa API: nhập khóa API của tỉnh vào ô “Khóa API” ở đầu trang rồi thử lại."
BAD_KEY = "Khóa API không đúng hoặc đã bị thu hồi: kiểm tra lại khóa ở đầu trang."
STALE = ("Tệp hoặc dữ liệu trên hệ thống đã thay đổi kể từ lần xem trước, nên chưa áp dụng gì. "
         "Dưới đây là bản xem trước mới: kiểm tra lại rồi bấm “Áp dụng” lần nữa.")

_FILE_CAUSES: tuple[tuple[str, str], ...] = (
    ("password-protected", "Tệp được đặt mật khẩu nên không đọc được: gỡ mật khẩu (Tệp › Thông tin › Bảo vệ) "
                           "rồi gửi lại, hoặc gửi bản PDF không mật khẩu."),
    (NO_TEXT.split(";")[0], "Tệp PDF này là bản quét (ảnh chụp), không có chữ để đọc: hãy gửi tệp Excel (.xlsx) "
                            "hoặc Word (.docx) của danh sách."),
    ("old binary Word .doc", "Tệp Word cũ (.doc) không đọc được: mở bằng Word hoặc LibreOffice, lưu thành .docx "
                             "hoặc PDF rồi gửi lại."),
    ("only .csv, .xlsx", "Chỉ nhận tệp Excel (.xlsx), CSV (.csv), PDF (.pdf) hoặc Word (.docx)."),
    ("; the limit is", TOO_LARGE),
    ("every sheet is empty", "Tệp không có dữ liệu: mọi trang tính đều trống."),
    ("the file is empty", "Tệp không có dữ liệu."),
    ("the table is empty", "Tệp không có dữ liệu."),
    ("no table ruling found", "Tệp PDF này không có bảng kẻ ô: hãy gửi tệp Excel hoặc Word của danh sách."),
    ("no sheet has a header row", "Tệp không phải danh sách sản phẩm OCOP: không có trang tính nào có dòng tiêu đề "
                                  "với cột “Tên sản phẩm” và ít nhất hai cột khác (chủ thể, hạng sao, …). "
                                  + TEMPLATE_HINT),
    ("no header row found", "Tệp không phải danh sách sản phẩm OCOP: không thấy dòng tiêu đề với cột “Tên sản phẩm” "
                            "và ít nhất hai cột khác (chủ thể, hạng sao, …). " + TEMPLATE_HINT),
    ("no table with a product header", "Tài liệu không có bảng danh sách sản phẩm OCOP (bảng có cột “Tên sản phẩm”, "
                                       "chủ thể, hạng sao…). " + TEMPLATE_HINT),
    ("not a zip archive", "Tệp không đọc được: không phải tệp Excel (.xlsx) hoặc Word (.docx) hợp lệ."),
    ("not a PDF file", "Tệp không phải tệp PDF hợp lệ."),
    ("no sheet named", "Tệp không có trang tính đã chọn: hãy xem trước lại và chọn trang tính."),
)

_REFUSALS = {
    "FORBIDDEN": NO_KEY,
    "UNKNOWN_UNIT": "Không có tỉnh, thành phố này trong 34 tỉnh, thành phố hiện nay.",
    "NOT_YOUR_PROVINCE": "Khóa API này chỉ được gửi dữ liệu của tỉnh mình, không phải của tỉnh, thành phố khác.",
    "WRONG_PROVINCE": "Danh sách này là của tỉnh, thành phố khác nên không nhận: không lưu gì.",
    "BAD_MODE": "Danh sách thu hồi chỉ được gửi theo cách “bổ sung, cập nhật”.",
    "BAD_LIST": "Loại danh sách không hợp lệ.",
    "SUBMISSION_ID_REUSED": "Lần gửi này trùng mã với một lần gửi khác dữ liệu: hãy xem trước lại.",
    "EMPTY": EMPTY,
    "NO_FILE": "Hãy chọn tệp danh sách (.xlsx, .csv, .pdf hoặc .docx).",
    "NO_PROVINCE_CHOSEN": "Khóa của bộ dùng được cho mọi tỉnh: hãy chọn tỉnh, thành phố của danh sách.",
    "BAD_REQUEST": "Biểu mẫu gửi lên không hợp lệ: hãy tải lại trang rồi thử lại.",
    "STALE": STALE,
    "FAILED": "Hệ thống gặp lỗi khi xử lý tệp nên không lưu gì; lỗi đã được ghi lại để kiểm tra.",
}
LIST_REFUSED = ("Cả danh sách bị từ chối, không lưu gì: tiêu đề của danh sách hoặc phần lớn các dòng thuộc tỉnh, "
                "thành phố khác với tỉnh của khóa API.")


def file_refusal(data: bytes, message: str) -> str:
    """The officer's sentence for a file the readers refused (BAD_FILE), from their message."""
    if data.startswith(OLE2_MAGIC) and "EncryptedPackage".encode("utf-16-le") in data:
        return _FILE_CAUSES[0][1]  # an encrypted xlsx or docx is an OLE2 container, whatever its name
    if data.startswith(OLE2_MAGIC):
        return ("Tệp Excel hoặc Word đời cũ (.xls, .doc) không đọc được: mở bằng Excel, Word hoặc LibreOffice, "
                "lưu thành .xlsx, .docx hoặc PDF rồi gửi lại.")
    if len(data) > MAX_FILE_BYTES:
        return TOO_LARGE
    for needle, sentence in _FILE_CAUSES:
        if needle in message:
            return sentence
    return "Không đọc được tệp này như một danh sách sản phẩm. " + TEMPLATE_HINT


def refusal(code: str, message: str, data: bytes = b"", whole_list: bool = False) -> str:
    """The officer's sentence for a refused request (hub.push.submission.PushRefused's code and message)."""
    if code == "BAD_FILE":
        return file_refusal(data, message)
    if whole_list and code == "NOT_YOUR_PROVINCE":
        return LIST_REFUSED
    return _REFUSALS.get(code, "Yêu cầu bị từ chối, không lưu gì.")


CODE_LABELS = {
    "MISSING_FIELD": "thiếu thông tin bắt buộc (tên sản phẩm, hạng sao)",
    "BAD_STARS": "hạng sao không đọc được hoặc ngoài 3–5 sao",
    "BAD_SCORE": "điểm không đọc được hoặc ngoài 0–100",
    "STARS_SCORE_MISMATCH": "hạng sao không khớp với điểm",
    "BELOW_CERTIFICATION": "dưới 3 sao: chưa phải sản phẩm OCOP",
    "WRONG_PROVINCE": "dòng thuộc tỉnh, thành phố khác",
    "NOT_YOUR_PROVINCE": "dòng thuộc tỉnh, thành phố khác với tỉnh của khóa",
    "NO_PROVINCE": "không xác định được tỉnh",
    "DUPLICATE_RECORD": "trùng với một dòng trước trong cùng danh sách",
    "FIELD_TOO_LONG": "ô dài quá 500 ký tự",
    "SCHEMA_VIOLATION": "giá trị sai kiểu",
    "UNKNOWN_FIELD": "cột không có trong danh sách trường",
    "REVOCATION_WITHOUT_DATE": "thiếu ngày quyết định thu hồi",
    "REVOCATION_NO_MATCH": "không có sản phẩm nào khớp để thu hồi",
    "REVOCATION_AMBIGUOUS": "nhiều sản phẩm trùng tên: cần ghi chủ thể",
    "REVOCATION_BEFORE_CERTIFICATE": "ngày thu hồi trước ngày công nhận",
    "UNRESOLVED_UNIT": "không tìm thấy xã, phường hoặc địa chỉ trong danh mục đơn vị hành chính",
    "GROUP_INFERRED": "không ghi nhóm (hoặc nhóm lạ): nhóm được suy ra từ tên sản phẩm",
    "GROUP_UNKNOWN": "không xác định được nhóm sản phẩm",
    "PRODUCER_MISSING": "không ghi chủ thể",
    "TYPE_UNKNOWN": "không xác định được loại hình chủ thể",
    "TYPE_MISMATCH": "loại hình chủ thể không khớp với tên chủ thể",
    "PARTIAL_DATE": "ngày quyết định chỉ có tháng, năm",
    "BAD_DATE": "ngày không đọc được",
    "FUTURE_DATE": "ngày sau hôm nay",
    "CONTRADICTS_HEADING": "khác với hạng sao, nhóm hoặc huyện ghi ở tiêu đề mục",
}


def reason(problem: Mapping[str, Any]) -> str:
    """One problem (code, field, message) as one line: the Vietnamese label, then the code and the
    hub's own message, which names the offending text."""
    code = str(problem.get("code") or "")
    label = CODE_LABELS.get(code)
    detail = f"{code}: {problem.get('message') or ''}".strip()
    return f"{label[0].upper()}{label[1:]} ({detail})" if label else detail


def reasons(problems: Iterable[Mapping[str, Any]]) -> str:
    """Every problem of a row, one line each."""
    return "\n".join(reason(p) for p in problems)


_PLACES = ((re.compile(r"\bsheet '([^']*)'|\bsheet \"([^\"]*)\""), lambda m: f"trang tính “{m.group(1) or m.group(2)}”"),
           (re.compile(r"\bpages? "), lambda m: "trang "), (re.compile(r"\btable "), lambda m: "bảng "),
           (re.compile(r"\brow "), lambda m: "dòng "))


def place(location: str | None) -> str:
    """Where a reader found a row ("sheet '3 sao'", "page 3", "table 2, row 5"), in Vietnamese."""
    text = location or ""
    for pattern, words in _PLACES:
        text = pattern.sub(words, text)
    return text
