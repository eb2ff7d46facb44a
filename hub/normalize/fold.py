"""The diacritic-free search key shared by search, identity keys and unit look-ups."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACES = re.compile(r"\s+")
_NON_WORD = re.compile(r"[^\w\s]", re.UNICODE)


# Registry columns repeat a few dozen values (group, stars, units, issuing body, a producer's
# name across its products), and one row folds or cleans a cell more than once: the pure text
# functions here and in hub.normalize.text are cached, all with this size (bench/README.md).
TEXT_CACHE_SIZE = 1 << 13


class _FoldTable(dict[int, "int | str | None"]):
    """``str.translate`` table: combining marks (category Mn) dropped, đ/Đ → d/D, every other
    character kept. Filled on the first sight of each character, so the category look-up runs
    once per character per process instead of once per character of every text folded. Only
    the Basic Multilingual Plane is remembered, so hostile text cannot grow it past 65,536 keys."""

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.category(chr(code)) == "Mn" else code
        if code <= 0xFFFF:
            self[code] = kept
        return kept


_FOLD = _FoldTable({ord("đ"): "d", ord("Đ"): "D"})


@lru_cache(maxsize=TEXT_CACHE_SIZE)
def search_key(text: str | None) -> str:
    """Fold Vietnamese text for matching: no tone or vowel marks, đ → d, lower case, single spaces.

    "đ" has no Unicode decomposition, so it is mapped by hand; old ("Hoá") and new ("Hóa")
    tone placement fold to the same key because every mark is dropped. Punctuation becomes a space.
    """
    if not text:
        return ""
    stripped = unicodedata.normalize("NFD", text).translate(_FOLD)
    stripped = _NON_WORD.sub(" ", stripped.lower())
    return _SPACES.sub(" ", stripped).strip()
