"""The one way a normalizer reports bad data."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """Why a value was refused. ``code`` is stable and documented (docs/error-codes.md);
    ``message`` is for people and names the offending text."""

    code: str
    field: str
    message: str
    value: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        return {"code": self.code, "field": self.field, "message": self.message, "value": self.value}
