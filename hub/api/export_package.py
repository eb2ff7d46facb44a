"""``/export/datapackage.json``: a Frictionless Data Package (https://datapackage.org) describing
every download and code list, made from the columns defined in hub/api/export_columns.py and
hub/api/export_codes.py.

Each resource's Table Schema gives every column's type (codes as strings of fixed digits, so "08"
stays "08"), its English and Vietnamese descriptions, the values an enumerated column may take and
the code list it refers to (a foreign key). Paths are relative to the package's own URL, so a
client that fetched ``/export/datapackage.json`` finds ``products.csv`` beside it. The schemas
describe the English downloads (without ``?lang=vi``, whose headers and labels are Vietnamese).
"""
from __future__ import annotations

from typing import Any

from hub.api.export_codes import CODE_LISTS, CodeList
from hub.api.export_columns import (CODE_PATTERNS, CONFLICT_COLUMNS, PERSONAL_COLUMNS, PRODUCT_COLUMNS, STATS_COLUMNS,
                                    REJECTED_COLUMNS, Column)
from hub.api.export_meta import Described, citation
from hub.settings import Settings

CSV_DIALECT = {"delimiter": ",", "lineTerminator": "\r\n", "header": True}
TYPES = {"integer": "integer", "string": "string", "boolean": "boolean", "date": "date", "datetime": "datetime"}


def field(column: Column) -> dict[str, Any]:
    """A Table Schema field: type, titles and descriptions in both languages, constraints."""
    out: dict[str, Any] = {"name": column.name, "type": TYPES[column.kind], "title": column.vi,
                           "description": column.en_doc, "description_vi": column.vi_doc}
    if column.kind == "boolean":
        out |= {"trueValues": ["true"], "falseValues": ["false"]}
    constraints: dict[str, Any] = {}
    if column.required:
        constraints["required"] = True
    if column.labels is not None:
        constraints["enum"] = [m.name for m in column.labels]
    if column.codes in CODE_PATTERNS:
        constraints["pattern"] = CODE_PATTERNS[column.codes]
    if constraints:
        out["constraints"] = constraints
    return out


def table_schema(columns: list[Column], key: tuple[str, ...] | None = None, own: str | None = None) -> dict[str, Any]:
    """The Table Schema of ``columns``: foreign keys to the code lists they take codes from
    (``own``: the code list being described, whose code column is its key, not a reference)."""
    schema: dict[str, Any] = {"fields": [field(c) for c in columns], "missingValues": [""]}
    if key:
        schema["primaryKey"] = list(key)
    foreign = [{"fields": c.name, "reference": {"resource": c.codes, "fields": "code"}}
               for c in columns if c.codes and c.codes != own]
    if foreign:
        schema["foreignKeys"] = foreign
    return schema


def _csv(name: str, path: str, title: str, description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "path": path, "title": title, "description": description, "format": "csv",
            "mediatype": "text/csv", "encoding": "utf-8-sig", "dialect": CSV_DIALECT, "schema": schema}


def _code_resource(code_list: CodeList) -> dict[str, Any]:
    return _csv(code_list.name, f"codes/{code_list.name}.csv", code_list.title, f"Code list: {code_list.title}.",
                table_schema(code_list.columns, code_list.key, own=code_list.name))


def resources() -> list[dict[str, Any]]:
    """Every download the package describes, downloads first, then the code lists."""
    products = table_schema(PRODUCT_COLUMNS, ("id",))
    keyed = table_schema(PRODUCT_COLUMNS + PERSONAL_COLUMNS, ("id",))
    return [
        _csv("products", "products.csv", "OCOP products",
             "The certified products, filtered by the GraphQL `products` filter as query parameters "
             "(docs/exports.md). With an API key, three contact columns follow (see `products-with-contacts`).",
             products),
        {**_csv("products-with-contacts", "products.csv", "OCOP products (API key)",
                "The same download made with an API key: the contact columns are added, filled only where "
                "the key may see them.", keyed), "ocop:requires": "Authorization: Bearer <key>"},
        {"name": "products-parquet", "path": "products.parquet", "title": "OCOP products (Parquet)",
         "description": "The same rows and columns as products.csv, typed (int64, date32, timestamp[us, UTC], "
                        "bool); the download's key-value metadata says what it holds.",
         "format": "parquet", "mediatype": "application/vnd.apache.parquet", "schema": products},
        {"name": "products-xlsx", "path": "products.xlsx", "title": "OCOP products (Excel)",
         "description": "The same rows and columns as products.csv in an Excel workbook: dates as dates, times "
                        "in UTC, codes as text; a second sheet says what the file is.",
         "format": "xlsx", "mediatype": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         "schema": products},
        {**_csv("stats", "stats.csv", "OCOP figures (the stats query as a table)",
                "Needs `?groupBy=`: one or more of PROVINCE, LEGACY_PROVINCE, STARS, GROUP, PRODUCER_TYPE, CERTIFIED_YEAR, "
                "STATUS, and takes the products filters and `asOf` (docs/exports-stats.md). A file has `as_of`, the "
                "columns of the dimensions asked for (in groupBy's order), then the two counts: some of these "
                "fields; every unit is listed, zeros included.", table_schema(STATS_COLUMNS)),
         "ocop:parameters": {"groupBy": "required"}},
        _csv("conflicts", "conflicts.csv", "Conflicts between sources",
             "One row per source value of each conflict (parameters `province`, `field`, `source`).",
             table_schema(CONFLICT_COLUMNS)),
        {**_csv("rejected", "rejected.csv", "Rejected rows of one source",
                "Needs `?source=NAME`. The rejected rows of the source's latest batch: these columns, then "
                "every column of the registry under its own header (not described here).",
                table_schema(REJECTED_COLUMNS)), "ocop:parameters": {"source": "required"}},
        *(_code_resource(c) for c in CODE_LISTS.values()),
    ]


def data_package(settings: Settings, d: Described) -> dict[str, Any]:
    """The package as served: the resources, the licence and suggested citation of the
    operator's settings, and the data version it was made at."""
    package = {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": "ocop-hub",
        "title": "OCOP products of Vietnam (Mỗi xã một sản phẩm)",
        "description": ("Certified OCOP products harvested from the provinces' registries and pushed by "
                        "provincial offices, normalized into one store. Codes are official current (post-July-"
                        "2025) codes, always text. See docs/exports.md."),
        "homepage": d.base_url,
        "created": d.modified.isoformat() if d.modified else None,
        "licenses": [{"name": settings.data_licence, "path": settings.data_licence_url,
                      "title": settings.data_licence}],
        "sources": [{"title": "Provincial OCOP registries (lists of certified products)"}],
        "contributors": [{"title": settings.data_publisher, "roles": ["publisher"]}],
        "ocop:data_version": d.version,
        "ocop:citation": citation(settings, d),
        "resources": resources(),
    }
    return {k: v for k, v in package.items() if v is not None}  # "created": none in an empty store
