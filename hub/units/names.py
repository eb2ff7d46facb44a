"""Unit names as registries write them → look-up keys: the type prefix ("tỉnh", "TP.", "huyện",
"Q.", "xã", "P." …, or an English "Province" / "City" after the name) split off, diacritics, case and spacing folded, and the usual spelling variants
unified (k/c: Bắc Kạn/Bắc Cạn, final y/i: Mỹ/Mĩ). Pure functions, shared by the unit resolver
(hub.units.resolver) and the reference loader."""
from __future__ import annotations

import difflib
import re
import unicodedata

from hub.normalize.fold import search_key

_PUNCT = str.maketrans({"\u2013": "-", "\u2014": "-", "\u2019": "'", "\u2018": "'"})
_TYPE_WORDS = [  # (diacritic spelling, ascii spelling, type)
    ("thành phố", "thanh pho", "tp"),
    ("thị trấn", "thi tran", "thitran"),
    ("thị xã", "thi xa", "thixa"),
    ("đặc khu", "dac khu", "dackhu"),
    ("phường", "phuong", "phuong"),
    ("huyện", "huyen", "huyen"),
    ("quận", "quan", "quan"),
    ("tỉnh", "tinh", "tinh"),
    ("xã", "xa", "xa"),
]
_ABBREV = [  # abbreviations: the same with or without diacritics
    (r"t\.?\s?p(?:\.\s*|\s+|(?=[^\W\d_]))", "tp"),
    (r"t\.?\s?x(?:\.\s*|\s+)", "thixa"),
    (r"t\.?\s?t(?:\.\s*|\s+)", "thitran"),
    (r"h\.\s*", "huyen"),
    (r"q(?:\.\s*|\s*(?=\d))", "quan"),
    (r"x\.\s*", "xa"),
    (r"p(?:\.\s*|\s*(?=\d))", "phuong"),
]
_PREFIX_DIA = re.compile(
    "^(?:" + "|".join(f"(?P<w{i}>{re.escape(d)}\\s+)" for i, (d, _, _) in enumerate(_TYPE_WORDS))
    + "|" + "|".join(f"(?P<a{i}>{p})" for i, (p, _) in enumerate(_ABBREV)) + ")"
)
_PREFIX_ASCII = re.compile(
    "^(?:" + "|".join(f"(?P<w{i}>{re.escape(a)}\\s+)" for i, (_, a, _) in enumerate(_TYPE_WORDS))
    + "|" + "|".join(f"(?P<a{i}>{p})" for i, (p, _) in enumerate(_ABBREV)) + ")"
)
_OLD_NEW_MARK = re.compile(r"\s*(?:\(\s*(?:cũ|mới|cu|moi)\s*\)|\s(?:cũ|mới))$", re.IGNORECASE)  # "Bắc Kạn (cũ)"
_ENGLISH_TYPE = re.compile(r"\s+(?:province|city)$", re.IGNORECASE)  # "Quang Ninh Province", "Ho Chi Minh City"
_K = re.compile(r"k(?!h)")
_FINAL_Y = re.compile(r"(?<=[bcdghlmnpqrstvx])y$")

DISTRICT_TYPES = {"huyen", "quan", "thixa", "tp"}
COMMUNE_TYPES = {"xa", "phuong", "thitran", "dackhu"}


def split_prefix(text: str) -> tuple[str | None, str]:
    """('xa', 'Tân Thành') from 'Xã Tân Thành'; the type is None when no prefix is written.

    Full-word prefixes are recognised with their diacritics ('xã', not 'xá'), or in plain ASCII
    when the whole text is written without diacritics ('xa tan thanh')."""
    s = " ".join(unicodedata.normalize("NFC", text.translate(_PUNCT)).split())
    s = _OLD_NEW_MARK.sub("", s) or s
    s = _ENGLISH_TYPE.sub("", s) or s
    low = s.lower()
    m = (_PREFIX_ASCII if low.isascii() else _PREFIX_DIA).match(low)
    if m and m.end() < len(low):
        for name, value in m.groupdict().items():
            if value is not None:
                idx = int(name[1:])
                typ = _TYPE_WORDS[idx][2] if name[0] == "w" else _ABBREV[idx][1]
                rest = s[m.end():].strip(" .-")
                again, bare = split_prefix(rest)
                # 'phường Phường 8': the type written twice, once as the name's own first word
                return typ, bare if again == typ else rest
    return None, s


def bare_key(text: str) -> str:
    """The look-up key of a name without its prefix: folded, variants unified, no spaces."""
    out = []
    for tok in search_key(text).split():
        if tok.isdecimal():
            out.append(str(int(tok)))
            continue
        tok = _K.sub("c", tok)
        tok = _FINAL_Y.sub("i", tok)
        out.append(tok)
    return "".join(out)


def unit_key(text: str) -> tuple[str | None, str]:
    typ, bare = split_prefix(text)
    return typ, bare_key(bare)


def nearest_names(text: str, names: list[str], n: int = 3) -> list[str]:
    """The names (as written in ``names``) whose look-up keys are closest to ``text``'s, best
    first: what an unknown unit's error suggests ("Quang Nin" → "Quảng Ninh")."""
    keyed: dict[str, str] = {}
    for name in names:
        keyed.setdefault(unit_key(name)[1], name)
    return [keyed[k] for k in difflib.get_close_matches(unit_key(text)[1], list(keyed), n=n, cutoff=0.6)]
