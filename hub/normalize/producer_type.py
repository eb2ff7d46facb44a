"""Producer ("chủ thể") type from a registry's type column and from the producer's name.

Registries write the type in many ways ("HTX", "Hợp tác xã", "Cty TNHH", "Hộ SXKD") or leave it
out, in which case the name usually says it ("HTX Nông nghiệp Hải Yến"). A name says it with
three strengths:

* it OPENS with a legal form ("Công ty TNHH …", "DNTN …", "HTX …", "Tổ hợp tác …", "Hộ kinh doanh
  …", "Hộ ông …"): registration evidence, since Vietnamese law builds a registered name as its
  form followed by its own name (an enterprise's "loại hình + tên riêng", a cooperative's "Hợp tác
  xã …", a household business's "Hộ kinh doanh …"). It wins over a type column that disagrees,
  with a TYPE_MISMATCH warning naming both;
* a legal form further in ("Cơ sở chế biến chè – Công ty CP Long Cốc", "Cơ sở Tâm Đức (hộ Nguyễn
  Văn An)"): it names a parent or an owner, so it is used only when the type column is empty;
* a hint: a bare personal name ("Nguyễn Văn An": the only kind of producer registered under a
  person is a household business) or a name opening with "Cơ sở" (as a rule the trading name of a
  household business; a company's workshop carries the company's form, which then decides). Used
  only when the type column is empty; a column that disagrees is kept, with a TYPE_MISMATCH.

A branch or an office ("Chi nhánh HTX …", "Văn phòng đại diện Công ty …") is of its parent's type.
Short folded words are read with care: "chi" is "chị" (a title) only before a surname, never in
"Chi nhánh"; "ho" is "hộ" (household) only when written "hộ" or unmarked, never "Hồ" (a surname,
or a lake); "dn" and "cp" count only at the start of a name.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from hub.vocabulary import ProducerType
from hub.normalize.fold import TEXT_CACHE_SIZE, search_key
from hub.normalize.groups import load_taxonomy
from hub.normalize.problem import Problem
from hub.normalize.text import clean_text

__all__ = ["TypeReading", "parse_producer_type", "read_producer_type"]

_FIELD = "producer_type"
COOP, ENTERPRISE, GROUP, HOUSEHOLD = (
    ProducerType.COOPERATIVE, ProducerType.ENTERPRISE, ProducerType.COOPERATIVE_GROUP, ProducerType.HOUSEHOLD,
)

# Legal forms (folded phrases): registration evidence wherever they stand in a name.
_LEGAL_FORMS: dict[str, ProducerType] = {
    "htx": COOP,
    "hop tac xa": COOP,
    "lien hiep htx": COOP,
    "lien hiep hop tac xa": COOP,
    "to hop tac": GROUP,
    "tht": GROUP,
    "nhom hop tac": GROUP,
    "cong ty": ENTERPRISE,
    "cty": ENTERPRISE,
    "c ty": ENTERPRISE,
    "tnhh": ENTERPRISE,
    "trach nhiem huu han": ENTERPRISE,
    "co phan": ENTERPRISE,
    "ctcp": ENTERPRISE,
    "doanh nghiep tu nhan": ENTERPRISE,
    "dntn": ENTERPRISE,
    "jsc": ENTERPRISE,
    "co ltd": ENTERPRISE,
    "ho kinh doanh": HOUSEHOLD,
    "ho kinh doanh ca the": HOUSEHOLD,
    "ho san xuat": HOUSEHOLD,
    "ho san xuat kinh doanh": HOUSEHOLD,
    "ho sxkd": HOUSEHOLD,
    "ho sx": HOUSEHOLD,
    "ho kd": HOUSEHOLD,
    "hkd": HOUSEHOLD,
    "ho gia dinh": HOUSEHOLD,
}
# Legal forms that are too short or too common to trust inside a name: only its first words.
_LEADING_FORMS: dict[str, ProducerType] = {
    "dn": ENTERPRISE,
    "doanh nghiep": ENTERPRISE,
    "cp": ENTERPRISE,
    "xi nghiep": ENTERPRISE,
}
# Hints that open a name: a trading name or an individual, read as a household business.
_LEADING_HINTS: dict[str, ProducerType] = {
    "co so": HOUSEHOLD,
    "co so san xuat": HOUSEHOLD,
    "cssx": HOUSEHOLD,
    "ca nhan": HOUSEHOLD,
}
# What a type column may say beyond the forms above: "Hộ", "Cá nhân", "Cơ sở", "Doanh nghiệp".
_COLUMN_ONLY: dict[str, ProducerType] = {"ho": HOUSEHOLD, **_LEADING_FORMS, **_LEADING_HINTS}
# Abbreviations glued to the next one ("HTXNN", "HTXDV", "CtyTNHH", "THTSX"): no Vietnamese
# word starts with these letters, so a word that does is the form.
_GLUED = re.compile(r"^(?:(?P<coop>htx)|(?P<enterprise>cty|ctcp|dntn|tnhh)|(?P<group>tht))[a-z]+$")
_GLUED_TYPES = {"coop": COOP, "enterprise": ENTERPRISE, "group": GROUP}
# A branch or a representative office opens the name of its parent organisation.
_BRANCH = re.compile(r"^(?:chi nhanh|cn|van phong dai dien|vp dai dien|vpdd)\s+")
_LEGAL_OR_LEADING = {**_LEGAL_FORMS, **_LEADING_FORMS}
_COLUMN_PHRASES = {**_LEGAL_FORMS, **_COLUMN_ONLY}
_TITLES = frozenset({"ông", "bà", "anh", "chị", "ong", "ba", "chi"})
# Words after an unmarked "ho" that make it "hộ" ("ho kinh doanh", "ho gia dinh"); a title is not
# enough there: "Ho Chi Minh", "Ho Ba Be" are "Hồ …".
_HOUSEHOLD_WORDS = frozenset("kinh kd sxkd sx san gia".split())
# Common Vietnamese family names (the first syllable of a personal name), folded.
_SURNAMES = frozenset(
    "nguyen tran le pham hoang huynh phan vu vo dang bui do ho ngo duong ly dinh dao doan lam "
    "luong trinh mai truong ha cao luu quach kieu tang thai vuong la chu ta tong giang lai thach "
    "lo sung hua quan".split()
)
_MAX_PHRASE = max(len(p.split()) for p in (*_LEGAL_FORMS, *_COLUMN_ONLY))
_VALUES = {t.value: t for t in ProducerType}  # "cooperative", …: exports round-trip


@dataclass(frozen=True)
class TypeReading:
    """The producer type read from a row (None when nothing says it) and, when the reading is
    unsure or contradicted, a warning for the row: never a rejection."""

    type: ProducerType | None
    warning: Problem | None = None


@dataclass(frozen=True)
class _NameReading:
    type: ProducerType
    registered: bool  # the name opens with its legal form: registration evidence


def _words(text: str) -> tuple[list[str], list[str]]:
    """The words of ``text`` as written (lower case) and folded, one for one."""
    written = re.findall(r"\w+", text.lower())
    return written, [search_key(w) for w in written]


def _is_ho(written: str) -> bool:
    """True for "hộ" (household) as written, or unmarked; never "hồ" (lake, surname) nor "họ"."""
    return written in ("hộ", "ho")


def _phrase_at(folded: list[str], start: int, table: dict[str, ProducerType]) -> tuple[str, ProducerType] | None:
    """The longest phrase of ``table`` starting at word ``start``."""
    for end in range(min(len(folded), start + _MAX_PHRASE), start, -1):
        phrase = " ".join(folded[start:end])
        if phrase in table:
            return phrase, table[phrase]
    return None


def _legal_form(written: list[str], folded: list[str]) -> tuple[ProducerType, int] | None:
    """The first legal form in the name and the word it starts at, reading "hộ" as a household
    only where it is one."""
    for i, word in enumerate(folded):
        glued = _GLUED.match(word)
        if glued:
            return _GLUED_TYPES[glued.lastgroup or ""], i
        found = _phrase_at(folded, i, _LEGAL_FORMS if i else _LEGAL_OR_LEADING)
        if found and (not found[0].startswith("ho ") or _is_ho(written[i])):
            return found[1], i
        after = folded[i + 1] if i + 1 < len(folded) else ""
        if _is_ho(written[i]) and after in _HOUSEHOLD_WORDS:
            return HOUSEHOLD, i  # "ho kinh doanh", "Hộ SX …"
        if written[i] == "hộ" and (i == 0 or after in _SURNAMES or after in _TITLES):
            return HOUSEHOLD, i  # "Hộ Lò Văn Pằng", "Cơ sở Tâm Đức (hộ ông Nguyễn Văn An)"
    return None


def _opens_with_product(folded: list[str]) -> bool:
    """True for "Hồ Tiêu Phú Quốc", "Hà Thủ Ô …": a surname-like first word that opens a product
    phrase of two or more words (the taxonomy's product-name keywords) is a brand, not a person."""
    phrases = load_taxonomy().name_phrases
    return any(" ".join(folded[:n]) in phrases for n in range(2, min(len(folded), 4) + 1))


def _hint(written: list[str], folded: list[str]) -> ProducerType | None:
    """A household hint: "Cơ sở …", "Cá nhân …", a title before a name, or a bare personal name."""
    found = _phrase_at(folded, 0, _LEADING_HINTS)
    if found:
        return found[1]
    if len(folded) >= 2 and written[0] in _TITLES and folded[1] in _SURNAMES:
        return HOUSEHOLD  # "Ông Nguyễn Văn An", "Chị Lò Thị Mai"; not "Chi nhánh", "Ba Chẽ"
    if 2 <= len(folded) <= 5 and folded[0] in _SURNAMES and not _opens_with_product(folded) \
            and not any(ch.isdigit() for ch in "".join(folded)):
        return HOUSEHOLD
    return None


def _read_name(name: str) -> _NameReading | None:
    written, folded = _words(name)
    branch = _BRANCH.match(" ".join(folded))
    if branch:
        skip = len(branch.group(0).split())
        written, folded = written[skip:], folded[skip:]
    if not folded:
        return None
    form = _legal_form(written, folded)
    if form is not None:
        return _NameReading(form[0], registered=form[1] == 0)
    kind = _hint(written, folded)
    return _NameReading(kind, registered=False) if kind is not None else None


def _read_column(type_text: str) -> ProducerType | None:
    """The type a type column says: one of the four, in any wording, or None."""
    _, folded = _words(type_text)
    if "_".join(folded) in _VALUES:
        return _VALUES["_".join(folded)]
    for i, word in enumerate(folded):
        glued = _GLUED.match(word)
        if glued:
            return _GLUED_TYPES[glued.lastgroup or ""]
        found = _phrase_at(folded, i, _COLUMN_PHRASES)
        if found:
            return found[1]
    return None


@lru_cache(maxsize=TEXT_CACHE_SIZE)  # a producer repeats over its products
def read_producer_type(type_text: str | None, producer_name: str | None) -> TypeReading:
    """The producer's type from its type column and its name, with a warning when unsure.

    * the column says one of the four and the name agrees or says nothing: the column's type;
    * the column is empty: the name's type (any strength, see the module's docstring);
    * they disagree: the name's type if the name opens with its legal form, else the column's;
      warning TYPE_MISMATCH;
    * the column says something that is none of the four: the name's type if the name opens with
      its legal form (weaker evidence is not enough against a column that said something else),
      else None; warning TYPE_UNKNOWN;
    * nothing says it: None, warning TYPE_UNKNOWN.
    """
    type_text, producer_name = clean_text(type_text), clean_text(producer_name)  # repairs mojibake
    from_name = _read_name(producer_name) if producer_name else None
    if search_key(type_text):
        from_column = _read_column(type_text)
        if from_column is None:
            kind = from_name.type if from_name and from_name.registered else None
            said = f"; read {kind.value} from the name {producer_name!r}" if kind else ""
            return TypeReading(kind, Problem(
                "TYPE_UNKNOWN", _FIELD, f"type {type_text!r} is none of the four producer types{said}", type_text,
            ))
        if from_name is None or from_name.type is from_column:
            return TypeReading(from_column)
        kept = from_name.type if from_name.registered else from_column
        evidence = "the legal form the name opens with" if from_name.registered else "the type column"
        return TypeReading(kept, Problem(
            "TYPE_MISMATCH", _FIELD,
            f"type column {type_text!r} says {from_column.value} but the name {producer_name!r} reads as "
            f"{from_name.type.value}; kept {kept.value} ({evidence})",
            f"{type_text} | {producer_name}",
        ))
    if from_name is not None:
        return TypeReading(from_name.type)
    if producer_name:
        message = f"no producer type given and the name does not say: {producer_name!r}"
    else:
        message = "no producer type and no producer name"
    return TypeReading(None, Problem("TYPE_UNKNOWN", _FIELD, message, producer_name or None))


def parse_producer_type(type_text: str | None, producer_name: str | None) -> ProducerType | Problem:
    """``read_producer_type`` for callers that refuse what it only warns about.

    Problems: UNKNOWN_PRODUCER_TYPE (a type that is none of the four, or a name that does not say),
    MISSING_PRODUCER_TYPE (neither given). A TYPE_MISMATCH is resolved as there, silently.
    """
    reading = read_producer_type(type_text, producer_name)
    if reading.type is not None and (reading.warning is None or reading.warning.code != "TYPE_UNKNOWN"):
        return reading.type
    type_text, producer_name = clean_text(type_text), clean_text(producer_name)
    if search_key(type_text):
        return Problem("UNKNOWN_PRODUCER_TYPE", _FIELD, f"unknown producer type {type_text!r}", type_text)
    if not search_key(producer_name):
        return Problem("MISSING_PRODUCER_TYPE", _FIELD, "no producer type and no producer name", None)
    return Problem(
        "UNKNOWN_PRODUCER_TYPE", _FIELD,
        f"no producer type given and the name does not say: {producer_name!r}", producer_name,
    )
