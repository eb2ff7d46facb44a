"""Hostile annexes (PDF and docx): each refused with a one-line message naming the file, within a
bounded time and memory, measured in a child process (peak RSS as in test_bad_input)."""
from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import docx
import pytest
from fpdf import FPDF

from tests.registries import annex_samples as annex
from tests.reliability.peak_rss import CHILD_HELPERS

PEAK_GROWTH_LIMIT_MB = 120
"""Growth over the child's RSS after imports; a good 2,000-row PDF annex reads in about 60 MB."""
SECONDS_LIMIT = 20


def pdf_of(content: bytes, filters: str = "/FlateDecode", extra: bytes = b"") -> bytes:
    """A one-page PDF whose page content is ``content`` (already encoded by ``filters``);
    ``extra`` is put in the page dictionary. Written here byte by byte: a writer would refuse."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R " + extra + b">>",
        b"<< /Length %d /Filter %s >>\nstream\n" % (len(content), filters.encode()) + content + b"\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer << /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def zeros(n: int) -> bytes:
    compressor = zlib.compressobj(9)
    chunk = b"0" * (1 << 20)
    return b"".join(compressor.compress(chunk) for _ in range(n >> 20)) + compressor.flush()


def many_pages(n: int) -> bytes:
    pdf = FPDF()
    for _ in range(n):
        pdf.add_page()
    return bytes(pdf.output())


def docx_with(document_xml: bytes) -> bytes:
    """A real Word file (python-docx's template) with its document.xml replaced."""
    base = io.BytesIO()
    docx.Document().save(base)
    source = zipfile.ZipFile(base)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            content = source.read(info.filename)
            archive.writestr(info.filename, document_xml if info.filename == "word/document.xml" else content)
    return out.getvalue()


def docx_zip_bomb(inflated: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        entry = zipfile.ZipInfo("word/document.xml")
        entry.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(entry, "w", force_zip64=True) as member:
            for _ in range(inflated >> 20):
                member.write(b" " * (1 << 20))
    return out.getvalue()


LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">'
          + b"".join(b'<!ENTITY %s "%s">' % (bytes([98 + i]), (b"&%s;" % bytes([97 + i])) * 10) for i in range(9))
          + b']><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r>'
          b"<w:t>&j;</w:t></w:r></w:p></w:body></w:document>")

CASES = {
    "flate-bomb.pdf": (lambda: pdf_of(zeros(256 << 20)), "compression bomb"),
    "flate-in-flate-bomb.pdf": (lambda: pdf_of(zlib.compress(zeros(256 << 20)), "[/FlateDecode /FlateDecode]"),
                                "compression bomb"),
    "deeply-nested.pdf": (lambda: pdf_of(zlib.compress(b"BT ET"), extra=b"/Foo " + b"[" * 200_000 + b"]" * 200_000),
                          "no text layer|nested|not a readable pdf"),
    "lzw.pdf": (lambda: pdf_of(b"\x80\x0b\x60\x50\x22\x0c\x0c\x85\x01", "/LZWDecode"), "lzw"),
    "too-many-pages.pdf": (lambda: many_pages(1_000), "1000 pages"),
    "truncated.pdf": (lambda: many_pages(3)[:300], "not a readable pdf|no text layer"),
    "zip-bomb.docx": (lambda: docx_zip_bomb(512 << 20), "zip bomb"),
    "billion-laughs.docx": (lambda: docx_with(LAUGHS), "no table|docx"),
    "not-a-document.docx": (lambda: docx_with(b"<x/>"), "docx"),
}

CHILD = CHILD_HELPERS + r"""
import json, sys, time
from hub.registries import RegistryError, SourceSpec
from hub.registries.read import file_reader
path, kind = sys.argv[1], sys.argv[2]
data = open(path, "rb").read()
spec = SourceSpec(name="hostile", province="Bắc Kạn", kind=kind, location=path)
import hub.registries.pdf_reader, hub.registries.docx_reader  # imports before the baseline
_reset_hwm()
base = _hwm_mb()
t = time.monotonic()
try:
    rows = len(list(file_reader(kind)(data, spec)))
    error = None
except RegistryError as exc:
    rows, error = None, str(exc)
print(json.dumps({"rows": rows, "error": error, "base_mb": base, "peak_mb": _hwm_mb(),
                  "seconds": time.monotonic() - t}))
"""


def run_child(path: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, str(path), path.suffix[1:]], capture_output=True, text=True,
                         timeout=120, cwd=Path(__file__).resolve().parents[2])
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_hostile_annex_is_refused_in_bounded_time_and_memory(name: str, tmp_path: Path) -> None:
    make, why = CASES[name]
    path = tmp_path / name
    path.write_bytes(make())
    result = run_child(path)
    print(name, f"{path.stat().st_size} bytes", result)
    assert result["error"] is not None, result
    assert result["error"].startswith(f"{path}: ") and "\n" not in result["error"], result
    assert any(w in result["error"].lower() for w in why.split("|")), result
    assert result["seconds"] < SECONDS_LIMIT, result
    assert result["peak_mb"] - result["base_mb"] < PEAK_GROWTH_LIMIT_MB, result


def test_a_good_annex_reads_within_the_same_bounds(tmp_path: Path) -> None:
    """The baseline: the 60-row Word annex, read in the same child."""
    path = tmp_path / "good.docx"
    path.write_bytes(annex.docx_annex())
    result = run_child(path)
    assert result["rows"] == annex.FOURS + annex.THREES and result["error"] is None, result
    assert result["peak_mb"] - result["base_mb"] < PEAK_GROWTH_LIMIT_MB, result
