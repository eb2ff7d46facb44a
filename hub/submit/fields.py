"""The hub's fields in Vietnamese: the template's column headers (each read back as its field by
the registry readers' header rules) and the page's names for the columns it read."""
from __future__ import annotations

FIELD_LABELS: dict[str, str] = {
    "product_name": "Tên sản phẩm",
    "producer_name": "Tên chủ thể",
    "producer_type": "Loại hình chủ thể",
    "stars": "Hạng sao",
    "score": "Điểm",
    "group": "Nhóm sản phẩm",
    "subgroup": "Phân nhóm",
    "province": "Tỉnh, thành phố",
    "district": "Huyện (trước 7/2025)",
    "commune": "Xã, phường",
    "address": "Địa chỉ",
    "decision_number": "Số quyết định",
    "decision_date": "Ngày quyết định",
    "year": "Năm công nhận",
    "issuing_body": "Cơ quan công nhận",
    "tax_code": "Mã số thuế",
    "phone": "Điện thoại",
    "email": "Email",
    "contact_person": "Người đại diện",
}


def field_label(name: str | None) -> str:
    """A field's Vietnamese name; an unknown one as it is."""
    return FIELD_LABELS.get(name or "", name or "")
