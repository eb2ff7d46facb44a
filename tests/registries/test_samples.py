"""The sample registries: deterministic, readable by every reader, with the press figures row by row,
and harvested as their manifest says (the warned rows stored with their codes, the bad rows rejected)."""
from __future__ import annotations

import dataclasses
import json
from collections import Counter
from pathlib import Path

import pytest

from hub.normalize.fold import search_key
from hub.normalize.stars import StarRating, parse_stars
from hub.normalize.text import clean_text
from hub.registries import load_sources, read_rows
from hub.samples import current_places, generate, main, producer_core

SOURCES = ["quang-ninh", "quang-ninh-bo-sung", "bac-kan-2018", "bac-kan-2018-phu-luc-pdf", "bac-kan-2018-phu-luc-docx",
           "tra-vinh", "ha-giang-api", "lam-dong-2025"]


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("samples")
    main(["--out", str(folder), "--seed", "2026"])
    return folder


@pytest.fixture(scope="module")
def manifest(out) -> dict[str, dict]:
    return {s["name"]: s for s in json.loads((out / "manifest.json").read_text("utf-8"))["sources"]}


@pytest.fixture
def spec_of(out, server):
    """A source's spec; json_api and html sources are served by the local HTTP server."""
    server.root = out
    specs = {s.name: s for s in load_sources(out / "sources.yaml")}

    def spec(name: str):
        found = specs[name]
        if found.kind in ("json_api", "html"):
            found = dataclasses.replace(found, location=server.url("/" + str(Path(found.location).relative_to(out))))
        return found

    return spec


@pytest.fixture
def rows_of(spec_of):
    """Read a source back."""
    return lambda name: list(read_rows(spec_of(name)))


def certified(rows, source) -> list:
    """The rows of certified products: all but the bad rows (the warned rows are certified)."""
    bad = {b["row"] for b in source["bad_rows"]}
    return [r for r in rows if r.row_number not in bad]


def warned(rows, source) -> dict[int, object]:
    """The certified rows written messily on purpose, by row number."""
    numbers = {w["row"] for w in source["warned_rows"]}
    return {r.row_number: r for r in rows if r.row_number in numbers}


def stars_of(row) -> int:
    rating = parse_stars(row.values.get("stars"), None)
    assert isinstance(rating, StarRating), (row.row_number, row.values.get("stars"))
    return rating.stars


def tree_bytes(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_same_seed_same_bytes(out, tmp_path):
    generate(tmp_path / "again", seed=2026)
    assert tree_bytes(out) == tree_bytes(tmp_path / "again")
    generate(tmp_path / "other", seed=7)
    assert tree_bytes(out)["registries/quang_ninh.xlsx"] != tree_bytes(tmp_path / "other")["registries/quang_ninh.xlsx"]


def test_sources_file(out):
    specs = load_sources(out / "sources.yaml")
    assert {s.kind for s in specs} == {"csv", "xlsx", "json_api", "html", "pdf", "docx"}
    assert len({s.province for s in specs}) >= 5
    assert all(Path(s.location).is_file() for s in specs)
    readme = (out / "README.md").read_text("utf-8")
    assert all(s.location.split(str(out) + "/")[-1] in readme for s in specs)


def test_every_file_row_counts(rows_of, manifest):
    assert sorted(manifest) == sorted(SOURCES)
    for name, source in manifest.items():
        rows = rows_of(name)
        assert len(rows) == source["rows"], name
        assert len(certified(rows, source)) == source["certified"] or source["certified"] == 0, name
        numbers = {r.row_number for r in rows}
        bad = {b["row"] for b in source["bad_rows"]}
        assert bad <= numbers, name
        assert {w["row"] for w in source["warned_rows"]} <= numbers - bad, name
        assert all(b["error"] and b["why"] for b in source["bad_rows"]), name
        assert all(w["warning"] and w["why"] for w in source["warned_rows"]), name


def test_readme_lists_the_warned_and_the_bad_rows(out, manifest):
    readme = (out / "README.md").read_text("utf-8")
    for source in manifest.values():
        for b in source["bad_rows"]:
            assert f"row {b['row']}: {b['error']}, {b['why']}" in readme
        for w in source["warned_rows"]:
            assert f"row {w['row']}: {w['warning']}, {w['why']}" in readme
    assert "every stored row carries GROUP_INFERRED or GROUP_UNKNOWN" in readme


def test_quang_ninh(rows_of, manifest):
    source = manifest["quang-ninh"]
    rows = rows_of("quang-ninh")
    assert len(rows) == 449 + 3
    good = certified(rows, source)
    assert len(good) == 449 and source["certified"] == 449
    assert len({r.values["producer_name"] for r in good}) == 175
    assert all(r.values["producer_name"] and r.values["product_name"] for r in good)
    by_name = {r.values["product_name"]: r for r in good}
    for pearl in ("Southsea", "Akoya", "Tahiti"):
        row = by_name[f"Ngọc trai {pearl} - ngọc trai Hạ Long"]
        assert row.values["producer_name"] == "Công ty Cổ phần Ngọc trai Hạ Long" and row.values["stars"] == "5 sao"
    for oil in ("Dầu lạc", "Dầu vừng"):
        assert by_name[oil].values["producer_name"] == "HTX Nông nghiệp Hải Yến"
    stars = Counter(r.values["stars"] for r in good)
    assert stars == {f"{k} sao": v for k, v in source["stars"].items()}
    assert sorted(r.values["product_name"] for r in good if r.values["stars"] == "5 sao") == sorted(
        f"Ngọc trai {p} - ngọc trai Hạ Long" for p in ("Southsea", "Akoya", "Tahiti"))
    mojibake = [r for r in good if "¶" in r.values["product_name"] or "Ö" in r.values["product_name"]
                or "¸" in r.values["product_name"] or "µ" in r.values["product_name"]]
    assert mojibake, "some cells are typed in a TCVN3 font"
    bad = {b["row"]: b["why"] for b in source["bad_rows"]}
    by_number = {r.row_number: r for r in rows}
    assert [by_number[n].values["product_name"] for n in bad if "missing" in bad[n]] == [""]
    assert [by_number[n].values["stars"] for n in bad if "7 sao" in bad[n]] == ["7 sao"]
    (xyz,) = warned(rows, source).values()
    assert xyz.values["group"] == "xyz" and xyz.values["product_name"].startswith("Rượu")
    (dup,) = [n for n in bad if "duplicate" in bad[n]]
    original = int(bad[dup].rsplit(" ", 1)[-1])
    assert by_number[dup].values == by_number[original].values


def test_quang_ninh_repeats_add_no_product(rows_of):
    originals = {search_key(r.values["product_name"]) for r in rows_of("quang-ninh")}
    repeats = rows_of("quang-ninh-bo-sung")
    assert len(repeats) == 25
    assert all(search_key(r.values["product_name"]) in originals for r in repeats)
    producers = {search_key(r.values["producer_name"]) for r in repeats}
    assert "cty cp ngoc trai ha long" in producers
    written = [r.values["product_name"] for r in repeats]
    assert any(w.isupper() for w in written) and any("  " in w for w in written)
    assert any(w.isascii() for w in written)


def test_bac_kan_2018(rows_of, manifest):
    """A hand-typed district list: no group column, the rating given by section rows, the decision's
    number and date in one cell, totals and signature rows that are not products."""
    source = manifest["bac-kan-2018"]
    rows = rows_of("bac-kan-2018")
    assert len(rows) == 37 + 3
    # rows 9 and 15 are the section rows, 51 the totals; the footer follows: none is a product
    assert {r.row_number for r in rows} == set(range(10, 51)) - {15}
    good = certified(rows, source)
    assert len(good) == 37 and len({r.values["producer_name"] for r in good}) == 32
    assert Counter(stars_of(r) for r in good) == {3: 32, 4: 5}
    assert all("group" not in r.values for r in rows)
    assert all(r.values["decision_number"].startswith("1520/QĐ-UBND ngày 15/8/") for r in good)
    turmeric = {r.values["product_name"]: r for r in good if r.values["product_name"].startswith("Tinh bột nghệ nếp")}
    assert set(turmeric) == {"Tinh bột nghệ nếp đỏ", "Tinh bột nghệ nếp đen"}
    assert all(r.values["producer_name"] == "HTX dịch vụ nông nghiệp Tân Thành" and stars_of(r) == 3
               for r in turmeric.values())
    districts = {r.values["address"].rsplit(", ", 1)[-1] for r in good}
    assert districts <= {"huyện Pác Nặm", "huyện Na Rì", "huyện Ba Bể", "huyện Ngân Sơn", "huyện Bạch Thông",
                         "huyện Chợ Đồn", "huyện Chợ Mới", "thành phố Bắc Kạn"}
    messy = {w["warning"]: warned(rows, source)[w["row"]] for w in source["warned_rows"]}
    assert set(messy) == {"UNRESOLVED_UNIT", "FUTURE_DATE"}
    assert messy["UNRESOLVED_UNIT"].values["address"].startswith("xã Hoàng Kim Long, ")
    assert messy["FUTURE_DATE"].values["decision_number"] == "1520/QĐ-UBND ngày 15/8/2081"
    errors = {b["error"] for b in source["bad_rows"]}
    assert errors == {"MISSING_FIELD", "WRONG_PROVINCE", "DUPLICATE_RECORD"}
    assert source["warned_every_row"][0]["warnings"] == ["GROUP_INFERRED", "GROUP_UNKNOWN"]


def producer_type(name: str) -> str:
    for prefix, kind in (("HTX", "htx"), ("Hợp tác xã", "htx"), ("Công ty", "company"),
                         ("Doanh nghiệp tư nhân", "enterprise"), ("Hộ kinh doanh", "household"), ("Cơ sở", "household")):
        if name.startswith(prefix):
            return kind
    return "other"


def test_tra_vinh(rows_of, manifest):
    source = manifest["tra-vinh"]
    rows = rows_of("tra-vinh")
    assert len(rows) == 80 + 2
    good = certified(rows, source)
    assert Counter(r.values["stars"] for r in good) == {"4 sao (tiềm năng 5 sao)": 5, "★★★★": 9, "★★★": 66}
    producers = {r.values["producer_name"] for r in good}
    assert len(producers) == 49
    assert Counter(producer_type(p) for p in producers) == {"htx": 8, "company": 9, "enterprise": 2, "household": 30}
    assert {r.values["year"] for r in good} <= {"2019", "2020", "2021"}
    assert all(r.values["product_name"] and r.values["decision_date"] for r in good)
    (lost,) = warned(rows, source).values()
    assert lost.values["commune"] == "xã Mỹ Ngọc Lan"


def test_ha_giang_api(rows_of, manifest, server):
    source = manifest["ha-giang-api"]
    rows = rows_of("ha-giang-api")
    assert len(rows) == source["rows"] == 62 + 3
    assert [r.row_number for r in rows] == list(range(1, 66))
    assert server.hits["/registries/ha_giang_api/page-3.json"] == 1
    good = certified(rows, source)
    assert Counter(r.values["stars"] for r in good) == {k: v for k, v in source["stars"].items()}
    assert {r.values["province"] for r in good} == {"Hà Giang", "Tỉnh Tây Bắc"}
    bad = [r for r in rows if r.row_number in {b["row"] for b in source["bad_rows"]}]
    assert {r.values.get("province") for r in bad} >= {"Lào Cai"} and "7" in {r.values["stars"] for r in bad}
    messy = {w["warning"]: warned(rows, source)[w["row"]] for w in source["warned_rows"]}
    assert messy["UNRESOLVED_UNIT"].values["province"] == "Tỉnh Tây Bắc"
    assert not messy["PRODUCER_MISSING"].values.get("producer_name")
    assert messy["TYPE_UNKNOWN"].values["producer_type"] == "Khác"


def test_lam_dong_2025(rows_of, manifest):
    source = manifest["lam-dong-2025"]
    rows = rows_of("lam-dong-2025")
    assert len(rows) == 45 + 4 and rows[0].row_number == 4
    good = certified(rows, source)
    messy = {w["warning"]: warned(rows, source)[w["row"]] for w in source["warned_rows"]}
    tidy = [r for r in good if r.row_number not in {m.row_number for m in messy.values()}]
    communes = {p.commune for p in current_places("Lâm Đồng")}
    assert all(r.values["commune"] in communes for r in tidy)
    assert messy["UNRESOLVED_UNIT"].values["commune"] not in communes
    assert "district" not in good[0].values
    assert all(r.values["decision_date"].endswith("/2025") for r in tidy)
    assert messy["FUTURE_DATE"].values["decision_date"].endswith("/2052")
    bad = {b["error"]: b["row"] for b in source["bad_rows"]}
    by_number = {r.row_number: r for r in rows}
    assert by_number[bad["BELOW_CERTIFICATION"]].values["stars"] == "2 sao"
    assert by_number[bad["WRONG_PROVINCE"]].values["province"] == "Khánh Hòa"


@pytest.mark.parametrize("name", ["quang-ninh", "bac-kan-2018", "tra-vinh", "ha-giang-api", "lam-dong-2025"])
def test_names_cannot_be_merged_by_a_resolver(rows_of, manifest, name):
    """Distinct products and producers stay distinct without diacritics or legal forms."""
    good = certified(rows_of(name), manifest[name])
    products = {search_key(clean_text(r.values["product_name"])) for r in good}
    producers = {producer_core(clean_text(r.values["producer_name"])) for r in good if r.values.get("producer_name")}
    assert len(products) == manifest[name]["certified"]
    assert len(producers) == manifest[name]["producers"]


def test_unit_names_as_registries_write_them(rows_of, manifest):
    """No data-set disambiguation suffix ("Duyên Hải (Huyện)") leaks into a registry."""
    for name in manifest:
        for row in rows_of(name):
            units = (row.values.get("district") or "") + (row.values.get("commune") or "")
            assert "(" not in units, (name, row.row_number)


@pytest.mark.parametrize("name", SOURCES)
def test_harvest_stores_the_warned_rows_and_rejects_the_bad_ones(store, spec_of, rows_of, manifest, name):
    """Only a name, a rating and a province define a product: the messy certified rows are stored
    with exactly the warnings the manifest names, the bad rows are rejected with its error codes,
    and no other row is warned or rejected."""
    from hub.sources.harvest import harvest_source  # the ingest path; the reading tests above do not need it

    source = manifest[name]
    summary = harvest_source(store, spec_of(name))
    assert not summary.failed, summary.error
    rejected = {r.row_number: {e["code"] for e in r.errors} for r in summary.rejections}
    assert set(rejected) == {b["row"] for b in source["bad_rows"]}
    assert [b for b in source["bad_rows"] if b["error"] not in rejected[b["row"]]] == []
    stored = {r.row_number for r in rows_of(name)} - set(rejected)
    assert summary.created == len(stored) == (source["certified"] or source["rows"])

    everywhere = {code for every in source["warned_every_row"] for code in every["warnings"]}
    codes = {w.row_number: {x["code"] for x in w.warnings} for w in summary.warnings}
    if everywhere:
        assert [n for n in sorted(stored) if not codes.get(n, set()) & everywhere] == []
    expected: dict[int, set[str]] = {}
    for w in source["warned_rows"]:
        expected.setdefault(w["row"], set()).add(w["warning"])
    assert {n: c - everywhere for n, c in codes.items() if c - everywhere} == expected
