"""What a query can cost, read from its document and variables before anything runs.

The cost is the number of values the answer can hold at most: every field selected counts 1 per
object it is asked of, a list multiplies what is selected under it by its length, and nested
lists multiply. A list's length is its page size (``first``, or ``last`` for ``Product.history``:
the value given, else the argument's default), which the resolvers enforce; a connection's page
size is the length of its ``edges``. The few lists without a page argument count at the length
``LIST_SIZES`` gives them (the 34 provinces; ``stats`` the product of its dimensions' sizes);
those are expectations, not caps, and the response-size cap and the deadline
(hub.api.budget) bound what they miss. Introspection counts a flat ``INTROSPECTION_COST`` per
``__schema``/``__type``: its answer is the schema, whatever the store holds.

A document is compiled once into a ``CostPlan`` (kept with the parsed document's text, like
Strawberry's parser cache); evaluating a plan with the request's variables is a walk over the
selected fields, no parsing and no SQL.
"""
from __future__ import annotations

import math
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import lru_cache
from threading import Lock
from typing import Any, Callable, Mapping, Optional

from graphql import (DocumentNode, FieldNode, FragmentDefinitionNode, FragmentSpreadNode, GraphQLError,
                     GraphQLField, GraphQLList, GraphQLNamedType, GraphQLObjectType, GraphQLSchema, InlineFragmentNode,
                     ListValueNode, OperationDefinitionNode, SelectionSetNode, ValueNode, VariableNode,
                     get_named_type, get_nullable_type, parse, value_from_ast_untyped)

from hub.api.limits import CACHED_QUERIES, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, MAX_QUERY_TOKENS

PAGE_ARGUMENTS = ("first", "last")
"""Arguments that set a list's length (enforced by hub.api.limits.page_size in the resolvers)."""
PAGE_DEFAULTS = {("Query", "rejectedRecords"): MAX_PAGE_SIZE}
"""Page sizes whose default is not DEFAULT_PAGE_SIZE and not written in the schema."""
DEFAULT_LIST_SIZE = 10
"""Any other list without a page argument: a product's provenance, warnings and certificates, a
batch's warning codes, a conflict's values (a handful each)."""
LIST_SIZES = {
    ("Query", "provinces"): 34, ("Query", "coverage"): 34, ("Query", "sources"): 200,
    ("ProvinceCoverage", "sources"): 10, ("Province", "legacyPredecessors"): 5,
}
STATS_DIMENSION_SIZES = {"PROVINCE": 34, "LEGACY_PROVINCE": 63, "STARS": 5, "GROUP": 7, "PRODUCER_TYPE": 5,
                         "YEAR": 20, "CERTIFIED_YEAR": 20, "STATUS": 3}
"""Distinct values of each ``stats`` dimension (null included); a bucket per combination."""
MAX_STATS_BUCKETS = 5_000
"""No more buckets than that are counted for ``stats``, however many dimensions: there are not
more distinct combinations among the products of a province's registries."""
INTROSPECTION_COST = 1_000
INTROSPECTION_FIELDS = ("__schema", "__type")

Variables = Mapping[str, Any]
SizeOf = Callable[[Variables], int]


@dataclass(frozen=True)
class PlanNode:
    """A selected field: ``weight`` per object it is asked of, then its children ``size`` times
    each (1 for a field that is not a list)."""

    path: str
    children: tuple["PlanNode", ...] = ()
    size: Optional[SizeOf] = None  # None: not a list
    weight: int = 1
    page: Optional["Page"] = None  # the argument that sets the length, to name in a refusal


@dataclass(frozen=True)
class Page:
    """A page argument as a refusal names it: ``products(first:)`` of the connection at ``path``."""

    size: SizeOf
    argument: str  # "first" or "last"
    path: str      # the field that takes it (a connection's, for its edges)
    connection: bool  # pages on with `after`


@dataclass(frozen=True)
class ListCost:
    """One list field of an evaluated plan: its length and what it would save at length 1."""

    path: str
    size: int
    cost: int
    saving: int
    page: Optional[Page]


@dataclass
class Cost:
    total: int = 0
    lists: list[ListCost] = field(default_factory=list)

    def costliest(self, n: int) -> list[ListCost]:
        """The ``n`` lists whose length costs most: cutting one to a single item would save the most."""
        return sorted(self.lists, key=lambda c: (-c.saving, -c.path.count(".")))[:n]

    def field_to_page(self) -> Optional[ListCost]:
        return next(iter(self.costliest(1)), None)


@dataclass(frozen=True)
class CostPlan:
    roots: tuple[PlanNode, ...]

    def evaluate(self, variables: Optional[Variables], lists: bool = False) -> Cost:
        """The cost for these variables; with ``lists``, also what each list costs (for a
        refusal: the common case, within budget, skips that bookkeeping)."""
        cost = Cost()
        found = cost.lists if lists else None
        cost.total = sum(_evaluate(node, variables or {}, 1, found) for node in self.roots)
        return cost


def _evaluate(node: PlanNode, variables: Variables, multiplier: int, lists: Optional[list[ListCost]]) -> int:
    own = multiplier * node.weight
    if node.size is None:
        return own + sum(_evaluate(c, variables, multiplier, lists) for c in node.children)
    size = node.size(variables)
    inner = sum(_evaluate(c, variables, multiplier * size, lists) for c in node.children)
    if lists is not None and size > 1:
        path = node.page.path if node.page is not None else node.path
        lists.append(ListCost(path, size, own + inner, inner - inner // size, node.page))
    return own + inner


# --- compiling a document -----------------------------------------------------------------------

class _Compiler:
    def __init__(self, schema: GraphQLSchema, document: DocumentNode) -> None:
        self.schema = schema
        self.fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
        self.defaults: dict[str, Any] = {}

    def operation(self, operation: OperationDefinitionNode) -> CostPlan:
        for definition in operation.variable_definitions or ():
            if definition.default_value is not None:
                self.defaults[definition.variable.name.value] = value_from_ast_untyped(definition.default_value)
        root = self.schema.get_root_type(operation.operation)
        return CostPlan(tuple(self.selection(root, operation.selection_set, "", None, ())))

    def selection(self, parent: GraphQLNamedType, selection_set: Optional[SelectionSetNode], prefix: str,
                  page: Optional[Page], seen: tuple[str, ...]) -> list[PlanNode]:
        """The fields of a selection, fragments spread in place (every branch counted, as if all
        applied); ``page``: the page size a connection gives its ``edges``."""
        nodes: list[PlanNode] = []
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                nodes.append(self.field(parent, selection, prefix, page, seen))
            elif isinstance(selection, InlineFragmentNode):
                typed = self.schema.get_type(selection.type_condition.name.value) if selection.type_condition else None
                nodes.extend(self.selection(typed or parent, selection.selection_set, prefix, page, seen))
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is not None and name not in seen:  # a cycle is refused by validation first
                    typed = self.schema.get_type(fragment.type_condition.name.value) or parent
                    nodes.extend(self.selection(typed, fragment.selection_set, prefix, page, seen + (name,)))
        return nodes

    def field(self, parent: GraphQLNamedType, node: FieldNode, prefix: str, page: Optional[Page],
              seen: tuple[str, ...]) -> PlanNode:
        name = node.name.value
        path = prefix + (node.alias or node.name).value
        if name in INTROSPECTION_FIELDS:
            return PlanNode(path, weight=INTROSPECTION_COST)
        definition = parent.fields.get(name) if isinstance(parent, GraphQLObjectType) else None
        if definition is None:  # __typename, or a field validation refuses before this runs
            return PlanNode(path)
        named = get_named_type(definition.type)
        is_list = isinstance(get_nullable_type(definition.type), GraphQLList)
        own_page = self.page(parent.name, name, definition, node, path, connection=not is_list)
        size: Optional[SizeOf] = None
        if is_list:
            page = own_page or page
            size = page.size if page is not None else self.fixed_size(parent.name, name, node)
        children = tuple(self.selection(named, node.selection_set, path + ".",
                                        own_page if not is_list else None, seen))
        return PlanNode(path, children, size, 1, page if is_list else None)

    def page(self, type_name: str, name: str, definition: GraphQLField, node: FieldNode, path: str,
             connection: bool) -> Optional[Page]:
        """The page argument of this field and the size it sets; None for a field without one."""
        for arg_name in PAGE_ARGUMENTS:
            if arg_name not in definition.args:
                continue
            declared = definition.args[arg_name].default_value
            default = declared if isinstance(declared, int) else PAGE_DEFAULTS.get((type_name, name), DEFAULT_PAGE_SIZE)
            given = next((a.value for a in node.arguments or () if a.name.value == arg_name), None)
            return Page(self.integer(given, default), arg_name, path, connection)
        return None

    def integer(self, given: Optional[ValueNode], default: int) -> SizeOf:
        """A page size from a literal, a variable (its value, its declared default, else the
        field's) or the default; clamped to 0..MAX_PAGE_SIZE (page_size refuses the others)."""
        def clamp(value: Any) -> int:
            return min(max(value, 0), MAX_PAGE_SIZE) if isinstance(value, int) and not isinstance(value, bool) \
                else default

        if isinstance(given, VariableNode):
            variable = given.name.value
            fallback = clamp(self.defaults.get(variable, default))
            return lambda variables: clamp(variables.get(variable, fallback)) if variables.get(variable) is not None \
                else fallback
        value = clamp(value_from_ast_untyped(given)) if given is not None else default
        return lambda _: value

    def fixed_size(self, type_name: str, name: str, node: FieldNode) -> SizeOf:
        if (type_name, name) == ("Query", "stats"):
            return self.stats_buckets(node)
        size = LIST_SIZES.get((type_name, name), DEFAULT_LIST_SIZE)
        return lambda _: size

    def stats_buckets(self, node: FieldNode) -> SizeOf:
        """The product of the grouped dimensions' sizes, at most MAX_STATS_BUCKETS."""
        given = next((a.value for a in node.arguments or () if a.name.value == "groupBy"), None)

        def buckets(dimensions: Any) -> int:
            names = dimensions if isinstance(dimensions, list) else [dimensions]
            sizes = [STATS_DIMENSION_SIZES.get(str(n), max(STATS_DIMENSION_SIZES.values())) for n in names]
            return min(math.prod(sizes), MAX_STATS_BUCKETS)

        if isinstance(given, VariableNode):
            variable = given.name.value
            declared = self.defaults.get(variable)
            return lambda variables: buckets(variables.get(variable, declared) or [])
        if isinstance(given, ListValueNode) and any(isinstance(v, VariableNode) for v in given.values):
            items = given.values
            return lambda variables: buckets([variables.get(v.name.value) if isinstance(v, VariableNode)
                                              else value_from_ast_untyped(v) for v in items])
        fixed = buckets(value_from_ast_untyped(given) if given is not None else [])
        return lambda _: fixed


def compile_plan(schema: GraphQLSchema, document: DocumentNode, operation_name: Optional[str]) -> Optional[CostPlan]:
    """The plan of the operation a request runs; None when the document names no such single
    operation (execution then says why)."""
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is not None:
        operations = [o for o in operations if o.name is not None and o.name.value == operation_name]
    if len(operations) != 1:
        return None
    return _Compiler(schema, document).operation(operations[0])


class PlanCache:
    """Plans by document text and operation name, the most recent CACHED_QUERIES kept: the same
    few queries arrive over and over, as for Strawberry's ParserCache and ValidationCache."""

    def __init__(self, maxsize: int = CACHED_QUERIES) -> None:
        self.maxsize = maxsize
        self._plans: OrderedDict[tuple[int, str, Optional[str]], Optional[CostPlan]] = OrderedDict()
        self._lock = Lock()

    def plan(self, schema: GraphQLSchema, query: str, document: DocumentNode,
             operation_name: Optional[str]) -> Optional[CostPlan]:
        key = (id(schema), query, operation_name)
        with self._lock:
            if key in self._plans:
                self._plans.move_to_end(key)
                return self._plans[key]
        plan = compile_plan(schema, document, operation_name)
        with self._lock:
            self._plans[key] = plan
            if len(self._plans) > self.maxsize:
                self._plans.popitem(last=False)
        return plan

    def __len__(self) -> int:
        return len(self._plans)


@lru_cache(maxsize=2048)
def operation_type(query: str, operation_name: Optional[str]) -> Optional[str]:
    """'query', 'mutation' or 'subscription' for the operation a request would run; None when
    the document does not parse (or is over the token limit) or names no such operation
    (Strawberry then says why)."""
    try:
        document = parse(query, max_tokens=MAX_QUERY_TOKENS)
    except GraphQLError:
        return None
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is not None:
        operations = [o for o in operations if o.name is not None and o.name.value == operation_name]
    return operations[0].operation.value if len(operations) == 1 else None
