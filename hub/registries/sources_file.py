"""The declarative sources file: which provincial registries to harvest, and how to read them."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from hub.normalize.encodings import ENCODINGS as DECODABLE
from hub.records import FIELDS

KINDS: tuple[str, ...] = ("csv", "xlsx", "json_api", "html")
ENCODINGS: tuple[str, ...] = ("auto", *DECODABLE)
_REQUIRED = ("name", "province", "kind", "location")
_OPTIONAL = ("encoding", "columns", "schedule")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


class SourcesFileError(ValueError):
    """The sources file is wrong; the message says where (file, entry, key) and why."""


@dataclass(frozen=True)
class SourceSpec:
    """One provincial registry. ``location`` is an absolute path or an http(s) URL."""

    name: str
    province: str
    kind: str
    location: str
    encoding: str = "auto"
    columns: dict[str, str] = field(default_factory=dict)
    schedule: str | None = None

    def __hash__(self) -> int:  # ``columns`` is a dict; a spec is still usable as a key
        return hash((self.name, self.province, self.kind, self.location, self.encoding, self.schedule))

    @property
    def is_remote(self) -> bool:
        return is_url(self.location)


def is_url(location: str) -> bool:
    return location.lower().startswith(("http://", "https://"))


def load_sources(path: str | Path) -> list[SourceSpec]:
    """Read and validate a sources file; every mistake raises ``SourcesFileError``."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SourcesFileError(f"{path}: cannot read the sources file: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise SourcesFileError(f"{path}: the sources file is not UTF-8 ({exc.reason} at byte {exc.start})") from exc
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise SourcesFileError(f"{path}: YAML syntax error{where}: {problem}") from exc
    if not isinstance(document, dict) or "sources" not in document:
        raise SourcesFileError(f"{path}: expected a mapping with a 'sources' list at the top level")
    entries = document["sources"]
    if not isinstance(entries, list):
        raise SourcesFileError(f"{path}: 'sources' must be a list, not {_type_name(entries)}")
    specs: list[SourceSpec] = []
    seen: dict[str, int] = {}
    for index, entry in enumerate(entries):
        spec = _parse_entry(path, index, entry)
        if spec.name in seen:
            raise SourcesFileError(
                f"{path}: sources[{index}] ({spec.name!r}): key 'name': duplicate name, "
                f"already used by sources[{seen[spec.name]}]"
            )
        seen[spec.name] = index
        specs.append(spec)
    return specs


def _parse_entry(path: Path, index: int, entry: Any) -> SourceSpec:
    label = f"sources[{index}]"
    if not isinstance(entry, dict):
        raise SourcesFileError(f"{path}: {label}: expected a mapping, not {_type_name(entry)}")
    name = entry.get("name")
    if isinstance(name, str) and name:
        label = f"{label} ({name!r})"

    def fail(key: str, why: str) -> SourcesFileError:
        return SourcesFileError(f"{path}: {label}: key '{key}': {why}")

    unknown = [str(k) for k in entry if k not in _REQUIRED + _OPTIONAL]
    if unknown:
        raise fail(unknown[0], f"unknown key (allowed: {', '.join(_REQUIRED + _OPTIONAL)})")
    for key in _REQUIRED:
        value = entry.get(key)
        if value is None:
            raise fail(key, "missing")
        if not isinstance(value, str) or not value.strip():
            raise fail(key, f"must be a non-empty string, not {_type_name(value)} {value!r}")
    if not _NAME.match(entry["name"]):
        raise fail("name", f"{entry['name']!r} must be letters, digits, '-', '_' or '.'")
    kind = entry["kind"]
    if kind not in KINDS:
        raise fail("kind", f"unknown kind {kind!r} (expected one of {', '.join(KINDS)})")
    encoding = entry.get("encoding", "auto")
    if encoding is None:
        encoding = "auto"
    if encoding not in ENCODINGS:
        raise fail("encoding", f"unknown encoding {encoding!r} (expected one of {', '.join(ENCODINGS)})")
    columns = entry.get("columns") or {}
    if not isinstance(columns, dict):
        raise fail("columns", f"must be a mapping of registry header -> field, not {_type_name(columns)}")
    for header, target in columns.items():
        if not isinstance(header, str) or not header.strip():
            raise fail("columns", f"header {header!r} must be a non-empty string")
        if target not in FIELDS:
            raise fail(
                "columns",
                f"header {header!r} maps to {target!r}, which is not a canonical field "
                f"(one of {', '.join(FIELDS)})",
            )
    schedule = entry.get("schedule")
    if schedule is not None:
        if not isinstance(schedule, str):
            raise fail("schedule", f"must be a cron string, not {_type_name(schedule)}")
        why = cron_problem(schedule)
        if why:
            raise fail("schedule", f"bad cron expression {schedule!r}: {why}")
    try:
        location = _resolve_location(path, entry["location"].strip())
    except ValueError as exc:
        raise fail("location", str(exc)) from exc
    return SourceSpec(
        name=entry["name"],
        province=entry["province"].strip(),
        kind=kind,
        location=location,
        encoding=encoding,
        columns={str(k): str(v) for k, v in columns.items()},
        schedule=schedule,
    )


def _resolve_location(sources_path: Path, location: str) -> str:
    if is_url(location):
        return location
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", location):
        raise ValueError(f"{location!r}: only local paths and http(s) URLs are supported")
    candidate = Path(location).expanduser()
    if not candidate.is_absolute():
        candidate = sources_path.resolve().parent / candidate
    return str(candidate.resolve())


# minute, hour, day of month, month, day of week
_CRON_FIELDS = (
    ("minute", 0, 59, {}),
    ("hour", 0, 23, {}),
    ("day of month", 1, 31, {}),
    ("month", 1, 12, {m: i + 1 for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"))}),
    ("day of week", 0, 7, {d: i for i, d in enumerate(("sun", "mon", "tue", "wed", "thu", "fri", "sat"))}),
)


def cron_problem(expression: str) -> str | None:
    """Why a 5-field cron expression is invalid, or None. Supports * , - / and month/day names."""
    parts = expression.split()
    if len(parts) != 5:
        return f"expected 5 fields (minute hour day-of-month month day-of-week), got {len(parts)}"
    for part, (label, low, high, names) in zip(parts, _CRON_FIELDS):
        for item in part.split(","):
            why = _cron_item_problem(item.lower(), low, high, names)
            if why:
                return f"{label} field {part!r}: {why}"
    return None


def _cron_item_problem(item: str, low: int, high: int, names: dict[str, int]) -> str | None:
    base, _, step = item.partition("/")
    if step and (not step.isdecimal() or int(step) == 0):
        return f"bad step {step!r}"
    if base == "*":
        return None
    bounds = base.split("-")
    if len(bounds) > 2 or not all(bounds):
        return f"bad range {base!r}"
    values = []
    for bound in bounds:
        value = names.get(bound, int(bound) if bound.isdecimal() else None)
        if value is None:
            return f"{bound!r} is not a number"
        if not low <= value <= high:
            return f"{value} is outside {low}-{high}"
        values.append(value)
    if len(values) == 2 and values[0] > values[1]:
        return f"range {base!r} runs backwards"
    return None


def _type_name(value: Any) -> str:
    return "null" if value is None else type(value).__name__
