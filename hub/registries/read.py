"""One entry point for the harvest: a source spec in, raw rows out, whatever the kind of registry."""
from __future__ import annotations

import hashlib
from collections.abc import Iterator

from hub.records import RawRow
from hub.registries.csv_reader import read_csv
from hub.registries.fetch import fetch_bytes
from hub.registries.html_table import read_html
from hub.registries.json_api import read_json_api
from hub.registries.sources_file import SourceSpec
from hub.registries.xlsx_reader import read_xlsx

FILE_READERS = {"csv": read_csv, "xlsx": read_xlsx, "html": read_html}


class RegistrySnapshot:
    """A registry as fetched now: its rows, and for a single file a fingerprint of its bytes
    and of how they are read, so an ingest can see that nothing changed without parsing.

    The file is fetched once, on first use (fingerprint or rows), so a fetch error surfaces
    inside the ingest, which records it as a failed batch. A paged JSON API is read lazily
    page by page and has no fingerprint.
    """

    def __init__(self, spec: SourceSpec) -> None:
        if spec.kind != "json_api" and spec.kind not in FILE_READERS:
            raise ValueError(f"source {spec.name!r}: unknown kind {spec.kind!r}")
        self.spec = spec
        self._data: bytes | None = None

    @property
    def is_file(self) -> bool:
        """One file fetched whole (not a paged API): its rows can be read anywhere from its bytes."""
        return self.spec.kind != "json_api"

    def _bytes(self) -> bytes:
        if self._data is None:
            self._data = fetch_bytes(self.spec.location)
        return self._data

    def fingerprint(self) -> str | None:
        if not self.is_file:
            return None
        how = repr((self.spec.kind, self.spec.encoding, sorted(self.spec.columns.items())))
        return hashlib.sha256(how.encode("utf-8") + b"\0" + self._bytes()).hexdigest()

    def __iter__(self) -> Iterator[RawRow]:
        if not self.is_file:
            yield from read_json_api(self.spec.location, self.spec)
            return
        yield from FILE_READERS[self.spec.kind](self._bytes(), self.spec)


def read_rows(spec: SourceSpec) -> Iterator[RawRow]:
    """Fetch the registry and yield its rows; a registry that cannot be read raises ``RegistryError``."""
    return iter(RegistrySnapshot(spec))
