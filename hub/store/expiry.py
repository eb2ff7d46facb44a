"""Certificates expire with time, not with data: move products whose certificate has ended
(hub.store.certificates, the rule) from ACTIVE to EXPIRED."""
from __future__ import annotations

from datetime import date

from sqlalchemy import update
from sqlalchemy.engine import Engine

from hub.store.certificates import current_date, expired_sql
from hub.store.engine import session_scope
from hub.store.models import Product, utcnow
from hub.vocabulary import ProductStatus


def refresh_statuses(engine: Engine, today: date | None = None) -> int:
    """Mark active products whose certificate ended before ``today`` as expired; return how many.

    Withdrawn products stay withdrawn. One UPDATE, so it is cheap enough to run after every harvest.
    """
    today = today or current_date()
    with session_scope(engine) as session:
        result = session.execute(
            update(Product)
            .where(Product.status == ProductStatus.ACTIVE.value, expired_sql(today))
            .values(status=ProductStatus.EXPIRED.value, updated_at=utcnow())
            .execution_options(synchronize_session=False)
        )
    return max(result.rowcount or 0, 0)
