"""The code lists the exports refer to, as downloads (``/export/codes/NAME.csv``): the current
provinces and communes, the former (pre-July-2025) units with the current unit that succeeded
each, the product groups, the statuses and the producer types. Their columns are defined here once,
like the exports' (hub/api/export_columns.py), and the data package describes them from these."""
from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any, Callable, Iterator

from sqlalchemy import select
from sqlalchemy.engine import Engine

from hub.api.enums import ProducerType, ProductGroup, ProductStatus
from hub.api.export_columns import VI_TERMS, Column
from hub.store.models import Commune, LegacyUnit, Province

GROUPS_EN = {ProductGroup.FOOD: "Food", ProductGroup.BEVERAGE: "Beverages",
             ProductGroup.HERBAL: "Medicinal herbs and herbal products", ProductGroup.HANDICRAFT: "Handicrafts",
             ProductGroup.ORNAMENTAL: "Ornamental plants and animals",
             ProductGroup.TOURISM: "Community tourism, eco-tourism and tourist sites"}
STATUSES_EN = {ProductStatus.ACTIVE: "Certificate in force (36 months from the decision)",
               ProductStatus.EXPIRED: "Certificate past its 36 months, not renewed",
               ProductStatus.WITHDRAWN: "Left its registry, or revoked"}
TYPES_EN = {ProducerType.COOPERATIVE: "Cooperative (HTX)", ProducerType.ENTERPRISE: "Enterprise",
            ProducerType.COOPERATIVE_GROUP: "Cooperative group (tổ hợp tác)",
            ProducerType.HOUSEHOLD: "Household business (hộ sản xuất kinh doanh)"}


def _code(pattern_of: str | None = None) -> Column:
    return Column("code", "Mã", "string", "The code the exports write.", "Mã dùng trong các tệp tải về.",
                  codes=pattern_of, required=True)


_LABELS = [Column("label_vi", "Tên (tiếng Việt)", "string", "Vietnamese label (what `?lang=vi` writes).",
                  "Nhãn tiếng Việt (như khi tải với `?lang=vi`).", required=True),
           Column("label_en", "Tên (tiếng Anh)", "string", "English label.", "Nhãn tiếng Anh.", required=True)]


@dataclass(frozen=True)
class CodeList:
    """One code list: its name (``/export/codes/{name}.csv``), what it is, its columns and its rows."""

    name: str
    title: str
    columns: list[Column]
    rows: Callable[[Engine], Iterator[tuple[Any, ...]]]
    key: tuple[str, ...] = ("code",)


def _enum_rows(enum_cls: type[enum.Enum], english: dict[Any, str]) -> Callable[[Engine], Iterator[tuple[Any, ...]]]:
    return lambda engine: iter([(m.name, VI_TERMS[m], english[m]) for m in enum_cls])


def _table_rows(*columns: Any) -> Callable[[Engine], Iterator[tuple[Any, ...]]]:
    def rows(engine: Engine) -> Iterator[tuple[Any, ...]]:
        with engine.connect() as conn:
            yield from conn.execute(select(*columns).order_by(*columns[:3]))
    return rows


CODE_LISTS: dict[str, CodeList] = {c.name: c for c in [
    CodeList("provinces", "Current provinces (34, since 1 July 2025)", [
        _code("provinces"),
        Column("name", "Tên", "string", "Short name.", "Tên ngắn.", required=True),
        Column("full_name", "Tên đầy đủ", "string", "Name with its type (Tỉnh, Thành phố).",
               "Tên kèm loại đơn vị (Tỉnh, Thành phố).", required=True)],
        _table_rows(Province.code, Province.name, Province.full_name)),
    CodeList("communes", "Current communes and wards", [
        _code("communes"),
        Column("name", "Tên", "string", "Name.", "Tên xã, phường.", required=True),
        Column("province_code", "Mã tỉnh", "string", "Its province.", "Tỉnh của xã.", codes="provinces",
               required=True)],
        _table_rows(Commune.code, Commune.name, Commune.province_code)),
    CodeList("former-units", "Former (pre-July-2025) provinces, districts and communes, with their successors", [
        Column("level", "Cấp", "string", "province, district or commune.", "Cấp: tỉnh, huyện hoặc xã.", required=True),
        Column("code", "Mã", "string", "Its code in the list it belongs to.", "Mã theo danh mục cũ.", required=True),
        Column("code_version", "Phiên bản mã", "string", "Which code list the code belongs to.",
               "Danh mục mã mà mã thuộc về.", required=True),
        Column("name", "Tên", "string", "Name as the former list wrote it.", "Tên theo danh mục cũ.", required=True),
        Column("legacy_province_code", "Mã tỉnh cũ", "string", "The former province it was part of.",
               "Tỉnh cũ chứa đơn vị."),
        Column("legacy_district_code", "Mã huyện cũ", "string", "The former district of a former commune.",
               "Huyện cũ của xã cũ."),
        Column("current_province_code", "Mã tỉnh hiện hành", "string", "The current province that succeeded it.",
               "Tỉnh hiện hành kế thừa.", codes="provinces", required=True),
        Column("current_commune_code", "Mã xã hiện hành", "string",
               "The current commune that succeeded it (a split commune: its default successor).",
               "Xã hiện hành kế thừa (xã bị chia: xã kế thừa mặc định).", codes="communes")],
        _table_rows(LegacyUnit.level, LegacyUnit.code, LegacyUnit.code_version, LegacyUnit.name,
                    LegacyUnit.legacy_province_code, LegacyUnit.legacy_district_code,
                    LegacyUnit.current_province_code, LegacyUnit.current_commune_code),
        key=("level", "code", "code_version")),
    CodeList("groups", "Product groups of Decision 148/QĐ-TTg", [_code(), *_LABELS],
             _enum_rows(ProductGroup, GROUPS_EN)),
    CodeList("statuses", "Product statuses", [_code(), *_LABELS], _enum_rows(ProductStatus, STATUSES_EN)),
    CodeList("producer-types", "Producer types", [_code(), *_LABELS], _enum_rows(ProducerType, TYPES_EN)),
]}
