"""A registry table (rows of cell texts) → ``RawRow``s, shared by the CSV, Excel and HTML readers.

The header is found below any title rows and read with its merged sub-header rows
(``layout``); header texts mean fields by rules (``header_rules``). The title lines above it (and
a document's title block, given apart) may name the district of a district's own list and the
decision the list is annexed to: both go to the rows that do not say otherwise. Below the header,
rows that are not products are told apart (``sections``): blank rows, repeated headers (tables
pasted page after page), the "(1) (2) (3)" column-number row, section titles (whose stars, unit or
group fill the rows below them), totals and the signature footer. What was understood goes into a
``TableReading`` for the clerk.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

from hub.normalize.fold import search_key
from hub.normalize.groups import GroupMatch, map_group
from hub.records import HEADING_CONFLICT_KEY, LIST_DECISION_KEY, TITLE_PROVINCE_KEY, RawRow
from hub.registries.errors import RegistryError
from hub.registries.header_rules import is_stt, path_field
from hub.registries.layout import (
    HEADER_SCAN_ROWS, MAX_HEADER_DEPTH, MIN_MAPPED_HEADERS, Column, TableRow, column_paths, columns_of,
    find_header, is_header,
)
from hub.registries.reading import ColumnReading, SkippedRow, TableReading
from hub.units.names import unit_key
from hub.registries.sections import (
    Section, SectionStack, count_cell, has_numbering, is_column_numbers, is_footer, is_numbering_cell,
    is_running_number, is_totals, names_producer, parse_section, section_group, star_level, title_decision,
    title_district, title_group, title_line, title_provinces, title_stars, PRODUCER_ATTRIBUTES,
)
from hub.registries.title_date import title_list_date

__all__ = [
    "HEADER_SCAN_ROWS", "MIN_MAPPED_HEADERS", "TITLE_DECISION_KEY", "TableRow", "cell_text", "find_header_row",
    "is_header_row", "is_stt", "map_header", "raw_rows_from_table",
]

TITLE_DECISION_KEY = "(decision from title)"
"""Raw-row key holding the title's decision on each row it was given to (provenance: the row's
own cells named none)."""
_OWN_DECISION = ("decision_number", "decision_date")

MAX_FOOTER_CELLS = 4
"""A signature row holds a few cells ("Người lập biểu" … "KT. GIÁM ĐỐC"); a product row more."""

# A phone number typed as a number loses its leading 0 (912345678 for 0912345678, 2043852123 for
# the landline 02043852123): nine or ten digits without it are a Vietnamese number missing its 0.
_PHONE_WITHOUT_ZERO = re.compile(r"^[1-9]\d{8,9}$")
# Where an address starts after a name in one cell ("HTX A - Xã B, huyện C"), folded.
_ADDRESS_START = re.compile(
    r"^(?:dia chi |tru so )?(?:xa|phuong|thi tran|thon|ap|ban|xom|khom|khu pho|khu|to dan pho|to|so nha|so|"
    r"duong|pho|huyen|quan|thanh pho|thi xa|tp|tx|tt|p|x|tinh|km|lo|ngo|hem|kiet|\d)\b")
_NAME_ADDRESS_SEPARATOR = re.compile(r"\s+[-–—]\s+|\s*[,;]\s*|\s*\n\s*")


def split_name_address(text: str) -> tuple[str, str]:
    """A cell holding a name and then its address ("HTX Nông nghiệp Thanh Hà - Xã Thanh Sơn, huyện
    Thanh Hà"): (name, address), cut at the first separator that an address follows; (text, "")
    when no address follows."""
    for match in _NAME_ADDRESS_SEPARATOR.finditer(text):
        name, rest = text[:match.start()].strip(), text[match.end():].strip()
        if name and rest and _ADDRESS_START.match(search_key(rest)):
            return name, re.sub(r"^(?:địa chỉ|trụ sở)\s*:\s*", "", rest, flags=re.IGNORECASE)
    return text, ""


def map_header(header: str, overrides: Mapping[str, str] | None = None) -> str | None:
    """The canonical field a registry header means, or None. ``overrides`` (from the sources file,
    compared folded) win."""
    return path_field((header,), overrides) if search_key(header) else None


def is_header_row(cells: Iterable[str], overrides: Mapping[str, str] | None = None) -> bool:
    """A header on its own: the product name and at least ``MIN_MAPPED_HEADERS`` fields."""
    return is_header(column_paths([list(cells)]), overrides)


def find_header_row(
    rows: Iterable[list[str]], max_scan: int = HEADER_SCAN_ROWS, overrides: Mapping[str, str] | None = None
) -> int | None:
    """Index of the first header row (alone or over sub-header rows) within ``max_scan`` rows."""
    head = list(itertools.islice(rows, max_scan + MAX_HEADER_DEPTH - 1))
    block = find_header(head, overrides, max_scan)
    return None if block is None else block.start


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


def raw_rows_from_table(
    rows: Iterable[TableRow], overrides: Mapping[str, str] | None, where: str,
    reading: TableReading | None = None, title: Sequence[str] = (), sheet_name: str | None = None,
) -> Iterator[RawRow]:
    """Find the header below the title rows (one to three header rows) and yield the product rows.

    ``reading`` (optional) is filled as the table is read: header rows and columns before the
    first row is yielded, skipped rows and section count mismatches as they come. ``title``: the
    title block of a document whose tables come after it (an annex's paragraphs), read before the
    rows above the header; a district or a decision it names goes to every row as theirs does, and
    so does a star level it states (else one the ``sheet_name`` states: a sheet "3 sao"). The
    provinces it names go with every row (``TITLE_PROVINCE_KEY``) for the ingest to check.
    """
    reading = reading if reading is not None else TableReading()
    iterator = iter(rows)
    scanned = list(itertools.islice(iterator, HEADER_SCAN_ROWS + MAX_HEADER_DEPTH - 1))
    block = find_header([r.as_header for r in scanned], overrides)
    if block is None:
        if not any(any(c.strip() for c in r.cells) for r in scanned):
            raise RegistryError(f"{where}: the table is empty")
        raise RegistryError(
            f"{where}: no header row found in the first {HEADER_SCAN_ROWS} rows "
            "(need at least 3 known headers, 'Tên sản phẩm' among them)"
        )
    header_rows = scanned[block.start:block.start + block.depth]
    columns = columns_of(block.paths, overrides, where)
    reading.header_rows[:] = [r.number for r in header_rows]
    reading.columns[:] = [ColumnReading(c.name, c.field, c.index) for c in columns]
    reading.unmapped[:] = [c.name for c in columns if c.field is None and not c.blank]
    lines = [*title, *(title_line(r.as_header) for r in scanned[:block.start])]
    table = _Table(columns, header_rows, reading, title_decision(lines))
    stated_date = title_list_date(lines)
    if stated_date is not None and (reading.list_date is None or stated_date.isoformat() > reading.list_date):
        reading.list_date = stated_date.isoformat()
    stated = title_stars(lines)
    table.stars = stated or (title_stars([sheet_name]) if sheet_name else None)
    table.stars_from = "the title" if stated else f"sheet {sheet_name!r}"
    table.provinces = "; ".join(title_provinces(lines)) or None
    table.group = title_group(lines) or (title_group([sheet_name]) if sheet_name else None)
    district = title_district(lines)
    if district:  # a district's own list: its title names the district of every row
        table.sections.push(Section(district, {"district": district}, None, "district"), scanned[0].number)
    table.overrides, table.where = overrides, where
    rest = itertools.chain(scanned[block.start + block.depth:], iterator)
    yield from table.read(rest)
    if table.next_header is not None:  # another table below, under its own header: read with its own title
        part = TableReading()
        yield from raw_rows_from_table(itertools.chain([table.next_header], rest), overrides, where, part,
                                       title=[*title, *table.titles_since_product], sheet_name=sheet_name)
        reading.merge(part)


_FOOTNOTE_MARK = re.compile(r"\((\*{1,3})\)\s*$|(?<=\S)\s?(\*{1,3})$")
_FOOTNOTE = re.compile(r"^\((\*{1,3})\)\s*(.+)$")


def _with_footnotes(rows: list[RawRow], skipped: list[SkippedRow]) -> list[RawRow]:
    """Ratings marked "(*)" read with the note under the table that explains the mark ("(*) Sản
    phẩm tiềm năng 5 sao"), when the note states a rating of the same level: the cell stays as
    written in the raw row. A mark no note explains leaves the rating as it is."""
    notes: dict[str, str] = {}
    for line in skipped:
        match = _FOOTNOTE.match(line.text.split(" | ")[0].strip()) if line.reason == "footer" else None
        if match:
            notes.setdefault(match.group(1), match.group(2))
    for row in rows:
        stars = row.values.get("stars", "")
        mark = _FOOTNOTE_MARK.search(stars)
        noted = parse_section(notes.get(mark.group(1) or mark.group(2), "")).values.get("stars") if mark else None
        if noted and star_level(noted) == star_level(stars):
            row.values["stars"] = noted
    return rows


def _same_group(own: str, heading: str) -> bool:
    mine, theirs = map_group(own), map_group(heading)
    return not (isinstance(mine, GroupMatch) and isinstance(theirs, GroupMatch)) or mine.code == theirs.code


_HEADING_FIELDS: dict[str, Callable[[str, str], bool]] = {
    "stars": lambda own, heading: star_level(own) in (None, star_level(heading)),
    "group": _same_group,
    "district": lambda own, heading: unit_key(own)[1] == unit_key(heading)[1],
}
"""What a row's own value is compared with in its section, title or sheet name: a contradiction
is kept (the row's value wins) and warned (CONTRADICTS_HEADING)."""


class _Table:
    """The reading of the rows below one header."""

    def __init__(self, columns: list[Column], header_rows: list[TableRow], reading: TableReading,
                 decision: str | None) -> None:
        self.columns = columns
        self.mapping = {c.index: c.field for c in columns if c.field}
        self.overrides: Mapping[str, str] | None = None
        self.where = ""
        self.next_header: TableRow | None = None  # the header of another table met below this one
        self.titles_since_product: list[str] = []  # the title and section rows since the last product
        self.decision = decision  # the title's, for the rows that name none
        self.stars: str | None = None  # the title's (or sheet name's) star level, for the rows that state none
        self.stars_from = ""
        self.provinces: str | None = None  # the provinces the title names
        self.group: str | None = None  # the group the title (or sheet name) states, for the rows that state none
        self.reading = reading
        self.width = max(len(r.as_header) for r in header_rows)
        self.field_at = {c.index: c.field for c in columns}
        self.mark_fields = list(dict.fromkeys(c.field for c in columns if c.mark and c.field))
        self.unread_at = {i for i in range(self.width) if self.field_at.get(i) is None}  # STT, notes, spacers
        self.header_texts: list[set[str]] = [set() for _ in range(self.width)]
        for row in header_rows:
            for index, text in enumerate(row.as_header):
                if text.strip():
                    self.header_texts[index].add(text.strip())
        self.header_keys = [{search_key(t) for t in texts} for texts in self.header_texts]
        # A cell is folded to compare it with the header only when its length is close to a header
        # text's in its column: a product name or a producer rarely is, and folding costs.
        self.header_lengths = [range(min(map(len, t), default=1) - 2, max(map(len, t), default=-3) + 3)
                               for t in self.header_texts]
        self.sections = SectionStack(mismatches=reading.section_count_mismatches)
        self.in_footer = False
        self.blank_used: set[str] = set()

    def read(self, rows: Iterable[TableRow]) -> Iterator[RawRow]:
        held: list[RawRow] = []  # from the first rating marked "(*)": its note comes under the table
        notes_from = len(self.reading.skipped)
        for row in rows:
            cells = [c.strip() for c in row.cells]
            filled = [i for i, c in enumerate(cells) if c]
            if not filled:
                continue
            first = cells[filled[0]]
            product_shaped = len(filled) >= 3 and first.isdigit() and not cells[filled[1]].isdigit()
            if not product_shaped and self.titles_since_product and not self.in_footer \
                    and self._is_other_header(cells):
                self.next_header = row
                break
            if self.in_footer or not product_shaped:
                if self._skipped(row, cells, filled):
                    continue
            self.titles_since_product = []
            raw_row = self._raw_row(row.number, cells)
            if held or ("*" in raw_row.values.get("stars", "") and _FOOTNOTE_MARK.search(raw_row.values["stars"])):
                held.append(raw_row)
                continue
            yield raw_row
        self.sections.close()
        self.reading.unmapped.extend(c.name for c in self.columns if c.name in self.blank_used)
        yield from _with_footnotes(held, self.reading.skipped[notes_from:])

    def _skip(self, row: TableRow, reason: str, text: str) -> bool:
        self.reading.skipped.append(SkippedRow(row.number, reason, text))
        if reason == "section":
            self.titles_since_product.append(text)
        return True

    def _is_other_header(self, cells: list[str]) -> bool:
        """A header row, under a title of its own, whose columns mean other fields than this
        table's: another table starts (a product row without a running number can look like a
        header; one right under a title does not)."""
        if not is_header_row(cells, self.overrides):
            return False
        try:
            other = columns_of(column_paths([cells]), self.overrides, self.where)
        except RegistryError:
            return False  # two columns claiming one field: read as this table's header repeated
        return {c.index: c.field for c in other if c.field} != self.mapping

    def _skipped(self, row: TableRow, cells: list[str], filled: list[int]) -> bool:
        """True for a row that is not a product (reported when it is a section, totals or footer)."""
        texts = [cells[i] for i in filled]
        joined = " | ".join(texts)
        if self.in_footer:
            return self._skip(row, "footer", joined)
        if is_column_numbers(texts) or self._is_repeated_header(cells, filled):
            return True
        if len(filled) <= MAX_FOOTER_CELLS and any(is_footer(t, len(texts) == 1) for t in texts):
            self.in_footer = True
            return self._skip(row, "footer", joined)
        # "I. | Huyện X", "(a) | Nhóm Y"; or a bare running number with a lone title, "1 | Thị xã An
        # Nhơn" over rows "1.1", "1.2", or a sub-level one, "1.1 | Thủy sản chế biến" (a section
        # only when the title names something or spans the row)
        numbered = len(texts) >= 2 and filled[0] in self.unread_at and (
            is_numbering_cell(texts[0]) or (len(texts) == 2 and is_running_number(texts[0])))
        label, at = (texts[1], filled[1]) if numbered else (texts[0], filled[0])
        rest = texts[numbered + 1:]
        if label[:1].lower() in "tc" and is_totals(label) and sum(
                not any(ch.isdigit() for ch in t) for t in rest) <= 1:
            return self._skip(row, "totals", joined)
        rest_at = filled[numbered + 1:]
        if rest and numbered and names_producer(label) and all(
                self.field_at.get(i) in PRODUCER_ATTRIBUTES for i in rest_at):
            # "II | Cơ sở Kẹo dừa Thanh Long | Phường An Hội": a producer over its products; its own
            # cells (place, type, phone) are the producer's and go to the rows below like the title
            section = self._section(row, label, at, texts[0])
            if section is not None and section.kind == "producer_name":
                extra = {self.field_at[i]: cells[i] for i in rest_at}  # type: ignore[misc]
                section = dataclasses.replace(section, values={**section.values, **extra})
                self.sections.push(section, row.number)
                return self._skip(row, "section", joined)
        if len(rest) <= 1 and not label.isdigit() and (not rest or count_cell(rest[0]) is not None):
            section = self._section(row, label, at, texts[0] if numbered else None)
            if section is not None:
                if rest and section.count is None:  # "HUYỆN NA RÌ | 12": the count in a cell of its own
                    section = dataclasses.replace(section, count=count_cell(rest[0]))
                if not section.is_title:
                    self.sections.push(section, row.number)
                return self._skip(row, "section", section.title)
        return False

    def _section(self, row: TableRow, title: str, at: int, numbering: str | None) -> Section | None:
        """The section a lone title opens, when its words or its place say it is one: stars, a unit
        or a group named; a numbering (I., A., II -); a trailing colon; all capitals; written in a
        column that holds no field (the STT column); or merged across the row. After a bare number
        in the STT column ("1 | Thị xã An Nhơn") only the words or a merge across the row count."""
        section = parse_section(title)
        if numbering:  # the number typed in the STT column before the title shows in the report
            section = dataclasses.replace(section, title=f"{numbering} {section.title}")
        if section.values or section.is_title:
            return section
        merged = row.header_cells is not None and sum(1 for c in row.header_cells if c.strip() == title) >= 2
        if numbering and is_running_number(numbering):  # a product's number too, unless the title spans the row
            return section_group(section) if merged else None
        if (has_numbering(title) or (numbering and is_numbering_cell(numbering, letters_only=True))
                or title.endswith(":") or (title.isupper() and " " in title) or at in self.unread_at or merged):
            return section_group(section)
        return None

    def _is_repeated_header(self, cells: list[str], filled: list[int]) -> bool:
        """The header again (a table pasted page after page): its cells are the header's texts."""
        matches = 0
        for i in filled:
            if i < self.width and (cells[i] in self.header_texts[i] or (
                    len(cells[i]) in self.header_lengths[i] and search_key(cells[i]) in self.header_keys[i])):
                matches += 1
        if matches >= MIN_MAPPED_HEADERS or (matches >= 2 and matches == len(filled)):
            return True
        return matches >= 1 and is_header_row(cells)

    def _raw_row(self, number: int, cells: list[str]) -> RawRow:
        values: dict[str, str] = {}
        raw: dict[str, str] = {}
        marked: dict[str, list[str]] = {}
        for column in self.columns:
            value = cells[column.index] if column.index < len(cells) else ""
            raw[column.name] = value
            if column.mark and column.field:
                if value:
                    marked.setdefault(column.field, []).append(column.mark)
            elif column.field and column.also:
                name, rest = split_name_address(value)
                values[column.field] = name
                if rest and not values.get(column.also):
                    values[column.also] = rest
            elif column.field:
                if value or not values.get(column.field):  # an empty cell keeps an address read before it
                    values[column.field] = value
            elif column.blank and value:
                self.blank_used.add(column.name)
        for field in self.mark_fields:  # two ticks give "3 sao, 4 sao", which no one reads as a rating
            values[field] = ", ".join(marked.get(field, ()))
        if _PHONE_WITHOUT_ZERO.match(values.get("phone", "")):
            values["phone"] = "0" + values["phone"]
        for extra, value in enumerate(cells[self.width:], start=self.width + 1):
            if value:
                raw[f"column {extra}"] = value
        headed = bool(self.sections.open or self.stars or self.group)
        own = {name: values.get(name, "") for name in _HEADING_FIELDS} if headed else {}
        self.sections.apply(values, raw)
        if self.stars and not values.get("stars") and not values.get("score"):
            values["stars"] = self.stars
        if self.group and not values.get("group"):
            values["group"] = self.group
        conflicts = []
        for name, agree in _HEADING_FIELDS.items() if headed else ():
            heading = self.sections.value_of(name) or {"stars": self.stars, "group": self.group}.get(name)
            if own[name] and heading and not agree(own[name], heading):
                under = self.sections.title_of(name) or (self.stars_from if name == "stars" else "the title")
                conflicts.append(f"{name}: the row says {own[name]!r}, {under} says {heading!r}")
        if conflicts:
            raw[HEADING_CONFLICT_KEY] = " | ".join(conflicts)
        if self.provinces:
            raw[TITLE_PROVINCE_KEY] = self.provinces
        if self.decision and not any(values.get(name) for name in _OWN_DECISION):
            values["decision_number"] = self.decision  # read like a "Số, ngày quyết định" cell
            raw[TITLE_DECISION_KEY] = self.decision
        elif self.decision and values.get("decision_number") != self.decision:
            raw[LIST_DECISION_KEY] = self.decision  # the row's own wins; a revocation list may need the title's
        return RawRow(row_number=number, values=values, raw=raw)
