"""What a re-harvest may skip: a registry file identical to the last one applied is not read
again, and a row sent before exactly so is not normalized again. Neither may change what the
store ends up holding."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

import hub.ingest.prepare as prepare
import hub.ingest.run as ingest_run
from hub.audit.history import revert_batch
from hub.access.keys import Principal
from hub.sources.harvest import harvest_source
from hub.store.models import ImportBatch, Product, RejectedRecord, SourceRecord
from hub.vocabulary import Role
from hub.registries import SourceSpec

from .test_ingest import QUANG_NINH, harvest, row

HEADER = "STT,Tên sản phẩm,Chủ thể,Hạng sao,Nhóm sản phẩm,Ngày quyết định\n"
ROWS = [
    "1,Dầu lạc,HTX Nông nghiệp Hải Yến,4 sao,Thực phẩm,15/06/2024\n",
    "2,Dầu vừng,HTX Nông nghiệp Hải Yến,3 sao,Thực phẩm,15/06/2024\n",
    "3,Chè vằng,HTX dược liệu xanh Đông Chiều,4 sao,Dược liệu,15/06/2024\n",
    "4,,HTX thiếu tên sản phẩm,3 sao,Thực phẩm,15/06/2024\n",  # rejected: MISSING_FIELD
]
MINISTRY = Principal(key_id=0, name="test ministry", role=Role.MINISTRY, province_code=None)


@pytest.fixture
def normalized(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Row numbers the ingest normalizes (the real canonicalize, counted)."""
    calls: list[int] = []
    real = prepare.canonicalize

    def counted(row, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(row.row_number)
        return real(row, *args, **kwargs)

    monkeypatch.setattr(prepare, "canonicalize", counted)
    return calls


def registry(tmp_path: Path, rows: list[str], name: str = "qn.csv") -> SourceSpec:
    path = tmp_path / name
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    return SourceSpec(name="quang-ninh", province="Quảng Ninh", kind="csv", location=str(path))


def products(engine) -> dict[str, tuple[int, str]]:
    with Session(engine) as s:
        return {p.name: (p.stars, p.status) for p in s.execute(select(Product)).scalars()}


def test_identical_file_is_not_read_again(store, tmp_path, normalized) -> None:
    spec = registry(tmp_path, ROWS)
    first = harvest_source(store, spec)
    assert (first.rows_read, first.created, first.rejected) == (4, 3, 1)
    assert len(normalized) == 4
    again = harvest_source(store, spec)
    assert len(normalized) == 4  # nothing normalized the second time
    assert again.same_as_batch == first.batch_id
    assert (again.status, again.rows_read, again.created, again.updated, again.unchanged, again.withdrawn,
            again.rejected) == ("succeeded", 4, 0, 0, 3, 0, 1)
    assert [r.row_number for r in again.rejections] == [r.row_number for r in first.rejections]
    assert again.rejections[0].errors == first.rejections[0].errors
    with Session(store) as s:
        # the rejection is the new batch's too (rejectedRecords shows a source's latest batch)
        copied = s.execute(select(RejectedRecord).where(RejectedRecord.batch_id == again.batch_id)).scalar_one()
        assert copied.row_number == 5 and copied.errors[0]["code"] == "MISSING_FIELD"
        assert copied.raw["Chủ thể"] == "HTX thiếu tên sản phẩm"
        assert set(s.execute(select(SourceRecord.last_batch_id).where(SourceRecord.present)).scalars()) \
            == {again.batch_id}
    assert products(store) == {"Dầu lạc": (4, "active"), "Dầu vừng": (3, "active"), "Chè vằng": (4, "active")}


def test_changed_file_normalizes_only_the_rows_that_changed(store, tmp_path, normalized) -> None:
    harvest_source(store, registry(tmp_path, ROWS))
    normalized.clear()
    changed = [ROWS[0], ROWS[1].replace("3 sao", "4 sao"), ROWS[3]]  # Chè vằng left the registry
    summary = harvest_source(store, registry(tmp_path, changed))
    assert summary.same_as_batch is None
    assert normalized == [3, 4]  # the changed row and the rejected one; Dầu lạc was skipped
    assert (summary.created, summary.updated, summary.unchanged, summary.withdrawn, summary.rejected) \
        == (0, 1, 1, 1, 1)
    assert products(store) == {"Dầu lạc": (4, "active"), "Dầu vừng": (4, "active"), "Chè vằng": (4, "withdrawn")}


def test_a_file_is_read_again_after_its_batch_was_reverted(store, tmp_path, normalized) -> None:
    harvest_source(store, registry(tmp_path, ROWS))
    second = harvest_source(store, registry(tmp_path, [ROWS[0], ROWS[1].replace("3 sao", "5 sao"), ROWS[2]]))
    assert products(store)["Dầu vừng"] == (5, "active")
    revert_batch(store, MINISTRY, second.batch_id)
    assert products(store)["Dầu vừng"] == (3, "active")
    normalized.clear()
    # The reverted file again: neither the file nor the reverted row may be skipped.
    third = harvest_source(store, registry(tmp_path, [ROWS[0], ROWS[1].replace("3 sao", "5 sao"), ROWS[2]]))
    assert third.same_as_batch is None
    assert 3 in normalized and third.updated == 1
    assert products(store)["Dầu vừng"] == (5, "active")


def test_a_future_date_is_judged_again_on_a_later_day(store, tmp_path) -> None:
    rows = [ROWS[0], "2,Dầu vừng,HTX Nông nghiệp Hải Yến,3 sao,Thực phẩm,01/12/2026\n"]
    spec = registry(tmp_path, rows)
    path = Path(spec.location)

    def harvest_on(day: date):  # noqa: ANN202
        from hub.registries.read import RegistrySnapshot
        snapshot = RegistrySnapshot(spec)
        return ingest_run.ingest_rows(store, source_name=spec.name, source_kind="csv", province=spec.province,
                                      location=str(path), rows=snapshot, fingerprint=snapshot.fingerprint,
                                      today=day)

    early = harvest_on(date(2026, 11, 23))  # stored without its date, which is not taken yet
    assert early.created == 2 and early.warning_counts == {"FUTURE_DATE": 1}
    still_early = harvest_on(date(2026, 11, 30))  # the date is still ahead: the file need not be read
    assert still_early.same_as_batch == early.batch_id and still_early.warning_counts == {"FUTURE_DATE": 1}
    later = harvest_on(date(2026, 12, 2))  # same bytes, but the date has come
    assert later.same_as_batch is None and later.updated == 1 and later.warning_counts == {}
    with Session(store) as s:
        assert s.execute(select(Product.decision_date).where(Product.name == "Dầu vừng")).scalar_one() \
            == date(2026, 12, 1)


def test_dry_run_of_an_identical_file_writes_nothing(store, tmp_path) -> None:
    spec = registry(tmp_path, ROWS)
    first = harvest_source(store, spec)
    dry = harvest_source(store, spec, dry_run=True)
    assert dry.same_as_batch == first.batch_id and dry.unchanged == 3 and dry.status == "dry_run"
    with Session(store) as s:
        assert s.scalar(select(func.count()).select_from(ImportBatch)) == 1
        assert set(s.execute(select(SourceRecord.last_batch_id)).scalars()) == {first.batch_id}


def test_row_sent_again_is_not_normalized_but_a_duplicate_of_it_is_refused(store, normalized) -> None:
    harvest(store, QUANG_NINH)
    normalized.clear()
    twice = QUANG_NINH + [row(9, "Dầu lạc", "HTX Nông nghiệp Hải Yến", "4 sao")]
    summary = harvest(store, twice)
    assert normalized == [9]
    assert (summary.unchanged, summary.rejected) == (4, 1)
    assert summary.rejections[0].errors[0]["code"] == "DUPLICATE_RECORD"
    assert "row 3" in summary.rejections[0].errors[0]["message"]


def test_same_cells_read_for_another_province_are_normalized_again(store, normalized) -> None:
    """The province a source is read in takes part in normalizing (rows that name none)."""
    harvest(store, QUANG_NINH, name="qn-legacy", province="Quảng Ninh")
    normalized.clear()
    harvest(store, QUANG_NINH, name="qn-legacy", province="tỉnh Quảng Ninh")
    assert len(normalized) == len(QUANG_NINH)


def test_a_new_normalizer_version_reapplies_rows_without_reporting_changes(store, normalized, monkeypatch) -> None:
    """CANONICAL_VERSION changes every hash: every row is normalized again, but products whose
    values did not change are neither 'updated' nor touched (updatedSince stays quiet)."""
    import hub.ingest.canonical as canonical

    harvest(store, QUANG_NINH)
    with Session(store) as s:
        before = {p.id: (p.updated_at, p.content_hash) for p in s.execute(select(Product)).scalars()}
    normalized.clear()
    monkeypatch.setattr(canonical, "CANONICAL_VERSION", canonical.CANONICAL_VERSION + 1)
    summary = harvest(store, QUANG_NINH)
    assert len(normalized) == len(QUANG_NINH)
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, len(QUANG_NINH))
    with Session(store) as s:
        after = {p.id: (p.updated_at, p.content_hash) for p in s.execute(select(Product)).scalars()}
    assert {k: v[0] for k, v in after.items()} == {k: v[0] for k, v in before.items()}
    assert all(after[k][1] != before[k][1] for k in before)  # hashes in the new version's form
    normalized.clear()
    assert harvest(store, QUANG_NINH).unchanged == len(QUANG_NINH) and normalized == []


def json_page(tmp_path: Path, name: str, records: list[dict], next_page: str | None) -> None:
    import json

    (tmp_path / name).write_text(json.dumps({"items": records, "next": next_page}, ensure_ascii=False),
                                 encoding="utf-8")


def test_a_json_api_whose_pages_are_all_unchanged_is_not_read_again(store, tmp_path, normalized) -> None:
    """Every page is fetched, and the pages as a whole are the fingerprint: one changed page
    (here the last) makes the registry read again."""
    first = [{"Tên sản phẩm": "Dầu lạc", "Chủ thể": "HTX Nông nghiệp Hải Yến", "Hạng sao": "4 sao",
              "Nhóm sản phẩm": "Thực phẩm", "Năm công nhận": "2024"}]
    second = [{"Tên sản phẩm": "Chè vằng", "Chủ thể": "HTX dược liệu xanh Đông Chiều", "Hạng sao": "3 sao",
               "Nhóm sản phẩm": "Dược liệu", "Năm công nhận": "2024"}]
    json_page(tmp_path, "page1.json", first, "page2.json")
    json_page(tmp_path, "page2.json", second, None)
    spec = SourceSpec(name="qn-api", province="Quảng Ninh", kind="json_api", location=str(tmp_path / "page1.json"))
    applied = harvest_source(store, spec)
    assert (applied.status, applied.created, len(normalized)) == ("succeeded", 2, 2)
    again = harvest_source(store, spec)
    assert again.same_as_batch == applied.batch_id and (again.rows_read, again.unchanged) == (2, 2)
    assert len(normalized) == 2
    json_page(tmp_path, "page2.json", [dict(second[0], **{"Hạng sao": "4 sao"})], None)
    changed = harvest_source(store, spec)
    assert changed.same_as_batch is None and (changed.updated, changed.unchanged) == (1, 1)
    assert normalized == [1, 2, 2]  # the first page's record was sent before exactly so: skipped
    assert products(store)["Chè vằng"] == (4, "active")
