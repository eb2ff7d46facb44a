"""Generated registries that compose the layout features at random: title rows, header wording from
synonyms, merged parents (xlsx merges, HTML spans, CSV parents repeated or followed by blanks),
section rows for stars / district / group, totals and signature footers, spacer and notes columns.
Every product must come out with its values; no section, totals or footer row may become one."""
from __future__ import annotations

import csv
import html as html_lib
import io
from dataclasses import dataclass, field
from typing import Any


from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hub.records import LOCATION_KEY
from tests.registries.corpus import Layout, csv_bytes, html, read_layout, workbook, xlsx

SYNONYMS: dict[str, list[str]] = {
    "product_name": ["Tên sản phẩm", "Tên SP", "Sản phẩm", "Tên sản phẩm OCOP", "Sản phẩm OCOP", "Tên sản phẩm, dịch vụ"],
    "producer_name": ["Chủ thể", "Tên chủ thể", "Chủ thể sản xuất", "Tên cơ sở", "Tên HTX/DN/Hộ SXKD",
                      "Chủ thể kinh doanh", "Đơn vị/cá nhân sở hữu", "Tên chủ thể OCOP"],
    "producer_type": ["Loại hình", "Loại hình chủ thể", "Loại hình tổ chức", "Phân loại"],
    "address": ["Địa chỉ", "ĐC", "Nơi sản xuất", "Địa chỉ sản xuất"],
    "province": ["Tỉnh", "Tỉnh/Thành phố", "Tỉnh, thành phố"],
    "district": ["Huyện", "Huyện/TX/TP", "Quận/Huyện", "Huyện, thị xã, thành phố"],
    "commune": ["Xã", "Xã/Phường", "Xã/phường/đặc khu", "Xã, phường, thị trấn"],
    "group": ["Nhóm sản phẩm", "Nhóm", "Ngành hàng", "Nhóm sản phẩm OCOP", "Nhóm SP", "Bộ sản phẩm"],
    "stars": ["Hạng sao", "Số sao", "Xếp hạng", "Hạng sao đạt được", "Kết quả phân hạng", "Số sao đạt", "Hạng"],
    "score": ["Điểm", "Tổng điểm", "Điểm đánh giá"],
    "decision_number": ["Số quyết định", "Số QĐ", "Số, ngày quyết định", "QĐ công nhận số", "Quyết định công nhận"],
    "decision_date": ["Ngày quyết định", "Ngày công nhận", "Ngày cấp", "Ngày, tháng, năm công nhận", "Thời gian công nhận"],
    "year": ["Năm công nhận", "Năm", "Năm được công nhận", "Năm đạt"],
    "issuing_body": ["Cơ quan ban hành", "Cơ quan công nhận", "Cấp công nhận"],
    "phone": ["Điện thoại", "SĐT", "Số điện thoại"],
}
# Parents merged over children that may mean nothing alone ("Tên", "Số", "Ngày").
PARENTS: dict[str, tuple[list[str], dict[str, list[str]]]] = {
    "producer": (["Chủ thể sản xuất", "Thông tin chủ thể", "Chủ thể", "Cơ sở sản xuất"],
                 {"producer_name": ["Tên", "Tên chủ thể"], "producer_type": ["Loại hình"], "address": ["Địa chỉ"],
                  "phone": ["Điện thoại", "SĐT"]}),
    "place": (["Địa chỉ", "Địa bàn"], {"district": ["Huyện", "Huyện/TX/TP"], "commune": ["Xã", "Xã/Phường"]}),
    "decision": (["Quyết định công nhận", "Chứng nhận OCOP", "Công nhận OCOP"],
                 {"decision_number": ["Số", "Số QĐ"], "decision_date": ["Ngày", "Ngày cấp"], "stars": ["Hạng", "Hạng sao"],
                  "year": ["Năm"], "issuing_body": ["Cơ quan ban hành"]}),
}
ORDER = ["product_name", "producer_name", "producer_type", "address", "phone", "province", "district", "commune",
         "group", "score", "stars", "decision_number", "decision_date", "year", "issuing_body"]
VALUES: dict[str, list[str]] = {
    "product_name": ["Miến dong Côn Minh", "Chè búp Tân Cương", "Mật ong bạc hà", "Gạo nếp cái hoa vàng",
                     "Rượu men lá Nà Phặc", "Bánh gai Ninh Giang", "Cà phê Arabica Cầu Đất", "Nước mắm Cát Hải"],
    "producer_name": ["HTX Nông nghiệp Cao Sơn", "Công ty TNHH Chè Tân Cương", "Hộ kinh doanh Hoàng Văn Ong",
                      "Tổ hợp tác Lạch Dương", "Cơ sở Kẹo cu đơ Thành Sen"],
    "producer_type": ["HTX", "Doanh nghiệp", "Hộ kinh doanh", "Tổ hợp tác"],
    "address": ["thôn Nà Làng, xã Côn Minh", "tổ 5, phường Lâm Viên", "xóm Bến, xã Kim Hỷ"],
    "province": ["Bắc Kạn", "Tỉnh Bắc Kạn", "Thái Nguyên", "tỉnh Quảng Ninh"],  # a national list's province column
    "district": ["huyện Na Rì", "huyện Ba Bể", "thành phố Bắc Kạn"],
    "commune": ["xã Côn Minh", "phường Đức Xuân", "xã Kim Hỷ"],
    "group": ["Thực phẩm", "Đồ uống", "Dược liệu", "Thủ công mỹ nghệ"],
    "stars": ["3 sao", "4 sao", "★★★", "5"],
    "score": ["56", "72", "91"],
    "decision_number": ["858/QĐ-UBND", "1520/QĐ-UBND ngày 15/8/2022", "2001/QĐ-UBND"],
    "decision_date": ["19/06/2025", "15/08/2022", "2023-05-02"],
    "year": ["2019", "2022", "2025"],
    "issuing_body": ["UBND tỉnh Bắc Kạn", "UBND huyện Na Rì", "Hội đồng Trung ương"],
    "phone": ["0912345678", "0209 3871 234"],
}
TITLES = ["UBND TỈNH BẮC KẠN", "DANH SÁCH SẢN PHẨM OCOP NĂM 2024", "SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG",
          "(Kèm theo Quyết định số 858/QĐ-UBND ngày 19/6/2025 của UBND tỉnh)", ""]
TOTALS = ["Tổng cộng", "Tổng: {n} sản phẩm", "Cộng", "Tổng số sản phẩm: {n}", "TỔNG CỘNG ({n} SP)"]
FOOTERS = [["Người lập biểu", "Nguyễn Văn An"], ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Trần Thị Bình"],
           ["Bắc Kạn, ngày 12 tháng 3 năm 2024", "TM. ỦY BAN NHÂN DÂN", "(Ký, ghi rõ họ tên)"],
           ["Nơi nhận:", "- Như trên;", "- Lưu: VT."], ["Thủ trưởng đơn vị", "(Ký tên, đóng dấu)"]]
ROMAN = ["I", "II", "III", "IV"]
LETTERS = ["A", "B", "C", "D"]


def _section_title(kind: str, value: str, position: int, style: int, count: int) -> tuple[str, str]:
    """(title as typed, value the section gives its rows)."""
    if kind == "stars":
        n = value.split()[0]
        return [(f"{ROMAN[position]}. SẢN PHẨM ĐẠT {n} SAO", f"{n} sao"),
                (f"{ROMAN[position]}. Sản phẩm {n} sao ({count} sản phẩm)", f"{n} sao"),
                (f"SẢN PHẨM {n} SAO", f"{n} sao")][style]
    if kind == "district":
        name = value.split(" ", 1)[1]
        return [(f"{position + 1}. Huyện {name}", f"Huyện {name}"), (f"HUYỆN {name.upper()}", f"HUYỆN {name.upper()}"),
                (f"Huyện {name}:", f"Huyện {name}")][style]
    return [(f"{LETTERS[position]}. NHÓM {value.upper()}", f"NHÓM {value.upper()}"), (f"Nhóm {value.lower()}", f"Nhóm {value.lower()}"),
            (f"{LETTERS[position]}. NHÓM {value.upper()} ({count} SP)", f"NHÓM {value.upper()}")][style]


@dataclass
class Table:
    """A generated registry: its grid (header rows, then body rows) and what must come out."""

    kind: str
    header: list[list[str]]  # one or two rows; a parent repeated over its children
    parent_spans: list[tuple[int, int]]  # (first column, last column) of each merged parent
    body: list[tuple[str, list[str]]]  # ("title" | "product" | "section" | "totals" | "footer" | "blank", cells)
    expected: list[dict[str, str]] = field(default_factory=list)
    csv_blank_parents: bool = False


@st.composite
def tables(draw: st.DrawFn) -> Table:
    mode = {f: draw(st.sampled_from(["column", "section", "none"])) for f in ("stars", "district", "group")}
    optional = [f for f in ORDER if f not in ("product_name", "producer_name", "stars", "district", "group")]
    chosen = {"product_name", "producer_name"} | {f for f, m in mode.items() if m == "column"}
    chosen |= set(draw(st.lists(st.sampled_from(optional), min_size=1, max_size=5, unique=True)))
    fields = [f for f in ORDER if f in chosen]
    section_kinds = [f for f in ("stars", "district", "group") if mode[f] == "section"]
    has_stt, has_notes, has_spacer = draw(st.booleans()), draw(st.booleans()), draw(st.booleans())
    merged = {name: draw(st.booleans()) for name in PARENTS}

    # Columns: (parent or "", child header, field or None)
    columns: list[tuple[str, str, str | None]] = [("", "STT", None)] if has_stt else []
    placed: set[str] = set()
    for f in fields:
        if f in placed:
            continue
        group = next((g for g, (_, kids) in PARENTS.items() if f in kids and f != "product_name"), None)
        members = [m for m in fields if group and m in PARENTS[group][1] and m not in placed]
        if group and merged[group] and len(members) >= 2:
            parent = draw(st.sampled_from(PARENTS[group][0]))
            for m in members:
                columns.append((parent, draw(st.sampled_from(PARENTS[group][1][m])), m))
                placed.add(m)
            continue
        columns.append(("", draw(st.sampled_from(SYNONYMS[f])), f))
        placed.add(f)
        if f == "product_name" and has_spacer:
            columns.append(("", "", None))
    if has_notes:
        columns.append(("", "Ghi chú", None))
    two_rows = any(parent for parent, _, _ in columns)
    if two_rows:
        header = [[p or c for p, c, _ in columns], [c for _, c, _ in columns]]  # a column merged down repeats
    else:
        header = [[c for _, c, _ in columns]]
    spans: list[tuple[int, int]] = []
    for i, (parent, _, _) in enumerate(columns):
        if parent and (not spans or columns[spans[-1][0]][0] != parent or spans[-1][1] != i - 1):
            spans.append((i, i))
        elif parent:
            spans[-1] = (spans[-1][0], i)
    kind = draw(st.sampled_from(["csv", "xlsx", "html"]))
    table = Table(kind, header, spans, [], csv_blank_parents=draw(st.booleans()))

    for _ in range(draw(st.integers(0, 3))):
        table.body.insert(0, ("title", [draw(st.sampled_from(TITLES))]))
    width = len(columns)
    counter = [0]

    def product(extra: dict[str, str]) -> None:
        counter[0] += 1
        values = {f: draw(st.sampled_from(VALUES[f])) for f in fields}
        values["product_name"] = f"{values['product_name']} loại {counter[0]}"
        cells = []
        for _, _, f in columns:
            if f is None:
                cells.append(str(counter[0]) if not cells and has_stt else "")
            else:
                cells.append(values[f])
        if has_notes and draw(st.booleans()):
            cells[-1] = draw(st.sampled_from(["mới", "tái đánh giá", "bổ sung"]))
        table.body.append(("product", cells))
        table.expected.append({**{f: values[f] for f in fields}, **extra})

    def section_cells(title: str) -> list[str]:
        where = draw(st.sampled_from(["first", "product"]))
        cells = [""] * width
        cells[0 if where == "first" else next(i for i, c in enumerate(columns) if c[2] == "product_name")] = title
        return cells

    def fill(levels: list[str], inherited: dict[str, str]) -> None:
        if not levels:
            for _ in range(draw(st.integers(1, 3))):
                product(inherited)
            return
        level, rest = levels[0], levels[1:]
        choices = {"stars": ["3 sao", "4 sao", "5 sao"], "district": VALUES["district"], "group": VALUES["group"]}[level]
        picked = draw(st.lists(st.sampled_from(choices), min_size=1, max_size=3, unique=True))
        style = draw(st.integers(0, 2))
        for position, value in enumerate(picked):
            start = len(table.expected)
            index = len(table.body)
            table.body.append(("section", []))
            fill(rest, inherited | {level: ""})
            count = len(table.expected) - start
            title, given = _section_title(level, value, position, style, count)
            table.body[index] = ("section", section_cells(title))
            for row in table.expected[start:]:
                row[level] = given

    fill(section_kinds, {})
    if draw(st.booleans()):
        table.body.append(("totals", [draw(st.sampled_from(TOTALS)).format(n=len(table.expected))] + [""] * (width - 1)))
    if draw(st.booleans()):
        table.body.append(("blank", [""] * width))
        for line in draw(st.sampled_from(FOOTERS)):
            cells = [""] * width
            cells[draw(st.integers(0, width - 1))] = line
            table.body.append(("footer", cells))
    return table


def _render(table: Table) -> Layout:
    width = len(table.header[0])
    titles = [cells for kind, cells in table.body if kind == "title"]
    body = [cells for kind, cells in table.body if kind != "title"]
    header = [list(r) for r in table.header]
    two = len(header) == 2
    if table.kind == "csv":
        rows = [t + [""] * (width - 1) for t in titles]
        if two and table.csv_blank_parents:
            header[0] = [c if not any(a < i <= b for a, b in table.parent_spans) else "" for i, c in enumerate(header[0])]
        if two:  # a column merged down shows once, in the first row
            header[1] = [c if any(a <= i <= b for a, b in table.parent_spans) else "" for i, c in enumerate(header[1])]
        out = io.StringIO()
        csv.writer(out).writerows(rows + header + body)
        data = csv_bytes(out.getvalue())
    elif table.kind == "xlsx":
        data = xlsx(*_sheet(table))
    else:
        lines = [f'<tr><td colspan="{width}">{html_lib.escape(t[0])}</td></tr>' for t in titles]
        spans = dict(table.parent_spans)
        first, second = [], []
        i = 0
        while i < width:
            if i in spans:
                first.append(f'<th colspan="{spans[i] - i + 1}">{html_lib.escape(header[0][i])}</th>')
                second += [f"<th>{html_lib.escape(header[1][j])}</th>" for j in range(i, spans[i] + 1)]
                i = spans[i] + 1
                continue
            rowspan = ' rowspan="2"' if two else ""
            first.append(f"<th{rowspan}>{html_lib.escape(header[0][i])}</th>")
            i += 1
        lines.append("<tr>" + "".join(first) + "</tr>")
        if two:
            lines.append("<tr>" + "".join(second) + "</tr>")
        for cells in body:
            lines.append("<tr>" + "".join(f"<td>{html_lib.escape(c)}</td>" for c in cells) + "</tr>")
        data = html("<table border=1>" + "".join(lines) + "</table>")
    return Layout("generated", table.kind, data, columns={}, products=table.expected)


def _sheet(table: Table) -> tuple[list[list[Any]], list[str]]:
    """The table as one worksheet: its rows from A1 and its merged ranges."""
    width = len(table.header[0])
    titles = [cells for kind, cells in table.body if kind == "title"]
    body = [cells for kind, cells in table.body if kind != "title"]
    header: list[list[Any]] = [list(r) for r in table.header]
    merges = [f"A{i + 1}:{_col(width)}{i + 1}" for i in range(len(titles)) if width > 1]
    top = len(titles) + 1
    if len(header) == 2:
        header[1] = [c if any(a <= i <= b for a, b in table.parent_spans) else None for i, c in enumerate(header[1])]
        header[0] = [c if not any(a < i <= b for a, b in table.parent_spans) else None for i, c in enumerate(header[0])]
        merges += [f"{_col(a + 1)}{top}:{_col(b + 1)}{top}" for a, b in table.parent_spans]
        merges += [f"{_col(i + 1)}{top}:{_col(i + 1)}{top + 1}" for i in range(width)
                   if not any(a <= i <= b for a, b in table.parent_spans) and header[0][i]]
    return [t for t in titles] + header + [[c or None for c in cells] for cells in body], merges


def _col(n: int) -> str:
    return "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[n - 1]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(tables())
def test_generated_registries_read_right(table):
    layout = _render(table)
    rows, reading = read_layout(layout)
    assert [r.values["product_name"] for r in rows] == [p["product_name"] for p in table.expected]
    for want, row in zip(table.expected, rows):
        assert {k: row.values.get(k) for k in want} == want
    kinds = [kind for kind, _ in table.body]
    reasons = [s.reason for s in reading.skipped]
    assert reasons.count("section") == kinds.count("section")
    assert reasons.count("totals") == kinds.count("totals")
    assert reasons.count("footer") == kinds.count("footer")
    assert not reading.section_count_mismatches


SUMMARY_SHEETS = [[["TỔNG HỢP SẢN PHẨM OCOP"], ["Huyện", "Số sản phẩm"], ["Ba Chẽ", 12], ["Tiên Yên", 7]],
                  [["Hướng dẫn: mỗi quyết định một trang"]], []]


@st.composite
def workbooks(draw: st.DrawFn) -> list[tuple[str, Table | list[list[Any]]]]:
    """A workbook of 1–3 generated tables, each on its own sheet, with summary or instruction sheets
    between them; a table whose rows state no rating (nor a score) has its star level in its sheet's
    name or its title."""
    sheets: list[tuple[str, Table | list[list[Any]]]] = []
    for index in range(draw(st.integers(1, 3))):
        if draw(st.booleans()):
            sheets.append((f"Tổng hợp {index}", draw(st.sampled_from(SUMMARY_SHEETS))))
        table = draw(tables())
        name = f"QĐ {index + 1}"
        if not {"stars", "score"} & set(table.expected[0]):  # a score rates a row by itself
            level = draw(st.sampled_from(["3 sao", "4 sao", "5 sao"]))
            if draw(st.booleans()):  # the level in the sheet's name, or in the table's title
                name = f"{level} ({index + 1})"
            else:
                table.body.insert(0, ("title", [f"DANH SÁCH SẢN PHẨM ĐẠT OCOP {level.upper()}"]))
            for row in table.expected:
                row["stars"] = level
        sheets.append((name, table))
    return sheets


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(workbooks())
def test_generated_workbooks_read_every_sheet(sheets) -> None:
    data = workbook([(name, *(_sheet(content) if isinstance(content, Table) else (content, [])))
                     for name, content in sheets])
    rows, reading = read_layout(Layout("generated", "xlsx", data, columns={}, products=[]))
    tables_in = [(name, t) for name, t in sheets if isinstance(t, Table)]
    expected = [(f"sheet {name!r}", want) for name, t in tables_in for want in t.expected]
    assert [(r.raw[LOCATION_KEY], r.values["product_name"]) for r in rows] == [
        (where, want["product_name"]) for where, want in expected]
    for (_, want), row in zip(expected, rows):
        assert {k: row.values.get(k) for k in want} == want
    assert reading.sheets == [name for name, _ in tables_in]
    assert [s.text.split(":")[0] for s in reading.skipped if s.reason == "sheet"] == [
        f"sheet {name!r}" for name, t in sheets if not isinstance(t, Table)]
