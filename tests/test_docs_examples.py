"""The docs say what the code does (issue 16, item 6).

* Every ```graphql block of README.md and docs/*.md runs over HTTP against a store with a harvest
  and pushes (tests.api.live.seed_pushes), with the next block, if ```json, as its variables: it
  answers no error, or the one its first line documents (`# error: CODE`).
* Every GraphQL enum value the docs write after a field or argument (`status: [WITHDRAWN]`,
  `mode: UPSERT | REPLACE_ALL`) is a value of that field's enum; every code-like word the docs
  quote alone (`NOT_YOUR_PROVINCE`) exists in the code, and every error code the hub emits is
  documented.
* The audit log's words (docs/access.md) are the ones the hub writes.
* Every `curl` command of a ```bash / ```sh block of README.md and docs/*.md that calls the local
  server (http://127.0.0.1:8000) runs verbatim, only that address pointed at a live `ocop-hub
  serve` over the same store: through the shell, in an empty folder, with a curlrc that makes curl
  fail (exit 22) on an HTTP error, so an answer such as "Invalid HTTP request received" (a
  non-ASCII character left unencoded in a URL) fails the example. A command with an elided part
  ("…") shows a shape, not a call, and is not run.
"""
from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import pytest
from graphql import (DocumentNode, GraphQLEnumType, GraphQLNamedType, OperationDefinitionNode, get_named_type,
                     parse, print_ast)
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session
from starlette.testclient import TestClient

from hub.server import create_app
from hub.api.budget import query_limits
from hub.api.query_cost import compile_plan, operation_type
from hub.api.schema import schema
from hub.audit.history import revert_batch
from hub.access.keys import create_key, verify_token
from hub.sources.harvest import harvest_source
from hub.store.models import ImportBatch, ProductChange
from hub.vocabulary import BatchStatus, Role
from hub.push.submission import push_records
from hub.registries.sources_file import SourceSpec
from tests.api.live import LiveServer, push_record, seed_pushes

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)
EXPECTED_ERROR = re.compile(r"^#\s*error:\s*([A-Z_]+)")
CODE_SPAN = re.compile(r"(?<!`)`([^`\n]+)`(?!`)")
CODE_WORD = re.compile(r"^[A-Z][A-Z0-9_]{2,}$")
ENUM_AFTER_NAME = re.compile(r"\b(\w+):\s*\[?\s*([A-Z][A-Z_]*(?:\s*[,|]\s*[A-Z][A-Z_]*)*)\s*\]?")
EMITTED_CODE = re.compile(
    r"""(?:Problem|\w*Refused|RefusedError|_refusal|_problem)\(\s*(?:code=)?"([A-Z][A-Z_]+)"|"code":\s*"([A-Z][A-Z_]+)\"""")


def prose(path: Path) -> str:
    """The text outside fenced blocks."""
    return FENCE.sub("", path.read_text(encoding="utf-8"))


# --- the examples ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Example:
    where: str
    document: str
    variables: dict[str, Any]
    error: str | None


def examples() -> list[Example]:
    found = []
    for path in DOCS:
        text = path.read_text(encoding="utf-8")
        blocks = [(m.group(1), m.group(2), m.start()) for m in FENCE.finditer(text)]
        for i, (lang, body, start) in enumerate(blocks):
            if lang != "graphql":
                continue
            follows = blocks[i + 1] if i + 1 < len(blocks) else None
            variables = json.loads(follows[1]) if follows and follows[0] == "json" else {}
            error = EXPECTED_ERROR.match(body)
            line = text.count("\n", 0, start) + 1
            found.append(Example(f"{path.relative_to(ROOT)}:{line}", body, variables, error and error.group(1)))
    return found


EXAMPLES = examples()


@pytest.fixture
def client(store: Engine, store_url: str) -> Iterator[tuple[TestClient, dict[str, str]]]:
    seed_pushes(store_url)
    token = create_key(store, role=Role.MINISTRY, name="Docs")[1]
    with TestClient(create_app(store)) as c:
        yield c, {"Authorization": f"Bearer {token}"}


def test_the_docs_have_examples() -> None:
    assert len(EXAMPLES) >= 8 and any(e.error for e in EXAMPLES) and any(e.variables for e in EXAMPLES)


def operations(document: str) -> list[str]:
    """Each operation of a block on its own, in order: a block may show several, one per line."""
    parsed = parse(document)
    fragments = [d for d in parsed.definitions if not isinstance(d, OperationDefinitionNode)]
    return [print_ast(DocumentNode(definitions=(d, *fragments)))
            for d in parsed.definitions if isinstance(d, OperationDefinitionNode)]


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.where for e in EXAMPLES])
def test_every_documented_example_runs(client: tuple[TestClient, dict[str, str]], example: Example) -> None:
    """…with a ministry key; and every query is within the anonymous budget (docs/access.md)."""
    http, headers = client
    for operation in operations(example.document):
        plan = compile_plan(schema._schema, parse(operation), None)
        if example.error != "QUERY_TOO_COSTLY" and operation_type(operation, None) == "query":
            assert plan is not None and plan.evaluate(example.variables).total <= query_limits(None).budget, operation
        response = http.post("/graphql", json={"query": operation, "variables": example.variables}, headers=headers)
        assert response.status_code == 200, response.text
        body = response.json()
        if example.error is None:
            assert not body.get("errors"), (example.where, operation, body["errors"])
            empty = [name for name, value in body["data"].items()
                     if not value or (isinstance(value, dict) and value.get("edges") == [])]
            assert not empty, f"{example.where}: {empty} answer nothing: the example shows nothing"
        else:
            assert [e.get("extensions", {}).get("code") for e in body.get("errors") or []] == [example.error], body


# --- the curl examples ---------------------------------------------------------------------------

LOCAL = "http://127.0.0.1:8000"
SHELL_BLOCKS = ("bash", "sh", "shell")
KNOWN_BROKEN: dict[str, str] = {}
"""Documented commands known to fail, each with why and who fixes it: expected to fail (strict), so
the fix is noticed; a command whose text changed is run like any other."""


@dataclass(frozen=True)
class CurlExample:
    where: str
    command: str


def curl_examples() -> list[CurlExample]:
    """Each curl command (its continuation lines joined) of the shell blocks that calls the local server."""
    found = []
    for path in DOCS:
        text = path.read_text(encoding="utf-8")
        for match in FENCE.finditer(text):
            if match.group(1) not in SHELL_BLOCKS:
                continue
            first_line = text.count("\n", 0, match.start()) + 2
            for offset, line in enumerate(match.group(2).replace("\\\n", " ").splitlines()):
                command = line.strip()
                if command.startswith("curl ") and LOCAL in command and "…" not in command:
                    found.append(CurlExample(f"{path.relative_to(ROOT)}:{first_line + offset}", command))
    return found


CURL_EXAMPLES = curl_examples()


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Iterator[LiveServer]:
    folder = tmp_path_factory.mktemp("curl-docs")
    shutil.copyfile(sqlite_template, folder / "hub.sqlite3")
    url = f"sqlite:///{folder / 'hub.sqlite3'}"
    seed_pushes(url)
    with LiveServer(url, folder / "server.log") as server:
        yield server


def test_the_docs_have_curl_examples() -> None:
    assert len(CURL_EXAMPLES) >= 4


@pytest.mark.parametrize("example", [
    pytest.param(e, marks=pytest.mark.xfail(strict=True, reason=KNOWN_BROKEN[e.command]))
    if e.command in KNOWN_BROKEN else e for e in CURL_EXAMPLES], ids=[e.where for e in CURL_EXAMPLES])
def test_every_documented_curl_command_runs_verbatim(live: LiveServer, tmp_path: Path, example: CurlExample) -> None:
    (tmp_path / ".curlrc").write_text("fail\nshow-error\nsilent\n", encoding="utf-8")
    run = subprocess.run(["bash", "-c", example.command.replace(LOCAL, live.url)], cwd=tmp_path, capture_output=True,
                         env={"PATH": "/usr/bin:/bin", "CURL_HOME": str(tmp_path), "HOME": str(tmp_path)}, timeout=60)
    assert run.returncode == 0, (example.where, run.returncode, run.stderr.decode(errors="replace"))
    written = [p for p in tmp_path.iterdir() if p.name != ".curlrc"]
    assert run.stdout or any(p.stat().st_size for p in written), f"{example.where}: answered nothing"


# --- enum values and codes ------------------------------------------------------------------------

def enum_fields() -> dict[str, set[str]]:
    """Field, argument and input field names of enum type → the values they take."""
    out: dict[str, set[str]] = {}

    def note(name: str, type_: Any) -> None:
        named = get_named_type(type_)
        if isinstance(named, GraphQLEnumType):
            out.setdefault(name, set()).update(named.values)

    type_: GraphQLNamedType
    for type_ in schema._schema.type_map.values():
        for name, field in (getattr(type_, "fields", None) or {}).items():
            note(name, field.type)
            for arg_name, arg in (getattr(field, "args", None) or {}).items():
                note(arg_name, arg.type)
    return out


def test_enum_values_written_after_a_field_are_that_fields_values() -> None:
    enums = enum_fields()
    checked = 0
    for path in DOCS:
        for span in CODE_SPAN.findall(prose(path)) + [m.group(2) for m in FENCE.finditer(path.read_text("utf-8"))]:
            for name, values in ENUM_AFTER_NAME.findall(span):
                if name in enums:
                    for value in re.split(r"\s*[,|]\s*", values):
                        assert value in enums[name], f"{path.name}: {name}: {value} is none of {sorted(enums[name])}"
                        checked += 1
    assert checked >= 5


def source_text() -> str:
    files = [p for folder in ("hub", "pipelines", "bench") for p in (ROOT / folder).rglob("*.py")]
    files += [ROOT / "Makefile", ROOT / "tests" / "conftest.py"]  # make targets, the test database
    return "\n".join(p.read_text(encoding="utf-8") for p in files)


def test_every_code_the_docs_quote_exists_in_the_code() -> None:
    code = source_text()
    enums = {v for values in enum_fields().values() for v in values}
    for path in DOCS:
        for span in CODE_SPAN.findall(prose(path)):
            if CODE_WORD.match(span) and span not in enums:
                assert re.search(rf"\b{span}\b", code), f"{path.name} names `{span}`, which the code does not know"


def test_every_error_code_the_hub_emits_is_documented() -> None:
    emitted = {a or b for a, b in EMITTED_CODE.findall(source_text())}
    documented = {span for path in DOCS for span in CODE_SPAN.findall(prose(path)) if CODE_WORD.match(span)}
    assert {"BAD_STARS", "NOT_YOUR_PROVINCE", "UNAUTHENTICATED"} <= emitted
    assert emitted - documented == set()


# --- the audit log's words -----------------------------------------------------------------------

def vocabulary() -> dict[str, set[str]]:
    """docs/access.md's table of the log's words: row label → the values it lists (parentheses,
    which explain them, left out)."""
    text = (ROOT / "docs" / "access.md").read_text(encoding="utf-8")
    table = text[text.index("What the log's words mean"):]
    rows: dict[str, set[str]] = {}
    for line in table.splitlines()[1:]:
        if line.startswith("|") and not line.startswith("|---") and "Values" not in line:
            label, values = [cell.strip() for cell in line.strip("|").split("|")]
            rows[label] = set(CODE_SPAN.findall(re.sub(r"\([^)]*\)", "", values)))
        elif rows and not line.startswith("|"):
            break
    return rows


def test_the_audit_log_writes_the_documented_words(store: Engine, tmp_path: Path) -> None:
    words = vocabulary()
    registry = tmp_path / "quang-ninh.csv"

    def harvest(*names: str) -> None:
        with registry.open("w", encoding="utf-8", newline="") as f:
            out = csv.writer(f)
            out.writerow(["Tên sản phẩm", "Chủ thể", "Hạng sao", "Nhóm sản phẩm", "Ngày quyết định"])
            out.writerows([[n, "HTX Nông sản Việt", "3", "Thực phẩm", "15/06/2024"] for n in names])
        summary = harvest_source(store, SourceSpec("quang-ninh-csv", "Quảng Ninh", "csv", str(registry)))
        assert summary.status == "succeeded", summary

    key = verify_token(store, create_key(store, role=Role.PROVINCE, name="Sở NN Quảng Ninh", province_code="22")[1])
    harvest("Dầu lạc", "Dầu vừng")                                        # created
    push_records(store, key, province="22", records=[push_record("Dầu lạc"), push_record("Mắm tôm")])  # linked
    update = push_records(store, key, province="22", records=[push_record("Mắm tôm", stars=4)])         # updated
    harvest("Mắm tôm")  # Dầu lạc: still pushed (unlisted); Dầu vừng: gone (withdrawn); Mắm tôm: linked
    revert_batch(store, key, update.batch_id + 1)                         # the harvest: restored, withdrawn
    push_records(store, key, province="22", list_kind="revocation",       # revoked
                 records=[push_record("Dầu lạc", decision_date="01/07/2025")])
    harvest_source(store, SourceSpec("missing", "Quảng Ninh", "csv", str(tmp_path / "missing.csv")))  # failed
    with Session(store) as s:
        actions = set(s.scalars(select(ProductChange.action)))
        batches = s.execute(select(ImportBatch.kind, ImportBatch.actor, ImportBatch.status)).all()
    assert words["history `action`"] == actions
    assert words["batch `kind`, history `batchKind`"] == {kind for kind, _, _ in batches}
    assert words["batch `status`"] == {s.value for s in BatchStatus}
    assert {status for _, _, status in batches} == {"succeeded", "failed"}
    actors = {actor for _, actor, _ in batches}
    assert actors == {"harvest", key.actor} and key.actor.startswith("key:")
    dagster = re.findall(r'actor="(\w+)"', (ROOT / "pipelines" / "resources.py").read_text(encoding="utf-8"))
    assert words["`actor`"] == {"harvest", *dagster, "key:ID:NAME"}
