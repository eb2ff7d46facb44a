"""Checks on a PDF's bytes before pdfminer parses it: size, compression bombs, unusual filters.

pdfminer (under pdfplumber) inflates a stream whole when a page uses it and sets no limit, so a
64 kB file can hold gigabytes of page content. Every Flate stream is inflated here first, in
chunks that are thrown away, up to a cap per stream and in all, so a bomb costs at most a second
or so and a few MB; a stream whose inflated bytes are themselves zlib data (a filter chain
``[/FlateDecode /FlateDecode]``) is followed one level down, the same way. Image streams are not
checked: pdfplumber never decodes them. LZW, the other filter that multiplies, is refused: no
current writer (Word, LibreOffice, browsers, fpdf2) uses it.
"""
from __future__ import annotations

import re
import zlib

from hub.registries.errors import RegistryError

MAX_PDF_BYTES = 50 * 1024 * 1024
"""The push limit (hub.push.submission.MAX_FILE_BYTES); a 2,000-row annex is about 0.3–1.5 MB."""
MAX_STREAM_BYTES = 16 * 1024 * 1024
"""One stream inflated: a page of an annex is ~50 kB of content, an embedded font a few MB."""
MAX_INFLATED_BYTES = 128 * 1024 * 1024
"""All the non-image streams inflated: ~40× the content of the largest annex measured."""
_CHUNK = 64 * 1024
_STREAM = re.compile(rb"\bstream\r?\n")
_ZLIB_HEADERS = (b"\x78\x01", b"\x78\x5e", b"\x78\x9c", b"\x78\xda")
_DICT_LOOKBACK = 2048


def check_pdf_bytes(data: bytes, where: str) -> None:
    """Refuse a file that is not a PDF, too large, or whose streams would inflate too far."""
    if len(data) > MAX_PDF_BYTES:
        raise RegistryError(f"{where}: refused: {len(data)} bytes (limit {MAX_PDF_BYTES} for a PDF annex)")
    if b"%PDF-" not in data[:1024]:
        raise RegistryError(f"{where}: not a PDF file (no %PDF- header)")
    if b"/LZWDecode" in data or b"/LZW " in data:
        raise RegistryError(f"{where}: refused: the PDF uses LZW compression, which is not read "
                            "(a possible compression bomb); print it again to PDF, or send the Word or Excel file")
    total = 0
    for match in _STREAM.finditer(data):
        head = data[max(0, match.start() - _DICT_LOOKBACK):match.start()]
        if b"/Image" in head[head.rfind(b"obj") + 1:]:
            continue  # never decoded by pdfplumber
        total += _inflated(data, match.end(), where, MAX_INFLATED_BYTES - total)


def _inflated(data: bytes, start: int, where: str, budget: int) -> int:
    """Bytes a zlib stream at ``start`` inflates to (0 when it is not zlib), refusing past the caps."""
    if data[start:start + 2] not in _ZLIB_HEADERS:
        return 0
    cap = min(MAX_STREAM_BYTES, budget)
    outer = zlib.decompressobj()
    inner: zlib._Decompress | None = None
    size = inner_size = 0
    position = start
    try:
        while not outer.eof and position < len(data):
            piece = outer.decompress(data[position:position + _CHUNK], _CHUNK)
            position += _CHUNK
            while piece:
                if size == 0 and piece[:2] in _ZLIB_HEADERS:
                    inner = zlib.decompressobj()
                size += len(piece)
                if inner is not None and not inner.eof:
                    inner_size += len(inner.decompress(piece, _CHUNK))
                    while inner.unconsumed_tail and inner_size <= cap:
                        inner_size += len(inner.decompress(inner.unconsumed_tail, _CHUNK))
                if max(size, inner_size) > cap:
                    raise RegistryError(
                        f"{where}: refused as a possible compression bomb: a stream inflates past {cap} bytes "
                        f"(limit {MAX_STREAM_BYTES} per stream, {MAX_INFLATED_BYTES} in all)")
                piece = outer.decompress(outer.unconsumed_tail, _CHUNK) if outer.unconsumed_tail else b""
    except zlib.error:
        pass  # a damaged stream: pdfminer reads what it can, no more than was counted here
    return max(size, inner_size)
