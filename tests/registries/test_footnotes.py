"""A rating marked "(*)" is read with the note under the table that explains the mark; a notes
column saying "Tiềm năng 5 sao" beside a 4★ rating is the 5★ proposal (canonicalize)."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from hub.ingest.canonical import canonicalize
from hub.records import RawRow
from hub.registries.read import RegistrySnapshot
from hub.units.resolver import UnitResolver
from tests.registries import corpus
from tests.registries.helpers import spec

HEADER = ["STT", "Tên sản phẩm", "Chủ thể", "Hạng sao (*)", "Năm"]


def read(tmp_path: Path, notes: list[str]) -> list[RawRow]:
    rows = [HEADER, [1, "Chè Cao Bồ", "HTX Chè", "4 sao (*)", 2023], [2, "Mật ong", "HTX Ong", "4 sao", 2023],
            [3, "Cam sành", "HTX Cam", "3 sao(**)", 2022], [], ["Ghi chú:"], *([n] for n in notes)]
    path = tmp_path / "notes.xlsx"
    path.write_bytes(corpus.xlsx(rows))
    return list(RegistrySnapshot(spec(path, "xlsx")))


def test_a_marked_rating_takes_the_note_that_explains_its_mark(tmp_path: Path) -> None:
    rows = read(tmp_path, ["(*) Sản phẩm tiềm năng 5 sao", "(**) Sản phẩm đạt 4 sao"])
    assert [r.values["stars"] for r in rows] == ["4 sao (tiềm năng 5 sao)", "4 sao", "3 sao(**)"]
    assert rows[0].raw["Hạng sao (*)"] == "4 sao (*)"  # as written
    # the header's own mark explains nothing about the unmarked rows; a note of another level is not taken


def test_a_mark_without_a_note_leaves_the_rating_as_it_is(tmp_path: Path) -> None:
    assert [r.values["stars"] for r in read(tmp_path, [])] == ["4 sao (*)", "4 sao", "3 sao(**)"]


def test_a_notes_cell_saying_tiem_nang_5_sao_beside_4_stars_is_the_proposal() -> None:
    resolver = UnitResolver.from_packages()

    def proposed(stars: str, note: str) -> bool:
        values = {"product_name": "Cà phê Cầu Đất", "stars": stars}
        record = canonicalize(RawRow(1, values, {"Tên sản phẩm": "Cà phê Cầu Đất", "Hạng sao": stars, "Ghi chú": note}),
                              resolver, "Lâm Đồng", "68", date(2025, 9, 1))
        return record.proposed_five_star  # type: ignore[union-attr]

    assert proposed("4", "Tiềm năng 5 sao") and proposed("4 sao", "SP tiềm năng 5 sao.")
    assert not proposed("3", "Tiềm năng 5 sao")  # a 3★ product is not proposed for 5★
    assert not proposed("4", "Hết hiệu lực") and not proposed("4", "tiềm năng 5 sao nếu đủ điều kiện")
