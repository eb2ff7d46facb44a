"""Plain fields completed directly (hub/api/plain_fields.py) answer exactly what graphql-core's
regular path answers: the same data, key order, errors, paths and null propagation."""
from __future__ import annotations

import asyncio
import json
from enum import Enum
from typing import Any, Optional

import pytest
import strawberry
from sqlalchemy.engine import Engine
from strawberry.extensions import SchemaExtension
from strawberry.http import process_result
from strawberry.schema.config import StrawberryConfig
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from hub.api.context import Context
from hub.api.extensions import schema_extensions
from hub.api.plain_fields import PlainFieldsExecutionContext, plain_fields
from hub.api.push_types import CELL_SCALAR, Cell
from hub.api.schema import HubSchema, Mutation, Query, schema
from hub.access.keys import Principal, Role

REFERENCE = HubSchema(query=Query, mutation=Mutation, extensions=schema_extensions(),
                      config=StrawberryConfig(scalar_map={Cell: CELL_SCALAR}),
                      execution_context_class=StrawberryGraphQLCoreExecutionContext)

HUB_QUERIES = [
    "{ stats(groupBy: [PROVINCE, STARS]) { key { province { code name fullName } stars } count } }",
    "{ stats(groupBy: [GROUP, STATUS, PRODUCER_TYPE, YEAR, LEGACY_PROVINCE]) "
    "{ __typename key { __typename group status producerType year legacyProvince } n: count } }",
    "{ stats(groupBy: [PROVINCE]) { key { province { code productCount legacyPredecessors } } count } }",
    "{ products(first: 30) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id name stars "
    "group status certifiedYear province { code name } commune { code name } producer { name producerType phone } "
    "provenance { sourceName sourceKind rowNumber lastSeenAt location } } } } }",
    "{ products(first: 20, filter: {province: [\"22\"]}) { edges { node { ... on Product { id name } ...F "
    "alias: name } } } } fragment F on Product { stars name @skip(if: true) id @include(if: true) }",
    "{ producers(first: 30) { edges { node { id name phone email producerType products { name } } } } }",
    "{ coverage { province { code } sources { name } } provinces { code name fullName productCount } }",
    "{ importBatches(first: 5) { edges { node { id kind } } } }",
]


def _answer(target: Any, query: str, context: Any) -> str:
    result = asyncio.run(target.execute(query, context_value=context))
    return json.dumps(process_result(result), ensure_ascii=False, default=str)


def test_the_hub_schema_uses_the_plain_path() -> None:
    assert schema.execution_context_class is PlainFieldsExecutionContext
    plain = plain_fields(schema._schema)
    assert {"count", "key"} <= set(plain["StatsBucket"])
    assert "productCount" not in plain["Province"]  # a resolver: never plain
    assert "Query" not in plain and "Mutation" not in plain


@pytest.mark.parametrize("query", HUB_QUERIES)
@pytest.mark.parametrize("caller", ["anonymous", "ministry"])
def test_hub_answers_equal_the_regular_path(engine: Engine, query: str, caller: str) -> None:
    principal = None if caller == "anonymous" else Principal(key_id=1, name="bo", role=Role.MINISTRY, province_code=None)
    plain = _answer(schema, query, Context(engine=engine, principal=principal))
    regular = _answer(REFERENCE, query, Context(engine=engine, principal=principal))
    assert plain == regular
    assert '"errors"' not in plain and len(plain) > 60


# A small schema with every way a plain field can go wrong.
@strawberry.enum
class Colour(Enum):
    RED = "red"


@strawberry.type
class Leaf:
    name: str
    colour: Optional[Colour] = None
    n: int = 0


@strawberry.type
class Item:
    leaf: Optional[Leaf]
    tags: list[str]
    maybe: Optional[Leaf] = None
    strict: Leaf = strawberry.field(default_factory=lambda: Leaf(name="s"))

    @strawberry.field
    def computed(self) -> int:
        return len(self.tags or [])


class Bad:
    """Not what the schema says: read by attribute, it lacks fields or holds wrong types."""

    def __init__(self, **values: Any) -> None:
        self.__dict__.update(values)


ITEMS = [
    Item(leaf=Leaf(name="ok", colour=Colour.RED, n=1), tags=["a"], maybe=Leaf(name="m")),
    Item(leaf=Bad(name=None, colour=None, n=2), tags=["b"]),             # null in a non-null field
    Item(leaf=Bad(name="x", colour="purple", n=3), tags=[]),              # not a Colour
    Item(leaf=Bad(name="y", colour=None, n="many"), tags=["c"]),          # not an Int
    Item(leaf=Leaf(name="z"), tags=None),                                 # null list
    Item(leaf=Bad(colour=None, n=5), tags=["d"]),                         # no such attribute
    Item(leaf=Leaf(name="w"), tags=("t", "u"), maybe=None),
    Item(leaf=Leaf(name="v"), tags=["e"], strict=Bad(name=None)),       # null propagated to the item
]


@strawberry.type
class SmallQuery:
    @strawberry.field
    def items(self) -> list[Optional[Item]]:
        return ITEMS

    @strawberry.field
    def first(self) -> Optional[Item]:
        return ITEMS[1]


class CountResolves(SchemaExtension):
    calls = 0

    def resolve(self, _next: Any, root: Any, info: Any, *args: Any, **kwargs: Any) -> Any:
        CountResolves.calls += 1
        return _next(root, info, *args, **kwargs)


SMALL_QUERIES = [
    "{ items { leaf { name colour n } tags maybe { name } computed } }",
    "{ items { computed tags leaf { __typename n } } first { leaf { name } tags } }",
    "{ items { t: tags l: leaf { c: colour } } }",
    "{ items { strict { name } leaf { name n } } }",
]


@pytest.mark.parametrize("query", SMALL_QUERIES)
def test_errors_paths_and_nulls_equal_the_regular_path(query: str) -> None:
    plain = strawberry.Schema(query=SmallQuery, execution_context_class=PlainFieldsExecutionContext)
    regular = strawberry.Schema(query=SmallQuery)
    answer = _answer(plain, query, None)
    assert answer == _answer(regular, query, None)
    body = json.loads(answer)
    assert len(body["errors"]) >= 2 and body["data"]["items"]  # errors stay local: the good items answer


def test_a_resolve_extension_still_sees_every_field() -> None:
    query = SMALL_QUERIES[0]
    seen = []
    for context_class in (PlainFieldsExecutionContext, StrawberryGraphQLCoreExecutionContext):
        CountResolves.calls = 0
        target = strawberry.Schema(query=SmallQuery, extensions=[CountResolves], execution_context_class=context_class)
        _answer(target, query, None)
        seen.append(CountResolves.calls)
    assert seen[0] == seen[1] >= len(ITEMS)


def test_plain_lists_skip_the_per_field_machinery() -> None:
    """The point of the module: a plain list is completed without a resolver call per field."""
    calls = {"n": 0}
    original = PlainFieldsExecutionContext.execute_field

    def counting(self: Any, *args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        return original(self, *args, **kwargs)

    target = strawberry.Schema(query=SmallQuery, execution_context_class=PlainFieldsExecutionContext)
    PlainFieldsExecutionContext.execute_field = counting  # type: ignore[method-assign]
    try:
        _answer(target, "{ items { maybe { name } t: __typename } }", None)
    finally:
        PlainFieldsExecutionContext.execute_field = original  # type: ignore[method-assign]
    assert calls["n"] == 1  # `items` itself, a resolver; every item's fields were read directly
