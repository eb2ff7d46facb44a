"""sources can be disabled and removed: source.disabled_at, source.removed_at

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 09:00:00

A disabled source is skipped by the harvest and not counted as stale; a removed one is kept as a
row (marked, not deleted) so its batches, provenance and audit log stay whole (hub/sources/catalog.py).
"""
from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('source', schema=None) as batch_op:
        batch_op.add_column(sa.Column('disabled_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('removed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))


def downgrade() -> None:
    removed = op.get_bind().execute(sa.text("SELECT count(*) FROM source WHERE removed_at IS NOT NULL")).scalar_one()
    if removed:
        raise RuntimeError(f"cannot go below 0004: removed sources: {removed}; 0003 would show them as live "
                           "sources again (their history would read as if nothing happened)")
    # Plain ALTER TABLE … DROP COLUMN (SQLite ≥ 3.35, PostgreSQL): a batch operation would
    # rebuild the source table, which other tables' foreign keys refer to.
    op.execute('ALTER TABLE source DROP COLUMN removed_at')
    op.execute('ALTER TABLE source DROP COLUMN disabled_at')
