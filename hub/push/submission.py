"""Provinces push their certified products: authorised, schema-checked, idempotent, then the
same ingest path as the harvest (same normalization, identity keys and provenance)."""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

import jsonschema
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from hub.access.keys import Principal
from hub.ingest import ImportSummary, ingest_rows
from hub.ingest.prepare import Refusal
from hub.ingest.run import resolver_for
from hub.store.models import Submission
from hub.vocabulary import SourceKind
from hub.normalize.problem import Problem
from hub.records import LISTS, PRODUCTS, REVOCATION, RawRow
from hub.registries import RegistryError
from hub.registries.read import file_reader
from hub.registries.sources_file import SourceSpec
from hub.units.resolver import province_code_of

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "schema" / "push-record.schema.json"
MODES = ("UPSERT", "REPLACE_ALL")
MAX_SYNC_RECORDS = 5000         # larger pushes go through a background job (hub.push.jobs)
MAX_FILE_BYTES = 50 * 1024 * 1024
SYNC_FILE_BYTES = 1024 * 1024
"""A pushed file larger than this is read by a background job, not in the request (hub.push.jobs)."""
PUSHABLE_KINDS = ("csv", "xlsx", "pdf", "docx")  # what offices keep and publish; read as the harvest reads them
KIND_OF_SUFFIX = {".doc": "docx"}
"""An old binary .doc goes to the docx reader, which refuses it saying to save it as .docx or PDF."""


class PushRefused(Refusal):
    """The whole request is refused and nothing changed. ``code`` is stable (docs/error-codes.md).
    Raised in the ingest transaction (a key revoked while its job ran), it fails the batch with
    its code."""


KeyCheck = Callable[[Session], None]
"""Run in the push's transaction just before it commits (hub.push.jobs: the key is still valid)."""


@dataclass(frozen=True)
class ReadFile:
    """A pushed file, read and checked (the caller may write its province), not yet applied."""

    province_code: str
    rows: list[RawRow]
    request_hash: str
    list_kind: str = PRODUCTS


def push_source_name(province_code: str, list_kind: str = PRODUCTS) -> str:
    """Each province has one push channel for its products and one for its revocations, each a
    source like any registry."""
    return f"push-{province_code}" if list_kind == PRODUCTS else f"push-{province_code}-{list_kind}"


@lru_cache(maxsize=1)
def _validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


INGEST_CHECKED = frozenset({"required", "maxLength"})
"""Schema rules the ingest path reports itself (MISSING_FIELD, FIELD_TOO_LONG): left to it."""
INGEST_READ_FIELDS = frozenset({"stars", "score"})
"""Fields the ingest reads as registries write them (a number or text, BAD_STARS, BAD_SCORE): their
values are checked there only, so one bad value is one problem, the same for 7 and "7"."""


def record_problems(record: Any) -> list[Problem]:
    """Problems of one pushed record against the published JSON Schema, except those the ingest
    path reports itself (INGEST_CHECKED, INGEST_READ_FIELDS): each problem is reported once."""
    if not isinstance(record, dict):
        return [Problem("SCHEMA_VIOLATION", "", f"a record must be an object, not {type(record).__name__}")]
    problems = []
    for error in sorted(_validator().iter_errors(record), key=lambda e: list(e.path)):
        if error.validator in INGEST_CHECKED or (error.path and error.path[0] in INGEST_READ_FIELDS):
            continue
        if error.validator == "additionalProperties":
            for name in sorted(set(record) - set(_validator().schema["properties"])):
                problems.append(Problem("UNKNOWN_FIELD", name, f"unknown field '{name}'"))
            continue
        field = ".".join(str(p) for p in error.path)
        problems.append(Problem("SCHEMA_VIOLATION", field, f"{field or 'record'}: {error.message}",
                                None if error.instance is None else str(error.instance)[:200]))
    return problems


def _record_row(index: int, record: Any) -> RawRow:
    problems = record_problems(record)
    values = {k: str(v) for k, v in record.items() if v is not None} if isinstance(record, dict) else {}
    return RawRow(row_number=index, values=values, raw=dict(values), problems=problems)


def authorize(engine: Engine, principal: Principal | None, province: str) -> str:
    """The current province code the caller may write, or PushRefused."""
    if principal is None:
        raise PushRefused("FORBIDDEN", "pushing data needs an API key (Authorization: Bearer ...)")
    resolver = resolver_for(engine)
    code = province_code_of(resolver, province)
    if code is None:
        raise PushRefused("UNKNOWN_UNIT", f"unknown province '{province}'")
    if not principal.may_write(code):
        raise PushRefused(
            "NOT_YOUR_PROVINCE",
            f"key '{principal.name}' writes only for province {principal.province_code}, "
            f"not {resolver.province_name(code)} ({code})",
        )
    return code


def _replay(engine: Engine, province_code: str, submission_id: str, request_hash: str) -> ImportSummary | None:
    with Session(engine) as session:
        seen = session.execute(select(Submission).where(
            Submission.province_code == province_code, Submission.submission_id == submission_id)
        ).scalar_one_or_none()
    if seen is None:
        return None
    if seen.request_hash != request_hash:
        raise PushRefused("SUBMISSION_ID_REUSED",
                          f"submission id '{submission_id}' was already used for different data; "
                          "choose a new id for a new submission")
    summary = ImportSummary.from_dict(seen.summary)
    summary.replayed = True
    return summary


def check_options(mode: str, submission_id: str | None, list_kind: str = PRODUCTS) -> None:
    """The push's mode, kind of list and submission id, refused before anything is read or queued."""
    if mode not in MODES:
        raise PushRefused("BAD_MODE", f"mode must be one of {', '.join(MODES)}, not '{mode}'")
    if list_kind not in LISTS:
        raise PushRefused("BAD_LIST", f"list must be one of {', '.join(LISTS)}, not '{list_kind}'")
    if list_kind == REVOCATION and mode == "REPLACE_ALL":
        raise PushRefused("BAD_MODE", "a revocation list ends the certificates it lists and withdraws nothing "
                                      "else: push it with mode UPSERT")
    if submission_id is not None and not (0 < len(submission_id) <= 200):
        raise PushRefused("BAD_SUBMISSION_ID", "submissionId must have 1 to 200 characters")


def _ingest(engine: Engine, principal: Principal, province_code: str, rows: list[RawRow], *,
            mode: str, dry_run: bool, submission_id: str | None, request_hash: str,
            list_kind: str = PRODUCTS, key_check: KeyCheck | None = None) -> ImportSummary:
    check_options(mode, submission_id, list_kind)
    if submission_id and not dry_run:
        replayed = _replay(engine, province_code, submission_id, request_hash)
        if replayed is not None:
            return replayed

    def remember(session: Session, summary: ImportSummary) -> None:
        if key_check is not None:
            key_check(session)
        if submission_id:
            session.add(Submission(province_code=province_code, submission_id=submission_id,
                                   key_id=principal.key_id, request_hash=request_hash,
                                   batch_id=summary.batch_id, summary=asdict(summary)))
            session.flush()  # a concurrent twin fails here, on the unique constraint

    summary = ingest_rows(
        engine, source_name=push_source_name(province_code, list_kind), source_kind=SourceKind.PUSH.value,
        list_kind=list_kind,
        province=resolver_for(engine).province_name(province_code), rows=rows, batch_kind="push",
        actor=principal.actor, replace_all=mode == "REPLACE_ALL", dry_run=dry_run, before_commit=remember,
    )
    if summary.failed and summary.error_code:  # the whole list refused (another province's): nothing stored
        raise PushRefused(summary.error_code, (summary.error or "").partition(": ")[2])
    if summary.failed and submission_id:
        replayed = _replay(engine, province_code, submission_id, request_hash)
        if replayed is not None:  # a retry raced us and won: its result is the result
            return replayed
    return summary


def push_records(engine: Engine, principal: Principal | None, *, province: str, records: list[Any],
                 mode: str = "UPSERT", dry_run: bool = False, submission_id: str | None = None,
                 max_records: int | None = MAX_SYNC_RECORDS, list_kind: str = PRODUCTS,
                 key_check: KeyCheck | None = None) -> ImportSummary:
    """Push records (dicts with the canonical snake_case fields). Whole-request problems raise
    PushRefused and change nothing; record problems are rejections with their index."""
    code = authorize(engine, principal, province)
    assert principal is not None
    if max_records is not None and len(records) > max_records:
        raise PushRefused("TOO_MANY_RECORDS",
                          f"{len(records)} records in one request; the limit is {max_records}: "
                          "use pushProductsAsync (a background job) for large pushes")
    request_hash = hashlib.sha256(json.dumps(
        {"province": code, "mode": mode, "records": records} | ({"list": list_kind} if list_kind != PRODUCTS else {}),
        sort_keys=True, ensure_ascii=False, default=str
    ).encode("utf-8")).hexdigest()
    rows = [_record_row(i, r) for i, r in enumerate(records)]
    return _ingest(engine, principal, code, rows, mode=mode, dry_run=dry_run,
                   submission_id=submission_id, request_hash=request_hash, list_kind=list_kind,
                   key_check=key_check)


def check_upload(engine: Engine, principal: Principal | None, *, province: str, filename: str,
                 size: int) -> tuple[str, str]:
    """(province code, reader kind) of an upload the caller may push, checked without reading it."""
    code = authorize(engine, principal, province)
    suffix = Path(filename).suffix.lower()
    kind = KIND_OF_SUFFIX.get(suffix, suffix[1:])
    if kind not in PUSHABLE_KINDS:
        raise PushRefused("BAD_FILE", f"{filename}: only .csv, .xlsx, .pdf and .docx files can be pushed")
    if size > MAX_FILE_BYTES:
        raise PushRefused("BAD_FILE", f"{filename}: {size} bytes; the limit is {MAX_FILE_BYTES}")
    return code, kind


def read_pushed_file(engine: Engine, principal: Principal | None, *, province: str, filename: str, data: bytes,
                     mode: str = "UPSERT", encoding: str = "auto", list_kind: str = PRODUCTS,
                     sheet: str | tuple[str, ...] | None = None) -> ReadFile:
    """Read a whole spreadsheet (csv or xlsx) or decision annex (pdf or docx) exactly as the
    harvest reads registries; nothing is written. ``sheet`` narrows a workbook to these sheets, as a
    source's ``sheet:``. Refusals (key, province, file) raise PushRefused."""
    code, kind = check_upload(engine, principal, province=province, filename=filename, size=len(data))
    spec = SourceSpec(name=push_source_name(code, list_kind), province=province, kind=kind,
                      location=filename, encoding=encoding, sheet=sheet)
    try:
        rows = list(file_reader(spec.kind)(data, spec))
    except RegistryError as exc:
        raise PushRefused("BAD_FILE", str(exc)) from exc
    request_hash = hashlib.sha256(data + f"|{code}|{mode}".encode() + (
        f"|{list_kind}".encode() if list_kind != PRODUCTS else b"") + (
        f"|{sheet!r}".encode() if sheet else b"")).hexdigest()
    return ReadFile(code, rows, request_hash, list_kind)


def push_read_file(engine: Engine, principal: Principal, read: ReadFile, *, mode: str = "UPSERT",
                   dry_run: bool = False, submission_id: str | None = None,
                   key_check: KeyCheck | None = None) -> ImportSummary:
    """Apply a file read by ``read_pushed_file`` (now, or in a background job)."""
    return _ingest(engine, principal, read.province_code, read.rows, mode=mode, dry_run=dry_run,
                   submission_id=submission_id, request_hash=read.request_hash, list_kind=read.list_kind,
                   key_check=key_check)


def push_file(engine: Engine, principal: Principal | None, *, province: str, filename: str, data: bytes,
              mode: str = "UPSERT", dry_run: bool = False, submission_id: str | None = None,
              encoding: str = "auto", list_kind: str = PRODUCTS,
              sheet: str | tuple[str, ...] | None = None) -> ImportSummary:
    """Read a pushed file and apply it at once (``read_pushed_file``, then ``push_read_file``)."""
    read = read_pushed_file(engine, principal, province=province, filename=filename, data=data, mode=mode,
                            encoding=encoding, list_kind=list_kind, sheet=sheet)
    assert principal is not None
    return push_read_file(engine, principal, read, mode=mode, dry_run=dry_run, submission_id=submission_id)
