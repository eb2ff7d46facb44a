"""The raw row every reader produces and every push record becomes, before normalization."""
from __future__ import annotations

from dataclasses import dataclass, field

from hub.normalize.problem import Problem

# Canonical field names. Readers map registry headers onto these; the push JSON Schema uses them.
FIELDS: tuple[str, ...] = (
    "product_name",     # Tên sản phẩm
    "producer_name",    # Chủ thể
    "producer_type",    # Loại hình chủ thể (often missing: inferred from the producer name)
    "stars",            # Hạng sao / Số sao / Xếp hạng
    "score",            # Điểm
    "group",            # Nhóm / Ngành hàng
    "subgroup",         # Phân nhóm
    "province",         # Tỉnh (as written, before or after the reform)
    "district",         # Huyện (pre-reform only)
    "commune",          # Xã / Phường
    "address",          # Địa chỉ (free text)
    "decision_number",  # Số quyết định
    "decision_date",    # Ngày quyết định / Ngày công nhận
    "year",             # Năm công nhận
    "issuing_body",     # Cơ quan công nhận
    "tax_code",         # Mã số thuế
    "phone",            # Điện thoại (personal data)
    "email",            # Email (personal data)
    "contact_person",   # Người đại diện (personal data)
)
# What defines a product; every other field is optional (a warning when unreadable). The province
# comes from the row or, when the row names none, from its source. "stars" may be given as a score.
REQUIRED_FIELDS: tuple[str, ...] = ("product_name", "stars")

# Raw-row keys a reader adds beside the cells, read by the ingest (they survive a JSONL snapshot).
LOCATION_KEY = "(location)"
"""A row's place in its file when the row number alone does not say it: a workbook's sheet
("sheet '3 sao'"), an annex's page ("page 3", "pages 3–4")."""
TITLE_PROVINCE_KEY = "(province from title)"
"""The provinces the list's title names ("TỈNH KIÊN GIANG"), joined by "; ": the ingest refuses a
list whose title names another province than its source's, and places the rows of a source
that declares none."""
HEADING_CONFLICT_KEY = "(contradicts heading)"
"""What the row's own value contradicts in the title, sheet name or section over it ("stars: 3 …
under '4 SAO'"): the row's value is kept, with a warning."""
LIST_DECISION_KEY = "(decision of the list's title)"
"""The decision the list's title names, kept beside a row whose own cells name another: a
revocation list's title names the revocation, its rows' decision column may hold each product's
certification (hub/ingest/revocation.py reads it). A registry does not read it, so it is not
hashed into the row's raw hash (hub.ingest.canonical.raw_hash): a re-harvest's skip is unchanged."""


@dataclass
class RawRow:
    """One registry row: ``values`` keyed by canonical field, ``raw`` keyed by the original header.

    ``row_number`` is the row as a person sees it in the file (1-based, header rows counted),
    or the record's index in a push/JSON page, so error reports point at the right place.
    """

    row_number: int
    values: dict[str, str] = field(default_factory=dict)
    raw: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)  # found before normalization (push schema)


PRODUCTS, REVOCATION = "products", "revocation"
LISTS = (PRODUCTS, REVOCATION)
"""What a source's list holds: certified products (a registry), or revoked certificates
(hub/ingest/revocation.py). The sources file's ``list:``, a push's ``list``."""
