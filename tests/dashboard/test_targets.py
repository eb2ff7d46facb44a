"""The programme's targets file (hub/dashboard/targets.yaml): it loads, every target names and
quotes its source, the values are the ones the source's words state, and a file that leaves a
source out is refused with the target's name."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from hub.dashboard.targets import BadTargets, load_targets


def test_every_target_names_its_source_and_states_its_value() -> None:
    targets = load_targets()
    assert [t.id for t in targets] == ["products-3-stars-2025", "products-5-stars-2025"]
    for t in targets:
        assert "919/QĐ-TTg" in t.document and "01/08/2022" in t.document, t.id
        assert t.says and t.confirmed_from and all(u.startswith("https://") for u in t.confirmed_from), t.id
        assert t.year == 2025 and set(t.stars) <= {1, 2, 3, 4, 5}
        # the value written in the file is the one the quoted words state (star levels aside)
        stated = [int(n.replace(".", "")) for n in re.findall(r"\d+(?:\.\d{3})*(?! sao)", t.says)]
        assert (list(t.about) if t.about else [t.at_least]) == stated, (t.id, t.says)
    three, five = targets
    assert three.stars == (3, 4, 5) and three.at_least == 10_000 and three.value == "ít nhất 10.000"
    assert five.stars == (5,) and five.about == (400, 500) and five.value == "khoảng 400–500"


def test_standing_in_words() -> None:
    three, five = load_targets()
    assert three.standing(628) == "Đạt 6,3 %; còn thiếu 9.372"
    assert three.standing(10_000) == "Đã đạt"
    assert five.standing(450) == "Trong khoảng mục tiêu"
    assert five.standing(4).startswith("Chưa đạt: còn thiếu 396")
    assert five.standing(520) == "Vượt mục tiêu (20 trên mức cao)"


@pytest.mark.parametrize("entry, words", [
    ("{id: a, label: A, stars: [3], at_least: 5, year: 2025}", "missing source.document, source.says, source.confirmed_from"),
    ("{id: a, label: A, stars: [3], year: 2025, source: {document: D, says: S, confirmed_from: [u]}}",
     "either at_least or about"),
    ("{id: a, label: A, stars: [3], about: [500, 400], year: 2025, source: {document: D, says: S, confirmed_from: [u]}}",
     "about must be [low, high]"),
])
def test_a_target_without_what_it_needs_is_refused(tmp_path: Path, entry: str, words: str) -> None:
    path = tmp_path / "targets.yaml"
    path.write_text(f"targets:\n  - {entry}\n", encoding="utf-8")
    with pytest.raises(BadTargets, match=re.escape(words)):
        load_targets(path)
