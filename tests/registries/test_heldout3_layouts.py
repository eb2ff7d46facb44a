"""Third round of held-out registries (tests/registries/heldout3/layouts.py), read end to end:
the reader's column reading, then every row through ``canonicalize``, against what a careful
clerk reads. A layout that no general rule reads yet is an ``xfail(strict=True)`` with its reason."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from hub.units.resolver import UnitResolver
from tests.registries.clerk_reading import misreadings
from tests.registries.heldout3.layouts import LAYOUTS, Layout

TODAY = date(2025, 9, 1)

# layout name → why no general rule reads it yet (strict: the test must fail).
XFAIL: dict[str, str] = {
}


@pytest.mark.parametrize("layout", [
    pytest.param(layout, marks=pytest.mark.xfail(strict=True, reason=XFAIL[layout.name])) if layout.name in XFAIL else layout
    for layout in LAYOUTS], ids=[layout.name for layout in LAYOUTS])
def test_the_hub_reads_the_layout_as_a_clerk_does(layout: Layout, tmp_path: Path, resolver: UnitResolver) -> None:
    problems = misreadings(layout, tmp_path, resolver, TODAY)
    assert problems == [], "\n".join(problems)
