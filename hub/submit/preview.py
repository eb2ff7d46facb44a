"""Preview a province's file, then apply exactly what was previewed.

The preview is the API's own dry run (hub.push.submission.push_file with ``dry_run=True``: the same reading,
normalization, resolution and rollback), beside the reading ``ocop-hub inspect`` gives (hub.sources.inspection:
sheets, header rows, columns, the first rows as read). It hands back a token: a hash of the file's
bytes, the province, the choices made (mode, list, sheets) and the store's data version
(hub.store.data_version). Apply recomputes the token; if the file, a choice or the store changed in
between, nothing is applied and the page previews again. The apply is a push with a submission id
made of the token and the file's name, so a second click replays the first result.
"""
from __future__ import annotations

import hashlib
import io
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from hub.access.keys import Principal
from hub.store.data_version import read_version
from hub.ingest import ImportSummary
from hub.ingest.run import resolver_for
from hub.sources.inspection import InspectError, Inspection, inspect_file
from hub.store.models import Submission
from hub.push.submission import KIND_OF_SUFFIX, MODES, PushRefused, authorize, push_file
from hub.units.resolver import UnitResolver
from hub.records import LISTS, PRODUCTS

SUBMISSION_PREFIX = "nop-du-lieu:"
"""Submission ids of the page: ``nop-du-lieu:<token[:32]>:<file name>`` (the history shows the name)."""


class Refused(Exception):
    """Nothing was stored: ``code`` as hub.push.submission's (or EMPTY/STALE), ``detail`` the hub's own words."""

    def __init__(self, code: str, detail: str, whole_list: bool = False) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail
        self.whole_list = whole_list


@dataclass(frozen=True)
class Upload:
    """One file and the officer's choices, as the form sends them each time."""

    filename: str
    data: bytes
    province: str  # code or name; empty: the key's own province
    mode: str = "UPSERT"
    list_kind: str = PRODUCTS
    sheets: tuple[str, ...] = ()

    @property
    def kind(self) -> str:
        suffix = Path(self.filename).suffix.lower()
        return KIND_OF_SUFFIX.get(suffix, suffix[1:])

    @property
    def sheet(self) -> tuple[str, ...] | None:
        """The sheets to read: only a workbook has them; none chosen reads every sheet."""
        return self.sheets if self.sheets and self.kind == "xlsx" else None


@dataclass
class Preview:
    upload: Upload
    province_code: str
    province_name: str
    token: str
    summary: ImportSummary  # the dry run's
    inspection: Inspection | None
    workbook_sheets: list[str] = field(default_factory=list)  # every sheet of a workbook, for the choice


def token_of(upload: Upload, province_code: str, version: int) -> str:
    digest = hashlib.sha256(upload.data)
    digest.update(repr((province_code, upload.mode, upload.list_kind, upload.sheet, version)).encode())
    return digest.hexdigest()


def submission_id(token: str, filename: str) -> str:
    return f"{SUBMISSION_PREFIX}{token[:32]}:{filename}"[:200]


def _province(engine: Engine, principal: Principal | None, upload: Upload) -> str:
    """The province code the key may write: the one chosen, else the key's own."""
    if principal is None:
        raise Refused("FORBIDDEN", "no API key")
    wanted = upload.province.strip() or principal.province_code
    if not wanted:
        raise Refused("NO_PROVINCE_CHOSEN", "a ministry key must choose the province")
    try:
        return authorize(engine, principal, wanted)
    except PushRefused as exc:
        raise Refused(exc.code, exc.message) from exc


def _checked(upload: Upload) -> None:
    if not upload.data:
        raise Refused("EMPTY", f"{upload.filename}: the file is empty (0 bytes)")
    if upload.mode not in MODES or upload.list_kind not in LISTS:
        raise Refused("BAD_MODE" if upload.mode not in MODES else "BAD_LIST", f"{upload.mode} / {upload.list_kind}")


def _push(engine: Engine, principal: Principal, upload: Upload, code: str, *, dry_run: bool,
          submission: str | None = None) -> ImportSummary:
    try:
        summary = push_file(engine, principal, province=code, filename=upload.filename, data=upload.data,
                            mode=upload.mode, dry_run=dry_run, submission_id=submission, list_kind=upload.list_kind,
                            sheet=upload.sheet)
    except PushRefused as exc:
        # the key was authorized above: another province's code here refuses the list itself
        raise Refused(exc.code, exc.message, whole_list=exc.code in ("NOT_YOUR_PROVINCE", "WRONG_PROVINCE")) from exc
    if summary.failed:
        raise Refused("FAILED", summary.error or "the batch failed; nothing was applied")
    return summary


def preview(engine: Engine, principal: Principal | None, upload: Upload) -> Preview:
    """The dry run and the reading of ``upload``; nothing is stored. Refused raises."""
    code = _province(engine, principal, upload)
    assert principal is not None
    _checked(upload)
    version = read_version(engine)  # before the dry run: a write in between makes the apply preview again
    summary = _push(engine, principal, upload, code, dry_run=True)
    resolver = resolver_for(engine)
    return Preview(upload=upload, province_code=code, province_name=resolver.province_name(code),
                   token=token_of(upload, code, version), summary=summary,
                   inspection=_inspection(upload, code, resolver), workbook_sheets=_sheet_names(upload))


def apply(engine: Engine, principal: Principal | None, upload: Upload, token: str) -> tuple[ImportSummary, str]:
    """Apply ``upload`` if it is what ``token`` previewed, on the store as it was then; else
    Refused("STALE"). The same token applied again returns the first result (replayed). The
    batch's summary and the province code."""
    code = _province(engine, principal, upload)
    assert principal is not None
    _checked(upload)
    submission = submission_id(token, upload.filename)
    if token != token_of(upload, code, read_version(engine)):
        if not _submitted(engine, code, submission):
            raise Refused("STALE", "the file, the choices or the store changed since the preview")
    return _push(engine, principal, upload, code, dry_run=False, submission=submission), code


def _submitted(engine: Engine, province_code: str, submission: str) -> bool:
    with Session(engine) as session:
        return session.execute(select(Submission.id).where(
            Submission.province_code == province_code, Submission.submission_id == submission)).first() is not None


def _inspection(upload: Upload, code: str, resolver: UnitResolver) -> Inspection | None:
    """What ``ocop-hub inspect`` shows of the file (its reader needs a path: a private temporary file)."""
    sheet = upload.sheet
    with tempfile.TemporaryDirectory(prefix="hub-submit-") as folder:
        path = Path(folder) / ("upload" + Path(upload.filename).suffix.lower())
        path.write_bytes(upload.data)
        try:
            return inspect_file(path, province=resolver.province_name(code), sheet=sheet,  # type: ignore[arg-type]
                                resolver=resolver)
        except InspectError:
            return None  # the dry run read it; the reading is then shown from the summary alone


def _sheet_names(upload: Upload) -> list[str]:
    """Every sheet of a workbook (the dry run has read it, so it opens)."""
    if upload.kind != "xlsx":
        return []
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(upload.data), read_only=True)
    try:
        return list(book.sheetnames)
    finally:
        book.close()
