"""Large pushes as background jobs: the request returns a job id at once, clients poll it.

A job belongs to the key that submitted it, and the key is checked three times: when the job is
queued (the request's authentication), when it starts, and in the push's transaction just before
it commits (the key's row locked, so a revocation waits for that commit or stops it). Revoking a
key fails its queued jobs at once (hub.access.keys.revoke_key). One key may have at most
``HUB_MAX_QUEUED_JOBS_PER_KEY`` jobs queued or running.
"""
from __future__ import annotations

import logging
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict
from typing import Any, Callable

from sqlalchemy import func, select, update
from sqlalchemy.engine import Engine
from sqlmodel import Session

from hub.access.keys import REVOKED_JOB_ERROR, Principal
from hub.store.engine import session_scope, writer
from hub.ingest import ImportSummary
from hub.store.models import ApiKey, PushJob, utcnow
from hub.push.submission import (KeyCheck, PushRefused, ReadFile, authorize, check_options, check_upload, push_read_file,
                      push_records, read_pushed_file)
from hub.settings import load_settings
from hub.records import PRODUCTS

log = logging.getLogger(__name__)
MAX_JOB_RECORDS = 500_000
PENDING = ("queued", "running")
Work = Callable[[KeyCheck], ImportSummary]


def fail_leftover_jobs(engine: Engine) -> int:
    """Mark jobs that a stopped server left queued or running as failed; return how many.
    Run once per server start: by the server itself, or with several worker processes by the
    parent before it starts them (a worker starting later must not fail its siblings' jobs)."""
    with session_scope(engine) as session:
        result = session.execute(
            update(PushJob).where(PushJob.status.in_(PENDING))
            .values(status="failed", error="the server stopped before this job finished; push again",
                    finished_at=utcnow())
        )
    return max(result.rowcount or 0, 0)


def _active_key(session: Session, key_id: int) -> ApiKey | None:
    """The key's row, locked until the transaction ends (PostgreSQL; SQLite's writer transaction
    holds the whole store's write lock already); None when it is revoked."""
    key = session.execute(select(ApiKey).where(ApiKey.id == key_id).with_for_update()).scalar_one_or_none()
    return key if key is not None and key.revoked_at is None else None


def key_still_valid(principal: Principal) -> KeyCheck:
    """The check a job's push runs just before it commits."""
    def check(session: Session) -> None:
        if _active_key(session, principal.key_id) is None:
            raise PushRefused("KEY_REVOKED", f"key '{principal.name}' was revoked while its job ran; "
                                             "nothing was applied")
    return check


def _check_size(records: int) -> None:
    if records > MAX_JOB_RECORDS:
        raise PushRefused("TOO_MANY_RECORDS", f"{records} records; a job takes at most {MAX_JOB_RECORDS}")


class PushJobs:
    """A small in-process job runner; jobs are rows in ``push_job`` so their status survives
    the process, and any worker process answers a poll. ``fail_leftovers``: mark the jobs a
    stopped server left behind as failed at start (not in one of several workers).
    ``max_pending_per_key``: jobs one key may have queued or running (default: the setting)."""

    def __init__(self, engine: Engine, max_workers: int = 1, fail_leftovers: bool = True,
                 max_pending_per_key: int | None = None) -> None:
        self.engine = engine
        self.max_pending_per_key = max_pending_per_key or load_settings().max_queued_jobs_per_key
        self._pool = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="push-job")
        if fail_leftovers:
            fail_leftover_jobs(engine)

    def submit(self, principal: Principal | None, *, province: str, records: list[Any], mode: str = "UPSERT",
               dry_run: bool = False, submission_id: str | None = None, list_kind: str = PRODUCTS) -> str:
        """Check the request now (auth, size, options) and queue the work; returns the job id."""
        code = authorize(self.engine, principal, province)
        assert principal is not None
        check_options(mode, submission_id, list_kind)

        def work(key_check: KeyCheck) -> ImportSummary:
            return push_records(self.engine, principal, province=province, records=records, mode=mode,
                                dry_run=dry_run, submission_id=submission_id, max_records=None,
                                list_kind=list_kind, key_check=key_check)

        return self._queue(principal, code, len(records), work)

    def submit_file(self, principal: Principal, read: ReadFile, *, mode: str = "UPSERT", dry_run: bool = False,
                    submission_id: str | None = None) -> str:
        """Queue a pushed file already read (hub.push.submission.read_pushed_file: its key and province checked)."""
        check_options(mode, submission_id, read.list_kind)

        def work(key_check: KeyCheck) -> ImportSummary:
            return push_read_file(self.engine, principal, read, mode=mode, dry_run=dry_run,
                                  submission_id=submission_id, key_check=key_check)

        return self._queue(principal, read.province_code, len(read.rows), work)

    def submit_upload(self, principal: Principal | None, *, province: str, filename: str, data: bytes,
                      mode: str = "UPSERT", dry_run: bool = False, submission_id: str | None = None,
                      encoding: str = "auto", list_kind: str = PRODUCTS,
                      sheet: str | tuple[str, ...] | None = None) -> str:
        """Queue a pushed file to be read and applied by the job (a large file: not read in the
        request). What can be checked without reading it is checked now; the job's ``records``
        is set once it has read the file, and a file it cannot read fails it with BAD_FILE."""
        code, _ = check_upload(self.engine, principal, province=province, filename=filename, size=len(data))
        assert principal is not None
        check_options(mode, submission_id, list_kind)
        job_id = str(uuid.uuid4())

        def work(key_check: KeyCheck) -> ImportSummary:
            read = read_pushed_file(self.engine, principal, province=province, filename=filename, data=data,
                                    mode=mode, encoding=encoding, list_kind=list_kind, sheet=sheet)
            _check_size(len(read.rows))
            self._set(job_id, records=len(read.rows))
            return push_read_file(self.engine, principal, read, mode=mode, dry_run=dry_run,
                                  submission_id=submission_id, key_check=key_check)

        return self._queue(principal, code, 0, work, job_id)

    def _queue(self, principal: Principal, province_code: str, records: int, work: Work,
               job_id: str | None = None) -> str:
        _check_size(records)
        job = PushJob(id=job_id or str(uuid.uuid4()), key_id=principal.key_id, province_code=province_code,
                      records=records)
        with session_scope(writer(self.engine)) as session:
            _active_key(session, principal.key_id)  # locked: two submissions of one key count one after the other
            pending = session.execute(select(func.count()).select_from(PushJob).where(
                PushJob.key_id == principal.key_id, PushJob.status.in_(PENDING))).scalar_one()
            if pending >= self.max_pending_per_key:
                raise PushRefused("TOO_MANY_JOBS", (
                    f"key '{principal.name}' already has {pending} push jobs queued or running; the limit is "
                    f"{self.max_pending_per_key}: wait for one to finish (pushJob(id)) and submit again"))
            session.add(job)
        self._pool.submit(self._run, job.id, principal, work)
        return job.id

    def _start(self, job_id: str, principal: Principal) -> bool:
        """Mark the job running, unless it was cancelled or its key revoked meanwhile."""
        with session_scope(writer(self.engine)) as session:
            job = session.get(PushJob, job_id, with_for_update=True)
            if job is None or job.status != "queued":
                return False
            if _active_key(session, principal.key_id) is None:
                job.status, job.error, job.finished_at = "failed", REVOKED_JOB_ERROR, utcnow()
                return False
            job.status = "running"
            return True

    def _run(self, job_id: str, principal: Principal, work: Work) -> None:
        if not self._start(job_id, principal):
            return
        try:
            summary = work(key_still_valid(principal))
            self._set(job_id, status="failed" if summary.failed else "succeeded", summary=asdict(summary),
                      error=summary.error, finished_at=utcnow())
        except PushRefused as exc:
            self._set(job_id, status="failed", error=f"{exc.code}: {exc.message}", finished_at=utcnow())
        except Exception as exc:  # the job must end with a status whatever happens
            log.exception("push job %s failed", job_id)
            self._set(job_id, status="failed", error=f"internal error ({exc.__class__.__name__})",
                      finished_at=utcnow())

    def _set(self, job_id: str, **values: Any) -> None:
        with session_scope(self.engine) as session:
            session.execute(update(PushJob).where(PushJob.id == job_id).values(**values))

    def get(self, job_id: str) -> PushJob | None:
        with Session(self.engine) as session:
            return session.get(PushJob, job_id)

    def shutdown(self, wait: bool = True) -> None:
        self._pool.shutdown(wait=wait)
