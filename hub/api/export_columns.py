"""Every column of every download, defined once: its headers (English, Vietnamese), its type, what
it means (in both languages), the values it may take, the code list it refers to and, for the
products export, the SQL it is read with.

The rows (hub/api/export_rows.py), the Parquet schema, the data package's Table Schemas
(hub/api/export_package.py) and the column tables of docs/exports.md (hub/api/export_docs.py) are
all made from these lists, so none of them can say something the others do not.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any, Callable, Literal

import pyarrow as pa

from hub.api.enums import ProducerType, ProductGroup, ProductStatus, from_db
from hub.api.export_params import Lang
from hub.normalize.groups import group_name

Kind = Literal["integer", "string", "boolean", "date", "datetime"]
ARROW_TYPES: dict[str, pa.DataType] = {
    "integer": pa.int64(), "string": pa.string(), "boolean": pa.bool_(), "date": pa.date32(),
    "datetime": pa.timestamp("us", tz="UTC"),
}
CODE_PATTERNS = {"provinces": r"^\d{2}$", "communes": r"^\d{5}$"}
"""Official codes keep their leading zeros: text of a fixed number of digits, never numbers."""
LIST_SEPARATOR = "; "
"""Between the items of a column that lists several (``sources``, ``warnings``)."""

VI_TERMS: dict[enum.Enum, str] = {
    **{group: group_name(group.value) for group in ProductGroup},
    ProductStatus.ACTIVE: "Còn hiệu lực", ProductStatus.EXPIRED: "Hết hạn", ProductStatus.WITHDRAWN: "Đã thu hồi",
    ProducerType.COOPERATIVE: "Hợp tác xã", ProducerType.ENTERPRISE: "Doanh nghiệp",
    ProducerType.COOPERATIVE_GROUP: "Tổ hợp tác", ProducerType.HOUSEHOLD: "Hộ sản xuất, kinh doanh",
}
"""Vietnamese labels of every enumerated value an export writes (``?lang=vi``)."""


def term(enum_cls: type[enum.Enum], stored: str | None, lang: Lang) -> str | None:
    """A stored enum value as exports write it: the GraphQL enum name (``ACTIVE``, not the stored
    ``active``) or its Vietnamese label; a value the hub does not know stays as stored."""
    member = from_db(enum_cls, stored)
    if member is None:
        return stored
    return VI_TERMS[member] if lang == "vi" else member.name


@dataclass(frozen=True)
class Column:
    """One column of a download.

    ``labels``: the enum whose values it holds (written as enum names, or Vietnamese labels with
    ``?lang=vi``). ``codes``: the code list (hub/api/export_codes.py) its values come from.
    ``address``: read from the address as written, empty where the caller may not see that address
    (hub.api.access.sees_address). ``personal``: a producer's contact, filled only for a key that
    may see it. ``sql``: how the products export reads it (hub/api/export_rows.py); None for a
    column filled per batch or not read from the products. ``name_of``: the code column whose
    unit's name it holds, looked up from a table read once per download rather than joined per row."""

    name: str
    vi: str
    kind: Kind
    en_doc: str
    vi_doc: str
    labels: type[enum.Enum] | None = None
    codes: str | None = None
    address: bool = False
    personal: bool = False
    required: bool = False
    sql: Callable[[Any], Any] | None = None
    name_of: str | None = None

    def header(self, lang: Lang) -> str:
        return self.vi if lang == "vi" else self.name

    @property
    def arrow_type(self) -> pa.DataType:
        return ARROW_TYPES[self.kind]


def _c(name: str, vi: str, kind: Kind, en_doc: str, vi_doc: str, **kw: Any) -> Column:
    return Column(name, vi, kind, en_doc, vi_doc, **kw)


PRODUCT_COLUMNS: list[Column] = [
    _c("id", "Mã sản phẩm", "integer", "The hub's product id (stable; GraphQL `Product.id` is its global form).",
       "Mã sản phẩm trong hub (không đổi).", required=True, sql=lambda s: s.product.id),
    _c("name", "Tên sản phẩm", "string", "The product's name as its registry writes it.",
       "Tên sản phẩm như danh sách ghi.", required=True, sql=lambda s: s.product.name),
    _c("group", "Nhóm sản phẩm", "string", "Product group of Decision 148/QĐ-TTg; empty when not known.",
       "Nhóm sản phẩm theo Quyết định 148/QĐ-TTg; trống khi không xác định được.", labels=ProductGroup,
       codes="groups", sql=lambda s: s.cert.group_code),
    _c("group_text", "Nhóm (như danh sách ghi)", "string", "The group as the registry wrote it.",
       "Nhóm như danh sách ghi.", sql=lambda s: s.product.group_text),
    _c("subgroup", "Phân nhóm", "string", "Sub-group as written.", "Phân nhóm như danh sách ghi.",
       sql=lambda s: s.product.subgroup),
    _c("stars", "Số sao", "integer", "Star rating, 3 to 5 for a certified product.", "Số sao (3–5).",
       required=True, sql=lambda s: s.cert.stars),
    _c("score", "Điểm", "integer", "Score out of 100, when the registry gives it.", "Điểm (thang 100), nếu có.",
       sql=lambda s: s.product.score),
    _c("proposed_five_star", "Đề xuất 5 sao", "boolean",
       "Proposed by the province for 5 stars (tiềm năng 5 sao), still 4 stars until the council decides.",
       "Sản phẩm tiềm năng 5 sao, vẫn 4 sao đến khi Hội đồng trung ương quyết định.",
       sql=lambda s: s.cert.proposed_five_star),
    _c("status", "Trạng thái", "string", "Status on the as-of day (today unless `asOf` is given).",
       "Trạng thái vào ngày xem (hôm nay, hoặc ngày `asOf`).", labels=ProductStatus, codes="statuses",
       required=True, sql=lambda s: s.status),
    _c("certified_year", "Năm công nhận", "integer", "Year of the certificate held that day.",
       "Năm công nhận của giấy chứng nhận còn giữ vào ngày đó.", sql=lambda s: s.cert.certified_year),
    _c("decision_number", "Số quyết định", "string", "The certifying decision's number as written.",
       "Số quyết định công nhận như danh sách ghi.", sql=lambda s: s.cert.decision_number),
    _c("decision_date", "Ngày quyết định", "date", "The certifying decision's date.",
       "Ngày ký quyết định công nhận.", sql=lambda s: s.cert.decision_date),
    _c("issuing_body", "Cơ quan ban hành", "string", "Who issued the decision, as written (may no longer exist).",
       "Cơ quan ban hành như danh sách ghi (có thể không còn).", sql=lambda s: s.product.issuing_body),
    _c("expiry_date", "Ngày hết hạn", "date", "Last day of the certificate (36 months from the decision).",
       "Ngày hết hạn giấy chứng nhận (36 tháng kể từ quyết định).", sql=lambda s: s.expiry),
    _c("province_code", "Mã tỉnh", "string", "Current (post-July-2025) province code, two digits.",
       "Mã tỉnh hiện hành (sau 7/2025), hai chữ số.", codes="provinces", required=True,
       sql=lambda s: s.cert.province_code),
    _c("province_name", "Tỉnh, thành phố", "string", "Current province name.", "Tên tỉnh, thành phố hiện hành.",
       name_of="province_code"),
    _c("legacy_province", "Tỉnh cũ (trước 7/2025)", "string",
       "The pre-reform province the registry named, if any (see the former units code list).",
       "Tỉnh cũ (trước 7/2025) mà danh sách ghi, nếu có.", sql=lambda s: s.cert.legacy_province),
    _c("commune_code", "Mã xã", "string", "Current commune code, five digits; empty when the unit was not resolved.",
       "Mã xã hiện hành, năm chữ số; trống khi không xác định được.", codes="communes",
       sql=lambda s: s.product.commune_code),
    _c("commune_name", "Xã, phường", "string", "Current commune name.", "Tên xã, phường hiện hành.",
       name_of="commune_code"),
    _c("unit_text", "Địa bàn (như danh sách ghi)", "string",
       "The unit or address as written; empty where the producer may be a person and the caller may not see it.",
       "Địa bàn, địa chỉ như danh sách ghi; để trống nếu chủ thể có thể là cá nhân và người tải không được xem.",
       address=True, sql=lambda s: s.product.unit_text),
    _c("producer_id", "Mã chủ thể", "integer", "The hub's producer id; empty when the registry names none.",
       "Mã chủ thể trong hub; trống khi danh sách không ghi.", sql=lambda s: s.producer.id),
    _c("producer_name", "Chủ thể", "string",
       "The producer's name; a label for a household or a producer of unknown type (docs/access.md).",
       "Tên chủ thể; hộ kinh doanh hoặc chủ thể chưa rõ loại được thay bằng nhãn ẩn danh.",
       sql=lambda s: s.producer.name),
    _c("producer_type", "Loại chủ thể", "string", "Cooperative, enterprise, cooperative group or household.",
       "Hợp tác xã, doanh nghiệp, tổ hợp tác hoặc hộ sản xuất kinh doanh.", labels=ProducerType,
       codes="producer-types", sql=lambda s: s.producer.producer_type),
    _c("sources", "Nguồn", "string",
       "The sources whose lists hold or held the product, separated by '; ': first the one whose values it shows.",
       "Các nguồn có (hoặc từng có) sản phẩm trong danh sách, cách nhau bởi '; ': nguồn có giá trị được hiển thị "
       "đứng đầu.",
       required=True),
    _c("warnings", "Cảnh báo", "string",
       "What could not be read in the row it shows, as CODE:field separated by '; ' (GROUP_INFERRED:group: "
       "inferred; GROUP_UNKNOWN:group, TYPE_UNKNOWN:producer_type: left empty; UNRESOLVED_UNIT:commune: "
       "unresolved; codes in docs/error-codes.md).",
       "Những giá trị không đọc được của dòng đang hiển thị, dạng MÃ:trường cách nhau bởi '; ' (suy ra, để "
       "trống hoặc không xác định được; xem docs/error-codes.md)."),
    _c("updated_at", "Cập nhật lúc (UTC)", "datetime", "When the hub last changed the product (UTC).",
       "Thời điểm hub cập nhật sản phẩm lần cuối (UTC).", required=True, sql=lambda s: s.product.updated_at),
]
PERSONAL_COLUMNS: list[Column] = [
    _c("producer_phone", "Điện thoại", "string", "Producer's phone (API keys that may see it only).",
       "Điện thoại của chủ thể (chỉ với khóa API được phép).", personal=True, sql=lambda s: s.producer.phone),
    _c("producer_email", "Thư điện tử", "string", "Producer's e-mail (API keys that may see it only).",
       "Thư điện tử của chủ thể (chỉ với khóa API được phép).", personal=True, sql=lambda s: s.producer.email),
    _c("producer_contact_person", "Người liên hệ", "string", "Producer's contact person (API keys that may see it only).",
       "Người liên hệ của chủ thể (chỉ với khóa API được phép).", personal=True,
       sql=lambda s: s.producer.contact_person),
]
CONFLICT_COLUMNS: list[Column] = [
    _c("product_id", "Mã sản phẩm", "integer", "The product the sources disagree on.",
       "Sản phẩm mà các nguồn ghi khác nhau.", required=True),
    _c("product_name", "Tên sản phẩm", "string", "Its name.", "Tên sản phẩm.", required=True),
    _c("province_code", "Mã tỉnh", "string", "Its current province.", "Mã tỉnh hiện hành.", codes="provinces",
       required=True),
    _c("field", "Trường", "string", "The field the sources disagree on.", "Trường có giá trị khác nhau.",
       required=True),
    _c("source", "Nguồn", "string", "A source; the owner's row comes first.", "Nguồn; nguồn chủ sở hữu đứng đầu.",
       required=True),
    _c("value", "Giá trị", "string", "That source's value; empty where it is personal and hidden from the caller.",
       "Giá trị của nguồn đó; để trống nếu là dữ liệu cá nhân người tải không được xem."),
    _c("first_seen_at", "Phát hiện lúc (UTC)", "datetime", "When the hub first saw the disagreement (UTC).",
       "Thời điểm hub phát hiện lần đầu (UTC).", required=True),
    _c("updated_at", "Cập nhật lúc (UTC)", "datetime", "When it last changed (UTC).",
       "Thời điểm cập nhật lần cuối (UTC).", required=True),
]
REJECTED_COLUMNS: list[Column] = [
    _c("row_number", "Dòng", "integer", "The row's number in the registry file.", "Số dòng trong tệp của nguồn.",
       required=True),
    _c("error_codes", "Mã lỗi", "string", "Error codes separated by '; ' (docs/error-codes.md).",
       "Mã lỗi, cách nhau bởi '; '.", required=True),
    _c("errors", "Lỗi", "string", "field: message for each error, in English, separated by '; '.",
       "Trường: thông báo lỗi (tiếng Anh), cách nhau bởi '; '.", required=True),
]
"""The rejected-rows file's first columns; every column of the registry follows, under its own header."""
CONFLICT_FIELDS_VI = {"stars": "Số sao", "group": "Nhóm sản phẩm", "producer_type": "Loại chủ thể",
                      "tax_code": "Mã số thuế", "address": "Địa chỉ", "commune": "Xã, phường",
                      "decision_number": "Số quyết định", "decision_date": "Ngày quyết định"}
CONFLICT_LABELS: dict[str, type[enum.Enum]] = {"group": ProductGroup, "producer_type": ProducerType}


def _like(name: str, **changes: Any) -> Column:
    """A products column as the stats table repeats it (required there only where every row has it)."""
    from dataclasses import replace
    return replace(next(c for c in PRODUCT_COLUMNS if c.name == name), sql=None, **changes)


STATS_COLUMNS: list[Column] = [
    _c("as_of", "Tại ngày", "date", "The day the row counts products on (a repeated `asOf` gives one block per day).",
       "Ngày số liệu.", required=True),
    _like("province_code", required=False), _like("province_name", required=False),
    _like("legacy_province"), _like("stars", required=False), _like("group"), _like("producer_type"),
    _like("certified_year"), _like("status", required=False),
    _c("product_count", "Số sản phẩm", "integer", "Products counted in the row's unit that day.",
       "Số sản phẩm của đơn vị tại ngày đó.", required=True),
    _c("producer_count", "Số chủ thể có sản phẩm", "integer",
       "Distinct producers with at least one product counted in the row (a producer in two rows counts in "
       "both: the column does not add up across rows).",
       "Số chủ thể khác nhau có ít nhất một sản phẩm trong dòng.", required=True),
]
"""The stats download's columns: ``as_of``, then those of the ``groupBy`` dimensions asked for, in
groupBy's order, then the two counts (hub/api/stats_export.py)."""


def product_columns(with_contacts: bool) -> list[Column]:
    """Anonymous downloads carry no contact columns at all; a key's carry them (maybe empty)."""
    return PRODUCT_COLUMNS + (PERSONAL_COLUMNS if with_contacts else [])
