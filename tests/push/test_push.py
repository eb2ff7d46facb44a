"""Pushing, precedence, idempotency, audit and revert at the domain level (SQLite and PostgreSQL).
The HTTP side (tokens, GraphQL, uploads) is tested in tests/api."""
from __future__ import annotations

import time

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from hub.audit.history import product_history, revert_batch
from hub.access.keys import create_key, revoke_key, verify_token
from hub.ingest import ingest_rows
from hub.push.jobs import PushJobs
from hub.store.models import Product
from hub.vocabulary import Role
from hub.push.submission import PushRefused, push_records
from hub.records import RawRow


def rec(name: str, producer: str = "HTX Nông nghiệp Hải Yến", stars: object = 3, **extra: object) -> dict:
    return {"product_name": name, "producer_name": producer, "stars": stars, "group": "Thực phẩm",
            "decision_date": "15/06/2024", **extra}


@pytest.fixture
def keys(store):
    quang_ninh = verify_token(store, create_key(store, role=Role.PROVINCE, name="Sở NN Quảng Ninh", province_code="22")[1])
    bac_ninh = verify_token(store, create_key(store, role=Role.PROVINCE, name="Sở NN Bắc Ninh", province_code="24")[1])
    ministry = verify_token(store, create_key(store, role=Role.MINISTRY, name="Văn phòng OCOP")[1])
    return {"22": quang_ninh, "24": bac_ninh, "ministry": ministry}


def products(engine) -> dict[str, tuple[int, str]]:
    with Session(engine) as s:
        return {p.name: (p.stars, p.status) for p in s.execute(select(Product)).scalars()}


def test_keys_are_verified_by_hash_and_revocable(store) -> None:
    key, token = create_key(store, role=Role.PROVINCE, name="Sở NN Quảng Ninh", province_code="22")
    assert token not in key.token_hash and verify_token(store, token).province_code == "22"
    assert verify_token(store, token + "x") is None and verify_token(store, "not-a-token") is None
    assert revoke_key(store, key.id) and verify_token(store, token) is None
    assert not revoke_key(store, key.id)


def test_push_creates_then_repush_changes_nothing(store, keys) -> None:
    first = push_records(store, keys["22"], province="Quảng Ninh", records=[rec("Dầu lạc"), rec("Dầu vừng", stars="4 sao")])
    assert (first.status, first.created, first.rejected) == ("succeeded", 2, 0)
    again = push_records(store, keys["22"], province="22", records=[rec("Dầu lạc"), rec("Dầu vừng", stars="4 sao")])
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_other_province_and_anonymous_are_refused_and_change_nothing(store, keys) -> None:
    with pytest.raises(PushRefused) as refused:
        push_records(store, keys["24"], province="Quảng Ninh", records=[rec("Dầu lạc")])
    assert refused.value.code == "NOT_YOUR_PROVINCE" and "Quảng Ninh" in refused.value.message
    with pytest.raises(PushRefused) as anonymous:
        push_records(store, None, province="Quảng Ninh", records=[rec("Dầu lạc")])
    assert anonymous.value.code == "FORBIDDEN"
    assert products(store) == {}
    ministry = push_records(store, keys["ministry"], province="Quảng Ninh", records=[rec("Dầu lạc")])
    assert ministry.created == 1


def test_record_problems_carry_index_field_and_code(store, keys) -> None:
    summary = push_records(store, keys["22"], province="22", records=[
        rec("Dầu lạc"), rec("Mực khô", stars=7), {"product_name": "Chả mực", "colour": "đỏ"},
        rec("Nước mắm", province="Bắc Ninh"), "not an object",
    ])
    assert summary.created == 1 and summary.rejected == 4
    codes = {r.row_number: {(e["code"], e["field"]) for e in r.errors} for r in summary.rejections}
    assert codes[1] == {("BAD_STARS", "stars")}  # once: the schema's bound is the ingest's check
    assert ("UNKNOWN_FIELD", "colour") in codes[2] and ("MISSING_FIELD", "stars") in codes[2]
    assert codes[3] == {("NOT_YOUR_PROVINCE", "province")}
    assert ("SCHEMA_VIOLATION", "") in codes[4]


def test_submission_id_makes_retries_safe(store, keys) -> None:
    records = [rec("Dầu lạc"), rec("Dầu vừng")]
    first = push_records(store, keys["22"], province="22", records=records, submission_id="qn-2026-11-23-1")
    retry = push_records(store, keys["22"], province="22", records=records, submission_id="qn-2026-11-23-1")
    assert (first.created, first.replayed) == (2, False)
    assert (retry.created, retry.batch_id, retry.replayed) == (2, first.batch_id, True)
    with Session(store) as s:
        assert s.execute(select(func.count()).select_from(Product)).scalar_one() == 2
    with pytest.raises(PushRefused) as reused:
        push_records(store, keys["22"], province="22", records=[rec("Khác")], submission_id="qn-2026-11-23-1")
    assert reused.value.code == "SUBMISSION_ID_REUSED"


def test_dry_run_and_replace_all(store, keys) -> None:
    dry = push_records(store, keys["22"], province="22", records=[rec("Dầu lạc")], dry_run=True)
    assert (dry.status, dry.created) == ("dry_run", 1) and products(store) == {}
    push_records(store, keys["22"], province="22", records=[rec("Dầu lạc"), rec("Dầu vừng")])
    upsert = push_records(store, keys["22"], province="22", records=[rec("Dầu lạc")])
    assert upsert.withdrawn == 0
    replace = push_records(store, keys["22"], province="22", records=[rec("Dầu lạc")], mode="REPLACE_ALL")
    assert replace.withdrawn == 1 and products(store)["Dầu vừng"][1] == "withdrawn"


def harvest(engine, rows: list[dict]) -> None:
    summary = ingest_rows(engine, source_name="quang-ninh", source_kind="csv", province="Quảng Ninh",
                          rows=[RawRow(i + 2, {k: str(v) for k, v in r.items()}) for i, r in enumerate(rows)])
    assert summary.status == "succeeded", summary


def test_pushing_what_the_harvest_has_creates_nothing_and_push_wins_disagreements(store, keys) -> None:
    harvest(store, [rec("Dầu lạc", stars=3)])
    same = push_records(store, keys["22"], province="22", records=[rec("Dầu lạc", producer="Htx  nông nghiệp Hải Yến", stars="3 sao")])
    assert (same.created, same.updated, same.unchanged) == (0, 0, 1)
    better = push_records(store, keys["22"], province="22", records=[rec("Dầu lạc", stars=4)])
    assert better.updated == 1 and products(store)["Dầu lạc"] == (4, "active")
    harvest(store, [rec("Dầu lạc", stars=5)])  # the harvest disagrees: the push keeps precedence
    assert products(store)["Dầu lạc"] == (4, "active")


def test_revert_restores_the_state_before_a_batch(store, keys) -> None:
    push_records(store, keys["22"], province="22", records=[rec("Dầu lạc", stars=3)])
    second = push_records(store, keys["22"], province="22", records=[rec("Dầu lạc", stars=4), rec("Dầu vừng")])
    assert products(store) == {"Dầu lạc": (4, "active"), "Dầu vừng": (3, "active")}
    with pytest.raises(PushRefused) as other:
        revert_batch(store, keys["24"], second.batch_id)
    assert other.value.code == "NOT_YOUR_PROVINCE"
    result = revert_batch(store, keys["22"], second.batch_id)
    assert result.products_restored == 2
    assert products(store) == {"Dầu lạc": (3, "active"), "Dầu vừng": (3, "withdrawn")}
    with pytest.raises(PushRefused) as twice:
        revert_batch(store, keys["22"], second.batch_id)
    assert twice.value.code == "ALREADY_REVERTED"
    again = push_records(store, keys["22"], province="22", records=[rec("Dầu lạc", stars=4), rec("Dầu vừng")])
    assert again.updated == 2 and products(store) == {"Dầu lạc": (4, "active"), "Dầu vừng": (3, "active")}
    with Session(store) as s:
        oil = s.execute(select(Product.id).where(Product.name == "Dầu lạc")).scalar_one()
        actions = [h.action for h in product_history(s, [oil])[oil]]
    assert actions == ["created", "updated", "restored", "updated"]


def test_revert_refuses_when_a_later_batch_touched_the_same_products(store, keys) -> None:
    first = push_records(store, keys["22"], province="22", records=[rec("Dầu lạc", stars=3)])
    push_records(store, keys["22"], province="22", records=[rec("Dầu lạc", stars=4)])
    with pytest.raises(PushRefused) as conflict:
        revert_batch(store, keys["22"], first.batch_id)
    assert conflict.value.code == "REVERT_CONFLICT"
    assert products(store)["Dầu lạc"] == (4, "active")


def test_background_job_runs_a_large_push(store, keys) -> None:
    jobs = PushJobs(store)
    try:
        records = [rec(f"Chả mực loại {i}") for i in range(6000)]  # above the synchronous limit
        with pytest.raises(PushRefused) as too_many:
            push_records(store, keys["22"], province="22", records=records)
        assert too_many.value.code == "TOO_MANY_RECORDS"
        job_id = jobs.submit(keys["22"], province="22", records=records)
        deadline = time.monotonic() + 120
        while jobs.get(job_id).status in ("queued", "running") and time.monotonic() < deadline:
            time.sleep(0.2)
        job = jobs.get(job_id)
        assert job.status == "succeeded", job.error
        assert job.summary["created"] == 6000
    finally:
        jobs.shutdown()
