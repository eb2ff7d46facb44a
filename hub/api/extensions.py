"""The schema's extensions, in the order each request meets them: the limits of hub.api.limits,
then the cost budget of hub.api.budget (which reads those limits), then codes and advice on the
errors (hub.api.teaching_errors), then masking."""
from __future__ import annotations

from functools import partial
from typing import Callable

from strawberry.extensions import (AddValidationRules, MaskErrors, MaxTokensLimiter, ParserCache, SchemaExtension,
                                   ValidationCache)

from hub.api.budget import QueryBudget
from hub.api.teaching_errors import TeachingErrors
from hub.api.limits import _LIMIT_RULES, CACHED_QUERIES, MASKED_MESSAGE, MAX_QUERY_TOKENS, should_mask


def schema_extensions() -> list[Callable[[], SchemaExtension]]:
    """Parse and validation caches, depth, token and alias limits, the cost budget (checked
    after validation, cached per document like them), codes and advice on the errors, then masking; factories, so each request
    gets fresh extension objects (the caches themselves are shared)."""
    return [
        partial(ParserCache, maxsize=CACHED_QUERIES),
        partial(AddValidationRules, _LIMIT_RULES),
        partial(ValidationCache, maxsize=CACHED_QUERIES),
        partial(MaxTokensLimiter, max_token_count=MAX_QUERY_TOKENS),
        QueryBudget,
        TeachingErrors,
        partial(MaskErrors, should_mask_error=should_mask, error_message=MASKED_MESSAGE),
    ]
