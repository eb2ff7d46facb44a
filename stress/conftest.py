"""`make stress`: long reliability runs, each bounded in time. Reuses the test fixtures
(fresh migrated stores on SQLite and PostgreSQL) of tests/conftest.py."""
from tests.conftest import *  # noqa: F401,F403
from tests.conftest import pytest_report_header  # noqa: F401
