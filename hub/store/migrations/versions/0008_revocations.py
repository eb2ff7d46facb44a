"""revocation lists: product.revoked_on, product.revocation_decision; source.list_kind

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 13:00:00

A province's list of revoked certificates ends each matching product's certificate on the
revocation decision's date (hub/ingest/revocation.py). The product keeps that date and decision
so a later harvest of its registry does not bring the certificate back. A source is a list of
products or a list of revocations. Existing stores hold no revocation: nothing to backfill.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('product', sa.Column('revoked_on', sa.Date(), nullable=True))
    op.add_column('product', sa.Column('revocation_decision', sa.String(), nullable=True))
    op.add_column('source', sa.Column('list_kind', sa.String(), nullable=False, server_default='products'))


def downgrade() -> None:
    revoked = op.get_bind().execute(sa.text("SELECT count(*) FROM product WHERE revoked_on IS NOT NULL")).scalar_one()
    if revoked:
        raise RuntimeError(f"cannot go below 0008: {revoked} revoked products; 0007 would forget why they are "
                           "withdrawn and a harvest of their registry would list them as certified again")
    # Plain ALTER TABLE … DROP COLUMN (SQLite ≥ 3.35, PostgreSQL): a batch operation would rebuild the tables.
    op.execute('ALTER TABLE source DROP COLUMN list_kind')
    op.execute('ALTER TABLE product DROP COLUMN revocation_decision')
    op.execute('ALTER TABLE product DROP COLUMN revoked_on')
