"""parse_stars: ratings as registries write them, and the 100-point score."""
from __future__ import annotations

import pytest

from hub.normalize.problem import Problem
from hub.normalize.stars import StarRating, parse_stars, stars_from_score


@pytest.mark.parametrize(
    ("value", "score", "expected"),
    [
        ("3 sao", None, StarRating(3, False, None)),
        ("3*", None, StarRating(3, False, None)),
        ("3 *", None, StarRating(3, False, None)),
        ("4 SAO", None, StarRating(4, False, None)),
        ("★★★", None, StarRating(3, False, None)),
        ("★★★★", None, StarRating(4, False, None)),
        ("★★★★★", None, StarRating(5, False, None)),
        ("★★★☆☆", None, StarRating(3, False, None)),
        ("***", None, StarRating(3, False, None)),
        ("Ba sao", None, StarRating(3, False, None)),
        ("ba sao", None, StarRating(3, False, None)),
        ("bốn sao", None, StarRating(4, False, None)),
        ("Bon sao", None, StarRating(4, False, None)),
        ("năm sao", None, StarRating(5, False, None)),
        ("NĂM SAO", None, StarRating(5, False, None)),
        ("nam sao", None, StarRating(5, False, None)),
        ("3", None, StarRating(3, False, None)),
        ("3.0", None, StarRating(3, False, None)),
        ("4,0", None, StarRating(4, False, None)),
        (" 5 ", None, StarRating(5, False, None)),
        ("Hạng 4 sao", None, StarRating(4, False, None)),
        ("3 sao OCOP", None, StarRating(3, False, None)),
        ("4 sao (tiềm năng 5 sao)", None, StarRating(4, True, None)),
        ("4 sao - tiềm năng 5 sao", None, StarRating(4, True, None)),
        ("Tiềm năng 5 sao", None, StarRating(4, True, None)),
        ("tiem nang 5 sao", None, StarRating(4, True, None)),
        ("Tiềm năng 5*", None, StarRating(4, True, None)),
        ("Tiềm năng 5 sao", "93", StarRating(4, True, 93)),  # provincial score in the 5★ band
        ("Tiềm năng 5 sao", "85", StarRating(4, True, 85)),
        (None, "72", StarRating(4, False, 72)),
        ("", "50", StarRating(3, False, 50)),
        (None, "69.5", StarRating(3, False, 69)),
        (None, "90", StarRating(5, False, 90)),
        (None, "100", StarRating(5, False, 100)),
        ("4 sao", "72", StarRating(4, False, 72)),
        ("3", "55,5", StarRating(3, False, 55)),
    ],
)
def test_parse_stars(value: str | None, score: str | None, expected: StarRating) -> None:
    assert parse_stars(value, score) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # what a section row or a stars cell says around the rating
        ("Sản phẩm đạt 4 sao", StarRating(4, False, None)),
        ("SẢN PHẨM 3 SAO", StarRating(3, False, None)),
        ("Đạt 3 sao", StarRating(3, False, None)),
        ("Đạt 3*", StarRating(3, False, None)),
        ("Hạng 4 sao", StarRating(4, False, None)),
        ("Xếp hạng: 4 sao", StarRating(4, False, None)),
        ("Số sao: 4", StarRating(4, False, None)),
        ("I. SẢN PHẨM 4 SAO", StarRating(4, False, None)),
        ("II. Sản phẩm đạt 3 sao", StarRating(3, False, None)),
        ("B. Sản phẩm 3 sao", StarRating(3, False, None)),
        ("1. Sản phẩm 3 sao", StarRating(3, False, None)),
        ("Nhóm sản phẩm 4 sao", StarRating(4, False, None)),
        ("Sản phẩm OCOP 5 sao", StarRating(5, False, None)),
        ("SP OCOP 3 sao năm 2024", StarRating(3, False, None)),
        ("Sản phẩm được công nhận 3 sao", StarRating(3, False, None)),
        ("Danh sách sản phẩm đạt 4 sao", StarRating(4, False, None)),
        ("Sản phẩm ba sao", StarRating(3, False, None)),
        ("4 sao (tiềm năng 5 sao)", StarRating(4, True, None)),
        ("III. SẢN PHẨM 4 SAO (TIỀM NĂNG 5 SAO)", StarRating(4, True, None)),
        ("Sản phẩm tiềm năng 5 sao", StarRating(4, True, None)),
        ("3*", StarRating(3, False, None)),
    ],
)
def test_parse_section_and_cell_texts(value: str, expected: StarRating) -> None:
    assert parse_stars(value) == expected


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("Sản phẩm", "BAD_STARS"),
        ("Đạt", "BAD_STARS"),
        ("Sản phẩm 3,5 sao", "BAD_STARS"),
        ("Sản phẩm 6 sao", "BAD_STARS"),
        ("Sản phẩm 2 sao", "BELOW_CERTIFICATION"),
        ("II. Sản phẩm tiềm năng 3 sao", "BAD_STARS"),
    ],
)
def test_parse_section_texts_problems(value: str, code: str) -> None:
    result = parse_stars(value)
    assert isinstance(result, Problem) and result.code == code


@pytest.mark.parametrize(
    ("value", "score", "code", "field"),
    [
        ("1 sao", None, "BELOW_CERTIFICATION", "stars"),
        ("2 sao", None, "BELOW_CERTIFICATION", "stars"),
        ("hai sao", None, "BELOW_CERTIFICATION", "stars"),
        (None, "45", "BELOW_CERTIFICATION", "stars"),
        (None, "12", "BELOW_CERTIFICATION", "stars"),
        ("0", None, "BAD_STARS", "stars"),
        ("6", None, "BAD_STARS", "stars"),
        ("6 sao", None, "BAD_STARS", "stars"),
        ("-3", None, "BAD_STARS", "stars"),
        ("3.5", None, "BAD_STARS", "stars"),
        ("abc", None, "BAD_STARS", "stars"),
        ("sao", None, "BAD_STARS", "stars"),
        ("******", None, "BAD_STARS", "stars"),
        ("Tiềm năng 3 sao", None, "BAD_STARS", "stars"),
        (None, None, "BAD_STARS", "stars"),
        ("", "", "BAD_STARS", "stars"),
        (None, "101", "BAD_SCORE", "score"),
        (None, "-1", "BAD_SCORE", "score"),
        ("4 sao", "abc", "BAD_SCORE", "score"),
        (None, "nan", "BAD_SCORE", "score"),
        ("4 sao", "95", "STARS_SCORE_MISMATCH", "stars"),
        ("5 sao", "72", "STARS_SCORE_MISMATCH", "stars"),
        ("3 sao", "45", "STARS_SCORE_MISMATCH", "stars"),
        ("Tiềm năng 5 sao", "60", "STARS_SCORE_MISMATCH", "stars"),
    ],
)
def test_parse_stars_problems(value: str | None, score: str | None, code: str, field: str) -> None:
    result = parse_stars(value, score)
    assert isinstance(result, Problem)
    assert (result.code, result.field) == (code, field)


@pytest.mark.parametrize(
    ("score", "stars"),
    [(0, 1), (29, 1), (30, 2), (49, 2), (50, 3), (69, 3), (70, 4), (89, 4), (90, 5), (100, 5)],
)
def test_stars_from_score_thresholds(score: int, stars: int) -> None:
    assert stars_from_score(score) == stars
