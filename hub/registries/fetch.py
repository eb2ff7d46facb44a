"""Fetch a registry's bytes from a local path or over http(s), with timeouts, retries and a size cap."""
from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any, Iterator

import requests
import urllib3

from hub.registries.errors import RegistryError
from hub.settings import load_settings

MAX_BYTES = 200 * 1024 * 1024
"""No registry is anywhere near this; a server sending more is broken or hostile."""
BACKOFF_BASE_S = 0.5
"""First retry waits this long, then twice as long each time (tests lower it)."""
BACKOFF_MAX_S = 30.0
TRANSFER_TIMEOUT_FACTOR = 10
"""A whole download may take this many read timeouts: a server trickling bytes cannot hang us."""
_CHUNK = 64 * 1024
_USER_AGENT = "ocop-hub/0.1 (+registry harvester)"


class FetchError(RegistryError):
    """The registry could not be fetched; the message names the location, the error and the attempts."""


class _Retryable(Exception):
    pass


def fetch_bytes(
    location: str,
    *,
    timeout: float | None = None,
    retries: int | None = None,
    session: requests.Session | None = None,
    backoff: float | None = None,
    max_bytes: int | None = None,
) -> bytes:
    """Return the bytes at ``location`` (a local path or an http(s) URL).

    Over http(s): connection errors, timeouts, 429 and 5xx are retried ``retries`` times with
    exponential backoff; any other 4xx fails at once. Defaults come from ``hub.settings``.
    """
    limit = MAX_BYTES if max_bytes is None else max_bytes
    if not location.lower().startswith(("http://", "https://")):
        return _read_local(location, limit)
    settings = None
    if timeout is None or retries is None:
        settings = load_settings()
    timeout = settings.http_timeout_s if timeout is None else timeout
    retries = settings.http_retries if retries is None else retries
    delay = BACKOFF_BASE_S if backoff is None else backoff
    attempts = max(1, retries + 1)
    http = session or requests.Session()
    try:
        for attempt in range(1, attempts + 1):
            try:
                return _get_once(http, location, timeout, limit, attempt)
            except _Retryable as exc:
                if attempt == attempts:
                    raise FetchError(
                        f"GET {location} failed after {attempt} attempt(s): {exc}"
                    ) from exc.__cause__
                time.sleep(min(BACKOFF_MAX_S, delay * 2 ** (attempt - 1)))
    finally:
        if session is None:
            http.close()
    raise AssertionError("unreachable")


def parse_json(location: str, data: bytes) -> Any:
    """A fetched JSON document; a body that is not JSON is a RegistryError naming ``location``."""
    try:
        return json.loads(data)
    except (UnicodeDecodeError, ValueError) as exc:
        preview = data[:60].decode("utf-8", "replace")
        raise RegistryError(f"{location}: response is not valid JSON ({exc}); it starts with {preview!r}") from exc


def _read_local(location: str, limit: int) -> bytes:
    path = Path(location)
    try:
        size = path.stat().st_size
        if size > limit:
            raise FetchError(f"{location}: file is {size} bytes, larger than the {limit}-byte limit")
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise FetchError(f"{location}: file not found") from exc
    except IsADirectoryError as exc:
        raise FetchError(f"{location}: is a directory, not a file") from exc
    except OSError as exc:
        raise FetchError(f"{location}: cannot read: {exc.strerror or exc}") from exc


def _get_once(http: requests.Session, url: str, timeout: float, limit: int, attempt: int) -> bytes:
    started = time.monotonic()
    try:
        response = http.get(url, timeout=(timeout, timeout), stream=True, headers={"User-Agent": _USER_AGENT})
    except requests.Timeout as exc:
        raise _Retryable(f"timed out after {timeout:g} s ({type(exc).__name__})") from exc
    except requests.ConnectionError as exc:
        raise _Retryable(f"connection error: {_reason(exc)}") from exc
    except requests.RequestException as exc:
        raise FetchError(f"GET {url} failed on attempt {attempt}: {_reason(exc)}") from exc
    with response:
        status = response.status_code
        if status == 429 or status >= 500:
            raise _Retryable(f"HTTP {status} {response.reason or ''}".rstrip())
        if status >= 400:
            raise FetchError(
                f"GET {url} failed after {attempt} attempt(s): HTTP {status} {response.reason or ''}".rstrip()
                + " (client errors are not retried)"
            )
        declared = response.headers.get("Content-Length")
        if declared and declared.isdecimal() and int(declared) > limit:
            raise FetchError(f"GET {url}: Content-Length {declared} is larger than the {limit}-byte limit")
        body = bytearray()
        try:
            for chunk in _chunks(response):
                body += chunk
                if len(body) > limit:
                    raise FetchError(f"GET {url}: response is larger than the {limit}-byte limit; refused")
                if time.monotonic() - started > timeout * TRANSFER_TIMEOUT_FACTOR:
                    raise _Retryable(f"transfer took longer than {timeout * TRANSFER_TIMEOUT_FACTOR:g} s")
        except requests.Timeout as exc:
            raise _Retryable(f"timed out after {timeout:g} s while reading the body") from exc
        except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError) as exc:
            raise _Retryable(f"connection broken while reading the body: {_reason(exc)}") from exc
        except requests.exceptions.ContentDecodingError as exc:
            raise _Retryable(f"cannot decode the response body: {_reason(exc)}") from exc
        return bytes(body)


def _chunks(response: requests.Response) -> Iterator[bytes]:
    """The body as it arrives. ``iter_content`` waits for a whole chunk (64 KB) before it returns,
    so a server trickling a byte per read timeout could hold a download for hours without the
    transfer limit ever being checked; ``read1`` returns whatever has arrived."""
    read1 = getattr(response.raw, "read1", None)
    if read1 is None:  # urllib3 < 2
        yield from response.iter_content(_CHUNK)
        return
    try:
        while True:
            chunk = read1(_CHUNK, decode_content=True)
            if not chunk:
                return
            yield chunk
    except urllib3.exceptions.ReadTimeoutError as exc:  # the same translations as iter_content
        raise requests.exceptions.ReadTimeout(exc) from exc
    except urllib3.exceptions.ProtocolError as exc:
        raise requests.exceptions.ChunkedEncodingError(exc) from exc
    except urllib3.exceptions.DecodeError as exc:
        raise requests.exceptions.ContentDecodingError(exc) from exc
    except urllib3.exceptions.SSLError as exc:
        raise requests.exceptions.SSLError(exc) from exc


def _reason(exc: BaseException) -> str:
    """The innermost useful message of a requests/urllib3 exception chain."""
    seen = exc
    while seen.args and isinstance(seen.args[0], BaseException):
        seen = seen.args[0]
    reason = getattr(seen, "reason", None)
    text = str(reason if reason is not None else seen)
    return text or type(seen).__name__
