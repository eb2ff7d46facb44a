"""Whether a SQLite store in WAL mode may have changed, read off its WAL index without a transaction.

Every commit to a database in WAL mode, by any process, rewrites the WAL-index header at the start
of the ``-shm`` file (https://www.sqlite.org/walformat.html: ``iChange`` counts transactions, and
``mxFrame``, the salts and the checksums move with them); that header is how SQLite's own readers
learn of commits. So when its 96 bytes (both copies) are the ones seen before a read of the
store, nothing has been committed since that read began. hub.store.data_version.VersionReader
reads the data version again only then: a read transaction costs two ``fcntl`` locks and an
``fstat`` (about 7 µs), the look here a copy of 96 bytes.

The header is read where SQLite itself maps it: the mapping of the ``-shm`` file in this process,
found in ``/proc/self/maps``. No file is opened here: opening and closing another descriptor of the
``-shm`` file would drop every POSIX lock this process holds on it, SQLite's included. SQLite keeps
the mapping while any connection of this process has the store open; the caller holds one open
for as long as it uses the address (``VersionReader`` drops it with its connection). Anywhere the
mapping cannot be found (not Linux, an in-memory store, another journal mode) there is no
``WalIndex`` and every read goes to the store.
"""
from __future__ import annotations

import ctypes
import os
import struct
from typing import Any

HEADER_BYTES = 96
"""The two copies of the 48-byte WalIndexHdr; the checkpoint information after them is left out
(a checkpoint changes no content)."""
WAL_INDEX_VERSION = 3007000


class WalIndex:
    """The WAL-index header of one SQLite file, read from SQLite's own mapping at ``address``."""

    def __init__(self, address: int) -> None:
        self.address = address

    def header(self) -> bytes:
        return ctypes.string_at(self.address, HEADER_BYTES)


def wal_index_of(dbapi_conn: Any) -> WalIndex | None:
    """The WAL index of the store ``dbapi_conn`` (a sqlite3 connection that has read the store
    once, so SQLite has mapped it) is open on, or None when it has none this process maps."""
    try:
        path = next(row[2] for row in dbapi_conn.execute("PRAGMA database_list") if row[1] == "main")
        mode = dbapi_conn.execute("PRAGMA journal_mode").fetchone()[0]
    except Exception:
        return None
    if not path or str(mode).lower() != "wal":
        return None
    address = _mapping(path + "-shm")
    if address is None:
        return None
    index = WalIndex(address)
    version, _, _, is_init = struct.unpack_from("=IIIB", index.header())
    return index if version == WAL_INDEX_VERSION and is_init == 1 else None


def _mapping(shm_path: str) -> int | None:
    """Start of this process's shared mapping of ``shm_path`` from offset 0, or None."""
    try:
        st = os.stat(shm_path)
        with open("/proc/self/maps", encoding="utf-8", errors="replace") as maps:
            lines = maps.readlines()
    except OSError:
        return None
    device = f"{os.major(st.st_dev):02x}:{os.minor(st.st_dev):02x}"
    for line in lines:
        fields = line.split(maxsplit=5)
        if (len(fields) >= 5 and fields[1].endswith("s") and int(fields[2], 16) == 0
                and fields[3] == device and int(fields[4]) == st.st_ino):
            start, end = (int(x, 16) for x in fields[0].split("-"))
            if end - start >= HEADER_BYTES:
                return start
    return None
