"""The list template /mau-danh-sach.xlsx: the hub's columns in Vietnamese with drop-down lists, an
instructions sheet with the example row, and a list filled in on it harvests with no warning and
no rejection (the harvest's own reader and ingest, on SQLite and PostgreSQL)."""
from __future__ import annotations

import io
from pathlib import Path

import openpyxl
from sqlalchemy.engine import Engine
from starlette.testclient import TestClient

from hub.server import create_app
from hub.sources.harvest import harvest_source
from hub.registries.sources_file import SourceSpec
from hub.submit.template import CHOICES_SHEET, EXAMPLE, HEADERS, HELP_SHEET, LIST_SHEET, PRODUCER_TYPES, STAR_CHOICES, group_choices

PRODUCERS = {"Hợp tác xã": "HTX Nông sản Mèo Vạc", "Tổ hợp tác": "Tổ hợp tác dệt lanh Lũng Tám",
             "Doanh nghiệp": "Công ty TNHH Chè Shan Hà Giang", "Hộ kinh doanh": "Hộ kinh doanh Vàng Thị Mai"}
SCORES = {"3 sao": "60", "4 sao": "75", "5 sao": "92"}


def download(store: Engine) -> openpyxl.Workbook:
    with TestClient(create_app(store)) as client:
        answer = client.get("/mau-danh-sach.xlsx")
    assert answer.status_code == 200 and "attachment" in answer.headers["content-disposition"]
    return openpyxl.load_workbook(io.BytesIO(answer.content))


def test_the_template_has_the_columns_drop_downs_and_instructions(store: Engine) -> None:
    book = download(store)
    assert book.sheetnames == [LIST_SHEET, HELP_SHEET, CHOICES_SHEET]
    assert book[CHOICES_SHEET].sheet_state == "hidden"
    sheet = book[LIST_SHEET]
    assert tuple(c.value for c in sheet[1]) == HEADERS and "Tên sản phẩm" in HEADERS and "Hạng sao" in HEADERS
    lists = {}
    for check in sheet.data_validations.dataValidation:
        column = HEADERS[openpyxl.utils.column_index_from_string(str(check.sqref).split(":")[0].rstrip("0123456789")) - 1]
        choices_sheet, cells = check.formula1.rsplit("!", 1)
        assert choices_sheet == f"'{CHOICES_SHEET}'" and check.type == "list" and str(check.sqref).endswith("1001")
        lists[column] = [c.value for (c,) in book[CHOICES_SHEET][cells.replace("$", "")]]
    assert lists == {"Hạng sao": list(STAR_CHOICES), "Nhóm sản phẩm": list(group_choices()),
                     "Loại hình chủ thể": list(PRODUCER_TYPES)}
    assert len(group_choices()) == 6 and "Thực phẩm" in group_choices()
    help_rows = [tuple(c.value for c in row) for row in book[HELP_SHEET].iter_rows()]
    assert [r[3] for r in help_rows if r[0] in HEADERS] == [v or None for v in EXAMPLE]  # the example row


def test_a_list_filled_in_on_the_template_harvests_without_a_warning(store: Engine, tmp_path: Path) -> None:
    book = download(store)
    sheet = book[LIST_SHEET]
    column = {h: i for i, h in enumerate(HEADERS)}
    sheet.append(list(EXAMPLE))
    n = 0
    for stars in STAR_CHOICES:  # every choice of every drop-down list at least once
        for group in group_choices():
            kind = PRODUCER_TYPES[n % len(PRODUCER_TYPES)]
            n += 1
            row = [""] * len(HEADERS)
            row[column["Tên sản phẩm"]] = f"Sản phẩm mẫu số {n}"
            row[column["Tên chủ thể"]] = PRODUCERS[kind]
            row[column["Loại hình chủ thể"]] = kind
            row[column["Hạng sao"]] = stars
            row[column["Điểm"]] = SCORES[stars]
            row[column["Nhóm sản phẩm"]] = group
            row[column["Xã, phường"]] = "Xã Mèo Vạc"
            row[column["Số quyết định"]] = f"{100 + n}/QĐ-UBND"
            row[column["Ngày quyết định"]] = "20/06/2024"
            sheet.append(row)
    path = tmp_path / "danh-sach.xlsx"
    book.save(path)
    summary = harvest_source(store, SourceSpec(name="tuyen-quang-mau", province="Tuyên Quang", kind="xlsx",
                                               location=str(path)))
    assert summary.status == "succeeded", summary.error
    assert (summary.rows_read, summary.created, summary.rejected) == (n + 1, n + 1, 0), (summary.rejections, summary.skipped_rows)
    assert summary.warnings == [] and summary.unmapped_columns == []
    assert [s["text"].partition(":")[0] for s in summary.skipped_rows] == [f"sheet '{HELP_SHEET}'",
                                                                         f"sheet '{CHOICES_SHEET}'"]
