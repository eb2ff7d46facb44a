"""aggregates kept at ingest and a data version: stats_count, stats_dirty, data_version; ix_product_expiry_date

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 09:00:00

``stats_dirty`` is filled by triggers on ``product`` and ``producer`` (every writer, whatever its
code path, marks the provinces it changed) and emptied by hub/store/aggregates.py, which recounts
those provinces into ``stats_count`` before the same transaction commits. Every province that has
products is marked here; ``ocop-hub db upgrade`` recounts them after migrating.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from hub.store.aggregate_triggers import create_triggers, drop_triggers

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'data_version',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_table(
        'stats_count',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('cube', sa.Integer(), nullable=False),
        sa.Column('province_code', sa.String(), nullable=False),
        sa.Column('legacy_province', sa.String(), nullable=True),
        sa.Column('stars', sa.Integer(), nullable=True),
        sa.Column('group_code', sa.String(), nullable=True),
        sa.Column('producer_type', sa.String(), nullable=True),
        sa.Column('certified_year', sa.Integer(), nullable=True),
        sa.Column('withdrawn', sa.Boolean(), nullable=False),
        sa.Column('expiry_month', sa.Integer(), nullable=True),
        sa.Column('n', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_stats_count_cube_province', 'stats_count', ['cube', 'province_code'], unique=False)
    op.create_table(
        'stats_dirty',
        sa.Column('province_code', sa.String(), nullable=False),
        sa.PrimaryKeyConstraint('province_code'),
    )
    op.create_index('ix_product_expiry_date', 'product', ['expiry_date'], unique=False)
    op.execute("INSERT INTO data_version (id, version) VALUES (1, 1)")
    create_triggers(op.get_bind())
    op.execute("INSERT INTO stats_dirty (province_code) SELECT DISTINCT province_code FROM product")


def downgrade() -> None:
    drop_triggers(op.get_bind())
    op.drop_index('ix_product_expiry_date', table_name='product')
    op.drop_table('stats_dirty')
    op.drop_index('ix_stats_count_cube_province', table_name='stats_count')
    op.drop_table('stats_count')
    op.drop_table('data_version')
