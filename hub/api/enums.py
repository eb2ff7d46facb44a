"""GraphQL enums, mirroring the string values the store keeps in its enum-like columns."""
from __future__ import annotations

import enum
from typing import TypeVar

import strawberry

E = TypeVar("E", bound=enum.Enum)


@strawberry.enum(description="Product group of Decision 148/QĐ-TTg (2023), the current national list.")
class ProductGroup(enum.Enum):
    FOOD = strawberry.enum_value("FOOD", description="Thực phẩm.")
    BEVERAGE = strawberry.enum_value("BEVERAGE", description="Đồ uống.")
    HERBAL = strawberry.enum_value("HERBAL", description="Dược liệu và sản phẩm từ dược liệu.")
    HANDICRAFT = strawberry.enum_value("HANDICRAFT", description="Hàng thủ công mỹ nghệ.")
    ORNAMENTAL = strawberry.enum_value("ORNAMENTAL", description="Sinh vật cảnh.")
    TOURISM = strawberry.enum_value(
        "TOURISM",
        description="Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch.",
    )


@strawberry.enum(description="Certificate status. Expired and withdrawn products stay in the store.")
class ProductStatus(enum.Enum):
    ACTIVE = strawberry.enum_value("active", description="Certificate valid (36 months from the decision).")
    EXPIRED = strawberry.enum_value("expired", description="Certificate older than 36 months, not renewed.")
    WITHDRAWN = strawberry.enum_value("withdrawn", description="Left its registry or was revoked.")


@strawberry.enum(description="How a certificate stopped being in force.")
class CertificateEnd(enum.Enum):
    EXPIRED = strawberry.enum_value("expired", description="Its 36 months ran out.")
    SUPERSEDED = strawberry.enum_value("superseded", description="A later decision re-rated or renewed the product.")
    REVOKED = strawberry.enum_value("revoked", description="The province revoked it (thu hồi).")
    WITHDRAWN = strawberry.enum_value("withdrawn", description="The product left its registry (as the hub learned then).")


@strawberry.enum(description="Kind of producer (chủ thể).")
class ProducerType(enum.Enum):
    COOPERATIVE = strawberry.enum_value("cooperative", description="Hợp tác xã (HTX).")
    ENTERPRISE = strawberry.enum_value("enterprise", description="Công ty, doanh nghiệp.")
    COOPERATIVE_GROUP = strawberry.enum_value("cooperative_group", description="Tổ hợp tác.")
    HOUSEHOLD = strawberry.enum_value("household", description="Hộ sản xuất / hộ kinh doanh.")


@strawberry.enum(description="Sort direction.")
class OrderDirection(enum.Enum):
    ASC = strawberry.enum_value("asc", description="Ascending.")
    DESC = strawberry.enum_value("desc", description="Descending.")


@strawberry.enum(description="What to sort products by; ties are always broken by id.")
class ProductOrderField(enum.Enum):
    NAME = strawberry.enum_value("name", description="Product name.")
    STARS = strawberry.enum_value("stars", description="Star rating.")
    CERTIFIED_YEAR = strawberry.enum_value("certified_year",
                                           description="Certification year (unknown years sort as 0).")
    YEAR = strawberry.enum_value("year", description="Certification year (unknown years sort as 0).",
                                 deprecation_reason="Use CERTIFIED_YEAR: one name for the certification year everywhere; YEAR goes in the next release.")
    UPDATED_AT = strawberry.enum_value("updated_at", description="Last change in the hub (for incremental sync).")


@strawberry.enum(description="What to sort producers by; ties are always broken by id.")
class ProducerOrderField(enum.Enum):
    NAME = strawberry.enum_value("name", description="Producer name.")
    UPDATED_AT = strawberry.enum_value("updated_at", description="Last change in the hub (for incremental sync).")


@strawberry.enum(description="A dimension the national statistics can be grouped by.")
class StatsDimension(enum.Enum):
    PROVINCE = strawberry.enum_value("province", description="Current (post-July-2025) province.")
    LEGACY_PROVINCE = strawberry.enum_value("legacy_province", description="Pre-reform province as the registry wrote it.")
    STARS = strawberry.enum_value("stars", description="Star rating.")
    GROUP = strawberry.enum_value("group", description="Product group (Decision 148/QĐ-TTg).")
    PRODUCER_TYPE = strawberry.enum_value("producer_type", description="Kind of producer.")
    CERTIFIED_YEAR = strawberry.enum_value("certified_year", description="Certification year.")
    YEAR = strawberry.enum_value("year", description="Certification year.", deprecation_reason="Use CERTIFIED_YEAR: one name for the certification year everywhere; YEAR goes in the next release.")
    STATUS = strawberry.enum_value("status", description="Certificate status.")


DIMENSIONS = [d for d in StatsDimension if d is not StatsDimension.YEAR]
"""Every dimension under its one name (YEAR is CERTIFIED_YEAR's deprecated name)."""


def canonical_dimensions(dims: list[StatsDimension]) -> list[StatsDimension]:
    """The dimensions asked for, the deprecated YEAR read as CERTIFIED_YEAR, each once, in order."""
    return list(dict.fromkeys(StatsDimension.CERTIFIED_YEAR if d is StatsDimension.YEAR else d for d in dims))


def from_db(enum_cls: type[E], value: str | None) -> E | None:
    """The enum member for a stored string, or None for a missing or unknown value."""
    if value is None:
        return None
    try:
        return enum_cls(value)
    except ValueError:
        return None
