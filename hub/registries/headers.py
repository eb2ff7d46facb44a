"""Find the header row of a registry table and map its Vietnamese header variants onto canonical fields.

Shared by the CSV, Excel and HTML readers: they turn their file into rows of cell texts, this
module finds the header (below any title rows), drops the "STT" column, skips empty and repeated
header rows and builds ``RawRow``s.
"""
from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from hub.normalize.fold import search_key
from hub.records import FIELDS, RawRow
from hub.registries import RegistryError

HEADER_SCAN_ROWS = 20
MIN_MAPPED_HEADERS = 3

_VARIANTS: dict[str, tuple[str, ...]] = {
    "product_name": ("Tên sản phẩm", "Tên SP", "Sản phẩm", "Tên sản phẩm OCOP", "Tên sản phẩm/dịch vụ"),
    "producer_name": (
        "Chủ thể", "Tên chủ thể", "Chủ thể sản xuất", "Đơn vị", "Chủ thể OCOP", "Tên chủ thể sản xuất",
        "Đơn vị sản xuất", "Cơ sở sản xuất",
    ),
    "producer_type": ("Loại hình", "Loại hình chủ thể", "Loại hình tổ chức"),
    "stars": (
        "Hạng sao", "Số sao", "Xếp hạng", "Kết quả xếp hạng", "Hạng", "Kết quả đánh giá", "Xếp hạng sao",
        "Hạng sao OCOP",
    ),
    "score": ("Điểm", "Tổng điểm", "Điểm đánh giá"),
    "group": ("Nhóm sản phẩm", "Nhóm", "Ngành hàng", "Bộ sản phẩm", "Ngành", "Nhóm ngành"),
    "subgroup": ("Phân nhóm", "Phân nhóm sản phẩm"),
    "province": ("Tỉnh", "Tỉnh/Thành phố", "Tỉnh/TP", "Tỉnh, thành phố"),
    "district": (
        "Huyện", "Huyện/TP", "Quận/Huyện", "Huyện/TX/TP", "Huyện, thị xã, thành phố", "Quận, huyện",
        "Huyện/Thị xã/Thành phố",
    ),
    "commune": ("Xã", "Xã/Phường", "Xã, phường, thị trấn", "Xã/Phường/Thị trấn", "Phường/Xã", "Phường, xã"),
    "address": ("Địa chỉ", "Địa chỉ chủ thể", "Địa chỉ sản xuất"),
    "decision_number": ("Số quyết định", "Số QĐ", "Quyết định công nhận", "Quyết định", "Số quyết định công nhận"),
    "decision_date": ("Ngày quyết định", "Ngày công nhận", "Ngày cấp", "Ngày QĐ", "Ngày ban hành"),
    "year": ("Năm công nhận", "Năm", "Năm đánh giá", "Năm xếp hạng"),
    "issuing_body": ("Cơ quan công nhận", "Cấp công nhận", "Cơ quan cấp", "Cấp đánh giá"),
    "tax_code": ("Mã số thuế", "MST"),
    "phone": ("Điện thoại", "SĐT", "Số điện thoại", "ĐT"),
    "email": ("Email", "E-mail", "Thư điện tử"),
    "contact_person": ("Người đại diện", "Người liên hệ", "Đại diện"),
}
_STT = frozenset({"stt", "tt", "so tt", "so thu tu"})

_LOOKUP: dict[str, str] = {}
for _field in FIELDS:
    _LOOKUP[search_key(_field)] = _field
    _LOOKUP[search_key(_field.replace("_", " "))] = _field
for _field, _variants in _VARIANTS.items():
    for _variant in _variants:
        _LOOKUP[search_key(_variant)] = _field

_COLUMN_NUMBER = re.compile(r"^\(?\d{1,2}\)?$")


def map_header(header: str, overrides: Mapping[str, str] | None = None) -> str | None:
    """The canonical field a registry header means, or None. ``overrides`` (from the sources file) win."""
    key = search_key(header)
    if not key:
        return None
    for written, target in (overrides or {}).items():
        if search_key(written) == key:
            return target
    return _LOOKUP.get(key)


def is_stt(header: str) -> bool:
    """The running-number column ("STT", "TT", "Số TT") that every government list starts with."""
    return search_key(header) in _STT


def is_header_row(cells: Iterable[str], overrides: Mapping[str, str] | None = None) -> bool:
    fields = {map_header(c, overrides) for c in cells} - {None}
    return "product_name" in fields and len(fields) >= MIN_MAPPED_HEADERS


def find_header_row(
    rows: Iterable[list[str]], max_scan: int = HEADER_SCAN_ROWS, overrides: Mapping[str, str] | None = None
) -> int | None:
    """Index of the first row where at least three cells map to fields, product_name among them."""
    for index, cells in enumerate(rows):
        if index >= max_scan:
            return None
        if is_header_row(cells, overrides):
            return index
    return None


def cell_text(value: Any) -> str:
    """A cell value as the registry means it: dates ISO, whole numbers without ".0"."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


@dataclass(frozen=True)
class TableRow:
    """One row of cells as a reader sees it.

    ``header_cells`` show merged/spanned cells the way the sheet displays them (a horizontally
    merged header repeated across its columns); ``cells`` carry only vertical merges down their
    own column, so a section title merged across a data row does not fill every field.
    """

    number: int
    cells: list[str]
    header_cells: list[str] | None = None

    @property
    def as_header(self) -> list[str]:
        return self.header_cells if self.header_cells is not None else self.cells


@dataclass(frozen=True)
class _Column:
    index: int
    header: str
    field: str | None


def raw_rows_from_table(
    rows: Iterable[TableRow], overrides: Mapping[str, str] | None, where: str
) -> Iterator[RawRow]:
    """Find the header below the title rows (one or two header rows) and yield the data rows."""
    iterator = iter(rows)
    scanned: list[TableRow] = []
    header_at = None
    for row in iterator:
        scanned.append(row)
        if is_header_row(row.as_header, overrides):
            header_at = len(scanned) - 1
            break
        if len(scanned) >= HEADER_SCAN_ROWS:
            break
    if header_at is None:
        if not any(any(c.strip() for c in r.cells) for r in scanned):
            raise RegistryError(f"{where}: the table is empty")
        raise RegistryError(
            f"{where}: no header row found in the first {HEADER_SCAN_ROWS} rows "
            "(need at least 3 known headers, 'Tên sản phẩm' among them)"
        )
    top = scanned[header_at].as_header
    header = [(h, h) for h in top]
    second = next(iterator, None)
    pending = []
    if second is not None and _is_sub_header(second.as_header, overrides):
        header = _combine_headers(top, second.as_header, overrides)
    elif second is not None:
        pending.append(second)
    columns = _columns(header, overrides)
    header_keys = [search_key(h) for _, h in header]

    for row in itertools.chain(pending, iterator):
        cells = [c.strip() for c in row.cells]
        if not any(cells) or _is_repeated_header(cells, header_keys, overrides) or _is_column_numbers(cells):
            continue
        values: dict[str, str] = {}
        raw: dict[str, str] = {}
        for column in columns:
            value = cells[column.index] if column.index < len(cells) else ""
            raw[column.header] = value
            if column.field and not values.get(column.field):
                values[column.field] = value
        for extra, value in enumerate(cells[len(header):], start=len(header) + 1):
            if value:
                raw[f"column {extra}"] = value
        yield RawRow(row_number=row.number, values=values, raw=raw)


def _columns(header: list[tuple[str, str]], overrides: Mapping[str, str] | None) -> list[_Column]:
    """``header`` holds (name shown in RawRow.raw, text that decides the field) per column."""
    columns = []
    used: set[str] = set()
    for index, (shown, meaning) in enumerate(header):
        shown = " ".join(shown.split())
        field = map_header(meaning, overrides)
        if is_stt(meaning) and field is None:
            continue
        name = shown or f"column {index + 1}"
        while name in used:
            name = f"{name} ({index + 1})"
        used.add(name)
        columns.append(_Column(index, name, field))
    return columns


def _is_sub_header(cells: list[str], overrides: Mapping[str, str] | None) -> bool:
    """A second header row: every non-empty cell is a known header, and it is not a header on its own."""
    filled = [c for c in cells if c.strip()]
    return bool(filled) and all(map_header(c, overrides) or is_stt(c) for c in filled)


def _combine_headers(
    top: list[str], sub: list[str], overrides: Mapping[str, str] | None
) -> list[tuple[str, str]]:
    """Two header rows ("Địa chỉ" merged over "Huyện" | "Xã"): the lower header decides the field."""
    width = max(len(top), len(sub))
    top = top + [""] * (width - len(top))
    sub = sub + [""] * (width - len(sub))
    combined = []
    for parent, child in zip(top, sub):
        parent, child = parent.strip(), child.strip()
        if child and search_key(child) != search_key(parent) and map_header(child, overrides):
            combined.append((f"{parent} / {child}" if parent else child, child))
        else:
            combined.append((parent, parent))
    return combined


def _is_repeated_header(cells: list[str], header_keys: list[str], overrides: Mapping[str, str] | None) -> bool:
    keys = [search_key(c) for c in cells]
    matching = sum(1 for k, h in zip(keys, header_keys) if k and k == h)
    return matching >= MIN_MAPPED_HEADERS or is_header_row(cells, overrides)


def _is_column_numbers(cells: list[str]) -> bool:
    """The "(1) (2) (3) …" row many government lists put under the header."""
    filled = [c for c in cells if c]
    if len(filled) < MIN_MAPPED_HEADERS or not all(_COLUMN_NUMBER.match(c) for c in filled):
        return False
    numbers = [int(c.strip("()")) for c in filled]
    return numbers == list(range(numbers[0], numbers[0] + len(numbers)))
