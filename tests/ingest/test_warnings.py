"""Only a name, a rating and a province are required: every other field that is missing or
unreadable stores the row with a warning (code, field, message, raw value), never rejects it,
and nothing is invented. On a real SQLite file and on PostgreSQL."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlmodel import Session

from hub.ingest import ingest_rows
from hub.store.models import ImportBatch, Product, SourceRecord
from hub.records import RawRow
from hub.store.expiry import refresh_statuses

TODAY = date(2026, 11, 23)


def raw(n: int, **values: str) -> RawRow:
    return RawRow(row_number=n, values=values, raw={k.upper(): v for k, v in values.items()})


def harvest(engine, rows, name: str = "quang-ninh", province: str = "Quảng Ninh", today: date = TODAY):
    return ingest_rows(engine, source_name=name, source_kind="xlsx", province=province, rows=list(rows),
                       today=today)


def stored(engine, name: str) -> tuple[Product, list[dict]]:
    with Session(engine) as s:
        product = s.execute(select(Product).where(Product.name == name)).scalar_one()
        record = s.execute(select(SourceRecord).where(SourceRecord.product_id == product.id)).scalar_one()
        s.expunge_all()
        return product, record.warnings or []


def codes(warnings: list[dict]) -> set[str]:
    return {w["code"] for w in warnings}


def test_a_row_with_only_name_rating_and_the_sources_province_is_stored(store) -> None:
    summary = harvest(store, [raw(5, product_name="Mật ong rừng Ba Chẽ", stars="4 sao")])
    assert (summary.created, summary.rejected) == (1, 0)
    product, warnings = stored(store, "Mật ong rừng Ba Chẽ")
    assert product.province_code == "22" and product.producer_id is None
    assert product.group_code == "FOOD"  # inferred from "mật ong"
    assert product.expiry_date is None and product.decision_date is None and product.certified_year is None
    assert codes(warnings) == {"PRODUCER_MISSING", "GROUP_INFERRED"}
    assert summary.warning_counts == {"GROUP_INFERRED": 1, "PRODUCER_MISSING": 1}
    assert [w.row_number for w in summary.warnings] == [5]


def test_missing_name_or_rating_still_rejects(store) -> None:
    summary = harvest(store, [raw(5, product_name="", stars="3 sao"), raw(6, product_name="Chè xanh", stars="")])
    assert summary.rejected == 2 and summary.created == 0
    assert [e["code"] for r in summary.rejections for e in r.errors] == ["MISSING_FIELD", "MISSING_FIELD"]


def test_an_address_the_unit_tables_cannot_place_is_stored_under_the_province(store) -> None:
    summary = harvest(store, [raw(7, product_name="Miến dong Bình Liêu", producer_name="HTX Miến dong Bình Liêu",
                                  stars="3 sao", group="Thực phẩm", commune="xã Không Có Thật",
                                  district="huyện Bình Liêu")])
    assert (summary.created, summary.rejected) == (1, 0)
    product, warnings = stored(store, "Miến dong Bình Liêu")
    assert product.province_code == "22" and product.commune_code is None
    assert "Không Có Thật" in (product.unit_text or "")
    [warning] = [w for w in warnings if w["code"] == "UNRESOLVED_UNIT"]
    assert warning["value"] and "Không Có Thật" in warning["value"]


def test_an_unknown_group_the_name_cannot_tell_is_left_empty_and_the_text_kept(store) -> None:
    harvest(store, [raw(8, product_name="Sản phẩm Hạ Long số 9", producer_name="HTX Hạ Long", stars="3 sao",
                        group="xyz")])
    product, warnings = stored(store, "Sản phẩm Hạ Long số 9")
    assert product.group_code is None and product.group_text == "xyz"
    assert [w["value"] for w in warnings if w["code"] == "GROUP_UNKNOWN"] == ["xyz"]


def test_a_decision_cell_with_number_and_date_gives_both(store) -> None:
    harvest(store, [raw(9, product_name="Nước mắm Cái Rồng", producer_name="Công ty TNHH Cái Rồng",
                        stars="4 sao", group="Thực phẩm", decision_number="858/QĐ-UBND ngày 19/6/2025")])
    product, warnings = stored(store, "Nước mắm Cái Rồng")
    assert product.decision_number == "858/QĐ-UBND"
    assert product.decision_date == date(2025, 6, 19) and product.expiry_date == date(2028, 6, 19)
    assert warnings == []


def test_a_month_and_year_give_the_year_and_a_partial_date_warning(store) -> None:
    harvest(store, [raw(10, product_name="Rượu mơ Yên Tử", producer_name="HTX Yên Tử", stars="3 sao",
                        group="Đồ uống", decision_date="6/2024")])
    product, warnings = stored(store, "Rượu mơ Yên Tử")
    assert product.certified_year == 2024 and product.decision_date is None and product.expiry_date is None
    assert codes(warnings) == {"PARTIAL_DATE"}


def test_a_future_or_unreadable_date_is_left_empty_with_a_warning(store) -> None:
    summary = harvest(store, [
        raw(11, product_name="Chè Đường Hoa", producer_name="HTX Chè Đường Hoa", stars="3 sao", group="Đồ uống",
            decision_date="15/08/2099"),
        raw(12, product_name="Gà đồi Tiên Yên", producer_name="HTX Gà Tiên Yên", stars="3 sao", group="Thực phẩm",
            decision_date="ba mươi tháng hai"),
    ])
    assert (summary.created, summary.rejected) == (2, 0)
    tea, tea_warnings = stored(store, "Chè Đường Hoa")
    chicken, chicken_warnings = stored(store, "Gà đồi Tiên Yên")
    assert tea.decision_date is None and tea.expiry_date is None and codes(tea_warnings) == {"FUTURE_DATE"}
    assert chicken.decision_date is None and codes(chicken_warnings) == {"BAD_DATE"}


def test_a_future_date_is_taken_once_it_has_come(store, tmp_path) -> None:
    """The row is not skipped as 'sent before exactly so' while its date is still refused."""
    rows = [raw(11, product_name="Chè Đường Hoa", producer_name="HTX Chè Đường Hoa", stars="3 sao",
                group="Đồ uống", decision_date="15/12/2026")]
    harvest(store, rows)
    assert stored(store, "Chè Đường Hoa")[0].decision_date is None
    later = harvest(store, rows, today=date(2027, 1, 5))
    assert later.updated == 1
    product, warnings = stored(store, "Chè Đường Hoa")
    assert product.decision_date == date(2026, 12, 15) and warnings == []


def test_an_unreadable_score_beside_a_rating_is_a_warning_a_contradiction_rejects(store) -> None:
    summary = harvest(store, [
        raw(13, product_name="Tôm hùm Cô Tô", producer_name="HTX Cô Tô", stars="4 sao", score="tám mươi",
            group="Thực phẩm"),
        raw(14, product_name="Sá sùng Vân Đồn", producer_name="HTX Vân Đồn", stars="3 sao", score="85",
            group="Thực phẩm"),
    ])
    assert summary.created == 1
    assert [e["code"] for r in summary.rejections for e in r.errors] == ["STARS_SCORE_MISMATCH"]
    product, warnings = stored(store, "Tôm hùm Cô Tô")
    assert product.stars == 4 and product.score is None and codes(warnings) == {"BAD_SCORE"}


def test_batch_notes_keep_warning_counts(store) -> None:
    summary = harvest(store, [raw(5, product_name="Mật ong rừng Ba Chẽ", stars="4 sao")])
    with Session(store) as s:
        batch = s.get(ImportBatch, summary.batch_id)
        assert batch.notes["warnings"] == {"GROUP_INFERRED": 1, "PRODUCER_MISSING": 1}
        assert batch.notes["warned_rows"] == 1


def test_a_reharvest_of_an_unchanged_row_repeats_its_warnings(store) -> None:
    rows = [raw(5, product_name="Mật ong rừng Ba Chẽ", stars="4 sao")]
    harvest(store, rows)
    again = harvest(store, rows)
    assert again.unchanged == 1 and again.warning_counts == {"GROUP_INFERRED": 1, "PRODUCER_MISSING": 1}


def test_refresh_statuses_expires_year_only_certificates_with_the_calendar(store) -> None:
    harvest(store, [raw(5, product_name="Mật ong rừng Ba Chẽ", producer_name="HTX Ba Chẽ", stars="4 sao",
                        group="Thực phẩm", year="2022")], today=date(2025, 6, 1))
    assert stored(store, "Mật ong rừng Ba Chẽ")[0].status == "active"
    assert refresh_statuses(store, today=date(2025, 12, 31)) == 0
    assert refresh_statuses(store, today=date(2026, 1, 1)) == 1
    product, _ = stored(store, "Mật ong rừng Ba Chẽ")
    assert product.status == "expired" and product.expiry_date is None
