"""Pure normalization functions: each returns a value or a ``Problem``, never raises on bad data."""
from hub.normalize.problem import Problem

__all__ = ["Problem"]
