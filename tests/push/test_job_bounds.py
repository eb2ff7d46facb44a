"""Background push jobs and their key (issue 24, finding 3), on SQLite and PostgreSQL: a revoked
key's queued job used to start and write a batch under its name, and one key could queue any
number of jobs. Now revoking fails its queued jobs, the key is checked again when a job starts and
in the push's transaction before it commits, and a key has at most N jobs queued or running."""
from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.engine import Engine
from sqlmodel import Session

from hub.access.keys import Principal, create_key, revoke_key, verify_token
from hub.push.jobs import PushJobs, key_still_valid
from hub.store.models import ApiKey, ImportBatch, Product, PushJob, utcnow
from hub.vocabulary import Role
from hub.push.submission import PushRefused, push_records

WAIT_S = 60.0


def rec(name: str) -> dict[str, Any]:
    return {"product_name": name, "producer_name": "HTX Nông nghiệp Hải Yến", "stars": 3, "group": "Thực phẩm",
            "decision_date": "15/06/2024"}


def key(store: Engine, province: str = "22") -> Principal:
    principal = verify_token(store, create_key(store, role=Role.PROVINCE, name=f"Sở {province}",
                                               province_code=province)[1])
    assert principal is not None
    return principal


def counts(store: Engine) -> tuple[int, int]:
    """(products, batches) in the store."""
    with Session(store) as s:
        return (s.execute(select(func.count()).select_from(Product)).scalar_one(),
                s.execute(select(func.count()).select_from(ImportBatch)).scalar_one())


def job(store: Engine, job_id: str) -> PushJob:
    with Session(store) as s:
        row = s.get(PushJob, job_id)
        assert row is not None
        return row


def settled(store: Engine, job_id: str) -> PushJob:
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        row = job(store, job_id)
        if row.status not in ("queued", "running"):
            return row
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} still {row.status} after {WAIT_S} s")


class Held:
    """A PushJobs whose one worker thread is held busy until released: its jobs stay queued."""

    def __init__(self, store: Engine, **options: Any) -> None:
        self.jobs = PushJobs(store, max_workers=1, **options)
        self.gate = threading.Event()
        self.jobs._pool.submit(self.gate.wait, WAIT_S)  # the pool's one thread waits here

    def release(self) -> None:
        self.gate.set()
        self.jobs.shutdown(wait=True)


def test_revoking_a_key_fails_its_queued_jobs_and_they_never_run(store: Engine) -> None:
    principal = key(store)
    before = counts(store)
    held = Held(store)
    try:
        job_id = held.jobs.submit(principal, province="22", records=[rec("Dầu lạc"), rec("Dầu vừng")])
        assert job(store, job_id).status == "queued"
        assert revoke_key(store, principal.key_id)
        cancelled = job(store, job_id)  # failed at once, by the revocation itself
        assert cancelled.status == "failed" and cancelled.error.startswith("KEY_REVOKED:"), cancelled.error
    finally:
        held.release()
    assert job(store, job_id).error == cancelled.error  # the worker did not start it after all
    assert counts(store) == before  # no product, no batch under the revoked key's name


def test_a_job_whose_key_was_revoked_behind_its_back_does_not_start(store: Engine) -> None:
    """The key revoked without revoke_key (another process, an older version): checked at start."""
    principal = key(store)
    before = counts(store)
    held = Held(store)
    try:
        job_id = held.jobs.submit(principal, province="22", records=[rec("Dầu lạc")])
        with Session(store) as s:
            s.execute(update(ApiKey).where(ApiKey.id == principal.key_id).values(revoked_at=utcnow()))
            s.commit()
    finally:
        held.release()
    row = settled(store, job_id)
    assert row.status == "failed" and row.error.startswith("KEY_REVOKED:"), row.error
    assert counts(store) == before


def test_a_key_revoked_while_its_push_runs_stops_it_before_the_commit(store: Engine) -> None:
    """The check a job runs just before its push commits, with the key revoked after the job started."""
    principal = key(store)
    products_before = counts(store)[0]
    revoke_key(store, principal.key_id)
    with pytest.raises(PushRefused) as refused:
        push_records(store, principal, province="22", records=[rec("Dầu lạc")], key_check=key_still_valid(principal))
    assert refused.value.code == "KEY_REVOKED" and "revoked while its job ran" in refused.value.message
    assert counts(store)[0] == products_before
    with Session(store) as s:  # the attempt is in the audit log as a failed batch that applied nothing
        batch = s.execute(select(ImportBatch).order_by(ImportBatch.id.desc())).scalars().first()
        assert batch is not None and batch.status == "failed" and batch.created == 0


def test_a_valid_key_passes_the_check_and_its_job_applies(store: Engine) -> None:
    principal = key(store)
    jobs = PushJobs(store)
    try:
        row = settled(store, jobs.submit(principal, province="22", records=[rec("Dầu lạc")]))
    finally:
        jobs.shutdown()
    assert row.status == "succeeded" and row.summary["created"] == 1, (row.status, row.error)


def test_a_key_may_have_a_bounded_number_of_jobs_queued(store: Engine) -> None:
    quang_ninh, bac_ninh = key(store, "22"), key(store, "24")
    held = Held(store, max_pending_per_key=2)
    try:
        first = [held.jobs.submit(quang_ninh, province="22", records=[rec(f"Dầu {i}")]) for i in range(2)]
        with pytest.raises(PushRefused) as refused:
            held.jobs.submit(quang_ninh, province="22", records=[rec("Dầu thêm")])
        assert refused.value.code == "TOO_MANY_JOBS" and "already has 2 push jobs" in refused.value.message
        other = held.jobs.submit(bac_ninh, province="24", records=[rec("Gạo")])  # another key's own bound
        with Session(store) as s:
            assert s.execute(select(func.count()).select_from(PushJob)).scalar_one() == 3  # the refused one: no row
    finally:
        held.release()
    assert [settled(store, j).status for j in [*first, other]] == ["succeeded"] * 3
    again = PushJobs(store, max_pending_per_key=2)
    try:  # once its jobs are done, the key may queue again
        assert settled(store, again.submit(quang_ninh, province="22", records=[rec("Dầu thêm")])).status == "succeeded"
    finally:
        again.shutdown()
