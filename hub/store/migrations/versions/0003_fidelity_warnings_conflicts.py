"""row warnings, registry reading notes, conflicts between sources; group and producer optional

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 05:00:00

A row is stored when it has a product name, a star rating and a province: a group the hub cannot
tell and a producer the registry does not name become NULL with a warning on the row
(``source_record.warnings``), never a rejection. ``source_record.facts`` keeps each source's
normalized values of the fields sources can disagree on, and ``product_conflict`` the
disagreements; ``import_batch.notes`` says how the registry was read (unmapped columns, skipped
section/totals/footer rows, warning counts).
"""
from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('product', schema=None) as batch_op:
        batch_op.alter_column('group_code', existing_type=sqlmodel.sql.sqltypes.AutoString(), nullable=True)
        batch_op.alter_column('producer_id', existing_type=sa.Integer(), nullable=True)
    with op.batch_alter_table('source_record', schema=None) as batch_op:
        batch_op.add_column(sa.Column('warnings', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('facts', sa.JSON(), nullable=True))
    with op.batch_alter_table('import_batch', schema=None) as batch_op:
        batch_op.add_column(sa.Column('notes', sa.JSON(), nullable=True))
    op.create_table(
        'product_conflict',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('product_id', sa.Integer(), nullable=False),
        sa.Column('province_code', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('field', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('values', sa.JSON(), nullable=True),
        sa.Column('first_seen_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['product_id'], ['product.id']),
        sa.ForeignKeyConstraint(['province_code'], ['province.code']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('product_id', 'field'),
    )
    op.create_index('ix_product_conflict_product_id', 'product_conflict', ['product_id'], unique=False)
    op.create_index('ix_product_conflict_province_code', 'product_conflict', ['province_code'], unique=False)


def downgrade() -> None:
    orphans = op.get_bind().execute(sa.text(
        "SELECT count(*) FROM product WHERE group_code IS NULL OR producer_id IS NULL")).scalar_one()
    if orphans:
        raise RuntimeError(f"cannot go below 0003: {orphans} products have no group or no producer, "
                           "which 0002 cannot store (withdraw or complete them first)")
    op.drop_index('ix_product_conflict_province_code', table_name='product_conflict')
    op.drop_index('ix_product_conflict_product_id', table_name='product_conflict')
    op.drop_table('product_conflict')
    op.execute('ALTER TABLE import_batch DROP COLUMN notes')
    op.execute('ALTER TABLE source_record DROP COLUMN facts')
    op.execute('ALTER TABLE source_record DROP COLUMN warnings')
    with op.batch_alter_table('product', schema=None) as batch_op:
        batch_op.alter_column('producer_id', existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column('group_code', existing_type=sqlmodel.sql.sqltypes.AutoString(), nullable=False)
