"""What a download says about itself: its file name (kind, as-of day, data version), its headers
(Content-Disposition, Last-Modified, a Link to its data package) and, in Parquet, key-value
metadata (as-of, known-at, data version, filters, licence, citation).

The licence and the citation are settings (hub/settings.py): the operator decides them.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timezone
from email.utils import format_datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from hub.api.export_params import ALIASES, CAMEL_CASE
from hub.api.types import as_utc
from hub.store.certificates import current_date
from hub.store.as_of import as_of_moment
from hub.store.models import ImportBatch
from hub.settings import Settings

PACKAGE_PATH = "export/datapackage.json"
"""The data package, relative to the API's base URL: every download's ``Link`` points to it."""
META_PREFIX = "ocop:"


@dataclass(frozen=True)
class Described:
    """What one download holds: the store's data version when it began, the day its rows speak for,
    the moment as known (None: now), its parameters as the caller gave them, and when the data it
    reads last changed (the latest batch finished by then; None in an empty store)."""

    version: int
    as_of: date
    known_at: datetime | None
    filters: dict[str, list[str]]
    modified: datetime | None
    base_url: str

    @property
    def package_url(self) -> str:
        return self.base_url + PACKAGE_PATH


def last_change(engine: Engine, known_at: datetime | None) -> datetime | None:
    """When the latest batch (harvest, push, revert) known at ``known_at`` finished."""
    stmt = select(func.max(ImportBatch.finished_at))
    if known_at is not None:
        stmt = stmt.where(ImportBatch.finished_at <= known_at)
    with engine.connect() as conn:
        return as_utc(conn.scalar(stmt))


def describe(engine: Engine, version: str, params: Any, base_url: str, as_of: date | None = None,
             known_at: datetime | None = None) -> Described:
    """``version``: the response cache's ``N.YYYYMMDD`` (read before the download's rows);
    ``params``: the request's query parameters, kept as given but under the GraphQL spelling."""
    day, moment = as_of_moment(as_of, known_at, current_date())
    filters: dict[str, list[str]] = {}
    for key, value in params.multi_items():  # one spelling (camelCase), so equal downloads say the same
        name = ALIASES.get(key, key)  # a deprecated or second spelling: said under the one name
        filters.setdefault(CAMEL_CASE.get(name, name), []).append(value)
    return Described(int(version.split(".")[0]), day, moment, filters, last_change(engine, moment),
                     base_url.rstrip("/") + "/")


def file_name(kind: str, d: Described, extension: str) -> str:
    """``ocop-products_2026-12-07_v5812.csv``: the kind, the as-of day, the data version, and the
    moment when the download asks for one (``_known-20250701T000000Z``)."""
    known = f"_known-{d.known_at:%Y%m%dT%H%M%SZ}" if d.known_at is not None else ""
    return f"ocop-{kind}_{d.as_of.isoformat()}_v{d.version}{known}.{extension}"


def headers(kind: str, d: Described, extension: str) -> dict[str, str]:
    out = {"Content-Disposition": f'attachment; filename="{file_name(kind, d, extension)}"',
           "Link": f'<{d.package_url}>; rel="describedby"; type="application/json"'}
    if d.modified is not None:
        out["Last-Modified"] = format_datetime(d.modified.astimezone(timezone.utc), usegmt=True)
    return out


def citation(settings: Settings, d: Described) -> str:
    """The suggested citation (the operator's template, HUB_DATA_CITATION)."""
    return settings.data_citation.format(publisher=settings.data_publisher, as_of=d.as_of.isoformat(),
                                         version=d.version, url=d.base_url, accessed=current_date().isoformat())


def parquet_metadata(settings: Settings, d: Described) -> dict[str, str]:
    """Key-value metadata of a Parquet download: read it with ``pyarrow.parquet.read_schema(f).metadata``."""
    return {f"{META_PREFIX}{k}": v for k, v in {
        "as_of": d.as_of.isoformat(),
        "known_at": d.known_at.isoformat() if d.known_at is not None else "",
        "data_version": str(d.version),
        "filters": json.dumps(d.filters, ensure_ascii=False, sort_keys=True),
        "licence": settings.data_licence,
        "licence_url": settings.data_licence_url,
        "citation": citation(settings, d),
        "datapackage": d.package_url,
    }.items()}
