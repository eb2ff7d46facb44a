"""A source's removal is an audited batch, and not one a revert may replay."""
from __future__ import annotations

from datetime import date

import pytest

from hub.audit.history import revert_batch
from hub.access.keys import Principal
from hub.ingest import ingest_rows
from hub.vocabulary import Role
from hub.push.submission import PushRefused
from hub.records import RawRow
from hub.sources.catalog import remove_source


def test_a_removal_is_not_revertible(store) -> None:
    """Replaying a removal's log would list a removed source's rows again."""
    row = RawRow(row_number=2, values={"product_name": "Ngọc trai Akoya", "producer_name": "Công ty CP Ngọc trai",
                                       "stars": "5 sao", "group": "Thủ công mỹ nghệ"})
    ingest_rows(store, source_name="qn-district", source_kind="xlsx", province="Quảng Ninh", rows=[row],
                today=date(2026, 11, 23))
    removal = remove_source(store, "qn-district", withdraw_products=True, actor="cli:test")
    ministry = Principal(key_id=0, name="ministry", role=Role.MINISTRY, province_code=None)
    with pytest.raises(PushRefused) as refused:
        revert_batch(store, ministry, removal.batch_id)
    assert refused.value.code == "NOT_REVERTIBLE"
