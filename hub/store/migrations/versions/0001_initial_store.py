"""initial store

Revision ID: 0001
Revises: 
Create Date: 2026-11-23 09:31:26.465020
"""
from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    
    op.create_table('province',
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('full_name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('search_key', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.PrimaryKeyConstraint('code')
    )
    with op.batch_alter_table('province', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_province_search_key'), ['search_key'], unique=False)

    op.create_table('api_key',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('role', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('province_code', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('token_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('prefix', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('revoked_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('last_used_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['province_code'], ['province.code'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token_hash')
    )
    op.create_table('commune',
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=5), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('province_code', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('search_key', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.ForeignKeyConstraint(['province_code'], ['province.code'], ),
    sa.PrimaryKeyConstraint('code')
    )
    with op.batch_alter_table('commune', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_commune_province_code'), ['province_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_commune_search_key'), ['search_key'], unique=False)

    op.create_table('source',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('location', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('province_text', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('province_code', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('last_success_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['province_code'], ['province.code'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
    )
    with op.batch_alter_table('source', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_source_province_code'), ['province_code'], unique=False)

    op.create_table('import_batch',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('actor', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('started_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('finished_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('rows_read', sa.Integer(), nullable=False),
    sa.Column('created', sa.Integer(), nullable=False),
    sa.Column('updated', sa.Integer(), nullable=False),
    sa.Column('unchanged', sa.Integer(), nullable=False),
    sa.Column('withdrawn', sa.Integer(), nullable=False),
    sa.Column('rejected', sa.Integer(), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('reverted_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('reverted_by_batch_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['reverted_by_batch_id'], ['import_batch.id'], ),
    sa.ForeignKeyConstraint(['source_id'], ['source.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('import_batch', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_import_batch_source_id'), ['source_id'], unique=False)

    op.create_table('legacyunit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('level', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('code_version', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('search_key', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('legacy_province_code', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('legacy_district_code', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('current_province_code', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('current_commune_code', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.ForeignKeyConstraint(['current_commune_code'], ['commune.code'], ),
    sa.ForeignKeyConstraint(['current_province_code'], ['province.code'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('level', 'code', 'code_version')
    )
    with op.batch_alter_table('legacyunit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_legacyunit_current_province_code'), ['current_province_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_legacyunit_legacy_district_code'), ['legacy_district_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_legacyunit_legacy_province_code'), ['legacy_province_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_legacyunit_search_key'), ['search_key'], unique=False)

    op.create_table('producer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('identity_key', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('name_normalized', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('search_key', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('producer_type', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('tax_code', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('province_code', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('commune_code', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('address', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('phone', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('contact_person', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['commune_code'], ['commune.code'], ),
    sa.ForeignKeyConstraint(['province_code'], ['province.code'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('identity_key')
    )
    with op.batch_alter_table('producer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_producer_producer_type'), ['producer_type'], unique=False)
        batch_op.create_index(batch_op.f('ix_producer_province_code'), ['province_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_producer_search_key'), ['search_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_producer_updated_at'), ['updated_at'], unique=False)

    op.create_table('push_job',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('key_id', sa.Integer(), nullable=False),
    sa.Column('province_code', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('records', sa.Integer(), nullable=False),
    sa.Column('summary', sa.JSON(), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('finished_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['key_id'], ['api_key.id'], ),
    sa.ForeignKeyConstraint(['province_code'], ['province.code'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('product',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('identity_key', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('name_normalized', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('search_key', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('group_code', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('group_text', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('subgroup', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('stars', sa.Integer(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=True),
    sa.Column('proposed_five_star', sa.Boolean(), nullable=False),
    sa.Column('decision_number', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('decision_date', sa.Date(), nullable=True),
    sa.Column('issuing_body', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('certified_year', sa.Integer(), nullable=True),
    sa.Column('expiry_date', sa.Date(), nullable=True),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('producer_id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('province_code', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('commune_code', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('legacy_province', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('unit_text', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('unit_code', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('unit_code_version', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('content_hash', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('withdrawn_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['commune_code'], ['commune.code'], ),
    sa.ForeignKeyConstraint(['producer_id'], ['producer.id'], ),
    sa.ForeignKeyConstraint(['province_code'], ['province.code'], ),
    sa.ForeignKeyConstraint(['source_id'], ['source.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('identity_key')
    )
    with op.batch_alter_table('product', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_product_certified_year'), ['certified_year'], unique=False)
        batch_op.create_index(batch_op.f('ix_product_group_code'), ['group_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_product_legacy_province'), ['legacy_province'], unique=False)
        batch_op.create_index('ix_product_name_id', ['name', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_product_producer_id'), ['producer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_product_province_code'), ['province_code'], unique=False)
        batch_op.create_index('ix_product_province_stars', ['province_code', 'stars'], unique=False)
        batch_op.create_index(batch_op.f('ix_product_search_key'), ['search_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_product_source_id'), ['source_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_product_stars'), ['stars'], unique=False)
        batch_op.create_index(batch_op.f('ix_product_status'), ['status'], unique=False)
        batch_op.create_index('ix_product_status_province', ['status', 'province_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_product_updated_at'), ['updated_at'], unique=False)
        batch_op.create_index('ix_product_updated_id', ['updated_at', 'id'], unique=False)

    op.create_table('rejected_record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('row_number', sa.Integer(), nullable=False),
    sa.Column('raw', sa.JSON(), nullable=True),
    sa.Column('errors', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batch.id'], ),
    sa.ForeignKeyConstraint(['source_id'], ['source.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('rejected_record', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rejected_record_batch_id'), ['batch_id'], unique=False)
        batch_op.create_index('ix_rejected_record_batch_row', ['batch_id', 'row_number'], unique=False)
        batch_op.create_index(batch_op.f('ix_rejected_record_source_id'), ['source_id'], unique=False)

    op.create_table('submission',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('province_code', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('submission_id', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('key_id', sa.Integer(), nullable=False),
    sa.Column('request_hash', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=True),
    sa.Column('summary', sa.JSON(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batch.id'], ),
    sa.ForeignKeyConstraint(['key_id'], ['api_key.id'], ),
    sa.ForeignKeyConstraint(['province_code'], ['province.code'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('province_code', 'submission_id')
    )
    op.create_table('source_record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('record_key', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('row_number', sa.Integer(), nullable=False),
    sa.Column('raw', sa.JSON(), nullable=True),
    sa.Column('content_hash', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('present', sa.Boolean(), nullable=False),
    sa.Column('first_batch_id', sa.Integer(), nullable=False),
    sa.Column('last_batch_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['first_batch_id'], ['import_batch.id'], ),
    sa.ForeignKeyConstraint(['last_batch_id'], ['import_batch.id'], ),
    sa.ForeignKeyConstraint(['product_id'], ['product.id'], ),
    sa.ForeignKeyConstraint(['source_id'], ['source.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('source_id', 'record_key')
    )
    with op.batch_alter_table('source_record', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_source_record_product_id'), ['product_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_source_record_source_id'), ['source_id'], unique=False)

    op.create_table('product_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('action', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.Column('source_record_id', sa.Integer(), nullable=True),
    sa.Column('source_record_before', sa.JSON(), nullable=True),
    sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batch.id'], ),
    sa.ForeignKeyConstraint(['product_id'], ['product.id'], ),
    sa.ForeignKeyConstraint(['source_record_id'], ['source_record.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('product_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_product_change_batch_id'), ['batch_id'], unique=False)
        batch_op.create_index('ix_product_change_product_batch', ['product_id', 'batch_id'], unique=False)

    


def downgrade() -> None:
    
    with op.batch_alter_table('product_change', schema=None) as batch_op:
        batch_op.drop_index('ix_product_change_product_batch')
        batch_op.drop_index(batch_op.f('ix_product_change_batch_id'))

    op.drop_table('product_change')
    with op.batch_alter_table('source_record', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_source_record_source_id'))
        batch_op.drop_index(batch_op.f('ix_source_record_product_id'))

    op.drop_table('source_record')
    op.drop_table('submission')
    with op.batch_alter_table('rejected_record', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rejected_record_source_id'))
        batch_op.drop_index('ix_rejected_record_batch_row')
        batch_op.drop_index(batch_op.f('ix_rejected_record_batch_id'))

    op.drop_table('rejected_record')
    with op.batch_alter_table('product', schema=None) as batch_op:
        batch_op.drop_index('ix_product_updated_id')
        batch_op.drop_index(batch_op.f('ix_product_updated_at'))
        batch_op.drop_index('ix_product_status_province')
        batch_op.drop_index(batch_op.f('ix_product_status'))
        batch_op.drop_index(batch_op.f('ix_product_stars'))
        batch_op.drop_index(batch_op.f('ix_product_source_id'))
        batch_op.drop_index(batch_op.f('ix_product_search_key'))
        batch_op.drop_index('ix_product_province_stars')
        batch_op.drop_index(batch_op.f('ix_product_province_code'))
        batch_op.drop_index(batch_op.f('ix_product_producer_id'))
        batch_op.drop_index('ix_product_name_id')
        batch_op.drop_index(batch_op.f('ix_product_legacy_province'))
        batch_op.drop_index(batch_op.f('ix_product_group_code'))
        batch_op.drop_index(batch_op.f('ix_product_certified_year'))

    op.drop_table('product')
    op.drop_table('push_job')
    with op.batch_alter_table('producer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_producer_updated_at'))
        batch_op.drop_index(batch_op.f('ix_producer_search_key'))
        batch_op.drop_index(batch_op.f('ix_producer_province_code'))
        batch_op.drop_index(batch_op.f('ix_producer_producer_type'))

    op.drop_table('producer')
    with op.batch_alter_table('legacyunit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_legacyunit_search_key'))
        batch_op.drop_index(batch_op.f('ix_legacyunit_legacy_province_code'))
        batch_op.drop_index(batch_op.f('ix_legacyunit_legacy_district_code'))
        batch_op.drop_index(batch_op.f('ix_legacyunit_current_province_code'))

    op.drop_table('legacyunit')
    with op.batch_alter_table('import_batch', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_import_batch_source_id'))

    op.drop_table('import_batch')
    with op.batch_alter_table('source', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_source_province_code'))

    op.drop_table('source')
    with op.batch_alter_table('commune', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_commune_search_key'))
        batch_op.drop_index(batch_op.f('ix_commune_province_code'))

    op.drop_table('commune')
    op.drop_table('api_key')
    with op.batch_alter_table('province', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_province_search_key'))

    op.drop_table('province')
    
