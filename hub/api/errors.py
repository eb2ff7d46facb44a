"""Errors a client caused and may read; every other exception is masked before it leaves."""
from __future__ import annotations


class ClientError(Exception):
    """A bad request (unknown source, page too large, malformed cursor): shown to the client as is."""


class RefusedError(ClientError):
    """A refused request (a push or revert): nothing changed. GraphQL clients get ``code`` in the
    error's ``extensions.code`` (graphql-core copies ``extensions`` from the original error)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.extensions = {"code": code}
