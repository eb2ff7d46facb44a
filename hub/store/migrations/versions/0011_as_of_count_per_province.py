"""counts at any date: one row per province and day

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 18:45:00

``as_of_count`` held a row per province, star level, status and day of change; a figure as of a
day sought each of the 340 combinations, which cost PostgreSQL 12 ms of executor time at 200,000
products. It now holds one row per province and day of change with all that province's counts
(hub/store/as_of_counts.py): 34 seeks. A table in the earlier layout (made by the first version of
0009) is rebuilt from the certificates; one already in the new layout is left as it is. Going
down writes the earlier layout from the new rows (the same running totals, a row wherever one
changes), for the code of before; going up again from there, 0010 (if gone below it) or this
revision replace it.
"""
from __future__ import annotations

import json
from datetime import date

import sqlalchemy as sa
from alembic import op
from sqlalchemy.orm import Session

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    from hub.store.as_of_counts import recount_as_of, replace_older_table

    conn = op.get_bind()
    if replace_older_table(conn):
        codes = [code for (code,) in conn.execute(sa.text("SELECT DISTINCT province_code FROM certificate"))]
        recount_as_of(Session(bind=conn), codes)


def downgrade() -> None:
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT province_code, day, counts FROM as_of_count ORDER BY province_code, day")).all()
    op.drop_index('ix_as_of_count_seek', table_name='as_of_count')
    op.drop_table('as_of_count')
    op.create_table(
        'as_of_count',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('province_code', sa.String(), nullable=False),
        sa.Column('stars', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('n', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_as_of_count_seek', 'as_of_count', ['province_code', 'stars', 'status', 'day'], unique=False)
    older: list[dict[str, object]] = []
    before: dict[tuple[str, str], int] = {}
    for province, day, counts in rows:
        now = {(province, key): n for key, n in json.loads(counts).items()}
        for key in sorted(set(now) | {k for k in before if k[0] == province}):
            if now.get(key, 0) != before.get(key, 0):
                stars, status = key[1].split(" ")
                older.append(dict(province_code=province, stars=int(stars), status=status,
                                  day=day if isinstance(day, date) else date.fromisoformat(str(day)), n=now.get(key, 0)))
        before = {k: v for k, v in before.items() if k[0] != province} | now
    if older:
        conn.execute(sa.text("INSERT INTO as_of_count (province_code, stars, status, day, n) "
                             "VALUES (:province_code, :stars, :status, :day, :n)"), older)
