"""/export/products.xlsx: the products download as an Excel workbook, for officers and
researchers who open files in Excel rather than read them with code.

The same rows, columns, filters, privacy rule and labels as the CSV (hub.api.export_rows, with
``?lang=vi`` the Vietnamese headers and labels), but typed as Excel types them: dates are dates,
times are times (UTC, Excel has no time zones), numbers and booleans are numbers and booleans,
and codes stay text ("08"). Text a spreadsheet would run as a formula is neutralised as in the CSV.
A second sheet says what the file is: as-of, data version, filters, licence, citation and the data
package (the metadata a Parquet download carries). Written with openpyxl's write-only workbook,
row by row, into a temporary file that the response streams and then removes.
"""
from __future__ import annotations

import json
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from sqlalchemy.engine import Engine

from hub.access.keys import Principal
from hub.api.export_columns import Column, product_columns
from hub.api.export_params import ExportQuery, Lang
from hub.api.export_rows import product_batches
from hub.api.exports import neutralise
from hub.api.filters import ProductFilter

SHEET = {"en": "OCOP products", "vi": "Sản phẩm OCOP"}
ABOUT_SHEET = {"en": "About this file", "vi": "Thông tin tệp"}
ABOUT_LABELS = {
    "ocop:as_of": ("As of", "Số liệu tại ngày"), "ocop:known_at": ("As known at", "Theo hiểu biết tại"),
    "ocop:data_version": ("Data version", "Phiên bản dữ liệu"), "ocop:filters": ("Filters", "Bộ lọc"),
    "ocop:licence": ("Licence", "Giấy phép"), "ocop:licence_url": ("Licence text", "Văn bản giấy phép"),
    "ocop:citation": ("Suggested citation", "Trích dẫn đề nghị"),
    "ocop:datapackage": ("Data package (every column described)", "Gói dữ liệu (mô tả từng cột)"),
}
DATE_FORMAT, TIME_FORMAT = "yyyy-mm-dd", "yyyy-mm-dd hh:mm:ss"


def _cell(column: Column, value: Any, sheet: Any) -> Any:
    """A value as Excel should hold it: dates as dates, UTC times without a zone, text neutralised."""
    if value is None:
        return None
    if column.kind == "datetime":
        value = value.astimezone(timezone.utc).replace(tzinfo=None) if value.tzinfo else value
        cell = WriteOnlyCell(sheet, value)
        cell.number_format = TIME_FORMAT
        return cell
    if column.kind == "date":
        cell = WriteOnlyCell(sheet, value)
        cell.number_format = DATE_FORMAT
        return cell
    if column.kind == "string":
        return neutralise(value)
    return value


def products_xlsx(engine: Engine, query: ExportQuery[ProductFilter], principal: Principal | None,
                  metadata: dict[str, str]) -> Path:
    """The filtered products as a workbook in a temporary file (the caller removes it)."""
    columns = product_columns(principal is not None)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(SHEET[query.lang])
    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, column.header(query.lang))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for batch in product_batches(engine, query, principal, columns):
        for row in zip(*(array.to_pylist() for array in batch)):
            sheet.append([_cell(c, v, sheet) for c, v in zip(columns, row)])
    _about(book.create_sheet(ABOUT_SHEET[query.lang]), metadata, query.lang)
    book.properties.title = SHEET[query.lang]
    book.properties.description = metadata.get("ocop:citation", "")
    handle = tempfile.NamedTemporaryFile(prefix="ocop-export-", suffix=".xlsx", delete=False)
    handle.close()
    path = Path(handle.name)
    try:
        book.save(path)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path


def _about(sheet: Any, metadata: dict[str, str], lang: Lang) -> None:
    for key, (en, vi) in ABOUT_LABELS.items():
        value = metadata.get(key, "")
        if key == "ocop:filters":
            value = ", ".join(f"{k}={'|'.join(v)}" for k, v in json.loads(value or "{}").items()) or "—"
        sheet.append([vi if lang == "vi" else en, value])
    sheet.append(["Written at (UTC)" if lang == "en" else "Tạo lúc (UTC)",
                  datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0).isoformat(sep=" ")])
