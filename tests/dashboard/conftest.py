"""Fixtures of the dashboard's tests: `demo`, the demo store over a real server (tests/dashboard/demo.py)."""
from tests.dashboard.demo import demo

__all__ = ["demo"]
