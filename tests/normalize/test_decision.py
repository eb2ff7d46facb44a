"""split_decision: a decision's number, date and issuing body written in one cell."""
from __future__ import annotations

from datetime import date

import pytest

from hub.normalize.dates import DateValue, parse_date
from hub.normalize.decision import DecisionParts, split_decision
from hub.normalize.encodings import encode_legacy

QN = "UBND tỉnh Quảng Ninh"


@pytest.mark.parametrize(
    ("cell", "number", "date_text", "body"),
    [
        # number and date, with every separator clerks use
        ("858/QĐ-UBND ngày 19/6/2025", "858/QĐ-UBND", "19/6/2025", None),
        ("Số 12/QĐ-UBND, ngày 05/8/2026", "12/QĐ-UBND", "05/8/2026", None),
        ("Số: 12/QĐ-UBND ngày 05/8/2025", "12/QĐ-UBND", "05/8/2025", None),
        ("QĐ số 3150/QĐ-UBND ngày 25 tháng 12 năm 2023", "3150/QĐ-UBND", "25 tháng 12 năm 2023", None),
        ("QUYẾT ĐỊNH SỐ 1234/QĐ-UBND NGÀY 12 THÁNG 5 NĂM 2024", "1234/QĐ-UBND", "12 THÁNG 5 NĂM 2024", None),
        ("1234/QĐ-UBND (12/5/2024)", "1234/QĐ-UBND", "12/5/2024", None),
        ("1234/QĐ-UBND; 12/5/2024", "1234/QĐ-UBND", "12/5/2024", None),
        ("1234/QĐ-UBND - 12/05/2024", "1234/QĐ-UBND", "12/05/2024", None),
        ("1234/QĐ-UBND – 12/05/2024", "1234/QĐ-UBND", "12/05/2024", None),
        ("1234/QĐ-UBND\n12/5/2024", "1234/QĐ-UBND", "12/5/2024", None),
        ("1234/QĐ-UBND\r\nngày 12/5/2024", "1234/QĐ-UBND", "12/5/2024", None),
        ("1234/QĐ-UBND, 12.05.2024", "1234/QĐ-UBND", "12.05.2024", None),
        ("2345/QĐ-UBND ngày 12/5/24", "2345/QĐ-UBND", "12/5/24", None),
        ("1234 / QĐ-UBND ngày 2024-05-12", "1234 / QĐ-UBND", "2024-05-12", None),
        ("QĐ: 99/QĐ-BCĐ.OCOP ngày 01.02.2023", "99/QĐ-BCĐ.OCOP", "01.02.2023", None),
        ("15/2024/QĐ-UBND ngày 3/4/2024", "15/2024/QĐ-UBND", "3/4/2024", None),
        ("125a/QĐ-UBND ngày 3/4/2024", "125a/QĐ-UBND", "3/4/2024", None),
        ("Ngày 12/5/2024, QĐ số 1234/QĐ-UBND", "1234/QĐ-UBND", "12/5/2024", None),
        ("Quyết định số 125 ngày 3/4/2024", "125", "3/4/2024", None),
        ("  858/QĐ-UBND   ngày\u00a019/6/2025 ", "858/QĐ-UBND", "19/6/2025", None),
        # no date, or no number
        ("1234/QĐ-UBND", "1234/QĐ-UBND", None, None),
        ("1234/QĐ-UBND.", "1234/QĐ-UBND", None, None),
        ("Quyết định số 12/QĐ-SNN", "12/QĐ-SNN", None, None),
        ("Quyet dinh so 12/QD-SNN", "12/QD-SNN", None, None),
        ("1234/QĐ-UBND (lần 2)", "1234/QĐ-UBND", None, None),  # a note is not a date
        ("19/6/2025", None, "19/6/2025", None),
        ("Ngày 19/6/2025", None, "19/6/2025", None),
        # a date without a day, or an unreadable one, is passed on for parse_date to judge
        ("1234/QĐ-UBND T6/2025", "1234/QĐ-UBND", "T6/2025", None),
        ("1234/QĐ-UBND tháng 6 năm 2025", "1234/QĐ-UBND", "tháng 6 năm 2025", None),
        ("1234/QĐ-UBND năm 2024", "1234/QĐ-UBND", "năm 2024", None),
        ("1234/QĐ-UBND ngày 12/5", "1234/QĐ-UBND", "12/5", None),
        # the issuing body, kept as written
        ("QĐ số 1234/QĐ-UBND ngày 12/5/2024 của UBND tỉnh Quảng Ninh", "1234/QĐ-UBND", "12/5/2024", QN),
        ("Quyết định số 1234/QĐ-UBND ngày 12/5/2024 của UBND tỉnh Quảng Ninh.", "1234/QĐ-UBND", "12/5/2024", QN),
        (
            "Quyết định số 1234/QĐ-UBND của Chủ tịch UBND huyện Tiên Yên ngày 12/5/2024",
            "1234/QĐ-UBND", "12/5/2024", "Chủ tịch UBND huyện Tiên Yên",
        ),
        ("1234/QĐ-UBND ngày 12/5/2024 UBND tỉnh Quảng Ninh", "1234/QĐ-UBND", "12/5/2024", QN),
        ("1234/QĐ-UBND ngày 12/5/2024 (Sở NN&PTNT (cũ))", "1234/QĐ-UBND", "12/5/2024", "Sở NN&PTNT (cũ)"),
        ("567/QĐ-UBND ngày 3/4/2022 của UBND huyện Đầm Hà", "567/QĐ-UBND", "3/4/2022", "UBND huyện Đầm Hà"),
        ("1234/QĐ-UBND ngày 12/5/2024 do UBND tỉnh Quảng Ninh cấp", "1234/QĐ-UBND", "12/5/2024", QN),
        (
            "Số 12/QĐ-UBND do Chủ tịch UBND huyện Tiên Yên ký ngày 3/4/2023",
            "12/QĐ-UBND", "3/4/2023", "Chủ tịch UBND huyện Tiên Yên",
        ),
        (
            "1234/QĐ-UBND ngày 12/5/2024 Uỷ ban nhân dân tỉnh Quảng Ninh",  # old tone placement
            "1234/QĐ-UBND", "12/5/2024", "Uỷ ban nhân dân tỉnh Quảng Ninh",
        ),
        ("1234/QĐ-UBND ngày 12/5/2024 của Sở NN&PTNT (cũ)", "1234/QĐ-UBND", "12/5/2024", "Sở NN&PTNT (cũ)"),
        # nothing
        ("Đã cấp", None, None, None),
        ("", None, None, None),
        (None, None, None, None),
    ],
)
def test_split_decision(cell: str | None, number: str | None, date_text: str | None, body: str | None) -> None:
    assert split_decision(cell) == DecisionParts(number, date_text, body)


@pytest.mark.parametrize(
    "cell",
    [
        "(" * 50_000 + "1234/QĐ-UBND" + ")" * 50_000,
        "của x" + "." * 100_000 + "y",
        "1" * 100_000 + "x",
        "ngày " * 20_000,
    ],
)
def test_hostile_cells_stay_fast(cell: str) -> None:
    split_decision(cell)  # quadratic backtracking here would take minutes


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_legacy_encoding_is_repaired_first(encoding: str) -> None:
    cell = encode_legacy("Số 125/UBND-NN ngày 3/4/2024 của UBND huyện Đầm Hà", encoding).decode("cp1252")
    assert split_decision(cell) == DecisionParts("125/UBND-NN", "3/4/2024", "UBND huyện Đầm Hà")


def test_legacy_encoding_with_qd_is_repaired_first() -> None:
    cell = encode_legacy("Quyết định số 125/QĐ-UBND ngày 3/4/2024", "tcvn3").decode("cp1252")
    assert split_decision(cell) == DecisionParts("125/QĐ-UBND", "3/4/2024", None)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("QĐ số 3150/QĐ-UBND ngày 25 tháng 12 năm 2023", DateValue(date(2023, 12, 25), 2023)),
        ("1234/QĐ-UBND (12/5/2024)", DateValue(date(2024, 5, 12), 2024)),
        ("1234/QĐ-UBND T6/2025", DateValue(None, 2025, 6)),
    ],
)
def test_date_text_parses(cell: str, expected: DateValue) -> None:
    date_text = split_decision(cell).date_text
    assert parse_date(date_text, date(2025, 11, 23)) == expected
