"""parse_producer_type: the type column, or the producer's name when the column is empty."""
from __future__ import annotations

import pytest

from hub.models import ProducerType
from hub.normalize.encodings import encode_legacy
from hub.normalize.problem import Problem
from hub.normalize.producer_type import parse_producer_type

COOP, ENT, GROUP, HOUSE = (
    ProducerType.COOPERATIVE, ProducerType.ENTERPRISE, ProducerType.COOPERATIVE_GROUP, ProducerType.HOUSEHOLD,
)


@pytest.mark.parametrize(
    ("type_text", "expected"),
    [
        ("HTX", COOP),
        ("htx", COOP),
        ("hợp tác xã", COOP),
        ("Hợp tác xã", COOP),
        ("Hop tac xa", COOP),
        ("HỢP TÁC XÃ", COOP),
        ("công ty", ENT),
        ("Công ty", ENT),
        ("Cty TNHH", ENT),
        ("Công ty CP", ENT),
        ("Công ty cổ phần", ENT),
        ("doanh nghiệp", ENT),
        ("Doanh nghiep", ENT),
        ("DNTN", ENT),
        ("tổ hợp tác", GROUP),
        ("To hop tac", GROUP),
        ("THT", GROUP),
        ("hộ kinh doanh", HOUSE),
        ("hộ sản xuất", HOUSE),
        ("hộ sản xuất kinh doanh", HOUSE),
        ("Ho san xuat kinh doanh", HOUSE),
        ("Hộ SXKD", HOUSE),
        ("cơ sở", HOUSE),
        ("Cơ sở sản xuất", HOUSE),
        ("cooperative", COOP),
        ("household", HOUSE),
    ],
)
def test_type_text(type_text: str, expected: ProducerType) -> None:
    assert parse_producer_type(type_text, "Nguyễn Văn An") == expected  # the column wins over the name


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("HTX Nông nghiệp Hải Yến", COOP),
        ("Hợp tác xã Dịch vụ nông nghiệp Đồng Văn", COOP),
        ("Công ty TNHH Chè Hà Giang", ENT),
        ("Cty CP Đặc sản Trà Vinh", ENT),
        ("DNTN Minh Anh", ENT),
        ("Tổ hợp tác sản xuất miến dong Na Rì", GROUP),
        ("Hộ kinh doanh Trần Thị Bình", HOUSE),
        ("Hộ ông Nguyễn Văn An", HOUSE),
        ("Cơ sở sản xuất Tâm Đức", HOUSE),
        ("Nguyễn Văn An", HOUSE),
        ("Lê Thị Hoa", HOUSE),
        ("Đặng Văn Sơn", HOUSE),
        (encode_legacy("Hợp tác xã Nông nghiệp Hải Yến", "tcvn3").decode("cp1252"), COOP),
    ],
)
def test_inferred_from_name(name: str, expected: ProducerType) -> None:
    assert parse_producer_type(None, name) == expected
    assert parse_producer_type("  ", name) == expected


@pytest.mark.parametrize(
    ("type_text", "name", "code"),
    [
        ("Trường học", "Nguyễn Văn An", "UNKNOWN_PRODUCER_TYPE"),
        ("xyz", None, "UNKNOWN_PRODUCER_TYPE"),
        (None, "Mật ong Bạc Hà", "UNKNOWN_PRODUCER_TYPE"),
        (None, None, "MISSING_PRODUCER_TYPE"),
        ("", "", "MISSING_PRODUCER_TYPE"),
    ],
)
def test_problems(type_text: str | None, name: str | None, code: str) -> None:
    result = parse_producer_type(type_text, name)
    assert isinstance(result, Problem) and result.code == code and result.field == "producer_type"
