"""The counts kept at ingest (hub/store/aggregates.py) agree with the products after every
kind of write, and across a day change, on SQLite and PostgreSQL; the data version moves with
every committed write and with nothing else."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select, text
from sqlmodel import Session

from hub.api.stats_check import check_counts
from hub.audit.history import revert_batch
from hub.access.keys import create_key, verify_token
from hub.store.data_version import read_version
from hub.ingest import ingest_rows
from hub.store.models import StatsCount, StatsDirty
from hub.vocabulary import Role
from hub.push.submission import push_records
from hub.records import RawRow
from hub.sources.catalog import remove_source
from hub.store.schema import downgrade, upgrade


def row(n: int, name: str, stars: str = "4 sao", producer: str = "HTX Hải Yến", **values: str) -> RawRow:
    base = {"product_name": name, "producer_name": producer, "stars": stars, "group": "Thực phẩm",
            "decision_date": "12/12/2023", "year": "2023"}
    return RawRow(row_number=n, values={**base, **values})


ROWS = [row(2, "Dầu lạc"), row(3, "Chả mực", "3 sao", "Công ty TNHH Hạ Long"),
        row(4, "Rượu ba kích", "5 sao", decision_date="", year="2019"), row(5, "Nước mắm", "3 sao", decision_date="")]


def assert_consistent(engine) -> None:
    result = check_counts(engine)
    assert result.compared == 203
    assert result.mismatches == []
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(StatsDirty)) == 0
        assert session.scalar(select(func.count()).select_from(StatsCount)) > 0


def test_counts_follow_harvest_push_revert_withdrawal_and_removal(store) -> None:
    v0 = read_version(store)
    first = ingest_rows(store, source_name="qn", source_kind="csv", province="Quảng Ninh", rows=ROWS)
    assert first.created == 4
    assert_consistent(store)
    v1 = read_version(store)
    assert v1 > v0

    check_counts(store)  # reading changes nothing
    assert read_version(store) == v1

    # a second source names the same producer as a cooperative group: its type changes in every province
    ingest_rows(store, source_name="tn", source_kind="csv", province="Thái Nguyên",
                rows=[row(2, "Chè Tân Cương", producer="HTX Hải Yến", producer_type="Tổ hợp tác")])
    assert_consistent(store)

    _, token = create_key(store, role=Role.PROVINCE, name="Sở NN Quảng Ninh", province_code="22")
    pushed = push_records(store, verify_token(store, token), province="22",
                          records=[{"product_name": "Ngọc trai Hạ Long", "producer_name": "Công ty CP Ngọc trai",
                                    "stars": 5, "group": "Thủ công mỹ nghệ", "year": 2024}])
    assert pushed.created == 1
    assert_consistent(store)

    withdrawal = ingest_rows(store, source_name="qn", source_kind="csv", province="Quảng Ninh", rows=ROWS[:2])
    assert withdrawal.withdrawn == 2
    assert_consistent(store)

    ministry = verify_token(store, create_key(store, role=Role.MINISTRY, name="Văn phòng OCOP")[1])
    revert_batch(store, ministry, withdrawal.batch_id)
    assert_consistent(store)

    remove_source(store, "tn", withdraw_products=True, actor="test")
    assert_consistent(store)
    assert read_version(store) > v1


@pytest.mark.parametrize("day", ["2026-11-30", "2026-12-11", "2026-12-12", "2026-12-31", "2027-01-01", "2030-05-01"])
def test_counts_derive_statuses_for_the_day_asked_without_a_batch(store, monkeypatch, day) -> None:
    """A certificate decided on 12/12/2023 expires on 12/12/2026: ACTIVE on the 11th, EXPIRED on
    the 13th, with no batch in between; a year-only 2023 certificate expires after 31/12/2026."""
    ingest_rows(store, source_name="qn", source_kind="csv", province="Quảng Ninh", rows=ROWS,
                today=date(2026, 11, 1))
    version = read_version(store)
    monkeypatch.setenv("HUB_TODAY", day)
    assert_consistent(store)
    assert read_version(store) == version

    from hub.api.enums import StatsDimension
    from hub.api.stats import stats_rows
    with Session(store) as session:
        statuses = {r[0]: r[1] for r in stats_rows(session, [StatsDimension.STATUS], None)}
    on = date.fromisoformat(day)
    expired = (on > date(2026, 12, 12)) * 2 + (on.year >= 2027) * 1 + 1  # 2019 year-only expired since 2023
    assert statuses.get("expired", 0) == expired
    assert statuses.get("active", 0) == 4 - expired


def test_a_writer_that_skips_the_recount_is_answered_from_the_products(store) -> None:
    """Rows left in stats_dirty (a writer outside the hub's sessions) make stats group the
    products, and `db check` names them until --repair recounts."""
    ingest_rows(store, source_name="qn", source_kind="csv", province="Quảng Ninh", rows=ROWS)
    with store.connect() as conn:  # a raw connection: no Session, so no recount before commit
        conn.execute(text("UPDATE product SET stars = 3 WHERE stars = 5"))
        conn.commit()
    result = check_counts(store)
    assert result.mismatches and result.mismatches[0].startswith("provinces changed but not recounted: 22")
    assert len(result.mismatches) == 1  # every answer still right: read from the products

    from hub.store.engine import session_scope
    from hub.store.aggregates import recount_all, recount_marked
    with session_scope(store) as session:
        recount_all(session)
        recount_marked(session)
    assert_consistent(store)


def test_0005_goes_down_and_up_again_on_a_filled_store(store) -> None:
    ingest_rows(store, source_name="qn", source_kind="csv", province="Quảng Ninh", rows=ROWS)
    downgrade(store, "0004")
    with store.begin() as conn:  # a write while 0005's triggers are gone (today's ingest needs 0007's table)
        conn.execute(text("UPDATE product SET stars = 5, status = 'withdrawn' WHERE id = (SELECT min(id) FROM product)"))
    upgrade(store)
    assert_consistent(store)
