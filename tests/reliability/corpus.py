"""A generated corpus of bad registries (seeded, deterministic): nothing here is checked in.

Each ``Case`` is one file a province might send (by mistake or on purpose), the kind of source
it is read as, and what the harvest must make of it: ``"file"`` (the whole source fails with a
message naming the file) or ``"rows"`` (the file is read; bad rows become coded rejections).
"""
from __future__ import annotations

import io
import json
import random
import struct
import zipfile
from dataclasses import dataclass, field
from datetime import date
from typing import Callable

import openpyxl

HEADERS = ["STT", "Tên sản phẩm", "Chủ thể", "Hạng sao", "Nhóm sản phẩm", "Năm công nhận", "Điện thoại"]
GOOD = [
    ["1", "Dầu lạc Hải Yến", "HTX Nông nghiệp Hải Yến", "4 sao", "Thực phẩm", "2023", "0912 000 001"],
    ["2", "Chè vằng Đông Chiều", "HTX dược liệu xanh Đông Chiều", "3 sao", "Dược liệu", "2022", ""],
    ["3", "Ngọc trai Hạ Long", "Công ty Cổ phần Ngọc trai Hạ Long", "5 sao", "Thủ công mỹ nghệ", "2024", ""],
]


@dataclass
class Case:
    name: str
    kind: str  # csv | xlsx | html | json_api
    data: bytes
    expect: str  # "file" | "rows"
    accepted: int | None = None  # rows that must be accepted, when known
    codes: set[str] = field(default_factory=set)  # rejection codes that must appear
    warned: set[str] = field(default_factory=set)  # warning codes that must appear on stored rows
    why: str = ""  # a word the failure message must contain (lower case), for "file" cases
    encoding: str = "auto"

    @property
    def suffix(self) -> str:
        return {"csv": ".csv", "xlsx": ".xlsx", "html": ".html", "json_api": ".json"}[self.kind]


def csv_bytes(rows: list[list[str]], encoding: str = "utf-8", delimiter: str = ",") -> bytes:
    import csv

    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    if encoding in ("cp1258", "tcvn3", "vni"):
        from hub.normalize.encodings import encode_legacy

        return encode_legacy(buf.getvalue(), encoding)
    return buf.getvalue().encode(encoding)


def xlsx_bytes(rows: list[list[object]], *, sheets: int = 1, empty_first: bool = False) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    if empty_first:
        ws.title = "Trống"
        ws = wb.create_sheet("Danh sách")
    for row in rows:
        ws.append(row)
    for i in range(1, sheets):
        wb.create_sheet(f"Sheet{i + 1}")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def rewrite_members(xlsx: bytes, edit: Callable[[str, bytes], bytes] = lambda _name, content: content,
                    add: dict[str, bytes] | None = None) -> bytes:
    """The workbook re-zipped (deflated): every member's bytes through ``edit(name, bytes)``,
    then the ``add`` members appended."""
    src = zipfile.ZipFile(io.BytesIO(xlsx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, edit(info.filename, src.read(info.filename)))
        for name, content in (add or {}).items():
            dst.writestr(name, content)
    return out.getvalue()


def replace_member(xlsx: bytes, member: str, content: bytes) -> bytes:
    """The workbook with one archive member's bytes replaced (deflated)."""
    return rewrite_members(xlsx, lambda name, old: content if name == member else old)


def billion_laughs_sheet(levels: int = 10) -> bytes:
    ents = ['<!ENTITY lol0 "lollollollollollollollollollol">']
    ents += [f'<!ENTITY lol{i} "{("&lol%d;" % (i - 1)) * 10}">' for i in range(1, levels)]
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE worksheet [' + "".join(ents) + "]>"
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>Tên sản phẩm</t></is></c>'
        f'<c r="B1" t="inlineStr"><is><t>&lol{levels - 1};</t></is></c></row>'
        "</sheetData></worksheet>"
    ).encode()


def xxe_sheet() -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE worksheet [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>&x;</t></is></c></row></sheetData></worksheet>'
    ).encode()


def zip_bomb(inflated_bytes: int, *, declared: int | None = None) -> bytes:
    """An .xlsx whose worksheet inflates to ``inflated_bytes`` of spaces (valid XML padding).
    ``declared``: lie about the member's size in the archive headers (a crafted bomb)."""
    base = xlsx_bytes([HEADERS, GOOD[0]])
    src = zipfile.ZipFile(io.BytesIO(base))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                dst.writestr(info.filename, src.read(info.filename))
                continue
            sheet = src.read(info.filename)
            head, tail = sheet.split(b"<sheetData>", 1)
            zinfo = zipfile.ZipInfo(info.filename, date_time=(2024, 1, 1, 0, 0, 0))
            zinfo.compress_type = zipfile.ZIP_DEFLATED
            with dst.open(zinfo, "w", force_zip64=True) as member:
                member.write(head + b"<sheetData>")
                chunk = b" " * (1 << 20)
                left = inflated_bytes
                while left > 0:
                    member.write(chunk[: min(left, len(chunk))])
                    left -= len(chunk)
                member.write(tail)
    data = out.getvalue()
    if declared is None:
        return data
    return _lie_about_size(data, "xl/worksheets/sheet1.xml", declared)


def _lie_about_size(data: bytes, member: str, declared: int) -> bytes:
    """Rewrite the uncompressed size of ``member`` in its central-directory entry (zip64 extra too)."""
    buf = bytearray(data)
    name = member.encode()
    pos = buf.find(b"PK\x01\x02")
    while pos != -1:
        n_len, x_len, c_len = struct.unpack_from("<HHH", buf, pos + 28)
        if bytes(buf[pos + 46: pos + 46 + n_len]) == name:
            size = struct.unpack_from("<I", buf, pos + 24)[0]
            if size == 0xFFFFFFFF:  # zip64: the real size sits in the extra field
                extra = pos + 46 + n_len
                struct.pack_into("<Q", buf, extra + 4, declared)
            else:
                struct.pack_into("<I", buf, pos + 24, declared)
            return bytes(buf)
        pos = buf.find(b"PK\x01\x02", pos + 46 + n_len + x_len + c_len)
    raise AssertionError(f"{member} not in archive")


def random_bytes(rng: random.Random, n: int) -> bytes:
    return bytes(rng.getrandbits(8) for _ in range(n))


def html_table(rows: list[list[str]]) -> bytes:
    import html

    body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>" for r in rows)
    return f"<html><body><table>{body}</table></body></html>".encode()


def cases(seed: int = 7, today: date | None = None) -> list[Case]:
    rng = random.Random(seed)
    today = today or date.today()
    good_csv = csv_bytes([HEADERS, *GOOD])
    good_xlsx = xlsx_bytes([HEADERS, *GOOD])
    future = str(today.year + 3)
    out = [
        # --- whole-file failures -----------------------------------------------------------
        Case("random-bytes.csv", "csv", random_bytes(rng, 4096), "file", why="decode"),
        Case("random-bytes.xlsx", "xlsx", random_bytes(rng, 4096), "file", why="xlsx"),
        Case("random-bytes.html", "html", random_bytes(rng, 4096), "file"),
        Case("random-bytes.json", "json_api", random_bytes(rng, 4096), "file", why="json"),
        Case("empty.csv", "csv", b"", "file", why="empty"),
        Case("empty.xlsx", "xlsx", b"", "file"),
        Case("truncated.xlsx", "xlsx", good_xlsx[: len(good_xlsx) // 2], "file", why="xlsx"),
        Case("truncated-tail.xlsx", "xlsx", good_xlsx[:-30], "file", why="xlsx"),
        Case("zip-not-xlsx.xlsx", "xlsx", _zip_of({"hello.txt": b"hi"}), "file", why="workbook.xml"),
        Case("zip-bomb.xlsx", "xlsx", zip_bomb(64 * 1024 * 1024), "file", why="zip bomb"),
        Case("zip-bomb-lying-sizes.xlsx", "xlsx", zip_bomb(256 * 1024 * 1024, declared=4096), "file", why="xlsx"),
        Case("billion-laughs.xlsx", "xlsx",
             replace_member(good_xlsx, "xl/worksheets/sheet1.xml", billion_laughs_sheet()), "file"),
        Case("billion-laughs-sharedstrings.xlsx", "xlsx", shared_strings_bomb(good_xlsx), "file"),
        Case("xxe.xlsx", "xlsx", replace_member(good_xlsx, "xl/worksheets/sheet1.xml", xxe_sheet()), "file"),
        Case("empty-sheets.xlsx", "xlsx", xlsx_bytes([], sheets=3), "file", why="empty"),
        Case("no-header.csv", "csv", csv_bytes([["a", "b", "c"], ["1", "2", "3"]]), "file", why="header"),
        Case("missing-headers.csv", "csv", csv_bytes([["STT", "Tên sản phẩm", "Ghi chú"], ["1", "Dầu lạc", "x"]]),
             "file", why="header"),
        Case("no-header.xlsx", "xlsx", xlsx_bytes([["x", "y"], [1, 2]]), "file", why="header"),
        Case("tcvn3-declared-utf8.csv", "csv", csv_bytes([HEADERS, *GOOD], encoding="tcvn3"), "file",
             why="decode", encoding="utf-8"),
        Case("latin1-garbage.csv", "csv", csv_bytes([HEADERS, *GOOD]).decode("utf-8").encode("utf-8")
             .replace("ả".encode(), b"\xe1\xba").replace("ủ".encode(), b"\xff"), "file", why="decode"),
        Case("json-not-a-list.json", "json_api", b'{"hello": "world"}', "file"),
        Case("json-truncated.json", "json_api", json.dumps([dict(zip(HEADERS, r)) for r in GOOD]).encode()[:-7],
             "file", why="json"),
        Case("html-no-table.html", "html", b"<html><body><p>Danh s\xc3\xa1ch</p></body></html>", "file"),
        # --- read; bad rows rejected with codes ---------------------------------------------
        Case("good.csv", "csv", good_csv, "rows", accepted=3),
        Case("good.xlsx", "xlsx", good_xlsx, "rows", accepted=3),
        Case("good.html", "html", html_table([HEADERS, *GOOD]), "rows", accepted=3),
        Case("good.json", "json_api", json.dumps([dict(zip(HEADERS[1:], r[1:])) for r in GOOD]).encode(),
             "rows", accepted=3),
        Case("empty-first-sheet.xlsx", "xlsx", xlsx_bytes([HEADERS, *GOOD], empty_first=True), "rows", accepted=3),
        Case("header-only.csv", "csv", csv_bytes([HEADERS]), "rows", accepted=0),
        # Two columns claiming one field: refused whole, naming both and the columns: override.
        Case("duplicated-headers.csv", "csv",
             csv_bytes([HEADERS + ["Tên sản phẩm", "Hạng sao"], *(r + ["Khác", "1 sao"] for r in GOOD)]),
             "file", why="columns:"),
        Case("duplicated-rows.csv", "csv", csv_bytes([HEADERS, *GOOD, GOOD[0]]), "rows", accepted=3,
             codes={"DUPLICATE_RECORD"}),
        Case("utf-16-with-bom.csv", "csv", csv_bytes([HEADERS, *GOOD], encoding="utf-16"), "rows", accepted=3),
        Case("tcvn3.csv", "csv", csv_bytes([HEADERS, *GOOD], encoding="tcvn3"), "rows", accepted=3),
        Case("cp1258.csv", "csv", csv_bytes([HEADERS, *GOOD], encoding="cp1258"), "rows", accepted=3),
        Case("semicolons-and-bom.csv", "csv", b"\xef\xbb\xbf" + csv_bytes([HEADERS, *GOOD], delimiter=";"),
             "rows", accepted=3),
        Case("truncated-mid-row.csv", "csv", good_csv[:-25], "rows"),
        Case("unbalanced-quotes.csv", "csv", good_csv + b'4,"Tr\xc3\xa0 xanh,HTX,3 sao\r\n', "rows", accepted=3),
        Case("nul-bytes.csv", "csv", good_csv + b"5,Tr\x00\x00,HTX\x00,3 sao,Th\xe1\xbb\xb1c ph\xe1\xba\xa9m\r\n",
             "rows"),
        Case("big-cells.csv", "csv", csv_bytes([HEADERS, *GOOD, ["4", "Bánh " + "x" * 100_000, "HTX Ánh Dương",
                                                                  "3 sao", "Thực phẩm", "2023", "y" * 100_000]]),
             "rows", accepted=3, codes={"FIELD_TOO_LONG"}),
        Case("big-cells.xlsx", "xlsx", xlsx_bytes([HEADERS, *GOOD, ["4", "Bánh " + "x" * 32_000, "HTX Ánh Dương",
                                                                    "3 sao", "Thực phẩm", "2023", "y" * 32_000]]),
             "rows", accepted=3, codes={"FIELD_TOO_LONG"}),
        Case("formulas.xlsx", "xlsx", xlsx_bytes([HEADERS, *GOOD,
                                                  ["4", '=HYPERLINK("http://evil.example","Bấm")', "HTX Ánh Dương",
                                                   "=1+2", "Thực phẩm", "2023", ""],
                                                  ["5", "=cmd|' /C calc'!A0", "HTX Ánh Dương", "3 sao",
                                                   "Thực phẩm", "2023", "@SUM(1)"]]),
             "rows", accepted=3, codes={"MISSING_FIELD"}),  # a formula without a cached value is empty
        Case("formula-text.csv", "csv", csv_bytes([HEADERS, *GOOD, ["4", '=HYPERLINK("http://evil.example")', "HTX =1+1",
                                                                    "3 sao", "Thực phẩm", "2023", "+84 912"]]),
             "rows", accepted=4),
        Case("future-and-bad-dates.csv", "csv", csv_bytes([HEADERS, *GOOD,
                                                            ["4", "Mật ong Ba Chẽ", "HTX Ba Chẽ", "3 sao", "Thực phẩm",
                                                             future, ""],
                                                            ["5", "Mật ong Tiên Yên", "HTX Tiên Yên", "3 sao",
                                                             "Thực phẩm", "31/02/2020", ""],
                                                            ["6", "Mật ong Đầm Hà", "HTX Đầm Hà", "3 sao", "Thực phẩm",
                                                             "1999", ""]]),
             "rows", accepted=6, warned={"FUTURE_DATE", "BAD_DATE"}),  # dates are optional: left empty
        Case("bad-stars.csv", "csv", csv_bytes([HEADERS, *GOOD,
                                                 ["4", "Nấm Vân Đồn", "HTX Vân Đồn", "-3", "Thực phẩm", "2023", ""],
                                                 ["5", "Nấm Cô Tô", "HTX Cô Tô", "6 sao", "Thực phẩm", "2023", ""],
                                                 ["6", "Nấm Móng Cái", "HTX Móng Cái", "abc", "Thực phẩm", "2023", ""],
                                                 ["7", "Nấm Uông Bí", "HTX Uông Bí", "1 sao", "Thực phẩm", "2023", ""]]),
             "rows", accepted=3, codes={"BAD_STARS", "BELOW_CERTIFICATION"}),
        Case("unknown-provinces.csv", "csv", csv_bytes([HEADERS + ["Tỉnh"], *(r + ["Quảng Ninh"] for r in GOOD),
                                                         ["4", "Cá Atlantis", "HTX Atlantis", "3 sao", "Thực phẩm",
                                                          "2023", "", "Tỉnh Atlantis"],
                                                         ["5", "Cá Hà Nội", "HTX Hà Nội", "3 sao", "Thực phẩm",
                                                          "2023", "", "Hà Nội"]]),
             "rows", accepted=4, codes={"WRONG_PROVINCE"}, warned={"UNRESOLVED_UNIT"}),
        Case("sql-and-html-names.csv", "csv", csv_bytes([HEADERS, *GOOD,
                                                          ["4", "Robert'); DROP TABLE product;--", "HTX '; DELETE FROM producer;--",
                                                           "3 sao", "Thực phẩm", "2023", ""],
                                                          ["5", "<script>alert(1)</script>Chè", "<img src=x onerror=alert(1)>",
                                                           "3 sao", "Thực phẩm", "2023", ""]]),
             "rows", accepted=5),
        Case("missing-required.csv", "csv", csv_bytes([HEADERS, *GOOD, ["4", "", "HTX X", "3 sao", "", "2023", ""]]),
             "rows", accepted=3, codes={"MISSING_FIELD"}),
        Case("json-garbage-records.json", "json_api",
             json.dumps([dict(zip(HEADERS[1:], r[1:])) for r in GOOD] + [1, None, "x", [], {"Tên sản phẩm": {"a": 1}}]
                        ).encode(), "rows", accepted=3),
    ]
    # seeded random mutations of a good CSV and a good workbook: each must end one way or the other
    for i in range(12):
        out.append(Case(f"mutated-{i}.csv", "csv", _mutate(rng, good_csv), "any"))
        out.append(Case(f"mutated-{i}.xlsx", "xlsx", _mutate(rng, good_xlsx), "any"))
    return out


def _mutate(rng: random.Random, data: bytes) -> bytes:
    buf = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        op = rng.random()
        pos = rng.randrange(len(buf)) if buf else 0
        if op < 0.4 and buf:
            buf[pos] = rng.getrandbits(8)
        elif op < 0.7:
            buf[pos:pos] = bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 16)))
        else:
            del buf[pos: pos + rng.randint(1, 64)]
    return bytes(buf)


def _zip_of(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, content in members.items():
            z.writestr(name, content)
    return out.getvalue()


def shared_strings_bomb(xlsx: bytes) -> bytes:
    """The workbook with a shared-strings part (registered) that is a billion-laughs document."""
    sst = billion_laughs_sheet().replace(b"<!DOCTYPE worksheet", b"<!DOCTYPE sst").split(b"]>")[0] + (
        b']><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
        b"<si><t>&lol9;</t></si></sst>")

    def register(name: str, content: bytes) -> bytes:
        if name == "[Content_Types].xml":
            return content.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="'
                                   b'application/vnd.openxmlformats-officedocument.spreadsheetml.'
                                   b'sharedStrings+xml"/></Types>')
        if name == "xl/_rels/workbook.xml.rels":
            return content.replace(b"</Relationships>", b'<Relationship Id="rIdSST" Type="http://schemas.'
                                   b'openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
                                   b'Target="sharedStrings.xml"/></Relationships>')
        return content

    return rewrite_members(xlsx, register, add={"xl/sharedStrings.xml": sst})
