"""Relay-style keyset pagination: opaque cursors over (sort key, id), stable under inserts."""
from __future__ import annotations

import base64
import json
import math
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Optional

import strawberry
from sqlalchemy import ColumnElement, and_, func, or_

from hub.api.errors import ClientError


@strawberry.type(description="Where a page sits in the whole list.")
class PageInfo:
    has_next_page: bool = strawberry.field(description="True when more items follow this page.")
    has_previous_page: bool = strawberry.field(description="True when this page was asked for with `after`.")
    start_cursor: Optional[str] = strawberry.field(description="Cursor of the first item of the page.")
    end_cursor: Optional[str] = strawberry.field(description="Cursor of the last item; pass it as `after`.")


def _encode_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"dt": value.isoformat()}
    if isinstance(value, date):
        return {"d": value.isoformat()}
    return value


def _decode_value(value: Any) -> Any:
    if isinstance(value, dict) and "dt" in value:
        return datetime.fromisoformat(value["dt"])
    if isinstance(value, dict) and "d" in value:
        return date.fromisoformat(value["d"])
    return value


MAX_CURSOR_CHARS = 2000
MALFORMED_CURSOR = "Malformed cursor: pass an `endCursor` this API returned."
_INT_RANGE = range(-2 ** 63, 2 ** 63)


def _python_type(column: ColumnElement[Any]) -> type | None:
    """What a cursor's key must be for this column; None when the column's type does not say."""
    kind = column.type
    kind = getattr(kind, "impl", kind)  # a TypeDecorator (sqlmodel's AutoString, UTCDateTime): what it stores
    try:
        found = kind.python_type
    except NotImplementedError:
        return None
    return None if found is object else found


def _fits(value: Any, expected: type | None) -> bool:
    """``value`` (from a cursor) is a scalar SQL can compare with a column of ``expected`` type
    (null included: a key may be null); None for ``expected`` accepts any such scalar."""
    if value is None:
        return True
    if isinstance(value, bool) or not isinstance(value, (str, int, float, date)):
        return False
    if isinstance(value, str) and (len(value) > MAX_CURSOR_CHARS or "\x00" in value):
        return False
    if isinstance(value, int) and value not in _INT_RANGE:
        return False
    if isinstance(value, float) and not math.isfinite(value):
        return False
    if expected is None:
        return True
    if expected is float:
        return isinstance(value, (int, float))
    if expected is date:
        return type(value) is date
    return isinstance(value, expected)


def _is_id(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value in _INT_RANGE


@dataclass(frozen=True)
class Ordering:
    """A total order: ``key`` then ``id``, both in ``descending`` or both ascending."""

    name: str
    key: ColumnElement[Any]
    id: ColumnElement[Any]
    descending: bool

    def order_by(self, index_free: bool = False) -> list[ColumnElement[Any]]:
        """``index_free``: the key wrapped so that no index serves the order (the same values,
        the same order), for a filter that should be planned on its own first (product_page)."""
        key = func.coalesce(self.key, self.key) if index_free else self.key
        if self.descending:
            return [key.desc(), self.id.desc()]
        return [key.asc(), self.id.asc()]

    def cursor(self, key_value: Any, id_value: int) -> str:
        raw = json.dumps([self.name, _encode_value(key_value), id_value], separators=(",", ":"))
        return base64.urlsafe_b64encode(raw.encode()).decode()

    def after(self, cursor: str) -> ColumnElement[bool]:
        """The rows strictly after ``cursor`` in this order. A cursor is the client's text: each
        part is checked (shape, types against the order's key, bounds) before it reaches SQL,
        where a wrong type would be a database error (a 500 and a traceback) rather than a 400."""
        try:
            if len(cursor) > MAX_CURSOR_CHARS:
                raise ValueError("too long")
            name, key_value, id_value = json.loads(base64.urlsafe_b64decode(cursor.encode()))
            key_value = _decode_value(key_value)
        except (ValueError, TypeError) as exc:
            raise ClientError(MALFORMED_CURSOR, "BAD_CURSOR") from exc
        if name != self.name:
            raise ClientError("This cursor belongs to another list or ordering; start again without `after`.",
                              "BAD_CURSOR")
        if not (_is_id(id_value) and _fits(key_value, _python_type(self.key))):
            raise ClientError(MALFORMED_CURSOR, "BAD_CURSOR")
        if self.descending:
            return or_(self.key < key_value, and_(self.key == key_value, self.id < id_value))
        return or_(self.key > key_value, and_(self.key == key_value, self.id > id_value))


def page_info(cursors: list[str], has_next: bool, after: str | None) -> PageInfo:
    return PageInfo(
        has_next_page=has_next,
        has_previous_page=after is not None,
        start_cursor=cursors[0] if cursors else None,
        end_cursor=cursors[-1] if cursors else None,
    )
