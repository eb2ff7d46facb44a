"""raw row and registry hashes; four product indexes that composites already cover are dropped

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 12:30:00

Every product insert updated 15 B-trees; ``province_code``, ``status`` and ``updated_at`` lead
``ix_product_province_stars``, ``ix_product_status_province`` and ``ix_product_updated_id``, and
``search_key`` is only searched with ``LIKE '%…%'``, which no B-tree serves (bench/README.md).
``source_record.raw_hash`` lets a re-harvest skip normalizing rows it has seen unchanged, and
``import_batch.snapshot_hash`` skip reading a registry file identical to the last one applied.
"""
from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

_COVERED_INDEXES = (
    ('ix_product_province_code', 'province_code'),
    ('ix_product_search_key', 'search_key'),
    ('ix_product_status', 'status'),
    ('ix_product_updated_at', 'updated_at'),
)


def upgrade() -> None:
    with op.batch_alter_table('import_batch', schema=None) as batch_op:
        batch_op.add_column(sa.Column('snapshot_hash', sqlmodel.sql.sqltypes.AutoString(), nullable=True))
    with op.batch_alter_table('source_record', schema=None) as batch_op:
        batch_op.add_column(sa.Column('raw_hash', sqlmodel.sql.sqltypes.AutoString(), nullable=True))
    with op.batch_alter_table('product', schema=None) as batch_op:
        for name, _column in _COVERED_INDEXES:
            batch_op.drop_index(name)


def downgrade() -> None:
    with op.batch_alter_table('product', schema=None) as batch_op:
        for name, column in _COVERED_INDEXES:
            batch_op.create_index(name, [column], unique=False)
    # Plain ALTER TABLE … DROP COLUMN (SQLite ≥ 3.35, PostgreSQL): a batch operation would
    # rebuild these tables, which other tables' foreign keys refer to.
    op.execute('ALTER TABLE source_record DROP COLUMN raw_hash')
    op.execute('ALTER TABLE import_batch DROP COLUMN snapshot_hash')
