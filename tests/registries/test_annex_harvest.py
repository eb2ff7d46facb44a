"""One list harvested from an Excel sheet, a printed PDF and a Word annex: row by row the same
products, stars, producers, addresses and (from the annex's title) decisions, and no product
counted twice. SQLite and PostgreSQL (the ``store`` fixture)."""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from hub.harvest import harvest_source
from hub.models import Product, Source, SourceRecord
from hub.registries import SourceSpec
from hub.registries.annex import LOCATION_KEY
from tests.registries import annex_samples as annex


def by_source(engine, name: str) -> list[tuple[str, dict, str | None]]:
    """Each stored row of a source in the file's order: its product key, its facts, its location."""
    with Session(engine) as s:
        rows = s.execute(select(SourceRecord.record_key, SourceRecord.facts, SourceRecord.raw)
                         .join(Source, Source.id == SourceRecord.source_id).where(Source.name == name)
                         .order_by(SourceRecord.row_number)).all()
    return [(key, facts, raw.get(LOCATION_KEY)) for key, facts, raw in rows]


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
    title = {"decision_number": "2417/QĐ-UBND", "decision_date": "2024-12-28"}
    # The sheet has no decision column and its title is not read for one; every other fact agrees.
    assert [(k, {**f, **title}) for k, f, _ in sheet] == [(k, f) for k, f, _ in pdf]
    assert [f["stars"] for _, f, _ in pdf] == ["4"] * annex.FOURS + ["3"] * annex.THREES
    assert all(loc and loc.startswith("page") for _, _, loc in pdf)
    assert all(loc and loc.startswith("table ") for _, _, loc in word)
    assert [loc for _, _, loc in sheet] == [None] * len(sheet)
    with Session(store) as s:
        assert s.execute(select(func.count()).select_from(Product)).scalar_one() == annex.FOURS + annex.THREES
