"""CSV and Parquet downloads for researchers, with the GraphQL filters as query parameters.

Same WHERE clauses as the API (hub.api.filters, hub.api.conflicts), CSV as UTF-8 with BOM so
Excel shows Vietnamese, and cells that a spreadsheet would run as formulas neutralised. Personal
data follows hub.api.access: anonymous downloads have no contact columns, and the names of
producers that may be persons (households, unknown type) are labels; a key's download adds
producer_phone/producer_email/producer_contact_person, filled only where the key may see them
(ministry: all; a province: its own producers). A product whose registry names no producer has
empty producer columns. Columns marked ``address`` (the unit as written) are empty where the caller
may not see the producer's address (hub.api.access.sees_address).

Parameters take the GraphQL filter's camelCase names (``yearFrom``) or snake_case (``year_from``).
Enumerated values are written as the GraphQL enum names (``FOOD``, ``ACTIVE``, ``COOPERATIVE``)
in every export, booleans as ``true``/``false`` in CSV and as booleans in Parquet; ``?lang=vi``
gives Vietnamese headers and enum labels (``Thực phẩm``, ``Còn hiệu lực``) for Excel users.
See docs/exports.md.
"""
from __future__ import annotations

import csv
import enum
import io
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Callable, Iterable, Iterator

import pyarrow as pa
import pyarrow.parquet as pq
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from hub.api.access import may_see_personal, scrub_rejected, sees_address, shown_name
from hub.api.conflicts import ConflictFilter, iter_conflicts
from hub.api.enums import ProducerType, ProductGroup, ProductStatus, from_db
from hub.api.export_params import ExportQuery, Lang
from hub.api.filters import ProductFilter, held_conditions, product_conditions
from hub.api.rejected import field_of, iter_rejected, resolve_batch
from hub.access.keys import Principal
from hub.store.models import Producer, Product, Province, Source
from hub.normalize.groups import group_name
from hub.store.certificates import current_date, status_sql
from hub.store.as_of import as_of_moment, certificates_on
from hub.ingest.run import resolver_for

BOM = "\ufeff"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
BATCH_ROWS = 2_000


VI_TERMS: dict[enum.Enum, str] = {
    **{group: group_name(group.value) for group in ProductGroup},
    ProductStatus.ACTIVE: "Còn hiệu lực", ProductStatus.EXPIRED: "Hết hạn", ProductStatus.WITHDRAWN: "Đã thu hồi",
    ProducerType.COOPERATIVE: "Hợp tác xã", ProducerType.ENTERPRISE: "Doanh nghiệp",
    ProducerType.COOPERATIVE_GROUP: "Tổ hợp tác", ProducerType.HOUSEHOLD: "Hộ sản xuất, kinh doanh",
}
"""Vietnamese labels of every enumerated value an export writes (``?lang=vi``)."""


def term(enum_cls: type[enum.Enum], stored: str | None, lang: Lang) -> str | None:
    """A stored enum value as exports write it: the GraphQL enum name (``ACTIVE``, not the stored
    ``active``) or its Vietnamese label; a value the hub does not know stays as stored."""
    member = from_db(enum_cls, stored)
    if member is None:
        return stored
    return VI_TERMS[member] if lang == "vi" else member.name


Row = tuple[Product, Producer | None, Province | None, bool, str]
"""A product (as it was on the day asked), its producer as the caller may see it, its province,
whether the caller may see the producer's address (hub.api.access.sees_address), and its status
that day."""


@dataclass(frozen=True)
class Column:
    """One column of the products export: its English and Vietnamese headers, its Parquet type,
    how to read it from a row, the enum that labels its values (if any), and whether it is (read
    from) the address as written, empty where the caller may not see that address."""

    name: str
    vi: str
    type: pa.DataType
    get: Callable[[Product, Producer | None, Province | None], Any]
    labels: type[enum.Enum] | None = None
    address: bool = False
    of_day: bool = False  # the value is the row's status that day, not read from the product

    def header(self, lang: Lang) -> str:
        return self.vi if lang == "vi" else self.name

    def value(self, row: Row, lang: Lang) -> Any:
        product, producer, province, address_shown, status = row
        if self.address and not address_shown:
            return None
        value = status if self.of_day else self.get(product, producer, province)
        return term(self.labels, value, lang) if self.labels else value


COLUMNS: list[Column] = [
    Column("id", "Mã sản phẩm", pa.int64(), lambda p, pr, pv: p.id),
    Column("name", "Tên sản phẩm", pa.string(), lambda p, pr, pv: p.name),
    Column("group", "Nhóm sản phẩm", pa.string(), lambda p, pr, pv: p.group_code, ProductGroup),
    Column("group_text", "Nhóm (như danh sách ghi)", pa.string(), lambda p, pr, pv: p.group_text),
    Column("subgroup", "Phân nhóm", pa.string(), lambda p, pr, pv: p.subgroup),
    Column("stars", "Số sao", pa.int64(), lambda p, pr, pv: p.stars),
    Column("score", "Điểm", pa.int64(), lambda p, pr, pv: p.score),
    Column("proposed_five_star", "Đề xuất 5 sao", pa.bool_(), lambda p, pr, pv: p.proposed_five_star),
    Column("status", "Trạng thái", pa.string(), lambda p, pr, pv: p.status, ProductStatus, of_day=True),
    Column("certified_year", "Năm công nhận", pa.int64(), lambda p, pr, pv: p.certified_year),
    Column("decision_number", "Số quyết định", pa.string(), lambda p, pr, pv: p.decision_number),
    Column("decision_date", "Ngày quyết định", pa.date32(), lambda p, pr, pv: p.decision_date),
    Column("issuing_body", "Cơ quan ban hành", pa.string(), lambda p, pr, pv: p.issuing_body),
    Column("expiry_date", "Ngày hết hạn", pa.date32(), lambda p, pr, pv: p.expiry_date),
    Column("province_code", "Mã tỉnh", pa.string(), lambda p, pr, pv: p.province_code),
    Column("province_name", "Tỉnh, thành phố", pa.string(), lambda p, pr, pv: pv.name if pv else None),
    Column("legacy_province", "Tỉnh cũ (trước 7/2025)", pa.string(), lambda p, pr, pv: p.legacy_province),
    Column("commune_code", "Mã xã", pa.string(), lambda p, pr, pv: p.commune_code),
    Column("unit_text", "Địa bàn (như danh sách ghi)", pa.string(), lambda p, pr, pv: p.unit_text, address=True),
    Column("producer_id", "Mã chủ thể", pa.int64(), lambda p, pr, pv: pr.id if pr else None),
    Column("producer_name", "Chủ thể", pa.string(), lambda p, pr, pv: pr.name if pr else None),
    Column("producer_type", "Loại chủ thể", pa.string(), lambda p, pr, pv: pr.producer_type if pr else None,
           ProducerType),
    Column("updated_at", "Cập nhật lúc (UTC)", pa.timestamp("us", tz="UTC"), lambda p, pr, pv: p.updated_at),
]
PERSONAL_COLUMNS: list[Column] = [
    Column("producer_phone", "Điện thoại", pa.string(), lambda p, pr, pv: pr.phone if pr else None),
    Column("producer_email", "Thư điện tử", pa.string(), lambda p, pr, pv: pr.email if pr else None),
    Column("producer_contact_person", "Người liên hệ", pa.string(),
           lambda p, pr, pv: pr.contact_person if pr else None),
]
CONFLICT_HEADER = {
    "en": ["product_id", "product_name", "province_code", "field", "source", "value", "first_seen_at", "updated_at"],
    "vi": ["Mã sản phẩm", "Tên sản phẩm", "Mã tỉnh", "Trường", "Nguồn", "Giá trị", "Phát hiện lúc (UTC)",
           "Cập nhật lúc (UTC)"],
}
CONFLICT_FIELDS_VI = {"stars": "Số sao", "group": "Nhóm sản phẩm", "producer_type": "Loại chủ thể",
                      "tax_code": "Mã số thuế", "address": "Địa chỉ", "commune": "Xã, phường",
                      "decision_number": "Số quyết định", "decision_date": "Ngày quyết định"}
CONFLICT_LABELS: dict[str, type[enum.Enum]] = {"group": ProductGroup, "producer_type": ProducerType}
REJECTED_HEADER = {"en": ["row_number", "error_codes", "errors"], "vi": ["Dòng", "Mã lỗi", "Lỗi"]}

def columns_for(principal: Principal | None) -> list[Column]:
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


def _product_rows(session: Session, query: ExportQuery[ProductFilter],
                  principal: Principal | None = None) -> Iterator[Row]:
    """The products asked for, each with its status today, or as it was on ``query.as_of`` as
    known at ``query.known_at`` (hub/api/as_of_listing.py: the certificate it held then)."""
    stmt = select(Product, Producer, Province)
    if query.as_of is None and query.known_at is None:
        held = None
        stmt = stmt.add_columns(status_sql(current_date())).where(*product_conditions(query.filter, principal))
    else:
        held = certificates_on(*as_of_moment(query.as_of, query.known_at, current_date()))
        stmt = stmt.add_columns(held.c.status, *held.c).join(held, held.c.product_id == Product.id) \
            .where(*held_conditions(held, query.filter, principal, resolver_for(session.get_bind())))
    stmt = (stmt.outerjoin(Producer, Producer.id == Product.producer_id)
            .outerjoin(Province, Province.code == Product.province_code).order_by(Product.id))
    for product, producer, province, status, *that_day in session.execute(
            stmt.execution_options(yield_per=BATCH_ROWS)):
        if held is not None:
            product = _as_it_was(product, dict(zip(held.c.keys(), that_day)))
        address_shown = sees_address(principal, producer.producer_type if producer else None, product.province_code)
        yield product, _visible_producer(producer, principal), province, address_shown, status


def _as_it_was(product: Product, held: dict[str, Any]) -> Product:
    """A detached copy of ``product`` showing the certificate it held that day."""
    copy = Product(**{c.name: getattr(product, c.name) for c in Product.__table__.columns})
    for field in ("stars", "proposed_five_star", "group_code", "province_code", "legacy_province",
                  "certified_year", "decision_number", "decision_date", "status"):
        setattr(copy, field, held[field])
    copy.expiry_date = held["valid_to"]
    return copy


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
                 principal: Principal | None = None) -> Iterator[str]:
    columns = columns_for(principal)
    with Session(engine) as session:
        rows = ([c.value(row, query.lang) for c in columns] for row in _product_rows(session, query, principal))
        yield from csv_stream([c.header(query.lang) for c in columns], rows)


def products_parquet(engine: Engine, query: ExportQuery[ProductFilter], principal: Principal | None = None) -> bytes:
    """The filtered products as one Parquet file, written in row groups of BATCH_ROWS."""
    columns = columns_for(principal)
    arrow_schema = pa.schema([(c.header(query.lang), c.type) for c in columns])
    sink = io.BytesIO()
    with Session(engine) as session, pq.ParquetWriter(sink, arrow_schema) as writer:
        batch: list[Row] = []
        for row in _product_rows(session, query, principal):
            batch.append(row)
            if len(batch) >= BATCH_ROWS:
                writer.write_table(_table(arrow_schema, columns, batch, query.lang))
                batch = []
        if batch:
            writer.write_table(_table(arrow_schema, columns, batch, query.lang))
    return sink.getvalue()


def _table(arrow_schema: pa.Schema, columns: list[Column], rows: list[Row], lang: Lang) -> pa.Table:
    data = {c.header(lang): [c.value(row, lang) for row in rows] for c in columns}
    return pa.Table.from_pydict(data, schema=arrow_schema)


def rejected_csv(engine: Engine, source: str, principal: Principal | None = None, lang: Lang = "en") -> Iterator[str]:
    """Rejected rows of the source's latest batch: row, errors, then every raw column
    (personal cells blanked for callers who may not see them, as in hub.api.access). Raw columns
    keep the registry's own headers; error messages stay as the API words them.

    Not a generator: an unknown source raises here, before any byte of the response is sent.
    """
    with Session(engine) as session:
        batch = resolve_batch(session, source, None)
        records = list(iter_rejected(session, batch)) if batch else []
        province_code = session.scalar(select(Source.province_code).where(Source.name == source))
    visible = [(r.row_number, *scrub_rejected(principal, province_code, r.raw, r.errors, field_of)) for r in records]
    raw_columns = list(dict.fromkeys(k for _, raw, _ in visible for k in raw))
    header = REJECTED_HEADER[lang] + raw_columns

    def rows() -> Iterator[list[Any]]:
        for row_number, raw, errors in visible:
            codes = "; ".join(str(e.get("code", "")) for e in errors)
            text = "; ".join(f"{e.get('field') or '-'}: {e.get('message', '')}" for e in errors)
            yield [row_number, codes, text] + [raw.get(c) for c in raw_columns]

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
        yield from csv_stream(CONFLICT_HEADER[lang], rows)
