"""The data version read on SQLite (hub.store.data_version.VersionReader): the row is read again
only when the WAL index (hub.store.wal_index) says a commit may have happened, and a commit by any
process, any connection, or after a checkpoint that restarted the WAL, is seen by the very next
read. Real stores on disk, real writer processes."""
from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Iterator

import pytest
from sqlalchemy.engine import Engine

from hub.store.data_version import VersionReader, read_version
from hub.store.engine import make_engine, session_scope
from hub.store.models import Province
from hub.store.wal_index import wal_index_of

WRITER = textwrap.dedent("""
    import sys
    from hub.store.engine import make_engine, session_scope
    from hub.store.models import Province
    engine = make_engine(sys.argv[1])
    for line in sys.stdin:  # "CODE" or "CODE truncate", one write per line, answered "done"
        code, *then = line.split()
        with session_scope(engine) as session:  # a committed write: the engine bumps the data version
            session.add(Province(code=code, name="Thử", full_name="Tỉnh Thử", search_key="thu"))
        if then:  # and a checkpoint that empties the WAL: the next write restarts it
            with engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        print("done", flush=True)
    engine.dispose()
""")


@pytest.fixture
def sqlite_store(sqlite_template: Path, tmp_path: Path) -> Iterator[Engine]:
    path = tmp_path / "hub.sqlite3"
    shutil.copyfile(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    yield engine
    engine.dispose()


def _statements(reader: VersionReader) -> list[str]:
    """SQL the reader's own connection runs from now on."""
    seen: list[str] = []
    reader._conn.set_trace_callback(seen.append)
    return seen


class Writer:
    """Another process that commits on request (province codes not among the real ones)."""

    def __init__(self, engine: Engine) -> None:
        self.proc = subprocess.Popen([sys.executable, "-c", WRITER, str(engine.url)], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True)

    def write(self, code: str, then: str = "") -> None:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(f"{code} {then}\n")
        self.proc.stdin.flush()
        assert self.proc.stdout.readline().strip() == "done"  # committed before the next read starts

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(60)


def test_a_commit_by_another_process_is_seen_by_the_next_read_and_nothing_else_reads(sqlite_store) -> None:
    reader, writer = VersionReader(sqlite_store), Writer(sqlite_store)
    try:
        version = reader.read()
        assert version == read_version(sqlite_store)
        assert reader._wal is not None  # this store is in WAL mode: the header is watched
        ran = _statements(reader)
        assert [reader.read() for _ in range(50)] == [version] * 50
        assert ran == []  # no commit, no read of the store
        for i, then in enumerate(["", "truncate", "", "truncate", "truncate", ""]):
            writer.write(f"X{i}", then)
            version += 1
            assert reader.read() == version == read_version(sqlite_store)
        assert len(ran) >= 6
    finally:
        writer.close()
        reader.close()


def test_commits_on_other_connections_of_this_process_are_seen(sqlite_store) -> None:
    reader = VersionReader(sqlite_store)
    other = sqlite3.connect(str(sqlite_store.url.database), isolation_level=None)
    try:
        version = reader.read()
        for i in range(20):
            if i % 3 == 0:
                with session_scope(sqlite_store) as session:  # the engine's pool
                    session.add(Province(code=f"Y{i}", name="Thử", full_name="Tỉnh Thử", search_key="thu"))
            else:  # a plain connection, outside the engine: only the row's own update
                other.execute("UPDATE data_version SET version = version + 1 WHERE id = 1")
            if i % 7 == 6:
                other.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            version += 1
            assert reader.read() == version
    finally:
        other.close()
        reader.close()


def test_a_reader_that_lost_its_connection_reads_again(sqlite_store) -> None:
    reader, writer = VersionReader(sqlite_store), Writer(sqlite_store)
    try:
        version = reader.read()
        reader._conn.close()  # broken under it: the next read reconnects and finds the index again
        writer.write("Z1")
        assert reader.read() == version + 1
        assert reader._wal is not None
    finally:
        writer.close()
        reader.close()


def test_no_wal_index_without_wal(tmp_path: Path) -> None:
    plain = sqlite3.connect(tmp_path / "plain.sqlite3")  # rollback journal: no -shm file
    try:
        plain.execute("CREATE TABLE t (x)")
        assert wal_index_of(plain) is None
    finally:
        plain.close()
    memory = sqlite3.connect(":memory:")
    try:
        assert wal_index_of(memory) is None
    finally:
        memory.close()
