"""Word annexes (.docx): the body's paragraphs and tables, in order, read by python-docx.

python-docx is the maintained reader of WordprocessingML; it gives the body's tables with their
rows and cells as Word keeps them (``gridSpan`` across, ``vMerge`` down), which this module lays
out the way the spreadsheet readers do (see ``TableRow``). Word keeps no pages, so a table broken
over pages in Word is one table here, its repeated header row written once. The zip container is
checked for bombs before anything is inflated (``zipcheck``), and ``word/document.xml`` has a size
cap of its own, since python-docx holds the whole document in memory.
"""
from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import docx
from docx.oxml.ns import qn
from docx.table import Table, _Cell

from hub.records import RawRow
from hub.registries.errors import OLE2_MAGIC, RegistryError
from hub.registries.annex import Block, Grid, GridRow, Text, clean_cell, read_annex
from hub.registries.reading import TableReading
from hub.registries.sources_file import SourceSpec
from hub.registries.zipcheck import open_checked_zip

MAX_DOCUMENT_XML_BYTES = 64 * 1024 * 1024
"""``word/document.xml`` unpacked: a 2,000-row annex is about 7 MB; python-docx parses it whole
(a few times its size in memory), so a larger one is refused rather than read."""
MAX_COLUMNS = 256
DOCUMENT_XML = "word/document.xml"


def read_docx(data: bytes, spec: SourceSpec, reading: TableReading | None = None) -> Iterator[RawRow]:
    """Yield the rows of every product table of the document (see ``annex.read_annex``)."""
    where = spec.location
    if data.startswith(OLE2_MAGIC):
        raise RegistryError(f"{where}: {ole2_refusal(data)}")
    archive = open_checked_zip(data, where, "docx", DOCUMENT_XML)
    size = archive.getinfo(DOCUMENT_XML).file_size
    archive.close()
    if size > MAX_DOCUMENT_XML_BYTES:
        raise RegistryError(f"{where}: refused: {DOCUMENT_XML} is {size} bytes unpacked "
                            f"(limit {MAX_DOCUMENT_XML_BYTES}); split the annex or send it as xlsx")
    try:
        document = docx.Document(io.BytesIO(data))
        blocks = list(_blocks(document))
    except RegistryError:
        raise
    except Exception as exc:  # python-docx and lxml raise many types for a broken document
        raise RegistryError(f"{where}: not a readable docx document ({type(exc).__name__}: {exc})") from exc
    yield from read_annex(blocks, spec, reading, "document")


def ole2_refusal(data: bytes) -> str:
    """Why an OLE2 (Compound File) container cannot be read: a password-protected Office file
    (its directory names the EncryptedPackage stream) or an old binary .doc."""
    if "EncryptedPackage".encode("utf-16-le") in data:
        return ("password-protected: the file is encrypted; remove the password (File › Info › Protect "
                "Document in Word) or send it as PDF")
    return ("an old binary Word .doc file (OLE2), which is not read: open it in Word or LibreOffice and save "
            "it as .docx or PDF")


def _blocks(document: Any) -> Iterator[Block]:
    """Paragraphs and tables of the body in reading order (tables nested in cells are not read)."""
    tables = paragraphs = 0
    for element in document.element.body.iterchildren():
        if element.tag == qn("w:p"):
            paragraphs += 1
            text = clean_cell("".join(t.text or "" for t in element.iter(qn("w:t"))))
            if text:
                yield Text(text, f"paragraph {paragraphs}")
        elif element.tag == qn("w:tbl"):
            tables += 1
            yield _grid(Table(element, document), tables)


def _grid(table: Table, number: int) -> Grid:
    """Lay out ``gridSpan`` (a value shown across its columns, held by the first) and ``vMerge``
    (the value above carried down its column), as ``TableRow`` expects."""
    rows: list[GridRow] = []
    above: dict[int, str] = {}  # the text of the cell that starts a vertical merge, per column
    for index, tr in enumerate(table._tbl.tr_lst, start=1):
        cells: list[str] = []
        shown: list[str] = []
        column = tr.grid_before
        cells += [""] * column
        shown += [""] * column
        for tc in tr.tc_lst:
            span = max(1, min(tc.grid_span, MAX_COLUMNS))
            if tc.vMerge == "continue":
                text = above.get(column, "")
            else:
                text = clean_cell("\n".join(p.text for p in _Cell(tc, table).paragraphs))
                if tc.vMerge == "restart":
                    above[column] = text
                else:
                    above.pop(column, None)
            cells += [text] + [""] * (span - 1)
            shown += [text] * span
            column += span
            if column >= MAX_COLUMNS:
                break
        rows.append(GridRow(cells[:MAX_COLUMNS], shown[:MAX_COLUMNS], f"table {number}, row {index}"))
    return Grid(f"table {number}", rows)
