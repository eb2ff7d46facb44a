"""producer_key / product_key: one key for the same thing however written, different keys otherwise."""
from __future__ import annotations

import unicodedata

import pytest

from hub.normalize.encodings import encode_legacy
from hub.normalize.identity import producer_key, product_key


def _tcvn3_mojibake(text: str) -> str:
    return encode_legacy(text, "tcvn3").decode("cp1252")


def _vni_mojibake(text: str) -> str:
    return encode_legacy(text, "vni").decode("cp1252")


@pytest.mark.parametrize(
    ("written", "province", "key"),
    [
        ("HTX Nông nghiệp Hải Yến", "22", "22|htx nong nghiep hai yen"),
        ("Hợp tác xã Nông nghiệp Hải Yến", "22", "22|htx nong nghiep hai yen"),
        ("HỢP TÁC XÃ NÔNG NGHIỆP HẢI YẾN", "22", "22|htx nong nghiep hai yen"),
        ("Hop tac xa nong nghiep Hai Yen", "22", "22|htx nong nghiep hai yen"),
        ("  HTX   Nông nghiệp  “Hải Yến” ", "22", "22|htx nong nghiep hai yen"),
        ("HTX Nông nghiệp \"Hải Yến\"", " 22 ", "22|htx nong nghiep hai yen"),
        (unicodedata.normalize("NFD", "Hợp tác xã Nông nghiệp Hải Yến"), "22", "22|htx nong nghiep hai yen"),
        (_tcvn3_mojibake("Hợp tác xã Nông nghiệp Hải Yến"), "22", "22|htx nong nghiep hai yen"),
        (_vni_mojibake("Hợp tác xã Nông nghiệp Hải Yến"), "22", "22|htx nong nghiep hai yen"),
        ("Cty TNHH Chè Hà Giang", "02", "02|cong ty tnhh che ha giang"),
        ("Công ty TNHH Chè Hà Giang", "02", "02|cong ty tnhh che ha giang"),
        ("Công ty trách nhiệm hữu hạn Chè Hà Giang", "02", "02|cong ty tnhh che ha giang"),
        ("C.ty TNHH chè Hà Giang", "02", "02|cong ty tnhh che ha giang"),
        ("CÔNG TY TNHH CHÈ HÀ GIANG", "02", "02|cong ty tnhh che ha giang"),
        ("Công ty CP Thanh Hoá", "38", "38|cong ty cp thanh hoa"),
        ("Công ty Cổ phần Thanh Hóa", "38", "38|cong ty cp thanh hoa"),
        ("CTCP Thanh Hóa", "38", "38|cong ty cp thanh hoa"),
        ("DNTN Minh Anh", "84", "84|dntn minh anh"),
        ("Doanh nghiệp tư nhân Minh Anh", "84", "84|dntn minh anh"),
        ("Công ty TNHH MTV Đặc sản Trà Vinh", "84", "84|cong ty tnhh mtv dac san tra vinh"),
        ("Công ty TNHH Một thành viên Đặc sản Trà Vinh", "84", "84|cong ty tnhh mtv dac san tra vinh"),
        ("Tổ hợp tác Miến dong Na Rì", "06", "06|tht mien dong na ri"),
    ],
)
def test_producer_key(written: str, province: str, key: str) -> None:
    assert producer_key(written, province) == key


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (("HTX Nông nghiệp Hải Yến", "22"), ("HTX Nông nghiệp Hải Yến", "24")),  # other province
        (("HTX Nông nghiệp Hải Yến", "22"), ("HTX Nông nghiệp Hải Vân", "22")),
        (("HTX Nông nghiệp Hải Yến", "22"), ("Công ty TNHH Nông nghiệp Hải Yến", "22")),
        (("Công ty TNHH Chè Hà Giang", "02"), ("Công ty CP Chè Hà Giang", "02")),
        (("Công ty TNHH Chè Hà Giang", "02"), ("Công ty TNHH Chè Hà Giang 2", "02")),
        (("DNTN Minh Anh", "84"), ("DNTN Minh An", "84")),
        (("Tổ hợp tác Miến dong Na Rì", "06"), ("HTX Miến dong Na Rì", "06")),
    ],
)
def test_producer_keys_differ(a: tuple[str, str], b: tuple[str, str]) -> None:
    assert producer_key(*a) != producer_key(*b)


PRODUCER = producer_key("HTX Nông nghiệp Hải Yến", "22")


@pytest.mark.parametrize(
    "written",
    [
        "Mật ong bạc hà Đồng Văn",
        "MẬT ONG BẠC HÀ ĐỒNG VĂN",
        "Mật ong Bạc Hà - Đồng Văn",
        "Mật  ong “bạc hà” Đồng Văn",
        "Mat ong bac ha Dong Van",
        unicodedata.normalize("NFD", "Mật ong bạc hà Đồng Văn"),
        _tcvn3_mojibake("Mật ong bạc hà Đồng Văn"),
        _vni_mojibake("Mật ong bạc hà Đồng Văn"),
    ],
)
def test_product_key_same(written: str) -> None:
    assert product_key(written, PRODUCER) == "22|htx nong nghiep hai yen|mat ong bac ha dong van"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (("Mật ong bạc hà Đồng Văn", PRODUCER), ("Mật ong bạc hà Đồng Văn", producer_key("HTX Hải Yến", "22"))),
        (("Mật ong bạc hà Đồng Văn", PRODUCER), ("Mật ong hoa cà phê", PRODUCER)),
        (("Chè Shan tuyết Hà Giang", PRODUCER), ("Chè Shan tuyết Hà Giang loại 1", PRODUCER)),
        (("Tinh bột nghệ nếp đỏ", PRODUCER), ("Tinh bột nghệ vàng", PRODUCER)),
    ],
)
def test_product_keys_differ(a: tuple[str, str], b: tuple[str, str]) -> None:
    assert product_key(*a) != product_key(*b)


def test_hoa_tone_placement() -> None:
    assert product_key("Rượu Thanh Hoá", PRODUCER) == product_key("Rượu Thanh Hóa", PRODUCER)


def test_names_differing_only_in_marks_share_a_key() -> None:
    """The price of matching unaccented spellings: "Hải Yên" and "Hải Yến" are one key."""
    assert producer_key("HTX Hải Yên", "22") == producer_key("HTX Hải Yến", "22")
