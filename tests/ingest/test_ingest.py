"""The one ingest path: create / update / unchanged / withdrawn, rejections, provenance,
all-or-nothing snapshots and dry runs, on a real SQLite file and on PostgreSQL."""
from __future__ import annotations

from datetime import date
from typing import Iterator

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from hub.ingest import ingest_rows
from hub.store.models import ImportBatch, Product, Producer, RejectedRecord, SourceRecord
from hub.records import RawRow

TODAY = date(2026, 11, 23)


def row(n: int, product: str, producer: str, stars: str = "3 sao", group: str = "Thực phẩm", **extra: str) -> RawRow:
    values = {"product_name": product, "producer_name": producer, "stars": stars, "group": group,
              "decision_date": "15/06/2024", **extra}
    return RawRow(row_number=n, values=values, raw={f"col{i}": v for i, v in enumerate(values.values())})


QUANG_NINH = [
    row(3, "Dầu lạc", "HTX Nông nghiệp Hải Yến", "4 sao"),
    row(4, "Dầu vừng", "HTX Nông nghiệp Hải Yến", "3 sao"),
    row(5, "Ngọc trai Akoya - ngọc trai Hạ Long", "Công ty Cổ phần Ngọc trai Hạ Long", "5 sao",
        "Thủ công mỹ nghệ"),
    row(6, "Chè vằng", "HTX dược liệu xanh Đông Chiều", "4 sao", "Dược liệu"),
]


def harvest(engine, rows, name: str = "quang-ninh", province: str = "Quảng Ninh", **kw):
    return ingest_rows(engine, source_name=name, source_kind="csv", province=province,
                       rows=list(rows), today=TODAY, **kw)


def count(engine, model, *where) -> int:
    with Session(engine) as s:
        return s.execute(select(func.count()).select_from(model).where(*where)).scalar_one()


def test_first_harvest_creates_products_and_producers(store) -> None:
    summary = harvest(store, QUANG_NINH)
    assert (summary.status, summary.rows_read, summary.created, summary.rejected) == ("succeeded", 4, 4, 0)
    assert count(store, Product) == 4
    assert count(store, Producer) == 3
    with Session(store) as s:
        pearl = s.execute(select(Product).where(Product.stars == 5)).scalar_one()
        assert pearl.province_code == "22"
        assert pearl.group_code == "HANDICRAFT" and pearl.group_text == "Thủ công mỹ nghệ"
        assert pearl.expiry_date == date(2027, 6, 15)  # 36 months after 15/06/2024
        assert pearl.status == "active"


def test_reharvest_of_unchanged_data_changes_nothing(store) -> None:
    harvest(store, QUANG_NINH)
    with Session(store) as s:
        before = {p.id: p.updated_at for p in s.execute(select(Product)).scalars()}
    again = harvest(store, QUANG_NINH)
    assert (again.created, again.updated, again.unchanged, again.withdrawn) == (0, 0, 4, 0)
    with Session(store) as s:
        after = {p.id: p.updated_at for p in s.execute(select(Product)).scalars()}
    assert after == before


def test_changed_row_updates_and_missing_row_is_withdrawn_not_deleted(store) -> None:
    harvest(store, QUANG_NINH)
    changed = [QUANG_NINH[0], row(4, "Dầu vừng", "HTX Nông nghiệp Hải Yến", "4 sao"), QUANG_NINH[2]]
    summary = harvest(store, changed)
    assert (summary.created, summary.updated, summary.unchanged, summary.withdrawn) == (0, 1, 2, 1)
    with Session(store) as s:
        tea = s.execute(select(Product).where(Product.name == "Chè vằng")).scalar_one()
        assert tea.status == "withdrawn" and tea.withdrawn_at is not None
        assert s.execute(select(Product.stars).where(Product.name == "Dầu vừng")).scalar_one() == 4
    back = harvest(store, QUANG_NINH)  # the product returns to the registry
    assert back.updated >= 1
    with Session(store) as s:
        assert s.execute(select(Product.status).where(Product.name == "Chè vằng")).scalar_one() == "active"


def test_bad_rows_are_rejected_with_codes_and_kept_in_full(store) -> None:
    rows = QUANG_NINH + [
        row(7, "", "HTX Hải Yến"),
        row(8, "Mực khô", "HTX Hải Yến", stars="7 sao"),
        row(9, "Mực ống", "HTX Hải Yến", group="xyz"),  # stored: the group is optional (a warning)
        row(10, "Nước mắm", "HTX Hải Yến", province="Tỉnh Không Tồn Tại"),  # stored under the source's province
        row(11, "Dầu lạc", "HTX Nông nghiệp Hải Yến", "4 sao"),  # same product as row 3
    ]
    summary = harvest(store, rows)
    assert (summary.created, summary.rejected) == (6, 3)
    codes = {r.row_number: {e["code"] for e in r.errors} for r in summary.rejections}
    assert codes == {7: {"MISSING_FIELD"}, 8: {"BAD_STARS"}, 11: {"DUPLICATE_RECORD"}}
    warned = {w.row_number: {e["code"] for e in w.warnings} for w in summary.warnings}
    assert warned[9] & {"GROUP_INFERRED", "GROUP_UNKNOWN"} and "UNRESOLVED_UNIT" in warned[10]
    with Session(store) as s:
        kept = s.execute(select(RejectedRecord).order_by(RejectedRecord.row_number)).scalars().all()
        assert s.execute(select(Product.province_code).where(Product.name == "Nước mắm")).scalar_one() == "22"
    assert [k.row_number for k in kept] == [7, 8, 11]
    assert kept[1].raw and all(e["message"] for k in kept for e in k.errors)


def test_row_of_another_province_is_refused(store) -> None:
    summary = harvest(store, [row(2, "Miến dong", "HTX Côn Minh", province="Bắc Kạn")])
    assert summary.rejected == 1
    assert summary.rejections[0].errors[0]["code"] == "WRONG_PROVINCE"  # a harvest; a push says NOT_YOUR_PROVINCE
    assert count(store, Product) == 0


def test_same_product_from_two_sources_is_one_product_with_two_provenances(store) -> None:
    harvest(store, QUANG_NINH)
    rewritten = [row(2, "dau lac", "Htx  nong nghiep HAI YEN", "4 sao")]
    second = harvest(store, rewritten, name="quang-ninh-shop", replace_all=False)
    assert (second.created, second.rejected) == (0, 0)
    assert count(store, Product) == 4
    with Session(store) as s:
        oil = s.execute(select(Product).where(Product.name == "Dầu lạc")).scalar_one()
        provenance = s.execute(select(SourceRecord).where(SourceRecord.product_id == oil.id)).scalars().all()
    assert len(provenance) == 2


def test_legacy_province_is_kept_beside_the_current_one(store) -> None:
    rows = [row(4, "Tinh bột nghệ nếp đỏ", "HTX dịch vụ nông nghiệp Tân Thành", "3*", "Thực phẩm",
                district="huyện Pác Nặm", decision_date="", year="2018")]
    summary = harvest(store, rows, name="bac-kan-2018", province="tỉnh Bắc Kạn")
    assert summary.created == 1, summary.rejections
    with Session(store) as s:
        p = s.execute(select(Product)).scalar_one()
    assert (p.province_code, p.legacy_province, p.certified_year) == ("19", "Bắc Kạn", 2018)
    assert p.status == "expired"  # 2018 + 36 months is long past


def failing_rows() -> Iterator[RawRow]:
    yield QUANG_NINH[0]
    yield QUANG_NINH[1]
    raise ConnectionError("registry connection reset after 2 rows")


def test_failed_snapshot_leaves_previous_data_untouched(store) -> None:
    harvest(store, QUANG_NINH[:2])
    with Session(store) as s:
        before = sorted((p.name, p.stars, p.status) for p in s.execute(select(Product)).scalars())
    summary = ingest_rows(store, source_name="quang-ninh", source_kind="csv", province="Quảng Ninh",
                          rows=failing_rows(), today=TODAY)
    assert summary.status == "failed" and "connection reset" in summary.error
    with Session(store) as s:
        after = sorted((p.name, p.stars, p.status) for p in s.execute(select(Product)).scalars())
        statuses = [b.status for b in s.execute(select(ImportBatch).order_by(ImportBatch.id)).scalars()]
    assert after == before
    assert statuses == ["succeeded", "failed"]


def test_dry_run_reports_and_writes_nothing(store) -> None:
    summary = harvest(store, QUANG_NINH, dry_run=True)
    assert (summary.status, summary.created) == ("dry_run", 4)
    assert count(store, Product) == 0
    assert count(store, ImportBatch) == 0


@pytest.mark.parametrize("province", ["Tỉnh Hà Tây Mới", "Atlantis"])
def test_unknown_source_province_is_a_clear_error(store, province: str) -> None:
    """(No province at all is a list of many provinces: tests/ingest/test_many_provinces.py.)"""
    from hub.ingest import IngestError

    with pytest.raises(IngestError, match="unknown province"):
        harvest(store, QUANG_NINH, province=province)


def test_refresh_statuses_expires_certificates_as_time_passes(store) -> None:
    from hub.store.expiry import refresh_statuses

    harvest(store, QUANG_NINH)  # decisions of 15/06/2024: valid until 15/06/2027
    assert refresh_statuses(store, today=date(2027, 6, 15)) == 0
    assert refresh_statuses(store, today=date(2027, 6, 16)) == 4
    assert count(store, Product, Product.status == "expired") == 4


def test_concurrent_writers_of_one_province_queue_instead_of_failing(store) -> None:
    """Four sources of one province written at once (threads, real connections): every batch
    succeeds and shared producers/products exist exactly once."""
    from concurrent.futures import ThreadPoolExecutor

    def rows_for(k: int) -> list[RawRow]:
        shared = [row(2, "Dầu lạc", "HTX Nông nghiệp Hải Yến", "4 sao")]
        own = [row(3 + i, f"Chả mực {k}-{i}", f"HTX Hạ Long {k}") for i in range(30)]
        return shared + own

    with ThreadPoolExecutor(max_workers=4) as pool:
        summaries = list(pool.map(lambda k: harvest(store, rows_for(k), name=f"qn-{k}"), range(4)))
    assert [s.status for s in summaries] == ["succeeded"] * 4, [s.error for s in summaries]
    assert count(store, Product) == 1 + 4 * 30
    assert count(store, Producer) == 1 + 4
    assert count(store, SourceRecord) == 4 * 31
