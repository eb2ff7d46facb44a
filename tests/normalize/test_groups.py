"""map_group: 148 groups, 1048 branches and free text onto the six 148 groups."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from hub.normalize.encodings import encode_legacy
from hub.normalize.fold import search_key
from hub.normalize.groups import (
    DEFAULT_TAXONOMY_PATH, GROUP_CODES, GroupMatch, group_name, infer_group, load_taxonomy, map_group,
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


def _column_texts() -> list[tuple[str, str]]:
    """Every group name, 1048 branch name and group-column keyword in the taxonomy file."""
    data = yaml.safe_load(DEFAULT_TAXONOMY_PATH.read_text(encoding="utf-8"))
    texts = [(g["name"], g["code"]) for g in data["groups"]]
    texts += [(b["name"], b["group"]) for b in data["decision_1048_branches"]]
    texts += [(k, g["code"]) for g in data["groups"] for k in g.get("keywords", ())]
    return texts


@pytest.mark.parametrize(("text", "code"), _column_texts())
def test_map_group_maps_every_listed_column_text(text: str, code: str) -> None:
    result = map_group(text)
    assert isinstance(result, GroupMatch) and result.code == code and not result.inferred


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # product-name keywords do not widen what the group COLUMN accepts
        ("Ba kích", "UNKNOWN_GROUP"),
        ("Gà đồi", "UNKNOWN_GROUP"),
        ("Farmstay", "UNKNOWN_GROUP"),
        ("Tinh dầu", HERBAL),
        ("Homestay", TOURISM),
        ("Hoa lan", ORNAMENTAL),
        ("Nước trà", BEVERAGE),
        ("Chè búp", FOOD),
    ],
)
def test_map_group_unchanged_by_name_keywords(text: str, expected: str) -> None:
    assert map_group(text).code == expected  # a GroupMatch's group, or a Problem's code


@pytest.mark.parametrize(
    ("product_name", "code"),
    [
        # food: honey, tea (148 keeps tea under Thực phẩm), coffee, sauces, grains, meat, fish, fruit
        ("Mật ong bạc hà Mèo Vạc", FOOD),
        ("Mật ong hoa nhãn Hưng Yên", FOOD),
        ("Chè Shan tuyết Phìn Hồ", FOOD),
        ("Chè búp Tân Cương", FOOD),
        ("Trà hoa vàng Ba Chẽ", FOOD),  # tea, not "hoa" flowers
        ("Trà túi lọc cà gai leo", FOOD),  # a tea first: the head word decides
        ("Cà phê Arabica Cầu Đất", FOOD),
        ("Nước mắm Cái Rồng", FOOD),  # a sauce, not a drink
        ("Nước mắm Phú Quốc", FOOD),
        ("Mắm tôm Ba Làng", FOOD),
        ("Tương bần Hưng Yên", FOOD),
        ("Miến dong Bình Liêu", FOOD),
        ("Bột sắn dây Kinh Môn", FOOD),  # "bột" says only the form
        ("Gạo ST25 Sóc Trăng", FOOD),
        ("Gạo nếp cái hoa vàng", FOOD),
        ("Bánh gai Tứ Trụ", FOOD),
        ("Bánh đa Kế", FOOD),
        ("Kẹo dừa Bến Tre", FOOD),
        ("Mứt gừng Huế", FOOD),
        ("Ô mai Hàng Đường", FOOD),
        ("Giò chả Ước Lễ", FOOD),
        ("Nem chua Thanh Hóa", FOOD),
        ("Chả mực Hạ Long", FOOD),
        ("Sá sùng khô Vân Đồn", FOOD),
        ("Gà đồi Tiên Yên", FOOD),
        ("Thịt trâu gác bếp Điện Biên", FOOD),
        ("Lạp xưởng Cần Đước", FOOD),
        ("Cá kho làng Vũ Đại", FOOD),
        ("Tỏi Lý Sơn", FOOD),
        ("Hồ Tiêu Phú Quốc", FOOD),
        ("Vải thiều Thanh Hà", FOOD),
        ("Bưởi Diễn", FOOD),
        ("Cam Cao Phong", FOOD),
        ("Nhãn lồng Hưng Yên", FOOD),
        ("Nấm hương rừng Bắc Kạn", FOOD),
        ("Hoa quả sấy Mộc Châu", FOOD),  # "hoa quả" is fruit, not "hoa" flowers
        ("Dầu lạc Đông Triều", FOOD),
        ("Yến sào Khánh Hòa", FOOD),
        ("MẬT ONG BẠC HÀ", FOOD),
        ("mat ong bac ha", FOOD),
        # drinks
        ("Rượu mơ Yên Tử", BEVERAGE),
        ("Rượu ngâm ba kích", BEVERAGE),  # a liquor, whatever is soaked in it
        ("Rượu ngô Bản Phố", BEVERAGE),
        ("Rượu vang sim Phú Quốc", BEVERAGE),
        ("Nước ép chanh leo", BEVERAGE),
        ("Nước yến sào", BEVERAGE),
        ("Trà sữa Thái Xanh", BEVERAGE),  # a ready drink
        ("Bia thủ công Hạ Long", BEVERAGE),
        # herbal
        ("Tinh dầu quế", HERBAL),
        ("Tinh dầu sả chanh", HERBAL),
        ("Ba kích tím Quảng Ninh", HERBAL),
        ("Cao dược liệu Tuệ Linh", HERBAL),
        ("Cao atiso Đà Lạt", HERBAL),
        ("Trà thảo dược Sơn Tra", HERBAL),  # a tea that says it is herbal
        ("Nấm linh chi đỏ", HERBAL),  # longer than "nấm"
        ("Sâm Ngọc Linh", HERBAL),
        ("Đông trùng hạ thảo", HERBAL),
        ("Dầu gió Thiên Thảo", HERBAL),
        ("Xà phòng thảo dược", HERBAL),
        ("Bột cà gai leo", HERBAL),
        # handicraft
        ("Khăn thổ cẩm Pà Thẻn", HANDICRAFT),
        ("Thổ cẩm Mai Châu", HANDICRAFT),
        ("Mây tre đan Phú Vinh", HANDICRAFT),
        ("Gốm Bát Tràng", HANDICRAFT),
        ("Chiếu cói Kim Sơn", HANDICRAFT),
        ("Tranh Đông Hồ", HANDICRAFT),
        ("Đồ gỗ mỹ nghệ Đồng Kỵ", HANDICRAFT),
        ("Nón lá Chuông", HANDICRAFT),
        ("Đũa tre Cao Bằng", HANDICRAFT),
        # ornamental
        ("Hoa lan hồ điệp", ORNAMENTAL),
        ("Lan rừng Tây Bắc", ORNAMENTAL),
        ("Bonsai Vĩnh Phúc", ORNAMENTAL),
        ("Cây cảnh Văn Giang", ORNAMENTAL),
        ("Cá cảnh Hải Phòng", ORNAMENTAL),  # longer than "cá"
        ("Hoa đào Nhật Tân", ORNAMENTAL),
        # tourism
        ("Homestay Lô Lô Chải", TOURISM),
        ("Farmstay Tam Đảo", TOURISM),
        ("Điểm du lịch cộng đồng Nà Kéo", TOURISM),
        ("Khu du lịch sinh thái Yên Tử", TOURISM),
        ("Tour trải nghiệm làm bánh chưng", TOURISM),
    ],
)
def test_infer_group(product_name: str, code: str) -> None:
    result = infer_group(product_name)
    assert result == GroupMatch(code, group_name(code), None, inferred=True)


@pytest.mark.parametrize(
    "product_name",
    [
        "Cao Bằng",  # "cao" alone is ambiguous
        "Dầu dừa",  # "dầu" alone is ambiguous
        "Vải Thanh Hà",  # cloth or lychee
        "Tinh bột nghệ",  # a spice or a herbal product
        "Hộp quà Tết",  # only a form
        "Đặc sản Tây Bắc",
        "Xe máy",
        "",
        None,
    ],
)
def test_infer_group_undecided(product_name: str | None) -> None:
    assert infer_group(product_name) is None


def test_infer_group_repairs_legacy_text() -> None:
    mojibake = encode_legacy("Mật ong bạc hà Mèo Vạc", "tcvn3").decode("cp1252")
    assert infer_group(mojibake) == GroupMatch(FOOD, group_name(FOOD), None, inferred=True)


def test_infer_group_tie_between_groups(tmp_path: Path) -> None:
    path = tmp_path / "groups.yaml"
    path.write_text(
        "groups:\n"
        "  - code: FOOD\n    name: Thực phẩm\n    name_keywords: [nghệ, mật ong]\n"
        "  - code: HERBAL\n    name: Dược liệu\n    name_keywords: [nghệ]\n"
        "ambiguous_name_keywords: [cao]\n",
        encoding="utf-8",
    )
    tax = load_taxonomy(path)
    assert infer_group("Nghệ mật ong", taxonomy=tax) is None  # the deciding phrase is in two groups
    assert infer_group("Cao mật ong", taxonomy=tax) is None  # the deciding phrase is ambiguous
    assert infer_group("Mật ong nghệ", taxonomy=tax) == GroupMatch("FOOD", "Thực phẩm", None, inferred=True)


def test_no_name_keyword_is_listed_twice() -> None:
    """A phrase under two groups is a tie by design only when meant: keep the file free of them."""
    tax = load_taxonomy()
    data = yaml.safe_load(DEFAULT_TAXONOMY_PATH.read_text(encoding="utf-8"))
    assert [k for k, codes in tax.name_phrases.items() if len(codes) > 1] == []
    ambiguous = {k for k, codes in tax.name_phrases.items() if not codes}
    assert ambiguous == {search_key(k) for k in data["ambiguous_name_keywords"]}
