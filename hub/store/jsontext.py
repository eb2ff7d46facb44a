"""Compact JSON, as the store keeps its JSON columns and as row hashes are taken: orjson, about
15× faster than the json module on a registry row, and the json module for what orjson refuses
(text with lone surrogates, which a JSON API may send escaped; dict keys that are not strings;
integers beyond 64 bits), so nothing that was stored before is refused now."""
from __future__ import annotations

import json
from typing import Any

import orjson

_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def compact_json_bytes(value: Any) -> bytes:
    """UTF-8 JSON without spaces, non-ASCII as itself: the same bytes from either encoder."""
    try:
        return orjson.dumps(value)
    except TypeError:  # orjson.JSONEncodeError
        return _COMPACT(value).encode("utf-8", "surrogatepass")


def json_column_text(value: Any) -> str:
    """The text of a JSON column (the engines' ``json_serializer``). What orjson refuses is
    written as the json module always wrote it (ASCII, lone surrogates escaped)."""
    try:
        return orjson.dumps(value).decode("utf-8")
    except TypeError:
        return json.dumps(value)
