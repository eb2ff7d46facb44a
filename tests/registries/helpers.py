"""Small builders shared by the reader tests."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

from hub.registries import SourceSpec, xlsx_reader


def spec(location: str | Path, kind: str, **kwargs: object) -> SourceSpec:
    return SourceSpec(name="test", province="Quảng Ninh", kind=kind, location=str(location), **kwargs)  # type: ignore[arg-type]


def layout_of(xlsx: bytes):  # type: ignore[no-untyped-def]
    """What xlsx_reader's byte scan finds in the workbook's first sheet."""
    return xlsx_reader._scan_sheet(zipfile.ZipFile(io.BytesIO(xlsx)), "xl/worksheets/sheet1.xml", "x.xlsx")
