"""Provincial registries: the sources file, fetching, and one small reader per kind of registry.

Every reader turns a registry (CSV, Excel workbook, paginated JSON API, HTML table) into
``RawRow``s keyed by canonical field; judging the values is the ingest step's job.
"""
from __future__ import annotations


class RegistryError(Exception):
    """A whole registry cannot be read (unreachable, undecodable, no header row, not an xlsx…).

    Raised per source, so the harvest fails only that source; the message names the file or URL.
    """


# Re-exports come after RegistryError: the reader modules import it from this package.
from hub.registries.fetch import FetchError, fetch_bytes  # noqa: E402
from hub.registries.read import read_rows  # noqa: E402
from hub.registries.sources_file import SourceSpec, SourcesFileError, load_sources  # noqa: E402

__all__ = [
    "FetchError",
    "RegistryError",
    "SourceSpec",
    "SourcesFileError",
    "fetch_bytes",
    "load_sources",
    "read_rows",
]
