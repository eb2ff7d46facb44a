"""A rejected row's cells are stored cut to HUB_REJECTED_CELL_CHARS (issue 24, finding 7: one
upload could plant about 50 MB of rejected text), on SQLite and PostgreSQL; the kept value says
it was cut and how long it was, in the store and in the import summary alike."""
from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from hub.ingest import ingest_rows
from hub.ingest.cut_cells import cut
from hub.store.models import RejectedRecord
from hub.records import RawRow

LONG = "Mắm tôm " * 20_000  # 160,000 characters in one cell


def test_a_rejected_rows_long_cells_are_stored_cut(store: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HUB_REJECTED_CELL_CHARS", "100")
    values = {"product_name": LONG, "stars": "bảy", "producer_name": "HTX Hải Hà"}
    raw = {"Tên sản phẩm": LONG, "Hạng sao": "bảy", "Chủ thể": "HTX Hải Hà", "Ghi chú " + "x" * 300: "y"}
    summary = ingest_rows(store, source_name="quang-ninh-registry", source_kind="csv", province="Quảng Ninh",
                          rows=[RawRow(2, values, raw=raw)])
    assert summary.rejected == 1
    with Session(store) as s:
        stored = s.execute(select(RejectedRecord)).scalar_one()
    kept = stored.raw["Tên sản phẩm"]
    assert kept == LONG[:100] + f"… [cut: {len(LONG)} characters]"
    assert stored.raw["Hạng sao"] == "bảy" and stored.raw["Chủ thể"] == "HTX Hải Hà"  # short cells as written
    assert ("Ghi chú " + "x" * 92 + "… [cut: 308 characters]") in stored.raw  # a long column name too
    too_long = [e for e in stored.errors if e["code"] == "FIELD_TOO_LONG"]
    assert too_long and all(len(e["value"] or "") < 200 for e in stored.errors), stored.errors
    assert [e for r in summary.rejections for e in r.errors] == stored.errors  # the summary says the same
    assert sum(len(k) + len(v) for k, v in stored.raw.items()) < 1000


def test_cut_leaves_short_text_alone() -> None:
    assert cut("Chè Tân Cương", 13) == "Chè Tân Cương"
    assert cut("Chè Tân Cương!", 13) == "Chè Tân Cương… [cut: 14 characters]"
