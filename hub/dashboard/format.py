"""Numbers, dates and labels the way a Vietnamese reader writes them: 18.243 (dot for thousands),
12,5 % (comma for decimals), 01/12/2026, times in Vietnam's time (UTC+7), and the Vietnamese names
of the API's enum values (the same labels as the exports' ``?lang=vi``, hub.api.exports.VI_TERMS)."""
from __future__ import annotations

import enum
from datetime import date, datetime, timedelta, timezone
from typing import Optional

from hub.api.enums import ProducerType, ProductGroup, ProductStatus
from hub.api.export_columns import VI_TERMS

VIETNAM_TIME = timezone(timedelta(hours=7), "ICT")
"""Vietnam has kept UTC+7 without daylight saving since 1975: a fixed offset needs no tz database."""
MISSING = "—"


def vn_number(value: Optional[float], decimals: int = 0) -> str:
    """18243 → "18.243"; 12.5 with one decimal → "12,5"; None → "—"."""
    if value is None:
        return MISSING
    text = f"{value:,.{decimals}f}"  # "18,243.5": swap the two separators
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def vn_percent(part: int, whole: int) -> str:
    """Share with one decimal, "12,5 %" (Vietnamese puts a space before %); "—" of nothing."""
    if whole <= 0:
        return MISSING
    return f"{vn_number(100 * part / whole, 1)} %"


def vn_date(value: Optional[str | date]) -> str:
    """An ISO date (or the date part of an instant) as dd/mm/yyyy; "—" when there is none."""
    if value is None or value == "":
        return MISSING
    if isinstance(value, str):
        if "T" in value:
            return vn_datetime(value).split(" ")[0]
        value = date.fromisoformat(value)
    return value.strftime("%d/%m/%Y")


def vn_datetime(value: Optional[str | datetime]) -> str:
    """An ISO instant from the API (UTC) as Vietnam's wall clock: "01/12/2026 14:05"."""
    if value is None or value == "":
        return MISSING
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(VIETNAM_TIME).strftime("%d/%m/%Y %H:%M")


def days_since(value: Optional[str], now: datetime) -> Optional[int]:
    """Whole days from an ISO instant to ``now``; None without an instant."""
    if not value:
        return None
    then = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return max(0, (now - then).days)


def _label(enum_cls: type[enum.Enum], name: Optional[str], unknown: str) -> str:
    if name is None:
        return unknown
    member = enum_cls.__members__.get(name)
    return VI_TERMS[member] if member is not None else name


def group_label(name: Optional[str]) -> str:
    """"FOOD" → "Thực phẩm" (Decision 148's names); None → the products of unknown group."""
    return _label(ProductGroup, name, "Chưa xác định nhóm")


def producer_type_label(name: Optional[str]) -> str:
    """"COOPERATIVE" → "Hợp tác xã"; None → no producer named, or its type unknown."""
    return _label(ProducerType, name, "Chưa rõ loại chủ thể")


def status_label(name: Optional[str]) -> str:
    """"ACTIVE" → "Còn hiệu lực"."""
    return _label(ProductStatus, name, MISSING)


def stars_label(stars: Optional[int]) -> str:
    """3 → "3 sao" (the star glyph is decoration: the word carries the meaning)."""
    return MISSING if stars is None else f"{stars} sao"


HEALTH_LABELS = {"CURRENT": "Cập nhật", "STALE": "Quá hạn", "NEVER_SUCCEEDED": "Chưa lần nào thành công",
                 "DISABLED": "Đã tắt"}
"""SourceHealth as the coverage table says it."""
COVERAGE_LABELS = {"NO_SOURCE": "Chưa có nguồn", "STALE": "Quá hạn", "CURRENT": "Cập nhật"}
"""CoverageStatus (the API's one vocabulary: no source, stale, current) as the dashboard says it."""
KIND_LABELS = {"csv": "CSV", "xlsx": "Excel", "json_api": "API JSON", "html": "Trang web", "push": "Gửi qua API"}
BATCH_KIND_LABELS = {"harvest": "Thu thập", "push": "Tỉnh gửi", "revert": "Hoàn tác", "removal": "Gỡ nguồn"}
BATCH_STATUS_LABELS = {"running": "Đang chạy", "succeeded": "Thành công", "failed": "Thất bại",
                       "dry_run": "Chạy thử"}
