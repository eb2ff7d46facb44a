"""The GraphQL shapes of the write side: push input, import summaries (sync, async, file upload)
and revert results. hub.api.push_api maps requests onto hub.push.submission with them."""
from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any, NewType, Optional

import strawberry

from hub.api.batch_notes import BatchNotes, WarningCount, notes_fields, warning_counts
from hub.api.rejected import RecordError
from hub.api.types import as_utc
from hub.ingest.summary import ImportSummary as SummaryData
from hub.ingest.summary import Rejection, RowWarnings
from hub.vocabulary import BatchStatus
from hub.store.models import PushJob as JobRow
from hub.records import FIELDS

MAX_SYNC_RECORDS = 5_000
"""Records per pushProducts request; more → TOO_MANY_RECORDS (use pushProductsAsync)."""
MAX_ASYNC_RECORDS = 100_000
"""Records per pushProductsAsync request (one background job)."""
FAILED_MESSAGE = "The push failed inside the hub and nothing was applied; the error has been logged (batch {})."


def _parse_cell(value: Any) -> str | int:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ValueError(f"expected a string or an integer, got {value!r}")
    return value


Cell = NewType("Cell", object)
CELL_SCALAR = strawberry.scalar(
    name="Cell",
    description="A value as the province's records hold it: a string (\"4 sao\") or an integer (4).",
    serialize=lambda v: v, parse_value=_parse_cell)
"""Registered in the schema's StrawberryConfig.scalar_map (hub.api.schema)."""


@strawberry.enum(description="How a push relates to what the hub already has from the province's push channel.")
class PushMode(Enum):
    UPSERT = strawberry.enum_value("UPSERT", description=(
        "Create or update the records sent; products not sent are left as they are."))
    REPLACE_ALL = strawberry.enum_value("REPLACE_ALL", description=(
        "The records sent are the province's whole list: products pushed earlier and not sent now are withdrawn."))


@strawberry.enum(description="What a pushed list holds.")
class PushList(Enum):
    PRODUCTS = strawberry.enum_value("products", description="Certified products: the province's registry.")
    REVOCATION = strawberry.enum_value("revocation", description=(
        "Revoked certificates (\"Danh sách sản phẩm bị thu hồi Giấy chứng nhận OCOP\"): each record ends "
        "the matching product's certificate on its decision date; one that matches no product is rejected "
        "(docs/registries.md, revocation lists). Only with mode UPSERT."))


_FIELD_DOCS = {
    "product_name": "Tên sản phẩm (required by the record contract; missing → MISSING_FIELD rejection).",
    "producer_name": "Chủ thể: the producer (required).",
    "producer_type": "Loại hình chủ thể ('HTX', 'Công ty TNHH', 'Hộ kinh doanh'…); inferred from the name when absent.",
    "stars": "Hạng sao (required): 3–5 as a number or text ('4 sao', '4 sao (tiềm năng 5 sao)').",
    "score": "Điểm: the 100-point score, when known.",
    "group": "Nhóm sản phẩm (required): a Decision 148/1048 group or free text.",
    "subgroup": "Phân nhóm, as written.",
    "province": "Tỉnh as written (before or after the 2025 reform); defaults to the pushed province.",
    "district": "Huyện (pre-reform records only).",
    "commune": "Xã / phường as written.",
    "address": "Địa chỉ, free text.",
    "decision_number": "Số quyết định công nhận.",
    "decision_date": "Ngày quyết định (dd/mm/yyyy or ISO yyyy-mm-dd).",
    "year": "Năm công nhận.",
    "issuing_body": "Cơ quan công nhận, as written.",
    "tax_code": "Mã số thuế of the producer (never published).",
    "phone": "Điện thoại of the producer (personal data: shown only to the ministry and the province).",
    "email": "E-mail of the producer (personal data).",
    "contact_person": "Người đại diện (personal data).",
}
_CELL_FIELDS = {"stars", "score", "year"}


def _record_input() -> type:
    """PushRecordInput: one optional field per canonical field of hub.records.FIELDS, camelCase
    in GraphQL (strawberry's default), snake_case in the record handed to hub.push.submission."""
    namespace: dict[str, Any] = {"__annotations__": {}}
    for name in FIELDS:
        namespace["__annotations__"][name] = Optional[Cell] if name in _CELL_FIELDS else Optional[str]  # type: ignore[valid-type]
        namespace[name] = strawberry.field(default=None, description=_FIELD_DOCS.get(name, name))
    cls = type("PushRecordInput", (), namespace)
    return strawberry.input(cls, description=(
        "One certified product as the province records it: the fields of schema/push-record.schema.json "
        "in camelCase. Every field is optional here so that a bad record is rejected on its own, with its "
        "index and a stable code, instead of failing the whole request."))


PushRecordInput = _record_input()


def record_dict(record: Any) -> dict[str, Any]:
    """The snake_case record hub.push.submission validates, without the fields left out."""
    return {name: getattr(record, name) for name in FIELDS if getattr(record, name, None) is not None}


@strawberry.input(description="A push of certified products for one province.")
class PushProductsInput:
    province: str = strawberry.field(description=(
        "The province: its two-digit code (\"22\") or its name as written (\"Quảng Ninh\", \"Tỉnh Quảng Ninh\"). "
        "A province key may push only its own."))
    records: list[PushRecordInput] = strawberry.field(description=(  # type: ignore[valid-type]
        f"The records, at most {MAX_SYNC_RECORDS} for pushProducts and {MAX_ASYNC_RECORDS} for "
        "pushProductsAsync. Pass them as a variable: the query text itself is limited in size."))
    mode: PushMode = strawberry.field(default=PushMode.UPSERT, description="UPSERT (default) or REPLACE_ALL.")
    list: PushList = strawberry.field(default=PushList.PRODUCTS, description=(
        "PRODUCTS (default): the province's certified products; REVOCATION: its revoked certificates."))
    dry_run: bool = strawberry.field(default=False, description=(
        "Report what would happen and write nothing."))
    submission_id: Optional[str] = strawberry.field(default=None, description=(
        "A client-chosen id (1–200 characters) making retries safe: the same id with the same records "
        "returns the first result and applies nothing twice; the same id with other records is refused "
        "(SUBMISSION_ID_REUSED)."))


@strawberry.type(description="One refused record of a push: where it was and every reason.")
class PushRejection:
    index: int = strawberry.field(description=(
        "The record's 0-based position in `records` (for a file upload: the row number in the sheet)."))
    errors: list[RecordError] = strawberry.field(description=(
        "Every problem found, each with a stable code (docs/error-codes.md)."))

    @classmethod
    def from_rejection(cls, r: Rejection) -> PushRejection:
        return cls(index=r.row_number, errors=[
            RecordError(code=str(e.get("code", "")), field=None if e.get("field") is None else str(e["field"]),
                        message=str(e.get("message", "")), value=None if e.get("value") is None else str(e["value"]))
            for e in r.errors if isinstance(e, dict)])


@strawberry.type(description="One value of a stored record that could not be read: the record was applied without it.")
class RecordWarning:
    index: int = strawberry.field(description=(
        "The record's 0-based position in `records` (for a file upload: the row number in the sheet)."))
    field: Optional[str] = strawberry.field(description="The field concerned, e.g. group, commune.")
    code: str = strawberry.field(description="Stable warning code, e.g. GROUP_UNKNOWN (docs/error-codes.md).")
    message: str = strawberry.field(description="Explanation for people, naming the text that could not be read.")

    @classmethod
    def each_of(cls, row: RowWarnings) -> list[RecordWarning]:
        return [cls(index=row.row_number, field=None if w.get("field") is None else str(w["field"]),
                    code=str(w.get("code") or ""), message=str(w.get("message") or ""))
                for w in row.warnings if isinstance(w, dict)]


@strawberry.type(description=(
    "What a push did (or, for a dry run, would do): counts, every rejection and every warning."))
class ImportSummary(BatchNotes):
    batch_id: Optional[int] = strawberry.field(description=(
        "The batch in the audit log (see importBatches, revertBatch); null for a dry run."))
    source: str = strawberry.field(description="The source the records went to (the province's push channel).")
    status: str = strawberry.field(description="succeeded, dry_run or failed (then nothing was applied).")
    dry_run: bool = strawberry.field(description="True when nothing was written.")
    replayed: bool = strawberry.field(description=(
        "True when this submissionId was seen before: this is the first result, and nothing was applied again."))
    rows_read: int = strawberry.field(description="Records received.")
    created: int = strawberry.field(description="Products created.")
    updated: int = strawberry.field(description="Products whose values changed.")
    unchanged: int = strawberry.field(description="Products already as sent.")
    withdrawn: int = strawberry.field(description="Products withdrawn (REPLACE_ALL: pushed before, not sent now).")
    rejected: int = strawberry.field(description="Records refused; each is in `rejections`.")
    error: Optional[str] = strawberry.field(description="Why the push failed, when status is failed.")
    rejections: list[PushRejection] = strawberry.field(description=(
        "Every refused record with its index and reasons: complete, never cut short."))
    warnings: list[RecordWarning] = strawberry.field(description=(
        "Every value of an applied record that could not be read (the record was stored without it), "
        "with the record's index: complete, never cut short."))
    warning_counts: list[WarningCount] = strawberry.field(description="Records applied with warnings, by code.")

    @classmethod
    def from_summary(cls, s: SummaryData) -> ImportSummary:
        error = None
        if s.status == BatchStatus.FAILED.value:  # the cause is logged by hub.ingest, never sent out
            error = FAILED_MESSAGE.format(s.batch_id)
        notes = s.notes()
        return cls(batch_id=None if s.dry_run else s.batch_id, source=s.source, status=s.status,
                   dry_run=s.dry_run, replayed=bool(getattr(s, "replayed", False)), rows_read=s.rows_read,
                   created=s.created, updated=s.updated, unchanged=s.unchanged, withdrawn=s.withdrawn,
                   rejected=s.rejected, error=error,
                   rejections=[PushRejection.from_rejection(r) for r in s.rejections],
                   warnings=[w for row in s.warnings for w in RecordWarning.each_of(row)],
                   warning_counts=warning_counts(notes), **notes_fields(notes))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ImportSummary:
        """From a summary stored as JSON (dataclasses.asdict of hub.ingest.summary.ImportSummary)."""
        return cls.from_summary(SummaryData.from_dict(data))


def summary_json(s: SummaryData) -> dict[str, Any]:
    """The ImportSummary as the JSON the file upload answers (same names as in GraphQL)."""
    t = ImportSummary.from_summary(s)
    return {
        "batchId": t.batch_id, "source": t.source, "status": t.status, "dryRun": t.dry_run, "replayed": t.replayed,
        "rowsRead": t.rows_read, "created": t.created, "updated": t.updated, "unchanged": t.unchanged,
        "withdrawn": t.withdrawn, "rejected": t.rejected, "error": t.error,
        "rejections": [{"index": r.index, "errors": [{"code": e.code, "field": e.field, "message": e.message,
                                                       "value": e.value} for e in r.errors]}
                       for r in t.rejections],
        "warnings": [{"index": w.index, "field": w.field, "code": w.code, "message": w.message} for w in t.warnings],
        "warningCounts": [{"code": c.code, "count": c.count} for c in t.warning_counts],
        "warnedRows": t.warned_rows, "conflicts": t.conflicts, "unmappedColumns": t.unmapped_columns,
        "skippedRows": [{"rowNumber": r.row_number, "reason": r.reason, "text": r.text} for r in t.skipped_rows],
    }


@strawberry.type(description="A push running in the background (pushProductsAsync): poll it with `pushJob`.")
class PushJob:
    id: str = strawberry.field(description="Job identifier.")
    status: str = strawberry.field(description="queued, running, succeeded or failed.")
    records: int = strawberry.field(description="Records submitted.")
    province_code: str = strawberry.field(description="Province pushed to (two-digit code).")
    created_at: datetime = strawberry.field(description="When the job was submitted (UTC).")
    finished_at: Optional[datetime] = strawberry.field(description="When it ended (UTC), once it has.")
    error: Optional[str] = strawberry.field(description=(
        "Why the job failed (for a refused push: the refusal message, see `errorCode`)."))
    summary: Optional[ImportSummary] = strawberry.field(description="The import summary, once the job has ended.")

    @classmethod
    def from_row(cls, row: JobRow) -> PushJob:
        return cls(id=row.id, status=row.status, records=row.records, province_code=row.province_code,
                   created_at=as_utc(row.created_at), finished_at=as_utc(row.finished_at), error=row.error,
                   summary=ImportSummary.from_dict(row.summary) if row.summary else None)


@strawberry.type(description="The result of revertBatch.")
class RevertResult:
    revert_batch_id: int = strawberry.field(description="The new batch that did the revert (itself in the audit log).")
    reverted_batch_id: int = strawberry.field(description="The batch that was reverted.")
    products_restored: int = strawberry.field(description=(
        "Products put back in their state before that batch: `withdrawn` plus `updated`."))
    withdrawn: int = strawberry.field(description="Products that batch had created, now withdrawn.")
    updated: int = strawberry.field(description="Products whose values or status went back to what they were.")


