"""A batch's rejected rows as an xlsx the officer can correct and send again: the rows as written
(the file's own column headers and cells, from ``rejected_record.raw``), its row number, where in
the file when a row number alone does not say (a sheet, a page), and a column "Lý do" with every
reason. Only a key that may write the batch's province gets it: the rows carry personal data.
"""
from __future__ import annotations

import io
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from hub.access.keys import Principal
from hub.store.models import ImportBatch, RejectedRecord, Source
from hub.records import LOCATION_KEY
from hub.submit.messages import place, reasons

REASON = "Lý do"
ROW = "Dòng trong tệp"
PLACE = "Vị trí"


class NotYours(Exception):
    """No such batch, or the key may not read its rejected rows."""


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def rejected_rows(engine: Engine, principal: Principal | None, batch_id: int) -> list[RejectedRecord]:
    with Session(engine) as session:
        found = session.execute(select(Source.province_code).join(ImportBatch, ImportBatch.source_id == Source.id)
                                .where(ImportBatch.id == batch_id)).first()
        if principal is None or found is None or found[0] is None or not principal.may_write(found[0]):
            raise NotYours(batch_id)
        return list(session.execute(select(RejectedRecord).where(RejectedRecord.batch_id == batch_id)
                                    .order_by(RejectedRecord.id)).scalars())


def rejected_xlsx(records: list[RejectedRecord]) -> bytes:
    """The workbook: one row per rejected row, its own columns in the order first met."""
    from openpyxl import Workbook  # here, not at the top: 0.2 s of every server's start-up otherwise
    from openpyxl.styles import Alignment, Font

    columns: list[str] = []
    for record in records:
        columns += [k for k in record.raw if k not in columns and not k.startswith("(")]
    placed = any(record.raw.get(LOCATION_KEY) for record in records)
    headers = [ROW, *([PLACE] if placed else []), *columns, REASON]
    book = Workbook()
    sheet = book.active
    sheet.title = "Dòng bị loại"
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for record in records:
        values = [record.row_number, *([place(_text(record.raw.get(LOCATION_KEY)))] if placed else []),
                  *(_text(record.raw.get(c)) for c in columns), reasons(record.errors)]
        sheet.append(values)
        for cell in sheet[sheet.max_row]:
            if cell.data_type == "f":  # a cell written "=…" stays the officer's text, never a formula
                cell.value = str(cell.value)
                cell.data_type = "s"
        sheet.cell(row=sheet.max_row, column=len(headers)).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.column_dimensions[sheet.cell(row=1, column=len(headers)).column_letter].width = 80
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
