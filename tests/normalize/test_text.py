"""clean_text / clean_name on cells as registries write them."""
from __future__ import annotations

import unicodedata

import pytest

from hub.normalize.encodings import encode_legacy
from hub.normalize.text import clean_name, clean_text


def _cp1252(data: bytes) -> str:
    """Bytes as a cp1252 program shows them (its five undefined bytes as the Latin-1 code point)."""
    return "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in data)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, ""),
        ("", ""),
        ("   ", ""),
        ("  Chè Shan tuyết   Hà Giang  ", "Chè Shan tuyết Hà Giang"),
        ("Mật ong\u00a0bạc hà\tĐồng Văn\n", "Mật ong bạc hà Đồng Văn"),
        ("Miến dong\r\nNa Rì", "Miến dong Na Rì"),
        ("Tinh bột\u200b nghệ\u200d nếp đỏ\ufeff", "Tinh bột nghệ nếp đỏ"),
        ("Đặc\u00adsản Trà Vinh", "Đặcsản Trà Vinh"),  # soft hyphen is junk in real Unicode text
        (unicodedata.normalize("NFD", "Hợp tác xã Nông nghiệp Hải Yến"), "Hợp tác xã Nông nghiệp Hải Yến"),
        ("Hîp t¸c x· N«ng nghiÖp H¶i YÕn", "Hợp tác xã Nông nghiệp Hải Yến"),  # .VnTime cell
        ("Hôïp taùc xaõ Noâng nghieäp", "Hợp tác xã Nông nghiệp"),  # VNI-Times cell
        ("Chuçi gi¸ trÞ  n«ng s¶n", "Chuỗi giá trị nông sản"),  # TCVN3 + double space
        ("Rượu ngô Bắc Hà", "Rượu ngô Bắc Hà"),
        ("OCOP 2024", "OCOP 2024"),
        ("Chè\x00 Shan\x07 tuyết\x9f", "Chè Shan tuyết"),  # stray control codes
        # bidi controls: overrides, embeddings, isolates, marks (a name that displays reversed)
        ("HTX \u202eNến Hoa\u202c Sen", "HTX Nến Hoa Sen"),
        ("Trà \u202aShan\u202b tuyết\u202d\u202c", "Trà Shan tuyết"),
        ("\u2066Mật ong\u2069 \u2067rừng\u2069\u2068", "Mật ong rừng"),
        ("Miến\u200e dong\u200f\u061c Na Rì", "Miến dong Na Rì"),
        # upper-case toned letters: TCVN 5712 codes in the C0/C1 ranges, read as Latin-1 or cp1252
        (encode_legacy("ĐẶC SẢN TRÀ VINH", "tcvn3").decode("latin-1"), "ĐẶC SẢN TRÀ VINH"),
        (_cp1252(encode_legacy("ĐẶC SẢN TRÀ VINH", "tcvn3")), "ĐẶC SẢN TRÀ VINH"),
        (encode_legacy("TỔ HỢP TÁC ỨNG HÒA", "tcvn3").decode("latin-1"), "TỔ HỢP TÁC ỨNG HÒA"),
    ],
)
def test_clean_text(raw: str | None, expected: str) -> None:
    assert clean_text(raw) == expected


def test_clean_text_keeps_tcvn3_u_horn_soft_hyphen() -> None:
    """In TCVN3 "ư" is byte 0xAD, the soft-hyphen code point: repair before stripping it."""
    mojibake = encode_legacy("Nước mắm Phú Quốc", "tcvn3").decode("cp1252")
    assert "\u00ad" in mojibake
    assert clean_text(mojibake) == "Nước mắm Phú Quốc"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("HTX NÔNG NGHIỆP HẢI YẾN", "HTX Nông Nghiệp Hải Yến"),
        ("htx nông nghiệp hải yến", "HTX Nông Nghiệp Hải Yến"),
        ("  hợp tác xã   dịch vụ nông nghiệp đồng văn ", "Hợp Tác Xã Dịch Vụ Nông Nghiệp Đồng Văn"),
        ("CÔNG TY TNHH MTV ĐẶC SẢN TRÀ VINH", "Công Ty TNHH MTV Đặc Sản Trà Vinh"),
        ("CÔNG TY CP CHÈ HÀ GIANG", "Công Ty CP Chè Hà Giang"),
        ("dntn minh anh", "DNTN Minh Anh"),
        ("tổ hợp tác miến dong na rì (tht)", "Tổ Hợp Tác Miến Dong Na Rì (THT)"),
        ("sản phẩm ocop 4 sao", "Sản Phẩm OCOP 4 Sao"),
        ("ĐẶC SẢN ĐƯỜNG PHÈN", "Đặc Sản Đường Phèn"),
        ("Cty TNHH Mật ong Bạc Hà", "Công ty TNHH Mật ong Bạc Hà"),
        ("C.ty CP Chè Hà Giang", "Công ty CP Chè Hà Giang"),
        ("Cty. TNHH Minh Anh", "Công ty TNHH Minh Anh"),
        ("CTY TNHH MINH ANH", "Công Ty TNHH Minh Anh"),
        ("cty tnhh minh anh", "Công Ty TNHH Minh Anh"),
        ("Hợp tác xã Nông nghiệp Hải Yến", "Hợp tác xã Nông nghiệp Hải Yến"),  # mixed case kept
        ("Nguyễn Văn An", "Nguyễn Văn An"),
        ("Công ty TNHH City Garden", "Công ty TNHH City Garden"),  # "City" is not "Cty"
        ("Hîp t¸c x· N«ng nghiÖp", "Hợp tác xã Nông nghiệp"),  # .VnTime cell, repaired
        # .VnTimeH cell: the font draws TCVN3's lower-case codes as capitals
        ("HîP T¸C X· N«NG NGHIÖP H¶I YÕN", "Hợp Tác Xã Nông Nghiệp Hải Yến"),
        ("Mật Ong Bạc Hà", "Mật Ong Bạc Hà"),
        ("MẬT ONG bạc hà", "MẬT ONG bạc hà"),
        ("", ""),
        (None, ""),
    ],
)
def test_clean_name(raw: str | None, expected: str) -> None:
    assert clean_name(raw) == expected
