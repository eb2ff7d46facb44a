"""Summarise a py-spy ``record -f raw`` (collapsed stacks) file: inclusive and self % per function.

``python -m bench.profile_summary FILE [--top 25] [--match TEXT]``, or ``--stages`` for a harvest's
time by stage: each sample of ``harvest_source`` goes to the innermost stage on its stack, so the
stages add up to the whole harvest.
"""
from __future__ import annotations

import argparse
import re
from collections import Counter
from collections.abc import Iterator

_FRAME = re.compile(r"^(?P<func>.*?) \((?P<file>[^()]*?)(?::\d+)?\)$")


def _name(frame: str) -> str:
    m = _FRAME.match(frame.strip())
    if not m:
        return frame.strip()
    path = m.group("file")
    for marker in ("site-packages/", "/work/main/", "lib/python3"):
        if marker in path:
            path = path.split(marker, 1)[1]
    return f"{m.group('func')} ({path})"


def _stacks(path: str) -> Iterator[tuple[list[str], int]]:
    """(frames outermost first, samples) per line of py-spy's raw output."""
    for line in open(path, encoding="utf-8", errors="replace"):
        stack, _, count = line.rstrip("\n").rpartition(" ")
        if stack and count.isdigit():
            yield [_name(f) for f in stack.split(";")], int(count)


def summarise(path: str, top: int = 25, match: str | None = None) -> str:
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    total = 0
    for frames, n in _stacks(path):
        total += n
        for f in set(frames):
            inclusive[f] += n
        own[frames[-1]] += n
    lines = [f"{total} samples", "inclusive%  self%  function"]
    for f, n in inclusive.most_common():
        if match and match not in f:
            continue
        lines.append(f"{100 * n / total:9.1f}  {100 * own[f] / total:5.1f}  {f}")
        if len(lines) >= top + 2:
            break
    return "\n".join(lines)


# The stages of a harvest (``--stages``), by function name; a sample goes to the innermost one.
HARVEST_STAGES = {
    "RegistrySnapshot.__iter__": "read the registry (hub/registries)",
    "canonicalize": "normalize rows (canonicalize)",
    "raw_hash": "hash the raw rows",
    "prepare": "prepare, the rest",
    "_upsert_producers": "apply: producers",
    "refresh_conflicts": "apply: conflicts",
    "refresh_survivorship": "apply: survivorship",
    "sync_certificates": "apply: certificates",
    "mark_seen": "apply: rows seen again",
    "apply_chunk": "apply: products, source records, audit log",
    "withdraw_missing": "withdraw rows gone",
    "recount_marked": "commit: recount the stats of touched provinces",
    "session_scope": "commit: flush and COMMIT",
    "ingest_rows": "batch: source, batch row, snapshot checks",
    "harvest_source": "harvest, the rest",
    "_result": "wait for the read-ahead process",
    "harvest_sources": "harvest of many sources, the rest",
}


def stages(path: str, stage_names: dict[str, str] = HARVEST_STAGES) -> str:
    """Percent of the samples under the outermost stage, by innermost stage on the stack."""
    outer = list(stage_names)[-1]
    counts: Counter[str] = Counter()
    total = 0
    for frames, n in _stacks(path):
        functions = [f.split(" (", 1)[0] for f in frames]
        if outer not in functions:
            continue
        total += n
        counts[next(stage_names[f] for f in reversed(functions) if f in stage_names)] += n
    lines = [f"{total} samples of {outer}", "   %  stage"]
    lines += [f"{100 * counts[label] / total:5.1f}  {label}" for label in stage_names.values() if counts[label]]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--match")
    parser.add_argument("--stages", action="store_true", help="a harvest's samples by stage")
    args = parser.parse_args()
    print(stages(args.file) if args.stages else summarise(args.file, args.top, args.match))


if __name__ == "__main__":
    main()
