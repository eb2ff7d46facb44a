"""honest status and freshness: product.listed_on, source.list_date

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 16:00:00

A certificate with neither a decision date nor a year was in force for ever; it now ends 36
months after the day the hub first listed its product (hub/store/certificates.py), so that day is kept
(``product.listed_on``, backfilled from the product's creation). Such certificates get their last
day (``certificate.valid_to``), and every kept count is rebuilt from them. A source keeps the date
its list speaks for (``source.list_date``, backfilled from the latest decision date it lists), by
which its freshness is judged (hub/api/coverage.py).
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

import sqlalchemy as sa
from alembic import op
from sqlalchemy.orm import Session

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def _day(value: datetime | str) -> date:
    """A stored creation instant's UTC day (SQLite hands back text, PostgreSQL an aware datetime)."""
    return value.date() if isinstance(value, datetime) else date.fromisoformat(str(value)[:10])


def upgrade() -> None:
    from hub.store.certificates import certificate_expiry
    from hub.store.aggregates import recount_all
    from hub.store.as_of_counts import replace_older_table

    op.add_column('product', sa.Column('listed_on', sa.Date(), nullable=True))
    op.add_column('source', sa.Column('list_date', sa.Date(), nullable=True))
    conn = op.get_bind()
    by_day: dict[date, list[int]] = defaultdict(list)
    for product_id, created_at in conn.execute(sa.text("SELECT id, created_at FROM product")):
        by_day[_day(created_at)].append(product_id)
    for day, ids in by_day.items():
        conn.execute(sa.text("UPDATE product SET listed_on = :day WHERE id IN :ids")
                     .bindparams(sa.bindparam("ids", expanding=True)), {"day": day, "ids": ids})
    undated = conn.execute(sa.text("SELECT id, valid_from FROM certificate WHERE decision_date IS NULL "
                                   "AND certified_year IS NULL AND valid_to IS NULL")).all()
    if undated:
        conn.execute(sa.text("UPDATE certificate SET valid_to = :valid_to WHERE id = :id"),
                     [{"id": i, "valid_to": certificate_expiry(_as_date(start))} for i, start in undated])
    conn.execute(sa.text(
        "UPDATE source SET list_date = (SELECT max(p.decision_date) FROM source_record r "
        "JOIN product p ON p.id = r.product_id WHERE r.source_id = source.id AND r.present)"))
    replace_older_table(conn)  # a store gone down from 0011 keeps the older layout: recounted in 0011's
    recount_all(Session(bind=conn))


def _as_date(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def downgrade() -> None:
    # Plain ALTER TABLE … DROP COLUMN (SQLite ≥ 3.35, PostgreSQL); the certificates' last days stay
    # (0009's rule left them empty; the rows are history, their end is now known).
    op.execute('ALTER TABLE source DROP COLUMN list_date')
    op.execute('ALTER TABLE product DROP COLUMN listed_on')
