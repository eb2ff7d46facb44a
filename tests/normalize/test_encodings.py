"""decode_bytes / encode_legacy / repair_text on real Vietnamese strings in every legacy encoding."""
from __future__ import annotations

import shutil
import subprocess
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hub.normalize.encodings import decode_bytes, encode_legacy, repair_text
from hub.normalize.problem import Problem

SAMPLES = [
    "Hợp tác xã Nông nghiệp Hải Yến",
    "Chè Shan tuyết Hà Giang",
    "Mật ong bạc hà Đồng Văn",
    "Tinh bột nghệ nếp đỏ",
    "Đặc sản Trà Vinh",
    "Miến dong Na Rì",
    "Nước mắm Phú Quốc 40 độ đạm",
    "Rượu ngô men lá Bắc Hà",
    "HỢP TÁC XÃ DỊCH VỤ NÔNG NGHIỆP TỔNG HỢP ẲNG NƯA",
    "Công ty TNHH MTV Thương mại Ỷ Lan - Ấp Ụ, Ừng Ữ",
    "Cà phê Đắk Lắk, Huyện Mỵ, Quỳnh Lưu, Khuya",
]

VOWELS = "aăâeêioôơuưy"
TONES = ["", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"]
LOWER = [unicodedata.normalize("NFC", unicodedata.normalize("NFD", v) + t) for v in VOWELS for t in TONES]
ALPHABET = "".join(LOWER) + "đ" + "".join(LOWER).upper() + "Đ" + "bcdghklmnpqrstvx" + "BCDGHKLMNPQRSTVX"

LEGACY = ["tcvn3", "vni", "cp1258"]


def test_alphabet_is_complete() -> None:
    assert len(set(ALPHABET)) == 2 * (12 * 6 + 1 + 16)  # per case: 12 vowels x 6 tones, đ, 16 consonants


# --- hand-checked bytes: what a .VnTime / VNI-Times / Windows-1258 file really contains --------------

@pytest.mark.parametrize(
    ("text", "encoding", "expected"),
    [
        ("Hợp tác", "tcvn3", b"H\xeep t\xb8c"),
        ("Đặc sản", "tcvn3", b"\xa7\xc6c s\xb6n"),
        ("Văn", "tcvn3", b"V\xa8n"),
        ("Hợp tác", "vni", b"H\xf4\xefp ta\xf9c"),
        ("Đặc sản", "vni", b"\xd1a\xebc sa\xfbn"),
        ("Nông", "vni", b"No\xe2ng"),
        ("Rì", "vni", b"R\xec"),
        ("Tiếng Việt", "cp1258", b"Ti\xea\xecng Vi\xea\xf2t"),  # ê + acute (0xEC); ê + dot (0xF2)
        ("Hà", "cp1258", b"H\xe0"),                         # à exists precomposed in cp1258
        ("Hải", "cp1258", b"Ha\xd2i"),                      # ả = a + combining hook (0xD2)
    ],
)
def test_encode_legacy_known_bytes(text: str, encoding: str, expected: bytes) -> None:
    assert encode_legacy(text, encoding) == expected


# --- auto-detection ----------------------------------------------------------------------------------

@pytest.mark.parametrize("encoding", LEGACY)
@pytest.mark.parametrize("text", SAMPLES)
def test_auto_detects_legacy_encodings(text: str, encoding: str) -> None:
    assert decode_bytes(encode_legacy(text, encoding), "auto") == (text, encoding)


@pytest.mark.parametrize("text", SAMPLES)
def test_auto_reads_nfd_utf8_as_nfc(text: str) -> None:
    data = unicodedata.normalize("NFD", text).encode("utf-8")
    assert data != text.encode("utf-8")
    assert decode_bytes(data, "auto") == (text, "utf-8")


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("Hợp tác xã".encode("utf-8"), ("Hợp tác xã", "utf-8")),
        (b"\xef\xbb\xbf" + "Miến dong Na Rì".encode("utf-8"), ("Miến dong Na Rì", "utf-8-sig")),
        ("Mật ong".encode("utf-16"), ("Mật ong", "utf-16")),
        (b"plain ASCII, 2024", ("plain ASCII, 2024", "utf-8")),
        (b"", ("", "utf-8")),
        # a Windows-1258 CSV line with combining tone bytes: "Đặc sản;Trà Vinh"
        (b"\xd0\xe3\xf2c sa\xd2n;Tra\xcc Vinh", ("Đặc sản;Trà Vinh", "cp1258")),
        # a TCVN3 line with a tab and CRLF
        (b"\xa7\xc6c s\xb6n\tTr\xb5 Vinh\r\n", ("Đặc sản\tTrà Vinh\r\n", "tcvn3")),
        # VNI with uppercase: "ĐỒNG VĂN"
        (b"\xd1O\xc0NG VA\xcaN", ("ĐỒNG VĂN", "vni")),
    ],
)
def test_auto_detection_cases(data: bytes, expected: tuple[str, str]) -> None:
    assert decode_bytes(data, "auto") == expected


def test_auto_refuses_bytes_that_are_not_vietnamese() -> None:
    result = decode_bytes(bytes(range(0x80, 0x100)) * 3, "auto")
    assert isinstance(result, Problem) and result.code == "UNDETECTED_ENCODING"


# --- explicit encodings ----------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("data", "encoding", "expected"),
    [
        ("Hợp tác xã".encode(), "utf-8", ("Hợp tác xã", "utf-8")),
        (b"\xef\xbb\xbfabc", "utf-8", ("abc", "utf-8-sig")),
        (b"\xef\xbb\xbfabc", "utf-8-sig", ("abc", "utf-8-sig")),
        (b"abc", "utf-8-sig", ("abc", "utf-8-sig")),
        (b"H\xeep t\xb8c x\xb7", "tcvn3", ("Hợp tác xã", "tcvn3")),
        (b"H\xf4\xefp Ho\xe2ng", "vni", ("Hợp Hông", "vni")),
        (b"a\xb3", "tcvn3", ("á", "tcvn3")),  # TCVN 5712 combining acute (0xB3) composes
        (b"Vi\xea\xf2t", "cp1258", ("Việt", "cp1258")),
    ],
)
def test_decode_named_encoding(data: bytes, encoding: str, expected: tuple[str, str]) -> None:
    assert decode_bytes(data, encoding) == expected


@pytest.mark.parametrize(
    ("data", "encoding", "code"),
    [
        (b"H\xeep t\xb8c", "utf-8", "UNDECODABLE_BYTES"),
        (b"abc", "latin-9", "UNKNOWN_ENCODING"),
        (b"abc", "viscii", "UNKNOWN_ENCODING"),
    ],
)
def test_decode_problems(data: bytes, encoding: str, code: str) -> None:
    result = decode_bytes(data, encoding)
    assert isinstance(result, Problem) and result.code == code and result.field == "encoding"


def test_encode_legacy_rejects_unknown_encoding() -> None:
    with pytest.raises(ValueError):
        encode_legacy("abc", "utf-16")


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_unrepresentable_characters_become_question_marks(encoding: str) -> None:
    assert encode_legacy("Chè 茶 €", encoding).endswith(b" ? ?")


# --- round trips ------------------------------------------------------------------------------------

@pytest.mark.parametrize("encoding", LEGACY)
def test_round_trip_full_alphabet(encoding: str) -> None:
    text = " ".join(ALPHABET) + " " + ALPHABET
    assert decode_bytes(encode_legacy(text, encoding), encoding) == (text, encoding)


@pytest.mark.parametrize("encoding", LEGACY)
def test_encode_accepts_nfd_input(encoding: str) -> None:
    text = "Mật ong bạc hà Đồng Văn"
    assert encode_legacy(unicodedata.normalize("NFD", text), encoding) == encode_legacy(text, encoding)


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(alphabet=st.sampled_from(list(ALPHABET + " 0123456789,.-")), max_size=40),
    encoding=st.sampled_from(LEGACY),
)
def test_round_trip_property(text: str, encoding: str) -> None:
    assert decode_bytes(encode_legacy(text, encoding), encoding) == (text, encoding)


@pytest.mark.skipif(shutil.which("iconv") is None, reason="glibc iconv not installed")
def test_tcvn3_agrees_with_glibc_iconv() -> None:
    """Every letter we write in TCVN3 is what glibc's TCVN5712-1 writes (the VN1 superset of ABC)."""
    probe = subprocess.run(["iconv", "-l"], capture_output=True, text=True)
    if "TCVN5712-1" not in probe.stdout:
        pytest.skip("iconv has no TCVN5712-1")
    for letter in ALPHABET:
        theirs = subprocess.run(
            ["iconv", "-f", "UTF-8", "-t", "TCVN5712-1"], input=letter.encode(), capture_output=True
        ).stdout
        assert encode_legacy(letter, "tcvn3") == theirs, letter


# --- repair_text ------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", SAMPLES)
@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_repair_legacy_mojibake(text: str, encoding: str) -> None:
    """A cell typed in a .VnTime / VNI-Times font and read as cp1252 (how .xlsx stores it)."""
    mojibake = "".join(
        bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in encode_legacy(text, encoding)
    )
    assert mojibake != text
    assert repair_text(mojibake) == text


@pytest.mark.parametrize(
    ("mojibake", "expected"),
    [
        ("Hîp t¸c x· N«ng nghiÖp H¶i YÕn", "Hợp tác xã Nông nghiệp Hải Yến"),
        ("ChÌ Shan tuyÕt Hµ Giang", "Chè Shan tuyết Hà Giang"),
        ("Cheø Shan tuyeát Haø Giang", "Chè Shan tuyết Hà Giang"),
        ("Mieán dong Na Rì", "Miến dong Na Rì"),
        ("§Æc s¶n Trµ Vinh", "Đặc sản Trà Vinh"),
        ("Há»£p tÃ¡c xÃ£", "Hợp tác xã"),  # UTF-8 read as cp1252
    ],
)
def test_repair_known_mojibake(mojibake: str, expected: str) -> None:
    assert repair_text(mojibake) == expected


@pytest.mark.parametrize(
    "text",
    [
        *SAMPLES,
        "Cà Mau",
        "Bà Rịa – Vũng Tàu",
        "Thừa Thiên Huế",
        "Cà phê Buôn Ma Thuột",
        "HTX",
        "OCOP 2024",
        "plain ASCII text",
        "Café José",
        "Straße",
        "Señor",
        "40°C",
        "",
    ],
)
def test_repair_leaves_good_text_alone(text: str) -> None:
    assert repair_text(text) == text


def test_repair_returns_nfc() -> None:
    assert repair_text(unicodedata.normalize("NFD", "Hợp tác xã")) == "Hợp tác xã"


@pytest.mark.parametrize("encoding", LEGACY)
def test_auto_on_a_large_file_judges_a_sample_and_decodes_everything(encoding: str) -> None:
    text = "Mã;Tên sản phẩm;Chủ thể\r\n" + "".join(
        f"{i};{SAMPLES[i % len(SAMPLES)]};HTX Nông nghiệp Hải Yến\r\n" for i in range(8000)
    )
    data = encode_legacy(text, encoding)
    assert len(data) > 300_000
    assert decode_bytes(data, "auto") == (text, encoding)


# --- where viparse's tables needed help (see the module docstring) -----------------------------------

@pytest.mark.parametrize(
    ("data", "encoding", "expected"),
    [
        (b"Ha\xfa", "vni", "Hẳ"),          # breve + hook: missing from viparse's VNI table
        (b"HA\xda", "vni", "HẲ"),
        (b"\xcc \xcd", "vni", "Ì Í"),     # VNI writes these as single bytes
        (b"M\xee Cha\xe2u", "vni", "Mỵ Châu"),  # ỵ is the single byte 0xEE; viparse reads "Mî"
        (b"\xce", "vni", "Ỵ"),
        (b"\xc4N", "tcvn3", "ẤN"),        # TCVN 5712 VN1 capitals, absent from the VN3 (ABC) table
        (b"\x16", "tcvn3", "Ý"),
    ],
)
def test_viparse_gaps_are_covered(data: bytes, encoding: str, expected: str) -> None:
    assert decode_bytes(data, encoding) == (expected, encoding)
    assert encode_legacy(expected, encoding) == data


# Text as registries hold it: Vietnamese letters, legacy-font mojibake symbols, punctuation, NBSP.
_MIXED = list(ALPHABET + " 0123456789,.-“”()") + list("¸§µ¶\u00a0\u0301©�\x07Ö«")


@settings(max_examples=2000, deadline=None)
@given(text=st.one_of(
    st.text(alphabet=st.sampled_from(_MIXED), max_size=40),
    st.lists(st.sampled_from(SAMPLES + ["“Hải”", "Yến,", "(Đồng)", "t¸c", "H¶i", "Hải\u00a0Yến"]),
             max_size=6).map(" ".join),
))
def test_plain_vietnamese_shortcut_agrees_with_the_full_scan(text: str) -> None:
    """repair_text skips the word-by-word scan when _plainly_vietnamese says so: it must never
    say so for text the scan finds anything invalid in."""
    from hub.normalize.encodings import _plainly_vietnamese, _plausibility

    text = unicodedata.normalize("NFC", text)
    if _plainly_vietnamese(text):
        assert _plausibility(text)[1] == 0


def test_plain_vietnamese_shortcut_is_taken_for_clean_names() -> None:
    from hub.normalize.encodings import _plainly_vietnamese

    assert all(_plainly_vietnamese(s) for s in SAMPLES if not s.isascii())
    assert not _plainly_vietnamese("Hîp t¸c x· N«ng nghiÖp H¶i YÕn")
