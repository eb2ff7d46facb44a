"""What a careful clerk reads in a held-out registry, against what the hub reads: shared by the
held-out rounds (tests/registries/test_heldout2_layouts.py, test_heldout3_layouts.py), whose
layouts carry ``name``, ``kind``, ``province``, ``data``, ``columns`` (folded header word → field)
and ``products`` (the values a clerk reads, per product)."""
from __future__ import annotations

import re
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any

from hub.ingest.canonical import CanonicalRecord, canonicalize
from hub.registries.read import RegistrySnapshot
from hub.registries.reading import TableReading
from hub.registries.sources_file import SourceSpec
from hub.units.resolver import PRE, UnitResolver


def fold(text: str) -> str:
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return re.sub(r"\s+", " ", text).strip()


def read_layout(layout: Any, tmp_path: Path, resolver: UnitResolver, today: date
                ) -> tuple[TableReading, list[CanonicalRecord], list[tuple[str, list[Any]]]]:
    path = tmp_path / f"{layout.name}.{layout.kind}"
    path.write_bytes(layout.data)
    snapshot = RegistrySnapshot(SourceSpec(name=layout.name, province=layout.province, kind=layout.kind, location=str(path)))
    code = resolver.resolve_province_code(layout.province)
    assert code, layout.province
    records: list[CanonicalRecord] = []
    rejected: list[tuple[str, list[Any]]] = []
    for row in snapshot:
        result = canonicalize(row, resolver, layout.province, code, today)
        if isinstance(result, CanonicalRecord):
            records.append(result)
        else:
            rejected.append((row.values.get("product_name", ""), [(p.code, p.field, p.value) for p in result]))
    return snapshot.reading, records, rejected


def column_misreadings(layout: Any, reading: TableReading) -> list[str]:
    out = []
    for key, field in layout.columns.items():
        pattern = re.compile(rf"(?<![a-z0-9]){re.escape(key)}(?![a-z0-9])")
        found = [c for c in reading.columns if pattern.search(fold(c.header))]
        if not found:
            out.append(f"no column header contains {key!r}: {[c.header for c in reading.columns]}")
            continue
        column = found[0]
        if column.field != field:
            out.append(f"column {column.header!r} read as {column.field!r}, clerk reads {field!r}")
        if field is None and column.header not in reading.unmapped:
            out.append(f"column {column.header!r} not named as unmapped")
    return out


def record_misreadings(expected: dict[str, Any], record: CanonicalRecord, resolver: UnitResolver) -> list[str]:
    got: dict[str, Any] = {
        "producer_name": record.producer_name, "stars": record.stars, "proposed": record.proposed_five_star,
        "year": record.certified_year, "decision_number": record.decision_number, "decision_date": record.decision_date,
        "group": record.group_code, "score": record.score, "phone": record.phone,
        "producer_type": record.producer_type.upper() if record.producer_type else None,
        "commune": record.commune_code and resolver.unit_name(record.commune_code, "post2025"),
        "district_placed": bool(record.unit_code_version == PRE and record.unit_code and len(record.unit_code) >= 3),
    }
    checks = {k: v for k, v in expected.items() if k not in ("product_name",)}
    checks.setdefault("proposed", False)
    return [f"{expected['product_name']!r}: {k} = {got[k]!r}, clerk reads {v!r}" for k, v in checks.items() if got[k] != v]


def misreadings(layout: Any, tmp_path: Path, resolver: UnitResolver, today: date) -> list[str]:
    """Every way the hub's reading of ``layout`` (name, kind, province, data, columns, products)
    differs from the clerk's: columns, rejected rows, products missed or added, their values."""
    reading, records, rejected = read_layout(layout, tmp_path, resolver, today)
    out = column_misreadings(layout, reading)
    out += [f"row {name!r} rejected: {problems}" for name, problems in rejected]
    names = [r.product_name for r in records]
    expected_names = [p["product_name"] for p in layout.products]
    if names != expected_names:
        out.append(f"products read {names}, clerk reads {expected_names}")
    by_name = {r.product_name: r for r in records}
    for expected in layout.products:
        if expected["product_name"] in by_name:
            out += record_misreadings(expected, by_name[expected["product_name"]], resolver)
    return out
