"""Where a registry table's header is and what each column means: one, two or three header rows.

Provinces head their lists with merged parents ("Chủ thể sản xuất" over "Tên" | "Địa chỉ" |
"Loại hình"). The xlsx and HTML readers show a merged parent repeated across its columns; a CSV
export repeats it or leaves the following cells empty. A row under the header is a sub-header when
its cells are short labels under a parent that spans them; then each column is named by its path
"Parent / Child" and its field comes from ``header_rules.path_field``. Reading the first row only
would make "Địa chỉ" a second producer column and "Ngày cấp" a second decision number.
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from hub.normalize.fold import search_key
from hub.registries.errors import RegistryError
from hub.registries.header_rules import (
    header_field, is_stt, mark_value, override_field, path_field, recency, taxonomy_level,
)

HEADER_SCAN_ROWS = 20
MIN_MAPPED_HEADERS = 3
MAX_HEADER_DEPTH = 3
MAX_LABEL_WORDS = 10
_HAS_LETTER = re.compile(r"[^\W\d_]")
_TITLE_WORDS = ("danh sach", "kem theo", "cong hoa", "doc lap", "uy ban nhan dan", "ubnd")
_STAR_MARK = re.compile(r"^(?:hang )?([1-5]) ?sao$")


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
class Column:
    """A column as read: ``name`` as written ("Parent / Child"; "column N" when blank). A ``mark``
    column ("Hạng sao" › "3 sao" | "4 sao") gives its field the value ``mark`` where it is ticked. A
    column whose header joins two fields ("Tên chủ thể - Địa chỉ") reads ``field`` from the start of
    each cell and ``also`` (the address) from its end."""

    index: int
    name: str
    field: str | None
    blank: bool = False
    mark: str | None = None
    also: str | None = None  # a second field written after the first in each cell ("Tên chủ thể - Địa chỉ")


@dataclass(frozen=True)
class HeaderBlock:
    """The header rows (``start`` is an index into the rows searched) and each column's path."""

    start: int
    depth: int
    paths: list[tuple[str, ...]]


def _pad(cells: Sequence[str], width: int) -> list[str]:
    return [c.strip() for c in cells] + [""] * (width - len(cells))


def _label_like(text: str) -> bool:
    """A header label: a few words with letters in them, not a value such as a date or a number."""
    return bool(_HAS_LETTER.search(text)) and len(text.split()) <= MAX_LABEL_WORDS and len(text) <= 80


def sub_header(parent: Sequence[str], child: Sequence[str], third_row: bool = False) -> list[str] | None:
    """``parent`` as seen from ``child`` when ``child`` is a sub-header row of it, else None.

    Every child cell that differs from its parent must be a label under a parent that spans it:
    the parent repeated in a neighbouring column (a merge), or followed by empty cells that the
    child row labels (a CSV parent). In the returned row those empty cells carry their parent.
    In the third row of a header (``third_row``), whose parents are already children of merged
    grandparents, a one-column parent may have a label too ("Thông tin chủ thể" › "Địa chỉ" ›
    "Xã, phường"), as long as other labels in the row sit under spanning parents.
    """
    width = max(len(parent), len(child))
    top, sub = _pad(parent, width), _pad(child, width)
    shown = list(top)
    labels = unspanned = 0
    for c in range(width):
        above, label = top[c], sub[c]
        if not label or search_key(label) == search_key(above):
            continue  # a column merged down (or typed once) through both rows
        if not _label_like(label):
            return None
        if above:
            spans = (c > 0 and top[c - 1] == above) or (c + 1 < width and top[c + 1] == above) or (
                c + 1 < width and not top[c + 1] and bool(sub[c + 1]))
            if not spans:
                if not third_row:
                    return None
                unspanned += 1
        else:
            left = c - 1
            while left >= 0 and not top[left]:
                left -= 1
            if left < 0 or not sub[left] or search_key(sub[left]) == search_key(top[left]):
                return None  # an empty parent cell with nothing to its left that spans it
            shown[c] = top[left]
        labels += 1
    return shown if labels > unspanned else None


def column_paths(rows: Sequence[Sequence[str]]) -> list[tuple[str, ...]]:
    """Each column's header path down the header rows, repeats (a merge down) and blanks left out."""
    width = max((len(r) for r in rows), default=0)
    padded = [_pad(r, width) for r in rows]
    paths = []
    for c in range(width):
        path: list[str] = []
        for row in padded:
            text = " ".join(row[c].split())
            if text and (not path or search_key(path[-1]) != search_key(text)):
                path.append(text)
        paths.append(tuple(path))
    return paths


def mapped_fields(paths: Sequence[tuple[str, ...]], overrides: Mapping[str, str] | None) -> set[str]:
    """The fields that distinct column paths map to (a title merged across counts once)."""
    return {f for f in (path_field(p, overrides) for p in set(paths)) if f}


def is_header(paths: Sequence[tuple[str, ...]], overrides: Mapping[str, str] | None) -> bool:
    fields = mapped_fields(paths, overrides)
    return "product_name" in fields and len(fields) >= MIN_MAPPED_HEADERS


def _parent_like(parent: Sequence[str], child: Sequence[str]) -> bool:
    """A parent header row, not a title block: several short labels, and a column merged down
    into the child row or at least three parents."""
    texts = {t.strip() for t in parent if t.strip()}
    if len(texts) < 2 or any(not _label_like(t) for t in texts):
        return False
    if any(word in search_key(t) for t in texts for word in _TITLE_WORDS):
        return False
    width = max(len(parent), len(child))
    top, sub = _pad(parent, width), _pad(child, width)
    merged_down = any(a and (not b or search_key(a) == search_key(b)) for a, b in zip(top, sub))
    return merged_down or len(texts) >= 3


def find_header(
    rows: Sequence[Sequence[str]], overrides: Mapping[str, str] | None = None, max_scan: int = HEADER_SCAN_ROWS
) -> HeaderBlock | None:
    """The first header block within ``max_scan`` rows: product name and 3+ fields, read with the
    sub-header rows below it (as many as compose, up to ``MAX_HEADER_DEPTH``)."""
    for start in range(min(len(rows), max_scan)):
        shown = [list(rows[start])]
        best = HeaderBlock(start, 1, column_paths(shown)) if is_header(column_paths(shown), overrides) else None
        for below in range(start + 1, min(len(rows), start + MAX_HEADER_DEPTH)):
            parent = sub_header(shown[-1], rows[below], third_row=len(shown) >= 2)
            if parent is None or (len(shown) == 1 and best is None and not _parent_like(shown[0], rows[below])):
                break
            shown[-1] = parent
            shown.append(list(rows[below]))
            paths = column_paths(shown)
            if is_header(paths, overrides):
                best = HeaderBlock(start, len(shown), paths)
        if best is not None:
            return best
    return None


def _ticked(columns: list[Column], paths: Sequence[tuple[str, ...]],
            overrides: Mapping[str, str] | None) -> list[Column]:
    """Children whose headers are values of their parent's field ("Hạng sao" › "3 sao" | "4 sao",
    "Loại hình chủ thể" › "HTX" | "DN" | "Hộ SX"), two or more under one parent, are ticked columns:
    each gives the parent's field its value where it holds a mark ("x")."""
    siblings: dict[tuple[str, ...], list[int]] = {}
    for position, column in enumerate(columns):
        path = paths[column.index]
        if len(path) >= 2 and not override_field(path, overrides):
            siblings.setdefault(path[:-1], []).append(position)
    for parent, positions in siblings.items():
        field = path_field(parent, overrides)
        if not field:
            continue
        values = {p: mark_value(field, paths[columns[p].index][-1]) for p in positions}
        ticked = [p for p, value in values.items() if value]
        if len(ticked) >= 2:
            for p in ticked:
                columns[p] = replace(columns[p], field=field, mark=values[p])
    return columns


def _taxonomy(columns: list[Column], paths: Sequence[tuple[str, ...]],
              overrides: Mapping[str, str] | None) -> list[Column]:
    """Several group-like columns are levels of the product taxonomy ("Ngành" | "Nhóm", or "Nhóm" |
    "Phân nhóm" | "Bộ sản phẩm"): the highest level is the group, the next the subgroup, any lower
    one is kept unmapped. Two columns at one level, or one that names no level, are left to the
    two-claims rule."""
    taxonomy = [p for p, c in enumerate(columns) if c.field in ("group", "subgroup") and not c.mark]
    if len(taxonomy) < 2 or any(override_field(paths[columns[p].index], overrides) for p in taxonomy):
        return columns
    levels = [taxonomy_level(paths[columns[p].index]) for p in taxonomy]
    if None in levels or len(set(levels)) != len(levels):
        return columns
    for rank, (_, p) in enumerate(sorted(zip(levels, taxonomy))):  # type: ignore[type-var]
        columns[p] = replace(columns[p], field=("group", "subgroup")[rank] if rank < 2 else None)
    return columns


_JOINED = re.compile(r"\s+[-–—&+]\s+|\s*[;,]\s*|\s+và\s+", re.IGNORECASE)


def _joined_fields(header: str) -> tuple[str, ...] | None:
    """The fields of a header that joins two labels ("Tên chủ thể - Địa chỉ", "Chủ thể và địa chỉ"),
    each meaning a field of its own, or None."""
    parts = [p for p in _JOINED.split(header) if p.strip()]
    if len(parts) != 2:
        return None
    fields = tuple(header_field(p) for p in parts)
    return fields if all(fields) and len(set(fields)) == 2 else None  # type: ignore[return-value]


def _name_and_address(columns: list[Column], paths: Sequence[tuple[str, ...]],
                      overrides: Mapping[str, str] | None) -> list[Column]:
    """A column headed by a name and its address joined ("Tên chủ thể - Địa chỉ", read as the
    address by its words) holds both in each cell: it is the name's column, and the address is
    read from the end of the cell, unless another column already gives the name."""
    claimed = {c.field for c in columns if c.field}
    for position, column in enumerate(columns):
        path = paths[column.index]
        if column.field != "address" or column.mark or not path or override_field(path, overrides):
            continue
        fields = _joined_fields(path[-1])
        if fields and fields[1] == "address" and fields[0] not in claimed:
            columns[position] = replace(column, field=fields[0], also="address")
            claimed.add(fields[0])
    return columns


def _current(positions: list[int], columns: list[Column], paths: Sequence[tuple[str, ...]]) -> int | None:
    """Of columns claiming one field, the one holding its current value when their headers say
    when ("Hạng cũ" | "Hạng mới", "Hạng sao" › "Năm 2021" | "Sau đánh giá lại năm 2024", "Hạng" |
    "Hạng (trước đánh giá lại)"): after beats unqualified beats before, then the latest year when
    every column still in the running names one. None when no header says when, or no one wins."""
    times = {p: recency(paths[columns[p].index]) for p in positions}
    if not any(times.values()):
        return None
    ranks = {p: (t or (1, 0))[0] for p, t in times.items()}
    top = [p for p in positions if ranks[p] == max(ranks.values())]
    if len(top) > 1 and all(times[p] and times[p][1] for p in top):  # type: ignore[index]
        latest = max(times[p][1] for p in top)  # type: ignore[index]
        top = [p for p in top if times[p][1] == latest]  # type: ignore[index]
    return top[0] if len(top) == 1 else None


def columns_of(paths: Sequence[tuple[str, ...]], overrides: Mapping[str, str] | None, where: str) -> list[Column]:
    """The table's columns (STT left out) with their fields. Two columns never claim one field: a
    column named in ``columns:`` beats one mapped by the rules; ticked children of one parent
    ("Hạng sao" › "3 sao" | "4 sao", "Loại hình" › "HTX" | "DN") compose into the parent's field, and
    so does one column per star rating without a parent; levels of the product taxonomy ("Ngành" |
    "Nhóm") become group and subgroup; else two columns mapped by the rules refuse the source,
    naming both and the override that settles it — unless their headers say when, and one holds
    the current value ("Hạng mới" over "Hạng cũ": ``_current``); the others are kept unmapped."""
    columns: list[Column] = []
    used: set[str] = set()
    for index, path in enumerate(paths):
        overridden = override_field(path, overrides)
        if path and is_stt(path[-1]) and not overridden:
            continue
        name = " / ".join(path) if path else f"column {index + 1}"
        while name in used:
            name = f"{name} ({index + 1})"
        used.add(name)
        field = path_field(path, overrides) if path else None
        columns.append(Column(index, name, field, blank=not path))
    columns = _name_and_address(_taxonomy(_ticked(columns, paths, overrides), paths, overrides), paths, overrides)
    chosen: dict[str, list[int]] = {}
    for position, column in enumerate(columns):
        if column.field and not column.mark:
            chosen.setdefault(column.field, []).append(position)
    for field, positions in chosen.items():
        if len(positions) < 2:
            continue
        marks = [_STAR_MARK.match(search_key(paths[columns[p].index][-1])) for p in positions]
        if field == "stars" and all(marks):  # one column per rating, the product's ticked
            for p, mark in zip(positions, marks):
                columns[p] = replace(columns[p], mark=f"{mark.group(1)} sao")  # type: ignore[union-attr]
            continue
        named = [p for p in positions if override_field(paths[columns[p].index], overrides) == field]
        if len(named) != 1:
            current = _current(positions, columns, paths)
            named = [current] if current is not None else named
        if len(named) == 1:
            for p in positions:
                if p != named[0]:
                    columns[p] = Column(columns[p].index, columns[p].name, None)
            continue
        names = [columns[p].name for p in positions]
        listed = ", ".join(f'"{n}"' for n in names[:-1]) + f' and "{names[-1]}"'
        raise RegistryError(
            f"{where}: columns {listed} {'both' if len(names) == 2 else 'all'} read as {field}; "
            "the hub does not guess which one holds it. "
            f'Name it in the sources file, e.g. columns: {{"{names[0]}": {field}}} '
            "(the other columns are then kept as written, unmapped)"
        )
    return columns
