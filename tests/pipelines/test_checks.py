"""The rejected-ratio threshold, on import summaries (the store-backed checks run in test_assets)."""
from __future__ import annotations

import pytest
from dagster import AssetCheckSeverity

from hub.ingest import ImportSummary
from pipelines.checks import REJECTED_RATIO_MAX, evaluate


@pytest.mark.parametrize(("rows_read", "rejected", "passed"), [
    (0, 0, True), (10, 2, True), (10, 3, False), (5, 5, False),
])
def test_rejected_ratio_warns_above_the_threshold(store, rows_read: int, rejected: int, passed: bool) -> None:  # type: ignore[no-untyped-def]
    assert REJECTED_RATIO_MAX == 0.20
    summary = ImportSummary(source="nowhere", status="succeeded", rows_read=rows_read, rejected=rejected)
    [result] = [r for r in evaluate(store, summary) if r.check_name == "rejected_ratio"]
    assert result.passed is passed
    assert result.severity == AssetCheckSeverity.WARN
