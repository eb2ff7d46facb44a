"""Errors a client caused and may read; every other exception is masked before it leaves."""
from __future__ import annotations


class ClientError(Exception):
    """A bad request (unknown source or province, page too large, malformed cursor): shown to the
    client as is. ``code``, when given, is stable: GraphQL clients read it as the error's
    ``extensions.code`` (graphql-core copies ``extensions`` from the original error), HTTP routes
    may answer it beside the message."""

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        if code is not None:
            self.extensions = {"code": code}


class RefusedError(ClientError):
    """A refused request (a push or revert): nothing changed."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message, code)
