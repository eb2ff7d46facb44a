"""A certificate decision written in one cell: its number, its date and perhaps its issuing body.

Provincial lists often put the whole reference in one cell, in a clerk's own words: "858/QĐ-UBND
ngày 19/6/2025", "QĐ số 3150/QĐ-UBND ngày 25 tháng 12 năm 2023 của UBND tỉnh Quảng Ninh",
"1234/QĐ-UBND (12/5/2024)", a number on one line and the date on the next. The parts are found by
their shape (a number is digits, "/", then a letter; a date is day-month-year), not by the words
around them. Nothing is parsed or judged here: the date text goes to ``parse_date`` and the issuing
body is kept as written, since it may no longer exist after the 2025 reform.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from hub.normalize.fold import TEXT_CACHE_SIZE
from hub.normalize.text import clean_text

__all__ = ["DecisionParts", "split_decision"]

_FLAGS = re.IGNORECASE
# "Quyết định số", "QĐ số:", "Số", "QĐ" before a number; marked or not.
_NUMBER_LABEL = (
    r"(?<!\w)(?:(?:quy[eế]t\s*[đd][iị]nh|q[đd])\.?\s*)?(?:s[oố]\.?\s*)?:?\s*"
)
# A decision number: digits (an optional letter), an optional "/year", "/", then a letter
# ("858/QĐ-UBND", "15/2024/QĐ-UBND", "12a/QĐ-SNN", "99/QĐ-BCĐ.OCOP").
_SLASHED = re.compile(
    _NUMBER_LABEL + r"(?P<number>(?<![\w/])\d+[a-z]?(?:/\d{2,4})?\s?/\s?[^\W\d_][\w./\-–]*)", _FLAGS
)
# A number with no slash is taken only after "số": "Quyết định số 125 ngày 3/4/2024".
_BARE = re.compile(
    r"(?<!\w)(?:(?:quy[eế]t\s*[đd][iị]nh|q[đd])\.?\s*)?s[oố]\.?\s*:?\s*(?P<number>\d+[\w\-]*)", _FLAGS
)
_DAY_LABEL = r"(?:(?<!\w)ng[aà]y(?:\s*(?:c[aấ]p|k[yý]|ban\s*h[aà]nh))?\s*:?\s*)?"
_DATE = re.compile(
    _DAY_LABEL
    + r"(?P<date>"
    r"(?<![\d/])\d{1,2}\s*th[aá]ng\s*\d{1,2}\s*n[aă]m\s*\d{4}(?!\d)"  # 25 tháng 12 năm 2023
    r"|(?<![\d/.\-])\d{1,2}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*(?:\d{4}|\d{2})(?![\d/])"  # 12/5/2024
    r"|(?<![\d/])\d{4}-\d{1,2}-\d{1,2}(?!\d)"  # 2024-05-12
    r")",
    _FLAGS,
)
# What is left may still be a date without a day ("T6/2025", "tháng 6 năm 2025") or an unreadable
# one ("12/5"): only digits, date words and separators. It is passed on for parse_date to judge.
_DATE_WORDS = re.compile(r"(?:ng[aà]y|th[aá]ng|n[aă]m|th|t|c[aấ]p|[\d\s/.\-:])+", _FLAGS)
# "… của UBND tỉnh X", "… do UBND tỉnh X cấp": the body, without the verb after it.
_ISSUED_BY = re.compile(r"(?<!\w)(?:c[uủ]a|do)\s+(?P<body>.+)$", _FLAGS)
_ISSUING_VERB = re.compile(r"\s+(?:c[aấ]p|ban\s*h[aà]nh|k[yý])[\s.;,]*$", _FLAGS)
# An issuing body written after the date without "của": it opens with an authority's name.
_AUTHORITY = re.compile(
    r"^(?:ubnd|(?:ủy|u[yỷ])\s*ban|s[oở]\s|h[oộ]i\s*[đd][oồ]ng|ch[uủ]\s*t[iị]ch"
    r"|ban\s*ch[iỉ]\s*[đd][aạ]o|bc[đd]\s|b[oộ]\s)",
    _FLAGS,
)
_LEADING_DAY = re.compile(_DAY_LABEL, _FLAGS)
_TRIM = " \t,;:.-–"


@dataclass(frozen=True)
class DecisionParts:
    """A decision cell split up; each part is None when the cell does not give it."""

    number: str | None
    date_text: str | None
    issuing_body: str | None


def _cut(text: str, match: re.Match[str]) -> str:
    """``text`` without ``match``, a separator left in its place so neighbours do not join."""
    return f"{text[: match.start()]} ; {text[match.end():]}"


def _trimmed(text: str) -> str | None:
    """``text`` without separators at its ends, nor brackets left open by a part cut from it
    (a few at most: the loop is bounded so a hostile cell of brackets stays linear)."""
    text = " ".join(text.split()).strip(_TRIM)
    for _ in range(4):
        if text.endswith(")") and text.count("(") < text.count(")"):
            text = text[:-1].strip(_TRIM)
        elif text.startswith("(") and text.count("(") > text.count(")"):
            text = text[1:].strip(_TRIM)
        elif _enclosed(text):
            text = text[1:-1].strip(_TRIM)
        else:
            break
    return text or None


def _enclosed(text: str) -> bool:
    """True for "(…)" whose opening bracket closes at the very end: "(Sở NN (cũ))", not "(a) (b)"."""
    if not (text.startswith("(") and text.endswith(")")):
        return False
    depth = 0
    for i, ch in enumerate(text):
        depth += (ch == "(") - (ch == ")")
        if depth == 0:
            return i == len(text) - 1
    return False


@lru_cache(maxsize=TEXT_CACHE_SIZE)  # one decision cell repeats over its products
def split_decision(text: str | None) -> DecisionParts:
    """Split "858/QĐ-UBND ngày 19/6/2025 của UBND tỉnh X" into number, date text and body.

    The number keeps its writing (cleaned, without "Số" / "QĐ số" / "Quyết định số"); the date
    text is the date as written, without "ngày"; the body is what follows "của" or "do" ("do UBND
    tỉnh X cấp"), or an authority named after the date. Text in a legacy encoding is
    repaired first (``clean_text``).
    """
    number: str | None = None
    date_text: str | None = None
    body: str | None = None
    rest = clean_text(text)
    found = _SLASHED.search(rest) or _BARE.search(rest)
    if found:
        number = found.group("number").rstrip(_TRIM) or None
        rest = _cut(rest, found)
    found = _DATE.search(rest)
    if found:
        date_text = " ".join(found.group("date").split())
        rest = _cut(rest, found)
    found = _ISSUED_BY.search(rest)
    if found:
        body = _trimmed(_ISSUING_VERB.sub("", found.group("body")))
        rest = rest[: found.start()]
    leftover = _trimmed(rest.replace(" ; ", " "))
    if leftover and body is None and _AUTHORITY.match(leftover):
        body, leftover = leftover, None
    if leftover and date_text is None and _DATE_WORDS.fullmatch(leftover) and any(c.isdigit() for c in leftover):
        date_text = _LEADING_DAY.sub("", leftover, count=1) or None
    return DecisionParts(number=number, date_text=date_text, issuing_body=body)
