"""One entry point for the harvest: a source spec in, raw rows out, whatever the kind of registry."""
from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from importlib import import_module

from hub.records import RawRow
from hub.registries.annex import AnnexReading
from hub.registries.fetch import fetch_bytes, parse_json
from hub.registries.json_api import fetch_pages, read_json_api
from hub.registries.reading import TableReading
from hub.registries.sources_file import SourceSpec

FileReader = Callable[..., Iterator[RawRow]]
"""``reader(data, spec, reading=None)``: a file's bytes in, its rows out."""
_FILE_READERS = {"csv": ("csv_reader", "read_csv"), "xlsx": ("xlsx_reader", "read_xlsx"),
                 "html": ("html_table", "read_html"), "pdf": ("pdf_reader", "read_pdf"),
                 "docx": ("docx_reader", "read_docx")}
FILE_KINDS = frozenset(_FILE_READERS)
ANNEX_KINDS = frozenset({"pdf", "docx"})
"""Documents with several tables: their reading also says which tables were read (``AnnexReading``)."""


def file_reader(kind: str) -> FileReader:
    """The reader of a kind of file, imported when first asked for: openpyxl, pdfplumber and
    python-docx cost about 0.5 s of start-up together, which the API server and most commands
    never need."""
    module, name = _FILE_READERS[kind]
    reader: FileReader = getattr(import_module(f"hub.registries.{module}"), name)
    return reader


class RegistrySnapshot:
    """A registry as fetched now, whole (a file's bytes, or every page of a JSON API): its rows,
    and a fingerprint of what was fetched and how it is read, so an ingest can see that nothing
    changed without parsing.

    The registry is fetched once, on first use (fingerprint or rows), so a fetch error surfaces
    inside the ingest, which records it as a failed batch. ``reading`` tells what a file reader
    understood of the table (a new one each time the rows are read; a JSON API's stays empty).
    """

    def __init__(self, spec: SourceSpec) -> None:
        if spec.kind != "json_api" and spec.kind not in FILE_KINDS:
            raise ValueError(f"source {spec.name!r}: unknown kind {spec.kind!r}")
        self.spec = spec
        self._data: bytes | None = None
        self._pages: dict[str, bytes] | None = None
        self.reading: TableReading = AnnexReading() if spec.kind in ANNEX_KINDS else TableReading()

    def _bytes(self) -> bytes:
        if self._data is None:
            self._data = fetch_bytes(self.spec.location)
        return self._data

    def _json_pages(self) -> dict[str, bytes]:
        if self._pages is None:
            self._pages = fetch_pages(self.spec.location)
        return self._pages

    def fingerprint(self) -> str:
        how = repr((self.spec.kind, self.spec.encoding, sorted(self.spec.columns.items()))
                   + ((self.spec.sheet,) if self.spec.sheet else ()))  # unchanged for specs without a sheet
        digest = hashlib.sha256(how.encode("utf-8") + b"\0")
        if self.spec.kind != "json_api":
            digest.update(self._bytes())
            return digest.hexdigest()
        for url, data in self._json_pages().items():
            digest.update(f"{len(url)}:{url}{len(data)}:".encode("utf-8"))
            digest.update(data)
        return digest.hexdigest()

    def __iter__(self) -> Iterator[RawRow]:
        self.reading = AnnexReading() if self.spec.kind in ANNEX_KINDS else TableReading()
        if self.spec.kind == "json_api":
            pages = self._json_pages()
            yield from read_json_api(self.spec.location, self.spec, fetch=lambda url: parse_json(url, pages[url]))
            return
        yield from file_reader(self.spec.kind)(self._bytes(), self.spec, self.reading)


def read_rows(spec: SourceSpec) -> Iterator[RawRow]:
    """Fetch the registry and yield its rows; a registry that cannot be read raises ``RegistryError``."""
    return iter(RegistrySnapshot(spec))
