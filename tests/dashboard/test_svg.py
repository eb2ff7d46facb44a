"""The SVG chart builders: marks proportional to values, numbers written next to them, text
escaped, a colour scale whose every class has a readable text colour (WCAG AA) and a legend."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from hub.dashboard.svg import (BAR, EMPTY, INK, MUTED, SCALE, Bar, Tile, bar_chart, column_chart, legend_items,
                               scale_breaks, shade, stacked_column_chart, tile_map)
from hub.dashboard.format import vn_number
from hub.dashboard.tilemap import TILE_GRID

NS = {"s": "http://www.w3.org/2000/svg"}


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # well-formed XML, or this raises


def texts(root: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]


def test_bar_chart_lengths_are_proportional_and_numbers_are_written() -> None:
    root = parse(bar_chart([Bar("Quảng Ninh", 449, "/province/22"), Bar("Vĩnh Long", 80)], "Theo tỉnh"))
    widths = [float(r.get("width")) for r in root.iter("{http://www.w3.org/2000/svg}rect")]
    assert widths[0] / widths[1] == pytest.approx(449 / 80, rel=0.02)
    assert {"Quảng Ninh", "449", "Vĩnh Long", "80"} <= set(texts(root))
    links = root.findall(".//s:a", NS)
    assert [a.get("href") for a in links] == ["/province/22"] and links[0].get("aria-label") == "Quảng Ninh: 449"
    assert root.get("role") == "group" and root.find("s:title", NS).text == "Theo tỉnh"  # its links stay reachable
    assert parse(bar_chart([Bar("3 sao", 5)], "Theo sao")).get("role") == "img"


def test_bar_chart_formats_thousands_and_escapes_labels() -> None:
    svg = bar_chart([Bar("<script>alert(1)</script>", 18243)], 'Tiêu đề "x" & <y>')
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    root = parse(svg)
    assert "18.243" in texts(root)
    assert root.find("s:title", NS).text == 'Tiêu đề "x" & <y>'


def test_empty_charts_say_so() -> None:
    assert "Chưa có dữ liệu" in texts(parse(bar_chart([], "Trống")))
    assert "Chưa có dữ liệu" in texts(parse(column_chart([], "Trống")))


def test_column_chart_heights_and_labels() -> None:
    root = parse(column_chart([("2019", 93), ("2020", 186)], "Theo năm"))
    heights = [float(r.get("height")) for r in root.iter("{http://www.w3.org/2000/svg}rect")]
    assert heights[1] == pytest.approx(2 * heights[0], rel=0.02)
    assert ["93", "2019", "186", "2020"] == texts(root)


@pytest.mark.parametrize(("values", "breaks"), [
    ([0, 0], []),
    ([449, 80, 0], [90, 180, 270, 360, 449]),
    ([3], [1, 2, 3, 3, 3]),
])
def test_scale_breaks(values: list[int], breaks: list[int]) -> None:
    assert scale_breaks(values) == breaks


def test_shade_and_legend_agree() -> None:
    breaks = scale_breaks([449, 80, 0])
    assert shade(0, breaks) == EMPTY and shade(449, breaks) == SCALE[-1] and shade(80, breaks) == SCALE[0]
    assert legend_items(breaks) == [(EMPTY[0], "0"), (SCALE[0][0], "1–90"), (SCALE[1][0], "91–180"),
                                    (SCALE[2][0], "181–270"), (SCALE[3][0], "271–360"), (SCALE[4][0], "361–449")]
    assert [words for _, words in legend_items([1, 2, 3, 3, 3])] == ["0", "1", "2", "3"]


def _luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.parametrize(("fill", "text"), [*SCALE, EMPTY, ("#ffffff", INK), ("#ffffff", MUTED), ("#ffffff", BAR)])
def test_text_contrast_passes_wcag_aa(fill: str, text: str) -> None:
    assert contrast(fill, text) >= 4.5, (fill, text, contrast(fill, text))


def test_tile_map_places_every_province_once_with_its_number() -> None:
    assert len(TILE_GRID) == 34 and len(set(TILE_GRID.values())) == 34
    tiles = [Tile(code, f"Tỉnh {code}", 100 * i, f"/province/{code}") for i, code in enumerate(TILE_GRID)]
    root = parse(tile_map(tiles, "Bản đồ"))
    links = root.findall(".//s:a", NS)
    assert sorted(a.get("href") for a in links) == sorted(f"/province/{c}" for c in TILE_GRID)
    # every tile says its count in words (and in its text), not only by its colour
    assert {a.get("aria-label") for a in links} == {f"Tỉnh {t.code}: {vn_number(t.value)} sản phẩm" for t in tiles}
    assert "3.300" in texts(root)
    assert "Số sản phẩm" in texts(root)  # the legend


def test_tile_map_without_data_shows_zeros() -> None:
    root = parse(tile_map([], "Bản đồ"))
    assert texts(root).count("0") >= 34
    assert not re.search(r"NaN|None", ET.tostring(root, encoding="unicode"))


def test_stacked_columns_stack_their_parts_and_write_the_totals() -> None:
    """Parts bottom up in the legend's order, heights proportional across columns, each column's
    total above it, a part's number inside it where it fits, and no mark for a part of 0."""
    root = parse(stacked_column_chart([("2023", [200, 100, 4]), ("31/12/2024", [150, 0, 1])],
                                      ["3 sao", "4 sao", "5 sao"], "Cuối năm <b>"))
    rects = [(float(r.get("y")), float(r.get("height")), r.get("fill")) for r in root.iter("{http://www.w3.org/2000/svg}rect")]
    legend, marks = rects[:3], rects[3:]
    assert [fill for _, _, fill in legend] == [SCALE[1][0], SCALE[2][0], SCALE[3][0]]
    assert len(marks) == 5  # the 0 of 4 sao in the second column draws nothing
    (y3, h3, _), (y4, h4, _), (y5, h5, _) = marks[:3]
    assert y4 + h4 == pytest.approx(y3, abs=0.2) and y5 + h5 == pytest.approx(y4, abs=0.2)  # stacked bottom up
    assert h3 / h4 == pytest.approx(2, rel=0.01) and h3 / marks[3][1] == pytest.approx(200 / 150, rel=0.01)
    words = texts(root)
    assert {"3 sao", "4 sao", "5 sao", "304", "151", "200", "100", "150", "2023", "31/12/2024"} <= set(words)
    assert "4" not in words  # 4 px: too short for its number (the table view has it)
    assert root.get("aria-label") == "Cuối năm <b>"
