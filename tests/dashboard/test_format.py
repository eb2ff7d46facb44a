"""Vietnamese number, date and label formatting (hub.dashboard.format), table-driven."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from hub.dashboard.format import (days_since, group_label, producer_type_label, stars_label, status_label,
                                  vn_date, vn_datetime, vn_number, vn_percent)


@pytest.mark.parametrize(("value", "decimals", "expected"), [
    (18243, 0, "18.243"),
    (15590, 0, "15.590"),
    (200000, 0, "200.000"),
    (1234567, 0, "1.234.567"),
    (999, 0, "999"),
    (0, 0, "0"),
    (-4500, 0, "-4.500"),
    (12.5, 1, "12,5"),
    (1234.56, 2, "1.234,56"),
    (None, 0, "—"),
])
def test_vn_number(value: float | None, decimals: int, expected: str) -> None:
    assert vn_number(value, decimals) == expected


@pytest.mark.parametrize(("part", "whole", "expected"), [
    (449, 673, "66,7 %"), (1, 3, "33,3 %"), (5, 5, "100,0 %"), (1, 0, "—"),
])
def test_vn_percent(part: int, whole: int, expected: str) -> None:
    assert vn_percent(part, whole) == expected


@pytest.mark.parametrize(("value", "expected"), [
    ("2027-05-30", "30/05/2027"),
    (date(2026, 12, 1), "01/12/2026"),
    ("2026-11-30T20:00:00+00:00", "01/12/2026"),  # 03:00 on 1 December in Vietnam
    (None, "—"),
    ("", "—"),
])
def test_vn_date(value: str | date | None, expected: str) -> None:
    assert vn_date(value) == expected


def test_vn_datetime_is_vietnam_time() -> None:
    assert vn_datetime("2026-12-01T07:05:00Z") == "01/12/2026 14:05"
    assert vn_datetime(datetime(2026, 12, 31, 17, 30, tzinfo=timezone.utc)) == "01/01/2027 00:30"
    assert vn_datetime(None) == "—"


def test_days_since() -> None:
    now = datetime(2026, 12, 1, 12, tzinfo=timezone.utc)
    assert days_since("2026-11-01T12:00:00+00:00", now) == 30
    assert days_since(None, now) is None


@pytest.mark.parametrize(("label", "value", "expected"), [
    (group_label, "FOOD", "Thực phẩm"),
    (group_label, "HERBAL", "Dược liệu và sản phẩm từ dược liệu"),
    (group_label, None, "Chưa xác định nhóm"),
    (producer_type_label, "COOPERATIVE", "Hợp tác xã"),
    (producer_type_label, "HOUSEHOLD", "Hộ sản xuất, kinh doanh"),
    (producer_type_label, None, "Chưa rõ loại chủ thể"),
    (status_label, "ACTIVE", "Còn hiệu lực"),
    (status_label, "EXPIRED", "Hết hạn"),
    (stars_label, 5, "5 sao"),
])
def test_labels(label, value, expected) -> None:  # type: ignore[no-untyped-def]
    assert label(value) == expected
