"""certificates over time (valid and transaction time): certificate; product.field_sources; source.province_code nullable

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 10:30:00

Existing stores get one certificate per product from what it holds now: its decision date (else
its year, else the day it was first listed), its rating, and its withdrawal. Recorded at the
product's creation, by the batch that created it. What an old store cannot know: the ratings a
re-rated product had before (only its current one), and when a change before this migration
became known (hub/store/certificate_log.py keeps both from now on).
"""
from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('product', sa.Column('field_sources', sa.JSON(none_as_null=True), nullable=True))
    with op.batch_alter_table('source') as source:  # a list of many provinces has none of its own
        source.alter_column('province_code', existing_type=sa.String(), nullable=True)
    op.create_table(
        'certificate',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('product_id', sa.Integer(), nullable=False),
        sa.Column('stars', sa.Integer(), nullable=False),
        sa.Column('proposed_five_star', sa.Boolean(), nullable=False),
        sa.Column('decision_number', sa.String(), nullable=True),
        sa.Column('decision_date', sa.Date(), nullable=True),
        sa.Column('certified_year', sa.Integer(), nullable=True),
        sa.Column('valid_from', sa.Date(), nullable=False),
        sa.Column('valid_to', sa.Date(), nullable=True),
        sa.Column('ended_on', sa.Date(), nullable=True),
        sa.Column('end_reason', sa.String(), nullable=True),
        sa.Column('province_code', sa.String(), nullable=False),
        sa.Column('group_code', sa.String(), nullable=True),
        sa.Column('legacy_province', sa.String(), nullable=True),
        sa.Column('source_id', sa.Integer(), nullable=False),
        sa.Column('recorded_batch_id', sa.Integer(), nullable=True),
        sa.Column('recorded_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('retracted_batch_id', sa.Integer(), nullable=True),
        sa.Column('retracted_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(['product_id'], ['product.id']),
        sa.ForeignKeyConstraint(['province_code'], ['province.code']),
        sa.ForeignKeyConstraint(['source_id'], ['source.id']),
        sa.ForeignKeyConstraint(['recorded_batch_id'], ['import_batch.id']),
        sa.ForeignKeyConstraint(['retracted_batch_id'], ['import_batch.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_certificate_product_valid', 'certificate', ['product_id', 'valid_from'], unique=False)
    op.create_index(op.f('ix_certificate_recorded_at'), 'certificate', ['recorded_at'], unique=False)
    op.create_index(op.f('ix_certificate_retracted_at'), 'certificate', ['retracted_at'], unique=False)
    _backfill(op.get_bind())


def _backfill(conn: sa.Connection) -> None:
    from hub.store.certificate_log import version_of

    typed = {'decision_date': sa.Date(), 'created_at': sqlmodel.sql.sqltypes.UTCDateTime(),
             'withdrawn_at': sqlmodel.sql.sqltypes.UTCDateTime(), 'proposed_five_star': sa.Boolean()}
    product = sa.table('product', *(sa.column(c, typed.get(c)) for c in (
        'id', 'stars', 'proposed_five_star', 'decision_number', 'decision_date', 'certified_year', 'province_code',
        'group_code', 'legacy_province', 'source_id', 'status', 'created_at', 'withdrawn_at')))
    change = sa.table('product_change', sa.column('product_id'), sa.column('batch_id'), sa.column('action'))
    certificate = sa.table('certificate', *(sa.column(c) for c in (
        'product_id', 'stars', 'proposed_five_star', 'decision_number', 'decision_date', 'certified_year',
        'valid_from', 'valid_to', 'ended_on', 'end_reason', 'province_code', 'group_code', 'legacy_province',
        'source_id', 'recorded_batch_id', 'recorded_at')))
    certificate = sa.table('certificate', *(sa.column(c.name, typed.get(c.name) or {
        'valid_from': sa.Date(), 'valid_to': sa.Date(), 'ended_on': sa.Date(),
        'recorded_at': sqlmodel.sql.sqltypes.UTCDateTime()}.get(c.name)) for c in certificate.columns))
    created = dict(conn.execute(sa.select(change.c.product_id, sa.func.min(change.c.batch_id))
                                .where(change.c.action == 'created').group_by(change.c.product_id)).all())
    rows = conn.execute(sa.select(product).order_by(product.c.id)).yield_per(5000)
    for chunk in rows.partitions(5000):
        conn.execute(sa.insert(certificate), [
            version_of(row) | {'recorded_at': row.created_at, 'recorded_batch_id': created.get(row.id)}
            for row in chunk])


def downgrade() -> None:
    op.drop_column('product', 'field_sources')
    with op.batch_alter_table('source') as source:
        source.alter_column('province_code', existing_type=sa.String(), nullable=False)
    op.drop_index(op.f('ix_certificate_retracted_at'), table_name='certificate')
    op.drop_index(op.f('ix_certificate_recorded_at'), table_name='certificate')
    op.drop_index('ix_certificate_product_valid', table_name='certificate')
    op.drop_table('certificate')
