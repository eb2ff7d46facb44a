"""Small server-rendered SVG charts: horizontal bars, yearly columns (plain or stacked) and the
34-province tile map.

Pure functions from numbers to SVG text: no chart library, no JavaScript, nothing fetched from
elsewhere, so a chart is in the page the moment the HTML is, prints as vectors, and costs a few
kilobytes. Every mark carries its number as text next to it: colour is never the only carrier of
meaning (each chart also has a table view, hub.dashboard.html.figure). Text is escaped here.
"""
from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Optional, Sequence

from hub.dashboard.format import vn_number
from hub.dashboard.tilemap import TILE_GRID

INK = "#1a1a1a"
MUTED = "#4d4d4d"          # 8.5:1 on white
BAR = "#1f5f99"            # 6.6:1 on white: also a text colour where a bar is too short for a label
GRID = "#d0d0d0"
FONT = "system-ui, 'Segoe UI', Roboto, 'Noto Sans', Arial, sans-serif"

SCALE: tuple[tuple[str, str], ...] = (
    ("#eef4fa", INK), ("#c6dbef", INK), ("#85b5dd", INK), ("#3a78b5", "#ffffff"), ("#174a7e", "#ffffff"))
"""Sequential blues, light to dark, each with the text colour that reads on it (WCAG AA, tested)."""
EMPTY = ("#f5f5f5", MUTED)
"""A province with no products: grey, and the tile says 0."""


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    href: Optional[str] = None


@dataclass(frozen=True)
class Tile:
    code: str
    name: str
    value: int
    href: Optional[str] = None


def _svg(width: int, height: int, title: str, body: str, role: str = "img") -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
            f'height="{height}" role="{role}" aria-label="{escape(title)}" class="chart" '
            f'font-family="{escape(FONT)}" font-size="12"><title>{escape(title)}</title>{body}</svg>')


def _link(href: Optional[str], label: str, inner: str) -> str:
    if not href:
        return inner
    return f'<a href="{escape(href)}" aria-label="{escape(label)}">{inner}</a>'


def bar_chart(bars: Sequence[Bar], title: str, width: int = 600, label_width: int = 230) -> str:
    """One horizontal bar per row, longest scale to the largest value, the number written after
    the bar; a bar with an ``href`` links there (a province to its page)."""
    row, pad = 22, 6
    height = max(1, len(bars)) * row + 2 * pad
    top = max((b.value for b in bars), default=0) or 1
    room = width - label_width - 70  # space for the number after the longest bar
    parts = []
    for i, b in enumerate(bars):
        y = pad + i * row
        length = round(room * b.value / top) if b.value else 0
        number = vn_number(b.value)
        mark = (f'<text x="{label_width - 8}" y="{y + 15}" text-anchor="end" fill="{INK}">{escape(_clip(b.label, 34))}</text>'
                f'<rect x="{label_width}" y="{y + 3}" width="{max(length, 1)}" height="{row - 6}" fill="{BAR}"/>'
                f'<text x="{label_width + length + 6}" y="{y + 15}" fill="{INK}" font-weight="600">{number}</text>')
        parts.append(_link(b.href, f"{b.label}: {number}", mark))
    if not bars:
        parts.append(f'<text x="{width / 2}" y="{pad + 15}" text-anchor="middle" fill="{MUTED}">Chưa có dữ liệu</text>')
    # an image to assistive technology, unless its bars are links: then a group, so they stay reachable
    return _svg(width, height, title, "".join(parts), role="group" if any(b.href for b in bars) else "img")


def column_chart(points: Sequence[tuple[str, int]], title: str, width: int = 560, height: int = 220) -> str:
    """Columns over time (certifications per year), each with its number above it."""
    left, bottom, top_pad = 10, 28, 22
    plot_h = height - bottom - top_pad
    n = max(1, len(points))
    slot = (width - 2 * left) / n
    top = max((v for _, v in points), default=0) or 1
    parts = [f'<line x1="{left}" y1="{height - bottom}" x2="{width - left}" y2="{height - bottom}" stroke="{GRID}"/>']
    for i, (label, value) in enumerate(points):
        h = round(plot_h * value / top)
        x = left + i * slot
        cx = x + slot / 2
        y = height - bottom - h
        parts.append(f'<rect x="{x + slot * 0.2:.1f}" y="{y}" width="{slot * 0.6:.1f}" height="{max(h, 1)}" fill="{BAR}"/>'
                     + _column_texts(cx, y, value, label, height - bottom))
    if not points:
        parts.append(_no_data(width, height))
    return _svg(width, height, title, "".join(parts))


def _column_texts(cx: float, top: float, value: int, label: str, base: float) -> str:
    """A column's number above it and its label under the axis."""
    return (f'<text x="{cx:.1f}" y="{top - 5:.1f}" text-anchor="middle" fill="{INK}" font-weight="600">{vn_number(value)}</text>'
            f'<text x="{cx:.1f}" y="{base + 17:.1f}" text-anchor="middle" fill="{MUTED}">{escape(label)}</text>')


def _no_data(width: int, height: int) -> str:
    return f'<text x="{width / 2}" y="{height / 2}" text-anchor="middle" fill="{MUTED}">Chưa có dữ liệu</text>'


STACK: tuple[tuple[str, str], ...] = SCALE[1:]
"""The colours of a stacked column's parts, bottom up (with the text colour that reads on each)."""


def stacked_column_chart(points: Sequence[tuple[str, Sequence[int]]], series: Sequence[str], title: str,
                         height: int = 240) -> str:
    """Columns over time, each stacked from its parts (``series``, bottom up: 3, 4, 5 sao), the
    column's total above it and each part's number inside it where it fits; a legend names the
    parts in the order they stack (the table view has every number)."""
    left, bottom, legend_h = 10, 28, 24
    width = max(560, 2 * left + 76 * len(points))
    plot_h = height - bottom - legend_h - 20
    slot = (width - 2 * left) / max(1, len(points))
    top = max((sum(parts) for _, parts in points), default=0) or 1
    parts_svg = []
    for i, name in enumerate(series):
        fill = STACK[i % len(STACK)][0]
        x = left + 110 * i
        parts_svg.append(f'<rect x="{x}" y="4" width="14" height="14" fill="{fill}" stroke="#8a8a8a" stroke-width="0.5"/>'
                         f'<text x="{x + 20}" y="15" fill="{INK}">{escape(name)}</text>')
    base_y = height - bottom
    parts_svg.append(f'<line x1="{left}" y1="{base_y}" x2="{width - left}" y2="{base_y}" stroke="{GRID}"/>')
    for i, (label, parts) in enumerate(points):
        x = left + i * slot + slot * 0.2
        cx = left + i * slot + slot / 2
        y = base_y
        for j, value in enumerate(parts):
            h = plot_h * value / top
            if value <= 0:
                continue
            fill, text = STACK[j % len(STACK)]
            y -= h
            parts_svg.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.6:.1f}" height="{h:.1f}" fill="{fill}" '
                             f'stroke="#ffffff" stroke-width="0.5"/>')
            if h >= 14:
                parts_svg.append(f'<text x="{cx:.1f}" y="{y + h / 2 + 4:.1f}" text-anchor="middle" fill="{text}" '
                                 f'font-size="11">{vn_number(value)}</text>')
        parts_svg.append(_column_texts(cx, y, sum(parts), label, base_y))
    if not points:
        parts_svg.append(_no_data(width, height))
    return _svg(width, height, title, "".join(parts_svg))


def scale_breaks(values: Sequence[int], classes: int = len(SCALE)) -> list[int]:
    """Upper bounds of ``classes`` equal steps from 1 to the largest value (0 is its own class):
    readable bounds a legend can state, the same on every page load for the same data."""
    top = max(values, default=0)
    if top <= 0:
        return []
    step = max(1, -(-top // classes))
    return [min(top, step * (i + 1)) for i in range(classes)]


def shade(value: int, breaks: Sequence[int]) -> tuple[str, str]:
    """(fill, text colour) for ``value`` on the scale of ``breaks``."""
    if value <= 0 or not breaks:
        return EMPTY
    for i, bound in enumerate(breaks):
        if value <= bound:
            return SCALE[i]
    return SCALE[-1]


def legend_items(breaks: Sequence[int]) -> list[tuple[str, str]]:
    """(colour, "1–90") per class, plus the empty class: the map's legend, in words and numbers."""
    items = [(EMPTY[0], "0")]
    low = 1
    for i, bound in enumerate(breaks):
        if bound >= low:
            items.append((SCALE[i][0], f"{vn_number(low)}–{vn_number(bound)}" if bound > low else vn_number(low)))
        low = bound + 1
    return items


def tile_map(tiles: Sequence[Tile], title: str, tile_w: int = 92, tile_h: int = 44, gap: int = 4) -> str:
    """The 34 provinces as equal tiles placed roughly where they lie (hub.dashboard.tilemap), each
    shaded by its count and showing its name and count; a tile with an ``href`` is a link, so the
    map is navigable with the keyboard. A legend under the map states every class in numbers."""
    by_code = {t.code: t for t in tiles}
    breaks = scale_breaks([t.value for t in tiles])
    cols = max(c for c, _ in TILE_GRID.values()) + 1
    rows = max(r for _, r in TILE_GRID.values()) + 1
    width = cols * (tile_w + gap)
    legend = legend_items(breaks)
    height = rows * (tile_h + gap) + 24 + 20 * len(legend)
    parts = []
    for code, (c, r) in TILE_GRID.items():
        t = by_code.get(code) or Tile(code, code, 0)
        fill, text = shade(t.value, breaks)
        x, y = c * (tile_w + gap), r * (tile_h + gap)
        mark = (f'<rect x="{x}" y="{y}" width="{tile_w}" height="{tile_h}" rx="3" fill="{fill}" stroke="#8a8a8a" '
                f'stroke-width="0.5"/><text x="{x + tile_w / 2}" y="{y + 17}" text-anchor="middle" fill="{text}" '
                f'font-size="11">{escape(_clip(t.name, 14))}</text><text x="{x + tile_w / 2}" y="{y + 35}" '
                f'text-anchor="middle" fill="{text}" font-weight="700" font-size="13">{vn_number(t.value)}</text>')
        parts.append(_link(t.href, f"{t.name}: {vn_number(t.value)} sản phẩm", mark))
    y0 = rows * (tile_h + gap) + 10
    parts.append(f'<text x="0" y="{y0 + 4}" fill="{INK}" font-weight="600">Số sản phẩm</text>')
    for i, (colour, words) in enumerate(legend):
        y = y0 + 12 + 20 * i
        parts.append(f'<rect x="0" y="{y}" width="16" height="14" fill="{colour}" stroke="#8a8a8a" stroke-width="0.5"/>'
                     f'<text x="22" y="{y + 11}" fill="{INK}">{escape(words)}</text>')
    return _svg(width, height, title, "".join(parts), role="group")


def _clip(text: str, limit: int) -> str:
    """Long names keep their start and an ellipsis (the table view has them whole)."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
