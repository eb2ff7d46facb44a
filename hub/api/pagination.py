"""Relay-style keyset pagination: opaque cursors over (sort key, id), stable under inserts."""
from __future__ import annotations

import base64
import json
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
        """The rows strictly after ``cursor`` in this order."""
        try:
            name, key_value, id_value = json.loads(base64.urlsafe_b64decode(cursor.encode()))
            key_value = _decode_value(key_value)
        except (ValueError, TypeError) as exc:
            raise ClientError("Malformed cursor: pass an `endCursor` this API returned.") from exc
        if name != self.name:
            raise ClientError("This cursor belongs to another list or ordering; start again without `after`.")
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
