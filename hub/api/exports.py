"""CSV and Parquet downloads for researchers, with the GraphQL filters as query parameters.

Same WHERE clauses as the API (hub.api.filters, hub.api.conflicts), CSV as UTF-8 with BOM so
Excel shows Vietnamese, and cells that a spreadsheet would run as formulas neutralised. Personal
data follows hub.api.access: anonymous downloads have no contact columns, and the names of
producers that may be persons (households, unknown type) are labels; a key's download adds
producer_phone/producer_email/producer_contact_person, filled only where the key may see them
(ministry: all; a province: its own producers). A product whose registry names no producer has
empty producer columns.
"""
from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime
from typing import Any, Callable, Iterable, Iterator

import pyarrow as pa
import pyarrow.parquet as pq
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from starlette.datastructures import QueryParams

from hub.api.access import may_see_personal, scrub_rejected, shown_name
from hub.api.conflicts import ConflictFilter, iter_conflicts
from hub.api.enums import ProducerType, ProductGroup, ProductStatus
from hub.api.errors import ClientError
from hub.api.filters import ProductFilter, product_conditions
from hub.api.rejected import field_of, iter_rejected, resolve_batch
from hub.auth import Principal
from hub.models import Producer, Product, Province, Source

BOM = "\ufeff"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
BATCH_ROWS = 2_000

# (column name, arrow type, value from (product, producer or None, province))
COLUMNS: list[tuple[str, pa.DataType, Callable[[Product, Producer | None, Province | None], Any]]] = [
    ("id", pa.int64(), lambda p, pr, pv: p.id),
    ("name", pa.string(), lambda p, pr, pv: p.name),
    ("group", pa.string(), lambda p, pr, pv: p.group_code),
    ("group_text", pa.string(), lambda p, pr, pv: p.group_text),
    ("subgroup", pa.string(), lambda p, pr, pv: p.subgroup),
    ("stars", pa.int64(), lambda p, pr, pv: p.stars),
    ("score", pa.int64(), lambda p, pr, pv: p.score),
    ("proposed_five_star", pa.bool_(), lambda p, pr, pv: p.proposed_five_star),
    ("status", pa.string(), lambda p, pr, pv: p.status),
    ("certified_year", pa.int64(), lambda p, pr, pv: p.certified_year),
    ("decision_number", pa.string(), lambda p, pr, pv: p.decision_number),
    ("decision_date", pa.date32(), lambda p, pr, pv: p.decision_date),
    ("issuing_body", pa.string(), lambda p, pr, pv: p.issuing_body),
    ("expiry_date", pa.date32(), lambda p, pr, pv: p.expiry_date),
    ("province_code", pa.string(), lambda p, pr, pv: p.province_code),
    ("province_name", pa.string(), lambda p, pr, pv: pv.name if pv else None),
    ("legacy_province", pa.string(), lambda p, pr, pv: p.legacy_province),
    ("commune_code", pa.string(), lambda p, pr, pv: p.commune_code),
    ("unit_text", pa.string(), lambda p, pr, pv: p.unit_text),
    ("producer_id", pa.int64(), lambda p, pr, pv: pr.id if pr else None),
    ("producer_name", pa.string(), lambda p, pr, pv: pr.name if pr else None),
    ("producer_type", pa.string(), lambda p, pr, pv: pr.producer_type if pr else None),
    ("updated_at", pa.timestamp("us", tz="UTC"), lambda p, pr, pv: p.updated_at),
]
PERSONAL_COLUMNS: list[tuple[str, pa.DataType, Callable[[Product, Producer | None, Province | None], Any]]] = [
    ("producer_phone", pa.string(), lambda p, pr, pv: pr.phone if pr else None),
    ("producer_email", pa.string(), lambda p, pr, pv: pr.email if pr else None),
    ("producer_contact_person", pa.string(), lambda p, pr, pv: pr.contact_person if pr else None),
]
PARAMS = {"province", "legacy_province", "stars", "group", "producer_type", "status",
          "year_from", "year_to", "source", "search", "updated_since"}
CONFLICT_PARAMS = {"province", "field", "source"}
CONFLICT_HEADER = ["product_id", "product_name", "province_code", "field", "source", "value",
                   "first_seen_at", "updated_at"]
_PROVINCE_CODE = re.compile(r"^\d{2}$")


def _values(params: QueryParams, name: str) -> list[str] | None:
    """Repeated (?stars=4&stars=5) or comma-separated (?stars=4,5) values; None when absent."""
    raw = params.getlist(name)
    if not raw:
        return None
    return [v.strip() for item in raw for v in item.split(",") if v.strip()]


def _int(name: str, text: str, low: int, high: int) -> int:
    if not re.fullmatch(r"-?\d+", text) or not low <= int(text) <= high:
        raise ClientError(f"Parameter {name!r}: expected a whole number from {low} to {high}, got {text!r}.")
    return int(text)


def _enum(name: str, enum_cls: Any, text: str) -> Any:
    for member in enum_cls:
        if text.lower() in (member.name.lower(), str(member.value).lower()):
            return member
    allowed = ", ".join(m.name.lower() for m in enum_cls)
    raise ClientError(f"Parameter {name!r}: unknown value {text!r}; expected one of {allowed}.")


def _refuse_unknown(params: QueryParams, allowed: set[str]) -> None:
    unknown = sorted(set(params.keys()) - allowed)
    if unknown:
        raise ClientError(f"Unknown parameter(s) {', '.join(unknown)}; allowed: {', '.join(sorted(allowed))}.")


def _province_codes(params: QueryParams) -> list[str] | None:
    codes = _values(params, "province")
    bad = [c for c in codes or [] if not _PROVINCE_CODE.match(c)]
    if bad:
        raise ClientError(f"Parameter 'province': expected two-digit codes such as 19, got {bad[0]!r}.")
    return codes


def filter_from_params(params: QueryParams) -> ProductFilter:
    """Build the API's ProductFilter from query parameters; anything wrong is a ClientError."""
    _refuse_unknown(params, PARAMS)
    f = ProductFilter()
    f.province = _province_codes(params)
    f.legacy_province = _values(params, "legacy_province")
    if (stars := _values(params, "stars")) is not None:
        f.stars = [_int("stars", s, 1, 5) for s in stars]
    if (groups := _values(params, "group")) is not None:
        f.group = [_enum("group", ProductGroup, g) for g in groups]
    if (types := _values(params, "producer_type")) is not None:
        f.producer_type = [_enum("producer_type", ProducerType, t) for t in types]
    if (statuses := _values(params, "status")) is not None:
        f.status = [_enum("status", ProductStatus, s) for s in statuses]
    if "year_from" in params:
        f.year_from = _int("year_from", params["year_from"], 1900, 2200)
    if "year_to" in params:
        f.year_to = _int("year_to", params["year_to"], 1900, 2200)
    f.source = _values(params, "source")
    f.search = params.get("search")
    if "updated_since" in params:
        try:
            f.updated_since = datetime.fromisoformat(params["updated_since"])
        except ValueError as exc:
            raise ClientError("Parameter 'updated_since': expected an ISO date-time such as 2025-07-01T00:00:00Z.") from exc
    return f


def conflict_filter_from_params(params: QueryParams) -> ConflictFilter:
    """The ConflictFilter of /export/conflicts.csv (province, field, source); anything wrong is a ClientError."""
    _refuse_unknown(params, CONFLICT_PARAMS)
    return ConflictFilter(province=_province_codes(params), field=params.get("field") or None,
                          source=_values(params, "source"))


def columns_for(principal: Principal | None) -> list[tuple[str, pa.DataType, Callable[..., Any]]]:
    """Anonymous downloads carry no contact columns at all; a key's carry them (maybe empty)."""
    return COLUMNS + (PERSONAL_COLUMNS if principal is not None else [])


def _visible_producer(producer: Producer | None, principal: Principal | None) -> Producer | None:
    """A detached copy of the producer with what ``principal`` may not see removed (None: the
    registry named no producer)."""
    if producer is None:
        return None
    personal = may_see_personal(principal, producer.province_code)
    return Producer(id=producer.id, identity_key="", name_normalized="", search_key="",
                    name=shown_name(principal, producer.name, producer.producer_type, producer.province_code),
                    producer_type=producer.producer_type, province_code=producer.province_code,
                    phone=producer.phone if personal else None, email=producer.email if personal else None,
                    contact_person=producer.contact_person if personal else None)


def _product_rows(session: Session, f: ProductFilter,
                  principal: Principal | None = None) -> Iterator[tuple[Product, Producer | None, Province | None]]:
    stmt = (select(Product, Producer, Province)
            .outerjoin(Producer, Producer.id == Product.producer_id)
            .outerjoin(Province, Province.code == Product.province_code)
            .where(*product_conditions(f, principal)).order_by(Product.id))
    for row in session.execute(stmt.execution_options(yield_per=BATCH_ROWS)):
        yield row[0], _visible_producer(row[1], principal), row[2]


def neutralise(value: Any) -> Any:
    """Prefix an apostrophe to text a spreadsheet would evaluate (=, +, -, @, tab, CR)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _csv_text(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
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


def products_csv(engine: Engine, f: ProductFilter, principal: Principal | None = None) -> Iterator[str]:
    columns = columns_for(principal)
    with Session(engine) as session:
        rows = ([get(*row) for _, _, get in columns] for row in _product_rows(session, f, principal))
        yield from csv_stream([name for name, _, _ in columns], rows)


def products_parquet(engine: Engine, f: ProductFilter, principal: Principal | None = None) -> bytes:
    """The filtered products as one Parquet file, written in row groups of BATCH_ROWS."""
    columns = columns_for(principal)
    arrow_schema = pa.schema([(name, kind) for name, kind, _ in columns])
    sink = io.BytesIO()
    with Session(engine) as session, pq.ParquetWriter(sink, arrow_schema) as writer:
        batch: list[tuple[Product, Producer | None, Province | None]] = []
        for row in _product_rows(session, f, principal):
            batch.append(row)
            if len(batch) >= BATCH_ROWS:
                writer.write_table(_table(arrow_schema, columns, batch))
                batch = []
        if batch:
            writer.write_table(_table(arrow_schema, columns, batch))
    return sink.getvalue()


def _table(arrow_schema: pa.Schema, columns: list[tuple[str, pa.DataType, Callable[..., Any]]],
           rows: list[tuple[Product, Producer | None, Province | None]]) -> pa.Table:
    data = {name: [get(*row) for row in rows] for name, _, get in columns}
    return pa.Table.from_pydict(data, schema=arrow_schema)


def rejected_csv(engine: Engine, source: str, principal: Principal | None = None) -> Iterator[str]:
    """Rejected rows of the source's latest batch: row, errors, then every raw column
    (personal cells blanked for callers who may not see them, as in hub.api.access).

    Not a generator: an unknown source raises here, before any byte of the response is sent.
    """
    with Session(engine) as session:
        batch = resolve_batch(session, source, None)
        records = list(iter_rejected(session, batch)) if batch else []
        province_code = session.scalar(select(Source.province_code).where(Source.name == source))
    visible = [(r.row_number, *scrub_rejected(principal, province_code, r.raw, r.errors, field_of)) for r in records]
    raw_columns = list(dict.fromkeys(k for _, raw, _ in visible for k in raw))
    header = ["row_number", "error_codes", "errors"] + raw_columns

    def rows() -> Iterator[list[Any]]:
        for row_number, raw, errors in visible:
            codes = "; ".join(str(e.get("code", "")) for e in errors)
            text = "; ".join(f"{e.get('field') or '-'}: {e.get('message', '')}" for e in errors)
            yield [row_number, codes, text] + [raw.get(c) for c in raw_columns]

    return csv_stream(header, rows())


def conflicts_csv(engine: Engine, f: ConflictFilter, principal: Principal | None = None) -> Iterator[str]:
    """One row per source value of each matching conflict, the owner's first (personal values
    empty for callers who may not see them, as in the API)."""
    with Session(engine) as session:
        rows = ([c.product_id, name, c.province_code, c.field, v.source, v.value, c.first_seen_at, c.updated_at]
                for c, name, values in iter_conflicts(session, f, principal) for v in values)
        yield from csv_stream(CONFLICT_HEADER, rows)
