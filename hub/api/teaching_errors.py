"""Errors graphql-core and Strawberry write, made to teach: every limit error gets a stable code
(``extensions.code``, docs/error-codes.md) and says what to do, and an unknown enum value with no
close match lists the valid values (graphql-core suggests only close ones)."""
from __future__ import annotations

import re
from collections.abc import Iterator

from graphql import GraphQLEnumType, GraphQLError, GraphQLSchema
from strawberry.extensions import SchemaExtension

TOO_MANY_ALIASES = "TOO_MANY_ALIASES"
QUERY_TOO_DEEP = "QUERY_TOO_DEEP"
QUERY_TOO_LONG = "QUERY_TOO_LONG"

_LIMITS: list[tuple[re.Pattern[str], str, str]] = [  # (graphql-core's or Strawberry's words, code, what to do)
    (re.compile(r"aliases found\. Allowed: \d+"), TOO_MANY_ALIASES,
     "Send fewer aliased fields per query: split it into several requests."),
    (re.compile(r"exceeds maximum operation depth of \d+"), QUERY_TOO_DEEP,
     "Nest fewer levels: query the inner objects by their id in a second request."),
    (re.compile(r"Document contains more than \d+ tokens"), QUERY_TOO_LONG,
     "Ask for fewer fields, or split the query into several requests."),
]
_UNKNOWN_ENUM = re.compile(r"(?:does not exist in '(\w+)' enum|Enum '(\w+)' cannot represent [\w-]+ value: .*)\.$")


def teach(error: GraphQLError, schema: GraphQLSchema) -> None:
    """Give ``error`` its code and advice when it is a limit error; list the valid values of an
    enum it names when it suggests none. Idempotent: the validation cache hands the same error
    objects to every request of the same document."""
    for words, code, advice in _LIMITS:
        if words.search(error.message) and (error.extensions or {}).get("code") != code:
            error.message = f"{error.message.rstrip('.')}. {advice}"
            error.extensions = {**(error.extensions or {}), "code": code}
            return
    found = _UNKNOWN_ENUM.search(error.message)
    if found is None:
        return
    enum_type = schema.get_type(found.group(1) or found.group(2))
    if isinstance(enum_type, GraphQLEnumType) and "Valid values:" not in error.message:
        error.message += f" Valid values: {', '.join(enum_type.values)}."


class TeachingErrors(SchemaExtension):
    """Applies ``teach`` to every error of an answer (parse, validation and execution errors alike)."""

    def on_operation(self) -> Iterator[None]:
        try:
            yield
        except GraphQLError as error:  # a parse error (the token limit's) is thrown in here, then answered
            teach(error, self.execution_context.schema._schema)
            raise
        context = self.execution_context
        errors = list(context.result.errors or []) if context.result is not None else []
        errors += context.pre_execution_errors or []
        for error in errors:
            teach(error, context.schema._schema)
