"""Rows inside a registry table that are not products: section titles, totals, footers.

Lists typed in district offices group their products under section rows ("I. SẢN PHẨM ĐẠT 4 SAO",
"HUYỆN ĐỨC TRỌNG", "A. NHÓM ĐỒ UỐNG") whose meaning applies to the rows below, close with totals
("Tổng cộng: 37 sản phẩm") and end with a signature block ("Người lập biểu", "KT. GIÁM ĐỐC", a date
line). Recognised by their text and shape, these rows are reported, never read as products.

Per-row cost matters (a harvest reads 200k rows): a row that starts with a running number and has
three filled cells is a product without any folding; only the other rows are looked at closely.
"""
from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from hub.normalize.decision import split_decision
from hub.normalize.fold import search_key
from hub.normalize.groups import GroupMatch, map_group

_ROMAN_OR_LETTER = r"(?:[IVXLC]{1,6}|[A-Za-zĐđ])"
_NUMBERING_PREFIX = re.compile(rf"^\s*(?:\(?{_ROMAN_OR_LETTER}\)|{_ROMAN_OR_LETTER}\s*[.:/-]|\d{{1,2}}(?:\.\d{{1,2}})*\s*[.)/-])\s*")
# A bare number in the STT column is a product's running number; "1." or "(1)" numbers a section.
_NUMBERING_CELL = re.compile(rf"^(?:\(?{_ROMAN_OR_LETTER}[.)]?|\(\d{{1,3}}\)|\d{{1,3}}[.)])$")
_ROMAN_OR_LETTER_CELL = re.compile(rf"^\(?{_ROMAN_OR_LETTER}[.)]?$")
_COUNT = re.compile(r"(?:^|\s)(?:gom |co )?(\d{1,5}) ?(?:san pham|sp)\b")
_COUNT_TEXT = re.compile(r"[(\[]?\s*(?:gồm|có)?\s*\d{1,5}\s*(?:sản phẩm|sp)\s*[)\]]?", re.IGNORECASE)
_STARS = re.compile(r"\b([1-5]) ?sao\b")
_STAR_SYMBOL = re.compile(r"([1-5])\s*\*")
_POTENTIAL = re.compile(r"\btiem nang ?5 ?sao\b")
_UNITS = (
    ("district", re.compile(r"^(?:huyen|quan|thi xa|thanh pho|tp|tx)\b")),
    ("commune", re.compile(r"^(?:xa|phuong|thi tran|dac khu)\b")),
    ("province", re.compile(r"^tinh\b")),
)
# A unit written with its initial ("H. Bình Liêu", "Q. Hải An", "TT. Cái Rồng", "P. Bãi Cháy"): read as
# the unit, not as a lettered numbering "H.", when a name follows; the unit tables read the initials.
_UNIT_INITIAL = re.compile(r"^(?P<initial>TT|H|Q|P|X)\s*\.\s*(?P<name>[^\W\d_].*)$", re.IGNORECASE)
_UNIT_INITIAL_KIND = {"h": "district", "q": "district", "tt": "commune", "p": "commune", "x": "commune"}
# Words that may open a unit section before the unit itself: "Địa bàn huyện Tiên Yên", "Đơn vị: xã …".
_UNIT_LEAD = re.compile(r"^(?:dia ban|dia phuong|don vi|khu vuc|tai) (?=(?:huyen|quan|thi xa|thanh pho|tp|tx"
                        r"|xa|phuong|thi tran|dac khu|tinh)\b)")
# A title that is a producer's name, by the legal form or the word it opens with: a list grouped
# by producer ("II. Cơ sở Kẹo dừa Thanh Long") gives the rows below it their producer.
_PRODUCER = re.compile(r"^(?:htx|hop tac xa|lien hiep htx|cong ty|cty|ctcp|dntn|doanh nghiep|co so|"
                       r"ho kinh doanh|hkd|ho san xuat|ho sxkd|to hop tac|tht|chi nhanh)\b")
#: The fields of a producer (not of a product) a producer's section row may also give in its cells.
PRODUCER_ATTRIBUTES = frozenset({"commune", "district", "province", "address", "producer_type", "phone", "email",
                                 "tax_code", "contact_person"})
_GROUP_WORDS = re.compile(r"^(?:nhom|nganh hang|nganh|bo san pham|linh vuc)\b")
_TITLE = re.compile(r"\b(?:danh sach|kem theo|cong hoa|doc lap)\b")
# A subtotal names what it counts after the word ("Cộng huyện Quỳnh Lưu: 5", "Tổng nhóm Đồ uống",
# "Cộng mục I", "Cộng phần A", "Tổng xã Tân Lập"): a unit, a group or a part of the list.
_TOTALS = re.compile(
    r"^(?:tong cong|tong so|cong lai|tong|cong)(?: (?:\d.*|san pham.*|sp\b.*|so\b.*|[ivx]+\b.*|toan\b.*|cac\b.*|chung\b.*"
    r"|(?:huyen|quan|thi xa|thanh pho|tp|tx|xa|phuong|thi tran|dac khu|tinh|dia ban|dia phuong|nhom|nganh|muc|phan)"
    r"\b.*))?$"
)
_FOOTER = re.compile(
    r"^(?:nguoi (?:lap|duyet|kiem tra|tong hop|ky)\b|thu truong\b|noi nhan\b|xac nhan cua\b"
    r"|(?:kt|tm|tl|tuq|q|pp) (?:giam doc|chu tich|uy ban|ubnd|truong|pho|so|hoi dong|ban|van phong|thu truong|cuc)"
    r"|(?:pho )?(?:giam doc|chu tich|truong phong|truong ban|chanh van phong)(?: so\b.*)?$)"
    r"|^ky\b.*\b(?:ho ten|ho va ten|dong dau|ten)\b|^(?:ghi chu|luu y|nguon) \w+ \w+"
)
# The heading of the notes under a table ("Ghi chú:", "Lưu ý", "Chú thích:", "Nguồn:") alone in its row:
# what follows explains the list, it does not continue it.
_NOTES_HEADING = re.compile(r"^(?:ghi chu|luu y|chu thich|chu giai|nguon)$")
_DATE_LINE = re.compile(r"^(?:[a-z ]{2,40} )?ngay(?: \d{1,2})? thang(?: \d{1,2})? nam(?: \d{4})?$")
_COLUMN_NUMBER = re.compile(r"^\(?\d{1,2}\)?$")
_COUNT_CELL = re.compile(r"^(\d{1,5})(?: (?:san pham|sp))?$")
MIN_COLUMN_NUMBERS = 3


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def is_column_numbers(filled: list[str]) -> bool:
    """The "(1) (2) (3) …" row many government lists put under the header."""
    if len(filled) < MIN_COLUMN_NUMBERS or not all(_COLUMN_NUMBER.match(c) for c in filled):
        return False
    numbers = [int(c.strip("()")) for c in filled]
    return numbers == list(range(numbers[0], numbers[0] + len(numbers)))


def count_cell(text: str) -> int | None:
    """A cell beside a section title that only counts its products ("12", "(12 SP)")."""
    match = _COUNT_CELL.match(search_key(text))
    return int(match.group(1)) if match else None


def is_totals(text: str) -> bool:
    """"Tổng cộng", "Tổng: 37 sản phẩm", "Cộng", "Tổng số sản phẩm", a subtotal "Cộng huyện X: 5"
    (not "Tổng công ty …")."""
    return bool(_TOTALS.match(search_key(text)))


def is_footer(text: str, alone: bool) -> bool:
    """A signature block line, or the date line above it ("Quảng Ninh, ngày 12 tháng 3 năm 2024")
    when it has a place before it or stands alone in its row, or a notes heading ("Ghi chú:")
    standing alone in its row."""
    key = search_key(text)
    if _FOOTER.search(key) or (alone and _NOTES_HEADING.match(key)):
        return True
    return bool(_DATE_LINE.match(key)) and ("," in text or alone)


@dataclass(frozen=True)
class Section:
    """A section title: the fields it gives the rows below it, and the product count it states."""

    title: str
    values: dict[str, str]
    count: int | None
    kind: str  # the key that a later section of the same kind replaces: "stars", "district", … or "other"
    is_title: bool = False  # a repeated title block ("DANH SÁCH …"): skipped, not applied


def _strip(title: str) -> str:
    text = _COUNT_TEXT.sub(" ", _NUMBERING_PREFIX.sub("", title, count=1))
    return " ".join(text.split()).strip(" :-–,.")


def _stars(key: str, title: str) -> str | None:
    potential = bool(_POTENTIAL.search(key))
    match = _STARS.search(_POTENTIAL.sub(" ", key)) or _STAR_SYMBOL.search(title)
    if match:
        return f"{match.group(1)} sao" + (" (tiềm năng 5 sao)" if potential else "")
    if potential:  # "tiềm năng 5 sao": a 4★ product the province proposes for 5★
        return "4 sao (tiềm năng 5 sao)"
    glyphs = title.count("★")
    return f"{glyphs} sao" if 1 <= glyphs <= 5 else None


def _names_a_place(name: str) -> bool:
    """After a unit initial, a bare name: not a unit word (then the letter numbers the section), a
    group word or a group's name ("H. Đồ uống" is the eighth lettered section)."""
    key = search_key(name)
    return not any(p.match(key) for _, p in _UNITS) and not _GROUP_WORDS.match(key) and not isinstance(
        map_group(name), GroupMatch)


def parse_section(title: str) -> Section:
    """What a section title says: stars, a unit (district, commune, province), a group or a
    producer (its name opens with its legal form: "HTX …", "Công ty …", "Cơ sở …"). A unit may be
    written with its initial ("H. Bình Liêu", "TT. Cái Rồng") or after "Địa bàn"."""
    title = _nfc(" ".join(title.split()))
    key = search_key(title)
    count_match = _COUNT.search(key)
    count = int(count_match.group(1)) if count_match else None
    text = _strip(title)
    body = search_key(text)
    values: dict[str, str] = {}
    stars = _stars(key, title)
    if stars:
        values["stars"] = stars
    initial = _UNIT_INITIAL.match(_COUNT_TEXT.sub(" ", title).strip(" :-–,."))
    lead = _UNIT_LEAD.match(body)
    if initial and not stars and _names_a_place(initial["name"]):
        values[_UNIT_INITIAL_KIND[initial["initial"].lower()]] = " ".join(initial.group(0).split())
    else:
        if lead:  # "Địa bàn huyện Tiên Yên" → "huyện Tiên Yên"
            text = " ".join(text.split()[len(lead.group(0).split()):])
            body = search_key(text)
        for unit, pattern in _UNITS:
            if pattern.match(body):
                values[unit] = text
                break
    if not values and _GROUP_WORDS.match(body):
        values["group"] = text
    elif not values and _PRODUCER.match(body):
        values["producer_name"] = text
    kind = next(iter(values), "other")
    return Section(title, values, count, kind, is_title=not values and bool(_TITLE.search(key)))


def names_producer(title: str) -> bool:
    """The title is a producer's name ("HTX Nông nghiệp Chợ Lách"), after any numbering."""
    return bool(_PRODUCER.match(search_key(_strip(title))))


def section_group(section: Section) -> Section:
    """A title with no other meaning that names a product group ("A. ĐỒ UỐNG")."""
    if section.values or section.is_title:
        return section
    text = _strip(section.title)
    if text and isinstance(map_group(text), GroupMatch):
        return Section(section.title, {"group": text}, section.count, "group")
    return section


# A district named inside a title above the table ("DANH SÁCH SẢN PHẨM OCOP HUYỆN BA CHẼ NĂM 2023",
# "UBND HUYỆN TIÊN YÊN"): the name runs to a year, a province, a punctuation mark or the end.
_TITLE_DISTRICT = re.compile(
    r"(?<!\w)(?:huyện|quận|thị xã)\s+(?P<name>[^\W\d_][^,.;:()\[\]\-–\n]*?)"
    r"(?=\s+(?:năm|tỉnh|thành phố|giai đoạn|đợt|đến|tính|từ|được|đạt|theo|kèm|thuộc|trên|của)(?!\w)"
    r"|\s*[,.;:()\[\]\-–\n]|\s+\d|$)", re.IGNORECASE)
_NOT_A_NAME = frozenset({"cac", "va", "thi", "thanh", "tren", "trong", "nay", "do"})


def title_district(lines: list[str]) -> str | None:
    """The one district the title rows above a table name ("… OCOP HUYỆN BA CHẼ NĂM 2023"), as
    written; None when they name none or several. A district's own list gives its rows the
    district the way a section title does."""
    found: dict[str, str] = {}
    for line in lines:
        for match in _TITLE_DISTRICT.finditer(_nfc(" ".join(line.split()))):
            words = search_key(match["name"]).split()
            if 1 <= len(words) <= 4 and words[0] not in _NOT_A_NAME:
                found.setdefault(search_key(match.group(0)), match.group(0).strip())
    return next(iter(found.values())) if len(found) == 1 else None


def title_line(cells: Sequence[str]) -> str:
    """A title row as one line: its filled cells joined, a text merged across several cells (shown
    in each) once."""
    return " ".join(text for text, _ in itertools.groupby(c.strip() for c in cells if c.strip()))


_AT_LEAST = re.compile(r"\b(?:tro len|tro xuong|tu [1-5] ?sao|tren [1-5] ?sao|duoi [1-5] ?sao)\b")


def star_level(text: str) -> int | None:
    """The star level a rating cell or heading states (the first 1–5 in it), for comparing a row
    with its heading; None when it states none."""
    match = re.search(r"[1-5]", _POTENTIAL.sub(" 4 ", search_key(text)))  # "tiềm năng 5 sao" is a 4★ product
    return int(match.group(0)) if match else None


def title_stars(lines: Sequence[str]) -> str | None:
    """The one star level a title states ("DANH SÁCH SẢN PHẨM ĐẠT OCOP 4 SAO", a sheet named "3
    sao"), as a section would give it; None when the lines name no level, several ("3 sao và 4
    sao") or a range ("từ 3 sao trở lên"). Every row of the table under it has that level unless
    the row states its own."""
    found: set[str] = set()
    for line in lines:
        key = search_key(line)
        if _AT_LEAST.search(key):
            return None
        levels = set(_STARS.findall(_POTENTIAL.sub(" ", key)))
        if len(levels) > 1:
            return None
        stars = _stars(key, _nfc(line)) if levels or _POTENTIAL.search(key) or "★" in line or _STAR_SYMBOL.search(
            line) else None
        if stars:
            found.add(stars)
    return found.pop() if len(found) == 1 else None


_TITLE_GROUP = re.compile(r"(?:^|\s)(?:nhom san pham|nhom|nganh hang|nganh|bo san pham|linh vuc)\s+(?P<group>.+?)"
                          r"(?=\s+(?:nam|giai doan|dot|tinh|huyen|thanh pho|tai|cua)\b|$)")


def title_group(lines: Sequence[str]) -> str | None:
    """The one product group a title or a sheet's name states after a group word ("DANH SÁCH SẢN
    PHẨM OCOP NHÓM ĐỒ UỐNG NĂM 2024", a sheet "Nhóm thực phẩm"), as it names it; None when none or
    several. A group's name alone ("Đồ uống") is not taken from a title: a place's name can hold one."""
    found: dict[str, str] = {}
    for line in lines:
        match = _TITLE_GROUP.search(search_key(line))
        several = match is not None and re.search(r"\b(?:va|hoac)\b", match["group"])  # "thực phẩm và đồ uống"
        mapped = map_group(match["group"]) if match and not several else None
        if isinstance(mapped, GroupMatch):
            found.setdefault(mapped.code, mapped.name)
    return next(iter(found.values())) if len(found) == 1 else None


# A province named in a title ("UBND TỈNH KIÊN GIANG", "DANH SÁCH … TỈNH QUẢNG NINH NĂM 2023", "…
# của UBND thành phố Hà Nội"): the name runs to a year, a punctuation mark or the end. A "thành
# phố" may be a province's own city; the ingest keeps only names that are provinces.
_TITLE_PROVINCE = re.compile(
    r"(?<!\w)(?:tỉnh|thành phố|tp\.)\s*(?P<name>[^\W\d_][^,.;:()\[\]\-–\n]*?)"
    r"(?=\s+(?:năm|giai đoạn|đợt|đến|tính|từ|được|đạt|theo|kèm|thuộc|trên|về|v/v|ngày)(?!\w)"
    r"|\s*[,.;:()\[\]\-–\n]|\s+\d|$)", re.IGNORECASE)


def title_provinces(lines: Sequence[str]) -> list[str]:
    """Every province the title lines name, as written ("TỈNH KIÊN GIANG"), each once. The list
    belongs to the province its title names: the ingest compares them with the source's."""
    found: dict[str, str] = {}
    for line in lines:
        for match in _TITLE_PROVINCE.finditer(_nfc(" ".join(line.split()))):
            words = search_key(match["name"]).split()
            if 1 <= len(words) <= 4 and words[0] not in _NOT_A_NAME:
                found.setdefault(search_key(match.group(0)), " ".join(match.group(0).split()))
    return list(found.values())


_DECISION_WORD = re.compile(r"(?<!\w)(?:quy[eế]t\s*[đd][iị]nh|q[đd])(?!\w)", re.IGNORECASE)


def title_decision(lines: list[str]) -> str | None:
    """The decision the title lines above a table name ("(Kèm theo Quyết định số 2417/QĐ-UBND ngày
    28/12/2024 của UBND tỉnh Bắc Kạn)"), as written from "Quyết định" on, from the first line that
    gives one with its number; None when none does. Every product of the list was certified by
    it, so it is read like a "Số, ngày quyết định" cell of each row that has no decision of its
    own. The decision's own header ("Số: 2417/QĐ-UBND") gives no number after "QĐ": not taken."""
    for line in lines:
        match = _DECISION_WORD.search(line)
        if match is None:
            continue
        text = " ".join(line[match.start():].split()).rstrip(" )]")
        if split_decision(text).number:
            return _nfc(text)
    return None


_RUNNING_NUMBER = re.compile(r"^\d{1,4}(?:\.\d{1,3})*\.?$")


def is_running_number(text: str) -> bool:
    """A bare running number ("7") or one of a sub-level ("1.1", "2.3."): a product's, or a
    sub-section's before a lone title; the row's shape decides."""
    return bool(_RUNNING_NUMBER.match(text))


def has_numbering(text: str) -> bool:
    return bool(_NUMBERING_PREFIX.match(text))


def is_numbering_cell(text: str, letters_only: bool = False) -> bool:
    return bool((_ROMAN_OR_LETTER_CELL if letters_only else _NUMBERING_CELL).match(text))


@dataclass
class _Open:
    section: Section
    row_number: int
    rows: int = 0


@dataclass
class SectionStack:
    """The sections in force. A section replaces the open one of its kind and every section opened
    after it (its sub-sections); a section's stated count is checked when it closes."""

    open: list[_Open] = field(default_factory=list)
    mismatches: list[str] = field(default_factory=list)

    def push(self, section: Section, row_number: int) -> None:
        for position, current in enumerate(self.open):
            if current.section.kind == section.kind:
                self._close(self.open[position:])
                del self.open[position:]
                break
        self.open.append(_Open(section, row_number))

    def apply(self, values: dict[str, str], raw: dict[str, str]) -> None:
        """Fill the row's empty fields from the sections over it (its own values win) and count it."""
        if not self.open:
            return
        for current in self.open:
            current.rows += 1
            for name, value in current.section.values.items():
                if not values.get(name):
                    values[name] = value
        raw["(section)"] = " › ".join(current.section.title for current in self.open)

    def value_of(self, name: str) -> str | None:
        """The innermost open section's value of ``name`` ("stars"), if one gives it."""
        return next((o.section.values[name] for o in reversed(self.open) if name in o.section.values), None)

    def title_of(self, name: str) -> str | None:
        """The innermost open section giving ``name``, as "section 'II. 4 SAO'"."""
        return next((f"section {o.section.title!r}" for o in reversed(self.open) if name in o.section.values), None)

    def close(self) -> None:
        self._close(self.open)
        self.open = []

    def _close(self, closing: list[_Open]) -> None:
        for current in closing:
            stated = current.section.count
            if stated is not None and stated != current.rows:
                self.mismatches.append(
                    f"row {current.row_number}: section {current.section.title!r} states {stated} products, "
                    f"{current.rows} rows were read under it"
                )
