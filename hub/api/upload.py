"""POST /push/file: a province office uploads its spreadsheet (csv or xlsx) or its decision annex (pdf
or docx: the product tables are read, see docs/registries.md) instead of records.

multipart/form-data fields: ``file`` (required), ``province`` (code or name, required), ``mode``
(UPSERT | REPLACE_ALL, default UPSERT), ``dryRun`` (true/false), ``submissionId``, ``encoding``
(auto by default, as for harvested registries), ``list`` (products | revocation, default products),
``sheet`` (repeated: the workbook's sheets to read; default every sheet), every other field at
most once. Same bearer-token auth as every route. The answer is the import summary as JSON, with
the field names of the GraphQL ImportSummary; a file of more than ``SYNC_FILE_BYTES`` (read by the
job) or of more than ``MAX_SYNC_RECORDS`` rows is applied by a background job instead, as
pushProductsAsync does: 202 with the job (``{"job": {"id", "status", "records"}, "message"}``), to
poll with ``pushJob(id)``. A refused upload answers ``{"error": message, "code": CODE}`` with a 4xx
status and changes nothing.
"""
from __future__ import annotations

import logging
from typing import Any, Callable, Coroutine

from sqlalchemy.engine import Engine
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse

from hub.api.access import principal_of
from hub.api.push_types import summary_json
from hub.push.submission import (MAX_SYNC_RECORDS, SYNC_FILE_BYTES, PushRefused, check_options, push_read_file,
                      read_pushed_file)
from hub.records import PRODUCTS

log = logging.getLogger("hub.api")

FORM_FIELDS = {"file", "province", "mode", "dryRun", "submissionId", "encoding", "list", "sheet"}
MAX_SHEETS = 100  # repeated ``sheet`` fields a form may carry
STATUS_OF_CODE = {
    "FORBIDDEN": 403, "NOT_YOUR_PROVINCE": 403, "SUBMISSION_ID_REUSED": 409, "TOO_MANY_RECORDS": 413,
    "UNKNOWN_UNIT": 422, "BAD_FILE": 422, "BAD_MODE": 422, "BAD_LIST": 422, "BAD_SUBMISSION_ID": 422,
    "TOO_MANY_JOBS": 429,
}
REPEATABLE = {"sheet"}
"""Form fields that may be given more than once; any other given twice is refused (DUPLICATE_FIELD)."""
_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off", ""}


def _refusal(code: str, message: str, status: int | None = None) -> JSONResponse:
    return JSONResponse({"error": message, "code": code}, status_code=status or STATUS_OF_CODE.get(code, 400))


def _queued(job_id: str, records: int | None, why: str) -> JSONResponse:
    """202: the upload is a background job's (``records``: None until the job has read the file)."""
    return JSONResponse({"job": {"id": job_id, "status": "queued", "records": records},
                         "message": f'{why}, so a background job applies it; poll pushJob(id: "{job_id}") '
                                    "for its status and summary."}, status_code=202)


def push_file_endpoint(engine: Engine, jobs: Any) -> Callable[[Request], Coroutine[Any, Any, JSONResponse]]:
    """``jobs``: hub.push.jobs.PushJobs (or the app's lazy one), which runs the files of many rows."""
    async def push_file_route(request: Request) -> JSONResponse:
        if principal_of(request) is None:
            return _refusal("FORBIDDEN", "Uploading a file needs an API key: send 'Authorization: Bearer <token>'. "
                                         "Anonymous callers may only read public data.")
        if not request.headers.get("content-type", "").startswith("multipart/form-data"):
            return _refusal("BAD_REQUEST", "Send the file as multipart/form-data with fields: file, province, "
                                           "and optionally mode, dryRun, submissionId, encoding, list.", 415)
        try:
            form = await request.form(max_files=1, max_fields=len(FORM_FIELDS) + MAX_SHEETS)
        except Exception as exc:  # malformed multipart, too many parts
            return _refusal("BAD_REQUEST", f"Unreadable form: {exc}", 400)
        try:
            unknown = sorted(set(form.keys()) - FORM_FIELDS)
            if unknown:
                return _refusal("BAD_REQUEST", f"Unknown form field(s) {', '.join(unknown)}; "
                                               f"allowed: {', '.join(sorted(FORM_FIELDS))}.", 400)
            names = [name for name, _ in form.multi_items() if name not in REPEATABLE]
            twice = sorted({name for name in names if names.count(name) > 1})
            if twice:  # which one would count? (dryRun=true then dryRun=false wrote a batch)
                return _refusal("DUPLICATE_FIELD", f"Form field(s) {', '.join(twice)} given more than once; "
                                                   "send each field once.", 400)
            upload = form.get("file")
            if not isinstance(upload, UploadFile):
                return _refusal("BAD_FILE", "Field 'file' is missing or is not a file upload.", 400)
            province = form.get("province")
            if not isinstance(province, str) or not province.strip():
                return _refusal("UNKNOWN_UNIT", "Field 'province' is required: a two-digit code or the name.", 400)
            mode = str(form.get("mode") or "UPSERT").strip().upper()
            dry_text = str(form.get("dryRun") or "").strip().lower()
            if dry_text not in _TRUE | _FALSE:
                return _refusal("BAD_REQUEST", f"Field 'dryRun' must be true or false, not {dry_text!r}.", 400)
            submission_id = form.get("submissionId")
            submission_id = str(submission_id) if submission_id else None
            encoding = str(form.get("encoding") or "auto")
            list_kind = str(form.get("list") or PRODUCTS).strip().lower()
            sheets = tuple(str(name) for name in form.getlist("sheet") if str(name).strip())
            data = await upload.read()
            filename = upload.filename or "upload"
        finally:
            await form.close()
        principal = principal_of(request)
        dry_run = dry_text in _TRUE
        try:
            check_options(mode, submission_id, list_kind)
            if len(data) > SYNC_FILE_BYTES:  # read by the job, not here
                job_id = await run_in_threadpool(lambda: jobs.submit_upload(
                    principal, province=province.strip(), filename=filename, data=data, mode=mode, dry_run=dry_run,
                    submission_id=submission_id, encoding=encoding, list_kind=list_kind, sheet=sheets or None))
                return _queued(job_id, None, f"{len(data)} bytes: more than the {SYNC_FILE_BYTES} a file push reads "
                                             "at once")
            read = await run_in_threadpool(lambda: read_pushed_file(
                engine, principal, province=province.strip(), filename=filename, data=data, mode=mode,
                encoding=encoding, list_kind=list_kind, sheet=sheets or None))
            if len(read.rows) > MAX_SYNC_RECORDS:
                job_id = await run_in_threadpool(lambda: jobs.submit_file(
                    principal, read, mode=mode, dry_run=dry_run, submission_id=submission_id))
                return _queued(job_id, len(read.rows),
                               f"{len(read.rows)} rows: more than the {MAX_SYNC_RECORDS} a file push applies at once")
            summary = await run_in_threadpool(lambda: push_read_file(
                engine, principal, read, mode=mode, dry_run=dry_run, submission_id=submission_id))
        except PushRefused as exc:
            return _refusal(exc.code, exc.message)
        body = summary_json(summary)
        return JSONResponse(body, status_code=500 if summary.status == "failed" else 200)

    return push_file_route
