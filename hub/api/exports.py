"""CSV and Parquet downloads for researchers, with the GraphQL filters as query parameters.

Same WHERE clauses as the API (hub.api.filters, hub.api.conflicts), CSV as UTF-8 with BOM so
Excel shows Vietnamese, and cells that a spreadsheet would run as formulas neutralised. Personal
data follows hub.api.access: anonymous downloads have no contact columns, and the names of
producers that may be persons (households, unknown type) are labels; a key's download adds
producer_phone/producer_email/producer_contact_person, filled only where the key may see them
(ministry: all; a province: its own producers). A product whose registry names no producer has
empty producer columns. Columns marked ``address`` (the unit as written) are empty where the caller
may not see the producer's address (hub.api.access.sees_address).

The columns are defined once in hub/api/export_columns.py; the products' rows come from SQL in
batches of Arrow arrays (hub/api/export_rows.py), written here as Parquet row groups and as CSV
lines made in C++ from the same arrays (hub/api/csv_text.py), so the whole store streams out at
the speed of the scan with flat memory. Enumerated values are written as the
GraphQL enum names (``FOOD``, ``ACTIVE``, ``COOPERATIVE``) in every export, booleans as
``true``/``false`` in CSV and as booleans in Parquet; ``?lang=vi`` gives Vietnamese headers and
enum labels (``Thực phẩm``, ``Còn hiệu lực``) for Excel users. See docs/exports.md.
"""
from __future__ import annotations

import csv
import io
from datetime import date, datetime
from typing import Any, Iterable, Iterator

import pyarrow as pa
import pyarrow.parquet as pq
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from hub.api.access import scrub_rejected
from hub.api.conflicts import ConflictFilter, iter_conflicts
from hub.api.csv_text import csv_lines
from hub.api.export_columns import (CONFLICT_COLUMNS, CONFLICT_FIELDS_VI, CONFLICT_LABELS, REJECTED_COLUMNS,
                                    Column, product_columns, term)
from hub.api.export_params import ExportQuery, Lang
from hub.api.export_rows import Batch, product_batches
from hub.api.filters import ProductFilter
from hub.api.rejected import field_of, iter_rejected, resolve_batch
from hub.access.keys import Principal
from hub.store.models import Source


BOM = "\ufeff"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """Prefix an apostrophe to text a spreadsheet would evaluate (=, +, -, @, tab, CR)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _csv_text(value: Any) -> Any:
    """ISO dates and lower-case booleans (what pandas, R and Excel read as such), formulas neutralised."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return neutralise(value)


def csv_stream(header: list[str], rows: Iterable[list[Any]], chunk_rows: int = 500) -> Iterator[str]:
    """BOM and header, then rows in chunks: memory stays flat however long the list."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(header)
    yield BOM + flush()
    pending = 0
    for row in rows:
        writer.writerow([_csv_text(v) for v in row])
        pending += 1
        if pending == chunk_rows:
            yield flush()
            pending = 0
    if pending:
        yield flush()


def products_csv(engine: Engine, query: ExportQuery[ProductFilter],
                 principal: Principal | None = None) -> Iterator[bytes]:
    """The filtered products as CSV, one chunk per batch of rows (hub.api.csv_text: the bytes
    csv.writer would write, made in C++ from the same Arrow arrays as the Parquet file)."""
    columns = product_columns(principal is not None)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow([c.header(query.lang) for c in columns])
    head = (BOM + buffer.getvalue()).encode()
    kinds = [c.kind for c in columns]
    for batch in product_batches(engine, query, principal, columns):  # the header goes with the first batch
        yield head + csv_lines(kinds, batch)
        head = b""
    if head:  # no rows: the header alone
        yield head


def arrow_schema(columns: list[Column], lang: Lang, metadata: dict[str, str] | None = None) -> pa.Schema:
    """The Parquet schema of a download, with its key-value metadata (hub/api/export_meta.py)."""
    return pa.schema([pa.field(c.header(lang), c.arrow_type, nullable=not c.required) for c in columns],
                     metadata=metadata)


class _Chunks(io.RawIOBase):
    """A write-only file that keeps what was written until it is taken: Parquet streamed in row groups."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self._parts.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        out, self._parts = b"".join(self._parts), []
        return out


def products_parquet(engine: Engine, query: ExportQuery[ProductFilter], principal: Principal | None = None,
                     metadata: dict[str, str] | None = None) -> Iterator[bytes]:
    """The filtered products as one Parquet file, streamed one row group (batch) at a time."""
    columns = product_columns(principal is not None)
    schema = arrow_schema(columns, query.lang, metadata)
    sink = _Chunks()
    with pq.ParquetWriter(sink, schema) as writer:
        for batch in product_batches(engine, query, principal, columns):
            writer.write_batch(_record_batch(schema, batch))
            yield sink.take()
    yield sink.take()


def _record_batch(schema: pa.Schema, batch: Batch) -> pa.RecordBatch:
    return pa.record_batch(batch, schema=schema)


def rejected_csv(engine: Engine, source: str, principal: Principal | None = None, lang: Lang = "en") -> Iterator[str]:
    """Rejected rows of the source's latest batch: row, errors, then every raw column
    (personal cells blanked for callers who may not see them, as in hub.api.access). Raw columns
    keep the registry's own headers; error messages stay as the API words them.

    Two passes over the batch's rows, streamed (memory holds a few hundred of them): the first
    gathers the columns for the header (scrubbing blanks values, never keys), the second writes.
    Not a generator: an unknown source raises here, before any byte of the response is sent.
    """
    with Session(engine) as session:
        batch = resolve_batch(session, source, None)
        province_code = session.scalar(select(Source.province_code).where(Source.name == source))
        raw_columns = list(dict.fromkeys(k for r in iter_rejected(session, batch) for k in r.raw or {})) \
            if batch else []
    header = [c.header(lang) for c in REJECTED_COLUMNS] + raw_columns

    def rows() -> Iterator[list[Any]]:
        if batch is None:
            return
        with Session(engine) as session:
            for record in iter_rejected(session, batch):
                raw, errors = scrub_rejected(principal, province_code, record.raw, record.errors, field_of)
                codes = "; ".join(str(e.get("code", "")) for e in errors)
                text = "; ".join(f"{e.get('field') or '-'}: {e.get('message', '')}" for e in errors)
                yield [record.row_number, codes, text] + [raw.get(c) for c in raw_columns]

    return csv_stream(header, rows())


def _conflict_field(field: str, lang: Lang) -> str:
    return CONFLICT_FIELDS_VI.get(field, field) if lang == "vi" else field


def _conflict_value(field: str, value: str | None, lang: Lang) -> str | None:
    labels = CONFLICT_LABELS.get(field)
    return term(labels, value, lang) if labels else value


def conflicts_csv(engine: Engine, query: ExportQuery[ConflictFilter],
                  principal: Principal | None = None) -> Iterator[str]:
    """One row per source value of each matching conflict, the owner's first (personal values
    empty for callers who may not see them, as in the API)."""
    lang = query.lang
    with Session(engine) as session:
        rows = ([c.product_id, name, c.province_code, _conflict_field(c.field, lang), v.source,
                 _conflict_value(c.field, v.value, lang), c.first_seen_at, c.updated_at]
                for c, name, values in iter_conflicts(session, query.filter, principal) for v in values)
        yield from csv_stream([c.header(lang) for c in CONFLICT_COLUMNS], rows)
