"""What the hub would make of a registry file, before its first harvest, touching no store.

``ocop-hub inspect FILE`` shows an operator the encoding, sheet and header rows found, each column
as written and the field it maps to, the first rows as read, which rows would be rejected or
warned and why, and a ``columns:`` snippet for the sources file. It reads and normalizes exactly
as a harvest does (the same readers, ``canonicalize`` and unit tables), without writing.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml

from hub.ingest.apply import Accepted
from hub.ingest.prepare import ListOfAnotherProvince, Refused, prepare
from hub.ingest.revocation import read_revocation
from hub.normalize.encodings import decode_bytes
from hub.normalize.problem import Problem
from hub.records import LISTS, PRODUCTS, REVOCATION, RawRow
from hub.registries import RegistryError
from hub.records import LOCATION_KEY, TITLE_PROVINCE_KEY
from hub.registries.read import RegistrySnapshot
from hub.registries.reading import TableReading
from hub.registries.sources_file import SourceSpec
from hub.units.resolver import UnitResolver, province_code_of

KIND_BY_SUFFIX = {".csv": "csv", ".txt": "csv", ".tsv": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx",
                  ".html": "html", ".htm": "html", ".pdf": "pdf", ".docx": "docx", ".doc": "docx"}
"""A .doc goes to the docx reader, which says to save it as .docx or PDF."""


class InspectError(ValueError):
    """The file cannot be inspected at all (unknown kind, unreadable, unknown province)."""


@dataclass
class RowOutcome:
    row_number: int
    values: dict[str, str]
    problems: list[Problem] = field(default_factory=list)  # rejected when non-empty
    warnings: list[Problem] = field(default_factory=list)
    location: str | None = None  # where a PDF or Word annex has the row ("page 3", "table 2, row 5")


@dataclass
class Inspection:
    path: str
    kind: str
    encoding: str | None
    province: str | None
    reading: TableReading
    rows: list[RowOutcome]
    refusal: str | None = None  # the whole list would be refused (another province's), with the reason
    sheet: str | None = None  # the sheet --sheet narrowed the reading to
    list_kind: str = PRODUCTS  # --list revocation: read as a revocation list

    @property
    def rejected(self) -> list[RowOutcome]:
        return [r for r in self.rows if r.problems]

    @property
    def warned(self) -> list[RowOutcome]:
        return [r for r in self.rows if r.warnings and not r.problems]

    def columns_snippet(self, source_name: str) -> str:
        """A sources-file entry with every mapped column written out, for the operator to adjust."""
        columns = {c.header: c.field for c in self.reading.columns if c.field}
        entry = {"name": source_name, "province": self.province or "<province>", "kind": self.kind,
                 "location": self.path, "columns": columns}
        if self.kind == "csv" and self.encoding:
            entry["encoding"] = self.encoding
        if self.list_kind != PRODUCTS:
            entry["list"] = self.list_kind
        if self.sheet:  # narrowed by --sheet; without it every product sheet is read, as a harvest reads it
            entry["sheet"] = self.sheet
        return yaml.safe_dump({"sources": [entry]}, allow_unicode=True, sort_keys=False)


def kind_of(path: Path) -> str:
    kind = KIND_BY_SUFFIX.get(path.suffix.lower())
    if kind is None:
        raise InspectError(f"{path}: cannot tell the kind of registry from the suffix {path.suffix!r} "
                           f"(expected one of {', '.join(sorted(KIND_BY_SUFFIX))})")
    return kind


def inspect_file(path: Path, *, encoding: str = "auto", province: str | None = None, sheet: str | None = None,
                 columns: dict[str, str] | None = None, resolver: UnitResolver | None = None,
                 today: date | None = None, list_kind: str = PRODUCTS) -> Inspection:
    """Read and normalize ``path`` as a harvest would, and say what came of every row
    (``list_kind`` REVOCATION: read as a revocation list, each row a certificate to end)."""
    if list_kind not in LISTS:
        raise InspectError(f"unknown kind of list {list_kind!r}: one of {', '.join(LISTS)}")
    path = path.expanduser().resolve()
    if not path.is_file():
        raise InspectError(f"{path}: no such file")
    kind = kind_of(path)
    resolver = resolver or UnitResolver.from_packages()
    today = today or date.today()
    province_code = None
    if province is not None:
        province_code = province_code_of(resolver, province)
        if province_code is None:
            raise InspectError(f"unknown province {province!r}: give its code or name, old or new")
    if sheet is not None and kind != "xlsx":
        raise InspectError(f"{path}: --sheet is for xlsx workbooks; a {kind} registry has no sheets")
    spec = SourceSpec(name="inspect", province=province or "", kind=kind, location=str(path),
                      encoding=encoding, columns=dict(columns or {}), sheet=sheet, list=list_kind)
    snapshot = RegistrySnapshot(spec)
    try:
        raw_rows = list(snapshot)
    except RegistryError as exc:
        raise InspectError(str(exc)) from exc
    if province_code is None:
        province, province_code = _province_of_rows(raw_rows, resolver)
    rows = []
    refusal = None
    items = prepare(raw_rows, resolver, province or "", province_code, today, known={},
                    read=read_revocation if list_kind == REVOCATION else None)
    try:
        for raw, item in zip(raw_rows, items):  # one item per row, in order (row numbers repeat across sheets)
            location = raw.raw.get(LOCATION_KEY)
            if isinstance(item, Refused):
                rows.append(RowOutcome(item.row_number, dict(raw.values),
                                       problems=[Problem(**error) for error in item.errors], location=location))
            elif isinstance(item, Accepted):
                rows.append(RowOutcome(item.record.row_number, dict(raw.values),  # a product or a revocation
                                       warnings=list(item.record.warnings), location=location))
        next(items, None)  # the end of the rows, where a list of another province is refused whole
    except ListOfAnotherProvince as exc:
        refusal = f"{exc.code}: {exc}"
    return Inspection(path=str(path), kind=kind, encoding=_encoding(path, kind, encoding), province=province,
                      reading=snapshot.reading, rows=rows, refusal=refusal, sheet=sheet,
                      list_kind=list_kind)


def _province_of_rows(rows: list[RawRow], resolver: UnitResolver) -> tuple[str, str]:
    """Without --province, the province the rows name (a province column, or the list's title),
    when they all name the same one."""
    named = {resolver.resolve_province_code(text): text for r in rows
             for text in ([r.values["province"]] if r.values.get("province")
                          else (r.raw.get(TITLE_PROVINCE_KEY) or "").split("; ")) if text}
    if len(named) == 1 and None not in named:
        code, text = next(iter(named.items()))
        return text, code  # type: ignore[return-value]
    raise InspectError("the rows do not name one province: give --province (the registry's province, "
                       "code or name, old or new)")


def _encoding(path: Path, kind: str, encoding: str) -> str | None:
    """The text encoding a CSV or HTML page is read in (detected with ``auto``); workbooks and
    documents carry their own."""
    if kind in ("xlsx", "pdf", "docx"):
        return None if encoding == "auto" else encoding
    decoded = decode_bytes(path.read_bytes(), encoding)
    return None if isinstance(decoded, Problem) else decoded[1]

