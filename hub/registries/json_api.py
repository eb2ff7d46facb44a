"""Paginated JSON APIs: a next link (``{"items": [...], "next": url}``) or ``?page=N`` until an empty page.

The number of pages is bounded and a page seen twice is an error, so a looping API cannot hang a
harvest; a truncated read is never returned as if it were the whole registry.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from hub.records import RawRow
from hub.registries.errors import RegistryError
from hub.registries.fetch import fetch_bytes, parse_json
from hub.registries.headers import cell_text, map_header
from hub.registries.sources_file import SourceSpec, is_url

MAX_PAGES = 1000
ITEM_KEYS = ("items", "data", "results", "records")
NEXT_KEYS = ("next", "next_url", "nextPage")


def read_json_api(location: str, spec: SourceSpec, *, fetch: Callable[[str], Any]) -> Iterator[RawRow]:
    """Yield every record of every page; ``row_number`` is the record's position across pages.
    ``fetch`` gives a page's parsed document by URL (``RegistrySnapshot`` replays ``fetch_pages``)."""
    position = 0
    fields: dict[str, str | None] = {}  # every record repeats the same keys: each is mapped once
    for page_url, items in _pages(location, fetch):
        for record in items:
            position += 1
            yield record_row(position, record, spec.columns, fields)


def fetch_pages(location: str) -> dict[str, bytes]:
    """Every page of the API as fetched, by URL, following its pagination once: a snapshot keeps
    them so it can be fingerprinted, then read (``read_json_api(..., fetch=...)`` replays them)."""
    pages: dict[str, bytes] = {}

    def fetch_and_keep(url: str) -> Any:
        pages[url] = fetch_bytes(url)
        return parse_json(url, pages[url])

    for _ in _pages(location, fetch_and_keep):
        pass
    return pages


def record_row(position: int, record: Any, overrides: dict[str, str] | None = None,
               fields: dict[str, str | None] | None = None) -> RawRow:
    """One JSON record as a RawRow; a record that is not an object passes through for ingest to refuse.
    ``fields``: the keys mapped so far under these overrides (filled here)."""
    fields = {} if fields is None else fields
    if not isinstance(record, dict):
        return RawRow(row_number=position, values={}, raw={"record": json.dumps(record, ensure_ascii=False)})
    values: dict[str, str] = {}
    raw: dict[str, str] = {}
    for key, value in record.items():
        text = _text(value)
        name = str(key)
        raw[name] = text
        if name not in fields:
            fields[name] = map_header(name, overrides)
        field = fields[name]
        if field and not values.get(field):
            values[field] = text
    return RawRow(row_number=position, values=values, raw=raw)


def _pages(location: str, fetch: Callable[[str], Any]) -> Iterator[tuple[str, list[Any]]]:
    url: str | None = location
    seen: set[str] = set()
    page_number = _page_param(location) or 1
    previous: list[Any] | None = None
    for _ in range(MAX_PAGES):
        assert url is not None
        if url in seen:
            raise RegistryError(f"{location}: pagination loops: {url} was already read")
        seen.add(url)
        document = fetch(url)
        items, has_next_key, next_link = _split_page(document, url)
        if items and items == previous:
            raise RegistryError(f"{location}: {url} returned the same records as the page before; pagination loops")
        previous = items
        if has_next_key:
            yield url, items
            if not next_link:
                return
            url = _join(url, next_link)
            continue
        # page-number pagination: stop at the first empty page (a local file is one page)
        if not items:
            return
        yield url, items
        if not is_url(location):
            return
        page_number += 1
        url = _with_page(location, page_number)
    raise RegistryError(f"{location}: more than {MAX_PAGES} pages; refusing to read a possibly endless API")


def _split_page(document: Any, url: str) -> tuple[list[Any], bool, str | None]:
    if isinstance(document, list):
        return document, False, None
    if not isinstance(document, dict):
        raise RegistryError(f"{url}: expected a JSON object or list, got {type(document).__name__}")
    for key in ITEM_KEYS:
        if key in document:
            items = document[key]
            if items is None:
                items = []
            if not isinstance(items, list):
                raise RegistryError(f"{url}: {key!r} must be a list, got {type(items).__name__}")
            break
    else:
        raise RegistryError(f"{url}: no list of records (expected one of {', '.join(ITEM_KEYS)})")
    for key in NEXT_KEYS:
        if key in document:
            link = document[key]
            if link is not None and not isinstance(link, str):
                raise RegistryError(f"{url}: {key!r} must be a URL or null, got {link!r}")
            return items, True, link or None
    return items, False, None


def _join(current: str, link: str) -> str:
    if is_url(current) or is_url(link):
        return urljoin(current, link)
    return str((Path(current).parent / link).resolve())


def _page_param(url: str) -> int | None:
    value = dict(parse_qsl(urlsplit(url).query)).get("page")
    return int(value) if value and value.isdecimal() else None


def _with_page(url: str, page: int) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "page"]
    query.append(("page", str(page)))
    return urlunsplit(parts._replace(query=urlencode(query)))


def _text(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return cell_text(value)
