"""counts at any date: as_of_count

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 13:00:00

Running totals of products per province, star level and status at each day they change, kept
with the other counts (hub/store/as_of_counts.py), so a figure as of a day is read without
placing every certificate. Built here from the certificates an existing store holds.

Created here in the layout hub/store/as_of_counts.py writes now (one row per province and day,
its counts in a JSON object, since 0011), because the recounts below and in 0010 run that code;
0011 converts a table created by the earlier version of this revision (one row per province,
star level, status and day).
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.orm import Session

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'as_of_count',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('province_code', sa.String(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('counts', sa.String(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_as_of_count_seek', 'as_of_count', ['province_code', 'day'], unique=False)
    op.create_index('ix_certificate_province_product', 'certificate', ['province_code', 'product_id'], unique=False)
    from hub.store.as_of_counts import recount_as_of

    conn = op.get_bind()
    codes = [code for (code,) in conn.execute(sa.text("SELECT DISTINCT province_code FROM certificate"))]
    recount_as_of(Session(bind=conn), codes)


def downgrade() -> None:
    op.drop_index('ix_certificate_province_product', table_name='certificate')
    op.drop_index('ix_as_of_count_seek', table_name='as_of_count')
    op.drop_table('as_of_count')
