"""Everything wrong with a sources file, found before anything runs (``ocop-hub sources check``,
and the harvest's first step).

Two kinds of problem. A *file* problem (bad YAML, an unknown kind, a province the unit tables do
not know, a name the store gives to another province or to a removed source) makes the file
wrong: the harvest refuses it as a whole. A *delivery* problem (a local registry file that is not
there yet) is true now but may not be at run time: ``sources check`` lists it, and the harvest
fails that source alone, as it does any fetch error.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from hub.ingest.run import resolver_for
from hub.store.models import Source
from hub.vocabulary import SourceKind
from hub.registries.sources_file import SourceSpec, read_sources

_ENTRY = re.compile(r": sources\[(\d+)\]")


@dataclass(frozen=True)
class SourcesCheck:
    specs: list[SourceSpec]
    problems: list[str]
    """The file is wrong: a harvest refuses it as a whole."""
    delivery_problems: list[str]
    """Registries not there now: a harvest fails those sources alone."""

    @property
    def all_problems(self) -> list[str]:
        return sorted(self.problems + self.delivery_problems, key=_entry)


def check_sources(engine: Engine, path: str | Path) -> SourcesCheck:
    """Parse ``path`` and check every entry against the unit tables, the store and the disk."""
    reading = read_sources(path)
    problems = list(reading.problems)
    delivery: list[str] = []
    resolver = resolver_for(engine)
    with Session(engine) as session:
        known = {s.name: s for s in session.scalars(
            select(Source).where(Source.name.in_([spec.name for spec in reading.specs])))}
    for spec in reading.specs:
        where = reading.labels[spec.name]
        code = resolver.resolve_province_code(spec.province) if spec.province else None
        if spec.province and code is None:
            problems.append(f"{where}: key 'province': unknown province {spec.province!r}: write a current or "
                            "pre-2025 province name, with or without diacritics or 'Tỉnh', e.g. 'Quảng Ninh', "
                            "'quang ninh', 'Bắc Kạn'")
        problems.extend(f"{where}: key 'name': {why}" for why in _store_problems(spec, code, known.get(spec.name)))
        if not spec.is_remote:
            why = _missing_file(Path(spec.location))
            if why:
                delivery.append(f"{where}: key 'location': {why}")
    return SourcesCheck(reading.specs, sorted(problems, key=_entry), sorted(delivery, key=_entry))


def _entry(problem: str) -> int:
    """The index of the entry a problem is about (-1: the whole file), to list them in file order."""
    found = _ENTRY.search(problem)
    return int(found.group(1)) if found else -1


def _store_problems(spec: SourceSpec, code: str | None, stored: Source | None) -> list[str]:
    """What the store already says about this name that the entry contradicts."""
    if stored is None:
        return []
    if stored.removed_at is not None:
        return [f"source {spec.name!r} was removed on {stored.removed_at:%Y-%m-%d} (its history keeps the name): "
                "delete this entry, or give the registry a new name"]
    if stored.kind == SourceKind.PUSH.value:
        return [f"{spec.name!r} is province {stored.province_code}'s push channel: give the registry another name"]
    if code is not None and stored.province_code != code:
        return [f"source {spec.name!r} is province {stored.province_code}'s ({stored.province_text}) in the store, "
                f"but this entry says {spec.province!r} ({code}): give this registry another name"]
    return []


def _missing_file(path: Path) -> str | None:
    if path.is_file():
        return None
    if path.is_dir():
        return f"{path} is a folder: point 'location' at the registry file in it"
    return f"{path}: file not found (deliver it there, or correct 'location')"
