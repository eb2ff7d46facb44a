"""Product groups: whatever a registry wrote ("Nông sản", "Thảo dược", "Rượu") onto the six groups of
Decision 148/QĐ-TTg (2023).

Registries use the 1048 (2019) branches, the 148 groups or free text; aggregation needs one list,
so every text is mapped onto a 148 group and the text itself is kept as written. The taxonomy lives
in ``schema/product_groups.yaml`` so that adding a keyword is a data change, not a code change.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from hub.normalize.fold import search_key
from hub.normalize.problem import Problem
from hub.normalize.text import clean_text

__all__ = [
    "DEFAULT_TAXONOMY_PATH", "GROUP_CODES", "GroupMatch", "Taxonomy", "group_name", "load_taxonomy",
    "map_group",
]

DEFAULT_TAXONOMY_PATH = Path(__file__).resolve().parents[2] / "schema" / "product_groups.yaml"

#: The stable codes of the six Decision 148 groups, in the decision's order.
GROUP_CODES: tuple[str, ...] = ("FOOD", "BEVERAGE", "HERBAL", "HANDICRAFT", "ORNAMENTAL", "TOURISM")


@dataclass(frozen=True)
class GroupMatch:
    """A 148 group (``code``, ``name``) and the registry's text as written (cleaned)."""

    code: str
    name: str
    text: str


@dataclass(frozen=True)
class Taxonomy:
    """Group names by code and the folded phrases (names, 1048 branches, keywords) that map to
    each, longest first."""

    names: dict[str, str]
    phrases: tuple[tuple[str, str], ...]  # (search_key of phrase, group code)


def _parse_taxonomy(data: dict) -> Taxonomy:
    names: dict[str, str] = {}
    ranked: list[tuple[int, int, str, str]] = []  # (-length, priority, phrase, code)
    seen: set[str] = set()

    def add(phrase: str, code: str, priority: int) -> None:
        key = search_key(phrase)
        if key and key not in seen:
            seen.add(key)
            ranked.append((-len(key), priority, key, code))

    for group in data["groups"]:
        code = group["code"]
        names[code] = group["name"]
        add(group["name"], code, 0)
        add(code, code, 0)
    for branch in data.get("decision_1048_branches", ()):
        if branch["group"] not in names:
            raise ValueError(f"1048 branch {branch['name']!r} maps to unknown group {branch['group']!r}")
        add(branch["name"], branch["group"], 1)
    for group in data["groups"]:
        for keyword in group.get("keywords", ()):
            add(keyword, group["code"], 2)
    ranked.sort()
    return Taxonomy(names=names, phrases=tuple((key, code) for _, _, key, code in ranked))


@lru_cache(maxsize=8)
def _load(path: Path) -> Taxonomy:
    with path.open(encoding="utf-8") as fh:
        return _parse_taxonomy(yaml.safe_load(fh))


def load_taxonomy(path: str | Path | None = None) -> Taxonomy:
    """Read the taxonomy file once per path (default: the repo's ``schema/product_groups.yaml``)."""
    return _load(Path(path).resolve() if path else DEFAULT_TAXONOMY_PATH)


def group_name(code: str) -> str:
    """The Vietnamese name of a 148 group code ("FOOD" → "Thực phẩm"); KeyError if unknown."""
    return load_taxonomy().names[code]


def map_group(text: str | None, taxonomy: Taxonomy | None = None) -> GroupMatch | Problem:
    """Map a written product group onto a 148 group; the longest matching phrase wins.

    Problems: MISSING_GROUP (empty), UNKNOWN_GROUP (no phrase matches; carries the text).
    """
    cleaned = clean_text(text)
    if not cleaned:
        return Problem("MISSING_GROUP", "group", "no product group given", text)
    tax = taxonomy or load_taxonomy()
    padded = f" {search_key(cleaned)} "
    for phrase, code in tax.phrases:
        if f" {phrase} " in padded:
            return GroupMatch(code=code, name=tax.names[code], text=cleaned)
    return Problem("UNKNOWN_GROUP", "group", f"product group not in the taxonomy: {cleaned!r}", cleaned)
