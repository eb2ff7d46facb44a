"""The layout corpus through the whole harvest, on a real SQLite file and on PostgreSQL: every
product of every layout is stored (none rejected for what it lacks), with the rating it was read
with, and the batch names the columns read into no field."""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlmodel import Session

from hub.sources.harvest import harvest_source
from hub.store.models import ImportBatch, Product
from hub.registries.sources_file import SourceSpec
from tests.registries.corpus.layouts import LAYOUTS

# The province each layout is a list of (its name says it); the rows name their districts and communes.
PROVINCE_OF = {"quang-ninh": "Quảng Ninh", "lam-dong": "Lâm Đồng", "lam-ha": "Lâm Đồng", "bac-kan": "Bắc Kạn",
               "ha-tinh": "Hà Tĩnh", "nghe-an": "Nghệ An", "tra-vinh": "Trà Vinh", "thai-nguyen": "Thái Nguyên",
               "hai-duong": "Hải Dương", "hai-phong": "Hải Phòng", "hoa-binh": "Hòa Bình"}


def province_of(name: str) -> str:
    return next((p for prefix, p in PROVINCE_OF.items() if name.startswith(prefix)), "Thái Nguyên")


@pytest.mark.parametrize("layout", LAYOUTS, ids=[layout.name for layout in LAYOUTS])
def test_every_product_of_the_layout_is_stored(layout, store, tmp_path: Path) -> None:
    path = tmp_path / f"{layout.name}.{layout.kind}"
    path.write_bytes(layout.data)
    spec = SourceSpec(name=layout.name, province=province_of(layout.name), kind=layout.kind, location=str(path))
    summary = harvest_source(store, spec)
    assert summary.status == "succeeded", summary.error
    assert [r.errors for r in summary.rejections] == []
    assert summary.created == len(layout.products)
    assert summary.unmapped_columns == [h for h, f in layout.columns.items() if f is None]
    with Session(store) as s:
        stored = s.execute(select(Product.name, Product.stars)).all()
        batch = s.get(ImportBatch, summary.batch_id)
        assert batch.notes["unmapped_columns"] == summary.unmapped_columns
        assert len(batch.notes["skipped_rows"]) == sum(layout.skipped.values())
    stars = {name: stars for name, stars in stored}
    for product in layout.products:
        if product.get("stars", "").strip()[:1].isdigit():
            assert stars[product["product_name"]] == int(product["stars"].strip()[0]), product
