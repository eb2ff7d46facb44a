"""Large pushes as background jobs: the request returns a job id at once, clients poll it."""
from __future__ import annotations

import logging
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict
from typing import Any

from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session

from hub.auth import Principal
from hub.db import session_scope
from hub.models import PushJob, utcnow
from hub.push import PushRefused, authorize, push_records

log = logging.getLogger(__name__)
MAX_JOB_RECORDS = 500_000


def fail_leftover_jobs(engine: Engine) -> int:
    """Mark jobs that a stopped server left queued or running as failed; return how many.
    Run once per server start: by the server itself, or with several worker processes by the
    parent before it starts them (a worker starting later must not fail its siblings' jobs)."""
    with session_scope(engine) as session:
        result = session.execute(
            update(PushJob).where(PushJob.status.in_(("queued", "running")))
            .values(status="failed", error="the server stopped before this job finished; push again",
                    finished_at=utcnow())
        )
    return max(result.rowcount or 0, 0)


class PushJobs:
    """A small in-process job runner; jobs are rows in ``push_job`` so their status survives
    the process, and any worker process answers a poll. ``fail_leftovers``: mark the jobs a
    stopped server left behind as failed at start (not in one of several workers)."""

    def __init__(self, engine: Engine, max_workers: int = 1, fail_leftovers: bool = True) -> None:
        self.engine = engine
        self._pool = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="push-job")
        if fail_leftovers:
            fail_leftover_jobs(engine)

    def submit(self, principal: Principal | None, *, province: str, records: list[Any], mode: str = "UPSERT",
               dry_run: bool = False, submission_id: str | None = None) -> str:
        """Check the request now (auth, size) and queue the work; returns the job id."""
        code = authorize(self.engine, principal, province)
        assert principal is not None
        if len(records) > MAX_JOB_RECORDS:
            raise PushRefused("TOO_MANY_RECORDS", f"{len(records)} records; a job takes at most {MAX_JOB_RECORDS}")
        job = PushJob(id=str(uuid.uuid4()), key_id=principal.key_id, province_code=code, records=len(records))
        with session_scope(self.engine) as session:
            session.add(job)
        self._pool.submit(self._run, job.id, principal, dict(
            province=province, records=records, mode=mode, dry_run=dry_run, submission_id=submission_id))
        return job.id

    def _run(self, job_id: str, principal: Principal, kwargs: dict[str, Any]) -> None:
        self._set(job_id, status="running")
        try:
            summary = push_records(self.engine, principal, max_records=None, **kwargs)
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
