"""substring search by index: FTS5 trigram tables on SQLite, pg_trgm GIN indexes on PostgreSQL

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 12:00:00

What they are and why: hub/store/text_search.py.
"""
from __future__ import annotations

from alembic import op

from hub.store.text_search import create_search_indexes, drop_search_indexes

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_search_indexes(op.get_bind())


def downgrade() -> None:
    drop_search_indexes(op.get_bind())
