"""Readable identity keys: one producer or product, however each registry wrote it.

The same cooperative appears as "HTX Nông nghiệp Hải Yến", "Hợp tác xã nông nghiệp Hải Yến",
"HỢP TÁC XÃ NÔNG NGHIỆP HẢI YẾN" and as TCVN3 mojibake. The key folds case, marks, old/new tone
placement, punctuation, quotes and spacing, and writes legal-form words (long or abbreviated) in one
short form, so those rows merge; any difference in the distinctive part of a name keeps two
producers apart (abbreviations of ordinary words, "NN" for "nông nghiệp", are not guessed). Keys are
plain strings ("22|htx nong nghiep hai yen") so a person can read them in a log or a merge report.
"""
from __future__ import annotations

import re

from hub.normalize.fold import search_key
from hub.normalize.text import clean_text

__all__ = ["name_key", "producer_key", "product_key"]

# Legal-form phrases (folded) → the short form used in keys; longest first so "cong ty trach nhiem
# huu han" is rewritten before "cong ty".
_LEGAL_FORMS: tuple[tuple[str, str], ...] = tuple(sorted(
    {
        "hop tac xa": "htx",
        "cong ty": "cong ty",
        "cty": "cong ty",
        "c ty": "cong ty",
        "ctcp": "cong ty cp",
        "cong ty trach nhiem huu han": "cong ty tnhh",
        "trach nhiem huu han": "tnhh",
        "co phan": "cp",
        "doanh nghiep tu nhan": "dntn",
        "mot thanh vien": "mtv",
        "1 thanh vien": "mtv",
        "to hop tac": "tht",
        "ho kinh doanh": "hkd",
        "san xuat kinh doanh": "sxkd",
        "thuong mai dich vu": "tmdv",
        "thuong mai va dich vu": "tmdv",
        "xuat nhap khau": "xnk",
    }.items(),
    key=lambda item: -len(item[0]),
))
_LEGAL_PATTERN = re.compile(r"\b(" + "|".join(re.escape(long) for long, _ in _LEGAL_FORMS) + r")\b")
_SHORT = dict(_LEGAL_FORMS)


def name_key(name: str) -> str:
    """A name folded for identity: repaired, no marks or case, legal forms in their short form."""
    folded = search_key(clean_text(name))
    return _LEGAL_PATTERN.sub(lambda m: _SHORT[m.group(1)], folded)


def producer_key(name: str, province_code: str) -> str:
    """``"<province code>|<name key>"``: one producer per province, however its name was written."""
    return f"{(province_code or '').strip()}|{name_key(name)}"


def product_key(product_name: str, producer_key: str) -> str:
    """``"<producer key>|<name key>"``: one product per producer, however its name was written."""
    return f"{producer_key}|{name_key(product_name)}"
