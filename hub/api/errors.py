"""Errors a client caused and may read; every other exception is masked before it leaves."""
from __future__ import annotations


class ClientError(Exception):
    """A bad request (unknown source, page too large, malformed cursor): shown to the client as is."""
