"""The decision an annex belongs to, from its title block, for the rows that name none.

An annex is headed "(Kèm theo Quyết định số 2417/QĐ-UBND ngày 28/12/2024 của UBND tỉnh Bắc Kạn)":
every product in it was certified by that decision, even when its own row has no decision column.
The reference is found in the title lines and handed on as written, as a decision cell would be;
``hub.normalize.decision.split_decision`` (at normalization, as for any cell) reads its number,
date and issuing body. Only a line that says "Quyết định" and gives a number is taken: the
decision's own header ("Số: 2417/QĐ-UBND") is not the annex's reference line.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from hub.normalize.decision import split_decision
from hub.records import RawRow

TITLE_DECISION_KEY = "(decision from title)"
"""Raw-row key holding the title's reference on each row it was applied to (provenance)."""
_DECISION_WORD = re.compile(r"(?<!\w)(?:quy[eế]t\s*[đd][iị]nh|q[đd])(?!\w)", re.IGNORECASE)
_OWN_FIELDS = ("decision_number", "decision_date")


@dataclass(frozen=True)
class TitleDecision:
    """The reference as written from "Quyết định" on ("Quyết định số 2417/QĐ-UBND ngày 28/12/2024 của
    UBND tỉnh Bắc Kạn")."""

    text: str


def title_decision(lines: list[str]) -> TitleDecision | None:
    """The first title line that names a decision with its number ("Kèm theo Quyết định số …")."""
    for line in lines:
        match = _DECISION_WORD.search(line)
        if match is None:
            continue
        text = " ".join(line[match.start():].split()).rstrip(" )]")
        parts = split_decision(text)
        if parts.number:
            return TitleDecision(text)
    return None


def apply_title_decision(row: RawRow, decision: TitleDecision) -> None:
    """Give a row with no decision number or date of its own the title's reference (read like a
    "số, ngày quyết định" cell); its own issuing body, if any, stands."""
    if any(row.values.get(name, "").strip() for name in _OWN_FIELDS):
        return
    row.values["decision_number"] = decision.text
    row.raw[TITLE_DECISION_KEY] = decision.text
