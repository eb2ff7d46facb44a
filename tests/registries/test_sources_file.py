"""The sources file: the happy path and one precise error per kind of mistake."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from hub.registries import SourceSpec, SourcesFileError, load_sources
from hub.registries.sources_file import cron_problem

ROOT = Path(__file__).resolve().parents[2]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_loads_entries(tmp_path):
    path = write(tmp_path, """
        sources:
          - name: ha-giang-2023
            province: "Hà Giang"
            kind: csv
            location: registries/ha_giang.csv
            encoding: tcvn3
            columns: {"Tên hàng": product_name}
            schedule: "0 3 * * *"
          - name: tra-vinh
            province: Trà Vinh
            kind: html
            location: https://example.org/ocop.html
    """)
    first, second = load_sources(path)
    assert first == SourceSpec(
        name="ha-giang-2023", province="Hà Giang", kind="csv",
        location=str((tmp_path / "registries" / "ha_giang.csv").resolve()), encoding="tcvn3",
        columns={"Tên hàng": "product_name"}, schedule="0 3 * * *",
    )
    assert second.location == "https://example.org/ocop.html" and second.is_remote
    assert second.encoding == "auto" and second.columns == {} and second.schedule is None


def test_example_file_is_valid():
    specs = load_sources(ROOT / "schema" / "sources.example.yaml")
    assert {s.kind for s in specs} == {"csv", "xlsx", "json_api", "html"}


ENTRY = 'name: qn\n    province: "Quảng Ninh"\n    kind: xlsx\n    location: qn.xlsx\n'


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ('province: "Quảng Ninh"\n    kind: xlsx\n    location: qn.xlsx\n', r"sources\[0\]: key 'name': missing"),
        # province may be left out (a list of many provinces), but not written empty
        ('name: qn\n    province: ""\n    kind: xlsx\n    location: qn.xlsx\n',
         r"sources\[0\] \('qn'\): key 'province': must be a province's name or code, not str ''"),
        ('name: qn\n    province: QN\n    location: qn.xlsx\n', r"key 'kind': missing"),
        ('name: qn\n    province: QN\n    kind: xlsx\n', r"key 'location': missing"),
        ('name: qn\n    province: QN\n    kind: odt\n    location: a\n', r"key 'kind': unknown kind 'odt' \(expected one of csv, xlsx, json_api, html, pdf, docx\)"),
        (ENTRY + "    encoding: latin-9\n", r"\('qn'\): key 'encoding': unknown encoding 'latin-9'"),
        (ENTRY + "    columns: {Tên hàng: product}\n", r"key 'columns': header 'Tên hàng' maps to 'product', which is not a canonical field"),
        (ENTRY + "    columns: [a, b]\n", r"key 'columns': must be a mapping"),
        (ENTRY + '    schedule: "0 3 * *"\n', r"key 'schedule': bad cron expression '0 3 \* \*': expected 5 fields"),
        (ENTRY + '    schedule: "61 3 * * *"\n', r"minute field '61': 61 is outside 0-59"),
        (ENTRY + "    shedule: daily\n", r"key 'shedule': unknown key"),
        ('name: 12\n    province: QN\n    kind: csv\n    location: a\n', r"key 'name': must be a non-empty string, not int"),
        ('name: qn\n    province: QN\n    kind: csv\n    location: ftp://x/y.csv\n', r"key 'location': 'ftp://x/y.csv': only local paths and http\(s\) URLs"),
    ],
)
def test_entry_errors(tmp_path, entry, expected):
    path = write(tmp_path, "sources:\n  - " + entry)
    with pytest.raises(SourcesFileError, match=expected) as error:
        load_sources(path)
    assert str(error.value).startswith(str(path))


def test_duplicate_name(tmp_path):
    path = write(tmp_path, "sources:\n  - " + ENTRY + "  - " + ENTRY)
    with pytest.raises(SourcesFileError, match=r"sources\[1\] \('qn'\): key 'name': duplicate name, already used by sources\[0\]"):
        load_sources(path)


def test_yaml_syntax_error_names_the_line(tmp_path):
    path = write(tmp_path, "sources:\n  - name: qn\n    province: [unclosed\n    kind: csv\n")
    with pytest.raises(SourcesFileError, match=r"YAML syntax error at line \d+"):
        load_sources(path)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("", "expected a mapping with a 'sources' list"), ("sources: 3\n", "'sources' must be a list, not int"),
     ("sources:\n  - just a string\n", r"sources\[0\]: expected a mapping, not str")],
)
def test_document_shape_errors(tmp_path, text, expected):
    with pytest.raises(SourcesFileError, match=expected):
        load_sources(write(tmp_path, text))


def test_missing_file(tmp_path):
    with pytest.raises(SourcesFileError, match="cannot read the sources file"):
        load_sources(tmp_path / "nope.yaml")


@pytest.mark.parametrize(
    ("cron", "ok"),
    [("0 3 * * *", True), ("*/15 0-6 1,15 jan-jun mon-fri", True), ("0 0 * * 7", True),
     ("0 3 * *", False), ("0 24 * * *", False), ("0 3 0 * *", False), ("0 3 * 13 *", False),
     ("*/0 * * * *", False), ("5-1 * * * *", False), ("a * * * *", False), ("0 3 * * * *", False)],
)
def test_cron(cron, ok):
    assert (cron_problem(cron) is None) is ok


def test_a_sheet_is_named_for_a_workbook_only(tmp_path):
    good = tmp_path / "good.yaml"
    good.write_text('sources:\n  - {name: qn, province: "Quảng Ninh", kind: xlsx, location: a.xlsx, sheet: "Nam 2025"}\n',
                    encoding="utf-8")
    assert load_sources(good)[0].sheet == "Nam 2025"
    bad = tmp_path / "bad.yaml"
    bad.write_text('sources:\n  - {name: qn, province: "Quảng Ninh", kind: csv, location: a.csv, sheet: "Nam 2025"}\n',
                   encoding="utf-8")
    with pytest.raises(SourcesFileError, match="only an xlsx workbook has sheets"):
        load_sources(bad)
