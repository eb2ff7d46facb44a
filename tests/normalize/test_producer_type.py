"""read_producer_type / parse_producer_type: the type column and the producer's name, and which wins."""
from __future__ import annotations

import pytest

from hub.vocabulary import ProducerType
from hub.normalize.encodings import encode_legacy
from hub.normalize.problem import Problem
from hub.normalize.producer_type import TypeReading, parse_producer_type, read_producer_type

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
        ("Chi nhánh Công ty TNHH Thực phẩm Hải Hà", ENT),  # was read as "chị …", a household
        ("Hồ Văn Nam", HOUSE),
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


# --- read_producer_type -------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # enterprises, branches and offices of enterprises
        ("Chi nhánh Công ty TNHH Thực phẩm Hải Hà", ENT),  # "chi" is not "chị" here
        ("CN Công ty CP Dược liệu Tuệ Linh", ENT),
        ("Văn phòng đại diện Công ty CP Dược liệu Tuệ Linh", ENT),
        ("DNTN Minh Anh", ENT),
        ("DN Tư nhân Hải Yến", ENT),
        ("Doanh nghiệp tư nhân Thành Đạt", ENT),
        ("Công ty CP Đặc sản Trà Vinh", ENT),
        ("Cty CP Thương mại Hạ Long", ENT),
        ("CTCP Chè Hà Giang", ENT),
        ("Công ty TNHH MTV Sản xuất Thương mại Quang Minh", ENT),
        ("C.ty TNHH Bảo Long", ENT),
        ("CtyTNHH Hoàng Gia", ENT),
        ("CÔNG TY TNHH HẢI YẾN", ENT),
        ("Cty TNHH DV&TM Hưng Thịnh", ENT),
        ("Tổng công ty Thủy sản Hạ Long", ENT),
        ("Xí nghiệp chè Ba Vì", ENT),
        ("Công ty Hồ Tây", ENT),
        ("Cơ sở chế biến chè – Công ty CP Chè Long Cốc", ENT),  # the company's form wins over "Cơ sở"
        # cooperatives
        ("Chi nhánh HTX Nông nghiệp Đông Chiều", COOP),
        ("HTX Nông nghiệp Hải Yến", COOP),
        ("HTXNN Đồng Tâm", COOP),
        ("HTX DV NN Tân Lập", COOP),
        ("HTX NN Hòa Bình", COOP),
        ("HTX DVNN Quyết Tiến", COOP),
        ("HTXDV Thương mại Hà Giang", COOP),
        ("Hợp tác xã NN Bình Liêu", COOP),
        ("hop tac xa nong nghiep hai yen", COOP),
        ("Liên hiệp HTX Thương mại Quảng Ninh", COOP),
        ("HTX Hồ Sen", COOP),
        ("HTX Chi Lăng", COOP),
        ("Hợp tác xã Nông nghiệp và Dịch vụ Hộ Độ", COOP),
        # cooperative groups
        ("THT SX miến dong Na Rì", GROUP),
        ("THT Chăn nuôi Bản Pục", GROUP),
        ("Tổ hợp tác sản xuất chè Tân Cương", GROUP),
        ("Nhóm hợp tác Làng nghề Đông Hồ", GROUP),
        # households
        ("Hộ Nguyễn Văn An", HOUSE),
        ("Hộ SXKD Trần Văn Bình", HOUSE),
        ("Hộ KD Lê Thị Hồng", HOUSE),
        ("Hộ kinh doanh Trần Thị Bình", HOUSE),
        ("HKD Phạm Văn Đức", HOUSE),
        ("Hộ gia đình ông Hoàng Văn Sơn", HOUSE),
        ("Hộ bà Lò Thị Mai", HOUSE),
        ("ho kinh doanh Tran Van Binh", HOUSE),
        ("Cơ sở Tâm Đức (hộ ông Nguyễn Văn An)", HOUSE),
        ("Cơ sở sản xuất Tâm Đức (hộ Nguyễn Văn An)", HOUSE),
        ("Cơ sở sản xuất Tâm Đức (hộ kinh doanh)", HOUSE),
        ("Cơ sở sản xuất nước mắm Cái Rồng", HOUSE),
        ("Cơ sở Bánh gai Tứ Trụ", HOUSE),
        ("CSSX Hương Quê", HOUSE),
        ("Cá nhân Nguyễn Văn Thành", HOUSE),
        ("Ông Nguyễn Văn Thành", HOUSE),
        ("Chị Lò Thị Mai", HOUSE),
        ("Nguyễn Văn An", HOUSE),
        ("Hồ Văn Nam", HOUSE),  # a person named Hồ
        ("Hồ Thị Lan", HOUSE),
        ("Ho Van Nam", HOUSE),
    ],
)
def test_read_type_from_name(name: str, expected: ProducerType) -> None:
    assert read_producer_type(None, name) == TypeReading(expected, None)
    assert read_producer_type("", name) == TypeReading(expected, None)


@pytest.mark.parametrize(
    "name",
    [
        "Hồ Tiêu Phú Quốc",  # "Hồ" here is not "hộ", and "hồ tiêu" (pepper) is not a person
        "Mật ong Bạc Hà",
        "Ba Chẽ Food",  # "ba" is not "bà" before a place
        "Ong mật Sơn La",
        "Chi nhánh Hải Yến",  # a branch of what?
        "Nguyễn Văn An 2",
    ],
)
def test_read_type_name_that_does_not_say(name: str) -> None:
    reading = read_producer_type(None, name)
    assert reading.type is None
    assert reading.warning is not None
    assert (reading.warning.code, reading.warning.field) == ("TYPE_UNKNOWN", "producer_type")
    assert name in reading.warning.message


@pytest.mark.parametrize(
    ("type_text", "expected"),
    [
        ("HTX", COOP),
        ("HTXNN", COOP),
        ("Hợp tác xã", COOP),
        ("Chủ thể: HTX", COOP),
        ("THT", GROUP),
        ("Tổ hợp tác", GROUP),
        ("Nhóm hợp tác", GROUP),
        ("DN", ENT),
        ("Doanh nghiệp", ENT),
        ("DNTN", ENT),
        ("CTCP", ENT),
        ("Công ty TNHH", ENT),
        ("Hộ", HOUSE),
        ("hộ gia đình", HOUSE),
        ("HKD", HOUSE),
        ("Hộ kinh doanh cá thể", HOUSE),
        ("Cá nhân", HOUSE),
        ("Cơ sở SX", HOUSE),
        ("cooperative_group", GROUP),
        ("enterprise", ENT),
    ],
)
def test_read_type_column(type_text: str, expected: ProducerType) -> None:
    assert read_producer_type(type_text, None) == TypeReading(expected, None)
    assert read_producer_type(type_text, "Mật ong Bạc Hà") == TypeReading(expected, None)  # name silent


@pytest.mark.parametrize(
    ("type_text", "name", "expected"),
    [
        # column and name agree
        ("HTX", "HTX Nông nghiệp Hải Yến", COOP),
        ("Hộ", "Nguyễn Văn An", HOUSE),
        ("Hộ SXKD", "Cơ sở sản xuất Tâm Đức", HOUSE),
        ("Doanh nghiệp", "Chi nhánh Công ty TNHH Thực phẩm Hải Hà", ENT),
    ],
)
def test_read_type_agreeing(type_text: str, name: str, expected: ProducerType) -> None:
    assert read_producer_type(type_text, name) == TypeReading(expected, None)


@pytest.mark.parametrize(
    ("type_text", "name", "expected"),
    [
        # a name that opens with its legal form is registration evidence: it wins
        ("Hộ", "Công ty TNHH Hải Yến", ENT),
        ("Hộ SXKD", "Chi nhánh Công ty TNHH Thực phẩm Hải Hà", ENT),
        ("Doanh nghiệp", "HTX Nông nghiệp Hải Yến", COOP),
        ("HTX", "THT SX miến dong Na Rì", GROUP),
        ("HTX", "Hộ kinh doanh Trần Thị Bình", HOUSE),
        ("Tổ hợp tác", "DNTN Minh Anh", ENT),
        # a legal form further in names a parent or an owner, and a hint is a hint: the column wins
        ("Hộ", "Cơ sở chế biến chè – Công ty CP Chè Long Cốc", HOUSE),
        ("Hộ", "Nguyễn Văn An (Giám đốc HTX Hải Yến)", HOUSE),
        ("HTX", "Cơ sở Tâm Đức (hộ Nguyễn Văn An)", COOP),
        ("HTX", "Nguyễn Văn An", COOP),
        ("Doanh nghiệp", "Cơ sở sản xuất nước mắm Cái Rồng", ENT),
        ("Công ty", "Ông Nguyễn Văn Thành", ENT),
        ("Công ty", "Ho Chi Minh Food", ENT),  # unmarked "Ho Chi" is "Hồ Chí", not "hộ chị"
    ],
)
def test_read_type_mismatch(type_text: str, name: str, expected: ProducerType) -> None:
    reading = read_producer_type(type_text, name)
    assert reading.type == expected
    assert reading.warning is not None
    assert (reading.warning.code, reading.warning.field) == ("TYPE_MISMATCH", "producer_type")
    assert type_text in reading.warning.message and name in reading.warning.message
    assert parse_producer_type(type_text, name) == expected  # the old API resolves it the same way


@pytest.mark.parametrize(
    ("type_text", "name", "expected"),
    [
        ("Trường học", "Nguyễn Văn An", None),  # a hint is not enough against an unreadable column
        ("Khác", "Cơ sở Bánh gai Tứ Trụ", None),
        ("xyz", None, None),
        ("Khác", "HTX Nông nghiệp Hải Yến", COOP),  # a legal form still is
        ("Loại khác", "Công ty CP Chè Long Cốc", ENT),
        ("Khác", "Cơ sở chế biến chè – Công ty CP Chè Long Cốc", None),
        (None, "Mật ong Bạc Hà", None),
        (None, None, None),
        ("", "", None),
    ],
)
def test_read_type_unknown_is_a_warning(type_text: str | None, name: str | None, expected: ProducerType | None) -> None:
    reading = read_producer_type(type_text, name)
    assert reading.type == expected
    assert reading.warning is not None
    assert (reading.warning.code, reading.warning.field) == ("TYPE_UNKNOWN", "producer_type")
    if type_text:
        assert type_text in reading.warning.message and reading.warning.value == type_text


def test_read_type_repairs_legacy_text() -> None:
    name = encode_legacy("Chi nhánh Công ty TNHH Thực phẩm Hải Hà", "tcvn3").decode("cp1252")
    column = encode_legacy("Hộ kinh doanh", "vni").decode("cp1252")
    assert read_producer_type(None, name) == TypeReading(ENT, None)
    assert read_producer_type(column, None) == TypeReading(HOUSE, None)
