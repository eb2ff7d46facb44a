"""JSON snapshots of products and source records, for the audit log and for reverting a batch."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from hub.store.models import Product, SourceRecord

PRODUCT_STATE_FIELDS: tuple[str, ...] = (
    "name", "name_normalized", "search_key", "group_code", "group_text", "subgroup", "stars", "score",
    "proposed_five_star", "decision_number", "decision_date", "issuing_body", "certified_year",
    "expiry_date", "status", "producer_id", "source_id", "province_code", "commune_code",
    "legacy_province", "unit_text", "unit_code", "unit_code_version", "content_hash", "withdrawn_at",
    "revoked_on", "revocation_decision",
)
SOURCE_RECORD_STATE_FIELDS: tuple[str, ...] = (
    "row_number", "raw", "raw_hash", "content_hash", "product_id", "present", "last_batch_id", "warnings", "facts",
)
_DATE_FIELDS = {"decision_date", "expiry_date", "revoked_on"}
_DATETIME_FIELDS = {"withdrawn_at"}


def _json_value(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def product_state(product: Product) -> dict[str, Any]:
    return {f: _json_value(getattr(product, f)) for f in PRODUCT_STATE_FIELDS}


def product_state_from_values(values: dict[str, Any]) -> dict[str, Any]:
    """The same snapshot for a product about to be inserted (no ORM object yet)."""
    return {f: _json_value(values.get(f)) for f in PRODUCT_STATE_FIELDS}


def source_record_state(record: SourceRecord) -> dict[str, Any]:
    return {f: getattr(record, f) for f in SOURCE_RECORD_STATE_FIELDS}


def restore_product(product: Product, state: dict[str, Any]) -> None:
    """Put a product back as ``state`` recorded it (dates parsed back from ISO text)."""
    for f in PRODUCT_STATE_FIELDS:
        value = state.get(f)
        if value is not None and f in _DATE_FIELDS:
            value = date.fromisoformat(value)
        elif value is not None and f in _DATETIME_FIELDS:
            value = datetime.fromisoformat(value)
        setattr(product, f, value)


def restore_source_record(record: SourceRecord, state: dict[str, Any]) -> None:
    for f in SOURCE_RECORD_STATE_FIELDS:
        setattr(record, f, state.get(f))
