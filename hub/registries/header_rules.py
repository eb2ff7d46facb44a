"""What a registry header means, by rules a careful clerk applies, not by a list of exact headers.

A header is folded (``search_key``: no marks, đ → d, lower case), split into words, its usual
abbreviations expanded as whole words (SP → sản phẩm, QĐ → quyết định, HTX → hợp tác xã …; the
same written as initials split by a slash or dot, "Đ/c", "S.P", read as the word they spell), and
the words that only mean something together joined into one token ("dia chi" → ``dia_chi``,
"nganh hang" → ``nganh_hang``, "thoi diem" → ``thoi_diem``), so that a bare ``hang`` is a rank,
``xa`` a commune, ``so`` a number, ``nam`` a year and ``diem`` a score ("Thời điểm công nhận" is
a date, not a score). The tokens are then scored against a small table of patterns per field.

Scoring: a pattern is a few terms, each a set of alternative tokens ("ngay quyet_dinh|cap"); it
matches when every term is present, anywhere. It scores one point per term, plus ``HEAD_BONUS``
when its first term is the header's first token: Vietnamese puts the head noun first, so "Nhóm
sản phẩm" is a group and "Tên sản phẩm" a name, though both contain "sản phẩm". A field's score is
its best pattern's, or 0 when one of its ``none_of`` tokens is present (a header with "ngày" is a
date, not a year; "Số, ngày quyết định" is the number-and-date cell, not a date). The best score
wins; the ``None`` rules ("Ghi chú", "Mã …", "Đơn vị tính", "Ngày hết hạn", "Số sản phẩm" — a
count) win for headers that are explicitly not a field. No pattern → None. Pure: no I/O, cached per header text.

Database and portal exports write headers as field codes: ``TEN_SP``, ``SO_SAO``, ``productName``
are split at underscores and case changes into words first. A header written in English
("Product name", ``owner_type``, "OCOP rating") is translated word by word (``ENGLISH``) and its
words put in Vietnamese order, the head noun first ("Product name" → "tên sản phẩm"; "Name of
product" already is).
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from hub.normalize.fold import search_key
from hub.records import FIELDS

HEAD_BONUS = 3

# Whole-word abbreviations, folded. "tt" is context-dependent (see ``_expand``).
ABBREVIATIONS: dict[str, str] = {
    "sp": "san pham", "qd": "quyet dinh", "qdcn": "quyet dinh cong nhan", "htx": "hop tac xa",
    "dc": "dia chi", "sdt": "so dien thoai", "dt": "dien thoai", "dtdd": "dien thoai di dong",
    "nn": "nong nghiep", "ptnt": "phat trien nong thon", "sxkd": "san xuat kinh doanh", "sx": "san xuat",
    "kd": "kinh doanh", "cs": "co so", "ct": "chu the", "tp": "thanh pho", "tx": "thi xa",
    "mst": "ma so thue", "cty": "cong ty", "dn": "doanh nghiep", "dntn": "doanh nghiep tu nhan",
    "hkd": "ho kinh doanh", "tht": "to hop tac", "dv": "dich vu", "cq": "co quan", "gcn": "giay chung nhan",
    "kq": "ket qua", "dvhc": "don vi hanh chinh", "ubnd": "uy ban nhan dan", "stt": "so thu tu",
    "dk": "dac khu", "ndd": "nguoi dai dien", "cn": "cong nhan",
}

# English header words → their folded Vietnamese, for headers written wholly in English. A word
# missing here leaves the header Vietnamese (never partly translated); ``_ENGLISH_NEUTRAL`` words
# ("OCOP", "VND") are neither.
ENGLISH: dict[str, str] = {
    "product": "san pham", "products": "san pham", "item": "san pham", "name": "ten", "title": "ten",
    "owner": "chu the", "producer": "chu the", "entity": "chu the", "manufacturer": "nha san xuat",
    "company": "cong ty", "cooperative": "hop tac xa", "type": "loai hinh", "kind": "loai hinh",
    "commune": "xa", "ward": "phuong", "district": "huyen", "province": "tinh", "address": "dia chi",
    "location": "dia chi", "star": "so sao", "stars": "so sao", "rating": "xep hang", "rank": "xep hang",
    "ranking": "xep hang", "score": "diem", "points": "diem", "group": "nhom", "category": "nhom",
    "subgroup": "phan nhom", "subcategory": "phan nhom", "year": "nam", "decision": "quyet dinh",
    "no": "so", "number": "so", "num": "so", "date": "ngay", "certified": "cong nhan",
    "certification": "cong nhan", "recognized": "cong nhan", "issuer": "co quan", "authority": "co quan",
    "price": "gia", "code": "ma", "id": "ma", "qr": "ma", "url": "link", "link": "link", "website": "link",
    "phone": "dien thoai", "tel": "dien thoai", "telephone": "dien thoai", "mobile": "di dong",
    "email": "email", "mail": "email", "tax": "ma so thue", "contact": "nguoi lien he",
    "representative": "nguoi dai dien", "note": "ghi chu", "notes": "ghi chu", "remark": "ghi chu",
    "remarks": "ghi chu", "packaging": "quy cach", "package": "quy cach", "expiry": "het han",
    "expires": "het han", "expiration": "het han", "until": "het han",
}
_ENGLISH_NEUTRAL = frozenset({"ocop", "vnd", "of", "and"})
_CASE_CHANGE = re.compile(r"(?<=[a-z])(?=[A-Z])")
_UNIT_WORDS = frozenset({"xa", "phuong", "huyen", "quan", "tx", "tp", "thi", "tinh"})

# Words that mean one thing together, longest first when they overlap.
COMPOUNDS: tuple[str, ...] = (
    "so dien thoai", "dien thoai", "di dong", "thu dien tu", "e mail", "nguoi dai dien", "dai dien",
    "nguoi lien he", "lien he", "ho va ten", "ho ten", "nam sinh", "gioi tinh",
    "ma so thue", "ma so", "so thu tu", "thu tu", "so luong", "so huu", "so sao", "so diem", "tong diem",
    "san pham", "bo san pham", "hang hoa", "mat hang", "nganh hang", "ban hang", "nhan hang", "cua hang",
    "khach hang", "xep hang", "phan hang", "hang sao", "ket qua", "danh gia", "cham diem",
    "chu the", "co so", "don vi hanh chinh", "don vi tinh", "don vi", "doanh nghiep", "hop tac xa",
    "to hop tac", "cong ty", "ho kinh doanh", "san xuat kinh doanh", "san xuat", "kinh doanh", "ca nhan",
    "to chuc", "chu so huu", "nha san xuat", "hinh thuc",
    "loai hinh", "phan loai", "phan nhom", "nhom nganh", "linh vuc", "tieu nhom",
    "dia chi", "dia ban", "dia diem", "dia phuong", "tru so", "thi xa", "thi tran", "thanh pho", "dac khu",
    "xa hoi", "co quan", "quan ly", "chu quan", "lien quan", "viet nam", "tinh trang", "trang thai",
    "quyet dinh", "cong nhan", "chung nhan", "giay chung nhan", "ban hanh", "hoi dong", "tham quyen",
    "thoi gian", "thoi diem", "thoi han", "het han", "hieu luc", "den ngay",
    "danh gia lai", "lan dau", "ban dau", "hien tai", "hien nay", "cap nhat", "ghi chu", "hinh anh", "quy cach", "gia ban",
    "danh sach", "kem theo", "uy ban nhan dan", "cong hoa", "doc lap", "dich vu",
)


@dataclass(frozen=True)
class Rule:
    """Patterns that make a header mean ``field`` (None: explicitly not a field), and vetoes."""

    field: str | None
    patterns: tuple[str, ...]
    none_of: frozenset[str] = frozenset()
    unless: frozenset[str] = frozenset()  # a veto is lifted when one of these is present


def _rule(field: str | None, patterns: str, none_of: str = "", unless: str = "") -> Rule:
    """``patterns`` separated by commas; ``none_of``/``unless`` by spaces."""
    return Rule(field, tuple(p.strip() for p in patterns.split(",")), frozenset(none_of.split()),
                frozenset(unless.split()))


_PRODUCER_NOUNS = "chu_the|co_so|don_vi|doanh_nghiep|hop_tac_xa|cong_ty|to_hop_tac|ho_kinh_doanh|ho|to_chuc|ca_nhan"
_COMMUNE = "xa|phuong|thi_tran|dac_khu"
_DISTRICT = "huyen|quan|thi_xa|thanh_pho"

RULES: tuple[Rule, ...] = (
    _rule("product_name", "ten san_pham|hang_hoa|dich_vu, san_pham, hang_hoa, mat_hang", "ma so_luong"),
    _rule("producer_name", f"chu_the, ten {_PRODUCER_NOUNS}, co_so, don_vi, doanh_nghiep, hop_tac_xa, cong_ty, "
          "to_hop_tac, ho_kinh_doanh, ho san_xuat|san_xuat_kinh_doanh|kinh_doanh, ca_nhan, to_chuc, "
          "chu_so_huu, nha_san_xuat, so_huu", "dia_chi loai_hinh phan_loai"),
    _rule("producer_type", "loai_hinh, loai chu_the|doanh_nghiep|to_chuc|hinh_thuc, phan_loai, hinh_thuc to_chuc",
          "san_pham nhom nganh"),
    _rule("stars", "hang, hang_sao, so_sao, sao, xep_hang, phan_hang, ket_qua danh_gia|xep_hang|phan_hang, ket_qua, "
          "cap hang|sao",
          "diem cham_diem", unless="sao hang_sao so_sao"),
    _rule("score", "diem, tong_diem, so_diem, cham_diem"),
    _rule("group", "nhom, nganh, nganh_hang, bo_san_pham, nhom_nganh, linh_vuc, loai san_pham, "
          "phan_loai san_pham|nhom|nganh", "phan_nhom tieu_nhom"),
    _rule("subgroup", "phan_nhom, tieu_nhom, nhom con"),
    _rule("province", "tinh", "huyen quan thi_xa xa phuong thi_tran"),
    _rule("district", f"{_DISTRICT}, cap huyen, don_vi_hanh_chinh huyen|quan", "tinh xa phuong thi_tran dac_khu"),
    _rule("commune", f"{_COMMUNE}, cap xa, don_vi_hanh_chinh {_COMMUNE}", "huyen quan tinh"),
    _rule("address", f"dia_chi, noi san_xuat|cu_tru|o, dia_ban, dia_diem, tru_so, don_vi_hanh_chinh, dia_phuong, "
          f"{_COMMUNE} huyen|quan|thi_xa|thanh_pho|tinh, huyen|quan|thi_xa tinh"),
    _rule("decision_number", "so quyet_dinh|chung_nhan|giay_chung_nhan|van_ban|cong_nhan, quyet_dinh, giay_chung_nhan, "
          "so ngay"),
    _rule("decision_date", "ngay, ngay quyet_dinh|cap|cong_nhan|ban_hanh|chung_nhan|ky|danh_gia|xep_hang, "
          "thoi_gian|thoi_diem, thoi_gian|thoi_diem cong_nhan|cap|quyet_dinh|ban_hanh|danh_gia|chung_nhan, "
          "thang nam",
          "so het_han hieu_luc thoi_han den_ngay"),
    _rule("year", "nam, nam cong_nhan|dat|danh_gia|xep_hang|cap", "ngay thang het_han hieu_luc"),
    _rule("issuing_body", "co_quan, co_quan cong_nhan|ban_hanh|danh_gia|cap|quyet_dinh, "
          "cap cong_nhan|danh_gia|quyet_dinh|ban_hanh, don_vi cong_nhan|ban_hanh|danh_gia|cap, hoi_dong, "
          "tham_quyen, cap", "ngay so nam thoi_gian"),
    _rule("tax_code", "ma_so_thue, ma_so doanh_nghiep, ma doanh_nghiep"),
    _rule("phone", "dien_thoai, so_dien_thoai, di_dong, hotline"),
    _rule("email", "email, thu_dien_tu"),
    _rule("contact_person", "nguoi_dai_dien, dai_dien, lien_he, nguoi_lien_he, ho_ten, ho_va_ten"),
    _rule(None, "ghi_chu, ma, so_luong, so san_pham|hang_hoa|mat_hang|chu_the, don_vi_tinh, gia, gia_ban, quy_cach, hinh_anh, het_han, hieu_luc, den_ngay, "
          "thoi_han, danh_sach, kem_theo, uy_ban_nhan_dan, cong_hoa, doc_lap, so_thu_tu, thu_tu, nam_sinh, "
          "gioi_tinh, tinh_trang, trang_thai, website, link"),
)

_STT = frozenset({"stt", "tt", "so tt", "so thu tu", "thu tu", "no"})
_CANONICAL: dict[str, str] = {}
for _field in FIELDS:
    _CANONICAL[search_key(_field)] = _field
    _CANONICAL[search_key(_field.replace("_", " "))] = _field
_COMPOUNDS_BY_FIRST: dict[str, list[tuple[str, ...]]] = {}  # longest first; a word starting none meets none
for _compound in sorted((tuple(c.split()) for c in COMPOUNDS), key=len, reverse=True):
    _COMPOUNDS_BY_FIRST.setdefault(_compound[0], []).append(_compound)
_PATTERNS: tuple[tuple[Rule, tuple[tuple[frozenset[str], ...], ...]], ...] = tuple(
    (rule, tuple(tuple(frozenset(term.split("|")) for term in p.split()) for p in rule.patterns))
    for rule in RULES
)


def _join_initials(words: list[str]) -> list[str]:
    """Initials split by a slash or a dot ("Đ/c", "S.P", "Q.Đ" fold to "d c", "s p", "q d") are
    the abbreviation they spell, when they spell a known one; other single letters stay apart
    ("Xã/P/TT" keeps its "p")."""
    out: list[str] = []
    i = 0
    while i < len(words):
        j = i
        while j < len(words) and len(words[j]) == 1 and words[j].isalpha():
            j += 1
        if j - i >= 2 and "".join(words[i:j]) in ABBREVIATIONS:
            out.append("".join(words[i:j]))
            i = j
        else:
            out.append(words[i])
            i += 1
    return out


def _expand(words: list[str]) -> list[str]:
    """Expand abbreviations; "TT" is "thị trấn" among unit words ("Xã/P/TT"), else "thứ tự"."""
    words = _join_initials(words)
    units = bool(_UNIT_WORDS.intersection(words))
    out: list[str] = []
    for word in words:
        if word == "tt":
            out.extend(("thi tran" if units else "thu tu").split())
        elif word == "p" and units:
            out.append("phuong")
        else:
            out.extend(ABBREVIATIONS.get(word, word).split())
    return out


def _join(words: list[str]) -> tuple[str, ...]:
    """Join the compounds (longest first at each position) into single tokens."""
    tokens: list[str] = []
    i = 0
    while i < len(words):
        for compound in _COMPOUNDS_BY_FIRST.get(words[i], ()):
            if tuple(words[i:i + len(compound)]) == compound:
                tokens.append("_".join(compound))
                i += len(compound)
                break
        else:
            tokens.append(words[i])
            i += 1
    return tuple("email" if t == "e_mail" else t for t in tokens)


def _key(header: str) -> str:
    """The header folded, a field code split into words first ("TEN_CHU_THE", "productName")."""
    return search_key(_CASE_CHANGE.sub(" ", header).replace("_", " "))


def _english(words: list[str]) -> list[str] | None:
    """The words of a header written wholly in English, in Vietnamese and in Vietnamese order
    (the head noun first: "product name" → "ten san pham"; "name of product" keeps its order);
    None when the header is not English."""
    known = [w for w in words if w in ENGLISH]
    if not known or any(w not in ENGLISH and w not in _ENGLISH_NEUTRAL and not w.isdigit() for w in words):
        return None
    ordered = words if "of" in words else list(reversed(words))
    return [v for w in ordered if w not in _ENGLISH_NEUTRAL for v in ENGLISH.get(w, w).split()]


@lru_cache(maxsize=4096)
def header_tokens(header: str) -> tuple[str, ...]:
    """The header as scored: folded, abbreviations expanded (or translated from English),
    compounds joined."""
    words = _key(header).split()
    return _join(_english(words) or _expand(words))


def _score(patterns: tuple[tuple[frozenset[str], ...], ...], tokens: tuple[str, ...]) -> int:
    best = 0
    present = set(tokens)
    for pattern in patterns:
        if all(term & present for term in pattern):
            best = max(best, len(pattern) + (HEAD_BONUS if tokens[0] in pattern[0] else 0))
    return best


def score_tokens(tokens: tuple[str, ...]) -> dict[str | None, int]:
    """Every rule's score for these tokens (0 when vetoed); for tests and for explaining a mapping."""
    present = set(tokens)
    scores: dict[str | None, int] = {}
    for rule, patterns in _PATTERNS:
        if not tokens or (rule.none_of & present and not rule.unless & present):
            continue
        score = _score(patterns, tokens)
        if score > scores.get(rule.field, 0):
            scores[rule.field] = score
    return scores


@lru_cache(maxsize=4096)
def _field_of_tokens(tokens: tuple[str, ...]) -> tuple[bool, str | None]:
    """(decided, field): decided is False when no rule matches at all."""
    scores = score_tokens(tokens)
    if not scores:
        return False, None
    best = max(scores.values())
    winners = [field for field, score in scores.items() if score == best]
    return True, winners[0]  # ties go to the earlier rule: RULES is ordered most specific first


def is_stt(header: str) -> bool:
    """The running-number column ("STT", "TT", "Số TT") that every government list starts with."""
    return _key(header) in _STT


def header_field(header: str) -> str | None:
    """The canonical field one header text means by the rules, or None."""
    key = _key(header)
    if not key or key in _STT:
        return None
    if key in _CANONICAL:
        return _CANONICAL[key]
    return _field_of_tokens(header_tokens(header))[1]


def override_field(path: Sequence[str], overrides: Mapping[str, str] | None) -> str | None:
    """The field the sources file's ``columns:`` gives this column: by its name "Parent / Child"
    first, then by the child alone, compared folded."""
    if not overrides or not path:
        return None
    for name in (" / ".join(path), path[-1]):
        key = search_key(name)
        for written, target in overrides.items():
            if search_key(written) == key:
                return target
    return None


def path_field(path: Sequence[str], overrides: Mapping[str, str] | None = None) -> str | None:
    """The field of a column under a multi-row header: ``path`` is (parent, …, child) as written.

    Overrides are compared with the column's name "Parent / Child" and then the child alone. A
    child that means a field on its own ("Địa chỉ" › "Huyện") decides; a child that means nothing
    alone ("Chủ thể" › "Tên", "Quyết định" › "Ngày") is scored with its parents after it, nearest
    first, so its own words stay the head. "Ghi chú" or "STT" under any parent is no field.
    """
    if not path:
        return None
    overridden = override_field(path, overrides)
    if overridden:
        return overridden
    leaf = path[-1]
    if is_stt(leaf):
        return None
    key = _key(leaf)
    if key in _CANONICAL:
        return _CANONICAL[key]
    if len(path) > 1 and is_time_qualifier(leaf):  # "Hạng sao" › "Năm 2021" | "Sau đánh giá lại"
        return path_field(path[:-1], overrides)
    decided, field = _field_of_tokens(header_tokens(leaf))
    if decided or len(path) == 1:
        return field
    tokens = header_tokens(leaf) + tuple(t for parent in reversed(path[:-1]) for t in header_tokens(parent))
    return _field_of_tokens(tokens)[1]


# --- When a column's value holds: before or after (a re-rating, the 2025 reform) ---------------

# A column qualified as the value after a change ("Hạng mới", "Sau đánh giá lại", "Xã (mới)",
# "Hiện nay") or before it ("Hạng cũ", "Trước đánh giá lại", "Lần đầu"); a year dates it.
_NEWER = frozenset({"moi", "sau", "hien_tai", "hien_nay", "danh_gia_lai", "cap_nhat"})
_OLDER = frozenset({"cu", "truoc", "lan_dau", "ban_dau"})
_TIME_WORDS = _NEWER | _OLDER | frozenset({"nam", "lan", "dot", "ky", "danh_gia", "xep_hang", "phan_hang"})
_YEAR = re.compile(r"^(?:19[89]\d|20\d\d)$")


def is_time_qualifier(header: str) -> bool:
    """A sub-header that says *when*, not *what*: "Năm 2021", "Sau đánh giá lại năm 2024", "Cũ",
    "Mới", "Trước": its column holds its parent's field as of that time."""
    tokens = header_tokens(header)
    if not tokens or not all(t in _TIME_WORDS or _YEAR.match(t) for t in tokens):
        return False
    return any(t in _NEWER or t in _OLDER or _YEAR.match(t) for t in tokens)


def recency(path: Sequence[str]) -> tuple[int, int] | None:
    """How current a column's value is by its header: (0 before / 1 unqualified / 2 after, the
    latest year it names, 0 for none); None when its header says nothing of time."""
    tokens = {t for text in path for t in header_tokens(text)}
    newer, older = bool(tokens & _NEWER), bool(tokens & _OLDER)
    years = [int(t) for t in tokens if _YEAR.match(t)]
    if newer == older and not years:
        return None
    return (1 if newer == older else 2 if newer else 0, max(years, default=0))


# --- Columns that are levels of the product taxonomy, and ticked columns ------------------------------------

# The product taxonomy's levels, top first: Decision 1048 (2019) wrote ngành › nhóm › phân nhóm,
# Decision 148 (2023) nhóm › phân nhóm › bộ sản phẩm. In one table the higher level is the group.
_TAXONOMY_LEVELS: tuple[frozenset[str], ...] = (
    frozenset({"nganh", "nganh_hang", "nhom_nganh", "linh_vuc"}),
    frozenset({"nhom"}),
    frozenset({"phan_nhom", "tieu_nhom", "con"}),
    frozenset({"bo_san_pham"}),
)


def taxonomy_level(path: Sequence[str]) -> int | None:
    """How deep in the product taxonomy a group-like column is (0: ngành, 1: nhóm, 2: phân nhóm,
    3: bộ sản phẩm), read from its own header first, then its parents'; None when it names no level.
    The deepest level its words name counts ("Phân nhóm" is 2, though it contains "nhóm")."""
    for text in reversed(path):
        tokens = set(header_tokens(text))
        levels = [level for level, words in enumerate(_TAXONOMY_LEVELS) if words & tokens]
        if levels:
            return max(levels)
    return None


_STAR_VALUE = re.compile(r"^(?:hang )?([1-5]) ?sao$")
# What a producer-type column holds: legal forms and the household words, as header tokens.
_TYPE_WORDS = frozenset({
    "hop_tac_xa", "to_hop_tac", "doanh_nghiep", "cong_ty", "ho_kinh_doanh", "ho", "san_xuat", "kinh_doanh",
    "san_xuat_kinh_doanh", "ca_nhan", "co_so", "to_chuc", "gia", "dinh", "tu", "nhan", "lien", "hiep",
})


def mark_value(field: str, header: str) -> str | None:
    """What a child column stands for when its header is a *value* of its parent's field, so that
    the table ticks ("x") one child per row instead of writing the value: "Hạng sao" › "3 sao" |
    "4 sao" (the rating), "Loại hình chủ thể" › "HTX" | "DN" | "Hộ SX" (the producer type). The
    value is the child as written (the rating normalized to "N sao"); None when the child is a
    label of its own ("Kết quả đánh giá" › "Điểm")."""
    key = search_key(header)
    if not key:
        return None
    if field == "stars":
        match = _STAR_VALUE.match(key)
        return f"{match.group(1)} sao" if match else None
    if field == "producer_type":
        tokens = header_tokens(header)
        return " ".join(header.split()) if tokens and set(tokens) <= _TYPE_WORDS else None
    return None
