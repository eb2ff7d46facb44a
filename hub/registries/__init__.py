"""Provincial registries: the sources file, fetching, and one small reader per kind of registry.

Every reader turns a registry (CSV, Excel workbook, paginated JSON API, HTML table) into
``RawRow``s keyed by canonical field; judging the values is the ingest step's job.
"""
from __future__ import annotations

from hub.registries.errors import RegistryError
from hub.registries.fetch import FetchError, fetch_bytes
from hub.registries.read import read_rows
from hub.registries.sources_file import SourceSpec, SourcesFileError, load_sources

__all__ = [
    "FetchError",
    "RegistryError",
    "SourceSpec",
    "SourcesFileError",
    "fetch_bytes",
    "load_sources",
    "read_rows",
]
