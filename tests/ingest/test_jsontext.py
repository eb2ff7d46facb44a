"""hub.store.jsontext: orjson where it can, the json module where it cannot, and the same bytes either
way, so stored row hashes (``source_record.raw_hash``) keep matching after the switch."""
from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from hub.ingest.canonical import CANONICAL_VERSION, raw_hash
from hub.store.jsontext import compact_json_bytes, json_column_text
from hub.records import RawRow

_OLD_RAW_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode  # before hub.store.jsontext


def old_raw_hash(row: RawRow, province: str) -> str:
    import hashlib

    blob = _OLD_RAW_JSON((CANONICAL_VERSION, province, row.values, row.raw))
    return hashlib.sha256(blob.encode("utf-8", "surrogatepass")).hexdigest()


# Any text, lone surrogates included (a JSON API may send "\ud800" escaped; json.loads keeps it).
cells = st.text(st.characters(codec=None), max_size=40)
rows = st.builds(lambda values, raw, n: RawRow(row_number=n, values=values, raw=raw),
                 st.dictionaries(cells, cells, max_size=8), st.dictionaries(cells, cells, max_size=8),
                 st.integers(1, 10_000))


@settings(max_examples=2000, deadline=None)
@given(rows, cells)
def test_raw_hash_is_the_one_stored_before(row: RawRow, province: str) -> None:
    assert raw_hash(row, province) == old_raw_hash(row, province)


def test_both_encoders_are_used() -> None:
    """The examples above reach the fallback too: a lone surrogate is refused by orjson."""
    import orjson
    import pytest

    with pytest.raises(orjson.JSONEncodeError):
        orjson.dumps({"a": "\ud800"})
    assert compact_json_bytes({"a": "\ud800"}) == '{"a":"\ud800"}'.encode("utf-8", "surrogatepass")
    assert compact_json_bytes({"Tên": "Chè\n\"Shan\"\x00\u2028"}) == _OLD_RAW_JSON(
        {"Tên": "Chè\n\"Shan\"\x00\u2028"}).encode()


@settings(max_examples=500, deadline=None)
@given(st.recursive(st.none() | st.booleans() | st.integers() | cells,
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(cells | st.integers(), inner, max_size=4),
                    max_leaves=20))
def test_a_json_column_reads_back_as_the_json_module_would_have_written_it(value: object) -> None:
    assert json.loads(json_column_text(value)) == json.loads(json.dumps(value))
