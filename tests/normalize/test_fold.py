"""search_key folds with a translate table filled as characters are first seen; it must give what
the plain definition gives (NFD, drop every Mn mark, đ → d, lower case, punctuation → space)."""
from __future__ import annotations

import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from hub.normalize.fold import search_key


def by_definition(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    stripped = stripped.replace("đ", "d").replace("Đ", "D").lower()
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s]", " ", stripped)).strip()


def test_vietnamese_examples() -> None:
    assert search_key("Hợp tác xã ĐÔNG Đức – Hoá/Hóa") == "hop tac xa dong duc hoa hoa"
    assert search_key("e\u0301") == search_key("é") == "e"  # NFD input, NFC input
    assert search_key("  ") == search_key(None) == search_key("") == ""
    # only Mn marks go: an enclosing mark (Me) or a spacing one (Mc) is not a word character
    assert search_key("a\u20ddb") == by_definition("a\u20ddb") == "a b"
    assert search_key("हिन्दी") == by_definition("हिन्दी") == "ह नद"


@settings(max_examples=2000)
@given(text=st.one_of(
    st.text(),  # any code point, marks of every script included
    st.text(alphabet="aăâeêioôơuưyđĐ \u0300\u0301\u0303\u0309\u0323\u0306\u0302\u031b.,/-–"),
))
def test_same_key_as_the_definition(text: str) -> None:
    search_key.cache_clear()  # the table, not the cache, is under test
    assert search_key(text) == by_definition(text)
