"""Settings read from the environment, all under the one documented prefix ``HUB_``."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_HOME = Path(".ocop-hub")
DEFAULT_DATA_LICENCE = "CC-BY-4.0"
DEFAULT_DATA_LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
DEFAULT_DATA_PUBLISHER = "OCOP Hub"
DEFAULT_DATA_CITATION = ("{publisher}. OCOP products of Vietnam (Mỗi xã một sản phẩm), as of {as_of}, "
                         "data version {version}. {url} (accessed {accessed}).")
"""The data's licence and citation when the operator sets none (README "For researchers")."""


@dataclass(frozen=True)
class Settings:
    database_url: str
    home: Path
    statement_timeout_ms: int
    query_budget_anonymous: int  # what one GraphQL query may cost (hub.api.query_cost) without a key
    query_budget_key: int        # … with an API key
    query_deadline_s: float      # a GraphQL query's answer, or QUERY_DEADLINE_EXCEEDED
    max_response_bytes: int      # a GraphQL answer's size, or RESPONSE_TOO_LARGE
    http_timeout_s: float
    http_retries: int
    rate_limit_anonymous: float  # requests/s per anonymous address; 0 turns the limit off
    rate_limit_key: float        # requests/s per API key; 0 turns the limit off
    workers: int                 # processes serving the API (set by `ocop-hub serve --workers`)
    header_timeout_s: float      # a request's line and headers must arrive within this (docs/reliability.md)
    body_timeout_s: float        # a request's whole body must arrive within this
    body_idle_timeout_s: float   # ...and no wait between two of its chunks may be longer
    keep_alive_s: int            # an idle keep-alive connection is closed after this
    forwarded_allow_ips: str     # proxies whose X-Forwarded-For is believed (comma-separated; empty: none)
    max_queued_jobs_per_key: int  # background pushes one key may have queued or running at once
    rejected_cell_chars: int     # a rejected row's raw cell is stored cut to this many characters
    data_licence: str            # the downloads' data licence, an SPDX id or a name: the operator decides (README)
    data_licence_url: str        # where its text is
    data_publisher: str          # who publishes the data, in the suggested citation
    data_citation: str           # suggested citation, a template: {publisher} {as_of} {version} {url} {accessed}
    public_url: str              # where the API is reached from outside: the URL a release's citation names


def load_settings() -> Settings:
    """Read settings now (not at import time) so tests can point the hub elsewhere."""
    home = Path(os.environ.get("HUB_HOME", DEFAULT_HOME))
    url = os.environ.get("HUB_DATABASE_URL") or f"sqlite:///{home / 'hub.sqlite3'}"
    return Settings(
        database_url=url,
        home=home,
        statement_timeout_ms=int(os.environ.get("HUB_STATEMENT_TIMEOUT_MS", "15000")),
        query_budget_anonymous=int(os.environ.get("HUB_QUERY_BUDGET_ANONYMOUS", "100000")),
        query_budget_key=int(os.environ.get("HUB_QUERY_BUDGET_KEY", "500000")),
        query_deadline_s=float(os.environ.get("HUB_QUERY_DEADLINE_S", "10")),
        max_response_bytes=int(os.environ.get("HUB_MAX_RESPONSE_BYTES", str(16 * 1024 * 1024))),
        http_timeout_s=float(os.environ.get("HUB_HTTP_TIMEOUT_S", "20")),
        http_retries=int(os.environ.get("HUB_HTTP_RETRIES", "3")),
        rate_limit_anonymous=float(os.environ.get("HUB_RATE_LIMIT_ANONYMOUS", "10")),
        rate_limit_key=float(os.environ.get("HUB_RATE_LIMIT_KEY", "50")),
        workers=int(os.environ.get("HUB_WORKERS", "1")),
        header_timeout_s=float(os.environ.get("HUB_HEADER_TIMEOUT_S", "10")),
        body_timeout_s=float(os.environ.get("HUB_BODY_TIMEOUT_S", "120")),
        body_idle_timeout_s=float(os.environ.get("HUB_BODY_IDLE_TIMEOUT_S", "15")),
        keep_alive_s=int(os.environ.get("HUB_KEEP_ALIVE_S", "5")),
        forwarded_allow_ips=os.environ.get("HUB_FORWARDED_ALLOW_IPS", "").strip(),
        max_queued_jobs_per_key=int(os.environ.get("HUB_MAX_QUEUED_JOBS_PER_KEY", "4")),
        rejected_cell_chars=int(os.environ.get("HUB_REJECTED_CELL_CHARS", "1000")),
        data_licence=os.environ.get("HUB_DATA_LICENCE", DEFAULT_DATA_LICENCE),
        data_licence_url=os.environ.get("HUB_DATA_LICENCE_URL", DEFAULT_DATA_LICENCE_URL),
        data_publisher=os.environ.get("HUB_DATA_PUBLISHER", DEFAULT_DATA_PUBLISHER),
        data_citation=os.environ.get("HUB_DATA_CITATION", DEFAULT_DATA_CITATION),
        public_url=os.environ.get("HUB_PUBLIC_URL", "http://127.0.0.1:8000"),
    )
