"""``Product.certificates``: a product's certificates over time, as the hub knows them now."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any, Optional

import strawberry

from hub.api.enums import CertificateEnd
from hub.store.certificates import current_date


@strawberry.type(description=(
    "One certificate of the product: in force from `validFrom` through `validTo`, unless `ended` says "
    "otherwise. A re-rating keeps the earlier certificate for the dates before the new decision."))
class Certificate:
    stars: int = strawberry.field(description="Star rating it certified.")
    proposed_five_star: bool = strawberry.field(description="Proposed for 5★ (\"tiềm năng 5 sao\").")
    decision_number: Optional[str] = strawberry.field(description="Decision number as written.")
    decision_date: Optional[date] = strawberry.field(description="Decision date; null when only the year is known.")
    certified_year: Optional[int] = strawberry.field(description="Year of certification.")
    valid_from: date = strawberry.field(description=(
        "First day in force: the decision date; known by its year only, 1 January of that year; with "
        "neither, the day the hub first listed the product."))
    valid_to: Optional[date] = strawberry.field(description=(
        "Last day in force: 36 months after the decision (31 December three years on for a year only), "
        "or the day before it ended early; null when nothing tells its end."))
    ended: Optional[CertificateEnd] = strawberry.field(description="How it ended by today; null while in force.")
    source: str = strawberry.field(description="The source whose list gave it.")
    recorded_at: datetime = strawberry.field(description="When the hub learned it (UTC).")

    @classmethod
    def from_row(cls, row: Any, source: str, today: date | None = None) -> "Certificate":
        today = today or current_date()
        ended_early = row.ended_on is not None and (row.valid_to is None or row.ended_on <= row.valid_to)
        last = row.ended_on - timedelta(days=1) if ended_early else row.valid_to
        ended = None
        if ended_early and row.ended_on <= today:
            ended = CertificateEnd(row.end_reason)
        elif last is not None and last < today:
            ended = CertificateEnd.EXPIRED
        recorded = row.recorded_at if row.recorded_at.tzinfo else row.recorded_at.replace(tzinfo=timezone.utc)
        return cls(stars=row.stars, proposed_five_star=bool(row.proposed_five_star),
                   decision_number=row.decision_number, decision_date=row.decision_date,
                   certified_year=row.certified_year, valid_from=row.valid_from, valid_to=last, ended=ended,
                   source=source, recorded_at=recorded)
