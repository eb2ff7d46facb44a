"""Limits that keep one hostile or careless request from hurting everyone else."""
from __future__ import annotations


from graphql import GraphQLError
from strawberry.extensions.max_aliases import create_validator as alias_validator
from strawberry.extensions.query_depth_limiter import create_validator as depth_validator

from hub.api.errors import ClientError

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 500
MAX_QUERY_DEPTH = 10
MAX_QUERY_TOKENS = 2_000
MAX_ALIASES = 20
MAX_BODY_BYTES = 1_000_000
"""Request bodies of anonymous callers, and of every route but the push routes."""
MAX_PUSH_BODY_BYTES = 64 * 1024 * 1024
"""Request bodies of API-key holders on /graphql and /push/file: an async push of 100,000
records (~500 bytes each as JSON) or a 50 MB spreadsheet plus multipart framing."""
PUSH_PATHS = ("/graphql", "/push/file")
CACHED_QUERIES = 256  # the same few queries arrive over and over (dashboards, GraphiQL, scripts)
BAD_PAGE_SIZE = "BAD_PAGE_SIZE"
MASKED_MESSAGE = "Internal error: the hub could not answer this request. It has been logged."


def page_size(first: int | None, default: int = DEFAULT_PAGE_SIZE) -> int:
    """The requested page size, refused with a clear message outside 0..MAX_PAGE_SIZE."""
    size = default if first is None else first
    if size < 0 or size > MAX_PAGE_SIZE:
        raise ClientError(f"`first` must be between 0 and {MAX_PAGE_SIZE} (got {size}); page with `after`.",
                          BAD_PAGE_SIZE)
    return size


def client_caused(error: GraphQLError) -> bool:
    """An error the request caused, an answer rather than an incident: a ClientError, or a value
    of the document validation cannot read (no path; an Int literal of 4,300 digits makes
    ``int()`` raise ValueError there)."""
    original = error.original_error
    return isinstance(original, ClientError) or (
        error.path is None and isinstance(original, (ValueError, OverflowError)))


def should_mask(error: GraphQLError) -> bool:
    """Mask unexpected exceptions (SQL errors, bugs); keep client and GraphQL errors readable."""
    original = error.original_error
    return original is not None and not client_caused(error) and not isinstance(original, GraphQLError)


# The depth and alias rules are built once, not per request: a request's validation rules are
# then the same classes every time, so ValidationCache can reuse the verdict on a document the
# ParserCache already holds (validating the page query cost ~4 ms of its ~40).
_LIMIT_RULES = [depth_validator(MAX_QUERY_DEPTH, None), alias_validator(MAX_ALIASES)]

