"""The declarative sources file: which provincial registries to harvest, and how to read them."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from hub.normalize.encodings import ENCODINGS as DECODABLE
from hub.records import FIELDS, LISTS, PRODUCTS

KINDS: tuple[str, ...] = ("csv", "xlsx", "json_api", "html", "pdf", "docx")
ENCODINGS: tuple[str, ...] = ("auto", *DECODABLE)
_REQUIRED = ("name", "kind", "location")
_OPTIONAL = ("province", "encoding", "columns", "schedule", "sheet", "list")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


class SourcesFileError(ValueError):
    """The sources file is wrong; the message says where (file, entry, key) and why, one problem a line."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class SourceSpec:
    """One provincial registry. ``location`` is an absolute path or an http(s) URL. An empty
    ``province``: a list of many provinces (a national compilation), whose rows name their own."""

    name: str
    province: str
    kind: str
    location: str
    encoding: str = "auto"
    columns: dict[str, str] = field(default_factory=dict)
    schedule: str | None = None
    sheet: str | tuple[str, ...] | None = None  # xlsx: read this sheet or these sheets (default: every sheet)
    list: str = PRODUCTS  # or REVOCATION: a list of revoked certificates (hub/ingest/revocation.py)

    def __hash__(self) -> int:  # ``columns`` is a dict; a spec is still usable as a key
        return hash((self.name, self.province, self.kind, self.location, self.encoding, self.schedule, self.sheet,
                     self.list))

    @property
    def sheets(self) -> tuple[str, ...]:
        """The sheets ``sheet:`` narrows a workbook's reading to; empty: every sheet."""
        if self.sheet is None:
            return ()
        return (self.sheet,) if isinstance(self.sheet, str) else tuple(self.sheet)

    @property
    def is_remote(self) -> bool:
        return is_url(self.location)


@dataclass(frozen=True)
class SourcesReading:
    """What a sources file says: the entries that parsed, and every problem found (not just the first).
    ``labels`` names each parsed entry as problems do (``path: sources[3] ('qn')``), for later checks."""

    specs: list[SourceSpec]
    problems: list[str]
    labels: dict[str, str]


def is_url(location: str) -> bool:
    return location.lower().startswith(("http://", "https://"))


def load_sources(path: str | Path) -> list[SourceSpec]:
    """Read and validate a sources file; any mistake raises ``SourcesFileError`` listing them all."""
    reading = read_sources(path)
    if reading.problems:
        raise SourcesFileError(reading.problems)
    return reading.specs


def read_sources(path: str | Path) -> SourcesReading:
    """Read a sources file and collect every problem of its shape and entries, so an operator fixes
    them in one go. A file that cannot be read or parsed at all is one problem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        return _unusable(f"{path}: cannot read the sources file: {exc.strerror or exc}")
    except UnicodeDecodeError as exc:
        return _unusable(f"{path}: the sources file is not UTF-8 ({exc.reason} at byte {exc.start})")
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        return _unusable(f"{path}: YAML syntax error{where}: {problem}")
    if document is None:
        return _unusable(f"{path}: the sources file is empty: expected a mapping with a 'sources' list "
                         "at the top level (see schema/sources.example.yaml)")
    if not isinstance(document, dict) or "sources" not in document:
        return _unusable(f"{path}: expected a mapping with a 'sources' list at the top level")
    entries = document["sources"]
    if entries is None or entries == []:
        return _unusable(f"{path}: 'sources' lists no source: nothing to harvest "
                         "(add entries; see schema/sources.example.yaml)")
    if not isinstance(entries, list):
        return _unusable(f"{path}: 'sources' must be a list, not {_type_name(entries)}")
    specs: list[SourceSpec] = []
    problems: list[str] = []
    labels: dict[str, str] = {}
    seen: dict[str, int] = {}
    for index, entry in enumerate(entries):
        label = _label(index, entry)
        spec, entry_problems = _parse_entry(path, index, entry)
        name = entry.get("name") if isinstance(entry, dict) else None
        if isinstance(name, str) and name in seen:
            entry_problems.append(f"{path}: {label}: key 'name': duplicate name, already used by sources[{seen[name]}]")
        elif isinstance(name, str):
            seen[name] = index
        problems.extend(entry_problems)
        if spec is not None and not entry_problems:
            specs.append(spec)
            labels[spec.name] = f"{path}: {label}"
    return SourcesReading(specs, problems, labels)


def _unusable(problem: str) -> SourcesReading:
    return SourcesReading([], [problem], {})


def _label(index: int, entry: Any) -> str:
    name = entry.get("name") if isinstance(entry, dict) else None
    return f"sources[{index}] ({name!r})" if isinstance(name, str) and name else f"sources[{index}]"


def _parse_entry(path: Path, index: int, entry: Any) -> tuple[SourceSpec | None, list[str]]:
    """The entry's spec (None when it cannot be built) and every problem of its keys."""
    label = _label(index, entry)
    if not isinstance(entry, dict):
        return None, [f"{path}: {label}: expected a mapping, not {_type_name(entry)}"]
    problems: list[str] = []

    def fail(key: str, why: str) -> None:
        problems.append(f"{path}: {label}: key '{key}': {why}")

    for key in (str(k) for k in entry if k not in _REQUIRED + _OPTIONAL):
        fail(key, f"unknown key (allowed: {', '.join(_REQUIRED + _OPTIONAL)})")
    for key in _REQUIRED:
        value = entry.get(key)
        if value is None:
            fail(key, "missing")
        elif not isinstance(value, str) or not value.strip():
            fail(key, f"must be a non-empty string, not {_type_name(value)} {value!r}")
    province = entry.get("province")
    if province is not None and (not isinstance(province, str) or not province.strip()):
        fail("province", f"must be a province's name or code, not {_type_name(province)} {province!r} "
                         "(leave the key out when the rows name their provinces)")
    name = entry.get("name")
    if isinstance(name, str) and name.strip() and not _NAME.match(name):
        fail("name", f"{name!r} must be letters, digits, '-', '_' or '.'")
    kind = entry.get("kind")
    if isinstance(kind, str) and kind.strip() and kind not in KINDS:
        fail("kind", f"unknown kind {kind!r} (expected one of {', '.join(KINDS)})")
    encoding = entry.get("encoding") or "auto"
    if encoding not in ENCODINGS:
        fail("encoding", f"unknown encoding {encoding!r} (expected one of {', '.join(ENCODINGS)})")
    columns = entry.get("columns") or {}
    if not isinstance(columns, dict):
        fail("columns", f"must be a mapping of registry header -> field, not {_type_name(columns)}")
        columns = {}
    for header, target in columns.items():
        if not isinstance(header, str) or not header.strip():
            fail("columns", f"header {header!r} must be a non-empty string")
        elif target not in FIELDS:
            fail("columns", f"header {header!r} maps to {target!r}, which is not a canonical field "
                            f"(one of {', '.join(FIELDS)})")
    schedule = entry.get("schedule")
    if schedule is not None:
        if not isinstance(schedule, str):
            fail("schedule", f"must be a cron string, not {_type_name(schedule)}")
        elif why := cron_problem(schedule):
            fail("schedule", f"bad cron expression {schedule!r}: {why}")
    sheet = entry.get("sheet")
    if isinstance(sheet, list) and sheet and all(isinstance(n, str) and n.strip() for n in sheet):
        sheet = tuple(sheet)
    if sheet is not None and not isinstance(sheet, tuple) and (not isinstance(sheet, str) or not sheet.strip()):
        fail("sheet", f"must be a sheet's name or a list of names, not {_type_name(sheet)} {sheet!r}")
    elif sheet is not None and kind != "xlsx":
        fail("sheet", f"only an xlsx workbook has sheets, not a {kind} registry")
    list_kind = entry.get("list", PRODUCTS)
    if list_kind not in LISTS:
        fail("list", f"unknown list {list_kind!r} (expected one of {', '.join(LISTS)})")
    location = entry.get("location")
    if isinstance(location, str) and location.strip():
        try:
            location = _resolve_location(path, location.strip())
        except ValueError as exc:
            fail("location", str(exc))
    if problems:
        return None, problems
    return SourceSpec(
        name=entry["name"],
        province=(entry.get("province") or "").strip(),
        kind=kind,
        location=location,
        encoding=encoding,
        columns={str(k): str(v) for k, v in columns.items()},
        schedule=schedule,
        sheet=sheet,
        list=list_kind,
    ), []


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
