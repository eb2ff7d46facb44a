"""Reading speed of decision annexes: a 2,000-row list as a PDF (fpdf2, about 70 A4 pages) and as a
Word file (python-docx), each read through its reader (``hub.registries.pdf_reader`` /
``docx_reader``: tables, header rules, sections), best of three, in rows per second.

``python -m bench.annex_bench [--workdir DIR]`` prints the dict; ``annex_rows_per_s(workdir)``
returns it (bench/run.py wires it in).
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from hub.registries.docx_reader import read_docx
from hub.registries.pdf_reader import read_pdf
from hub.registries.sources_file import SourceSpec
from hub.samples import legacy_places
from hub.samples.annex_files import AnnexDocument, annex_docx, annex_pdf

ROWS = 2_000
ROUNDS = 3


def annex_document(rows: int = ROWS) -> AnnexDocument:
    """A province's annex: title with the decision, two star sections, wrapped names, a totals row."""
    places = legacy_places("Bắc Kạn")
    body: list[list[str] | str] = []
    fours = rows // 5
    for title, first, last in ((f"I. SẢN PHẨM ĐẠT 4 SAO ({fours} sản phẩm)", 1, fours),
                               (f"II. SẢN PHẨM ĐẠT 3 SAO ({rows - fours} sản phẩm)", fours + 1, rows)):
        body.append(title)
        for i in range(first, last + 1):
            place = places[i % len(places)]
            body.append([str(i), f"Miến dong {place.short} đóng gói loại {i}", f"HTX Nông nghiệp {place.short} số {i}",
                         f"{place.commune}, {place.district}", ""])
    body.append(f"Tổng cộng: {rows} sản phẩm")
    title = ["ỦY BAN NHÂN DÂN TỈNH BẮC KẠN", "DANH SÁCH SẢN PHẨM ĐẠT CHỨNG NHẬN OCOP",
             "(Kèm theo Quyết định số 2417/QĐ-UBND ngày 28/12/2024 của UBND tỉnh Bắc Kạn)"]
    return AnnexDocument(title, ["STT", "Tên sản phẩm", "Tên chủ thể", "Địa chỉ", "Ghi chú"], body, [8, 45, 45, 55, 17])


def annex_rows_per_s(workdir: Path) -> dict[str, float]:
    """Rows per second reading the 2,000-row annex as PDF and as docx (written under ``workdir``)."""
    workdir.mkdir(parents=True, exist_ok=True)
    document = annex_document()
    result: dict[str, float] = {}
    for kind, write, read in (("pdf", annex_pdf, read_pdf), ("docx", annex_docx, read_docx)):
        path = workdir / f"annex_{ROWS}.{kind}"
        path.write_bytes(write(document))
        data = path.read_bytes()
        spec = SourceSpec(name="bench", province="Bắc Kạn", kind=kind, location=str(path))
        best = float("inf")
        for _ in range(ROUNDS):
            started = time.perf_counter()
            count = sum(1 for _ in read(data, spec))
            best = min(best, time.perf_counter() - started)
        if count != ROWS:
            raise RuntimeError(f"{path}: read {count} rows, expected {ROWS}")
        result[f"{kind}_rows_per_s"] = round(ROWS / best, 1)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.annex_bench", description=__doc__)
    parser.add_argument("--workdir", type=Path, default=None, help="where to write the annexes (default: a temp dir)")
    args = parser.parse_args()
    if args.workdir is not None:
        print(annex_rows_per_s(args.workdir))
        return
    with tempfile.TemporaryDirectory() as folder:
        print(annex_rows_per_s(Path(folder)))


if __name__ == "__main__":
    main()
