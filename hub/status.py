"""Certificates expire with time, not with data: move products whose 36 months have passed."""
from __future__ import annotations

from datetime import date

from sqlalchemy import update
from sqlalchemy.engine import Engine

from hub.db import session_scope
from hub.models import Product, ProductStatus, utcnow


def refresh_statuses(engine: Engine, today: date | None = None) -> int:
    """Mark active products whose certificate expired before ``today`` as expired; return how many.

    Withdrawn products stay withdrawn. One UPDATE, so it is cheap enough to run after every harvest.
    """
    today = today or date.today()
    with session_scope(engine) as session:
        result = session.execute(
            update(Product)
            .where(Product.status == ProductStatus.ACTIVE.value, Product.expiry_date < today)
            .values(status=ProductStatus.EXPIRED.value, updated_at=utcnow())
            .execution_options(synchronize_session=False)
        )
    return max(result.rowcount or 0, 0)
