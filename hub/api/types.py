"""GraphQL output types over the store.

Producers' personal data (phone, e-mail, contact person, and the name and address of a producer
that may be a person: a household, or one whose type is unknown, with what is read from that
address: a product's unit as written, its history and warnings) is filled in only for callers
allowed to see it (hub.api.access, docs/access.md); the tax code is never exposed.

Resolvers get the request's hub.api.context.Context, named here only for type checkers: the
context builds on these types (context → loaders → nodes → types), not the other way round."""
from __future__ import annotations

from datetime import date, datetime, timezone
from typing import TYPE_CHECKING, Annotated, Any, Callable, Optional

import strawberry
from sqlalchemy.orm import Session
from strawberry.scalars import JSON

from hub.api.access import (HOUSEHOLD_LABEL, UNDISCLOSED_LABEL, may_see_personal, scrub_record, scrub_warning,
                            shown_address, shown_name)
from hub.access.keys import Principal
from hub.api.enums import ProducerType, ProductGroup, ProductStatus, from_db
from hub.api.certificate_type import Certificate
from hub.api.limits import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, page_size
from hub.api.pagination import PageInfo
from hub.store import models
from hub.store.certificates import current_date, status_on

if TYPE_CHECKING:
    from hub.api.context import Context


def as_utc(value: datetime | None) -> datetime | None:
    """Timestamps go out aware, in UTC (a naive one from an older store is UTC)."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=timezone.utc)


@strawberry.type(description="A current (post-July-2025) province: one of the 34.")
class Province:
    code: str = strawberry.field(description="Official two-digit code, e.g. \"08\" (post-2025 code list).")
    name: str = strawberry.field(description="Short name, e.g. \"Tuyên Quang\".")
    full_name: str = strawberry.field(description="Name with its type, e.g. \"Tỉnh Tuyên Quang\".")

    @classmethod
    def from_row(cls, row: models.Province) -> Province:
        return cls(code=row.code, name=row.name, full_name=row.full_name)

    @strawberry.field(description="Names of the pre-July-2025 provinces merged into this one.")
    async def legacy_predecessors(self, info: strawberry.Info["Context", None]) -> list[str]:
        return await info.context.loaders.legacy_names.load(self.code)

    @strawberry.field(description="Products certified here (active or expired, not withdrawn).")
    async def product_count(self, info: strawberry.Info["Context", None]) -> int:
        return await info.context.loaders.product_count.load(self.code)


@strawberry.type(description="A current commune or ward (xã, phường, đặc khu).")
class Commune:
    code: str = strawberry.field(description="Official five-digit code (post-2025 code list).")
    name: str = strawberry.field(description="Name, e.g. \"Xã Tân Cương\".")
    province_code: str = strawberry.field(description="Code of the current province it belongs to.")

    @classmethod
    def from_row(cls, row: models.Commune) -> Commune:
        return cls(code=row.code, name=row.name, province_code=row.province_code)


@strawberry.type(description="One source row a product came from: which registry or push, which row.")
class Provenance:
    source_name: str = strawberry.field(description="Name of the source (provincial registry or push channel).")
    source_kind: str = strawberry.field(description="csv, xlsx, json_api, html, pdf, docx or push.")
    row_number: int = strawberry.field(description="Row number in the source as received.")
    last_seen_at: Optional[datetime] = strawberry.field(description="When the batch that last saw the row ended.")
    present: bool = strawberry.field(description="False once the row left its registry.")
    location: Optional[str] = strawberry.field(description=(
        "Where the row is in its file when its row number alone does not say it: a workbook's sheet "
        "(\"sheet '4 sao'\"), an annex's page (\"page 3\", \"pages 3–4\"); null otherwise."))
    gives: list[str] = strawberry.field(default_factory=list, description=(
        "The product's fields this source gives because the owner source could not read them "
        "(decision_number, decision_date, group_code, commune_code): the best value from every source."))

    @classmethod
    def from_row(cls, row: Any) -> Provenance:
        """From a row of hub.api.nodes.provenance_of's query (``location``: the raw row's
        ``(location)``, which the annex readers set; hub.registries.annex)."""
        return cls(source_name=row.source_name, source_kind=row.source_kind, row_number=row.row_number,
                   last_seen_at=as_utc(row.last_seen_at), present=row.present, location=row.location)


@strawberry.type(description=(
    "A producer (chủ thể). Contact data and the names of household producers are personal: "
    "shown only to the ministry and to the producer's own province (see docs/access.md)."))
class Producer:
    id: int = strawberry.field(description="Hub identifier, stable across harvests.")
    name: str = strawberry.field(description=(
        "Name as the registry wrote it (NFC). For a producer that may be a person, when the caller may not "
        f"see it: \"{HOUSEHOLD_LABEL}\" for a household, \"{UNDISCLOSED_LABEL}\" when its type is unknown."))
    producer_type: Optional[ProducerType] = strawberry.field(description="Kind of producer, when known.")
    address: Optional[str] = strawberry.field(description=(
        "Business address as written; null for a household producer or one of unknown type unless the caller "
        "is the ministry or the producer's own province (it may be a home address)."))
    phone: Optional[str] = strawberry.field(description=(
        "Telephone (personal data): null unless the caller is the ministry or the producer's own province."))
    email: Optional[str] = strawberry.field(description=(
        "E-mail (personal data): null unless the caller is the ministry or the producer's own province."))
    contact_person: Optional[str] = strawberry.field(description=(
        "Representative or contact person (personal data): null unless the caller is the ministry or "
        "the producer's own province."))
    created_at: datetime = strawberry.field(description="First seen by the hub (UTC).")
    updated_at: datetime = strawberry.field(description="Last changed in the hub (UTC).")
    province_code: strawberry.Private[str]
    commune_code: strawberry.Private[Optional[str]]

    @classmethod
    def from_row(cls, row: models.Producer, viewer: Principal | None) -> Producer:
        """The producer as ``viewer`` (None: anonymous) may see it."""
        personal = may_see_personal(viewer, row.province_code)
        return cls(id=row.id, name=shown_name(viewer, row.name, row.producer_type, row.province_code),
                   producer_type=from_db(ProducerType, row.producer_type),
                   address=shown_address(viewer, row.address, row.producer_type, row.province_code),
                   phone=row.phone if personal else None, email=row.email if personal else None,
                   contact_person=row.contact_person if personal else None,
                   created_at=as_utc(row.created_at), updated_at=as_utc(row.updated_at),
                   province_code=row.province_code, commune_code=row.commune_code)

    @strawberry.field(description="Current province of the producer.")
    async def province(self, info: strawberry.Info["Context", None]) -> Optional[Province]:
        row = await info.context.loaders.province.load(self.province_code)
        return Province.from_row(row) if row else None

    @strawberry.field(description="Current commune of the producer, when known.")
    async def commune(self, info: strawberry.Info["Context", None]) -> Optional[Commune]:
        if self.commune_code is None:
            return None
        row = await info.context.loaders.commune.load(self.commune_code)
        return Commune.from_row(row) if row else None

    @strawberry.field(description=(
        "The producer's products (active or expired), by name: at most `first` of them."))
    async def products(self, info: strawberry.Info["Context", None], first: Annotated[Optional[int], strawberry.argument(
            description=f"How many, at most {MAX_PAGE_SIZE}.")] = DEFAULT_PAGE_SIZE) -> list[Product]:
        return await info.context.loaders.products_of_producer.load((self.id, page_size(first)))


@strawberry.type(description="A certified OCOP product: the unit the ministry counts.")
class Product:
    id: int = strawberry.field(description="Hub identifier, stable across harvests.")
    name: str = strawberry.field(description="Name as the registry wrote it (NFC).")
    group: Optional[ProductGroup] = strawberry.field(description=(
        "Product group (Decision 148/QĐ-TTg); null when the registry gave none the hub can map and the name "
        "does not tell (warning GROUP_UNKNOWN): `groupText` keeps what was written."))
    group_text: Optional[str] = strawberry.field(description="Category as the registry wrote it.")
    subgroup: Optional[str] = strawberry.field(description="Subgroup as the registry wrote it.")
    stars: int = strawberry.field(description="Star rating, 1–5 (3 and up are certified).")
    score: Optional[int] = strawberry.field(description="Evaluation score out of 100, when published.")
    proposed_five_star: bool = strawberry.field(
        description="\"Tiềm năng 5 sao\": proposed for 5★, still 4★ until the central council decides.")
    decision_number: Optional[str] = strawberry.field(description="Certification decision number.")
    decision_date: Optional[date] = strawberry.field(description="Certification decision date.")
    issuing_body: Optional[str] = strawberry.field(description="Issuing body as written (may no longer exist).")
    certified_year: Optional[int] = strawberry.field(description="Year of certification.")
    expiry_date: Optional[date] = strawberry.field(description="End of the 36-month validity.")
    status: ProductStatus = strawberry.field(description="Certificate status.")
    legacy_province: Optional[str] = strawberry.field(
        description="Pre-reform province name, when the registry used one.")
    unit_text: Optional[str] = strawberry.field(description=(
        "Administrative unit or address as written; null for the product of a household producer, of one of "
        "unknown type or of none named, unless the caller is the ministry or the product's own province (it may "
        "be a home address): `commune` and `province` are the units the hub resolved, public for every product."))
    unit_code: Optional[str] = strawberry.field(description="Unit code as written by the registry.")
    unit_code_version: Optional[str] = strawberry.field(
        description="Code list of unitCode: pre2025 or post2025 (codes were reused in July 2025).")
    created_at: datetime = strawberry.field(description="First seen by the hub (UTC).")
    updated_at: datetime = strawberry.field(description="Last changed in the hub (UTC).")
    withdrawn_at: Optional[datetime] = strawberry.field(description="When it was withdrawn (UTC), if it was.")
    producer: Optional[Producer] = strawberry.field(
        description="The producer (chủ thể) of the product; null when the registry names none (warning PRODUCER_MISSING).")
    province: Optional[Province] = strawberry.field(description="Current province the product is counted in.")
    provenance: list[Provenance] = strawberry.field(
        description="Every source row this product came from (one product, many sources).")
    province_code: strawberry.Private[str]
    commune_code: strawberry.Private[Optional[str]]
    source_id: strawberry.Private[int]
    producer_type: strawberry.Private[Optional[str]]

    @classmethod
    def from_row(cls, row: models.Product, producer: Optional[models.Producer], province: Optional[Province],
                 provenance: list[Provenance], viewer: Principal | None) -> Product:
        """Built whole (hub.api.nodes.product_nodes) as ``viewer`` may see it: nothing under a
        product is fetched later."""
        producer_type = producer.producer_type if producer is not None else None
        return cls(
            id=row.id, name=row.name, group=from_db(ProductGroup, row.group_code), group_text=row.group_text,
            subgroup=row.subgroup, stars=row.stars, score=row.score, proposed_five_star=row.proposed_five_star,
            decision_number=row.decision_number, decision_date=row.decision_date,
            issuing_body=row.issuing_body, certified_year=row.certified_year, expiry_date=row.expiry_date,
            status=from_db(ProductStatus, status_on(row.status, row.expiry_date, row.decision_date,
                                                         row.certified_year, row.listed_on, current_date())),
            legacy_province=row.legacy_province,
            unit_text=shown_address(viewer, row.unit_text, producer_type, row.province_code),
            unit_code=row.unit_code, unit_code_version=row.unit_code_version, created_at=as_utc(row.created_at),
            updated_at=as_utc(row.updated_at), withdrawn_at=as_utc(row.withdrawn_at),
            producer=Producer.from_row(producer, viewer) if producer is not None else None,
            province=province, provenance=provenance, province_code=row.province_code,
            commune_code=row.commune_code, source_id=row.source_id, producer_type=producer_type,
        )

    @strawberry.field(description="Current commune, when the registry's unit could be resolved.")
    async def commune(self, info: strawberry.Info["Context", None]) -> Optional[Commune]:
        if self.commune_code is None:
            return None
        row = await info.context.loaders.commune.load(self.commune_code)
        return Commune.from_row(row) if row else None

    @strawberry.field(description=(
        "What the applied batches (harvest, push, revert) did to this product, oldest first: the audit log, "
        "with the values before and after each change; the `last` latest changes."))
    async def history(self, info: strawberry.Info["Context", None], last: Annotated[Optional[int], strawberry.argument(
            description=f"How many of the latest changes, at most {MAX_PAGE_SIZE}.")] = DEFAULT_PAGE_SIZE
                      ) -> list[HistoryEntry]:
        entries = await info.context.loaders.history.load((self.id, page_size(last)))
        viewer = info.context.principal
        return [HistoryEntry.from_entry(e, viewer, self.province_code, self.producer_type) for e in entries]

    @strawberry.field(description=(
        "The product's certificates over time, oldest first, as the hub knows them now: a re-rated or "
        "renewed product keeps its earlier certificate for the dates before the new decision."))
    async def certificates(self, info: strawberry.Info["Context", None]) -> list[Certificate]:
        return list(await info.context.loaders.certificates.load(self.id))

    @strawberry.field(description=(
        "Values of the product's row in its owner source (the source whose values it shows) that could not "
        "be read: the row was stored without them. Empty when every field was read."))
    async def warnings(self, info: strawberry.Info["Context", None]) -> list[RowWarning]:
        found = await info.context.loaders.warnings.load((self.id, self.source_id))
        viewer = info.context.principal
        return [RowWarning.from_dict(scrub_warning(viewer, self.province_code, w, self.producer_type))
                for w in found if isinstance(w, dict)]


@strawberry.type(description=(
    "An optional field of a stored row that could not be read: the row was kept, without that value."))
class RowWarning:
    code: str = strawberry.field(description="Stable warning code, e.g. GROUP_UNKNOWN (docs/error-codes.md).")
    field: Optional[str] = strawberry.field(description="The canonical field concerned, e.g. group, commune.")
    message: str = strawberry.field(description=(
        "Explanation for people. On a personal field (producer name or type, phone, e-mail, contact person, "
        "tax code; address, commune or district as written when the producer may be a person) a neutral text "
        "for callers who may not see the producer's personal data."))
    raw_value: Optional[str] = strawberry.field(description=(
        "The text as the registry wrote it; null when there was none, and on a personal field (as for "
        "`message`) for callers who may not see the producer's personal data."))

    @classmethod
    def from_dict(cls, w: dict[str, Any]) -> RowWarning:
        value = w.get("value")
        return cls(code=str(w.get("code") or ""), field=None if w.get("field") is None else str(w["field"]),
                   message=str(w.get("message") or ""), raw_value=None if value is None else str(value))


@strawberry.type(description="One change a batch made to a product (the audit log).")
class HistoryEntry:
    batch_id: int = strawberry.field(description="The batch that made the change (see `importBatches`).")
    batch_kind: str = strawberry.field(description="harvest, push, revert or removal.")
    actor: str = strawberry.field(description=(
        "Who applied it: `harvest` (ocop-hub harvest), `dagster` (a Dagster run) or `key:ID:NAME` "
        "(the API key that pushed or reverted)."))
    action: str = strawberry.field(
        description="created, updated, linked, unlisted, withdrawn, revoked or restored (docs/access.md).")
    at: datetime = strawberry.field(description="When (UTC).")
    before: Optional[JSON] = strawberry.field(description=(
        "The product's values before the change (null when created); `unit_text` null when `unitText` is."))
    after: Optional[JSON] = strawberry.field(description=(
        "The product's values after the change; `unit_text` null when `unitText` is."))

    @classmethod
    def from_entry(cls, e: Any, viewer: Principal | None, province_code: str,
                   producer_type: str | None) -> HistoryEntry:
        """``producer_type``: of the product's producer now, which decides whether the unit text
        in the snapshots (a possible home address) is shown."""
        return cls(batch_id=e.batch_id, batch_kind=e.batch_kind, actor=e.actor, action=e.action, at=as_utc(e.at),
                   before=scrub_record(viewer, province_code, e.before, producer_type=producer_type),
                   after=scrub_record(viewer, province_code, e.after, producer_type=producer_type))


Counter = Callable[[Session], int]


async def _count(info: strawberry.Info["Context", None], counter: Counter) -> int:
    return await info.context.db(counter)


@strawberry.type(description="A product and its cursor.")
class ProductEdge:
    node: Product = strawberry.field(description="The product.")
    cursor: str = strawberry.field(description="Opaque position; pass it as `after` to continue.")


@strawberry.type(description="A page of products.")
class ProductConnection:
    edges: list[ProductEdge] = strawberry.field(description="The products of this page, in order.")
    page_info: PageInfo = strawberry.field(description="Cursors and whether more pages follow.")
    counter: strawberry.Private[Counter]

    @strawberry.field(description="Number of products matching the filter, over all pages.")
    async def total_count(self, info: strawberry.Info["Context", None]) -> int:
        return await _count(info, self.counter)


@strawberry.type(description="A producer and its cursor.")
class ProducerEdge:
    node: Producer = strawberry.field(description="The producer.")
    cursor: str = strawberry.field(description="Opaque position; pass it as `after` to continue.")


@strawberry.type(description="A page of producers.")
class ProducerConnection:
    edges: list[ProducerEdge] = strawberry.field(description="The producers of this page, in order.")
    page_info: PageInfo = strawberry.field(description="Cursors and whether more pages follow.")
    counter: strawberry.Private[Counter]

    @strawberry.field(description="Number of producers matching the filter, over all pages.")
    async def total_count(self, info: strawberry.Info["Context", None]) -> int:
        return await _count(info, self.counter)
