"""The sample registries: deterministic, readable by every reader, with the press figures row by row."""
from __future__ import annotations

import dataclasses
import json
from collections import Counter
from pathlib import Path

import pytest

from hub.normalize.fold import search_key
from hub.registries import load_sources, read_rows
from hub.normalize.text import clean_text
from hub.samples import current_places, generate, main, producer_core


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("samples")
    main(["--out", str(folder), "--seed", "2026"])
    return folder


@pytest.fixture(scope="module")
def manifest(out) -> dict[str, dict]:
    return {s["name"]: s for s in json.loads((out / "manifest.json").read_text("utf-8"))["sources"]}


@pytest.fixture
def rows_of(out, server):
    """Read a source back; json_api and html sources are served by the local HTTP server."""
    server.root = out
    specs = {s.name: s for s in load_sources(out / "sources.yaml")}

    def read(name: str):
        spec = specs[name]
        if spec.kind in ("json_api", "html"):
            spec = dataclasses.replace(spec, location=server.url("/" + str(Path(spec.location).relative_to(out))))
        return list(read_rows(spec))

    return read


def certified(rows, source) -> list:
    bad = {b["row"] for b in source["bad_rows"]}
    return [r for r in rows if r.row_number not in bad]


def tree_bytes(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_same_seed_same_bytes(out, tmp_path):
    generate(tmp_path / "again", seed=2026)
    assert tree_bytes(out) == tree_bytes(tmp_path / "again")
    generate(tmp_path / "other", seed=7)
    assert tree_bytes(out)["registries/quang_ninh.xlsx"] != tree_bytes(tmp_path / "other")["registries/quang_ninh.xlsx"]


def test_sources_file(out):
    specs = load_sources(out / "sources.yaml")
    assert {s.kind for s in specs} == {"csv", "xlsx", "json_api", "html"}
    assert len({s.province for s in specs}) >= 5
    assert all(Path(s.location).is_file() for s in specs)
    readme = (out / "README.md").read_text("utf-8")
    assert all(s.location.split(str(out) + "/")[-1] in readme for s in specs)


def test_every_file_row_counts(rows_of, manifest):
    for name, source in manifest.items():
        rows = rows_of(name)
        assert len(rows) == source["rows"], name
        assert len(certified(rows, source)) == source["certified"] or source["certified"] == 0, name
        numbers = {r.row_number for r in rows}
        assert {b["row"] for b in source["bad_rows"]} <= numbers, name


def test_quang_ninh(rows_of, manifest):
    source = manifest["quang-ninh"]
    rows = rows_of("quang-ninh")
    assert len(rows) == 449 + 4
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
    assert [by_number[n].values["group"] for n in bad if "xyz" in bad[n]] == ["xyz"]
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
    source = manifest["bac-kan-2018"]
    rows = rows_of("bac-kan-2018")
    assert len(rows) == 37 + 3
    good = certified(rows, source)
    assert len(good) == 37 and len({r.values["producer_name"] for r in good}) == 32
    assert Counter(r.values["stars"] for r in good) == {"3*": 32, "4*": 5}
    assert {r.values["year"] for r in good} == {"2018"}
    turmeric = {r.values["product_name"]: r.values for r in good if r.values["product_name"].startswith("Tinh bột nghệ nếp")}
    assert set(turmeric) == {"Tinh bột nghệ nếp đỏ", "Tinh bột nghệ nếp đen"}
    assert all(v["producer_name"] == "HTX dịch vụ nông nghiệp Tân Thành" and v["stars"] == "3*" for v in turmeric.values())
    districts = {r.values["district"] for r in good}
    assert districts <= {"huyện Pác Nặm", "huyện Na Rì", "huyện Ba Bể", "huyện Ngân Sơn", "huyện Bạch Thông",
                         "huyện Chợ Đồn", "huyện Chợ Mới", "thành phố Bắc Kạn"}
    reasons = " ".join(b["why"] for b in source["bad_rows"])
    assert "xyz" in reasons and "commune" in reasons and "future" in reasons


def producer_type(name: str) -> str:
    for prefix, kind in (("HTX", "htx"), ("Hợp tác xã", "htx"), ("Công ty", "company"),
                         ("Doanh nghiệp tư nhân", "enterprise"), ("Hộ kinh doanh", "household"), ("Cơ sở", "household")):
        if name.startswith(prefix):
            return kind
    return "other"


def test_tra_vinh(rows_of, manifest):
    source = manifest["tra-vinh"]
    rows = rows_of("tra-vinh")
    assert len(rows) == 80 + 3
    good = certified(rows, source)
    assert Counter(r.values["stars"] for r in good) == {"4 sao (tiềm năng 5 sao)": 5, "★★★★": 9, "★★★": 66}
    producers = {r.values["producer_name"] for r in good}
    assert len(producers) == 49
    assert Counter(producer_type(p) for p in producers) == {"htx": 8, "company": 9, "enterprise": 2, "household": 30}
    assert {r.values["year"] for r in good} <= {"2019", "2020", "2021"}
    assert all(r.values["product_name"] and r.values["decision_date"] for r in good)


def test_ha_giang_api(rows_of, manifest, server):
    source = manifest["ha-giang-api"]
    rows = rows_of("ha-giang-api")
    assert len(rows) == source["rows"] == 62 + 3
    assert [r.row_number for r in rows] == list(range(1, 66))
    assert server.hits["/registries/ha_giang_api/page-3.json"] == 1
    good = certified(rows, source)
    assert Counter(r.values["stars"] for r in good) == {k: v for k, v in source["stars"].items()}
    assert {r.values["province"] for r in good} == {"Hà Giang"}
    bad = [r for r in rows if r.row_number in {b["row"] for b in source["bad_rows"]}]
    assert {r.values.get("province") for r in bad} >= {"Tỉnh Tây Bắc"} and "7" in {r.values["stars"] for r in bad}


def test_lam_dong_2025(rows_of, manifest):
    source = manifest["lam-dong-2025"]
    rows = rows_of("lam-dong-2025")
    assert len(rows) == 45 + 4 and rows[0].row_number == 4
    good = certified(rows, source)
    communes = {p.commune for p in current_places("Lâm Đồng")}
    assert all(r.values["commune"] in communes for r in good)
    assert "district" not in good[0].values
    assert all(r.values["decision_date"].endswith("/2025") for r in good)


@pytest.mark.parametrize("name", ["quang-ninh", "bac-kan-2018", "tra-vinh", "ha-giang-api", "lam-dong-2025"])
def test_names_cannot_be_merged_by_a_resolver(rows_of, manifest, name):
    """Distinct products and producers stay distinct without diacritics or legal forms."""
    good = certified(rows_of(name), manifest[name])
    products = {search_key(clean_text(r.values["product_name"])) for r in good}
    producers = {producer_core(clean_text(r.values["producer_name"])) for r in good}
    assert len(products) == manifest[name]["certified"]
    assert len(producers) == manifest[name]["producers"]


def test_unit_names_as_registries_write_them(rows_of, manifest):
    """No data-set disambiguation suffix ("Duyên Hải (Huyện)") leaks into a registry."""
    for name in manifest:
        for row in rows_of(name):
            assert "(" not in row.values.get("district", "") + row.values.get("commune", ""), (name, row.row_number)
