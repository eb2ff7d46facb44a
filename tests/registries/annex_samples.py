"""One invented annex list written as a province would publish it: an Excel sheet, a PDF printed
by headless Debian chromium from HTML, a Word file written by python-docx, and a scan (an image
only PDF). The readers' tests and the push tests read these; nothing here is checked in."""
from __future__ import annotations

import io
import os
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import docx
import openpyxl
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from hub.samples import legacy_places

CHROMIUM = Path("/usr/bin/chromium")
TITLE = ["ỦY BAN NHÂN DÂN TỈNH BẮC KẠN", "Phụ lục",
         "DANH SÁCH SẢN PHẨM ĐẠT CHỨNG NHẬN OCOP NĂM 2024",
         "(Kèm theo Quyết định số 2417/QĐ-UBND ngày 28/12/2024 của UBND tỉnh Bắc Kạn)"]
HEADER = ["STT", "Tên sản phẩm", "Tên chủ thể", "Địa chỉ", "Ghi chú"]
FOURS, THREES = 12, 48
STATED_THREES = 50  # the 3★ section says 50 products; 48 rows are under it: a count mismatch warning
TALL = 23  # this product's note runs over many lines: printed, its row is cut by a page break
SIGNATURE = [("NGƯỜI LẬP BIỂU", "KT. CHỦ TỊCH"), ("", "PHÓ CHỦ TỊCH"), ("Hoàng Thị Lan", "Nguyễn Văn Bình")]


@dataclass(frozen=True)
class Item:
    number: int
    name: str
    producer: str
    address: str
    stars: int
    note: str = ""


def items() -> list[Item]:
    """60 products of 60 producers in real Bắc Kạn communes (so the unit tables place them)."""
    places = legacy_places("Bắc Kạn")
    out = []
    for i in range(1, FOURS + THREES + 1):
        place = places[(i * 7) % len(places)]
        note = ("Sản phẩm có nhãn hiệu tập thể, mã số mã vạch, truy xuất nguồn gốc; " * 40) if i == TALL else ""
        out.append(Item(i, f"Miến dong {place.short} loại {i}", f"HTX Nông nghiệp {place.short} số {i}",
                        f"{place.commune}, {place.district}", 4 if i <= FOURS else 3, note.strip()))
    return out


def sections() -> list[tuple[str, list[Item]]]:
    every = items()
    return [(f"I. SẢN PHẨM ĐẠT 4 SAO ({FOURS} sản phẩm)", every[:FOURS]),
            (f"II. SẢN PHẨM ĐẠT 3 SAO ({STATED_THREES} sản phẩm)", every[FOURS:])]


def cells(item: Item) -> list[str]:
    return [str(item.number), item.name, item.producer, item.address, item.note]


def xlsx_annex() -> bytes:
    """The list as a sheet: title rows, header, section rows merged across, totals, signatures."""
    wb = openpyxl.Workbook()
    ws = wb.active
    for line in TITLE:
        ws.append([line])
    ws.append(HEADER)
    for title, part in sections():
        ws.append([title])
        ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=len(HEADER))
        for item in part:
            ws.append(cells(item))
    ws.append([f"Tổng cộng: {FOURS + THREES} sản phẩm"])
    for left, right in SIGNATURE:
        ws.append([left, "", "", right])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def annex_html() -> str:
    """The printed annex: a <thead> that chromium repeats on each page, wrapped cells, section
    rows (colspan), a totals row, a signature row in the table and a signature block under it."""
    rows = []
    for title, part in sections():
        rows.append(f'<tr><td colspan="5"><b>{title}</b></td></tr>')
        rows += ["<tr>" + "".join(f"<td>{c}</td>" for c in cells(item)) + "</tr>" for item in part]
    rows.append(f'<tr><td colspan="4"><b>Tổng cộng: {FOURS + THREES} sản phẩm</b></td><td></td></tr>')
    title = "<br>".join(TITLE)
    signature = "".join(f"<tr><td>{left}</td><td>{right}</td></tr>" for left, right in SIGNATURE)
    return f"""<!doctype html><html><head><meta charset="utf-8"><style>
@page {{ size: A4; margin: 15mm; }}
body {{ font-family: 'DejaVu Sans', sans-serif; font-size: 10pt; }}
table.list {{ border-collapse: collapse; width: 100%; }}
table.list td, table.list th {{ border: 1px solid black; padding: 2px 4px; vertical-align: top; }}
col.stt {{ width: 6%; }} col.name {{ width: 26%; }} col.producer {{ width: 24%; }} col.address {{ width: 22%; }}
</style></head><body>
<table><tr><td><b>ỦY BAN NHÂN DÂN<br>TỈNH BẮC KẠN</b></td><td><b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b><br>Độc lập - Tự do - Hạnh phúc</td></tr></table>
<p style="text-align:center">{title}</p>
<table class="list"><colgroup><col class="stt"><col class="name"><col class="producer"><col class="address"><col></colgroup>
<thead><tr>{"".join(f"<th>{h}</th>" for h in HEADER)}</tr></thead>
<tbody>{"".join(rows)}</tbody></table>
<table style="width:100%; margin-top:12px">{signature}</table>
</body></html>"""


def print_pdf(html: str, folder: Path) -> bytes:
    """Print ``html`` to PDF with headless chromium (no header or footer lines), bounded in time."""
    folder.mkdir(parents=True, exist_ok=True)
    page, out = folder / "annex.html", folder / "annex.pdf"
    page.write_text(html, encoding="utf-8")
    proc = subprocess.Popen(
        [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", f"--user-data-dir={folder / f'profile-{time.monotonic_ns()}'}",
         "--no-pdf-header-footer", f"--print-to-pdf={out}", page.as_uri()],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        proc.wait(timeout=60)
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(timeout=10)
    return out.read_bytes()


def scan_html(folder: Path) -> str:
    """A page holding only a picture of a table: what a scanner gives."""
    from PIL import Image, ImageDraw

    image = Image.new("L", (800, 400), 255)
    draw = ImageDraw.Draw(image)
    for y in range(20, 400, 40):
        draw.line([(20, y), (780, y)], fill=0, width=2)
    for x in (20, 100, 400, 780):
        draw.line([(x, 20), (x, 380)], fill=0, width=2)
    image.save(folder / "scan.png")
    return '<!doctype html><html><body style="margin:0"><img src="scan.png" style="width:100%"></body></html>'


def docx_annex() -> bytes:
    """The list as a Word annex: the "UBND | CỘNG HÒA" block in a borderless table, the title,
    then one table per star level, each under its heading paragraph, each with its own header row,
    section titles merged across, and a signature table after the totals."""
    document = docx.Document()
    block = document.add_table(rows=2, cols=2)
    block.cell(0, 0).text, block.cell(0, 1).text = "ỦY BAN NHÂN DÂN TỈNH BẮC KẠN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    block.cell(1, 0).text, block.cell(1, 1).text = "Số: 2417/QĐ-UBND", "Độc lập - Tự do - Hạnh phúc"
    for line in TITLE[1:]:
        document.add_paragraph(line)
    for index, (title, part) in enumerate(sections()):
        document.add_paragraph(title)
        table = document.add_table(rows=1, cols=len(HEADER))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, HEADER):
            cell.text = text
        _repeat_header(table.rows[0])
        for item in part:
            for cell, text in zip(table.add_row().cells, cells(item)):
                cell.text = text
        if index == len(sections()) - 1:
            row = table.add_row()
            row.cells[0].merge(row.cells[len(HEADER) - 1]).text = f"Tổng cộng: {FOURS + THREES} sản phẩm"
    signatures = document.add_table(rows=len(SIGNATURE), cols=2)
    for row, (left, right) in zip(signatures.rows, SIGNATURE):
        row.cells[0].text, row.cells[1].text = left, right
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def docx_with_a_nameless_row() -> bytes:
    """The Word annex with one more row, after the totals, that has no product name (rejected)."""
    document = docx.Document(io.BytesIO(docx_annex()))
    row = document.tables[2].add_row()
    for cell, text in zip(row.cells, ["61", "", "HTX Không Tên", "xã Côn Minh, huyện Na Rì", ""]):
        cell.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _repeat_header(row: object) -> None:
    properties = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)
