"""Producer ("chủ thể") type from a registry's type column, or from the producer's name.

Registries write the type in many ways ("HTX", "Hợp tác xã", "Cty TNHH", "Hộ SXKD") or leave it
out, in which case the name usually says it ("HTX Nông nghiệp Hải Yến"); a bare personal name
("Nguyễn Văn An") is a household business, the only kind of producer registered under a person.
"""
from __future__ import annotations

import re

from hub.models import ProducerType
from hub.normalize.fold import search_key
from hub.normalize.problem import Problem
from hub.normalize.text import clean_text

__all__ = ["parse_producer_type"]

_FIELD = "producer_type"

# Folded phrases (search_key) → type. Looked up longest first, as whole words.
_PHRASES: dict[str, ProducerType] = {
    # cooperatives
    "htx": ProducerType.COOPERATIVE,
    "hop tac xa": ProducerType.COOPERATIVE,
    "lien hiep htx": ProducerType.COOPERATIVE,
    "lien hiep hop tac xa": ProducerType.COOPERATIVE,
    # cooperative groups
    "to hop tac": ProducerType.COOPERATIVE_GROUP,
    "tht": ProducerType.COOPERATIVE_GROUP,
    "nhom hop tac": ProducerType.COOPERATIVE_GROUP,
    # enterprises
    "cong ty": ProducerType.ENTERPRISE,
    "cty": ProducerType.ENTERPRISE,
    "c ty": ProducerType.ENTERPRISE,
    "tnhh": ProducerType.ENTERPRISE,
    "trach nhiem huu han": ProducerType.ENTERPRISE,
    "co phan": ProducerType.ENTERPRISE,
    "cp": ProducerType.ENTERPRISE,
    "ctcp": ProducerType.ENTERPRISE,
    "doanh nghiep": ProducerType.ENTERPRISE,
    "doanh nghiep tu nhan": ProducerType.ENTERPRISE,
    "dntn": ProducerType.ENTERPRISE,
    "dn": ProducerType.ENTERPRISE,
    "jsc": ProducerType.ENTERPRISE,
    "co ltd": ProducerType.ENTERPRISE,
    # household businesses
    "ho kinh doanh": ProducerType.HOUSEHOLD,
    "ho kinh doanh ca the": ProducerType.HOUSEHOLD,
    "ho san xuat": ProducerType.HOUSEHOLD,
    "ho san xuat kinh doanh": ProducerType.HOUSEHOLD,
    "ho sxkd": ProducerType.HOUSEHOLD,
    "ho kd": ProducerType.HOUSEHOLD,
    "hkd": ProducerType.HOUSEHOLD,
    "ho gia dinh": ProducerType.HOUSEHOLD,
    "ho": ProducerType.HOUSEHOLD,
    "co so": ProducerType.HOUSEHOLD,
    "co so san xuat": ProducerType.HOUSEHOLD,
    "ca nhan": ProducerType.HOUSEHOLD,
}
_BY_LENGTH = sorted(_PHRASES.items(), key=lambda item: -len(item[0]))
# Also recognised as the enum's own value ("cooperative", …) so round-trips through exports work.
_VALUES = {t.value: t for t in ProducerType}

# Prefixes of a name that say "this is a household": "Hộ ông …", "Hộ bà …", "Cơ sở …".
_HOUSEHOLD_NAME = re.compile(r"^(?:ho|co so|ong|ba|anh|chi)\b")
# Common Vietnamese family names (the first syllable of a personal name), folded.
_SURNAMES = frozenset(
    "nguyen tran le pham hoang huynh phan vu vo dang bui do ho ngo duong ly dinh dao doan lam "
    "luong trinh mai truong ha cao luu quach kieu tang thai vuong la chu ta tong giang lai thach "
    "lo sung hua quan".split()
)


def _lookup(folded: str, anywhere: bool) -> ProducerType | None:
    padded = f" {folded} "
    for phrase, kind in _BY_LENGTH:
        if anywhere and f" {phrase} " in padded:
            return kind
        if not anywhere and padded.startswith(f" {phrase} "):
            return kind
    return None


def _from_name(name: str) -> ProducerType | None:
    folded = search_key(name)
    if not folded:
        return None
    if _HOUSEHOLD_NAME.match(folded):
        return ProducerType.HOUSEHOLD
    # The organisation's form leads the name ("HTX …", "Công ty TNHH …"); "… JSC" can trail it.
    kind = _lookup(folded, anywhere=False)
    if kind is None:
        kind = _lookup(folded, anywhere=True)
        if kind is ProducerType.HOUSEHOLD:  # "ho"/"co so" inside a name prove nothing
            kind = None
    if kind is not None:
        return kind
    words = folded.split()
    if 2 <= len(words) <= 5 and words[0] in _SURNAMES and not any(ch.isdigit() for ch in folded):
        return ProducerType.HOUSEHOLD
    return None


def parse_producer_type(type_text: str | None, producer_name: str | None) -> ProducerType | Problem:
    """The producer's type from ``type_text``, else inferred from ``producer_name``.

    Problems: UNKNOWN_PRODUCER_TYPE (a type that is none of the four, or a name that does not say),
    MISSING_PRODUCER_TYPE (neither given).
    """
    type_text, producer_name = clean_text(type_text), clean_text(producer_name)  # repairs mojibake
    folded = search_key(type_text)
    if folded:
        if folded.replace(" ", "_") in _VALUES:
            return _VALUES[folded.replace(" ", "_")]
        kind = _lookup(folded, anywhere=False) or _lookup(folded, anywhere=True)
        if kind is not None:
            return kind
        return Problem("UNKNOWN_PRODUCER_TYPE", _FIELD, f"unknown producer type {type_text!r}", type_text)
    if not search_key(producer_name):
        return Problem("MISSING_PRODUCER_TYPE", _FIELD, "no producer type and no producer name", None)
    kind = _from_name(producer_name)
    if kind is None:
        return Problem(
            "UNKNOWN_PRODUCER_TYPE", _FIELD,
            f"no producer type given and the name does not say: {producer_name!r}", producer_name,
        )
    return kind
