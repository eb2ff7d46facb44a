"""Plain fields completed without a resolver call each.

Why: graphql-core runs every field through the same machinery (a resolve info, a path, the
resolver, ``complete_value``), about 5 µs a field. A ``stats`` answer of 102 buckets has ~700
fields and spent 4 of its 7 ms there (bench/README.md, issue 14); a page of 100 products, 1,500.
Most of those fields are *plain*: Strawberry's own "basic" fields (no resolver, no arguments, no
field extension: ``StrawberryField.is_basic_field``), which only read an attribute.

This execution context reads a plain field's attribute with the field's own default resolver and
serializes leaves with the field type's own ``serialize``, exactly what the regular path would do.
An object reached by a plain field (a bucket's key, its province) is completed the same way when
every field selected of it is plain.
Anything unusual in a plain field (a null where the schema says non-null, a value its scalar or
enum refuses, a list that is not a list) abandons the attempt for that field, which has recorded
nothing, and the regular path completes it from the start: errors, paths and null propagation are
graphql-core's own. With a schema extension that hooks ``resolve`` (middleware), every field takes
the regular path, so the extension sees every field.

Every object's fields start here (``execute_fields``), so this is also where a query's deadline
(``Context.deadline``, hub.api.budget) is checked: Python work that never awaits still stops.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable, Optional

from graphql import (GraphQLList, GraphQLNonNull, GraphQLObjectType, GraphQLOutputType, GraphQLSchema,
                     is_leaf_type)
from graphql.language import FieldNode
from graphql.pyutils import Path, Undefined
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from hub.api.budget import QueryDeadlineExceeded, query_limits

STRAWBERRY_FIELD = "strawberry-definition"
"""Where Strawberry keeps its field on a graphql-core field (GraphQLCoreConverter.DEFINITION_BACKREF)."""


class _Abandon(Exception):
    """A plain completion met something only the regular path should answer."""


@dataclass(frozen=True)
class PlainField:
    read: Callable[[Any, str], Any]
    python_name: str
    type: GraphQLOutputType


@lru_cache(maxsize=8)
def plain_fields(schema: GraphQLSchema) -> dict[str, dict[str, PlainField]]:
    """Per object type name (the root types left out): its plain fields by GraphQL name."""
    roots = {t.name for t in (schema.query_type, schema.mutation_type, schema.subscription_type) if t}
    plan: dict[str, dict[str, PlainField]] = {}
    for name, type_ in schema.type_map.items():
        if not isinstance(type_, GraphQLObjectType) or name.startswith("__") or name in roots:
            continue
        specs = {}
        for field_name, field in type_.fields.items():
            definition = field.extensions.get(STRAWBERRY_FIELD)
            if (definition is not None and definition.is_basic_field and not field.args
                    and getattr(field.resolve, "_is_default", False)):
                specs[field_name] = PlainField(definition.default_resolver, definition.python_name, field.type)
        if specs:
            plan[name] = specs
    return plan


Completer = Callable[[Any], Any]
"""Completes one value of a type for a selection, or raises _Abandon."""


class PlainFieldsExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's execution context, completing plain fields directly (see the module)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        hooked = self.middleware_manager is not None and bool(self.middleware_manager.middlewares)
        self._plain = {} if hooked else plain_fields(self.schema)
        self._completers: dict[tuple[int, int], tuple[Any, list[FieldNode], Completer]] = {}
        self._deadline: Optional[float] = getattr(self.context_value, "deadline", None)

    def execute_fields(self, parent_type: GraphQLObjectType, source_value: Any, path: Optional[Path],
                       fields: dict[str, list[FieldNode]]) -> Any:
        if self._deadline is not None and time.monotonic() > self._deadline:
            raise QueryDeadlineExceeded(query_limits(getattr(self.context_value, "principal", None)))
        plain = self._plain.get(parent_type.name)
        if plain is None:
            return super().execute_fields(parent_type, source_value, path, fields)
        done: dict[str, Any] = {}
        rest: dict[str, list[FieldNode]] = {}
        for response_name, field_nodes in fields.items():
            spec = plain.get(field_nodes[0].name.value)
            if spec is not None:
                try:
                    done[response_name] = self._completer(spec.type, field_nodes)(
                        _read(spec.read, source_value, spec.python_name))
                    continue
                except _Abandon:
                    pass
            rest[response_name] = field_nodes
        if not rest:
            return done
        others = super().execute_fields(parent_type, source_value, path, rest)
        if self.is_awaitable(others):
            async def merged() -> dict[str, Any]:
                return _in_order(fields, done, await others)
            return merged()
        return _in_order(fields, done, others)

    def complete_list_value(self, return_type: GraphQLList[Any], field_nodes: list[FieldNode], info: Any,
                            path: Path, result: Any) -> Any:
        """A list from a resolver (stats buckets, edges) completed whole when it is plain."""
        if self._plain:
            try:
                return self._completer(return_type, field_nodes)(result)
            except _Abandon:
                pass
        return super().complete_list_value(return_type, field_nodes, info, path, result)

    def _completer(self, type_: GraphQLOutputType, field_nodes: list[FieldNode]) -> Completer:
        """The completer of ``type_`` for this selection, built once per request; the type and
        node list are kept with it, so their ids are not reused while it is remembered."""
        key = (id(type_), id(field_nodes))
        known = self._completers.get(key)
        if known is None:
            known = self._completers[key] = (type_, field_nodes, self._build(type_, field_nodes))
        return known[2]

    def _build(self, type_: Any, field_nodes: list[FieldNode]) -> Completer:
        if isinstance(type_, GraphQLNonNull):
            inner = self._completer(type_.of_type, field_nodes)

            def non_null(value: Any) -> Any:
                if value is None:
                    raise _Abandon  # the regular path reports it and propagates the null
                return inner(value)
            return non_null
        if isinstance(type_, GraphQLList):
            item = self._completer(type_.of_type, field_nodes)

            def listed(value: Any) -> Any:
                if value is None:
                    return None
                if not isinstance(value, (list, tuple)):
                    raise _Abandon
                return [item(v) for v in value]
            return listed
        if is_leaf_type(type_):
            serialize = type_.serialize

            def leaf(value: Any) -> Any:
                if value is None:
                    return None
                try:
                    serialized = serialize(value)
                except Exception:
                    raise _Abandon from None
                if serialized is None or serialized is Undefined:
                    raise _Abandon
                return serialized
            return leaf
        fields = self._selection(type_, field_nodes)
        if fields is None:
            return _abandon
        type_name = type_.name

        def obj(value: Any) -> Any:
            if value is None:
                return None
            return {response_name: type_name if complete is None else complete(_read(read, value, attribute))
                    for response_name, read, attribute, complete in fields}
        return obj

    def _selection(self, type_: Any, field_nodes: list[FieldNode]) -> Optional[list[tuple[str, Any, str, Any]]]:
        """An object's selected fields when all are plain, each with its reader and completer;
        None for any other selection (a resolver, an interface, a type check)."""
        specs = self._plain.get(type_.name) if isinstance(type_, GraphQLObjectType) and type_.is_type_of is None \
            else None
        if specs is None:
            return None
        compiled = []
        for response_name, nodes in self.collect_subfields(type_, field_nodes).items():
            name = nodes[0].name.value
            if name == "__typename":
                compiled.append((response_name, None, name, None))
                continue
            spec = specs.get(name)
            if spec is None:
                return None
            compiled.append((response_name, spec.read, spec.python_name, self._completer(spec.type, nodes)))
        return compiled


def _abandon(value: Any) -> Any:
    raise _Abandon


def _read(read: Callable[[Any, str], Any], source: Any, attribute: str) -> Any:
    """The field's value as its default resolver reads it; a failure is the regular path's to report."""
    try:
        return read(source, attribute)
    except Exception:
        raise _Abandon from None


def _in_order(fields: dict[str, list[FieldNode]], *parts: dict[str, Any]) -> dict[str, Any]:
    """The response keys in the order the query asked for them (the spec's ordered map)."""
    merged: dict[str, Any] = {}
    for part in parts:
        merged.update(part)
    return {key: merged[key] for key in fields if key in merged}
