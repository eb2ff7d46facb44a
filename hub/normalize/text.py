"""Cleaning of free text and proper names read from registries.

Cells come with NBSPs, tabs and line breaks from wrapped Excel cells, zero-width characters from
copy-paste out of web pages and Word (or bidi controls planted to disguise a name), NFD or
legacy-font mojibake, and names typed in ALL CAPS or
all lower case. Stored text is NFC with single spaces; names get a consistent case so the same
producer does not appear twice.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from hub.normalize.encodings import repair_text
from hub.normalize.fold import TEXT_CACHE_SIZE

__all__ = ["ABBREVIATIONS", "clean_name", "clean_text"]

# Zero-width and invisible format characters; U+00AD (soft hyphen) is removed only after
# repair_text, because in TCVN3 mojibake it is the letter "ư".
# Bidirectional controls (marks, embeddings, overrides, isolates) too: Vietnamese needs none, and
# one planted in a name reorders what a page, a CSV or a terminal shows after it.
_BIDI_CONTROLS = "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u180e" + _BIDI_CONTROLS), None)
_SOFT_HYPHEN = {0xAD: None}
# C0/C1 control codes left after repair are junk (in TCVN3 mojibake they were letters: repair first).
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")
_WHITESPACE = re.compile(r"[\s\u00a0\u2007\u202f]+")

#: Upper-case abbreviations kept as such when a name's case is rebuilt.
ABBREVIATIONS = frozenset({
    "HTX", "TNHH", "CP", "DNTN", "OCOP", "MTV", "THT", "HKD", "XNK", "TM", "DV", "SX", "KD",
    "TMDV", "SXKD", "SXTM", "TMSX", "NN", "PTNT", "UBND", "HĐND", "VN", "TP", "JSC", "LTD", "II",
    "III", "IV", "VI", "VII", "VIII", "IX", "XI", "XII",
})
_ABBREVIATION_KEYS = {unicodedata.normalize("NFC", a).casefold(): a for a in ABBREVIATIONS}
_LEGAL_FORM = re.compile(r"(?<!\w)(?:htx|tnhh|dntn|mtv|tht|hkd)(?!\w)", re.IGNORECASE)

# "Cty", "C.ty", "Cty.", "C.TY", "CTY." → "Công ty" (not inside a longer word).
_CTY = re.compile(r"(?<!\w)c\s?\.?\s?ty(?:\.|(?!\w))\s*", re.IGNORECASE)
_WORD_START = re.compile(r"\w+", re.UNICODE)


@lru_cache(maxsize=TEXT_CACHE_SIZE)
def clean_text(s: str | None) -> str:
    """NFC, legacy mojibake repaired, invisible and bidi control characters dropped, whitespace collapsed.

    Returns "" for None so callers can test emptiness without a None check.
    """
    if not s:
        return ""
    text = unicodedata.normalize("NFC", s).translate(_INVISIBLE)
    text = _CONTROLS.sub("", repair_text(text).translate(_SOFT_HYPHEN))
    return _WHITESPACE.sub(" ", text).strip()


def _case_word(match: re.Match[str]) -> str:
    word = match.group(0)
    key = word.casefold()
    if key in _ABBREVIATION_KEYS:
        return _ABBREVIATION_KEYS[key]
    if word.isdigit():
        return word
    return word[:1].upper() + word[1:].lower()


@lru_cache(maxsize=TEXT_CACHE_SIZE)
def clean_name(s: str | None) -> str:
    """clean_text plus the case a proper name is written in.

    An ALL-CAPS or all-lower-case name is capitalised per word ("HTX NÔNG NGHIỆP HẢI YẾN" →
    "HTX Nông Nghiệp Hải Yến"), keeping known abbreviations upper case; "Cty" / "C.ty" becomes
    "Công ty". A mixed-case name is kept as written: its writer chose that case.
    """
    text = clean_text(s)
    if not text:
        return ""
    letters = [c for c in text if c.isalpha()]
    rebuild = bool(letters) and (
        all(c.isupper() for c in letters)
        or all(c.islower() for c in letters)
        # A .VnTimeH (upper-case TCVN3 font) cell: ASCII letters typed upper case, marked letters
        # stored as the lower-case codes the font draws as capitals. Real text never looks so.
        or (
            all(c.isupper() for c in letters if c.isascii())
            and all(not c.isascii() for c in letters if c.islower())
            and sum(1 for c in letters if c.isascii()) >= 2
        )
    )
    text = _CTY.sub(lambda m: "Công ty" + (" " if m.end() < len(m.string) else ""), text).strip()
    if rebuild:
        text = _WORD_START.sub(_case_word, text)
    # Legal-form abbreviations are never words of a name: "Htx" is always "HTX".
    return _LEGAL_FORM.sub(lambda m: m.group(0).upper(), text)
