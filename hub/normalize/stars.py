"""OCOP star ratings as registries write them: "3 sao", "★★★★", "Bốn sao", "Ba (3) sao", "4 sao (tiềm năng 5 sao)",
"OCOP 4 sao", "4/5 sao" (out of five), "4-star", "4 sao (*)" (a note mark after it), a section
row's title ("I. SẢN PHẨM ĐẠT 4 SAO"), or only the 100-point score.

The rating is derived from the score (1★ < 30, 2★ 30–49, 3★ 50–69, 4★ 70–89, 5★ 90–100) and only
3★ and up are certified, so a 1–2★ row is not an OCOP product. "Tiềm năng 5 sao" is a 4★ product
the province proposes for 5★; it stays 4★ until the central council decides.
"""
from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

from hub.normalize.fold import search_key
from hub.normalize.problem import Problem

__all__ = ["StarRating", "parse_stars", "stars_from_score"]


@dataclass(frozen=True)
class StarRating:
    """A certified rating (3–5★); ``proposed_five_star`` marks a 4★ product proposed for 5★."""

    stars: int
    proposed_five_star: bool
    score: int | None


_WORD_NUMBERS = {"mot": 1, "hai": 2, "ba": 3, "bon": 4, "tu": 4, "nam": 5}
_STAR_GLYPHS = "★⭐✭✮✯✪🌟"
_NUMERIC = re.compile(r"^([+-]?\d+(?:[.,]\d+)?)\s*(?:sao|s|\*+|star|stars|sao ocop)?$")
_WORDS = re.compile(r"^(mot|hai|ba|bon|tu|nam)\s*(?:sao|\*)$")
# The rating in words with its figure, as on a certificate: "Ba (3) sao", "Bốn (04) sao" (folded,
# the brackets are gone); read when the word and the figure agree.
_WORDS_AND_FIGURE = re.compile(r"^(mot|hai|ba|bon|tu|nam)\s+0?([1-5])(?:\s+(?:sao|\*))?$")
_POTENTIAL = re.compile(r"tiem nang(?:\s*(?:len|dat|de xuat))?\s*(?:(?:5|nam)\s*(?:sao|\*)?)?")
# Words around the rating in a section row or a stars cell ("I. SẢN PHẨM ĐẠT 4 SAO", "Xếp hạng: 4
# sao", "SP OCOP 3 sao năm 2024"), folded: dropped so the rating itself is read. A section's
# enumerator (roman, a digit or a letter) is dropped only when such words follow it.
_FILLER = r"(?:danh sach|nhom|cac|san pham|sp|ocop|duoc|cong nhan|xep hang|phan hang|hang|dat|so sao|la)"
_LEAD = re.compile(rf"^(?:(?:[ivx]+|\d{{1,2}}|[a-e])\s+(?={_FILLER}\b))?(?:{_FILLER}(?:\s+|$))+")
_TRAIL = re.compile(r"\s+(?:ocop\s+)?(?:nam\s+\d{4}|ocop)$")
# A note mark after the rating ("4 sao (*)", "3 sao (1)") points at a note under the table; the
# rating is what precedes it (a reader resolves the note itself, see hub.registries.headers).
_NOTE_MARK = re.compile(r"\s*\(\s*(?:\*{1,3}|\d{1,2})\s*\)\s*$")
# A rating out of five ("4/5 sao", "4/5") and the English "4-star".
_OUT_OF_FIVE = re.compile(r"^([1-5])\s*/\s*5\b")
_HYPHEN_STAR = re.compile(r"(\d)\s*-\s*(?=stars?\b)")


def stars_from_score(score: int) -> int:
    """Star rating a 0–100 score earns (Decision 1048/148 thresholds)."""
    if score < 30:
        return 1
    if score < 50:
        return 2
    if score < 70:
        return 3
    if score < 90:
        return 4
    return 5


def _bad(value: str | None, why: str) -> Problem:
    return Problem("BAD_STARS", "stars", f"not a star rating ({why}): {value!r}", value)


def _parse_number(text: str) -> float | None:
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        return None
    return number if math.isfinite(number) else None  # "1e400", "inf", "nan", 400 digits


def _parse_star_text(value: str) -> tuple[int | None, bool] | Problem:
    """(stars or None, proposed) from the written rating, before range checks."""
    text = unicodedata.normalize("NFC", value).strip().lower()
    text = _NOTE_MARK.sub("", text) or text
    text = _HYPHEN_STAR.sub(r"\1 ", _OUT_OF_FIVE.sub(r"\1", text))
    glyphs = sum(text.count(g) for g in _STAR_GLYPHS + "*")
    if glyphs and not re.sub(f"[{_STAR_GLYPHS}*☆\\s]", "", text):
        return glyphs, False  # "★★★", "★★★☆☆", "***"
    folded = search_key(text.replace("*", " sao "))  # search_key drops "*"; keep it as "sao"
    proposed = False
    if "tiem nang" in folded:
        proposed = True
        folded = " ".join(_POTENTIAL.sub(" ", folded).split())
    folded = _TRAIL.sub("", _LEAD.sub("", folded))
    if not folded:
        return (None, proposed) if proposed else _bad(value, "empty")
    number_text = " ".join(text.replace("*", " sao ").split())
    if not proposed:
        numeric = _NUMERIC.match(number_text)
        if numeric:
            number = _parse_number(numeric.group(1))
            if number is None or number != int(number):
                return _bad(value, "not a whole number")
            return int(number), False
    folded_numeric = re.fullmatch(r"(-?\d+)(?: 0+)?(?: sao)?", folded)
    if folded_numeric:
        return int(folded_numeric.group(1)), proposed
    words = _WORDS.match(folded)
    if words:
        return _WORD_NUMBERS[words.group(1)], proposed
    both = _WORDS_AND_FIGURE.match(folded)
    if both and _WORD_NUMBERS[both.group(1)] == int(both.group(2)):
        return int(both.group(2)), proposed
    return _bad(value, "unrecognised")


def _parse_score(score: str) -> int | Problem:
    number = _parse_number(score.strip())
    if number is None or math.isnan(number):
        return Problem("BAD_SCORE", "score", f"score is not a number: {score!r}", score)
    if not 0 <= number <= 100:
        return Problem("BAD_SCORE", "score", f"score outside 0–100: {score!r}", score)
    return math.floor(number)  # thresholds are "< 70" etc., so 69.5 is still 3★


def parse_stars(value: str | None, score: str | None = None) -> StarRating | Problem:
    """Parse a written star rating and/or a 100-point score into a certified StarRating.

    Problems: BAD_STARS (missing, unreadable, not 1–5), BAD_SCORE (not a number in 0–100),
    STARS_SCORE_MISMATCH (the score earns a different rating), BELOW_CERTIFICATION (1–2★).
    """
    value = value.strip() if value else ""
    score = score.strip() if score else ""
    points: int | None = None
    if score:
        parsed_score = _parse_score(score)
        if isinstance(parsed_score, Problem):
            return parsed_score
        points = parsed_score
    stars: int | None = None
    proposed = False
    if value:
        parsed = _parse_star_text(value)
        if isinstance(parsed, Problem):
            return parsed
        stars, proposed = parsed
        if proposed:
            if stars not in (None, 4, 5):
                return _bad(value, "only a 4★ product can be proposed for 5★")
            stars = 4
        elif stars is None or not 1 <= stars <= 5:
            return _bad(value, "must be 1–5")
    if stars is None and points is None:
        return _bad(value or None, "missing")
    if stars is None:
        assert points is not None
        stars = stars_from_score(points)
    elif points is not None:
        earned = stars_from_score(points)
        # A proposed product is 4★ while its provincial score is already in the 5★ band.
        if earned != stars and not (proposed and earned == 5):
            return Problem(
                "STARS_SCORE_MISMATCH", "stars",
                f"{stars}★ written but score {points} earns {earned}★", f"{value} / {score}",
            )
    if stars < 3:
        return Problem(
            "BELOW_CERTIFICATION", "stars",
            f"{stars}★ is below certification (only 3★ and up are OCOP products)", value or score,
        )
    return StarRating(stars=stars, proposed_five_star=proposed, score=points)
