"""Held-out registries (tests/registries/heldout): layouts the header rules were not written from,
read as a careful clerk reads them. For each file: which field each column holds (and that no other
column is read), and for every product row its name, producer, rating, place and the few other
fields the clerk cares about, after the same normalization as an ingest. No row of the file may
be refused: a row that is not a product must be skipped, not rejected."""
from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from hub.ingest.canonical import CanonicalRecord, canonicalize
from hub.normalize.problem import Problem
from hub.normalize.text import clean_name
from hub.records import RawRow
from hub.registries import RegistryError
from hub.registries.header_rules import header_field
from hub.registries.layout import columns_of
from hub.registries.read import RegistrySnapshot
from hub.registries.reading import TableReading
from hub.registries.sections import is_footer, parse_section
from hub.registries.sources_file import SourceSpec
from hub.units.resolver import UnitResolver

from .heldout import LAYOUTS, Layout

TODAY = date(2025, 6, 30)

# (layout name, check) → why the hub still misreads it; a strict xfail, so a fix shows up. Empty:
# the last two (a province's capital city read as the province, an address under a district
# section read without its commune) are fixed in hub/units/resolver.py and hub/ingest/optional_fields.py.
XFAIL: dict[tuple[str, str], str] = {}


def _params(check: str) -> list[object]:
    params = []
    for layout in LAYOUTS:
        reason = XFAIL.get((layout.name, check))
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        params.append(pytest.param(layout, id=layout.name, marks=marks))
    return params


def read(layout: Layout, tmp_path: Path) -> tuple[TableReading, list[RawRow]]:
    path = tmp_path / f"{layout.name}{layout.suffix}"
    path.write_bytes(layout.build())
    snapshot = RegistrySnapshot(SourceSpec(name=layout.name, province=layout.province, kind=layout.kind,
                                           location=str(path), encoding=layout.encoding))
    rows = list(snapshot)
    return snapshot.reading, rows


def ingest(layout: Layout, rows: list[RawRow], resolver: UnitResolver) -> tuple[list[CanonicalRecord], list[str]]:
    code = resolver.resolve_province_code(layout.province)
    assert code is not None, layout.province
    records, refused = [], []
    for row in rows:
        result = canonicalize(row, resolver, layout.province, code, TODAY)
        if isinstance(result, CanonicalRecord):
            records.append(result)
        else:
            refused.append(f"row {row.row_number} {row.values}: {[p.code for p in result]}")
    return records, refused


@pytest.mark.parametrize("layout", _params("columns"))
def test_columns_read_as_the_clerk_reads_them(layout: Layout, tmp_path: Path) -> None:
    reading, _ = read(layout, tmp_path)
    mapped = [c for c in reading.columns if c.field]
    wrong: list[str] = []
    claimed: set[int] = set()
    for fields, fragments in layout.columns.items():
        ticked = fields.endswith("*")  # ticked children of one parent: two or more columns, one field
        names = fields.rstrip("*").split("|")
        hits = [c for c in mapped if c.field in names]
        ok = [c for c in hits if any(f.casefold() in c.header.casefold() for f in fragments.split("|"))]
        if ticked and len(ok) >= 2 and len(ok) == len(hits):
            claimed.update(c.index for c in hits)
            continue
        if ticked or len(ok) != 1 or len(hits) != 1:
            wrong.append(f"{fields}: expected the column {fragments!r}, got {[(c.header, c.field) for c in hits]}")
        claimed.update(c.index for c in hits)
    extra = [(c.header, c.field) for c in mapped if c.index not in claimed]
    if extra:
        wrong.append(f"columns the clerk leaves unread were read: {extra}")
    assert not wrong, "\n".join(wrong) + f"\nall columns: {[(c.header, c.field) for c in reading.columns]}"


@pytest.mark.parametrize("layout", _params("products"))
def test_products_read_as_the_clerk_reads_them(layout: Layout, tmp_path: Path, resolver: UnitResolver) -> None:
    reading, rows = read(layout, tmp_path)
    records, refused = ingest(layout, rows, resolver)
    assert not refused, "rows refused instead of read or skipped:\n" + "\n".join(refused)
    got = [(r.product_name, r.producer_name, r.stars) for r in records]
    want = [(clean_name(p.product_name), clean_name(p.producer_name) or None, p.stars) for p in layout.products]
    assert got == want, f"skipped: {[(s.row_number, s.reason, s.text) for s in reading.skipped]}"
    assert Counter(s.reason for s in reading.skipped) == Counter(layout.skipped), reading.skipped


@pytest.mark.parametrize("layout", _params("details"))
def test_details_read_as_the_clerk_reads_them(layout: Layout, tmp_path: Path, resolver: UnitResolver) -> None:
    _, rows = read(layout, tmp_path)
    records, _ = ingest(layout, rows, resolver)
    by_name = {r.product_name: r for r in records}
    wrong: list[str] = []
    for product in layout.products:
        record = by_name.get(clean_name(product.product_name))
        if record is None:
            wrong.append(f"{product.product_name}: not read")
            continue
        for attr, value in product.extra.items():
            if getattr(record, attr) != value:
                wrong.append(f"{product.product_name}: {attr} {getattr(record, attr)!r} != {value!r}")
        if product.at is not None:
            district, commune = product.at
            unit = resolver.resolve(None, district, commune, default_province=layout.province)
            assert not isinstance(unit, Problem), f"the clerk's own place does not resolve: {unit}"
            if record.unit_code != unit.unit_code:
                wrong.append(f"{product.product_name}: placed at {record.unit_text!r} ({record.unit_code}), "
                             f"not {product.at} ({unit.unit_code})")
    assert not wrong, "\n".join(wrong)


# --- The general rules the held-out layouts called for, one line each ----------------------------------------


@pytest.mark.parametrize(("header", "field"), [
    ("Đ/c", "address"), ("Đ/C chủ thể", "address"), ("Tên S.P", "product_name"), ("Số Q.Đ", "decision_number"),
    ("Xã/P/TT", "commune"),  # a lone "P" among unit words stays "phường"
])
def test_initials_split_by_a_slash_or_dot_spell_their_abbreviation(header: str, field: str) -> None:
    assert header_field(header) == field


@pytest.mark.parametrize(("headers", "fields"), [
    (["Ngành", "Nhóm"], ["group", "subgroup"]),                                   # Decision 1048
    (["Nhóm", "Phân nhóm", "Bộ sản phẩm"], ["group", "subgroup", None]),           # Decision 148
    (["Bộ sản phẩm", "Ngành hàng"], ["subgroup", "group"]),                      # by rank, not by position
])
def test_taxonomy_levels_become_group_and_subgroup(headers: list[str], fields: list[str | None]) -> None:
    columns = columns_of([("Tên sản phẩm",), *[(h,) for h in headers]], None, "t")
    assert [c.field for c in columns[1:]] == fields


def test_two_columns_at_one_taxonomy_level_still_refuse_the_source() -> None:
    with pytest.raises(RegistryError, match="both read as group"):
        columns_of([("Tên sản phẩm",), ("Nhóm",), ("Nhóm sản phẩm",)], None, "t")


def test_ticked_children_give_their_parents_field() -> None:
    kind = "Loại hình chủ thể"
    paths = [("Tên sản phẩm",), (kind, "HTX"), (kind, "DN"), (kind, "Hộ SX"), ("Hạng sao", "3 sao"), ("Hạng sao", "4 sao")]
    columns = columns_of(paths, None, "t")
    assert [(c.field, c.mark) for c in columns[1:]] == [
        ("producer_type", "HTX"), ("producer_type", "DN"), ("producer_type", "Hộ SX"), ("stars", "3 sao"),
        ("stars", "4 sao")]


@pytest.mark.parametrize(("title", "values"), [
    ("H. Bình Liêu", {"district": "H. Bình Liêu"}), ("TT. Cái Rồng (3 SP)", {"commune": "TT. Cái Rồng"}),
    ("Địa bàn huyện Tiên Yên", {"district": "huyện Tiên Yên"}),
    ("H. Nhóm thực phẩm", {"group": "Nhóm thực phẩm"}), ("X. Sản phẩm 3 sao", {"stars": "3 sao"}),
])
def test_unit_sections_written_with_initials_or_after_dia_ban(title: str, values: dict[str, str]) -> None:
    assert parse_section(title).values == values


@pytest.mark.parametrize(("text", "alone", "footer"), [("Ghi chú:", True, True), ("Lưu ý", True, True),
                                                       ("Ghi chú", False, False)])
def test_a_lone_notes_heading_starts_the_footer(text: str, alone: bool, footer: bool) -> None:
    assert is_footer(text, alone) is footer
