"""Bad input through the real harvest on a real SQLite store (docs/reliability.md, "Bad input").

Every generated registry (tests/reliability/corpus.py) must end in a failed summary whose message
names the file and says why, or in per-row rejections with codes; no exception escapes
``harvest_source``; the store changes only by the accepted rows.
"""
from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from hub.sources.harvest import harvest_source
from hub.ingest import ingest_rows
from hub.store.models import ImportBatch, Producer, Product, ProductChange, RejectedRecord, Source, SourceRecord
from hub.records import FIELDS, RawRow
from hub.registries import SourceSpec
from tests.reliability.corpus import GOOD, HEADERS, Case, cases
from tests.reliability.peak_rss import CHILD_HELPERS

CASES = cases()
TABLES = (Product, Producer, SourceRecord, RejectedRecord, ProductChange, ImportBatch, Source)
KNOWN_CODES = {
    "MISSING_FIELD", "UNKNOWN_UNIT", "NOT_YOUR_PROVINCE", "WRONG_PROVINCE", "DUPLICATE_RECORD", "SCHEMA_VIOLATION", "UNKNOWN_FIELD",
    "BAD_STARS", "BAD_SCORE", "STARS_SCORE_MISMATCH", "BELOW_CERTIFICATION", "MISSING_GROUP", "UNKNOWN_GROUP",
    "MISSING_PRODUCER_TYPE", "UNKNOWN_PRODUCER_TYPE", "MISSING_DATE", "BAD_DATE", "FUTURE_DATE", "FIELD_TOO_LONG",
}


def counts(engine: Engine) -> dict[str, int]:
    with Session(engine) as s:
        return {t.__tablename__: s.execute(select(func.count()).select_from(t)).scalar_one() for t in TABLES}


def products(engine: Engine) -> dict[str, tuple]:
    with Session(engine) as s:
        return {p.identity_key: (p.name, p.stars, p.status, p.content_hash) for p in s.execute(select(Product)).scalars()}


@pytest.fixture(scope="module")
def sqlite_store(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory):
    """One SQLite store for the whole corpus (each case uses its own source)."""
    import shutil

    from hub.store.engine import make_engine

    path = tmp_path_factory.mktemp("fuzz") / "hub.sqlite3"
    shutil.copyfile(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    yield engine
    engine.dispose()


def harvest_case(engine: Engine, case: Case, folder: Path):
    path = folder / case.name
    path.write_bytes(case.data)
    spec = SourceSpec(name="fuzz-" + case.name.replace(".", "-"), province="Quảng Ninh", kind=case.kind,
                      location=str(path), encoding=case.encoding)
    return path, harvest_source(engine, spec)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_every_bad_registry_ends_in_a_clear_file_or_row_error(case: Case, sqlite_store: Engine,
                                                                tmp_path: Path) -> None:
    before_counts, before_products = counts(sqlite_store), products(sqlite_store)
    path, summary = harvest_case(sqlite_store, case, tmp_path)  # no exception escapes
    after = counts(sqlite_store)
    delta = {k: after[k] - before_counts[k] for k in after}
    if summary.failed:
        assert case.expect in ("file", "any"), f"{case.name} failed as a whole: {summary.error}"
        assert summary.error and str(path) in summary.error, summary.error  # names the file
        assert case.why in summary.error.lower(), summary.error  # says why
        assert "Traceback" not in summary.error
        # nothing but the failed batch (and the source row, on its first attempt)
        assert delta["product"] == delta["producer"] == delta["source_record"] == 0
        assert delta["rejected_record"] == delta["product_change"] == 0
        assert delta["import_batch"] == 1 and delta["source"] in (0, 1)
        assert products(sqlite_store) == before_products
        return
    assert case.expect in ("rows", "any"), f"{case.name} was read, expected a file error: {summary}"
    assert summary.status == "succeeded"
    if case.accepted is not None:
        assert summary.created + summary.updated + summary.unchanged == case.accepted, summary
    assert summary.rows_read == summary.created + summary.updated + summary.unchanged + summary.rejected
    codes = {e["code"] for r in summary.rejections for e in r.errors}
    assert codes <= KNOWN_CODES, codes
    assert case.codes <= codes, (case.codes, summary.rejections)
    assert case.warned <= set(summary.warning_counts), (case.warned, summary.warnings)
    for rejection in summary.rejections:
        assert rejection.errors and all(e["message"] for e in rejection.errors)
    # the store changed by exactly the accepted rows (and their rejections)
    assert delta["rejected_record"] == summary.rejected
    assert delta["source_record"] == summary.created + summary.updated + summary.unchanged
    assert delta["product"] == summary.created
    after_products = products(sqlite_store)
    assert {k: v for k, v in after_products.items() if k in before_products} == before_products


def test_sql_and_html_names_are_stored_as_text_and_tables_survive(sqlite_store: Engine, tmp_path: Path) -> None:
    case = next(c for c in CASES if c.name == "sql-and-html-names.csv")
    _, summary = harvest_case(sqlite_store, case, tmp_path)
    assert summary.status == "succeeded"
    names = {v[0] for v in products(sqlite_store).values()}
    assert "Robert'); DROP TABLE product;--" in names
    assert "<script>alert(1)</script>Chè" in names  # kept verbatim: escaping is the renderer's job


def test_formulas_are_kept_as_text_never_evaluated(sqlite_store: Engine, tmp_path: Path) -> None:
    case = next(c for c in CASES if c.name == "formulas.xlsx")
    _, summary = harvest_case(sqlite_store, case, tmp_path)
    # data_only: a formula cell reads as its cached value; these have none, so they are empty
    by_row = {r.row_number: {e["code"] for e in r.errors} for r in summary.rejections}
    assert by_row == {5: {"MISSING_FIELD"}, 6: {"MISSING_FIELD"}}, by_row
    case = next(c for c in CASES if c.name == "formula-text.csv")
    _, summary = harvest_case(sqlite_store, case, tmp_path)
    assert summary.rejected == 0 and summary.created + summary.unchanged == 4  # formula-like text is data
    assert '=HYPERLINK("http://evil.example")' in {v[0] for v in products(sqlite_store).values()}


def test_unknown_source_province_is_a_clear_ingest_error(sqlite_store: Engine, tmp_path: Path) -> None:
    from hub.ingest.run import IngestError

    path = tmp_path / "x.csv"
    path.write_bytes(b"")
    spec = SourceSpec(name="fuzz-atlantis", province="Atlantis", kind="csv", location=str(path))
    before = counts(sqlite_store)
    with pytest.raises(IngestError, match="unknown province 'Atlantis'"):
        harvest_source(sqlite_store, spec)
    assert counts(sqlite_store) == before


# --- hypothesis: arbitrary rows straight into the one write path --------------------------------

_text = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["3 sao", "4", "5 sao tiềm năng", "-1", "0", "Thực phẩm", "Đồ uống", "Quảng Ninh", "Hà Nội",
                     "Hộ kinh doanh Nguyễn Văn A", "HTX", "31/12/2999", "2023", "=1+1", "'; DROP TABLE x;--",
                     "\x00", "\ufeff", "Ｑｕảｎｇ Ｎｉｎｈ", "🙂" * 5]),
)
_row = st.dictionaries(st.sampled_from(FIELDS), _text, max_size=len(FIELDS))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(rows=st.lists(_row, max_size=12))
def test_arbitrary_rows_never_crash_ingest_and_counts_add_up(sqlite_store: Engine, rows: list[dict]) -> None:
    before = counts(sqlite_store)
    summary = ingest_rows(sqlite_store, source_name="fuzz-hypothesis", source_kind="csv", province="Quảng Ninh",
                          rows=[RawRow(row_number=i + 2, values=r, raw=dict(r)) for i, r in enumerate(rows)],
                          today=date(2026, 11, 23))
    assert summary.status == "succeeded", summary.error
    assert summary.rows_read == len(rows)
    assert summary.rows_read == summary.created + summary.updated + summary.unchanged + summary.rejected
    for r in summary.rejections:
        assert {e["code"] for e in r.errors} <= KNOWN_CODES
    after = counts(sqlite_store)
    assert after["rejected_record"] - before["rejected_record"] == summary.rejected
    assert after["product"] - before["product"] == summary.created


# --- memory: peak RSS of a child process harvesting the worst files ---------------------------

MEMORY_CASES = ["zip-bomb.xlsx", "zip-bomb-lying-sizes.xlsx", "billion-laughs.xlsx",
                "billion-laughs-sharedstrings.xlsx", "big-cells.csv", "big-cells.xlsx"]
PEAK_RSS_LIMIT_MB = 400
PEAK_GROWTH_LIMIT_MB = 100  # over the child's RSS once the hub is imported
CHILD = r"""
import sys, time, json
from hub.store.engine import make_engine
from hub.sources.harvest import harvest_source
from hub.registries import SourceSpec
engine = make_engine(sys.argv[1])
""" + CHILD_HELPERS + r"""_reset_hwm()
base = _hwm_mb() * 1024
t = time.monotonic()
s = harvest_source(engine, SourceSpec(name=sys.argv[3], province="Quảng Ninh", kind=sys.argv[4], location=sys.argv[2]))
print(json.dumps({"status": s.status, "error": s.error, "rejected": s.rejected, "created": s.created,
                  "base_mb": base / 1024, "peak_mb": _hwm_mb(),
                  "seconds": time.monotonic() - t}))
"""


@pytest.mark.parametrize("defused", ["True", "False"], ids=["defusedxml-on", "defusedxml-off"])
@pytest.mark.parametrize("name", MEMORY_CASES)
def test_memory_and_time_stay_bounded(name: str, defused: str, sqlite_template: Path, tmp_path: Path) -> None:
    """openpyxl uses defusedxml when installed; without it, expat's amplification limit must hold."""
    import json
    import shutil

    if defused == "False" and "laughs" not in name:
        pytest.skip("only the XML cases depend on defusedxml")
    case = next(c for c in CASES if c.name == name)
    db = tmp_path / "hub.sqlite3"
    shutil.copyfile(sqlite_template, db)
    path = tmp_path / case.name
    path.write_bytes(case.data)
    env = {**os.environ, "OPENPYXL_DEFUSEDXML": defused}
    out = subprocess.run([sys.executable, "-c", CHILD, f"sqlite:///{db}", str(path), "mem-" + name.replace(".", "-"),
                          case.kind], capture_output=True, text=True, timeout=120, env=env)
    assert out.returncode == 0, out.stderr[-2000:]
    result = json.loads(out.stdout.strip().splitlines()[-1])
    print(name, defused, result)
    assert result["peak_mb"] < PEAK_RSS_LIMIT_MB, result
    assert result["peak_mb"] - result["base_mb"] < PEAK_GROWTH_LIMIT_MB, result
    assert result["seconds"] < 30, result
    if case.expect == "file":
        assert result["status"] == "failed" and str(path) in result["error"], result


# --- a huge cell on PostgreSQL ----------------------------------------------------------------

def test_one_huge_name_is_a_row_rejection_not_a_failed_snapshot(store: Engine, request: pytest.FixtureRequest) -> None:
    """The identity key is the folded name; PostgreSQL's btree index refuses keys over ~2.7 kB
    (after compression: "x" * 100_000 passes, random letters do not)."""
    rows = [RawRow(row_number=i + 2, values=dict(zip(("product_name", "producer_name", "stars", "group", "year"),
                                                     r[1:6]))) for i, r in enumerate(GOOD)]
    import random
    import string

    rng = random.Random(5)
    noise = "".join(rng.choice(string.ascii_lowercase + " ") for _ in range(100_000))  # hardly compressible
    rows.append(RawRow(row_number=5, values={"product_name": "Bánh " + noise, "producer_name": "HTX Ánh Dương",
                                             "stars": "3 sao", "group": "Thực phẩm", "year": "2023"}))
    summary = ingest_rows(store, source_name="huge", source_kind="csv", province="Quảng Ninh", rows=rows,
                          today=date(2026, 11, 23))
    assert summary.status == "succeeded", summary.error
    assert summary.created + summary.rejected == 4 and summary.created >= 3, summary
