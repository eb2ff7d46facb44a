"""The unified store: SQLModel tables shared by harvest, push, the API and exports.

Enum-like columns are plain strings (values of the ``StrEnum``s below) so SQLite and
PostgreSQL store them the same way and migrations never need ``ALTER TYPE``.
"""
from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Optional

from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from hub.vocabulary import ProductStatus, CodeVersion, BatchStatus


def utcnow() -> datetime:
    """Aware UTC: SQLModel's datetime columns store UTC and refuse naive values."""
    return datetime.now(timezone.utc)


class ApiKey(SQLModel, table=True):
    """A bearer token, stored only as its SHA-256 (tokens are 256-bit random, so no salt is needed)."""
    __tablename__ = "api_key"
    id: Optional[int] = Field(default=None, primary_key=True)
    name: str
    role: str
    province_code: Optional[str] = Field(default=None, foreign_key="province.code")
    token_hash: str = Field(unique=True, max_length=64)
    prefix: str = Field(description="First characters of the token, to recognise it in lists and logs.")
    created_at: datetime = Field(default_factory=utcnow)
    revoked_at: Optional[datetime] = None
    last_used_at: Optional[datetime] = None


class Province(SQLModel, table=True):
    """A current (post-July-2025) province, loaded from the ``vietnam-provinces`` package."""
    code: str = Field(primary_key=True, max_length=2, description="Official two-digit code, e.g. '08'.")
    name: str = Field(description="Short name, e.g. 'Tuyên Quang'.")
    full_name: str = Field(description="Name with its type, e.g. 'Tỉnh Tuyên Quang'.")
    search_key: str = Field(index=True)


class Commune(SQLModel, table=True):
    """A current commune/ward (xã, phường, đặc khu)."""
    code: str = Field(primary_key=True, max_length=5)
    name: str
    province_code: str = Field(foreign_key="province.code", index=True)
    search_key: str = Field(index=True)


class LegacyUnit(SQLModel, table=True):
    """A pre-reform unit as registries name it, mapped to the current unit that succeeded it."""
    __table_args__ = (UniqueConstraint("level", "code", "code_version"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    level: str = Field(description="province | district | commune")
    code: str
    code_version: str = Field(default=CodeVersion.PRE_2025.value)
    name: str
    search_key: str = Field(index=True)
    legacy_province_code: Optional[str] = Field(default=None, index=True)
    legacy_district_code: Optional[str] = Field(
        default=None, index=True, description="Parent district of a pre-2025 commune.")
    current_province_code: str = Field(foreign_key="province.code", index=True)
    current_commune_code: Optional[str] = Field(default=None, foreign_key="commune.code")


class Source(SQLModel, table=True):
    """One provincial registry (harvest) or one province's push channel."""
    id: Optional[int] = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    kind: str
    location: Optional[str] = None
    province_text: str = Field(description="The province as the office wrote it (empty: many provinces).")
    province_code: Optional[str] = Field(default=None, foreign_key="province.code", index=True, description=(
        "Null for a list of many provinces (a national compilation): its rows name their own."))
    created_at: datetime = Field(default_factory=utcnow)
    last_success_at: Optional[datetime] = None
    disabled_at: Optional[datetime] = Field(default=None, description=(
        "Set while an operator has disabled the source: not harvested, not counted as stale, its products kept."))
    removed_at: Optional[datetime] = Field(default=None, description=(
        "Set once the source is removed: the row stays for the audit trail (its batches, provenance), "
        "hidden from coverage and listings; the name is not reused."))
    list_kind: str = Field(default="products", sa_column_kwargs={"server_default": "products"}, description=(
        "products: a registry of certified products; revocation: a list of revoked certificates."))
    list_date: Optional[date] = Field(default=None, description=(
        "The date its list speaks for, as of its last successful batch: the latest decision date it lists (an "
        "annex's title decision is every row's that states none); null while it lists no dated certificate."))


class ImportBatch(SQLModel, table=True):
    """One application of a source snapshot or a push: who, what, when, counts."""
    __tablename__ = "import_batch"
    id: Optional[int] = Field(default=None, primary_key=True)
    source_id: int = Field(foreign_key="source.id", index=True)
    kind: str = Field(description="harvest | push")
    actor: str = Field(default="system")
    status: str = Field(default=BatchStatus.RUNNING.value)
    started_at: datetime = Field(default_factory=utcnow)
    finished_at: Optional[datetime] = None
    rows_read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    withdrawn: int = 0
    rejected: int = 0
    error: Optional[str] = Field(default=None, sa_column=Column(Text))
    reverted_at: Optional[datetime] = None
    reverted_by_batch_id: Optional[int] = Field(default=None, foreign_key="import_batch.id")
    snapshot_hash: Optional[str] = Field(
        default=None, description="Fingerprint of the whole registry file this batch applied (harvests of files).")
    notes: Optional[dict] = Field(default=None, sa_column=Column(JSON(none_as_null=True)), description=(
        "How the registry was read: unmapped columns, skipped section/totals/footer rows, "
        "warning counts by code, conflicts (hub.ingest.summary.ImportSummary.notes)."))


class Producer(SQLModel, table=True):
    """A producer (chủ thể). Phone, e-mail and contact person are personal data: never public."""
    id: Optional[int] = Field(default=None, primary_key=True)
    identity_key: str = Field(unique=True)
    name: str
    name_normalized: str
    search_key: str = Field(index=True)
    producer_type: Optional[str] = Field(default=None, index=True)
    tax_code: Optional[str] = None
    province_code: str = Field(foreign_key="province.code", index=True)
    commune_code: Optional[str] = Field(default=None, foreign_key="commune.code")
    address: Optional[str] = None
    phone: Optional[str] = None
    email: Optional[str] = None
    contact_person: Optional[str] = None
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow, index=True)


class Product(SQLModel, table=True):
    """A certified OCOP product: the unit the ministry counts."""
    __table_args__ = (
        Index("ix_product_province_stars", "province_code", "stars"),
        Index("ix_product_status_province", "status", "province_code"),
        Index("ix_product_name_id", "name", "id"),            # ordered pages by name
        Index("ix_product_updated_id", "updated_at", "id"),   # incremental sync (updatedSince)
        Index("ix_product_expiry_date", "expiry_date"),        # expiryFrom/expiryTo, this month's expiries
    )
    id: Optional[int] = Field(default=None, primary_key=True)
    identity_key: str = Field(unique=True)
    name: str
    name_normalized: str
    search_key: str  # searched with LIKE '%…%', which no B-tree index serves
    group_code: Optional[str] = Field(default=None, index=True, description=(
        "One of the six groups of Decision 148/QĐ-TTg; null when the registry gave none and the "
        "product's name does not tell (warning GROUP_UNKNOWN)."))
    group_text: Optional[str] = Field(default=None, description="The category as the registry wrote it.")
    subgroup: Optional[str] = None
    stars: int = Field(index=True)
    score: Optional[int] = None
    proposed_five_star: bool = False
    decision_number: Optional[str] = None
    decision_date: Optional[date] = None
    issuing_body: Optional[str] = Field(default=None, description="As written; may no longer exist.")
    certified_year: Optional[int] = Field(default=None, index=True)
    expiry_date: Optional[date] = None
    listed_on: Optional[date] = Field(default=None, description=(
        "The day the hub first listed the product: a certificate with neither a decision date nor a year ends "
        "36 months after it at the latest (hub.store.certificates)."))
    status: str = Field(default=ProductStatus.ACTIVE.value)  # ix_product_status_province leads with it
    producer_id: Optional[int] = Field(default=None, foreign_key="producer.id", index=True,
                                       description="Null when the registry names no producer.")
    source_id: int = Field(foreign_key="source.id", index=True,
                           description="The source whose values the product shows (precedence).")
    province_code: str = Field(foreign_key="province.code")  # ix_product_province_stars leads with it
    commune_code: Optional[str] = Field(default=None, foreign_key="commune.code")
    legacy_province: Optional[str] = Field(default=None, index=True,
                                           description="Pre-reform province name, when the registry used one.")
    unit_text: Optional[str] = Field(default=None, description="Administrative unit/address as written.")
    unit_code: Optional[str] = None
    unit_code_version: Optional[str] = None
    content_hash: str
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)  # ix_product_updated_id leads with it
    withdrawn_at: Optional[datetime] = None
    revoked_on: Optional[date] = Field(default=None, description=(
        "The day a revocation list ended its certificate (hub/ingest/revocation.py); it stays withdrawn "
        "until a later decision certifies it again."))
    revocation_decision: Optional[str] = Field(default=None, description="The revocation decision as written.")
    field_sources: Optional[dict] = Field(default=None, sa_column=Column(JSON(none_as_null=True)), description=(
        "Fields the owner source could not read, taken from another source: field → that source's name "
        "(hub/ingest/survivorship.py)."))


class SourceRecord(SQLModel, table=True):
    """A raw row as received, kept with where it came from and which product it became."""
    __tablename__ = "source_record"
    __table_args__ = (UniqueConstraint("source_id", "record_key"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    source_id: int = Field(foreign_key="source.id", index=True)
    record_key: str = Field(description="The product identity key this row resolved to.")
    row_number: int
    raw: dict = Field(default_factory=dict, sa_column=Column(JSON))
    raw_hash: Optional[str] = Field(
        default=None, description="Hash of the raw row and normalizer version: an identical row is not normalized again.")
    content_hash: str
    product_id: int = Field(foreign_key="product.id", index=True)
    present: bool = Field(default=True, description="False once the row left its registry.")
    warnings: Optional[list] = Field(default=None, sa_column=Column(JSON(none_as_null=True)), description=(
        "What could not be read of an optional field (code, field, message, value): the row was stored anyway."))
    facts: Optional[dict] = Field(default=None, sa_column=Column(JSON(none_as_null=True)), description=(
        "This source's normalized values of the fields sources can disagree on: compared for conflicts."))
    first_batch_id: int = Field(foreign_key="import_batch.id")
    last_batch_id: int = Field(foreign_key="import_batch.id")


class RejectedRecord(SQLModel, table=True):
    """A row that could not be accepted, with every reason: kept in full, never truncated."""
    __tablename__ = "rejected_record"
    __table_args__ = (Index("ix_rejected_record_batch_row", "batch_id", "row_number"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    batch_id: int = Field(foreign_key="import_batch.id", index=True)
    source_id: int = Field(foreign_key="source.id", index=True)
    row_number: int
    raw: dict = Field(default_factory=dict, sa_column=Column(JSON))
    errors: list = Field(default_factory=list, sa_column=Column(JSON))


class ProductChange(SQLModel, table=True):
    """The audit log: what one batch did to one product, with the state before it, so a batch
    can be reverted and a product's history shown."""
    __tablename__ = "product_change"
    __table_args__ = (Index("ix_product_change_product_batch", "product_id", "batch_id"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    batch_id: int = Field(foreign_key="import_batch.id", index=True)
    product_id: int = Field(foreign_key="product.id")
    action: str = Field(description="created | updated | linked | unlisted | withdrawn | revoked | restored")
    before: Optional[dict] = Field(default=None, sa_column=Column(JSON))
    after: Optional[dict] = Field(default=None, sa_column=Column(JSON))
    source_record_id: Optional[int] = Field(default=None, foreign_key="source_record.id")
    source_record_before: Optional[dict] = Field(default=None, sa_column=Column(JSON))
    at: datetime = Field(default_factory=utcnow)


class ProductConflict(SQLModel, table=True):
    """Two or more sources that list one product disagree about a field: the owner's value stands
    on the product, and every source's value is kept here until they agree again."""
    __tablename__ = "product_conflict"
    __table_args__ = (UniqueConstraint("product_id", "field"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    product_id: int = Field(foreign_key="product.id", index=True)
    province_code: str = Field(foreign_key="province.code", index=True)
    field: str = Field(description="stars | group | producer_type | tax_code | address | commune | decision_number | decision_date")
    values: list = Field(default_factory=list, sa_column=Column(JSON),
                         description="[{source, value}] per source listing the product, the owner first.")
    first_seen_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class Submission(SQLModel, table=True):
    """A client-chosen submission id: the same id pushed again returns the first result."""
    __table_args__ = (UniqueConstraint("province_code", "submission_id"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    province_code: str = Field(foreign_key="province.code")
    submission_id: str = Field(max_length=200)
    key_id: int = Field(foreign_key="api_key.id")
    request_hash: str
    batch_id: Optional[int] = Field(default=None, foreign_key="import_batch.id")
    summary: dict = Field(default_factory=dict, sa_column=Column(JSON))
    created_at: datetime = Field(default_factory=utcnow)


class PushJob(SQLModel, table=True):
    """A large push running in the background; clients poll its status."""
    __tablename__ = "push_job"
    id: str = Field(primary_key=True, max_length=36)
    key_id: int = Field(foreign_key="api_key.id")
    province_code: str = Field(foreign_key="province.code")
    status: str = Field(default="queued", description="queued | running | succeeded | failed")
    records: int = 0
    summary: Optional[dict] = Field(default=None, sa_column=Column(JSON))
    error: Optional[str] = Field(default=None, sa_column=Column(Text))
    created_at: datetime = Field(default_factory=utcnow)
    finished_at: Optional[datetime] = None


class DataVersion(SQLModel, table=True):
    """One row (id 1) whose ``version`` grows in every transaction that writes anything
    (hub/store/data_version.py): the API's response cache and ETags are keyed by it, so an answer is
    never served after a write it does not reflect, in any worker."""
    __tablename__ = "data_version"
    id: int = Field(primary_key=True)
    version: int = 0


class StatsCount(SQLModel, table=True):
    """Product counts kept current in the ingest transaction (hub/store/aggregates.py): one row
    per province, cube and combination of that cube's dimensions; dimensions outside the cube are
    null. ``withdrawn`` and ``expiry_month`` (YYYYMM of the effective expiry) let the status be
    derived at query time, so a certificate expires at midnight without a batch."""
    __tablename__ = "stats_count"
    __table_args__ = (Index("ix_stats_count_cube_province", "cube", "province_code"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    cube: int
    province_code: str
    legacy_province: Optional[str] = None
    stars: Optional[int] = None
    group_code: Optional[str] = None
    producer_type: Optional[str] = None
    certified_year: Optional[int] = None
    withdrawn: bool = False
    expiry_month: Optional[int] = None
    n: int


class AsOfCount(SQLModel, table=True):
    """A province's products counted per star level and status from ``day`` on, until its next
    row: one row per day any of its counts changes, holding them all, as the certificates known
    now give them (hub/store/as_of_counts.py keeps them with the other counts). A figure as of a
    day reads one row per province."""
    __tablename__ = "as_of_count"
    __table_args__ = (Index("ix_as_of_count_seek", "province_code", "day"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    province_code: str
    day: date
    counts: str = Field(description='JSON {"<stars> <status>": n} of the counts not zero that day, e.g. {"3 active": 12}.')


class StatsDirty(SQLModel, table=True):
    """Provinces whose products changed in the open transaction, filled by database triggers on
    ``product`` and ``producer`` and emptied by the recount before the commit. A row seen outside
    a transaction means a writer skipped the recount: ``stats`` then counts from the products."""
    __tablename__ = "stats_dirty"
    province_code: str = Field(primary_key=True)


class Certificate(SQLModel, table=True):
    """A product's certificate over time (hub/store/certificate_log.py keeps them), on two clocks.

    Valid time: in force from ``valid_from`` through ``valid_to`` (the rule of hub.store.certificates;
    null: no end is known), unless ``ended_on`` ends it earlier (a later certificate of the same
    product, a revocation, or the product leaving its registry). Transaction time: the hub knew
    this row from ``recorded_at`` until ``retracted_at`` (a correction, an ending, a revert).
    Rows are never changed otherwise, so any past moment's knowledge can be read again."""
    __table_args__ = (Index("ix_certificate_product_valid", "product_id", "valid_from"),
                      Index("ix_certificate_province_product", "province_code", "product_id"))  # as_of_counts
    id: Optional[int] = Field(default=None, primary_key=True)
    product_id: int = Field(foreign_key="product.id")
    stars: int
    proposed_five_star: bool = False
    decision_number: Optional[str] = None
    decision_date: Optional[date] = None
    certified_year: Optional[int] = None
    valid_from: date = Field(description="The decision date; else 1 January of its year; else the day the hub first listed it.")
    valid_to: Optional[date] = Field(default=None, description="Last day in force by the 36-month rule; null: unknown.")
    ended_on: Optional[date] = Field(default=None, description="First day no longer in force, when ended early.")
    end_reason: Optional[str] = Field(default=None, description="superseded | revoked | withdrawn")
    province_code: str = Field(foreign_key="province.code")
    group_code: Optional[str] = None
    legacy_province: Optional[str] = None
    source_id: int = Field(foreign_key="source.id")
    recorded_batch_id: Optional[int] = Field(default=None, foreign_key="import_batch.id")
    recorded_at: datetime = Field(default_factory=utcnow, index=True)
    retracted_batch_id: Optional[int] = Field(default=None, foreign_key="import_batch.id")
    retracted_at: Optional[datetime] = Field(default=None, index=True)
