"""Decision annexes written as provinces publish them: a PDF (fpdf2) and a Word file (python-docx).

Both are written without a browser or an office suite, so ``python -m hub.samples`` (and the
bench) run on a fresh machine: fpdf2 is pure Python and draws ruled tables that break over pages
with the header repeated on each; the PDF embeds a subset of Roboto (Apache-2.0), which has the
Vietnamese glyphs and comes from PyPI (``font-roboto``), never from the system's fonts: the same
seed writes the same bytes on every machine, fonts installed or not.
"""
from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from fpdf import FPDF

from hub.samples.files import fixed_zip

FONT_PACKAGE = "font_roboto"
FONT_FILES = {"": "Roboto-Regular.ttf", "B": "Roboto-Bold.ttf"}
"""fpdf2 style -> file in the package's ``files`` folder."""
_FIXED = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)


@dataclass
class AnnexDocument:
    """An annex: title lines, one header row, body rows (a ``str`` is a row merged across the
    table: a section title or a total), and the signature lines (left, right) under the table."""

    title: list[str]
    header: list[str]
    body: list[list[str] | str]
    widths: list[float]  # relative column widths
    signature: list[tuple[str, str]] = field(default_factory=list)


def annex_font(style: str = "") -> Path:
    """Roboto's TrueType file for ``style`` ("" or "B"): fpdf2's built-in fonts have only Latin-1."""
    try:
        folder = resources.files(FONT_PACKAGE) / "files"
    except ModuleNotFoundError:
        raise RuntimeError(f"the sample PDF needs the {FONT_PACKAGE} package (pip install font-roboto; "
                           "it is a dependency in pyproject.toml)") from None
    path = Path(str(folder / FONT_FILES[style]))
    if not path.is_file():
        raise RuntimeError(f"{path}: missing from the installed font-roboto package; reinstall it")
    return path


def annex_pdf(annex: AnnexDocument) -> bytes:
    """A4 portrait, ruled table, header repeated on each page, long cells wrapped."""
    pdf = FPDF(format="A4")
    pdf.set_creation_date(_FIXED)
    pdf.set_creator("ocop-hub samples")
    for style in FONT_FILES:
        pdf.add_font("annex", style, str(annex_font(style)))
    pdf.set_font("annex", size=9)
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    for line in annex.title:
        pdf.multi_cell(0, 5, line, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    width = len(annex.header)
    with pdf.table(col_widths=annex.widths, text_align="LEFT", repeat_headings=1, line_height=4.5,
                   padding=1) as table:
        row = table.row()
        for text in annex.header:
            row.cell(text)
        for cells in annex.body:
            row = table.row()
            if isinstance(cells, str):
                row.cell(cells, colspan=width)
            else:
                for text in cells:
                    row.cell(text)
    pdf.ln(4)
    for left, right in annex.signature:
        pdf.cell(90, 5, left, align="C")
        pdf.cell(0, 5, right, align="C", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def annex_docx(annex: AnnexDocument) -> bytes:
    """A Word document: title paragraphs, a ruled table (section rows merged across), signatures."""
    document = docx.Document()
    document.core_properties.author = "ocop-hub samples"
    document.core_properties.created = _FIXED.replace(tzinfo=None)
    document.core_properties.modified = _FIXED.replace(tzinfo=None)
    document.core_properties.last_modified_by = "ocop-hub samples"
    for line in annex.title:
        document.add_paragraph(line).alignment = WD_ALIGN_PARAGRAPH.CENTER
    width = len(annex.header)
    table = document.add_table(rows=1, cols=width)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, annex.header):
        cell.text = text
    _repeat_header(table.rows[0])
    for cells in annex.body:
        row = table.add_row()
        if isinstance(cells, str):
            merged = row.cells[0].merge(row.cells[width - 1])
            merged.text = cells
        else:
            for cell, text in zip(row.cells, cells):
                cell.text = text
    for left, right in annex.signature:
        document.add_paragraph(f"{left}\t\t{right}" if left else f"\t\t\t{right}")
    buffer = io.BytesIO()
    document.save(buffer)
    return fixed_zip(buffer.getvalue())


def _repeat_header(row: object) -> None:
    """Mark the header row to repeat at the top of each page, as clerks do (w:tblHeader)."""
    properties = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)
