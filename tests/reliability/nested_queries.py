"""Nested GraphQL queries drawn from the schema, up to the hub's limits, for the budget fuzz
(tests/reliability/test_live_hostile.py): lists inside lists with page sizes from 0 to the
maximum, as deep as MAX_QUERY_DEPTH allows, a few root fields under aliases. Also: how many
values an answer holds, counted as hub.api.query_cost counts them, to hold the estimate to it."""
from __future__ import annotations

from random import Random
from typing import Any, Callable

from graphql import (FieldNode, GraphQLField, GraphQLList, GraphQLObjectType, GraphQLOutputType, GraphQLSchema,
                     OperationDefinitionNode, get_named_type, get_nullable_type, is_leaf_type, parse)
from hypothesis import strategies as st

from hub.api.limits import MAX_PAGE_SIZE, MAX_QUERY_DEPTH

PAGE_SIZES = [None, 0, 1, 2, 10, 50, 200, MAX_PAGE_SIZE]  # None: the argument left out (its default)
STATS_DIMENSIONS = ["PROVINCE", "LEGACY_PROVINCE", "STARS", "GROUP", "PRODUCER_TYPE", "YEAR", "STATUS"]
ROOT_ARGUMENTS: dict[str, Callable[[Random, dict[str, Any]], str]] = {
    "products": lambda r, ids: _page(r, "first"),
    "producers": lambda r, ids: _page(r, "first"),
    "conflicts": lambda r, ids: _page(r, "first"),
    "importBatches": lambda r, ids: _page(r, "first"),
    "rejectedRecords": lambda r, ids: f'(source: "{ids["source"]}"{_page(r, "first", ", ")})',
    "product": lambda r, ids: f"(id: {r.choice(ids['products'])})",
    "producer": lambda r, ids: f"(id: {r.choice(ids['producers'])})",
    "stats": lambda r, ids: f"(groupBy: [{', '.join(r.sample(STATS_DIMENSIONS, r.randint(1, 4)))}])",
    "provinces": lambda r, ids: "",
    "coverage": lambda r, ids: "",
}
"""The root fields an anonymous caller may ask (``sources`` and ``pushJob`` need a key), with
arguments that name real rows: ``ids`` holds some products' and producers' ids and a source."""
ROOT_WEIGHTS = {"products": 3, "producers": 3, "product": 2, "producer": 2, "conflicts": 2}
"""The roots under which lists nest deepest come more often."""
MAX_FIELDS = 4  # per object: wide and deep together would run into the 2,000-token limit instead
NEST = 0.9      # how often a level goes on down: deep queries are what the budget is for


def _page(r: Random, argument: str, joiner: str = "") -> str:
    size = r.choice(PAGE_SIZES)
    if size is None:
        return ""
    return f"{joiner}{argument}: {size}" if joiner else f"({argument}: {size})"


def nested_queries(schema: GraphQLSchema, ids: dict[str, Any]) -> st.SearchStrategy[str]:
    """Queries of 1–3 root fields (one may come twice, under aliases), each nested up to the depth
    limit (root fields are depth 0). Drawn from a seed Hypothesis picks (and reports on failure)
    with fixed odds, not by Hypothesis's own choices: those favour small values, and a few dozen
    examples would then never reach a costly query."""
    return st.integers(0, 2**32 - 1).map(lambda seed: nested_query(Random(seed), schema, ids))


def nested_query(r: Random, schema: GraphQLSchema, ids: dict[str, Any]) -> str:
    parts = []
    for n in range(r.randint(1, 3)):
        name = r.choices(sorted(ROOT_ARGUMENTS), [ROOT_WEIGHTS.get(n, 1) for n in sorted(ROOT_ARGUMENTS)])[0]
        named = get_named_type(schema.query_type.fields[name].type)
        body = "" if is_leaf_type(named) else f" {{ {_selection(r, named, MAX_QUERY_DEPTH - 1)} }}"
        parts.append(f"q{n}: {name}{ROOT_ARGUMENTS[name](r, ids)}{body}")
    return "{ " + " ".join(parts) + " }"


def _selection(r: Random, type_: GraphQLObjectType, depth_left: int) -> str:
    """Some fields of ``type_``: up to two of its objects and lists while ``depth_left`` allows,
    and a few of its scalars."""
    leaves = sorted(n for n, f in type_.fields.items() if is_leaf_type(get_named_type(f.type)))
    objects = sorted(set(type_.fields) - set(leaves)) if depth_left > 0 else []
    nested = []
    if objects and r.random() < NEST:  # lists first: they are what multiplies
        weights = [_weight(type_.fields[n]) for n in objects]
        nested = sorted(set(r.choices(objects, weights, k=r.randint(1, 3))))
    scalars = r.sample(leaves, min(len(leaves), r.randint(0 if nested else 1, MAX_FIELDS - len(nested))))
    parts = []
    for name in nested + scalars:
        field = type_.fields[name]
        arguments = next((_page(r, a) for a in ("first", "last") if a in field.args), "")
        named = get_named_type(field.type)
        inner = "" if is_leaf_type(named) else f" {{ {_selection(r, named, depth_left - 1)} }}"
        parts.append(f"{name}{arguments}{inner}")
    return " ".join(parts) or "__typename"


def _paged(field: GraphQLField) -> bool:
    return "first" in field.args or "last" in field.args


def _weight(field: GraphQLField) -> int:
    """How likely a level goes down into this field: paged lists most (they multiply), then
    objects holding one (a product's producer and its products), then other lists."""
    named = get_named_type(field.type)
    if _paged(field):
        return 6
    if isinstance(named, GraphQLObjectType) and any(_paged(f) for f in named.fields.values()):
        return 3
    return 2 if isinstance(get_nullable_type(field.type), GraphQLList) else 1


def values_in(schema: GraphQLSchema, query: str, data: dict[str, Any]) -> int:
    """The values of an answer as the cost counts them: every field of every object, once per
    object, whatever it holds (a JSON scalar is one value); a list's items count by their fields."""
    operation = parse(query).definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    roots = {(f.alias or f.name).value: f.name.value for f in operation.selection_set.selections
             if isinstance(f, FieldNode)}
    return sum(1 + _values(value, schema.query_type.fields[roots[key]].type) for key, value in data.items())


def _values(value: Any, type_: GraphQLOutputType) -> int:
    nullable = get_nullable_type(type_)
    if value is None or is_leaf_type(get_named_type(nullable)):
        return 0
    if isinstance(nullable, GraphQLList):
        return sum(_values(item, nullable.of_type) for item in value)
    fields = nullable.fields
    return sum(1 + (_values(v, fields[k].type) if k in fields else 0) for k, v in value.items())
