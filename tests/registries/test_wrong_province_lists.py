"""Every list of the corpus and of the held-out rounds, read as the list of two other provinces
(as a harvest or a push naming the wrong province would), stores nothing: its rows' places, or
its title, say whose list it is. The ingest's own first half (``prepare``) decides, without a
store; tests/ingest/test_province_evidence.py takes a real list through the store.

A list that names no place anywhere (no unit in its rows, no province in its title) cannot tell
whose it is; those are named here, so that a new layout must be classified."""
from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from hub.ingest.apply import Accepted
from hub.ingest.prepare import ListOfAnotherProvince, Seen, prepare
from hub.registries.read import RegistrySnapshot
from hub.registries.sources_file import SourceSpec
from hub.units.resolver import UnitResolver
from tests.registries import heldout
from tests.registries.corpus.layouts import LAYOUTS as CORPUS
from tests.registries.heldout2.layouts import LAYOUTS as HELDOUT2
from tests.registries.heldout3.layouts import LAYOUTS as HELDOUT3
from tests.registries.test_layout_corpus_store import province_of

NAMES_NO_PLACE = {
    "own-stars-win", "lam-dong-notes-column", "yen-bai-tcvn3-star-spellings", "dak-lak-vni-abbreviations",
    "phu-tho-multiline-headers", "ha-tinh-line-breaks",
}
"""Lists with product, producer and rating columns only, and a title naming no province."""
OTHERS = ("Cà Mau", "Điện Biên", "Hà Nội")

LISTS = ([(layout.name, layout.kind, lambda layout=layout: layout.data, province_of(layout.name), "auto")
          for layout in CORPUS]
         + [(layout.name, layout.kind, layout.build, layout.province, layout.encoding) for layout in heldout.LAYOUTS]
         + [(layout.name, layout.kind, lambda layout=layout: layout.data, layout.province, "auto")
            for layout in (*HELDOUT2, *HELDOUT3)])


def stored_as(resolver: UnitResolver, spec: SourceSpec, province: str) -> int:
    """How many rows a source of ``province`` would store from the file."""
    code = resolver.resolve_province_code(province)
    rows = list(RegistrySnapshot(replace(spec, province=province)))
    try:
        items = list(prepare(rows, resolver, province, code, date(2025, 9, 1), known={}))  # type: ignore[arg-type]
    except ListOfAnotherProvince:
        return 0
    return sum(isinstance(item, (Accepted, Seen)) for item in items)


@pytest.mark.parametrize("name,kind,data,own,encoding", LISTS, ids=[entry[0] for entry in LISTS])
def test_a_list_read_as_another_provinces_stores_nothing(name, kind, data, own, encoding, tmp_path: Path,
                                                         resolver: UnitResolver) -> None:
    path = tmp_path / f"{name}.{kind}"
    path.write_bytes(data())
    spec = SourceSpec(name="t", province=own, kind=kind, location=str(path), encoding=encoding)
    own_code = resolver.resolve_province_code(own)
    others = [p for p in OTHERS if resolver.resolve_province_code(p) != own_code][:2]
    as_own = stored_as(resolver, spec, own)
    assert as_own > 0, f"{name} stores nothing even as {own}'s own list"
    as_others = {other: stored_as(resolver, spec, other) for other in others}
    if name in NAMES_NO_PLACE:
        assert all(n == as_own for n in as_others.values()), "a list naming no place is taken as it is declared"
    else:
        assert as_others == {other: 0 for other in others}, f"{name} ({own}) stored as another province's"
