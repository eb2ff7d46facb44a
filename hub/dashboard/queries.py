"""The GraphQL documents behind every figure of the dashboard, and how a figure names its query.

Each figure runs exactly one document here (with its variables) through the API
(hub.api.run_query.execute_query), and its "Xem truy vấn" link opens that same document in
GraphiQL: what the reader re-runs is what drew the figure. The documents are plain text so a
reviewer can paste them anywhere (docs/dashboard.md lists them).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Optional
from urllib.parse import quote

STATS_FIELDS = {
    "PROVINCE": "province { code name }", "LEGACY_PROVINCE": "legacyProvince", "STARS": "stars",
    "GROUP": "group", "PRODUCER_TYPE": "producerType", "CERTIFIED_YEAR": "certifiedYear", "STATUS": "status",
}


def stats_document(dimension: str) -> str:
    """Counts grouped by one dimension (hub.api.enums.StatsDimension name), at ``$asOf`` (null: today)."""
    name = "".join(part.title() for part in dimension.split("_"))
    return (f"query By{name}($filter: ProductFilter, $asOf: Date) {{\n"
            f"  stats(groupBy: [{dimension}], filter: $filter, asOf: $asOf) {{\n"
            f"    key {{ {STATS_FIELDS[dimension]} }}\n    count\n  }}\n}}\n")


TOTALS = """\
query Totals($filter: ProductFilter, $producers: ProducerFilter, $asOf: Date) {
  products(filter: $filter, first: 0, asOf: $asOf) { totalCount }
  producers(filter: $producers, first: 0, asOf: $asOf) { totalCount }
}
"""

YEAR_END_FIELDS = "key { status stars } count"


def year_end_document(days: list[str]) -> str:
    """Products by status and stars at each day of ``days`` (ISO dates), one aliased ``stats`` each
    (``d2024_12_31``): the year-end series in one document, so its GraphiQL link re-runs it whole."""
    fields = "".join(f'  {day_alias(d)}: stats(groupBy: [STATUS, STARS], filter: $filter, asOf: "{d}") '
                     f"{{ {YEAR_END_FIELDS} }}\n" for d in days)
    return f"query YearEnd($filter: ProductFilter) {{\n{fields}}}\n"


def day_alias(day: str) -> str:
    return "d" + day.replace("-", "_")


COVERAGE = """\
query Coverage($asOf: Date) {
  coverage(asOf: $asOf) {
    province { code name }
    productCount lastSuccessAt status rejectedCount warnedCount conflictCount
    formerProvinces { name status }
    sources { name kind health lastSuccessAt listDate recordCount rejectedCount warnedCount conflictCount }
  }
}
"""

PROVINCES = """\
query Provinces {
  provinces { code name fullName legacyPredecessors }
}
"""

IMPORT_BATCHES = """\
query ImportBatches($province: String) {
  importBatches(province: $province, first: 20) {
    totalCount
    edges { node {
      id source sourceKind kind actor status startedAt finishedAt
      rowsRead created updated unchanged withdrawn rejected reverted
      warnings { code count }
    } }
  }
}
"""

EXPIRING_SCAN = """\
query ExpiringCandidates($filter: ProductFilter, $after: String, $asOf: Date) {
  products(filter: $filter, orderBy: CERTIFIED_YEAR, first: 500, after: $after, asOf: $asOf) {
    pageInfo { hasNextPage endCursor }
    edges { node { id name stars expiryDate province { code name } } }
  }
}
"""
"""Until ProductFilter can select by expiry date (docs/dashboard.md): the products certified in
the years whose certificates can end in the window, read page by page, kept by their expiryDate."""

EXPIRING_STATS = """\
query Expiring($filter: ProductFilter, $asOf: Date) {
  stats(groupBy: [PROVINCE], filter: $filter, asOf: $asOf) { key { province { code name } } count }
}
"""
"""With ProductFilter.expiryFrom/expiryTo: the per-province counts in one GROUP BY."""

EXPIRY_FILTER_PROBE = """\
query ExpiryFilter {
  __type(name: "ProductFilter") { inputFields { name } }
}
"""

PRODUCT_FIELDS = """id name stars group status certifiedYear expiryDate proposedFiveStar
      province { code name }
      producer { id name producerType phone email contactPerson }"""

PRODUCT_TABLE = f"""\
query ProductTable($filter: ProductFilter, $orderBy: ProductOrderField, $direction: OrderDirection,
                   $first: Int, $after: String, $asOf: Date) {{
  products(filter: $filter, orderBy: $orderBy, direction: $direction, first: $first, after: $after,
           asOf: $asOf) {{
    totalCount
    pageInfo {{ hasNextPage endCursor }}
    edges {{ node {{
      {PRODUCT_FIELDS}
    }} }}
  }}
}}
"""

PRODUCT_DETAIL = """\
query ProductDetail($id: Int!) {
  product(id: $id) {
    id name group groupText subgroup stars score proposedFiveStar status
    decisionNumber decisionDate issuingBody certifiedYear expiryDate
    legacyProvince unitText unitCode unitCodeVersion createdAt updatedAt withdrawnAt
    province { code name }
    commune { name }
    producer { id name producerType address phone email contactPerson commune { name } }
    provenance { sourceName sourceKind rowNumber lastSeenAt present }
    warnings { code field message rawValue }
    history { batchId batchKind actor action at }
    certificates { stars decisionNumber decisionDate validFrom validTo ended source }
  }
}
"""


@dataclass(frozen=True)
class Figure:
    """One document and its variables: what a figure ran, and the GraphiQL link that re-runs it."""

    query: str
    variables: dict[str, Any] = field(default_factory=dict)

    def graphiql_url(self) -> str:
        """/graphql?q=…&variables=… (GraphiQL reads ``q``, not ``query``: a GET with ``query``
        is executed by Strawberry and answers JSON). %20, not +: the page decodes with
        decodeURIComponent, which leaves a + as it is."""
        url = "/graphql?q=" + quote(self.query, safe="")
        if self.variables:
            url += "&variables=" + quote(json.dumps(self.variables, ensure_ascii=False, indent=1), safe="")
        return url


def province_filter(code: Optional[str]) -> dict[str, Any]:
    """The ProductFilter of a page: the whole country ({}), or one current province."""
    return {"province": [code]} if code else {}
