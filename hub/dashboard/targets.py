"""The programme's national targets (hub/dashboard/targets.yaml) set against the figures at the
page's date: each target names its source and quotes it, and the figure beside it is the count of
products of its star levels at that date, from the same ``stats(asOf:)`` answer as the year-end
series' last point (hub.dashboard.year_end), so the two cards cannot disagree.

The count set against a target is the products certified by that date and not withdrawn (in force
or not: Decision 919 counts products "được công nhận", recognised); those still in force are shown
beside it.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional

import yaml

from hub.dashboard.format import stars_label, vn_number, vn_percent
from hub.dashboard.html import e, table
from hub.dashboard.year_end import Point, YearEnd

TARGETS_FILE = Path(__file__).with_name("targets.yaml")


class BadTargets(ValueError):
    """targets.yaml says something the page cannot show honestly (a target without a source…)."""


@dataclass(frozen=True)
class Target:
    id: str
    label: str
    stars: tuple[int, ...]
    year: int
    document: str
    says: str
    confirmed_from: tuple[str, ...]
    at_least: Optional[int] = None
    about: Optional[tuple[int, int]] = None

    @property
    def value(self) -> str:
        """The target as the page writes it: "≥ 10.000", "khoảng 400–500"."""
        if self.about is not None:
            return f"khoảng {vn_number(self.about[0])}–{vn_number(self.about[1])}"
        return f"ít nhất {vn_number(self.at_least)}"

    def standing(self, n: int) -> str:
        """How ``n`` stands against the target, in words."""
        if self.about is not None:
            low, high = self.about
            return ("Trong khoảng mục tiêu" if low <= n <= high else
                    f"Vượt mục tiêu ({vn_number(n - high)} trên mức cao)" if n > high else
                    f"Chưa đạt: còn thiếu {vn_number(low - n)} so với mức thấp ({vn_percent(n, low)})")
        assert self.at_least is not None
        return ("Đã đạt" + (f" ({vn_percent(n, self.at_least)})" if n > self.at_least else "") if n >= self.at_least
                else f"Đạt {vn_percent(n, self.at_least)}; còn thiếu {vn_number(self.at_least - n)}")


def _target(entry: dict[str, Any]) -> Target:
    name = entry.get("id") or "?"
    source = entry.get("source") or {}
    missing = [f for f in ("id", "label", "stars", "year") if not entry.get(f)] + \
              [f"source.{f}" for f in ("document", "says", "confirmed_from") if not source.get(f)]
    if missing:
        raise BadTargets(f"target {name}: missing {', '.join(missing)}")
    if ("at_least" in entry) == ("about" in entry):
        raise BadTargets(f"target {name}: give either at_least or about [low, high]")
    about = entry.get("about")
    if about is not None and (len(about) != 2 or not all(isinstance(v, int) for v in about) or about[0] > about[1]):
        raise BadTargets(f"target {name}: about must be [low, high], two whole numbers")
    if "at_least" in entry and not isinstance(entry["at_least"], int):
        raise BadTargets(f"target {name}: at_least must be a whole number")
    return Target(id=str(entry["id"]), label=str(entry["label"]), stars=tuple(int(s) for s in entry["stars"]),
                  year=int(entry["year"]), document=str(source["document"]), says=str(source["says"]),
                  confirmed_from=tuple(str(u) for u in source["confirmed_from"]), at_least=entry.get("at_least"),
                  about=(about[0], about[1]) if about is not None else None)


def load_targets(path: Path = TARGETS_FILE) -> list[Target]:
    """Every target of ``path``; BadTargets names the first entry that lacks something."""
    entries = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("targets") or []
    targets = [_target(entry) for entry in entries]
    ids = [t.id for t in targets]
    if len(ids) != len(set(ids)):
        raise BadTargets("targets.yaml: an id is used twice")
    return targets


@lru_cache(maxsize=1)
def targets() -> tuple[Target, ...]:
    return tuple(load_targets())


def targets_section(series: YearEnd) -> str:
    """The card: each target, its year and value, the figures at the page's date, how they stand,
    and its source quoted."""
    at: Point = series.points[-1]
    day = at.day.strftime("%d/%m/%Y")
    rows = [(e(t.label) + f' <span class="muted">({e(", ".join(stars_label(s) for s in t.stars))})</span>',
             e(t.year), e(t.value), vn_number(at.certified_with(t.stars)), vn_number(at.in_force_with(t.stars)),
             e(t.standing(at.certified_with(t.stars))),
             f'{e(t.document)}: <q>{e(t.says)}</q>') for t in targets()]
    headers = ["Mục tiêu", "Năm", "Chỉ tiêu", f"Đã công nhận tại {day}", f"Còn hiệu lực tại {day}",
               "So với mục tiêu", "Nguồn"]
    title = "Mục tiêu của Chương trình so với số liệu"
    return (f'<section class="card wide" id="muc-tieu" aria-labelledby="muc-tieu-h"><h2 id="muc-tieu-h">{e(title)}</h2>'
            f'<p class="muted">Đã công nhận: sản phẩm được công nhận đến ngày đó, còn hay đã hết hiệu lực (không tính '
            f'sản phẩm đã rút khỏi danh sách), như Quyết định đếm “sản phẩm OCOP được công nhận”. Mục tiêu lấy từ '
            f'tệp hub/dashboard/targets.yaml, mỗi mục tiêu ghi nguồn.</p>'
            f'<div class="scroll">{table(title, headers, rows, (1, 3, 4), tid="bang-muc-tieu", raw=True)}</div>'
            f'<p class="links"><a href="{e(series.figure.graphiql_url())}">Xem truy vấn</a></p></section>')
