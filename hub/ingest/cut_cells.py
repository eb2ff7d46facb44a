"""A rejected row is kept as written, each cell (and each problem's value) cut to a length
(``HUB_REJECTED_CELL_CHARS``): a refused row cannot plant megabytes in the store, and the kept
text says that it was cut and how long it was."""
from __future__ import annotations

from typing import Mapping, Sequence


def cut(text: str, limit: int) -> str:
    """``text``, or its first ``limit`` characters followed by a note of its whole length."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… [cut: {len(text)} characters]"


def cut_raw(raw: Mapping[str, str], limit: int) -> dict[str, str]:
    """The row's cells (and column names) cut to ``limit`` characters each."""
    return {cut(str(name), limit): cut(value, limit) if isinstance(value, str) else value
            for name, value in raw.items()}


def cut_errors(errors: Sequence[Mapping[str, str | None]], limit: int) -> tuple[dict[str, str | None], ...]:
    """The problems with their ``value`` (the text as written) cut to ``limit`` characters."""
    return tuple({**error, "value": cut(error["value"], limit)} if isinstance(error.get("value"), str) else dict(error)
                 for error in errors)
