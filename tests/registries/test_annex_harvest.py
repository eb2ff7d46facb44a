"""One list harvested from an Excel sheet, a printed PDF and a Word annex: row by row the same
products, stars, producers, addresses and decisions (from the title, which the sheet carries in its
title rows as the annex does above its tables), and no product counted twice. SQLite and PostgreSQL (the ``store`` fixture)."""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from hub.sources.harvest import harvest_source
from hub.store.models import Product, Source, SourceRecord
from hub.registries import SourceSpec
from hub.records import LOCATION_KEY
from hub.registries.headers import TITLE_DECISION_KEY
from tests.registries import annex_samples as annex

TITLE_DECISION = "Quyết định số 2417/QĐ-UBND ngày 28/12/2024 của UBND tỉnh Bắc Kạn"  # annex.TITLE's last line


def by_source(engine, name: str) -> list[tuple[str, dict, dict]]:
    """Each stored row of a source in the file's order: its product key, its facts, its raw row."""
    with Session(engine) as s:
        rows = s.execute(select(SourceRecord.record_key, SourceRecord.facts, SourceRecord.raw)
                         .join(Source, Source.id == SourceRecord.source_id).where(Source.name == name)
                         .order_by(SourceRecord.row_number)).all()
    return [(key, facts, raw) for key, facts, raw in rows]


def test_xlsx_pdf_and_docx_give_the_same_products(store, tmp_path: Path) -> None:
    if not annex.CHROMIUM.exists():
        pytest.skip("chromium not installed (/usr/bin/chromium): apt-get install chromium")
    files = {"xlsx": annex.xlsx_annex(), "pdf": annex.print_pdf(annex.annex_html(), tmp_path / "print"),
             "docx": annex.docx_annex()}
    for kind, data in files.items():
        path = tmp_path / f"phu_luc.{kind}"
        path.write_bytes(data)
        summary = harvest_source(store, SourceSpec(name=f"bac-kan-{kind}", province="Bắc Kạn", kind=kind,
                                                   location=str(path)))
        assert not summary.failed, summary.error
        assert summary.rejected == 0 and summary.created + summary.unchanged + summary.updated == 60, kind
    sheet, pdf, word = (by_source(store, f"bac-kan-{k}") for k in ("xlsx", "pdf", "docx"))
    assert len(sheet) == len(pdf) == len(word) == annex.FOURS + annex.THREES
    assert [(k, f) for k, f, _ in pdf] == [(k, f) for k, f, _ in word]  # keys: product and producer
    assert [(k, f) for k, f, _ in sheet] == [(k, f) for k, f, _ in pdf]  # decisions included
    # No file has a decision column: every row has the title's, and says so.
    decisions = {(f["decision_number"], f["decision_date"]) for rows in (sheet, pdf, word) for _, f, _ in rows}
    assert decisions == {("2417/QĐ-UBND", "2024-12-28")}
    assert {raw[TITLE_DECISION_KEY] for rows in (sheet, pdf, word) for _, _, raw in rows} == {TITLE_DECISION}
    assert [f["stars"] for _, f, _ in pdf] == ["4"] * annex.FOURS + ["3"] * annex.THREES
    assert all(raw[LOCATION_KEY].startswith("page") for _, _, raw in pdf)
    assert all(raw[LOCATION_KEY].startswith("table ") for _, _, raw in word)
    assert {raw.get(LOCATION_KEY) for _, _, raw in sheet} == {"sheet 'Sheet'"}  # a workbook's row: its sheet
    with Session(store) as s:
        assert s.execute(select(func.count()).select_from(Product)).scalar_one() == annex.FOURS + annex.THREES
