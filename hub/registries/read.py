"""One entry point for the harvest: a source spec in, raw rows out, whatever the kind of registry."""
from __future__ import annotations

from collections.abc import Iterator

from hub.records import RawRow
from hub.registries.csv_reader import read_csv
from hub.registries.fetch import fetch_bytes
from hub.registries.html_table import read_html
from hub.registries.json_api import read_json_api
from hub.registries.sources_file import SourceSpec
from hub.registries.xlsx_reader import read_xlsx

FILE_READERS = {"csv": read_csv, "xlsx": read_xlsx, "html": read_html}


def read_rows(spec: SourceSpec) -> Iterator[RawRow]:
    """Fetch the registry and yield its rows; a registry that cannot be read raises ``RegistryError``."""
    if spec.kind == "json_api":
        yield from read_json_api(spec.location, spec)
        return
    reader = FILE_READERS.get(spec.kind)
    if reader is None:
        raise ValueError(f"source {spec.name!r}: unknown kind {spec.kind!r}")
    yield from reader(fetch_bytes(spec.location), spec)
