"""What every registry writer shares: the manifest entry it returns and the file-format helpers."""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl

from hub.normalize.encodings import encode_legacy
from hub.samples.names import Product

_FIXED_TIME = (2026, 1, 1, 0, 0, 0)


@dataclass
class SourceOut:
    """One source as ``manifest.json`` describes it.

    ``bad_rows`` are extra rows the ingest must reject ({"row", "error": expected code, "why"});
    ``warned_rows`` are certified rows written messily, stored with a warning ({"row", "warning":
    expected code, "why"}); ``warned_every_row`` lists warnings every stored row of the source
    carries ({"warnings": [one of these codes], "why"}), e.g. when the registry has no group column.
    """

    name: str
    province: str
    kind: str
    location: str
    encoding: str
    certified: int
    producers: int
    rows: int
    bad_rows: list[dict[str, object]]
    stars: dict[str, int]
    producer_types: dict[str, int]
    description: str
    warned_rows: list[dict[str, object]] = field(default_factory=list)
    warned_every_row: list[dict[str, object]] = field(default_factory=list)


def bad_row(row: int, error: str, why: str) -> dict[str, object]:
    """An extra row the ingest must reject, with the error code it must give."""
    return {"row": row, "error": error, "why": why}


def warned_row(row: int, warning: str, why: str) -> dict[str, object]:
    """A certified row written messily: stored, with this warning code."""
    return {"row": row, "warning": warning, "why": why}


def mojibake(text: str) -> str:
    """Text typed in a TCVN3 (.VnTime) font and stored in a workbook as Latin-1 characters."""
    return encode_legacy(text, "tcvn3").decode("latin-1")


def star_counts(products: Sequence[Product]) -> dict[str, int]:
    counts = Counter("4 (tiềm năng 5)" if p.potential_five else str(p.stars) for p in products)
    return dict(sorted(counts.items()))


def type_counts(products: Sequence[Product]) -> dict[str, int]:
    seen = {p.producer.name: p.producer.kind for p in products}
    return dict(sorted(Counter(seen.values()).items()))


def csv_text(rows: Sequence[Sequence[str]], delimiter: str) -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return bare.replace("đ", "d").replace("Đ", "D")


def save_workbook(wb: openpyxl.Workbook, path: Path) -> None:
    """Save with fixed timestamps (zip entries and document properties) so the bytes are reproducible."""
    fixed = dt.datetime(*_FIXED_TIME)
    wb.properties.created = fixed
    wb.properties.creator = "ocop-hub samples"
    buffer = io.BytesIO()
    wb.save(buffer)
    path.write_bytes(fixed_zip(buffer.getvalue()))


def fixed_zip(data: bytes) -> bytes:
    """The same Office archive (xlsx, docx) with fixed entry times and document dates, so the
    bytes are reproducible."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>2026-01-01T00:00:00Z", content)
            entry = zipfile.ZipInfo(info.filename, date_time=_FIXED_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, content)
    return out.getvalue()
