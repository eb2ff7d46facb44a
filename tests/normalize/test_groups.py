"""map_group: 148 groups, 1048 branches and free text onto the six 148 groups."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from hub.normalize.encodings import encode_legacy
from hub.normalize.groups import (
    DEFAULT_TAXONOMY_PATH, GROUP_CODES, GroupMatch, group_name, load_taxonomy, map_group,
)
from hub.normalize.problem import Problem

FOOD, BEVERAGE, HERBAL, HANDICRAFT, ORNAMENTAL, TOURISM = GROUP_CODES


def test_default_path_is_the_repo_schema() -> None:
    assert DEFAULT_TAXONOMY_PATH == Path(__file__).resolve().parents[2] / "schema" / "product_groups.yaml"


def test_taxonomy_has_the_six_148_groups_in_order() -> None:
    data = yaml.safe_load(DEFAULT_TAXONOMY_PATH.read_text(encoding="utf-8"))
    assert tuple(g["code"] for g in data["groups"]) == GROUP_CODES
    assert len(data["decision_1048_branches"]) == 6
    assert {b["group"] for b in data["decision_1048_branches"]} <= set(GROUP_CODES)


def test_load_taxonomy_is_cached() -> None:
    assert load_taxonomy() is load_taxonomy()
    assert load_taxonomy(DEFAULT_TAXONOMY_PATH) is load_taxonomy()


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("FOOD", "Thực phẩm"),
        ("BEVERAGE", "Đồ uống"),
        ("HERBAL", "Dược liệu và sản phẩm từ dược liệu"),
        ("HANDICRAFT", "Hàng thủ công mỹ nghệ"),
        ("ORNAMENTAL", "Sinh vật cảnh"),
        ("TOURISM", "Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch"),
    ],
)
def test_group_name(code: str, name: str) -> None:
    assert group_name(code) == name
    assert map_group(name) == GroupMatch(code, name, name)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # Decision 1048 branches
        ("Thực phẩm", FOOD),
        ("Đồ uống", BEVERAGE),
        ("Thảo dược", HERBAL),
        ("Vải và may mặc", HANDICRAFT),
        ("Lưu niệm – nội thất – trang trí", HANDICRAFT),
        ("Lưu niệm - nội thất - trang trí", HANDICRAFT),
        ("Dịch vụ du lịch nông thôn, bán hàng", TOURISM),
        # free text
        ("Nông sản", FOOD),
        ("nông sản chế biến", FOOD),
        ("Thực phẩm chế biến", FOOD),
        ("Nhóm 1: Thực phẩm tươi sống", FOOD),
        ("Rượu", BEVERAGE),
        ("rượu ngô", BEVERAGE),
        ("Nhóm 2: Đồ uống có cồn", BEVERAGE),
        ("Chè", FOOD),
        ("Trà", FOOD),
        ("Cà phê", FOOD),
        ("Nước mắm", FOOD),
        ("Mật ong", FOOD),
        ("Hoa quả", FOOD),
        ("Vải thiều", FOOD),
        ("Dược liệu", HERBAL),
        ("duoc lieu", HERBAL),
        ("Thực phẩm chức năng", HERBAL),
        ("Mỹ phẩm", HERBAL),
        ("Thủ công mỹ nghệ", HANDICRAFT),
        ("THỦ CÔNG MỸ NGHỆ", HANDICRAFT),
        ("Mây tre đan", HANDICRAFT),
        ("Dệt may", HANDICRAFT),
        ("Hoa", ORNAMENTAL),
        ("Cây cảnh", ORNAMENTAL),
        ("Sinh vật cảnh", ORNAMENTAL),
        ("Du lịch", TOURISM),
        ("Du lịch cộng đồng", TOURISM),
        ("FOOD", FOOD),
        ("tourism", TOURISM),
    ],
)
def test_map_group(text: str, code: str) -> None:
    result = map_group(text)
    assert isinstance(result, GroupMatch), result
    assert (result.code, result.name, result.text) == (code, group_name(code), text)


def test_map_group_keeps_cleaned_text_as_written() -> None:
    assert map_group("  Nông   sản\u00a0 ") == GroupMatch(FOOD, "Thực phẩm", "Nông sản")
    mojibake = encode_legacy("Thảo dược", "tcvn3").decode("cp1252")
    assert map_group(mojibake) == GroupMatch(HERBAL, group_name(HERBAL), "Thảo dược")


@pytest.mark.parametrize(("text", "code"), [("Xe máy", "UNKNOWN_GROUP"), ("abc", "UNKNOWN_GROUP"), ("", "MISSING_GROUP"), (None, "MISSING_GROUP")])
def test_map_group_problems(text: str | None, code: str) -> None:
    result = map_group(text)
    assert isinstance(result, Problem) and result.code == code and result.field == "group"
    if code == "UNKNOWN_GROUP":
        assert result.value == text


def test_custom_taxonomy_file(tmp_path: Path) -> None:
    path = tmp_path / "groups.yaml"
    path.write_text(
        "groups:\n  - code: FOOD\n    name: Thực phẩm\n    keywords: [bánh chưng]\n", encoding="utf-8"
    )
    tax = load_taxonomy(path)
    assert map_group("Bánh chưng", taxonomy=tax).code == "FOOD"
    assert isinstance(map_group("Rượu", taxonomy=tax), Problem)
