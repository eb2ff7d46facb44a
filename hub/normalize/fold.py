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


@lru_cache(maxsize=TEXT_CACHE_SIZE)
def search_key(text: str | None) -> str:
    """Fold Vietnamese text for matching: no tone or vowel marks, đ → d, lower case, single spaces.

    "đ" has no Unicode decomposition, so it is mapped by hand; old ("Hoá") and new ("Hóa")
    tone placement fold to the same key because every mark is dropped. Punctuation becomes a space.
    """
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    stripped = stripped.replace("đ", "d").replace("Đ", "D")
    stripped = _NON_WORD.sub(" ", stripped.lower())
    return _SPACES.sub(" ", stripped).strip()
