"""The hub's enumerated values (statuses, producer types, code versions, kinds of source and
batch, roles): plain ``str`` enums, stored as their values, known to every layer from
normalization up without importing the store."""
from __future__ import annotations

import enum


class ProductStatus(str, enum.Enum):
    ACTIVE = "active"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"


class ProducerType(str, enum.Enum):
    COOPERATIVE = "cooperative"              # hợp tác xã (HTX)
    ENTERPRISE = "enterprise"                # công ty, doanh nghiệp
    COOPERATIVE_GROUP = "cooperative_group"  # tổ hợp tác
    HOUSEHOLD = "household"                  # hộ sản xuất / hộ kinh doanh


class CodeVersion(str, enum.Enum):
    """Which administrative code list a code belongs to: codes were reused in July 2025."""
    PRE_2025 = "pre2025"
    POST_2025 = "post2025"


class SourceKind(str, enum.Enum):
    CSV = "csv"
    XLSX = "xlsx"
    JSON_API = "json_api"
    HTML = "html"
    PDF = "pdf"
    DOCX = "docx"
    PUSH = "push"


class BatchStatus(str, enum.Enum):
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    DRY_RUN = "dry_run"


class Role(str, enum.Enum):
    MINISTRY = "ministry"   # reads everything, manages sources, writes any province
    PROVINCE = "province"   # reads public data, writes only its own province
