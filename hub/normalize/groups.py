"""Product groups: whatever a registry wrote ("Nông sản", "Thảo dược", "Rượu") onto the six groups of
Decision 148/QĐ-TTg (2023).

Registries use the 1048 (2019) branches, the 148 groups or free text; aggregation needs one list,
so every text is mapped onto a 148 group and the text itself is kept as written. When a row has no
group at all, its product name usually says it ("Mật ong bạc hà" is food): ``infer_group`` reads it,
and the caller records the group as inferred. The taxonomy lives in ``schema/product_groups.yaml``
so that adding a keyword is a data change, not a code change.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from hub.normalize.fold import search_key
from hub.normalize.problem import Problem
from hub.normalize.text import clean_text

__all__ = [
    "DEFAULT_TAXONOMY_PATH", "GROUP_CODES", "GroupMatch", "Taxonomy", "group_name", "infer_group",
    "load_taxonomy", "map_group",
]

DEFAULT_TAXONOMY_PATH = Path(__file__).resolve().parents[2] / "schema" / "product_groups.yaml"

#: The stable codes of the six Decision 148 groups, in the decision's order.
GROUP_CODES: tuple[str, ...] = ("FOOD", "BEVERAGE", "HERBAL", "HANDICRAFT", "ORNAMENTAL", "TOURISM")


@dataclass(frozen=True)
class GroupMatch:
    """A 148 group (``code``, ``name``) and the registry's text as written (cleaned); an
    ``inferred`` group was read from the product name, and has no ``text``: nobody wrote one."""

    code: str
    name: str
    text: str | None
    inferred: bool = False


@dataclass(frozen=True)
class Taxonomy:
    """Group names by code, the folded phrases (names, 1048 branches, keywords) that map a group
    column onto each, longest first, and the folded product-name phrases with the groups they name
    (none for an ambiguous phrase, two or more for a phrase listed under several groups)."""

    names: dict[str, str]
    phrases: tuple[tuple[str, str], ...]  # (search_key of phrase, group code)
    name_phrases: Mapping[str, frozenset[str]] = field(default_factory=dict)
    name_phrase_words: int = 0  # the most words in a name phrase


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
    name_phrases: dict[str, frozenset[str]] = {}
    for group in data["groups"]:
        for keyword in group.get("name_keywords", ()):
            key = search_key(keyword)
            if key:
                name_phrases[key] = name_phrases.get(key, frozenset()) | {group["code"]}
    for keyword in data.get("ambiguous_name_keywords", ()):
        if search_key(keyword):
            name_phrases[search_key(keyword)] = frozenset()
    return Taxonomy(
        names=names,
        phrases=tuple((key, code) for _, _, key, code in ranked),
        name_phrases=name_phrases,
        name_phrase_words=max((len(key.split()) for key in name_phrases), default=0),
    )


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


def infer_group(product_name: str | None, taxonomy: Taxonomy | None = None) -> GroupMatch | None:
    """The 148 group a product name says, from the taxonomy's ``name_keywords``, or None.

    A name leads with what the product is, so the first word that starts a listed phrase decides,
    with the longest phrase there ("Rượu ngâm ba kích" is a drink, "Trà hoa vàng" is tea, "Nước
    mắm" is food). None when no phrase is found, or when the deciding phrase is ambiguous or listed
    under two groups (a tie): an unsure group is left empty, not guessed.
    """
    tax = taxonomy or load_taxonomy()
    words = search_key(clean_text(product_name)).split()
    for start in range(len(words)):
        for end in range(min(len(words), start + tax.name_phrase_words), start, -1):
            codes = tax.name_phrases.get(" ".join(words[start:end]))
            if codes is None:
                continue
            if len(codes) != 1:
                return None
            (code,) = codes
            return GroupMatch(code=code, name=tax.names[code], text=None, inferred=True)
    return None
