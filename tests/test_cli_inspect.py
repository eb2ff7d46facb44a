"""`ocop-hub inspect FILE`: what the hub would make of a registry, before its first harvest,
with no store touched (HUB_DATABASE_URL points at a file that must not appear)."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from hub.cli.main import app

runner = CliRunner()

REGISTRY = """\
UBND TỈNH QUẢNG NINH
DANH SÁCH SẢN PHẨM OCOP NĂM 2025
STT,Tên SP,Tên cơ sở,ĐC,Hạng sao đạt được,"Số, ngày quyết định",Ghi chú
1,Mật ong rừng Ba Chẽ,HTX Ong mật Ba Chẽ,xã Không Có Thật,4 sao,858/QĐ-UBND ngày 19/6/2025,
2,,HTX Chè Đường Hoa,xã Đường Hoa,3 sao,858/QĐ-UBND ngày 19/6/2025,thiếu tên
3,Chả mực Hạ Long,Công ty TNHH Chả mực Hạ Long,phường Hạ Long,3 sao,858/QĐ-UBND ngày 19/6/2025,
Tổng cộng: 3 sản phẩm,,,,,,
"""


@pytest.fixture
def registry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HUB_DATABASE_URL", f"sqlite:///{tmp_path / 'must-not-exist.sqlite3'}")
    path = tmp_path / "quang-ninh-2025.csv"
    path.write_text(REGISTRY, encoding="utf-8")
    return path


def test_inspect_shows_columns_rows_problems_and_a_columns_snippet(registry: Path) -> None:
    result = runner.invoke(app, ["inspect", str(registry), "--province", "Quảng Ninh"])
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "encoding: utf-8" in text
    assert "header rows: 3" in text
    for header, field in (("Tên SP", "product_name"), ("Tên cơ sở", "producer_name"), ("ĐC", "address"),
                          ("Hạng sao đạt được", "stars"), ("Số, ngày quyết định", "decision_number")):
        assert f"{header} │ {field}" in text, header
    assert "'Ghi chú'" in text  # named among the unmapped columns
    assert "skipped, totals" in text
    assert "3 rows: 2 would be stored (2 with warnings), 1 rejected" in text
    assert "row 5: rejected MISSING_FIELD (product_name)" in text
    assert "row 4: warning UNRESOLVED_UNIT" in text
    snippet = result.output[result.output.index("sources:"):]
    entry = yaml.safe_load(snippet)["sources"][0]
    assert entry["columns"]["Tên SP"] == "product_name" and entry["kind"] == "csv"
    assert not (registry.parent / "must-not-exist.sqlite3").exists()


def test_inspect_refuses_an_unknown_kind_and_an_unknown_province_in_one_line(registry: Path) -> None:
    odd = registry.with_suffix(".odt")
    odd.write_bytes(b"PK\x03\x04")
    result = runner.invoke(app, ["inspect", str(odd)])
    assert result.exit_code == 2 and "cannot tell the kind of registry" in result.output
    result = runner.invoke(app, ["inspect", str(registry), "--province", "Atlantis"])
    assert result.exit_code == 2 and "unknown province 'Atlantis'" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_inspect_reads_the_sheet_it_is_told_and_names_the_sheets_when_there_is_none(tmp_path: Path,
                                                                                     monkeypatch) -> None:
    import openpyxl

    monkeypatch.setenv("HUB_DATABASE_URL", f"sqlite:///{tmp_path / 'must-not-exist.sqlite3'}")
    book = openpyxl.Workbook()
    book.active.title = "Tong hop"
    book.active.append(["Huyện", "Số sản phẩm"])
    for title, name in (("Nam 2024", "Chè Đường Hoa"), ("Nam 2025", "Mật ong Ba Chẽ")):
        sheet = book.create_sheet(title)
        sheet.append(["STT", "Tên sản phẩm", "Chủ thể", "Hạng sao", "Nhóm"])
        sheet.append([1, name, "HTX Quảng Ninh", "3 sao", "Thực phẩm"])
    path = tmp_path / "two-years.xlsx"
    book.save(path)
    every = runner.invoke(app, ["inspect", str(path), "--province", "22"])
    assert "sheets read: 'Nam 2024', 'Nam 2025'" in every.output
    assert "Chè Đường Hoa" in every.output and "Mật ong Ba Chẽ" in every.output
    assert "skipped, sheet 'Tong hop': no product table" in every.output
    assert "sheet:" not in every.output[every.output.index("sources:"):]  # every sheet is read by default
    chosen = runner.invoke(app, ["inspect", str(path), "--province", "22", "--sheet", "Nam 2025"])
    assert chosen.exit_code == 0, chosen.output
    assert "sheet: Nam 2025" in chosen.output and "Mật ong Ba Chẽ" in chosen.output
    assert "sheet: Nam 2025" in chosen.output and "Chè Đường Hoa" not in chosen.output
    assert yaml.safe_load(chosen.output[chosen.output.index("sources:"):])["sources"][0]["sheet"] == "Nam 2025"
    missing = runner.invoke(app, ["inspect", str(path), "--province", "22", "--sheet", "Nam 2026"])
    assert missing.exit_code == 2
    assert "no sheet named 'Nam 2026' (the workbook has 'Tong hop', 'Nam 2024', 'Nam 2025')" in missing.output


REVOCATION_LIST = """\
UBND TỈNH QUẢNG NINH
DANH SÁCH SẢN PHẨM BỊ THU HỒI GIẤY CHỨNG NHẬN SẢN PHẨM OCOP
STT,Tên sản phẩm,Chủ thể,Địa chỉ,Số quyết định thu hồi,Ngày thu hồi
1,Trà hoa vàng,HTX Trà hoa vàng,Xã Ba Chẽ,45/QĐ-UBND,15/3/2025
2,Ba kích tím,HTX Ba kích tím,Xã Ba Chẽ,45/QĐ-UBND,
"""


def test_inspect_reads_a_revocation_list_as_a_harvest_of_list_revocation_would(tmp_path: Path,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HUB_DATABASE_URL", f"sqlite:///{tmp_path / 'must-not-exist.sqlite3'}")
    path = tmp_path / "thu-hoi.csv"
    path.write_text(REVOCATION_LIST, encoding="utf-8")
    as_revocations = runner.invoke(app, ["inspect", str(path), "--province", "Quảng Ninh", "--list", "revocation"])
    assert as_revocations.exit_code == 0, as_revocations.output
    text = " ".join(as_revocations.output.split())
    assert "REVOCATION_WITHOUT_DATE" in text  # row 2 names no day: refused as the harvest would
    assert "list: revocation" in as_revocations.output
    # Read as a registry, the same rows are products without ratings: not what the operator meant.
    as_products = runner.invoke(app, ["inspect", str(path), "--province", "Quảng Ninh"])
    assert as_products.exit_code == 0, as_products.output
    assert "REVOCATION_WITHOUT_DATE" not in as_products.output and "list: revocation" not in as_products.output
    unknown = runner.invoke(app, ["inspect", str(path), "--province", "Quảng Ninh", "--list", "thu-hoi"])
    assert unknown.exit_code == 2 and "unknown kind of list 'thu-hoi'" in " ".join(unknown.output.split())
    assert not (tmp_path / "must-not-exist.sqlite3").exists()
