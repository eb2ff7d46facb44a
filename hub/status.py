"""Certificates expire with time, not with data: move products whose 36 months have passed."""
from __future__ import annotations

from datetime import date

from sqlalchemy import and_, or_, update
from sqlalchemy.engine import Engine

from hub.db import session_scope
from hub.models import Product, ProductStatus, utcnow


def refresh_statuses(engine: Engine, today: date | None = None) -> int:
    """Mark active products whose certificate expired before ``today`` as expired; return how many.

    Withdrawn products stay withdrawn. A certificate known only by its year expires as one issued
    on 31 December of that year would (hub.ingest.canonical.certificate_status), though no expiry
    date is stored for it. One UPDATE, so it is cheap enough to run after every harvest.
    """
    today = today or date.today()
    # A year's 31 December certificates expire on 31 December three years on: by today, those of
    # four years ago and earlier.
    last_expired_year = today.year - 4
    with session_scope(engine) as session:
        result = session.execute(
            update(Product)
            .where(Product.status == ProductStatus.ACTIVE.value,
                   or_(Product.expiry_date < today,
                       and_(Product.expiry_date.is_(None), Product.decision_date.is_(None),
                            Product.certified_year <= last_expired_year)))
            .values(status=ProductStatus.EXPIRED.value, updated_at=utcnow())
            .execution_options(synchronize_session=False)
        )
    return max(result.rowcount or 0, 0)
