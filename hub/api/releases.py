"""Dated releases: immutable snapshots of the public downloads that a citation can point at.

``ocop-hub release`` (or the Dagster asset ``data_release``) writes one folder under the
releases directory (``HUB_RELEASES_DIR``, default ``<HUB_HOME>/releases``), named by its date
and the store's data version (``ocop-hub_2026-12-07_v5812``): the anonymous products export as
CSV and Parquet (its key-value metadata as a download's), the code lists its codes refer to, the
data package describing those files (so it validates on its own, foreign keys included), a
``release.json`` (date, data version, licence, citation, each file's size and SHA-256) and
``SHA256SUMS`` for ``sha256sum -c``. A release is written to a hidden folder and renamed into
place, so a reader sees a whole release or none; once there it is never written again. A second
release of the same date and data version is the same release: it is returned, not rewritten.

Every file of a release is read at one data version: the version is read before and after the
files are written, and a store that changed meanwhile (a harvest committed) has the files written
again, up to ``ATTEMPTS`` times, so the CSV and the Parquet always hold the same rows.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from dataclasses import asdict, dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Iterator

from sqlalchemy.engine import Engine

from hub.api import exports
from hub.api.export_codes import CODE_LISTS
from hub.api.export_meta import Described, citation, last_change, parquet_metadata
from hub.api.export_package import data_package
from hub.api.export_params import ExportQuery
from hub.api.filters import ProductFilter
from hub.store.certificates import current_date
from hub.store.data_version import read_version
from hub.settings import load_settings

RELEASE_NAME = re.compile(r"^ocop-hub_(\d{4}-\d{2}-\d{2})_v(\d+)$")
INDEX = "release.json"
CHECKSUMS = "SHA256SUMS"
ATTEMPTS = 3


class ReleaseError(ValueError):
    """A release cannot be written or read (the directory, a name, a file), with the reason."""


@dataclass(frozen=True)
class ReleaseFile:
    name: str
    bytes: int
    sha256: str
    media_type: str

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Release:
    name: str
    as_of: str  # the date the figures are as of (ISO)
    known_at: str  # when the files were written (ISO, UTC), at ``data_version``
    data_version: int
    licence: str
    citation: str
    files: tuple[ReleaseFile, ...]

    def as_json(self) -> dict[str, Any]:
        return asdict(self) | {"files": [f.as_json() for f in self.files]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Release":
        return cls(**{**data, "files": tuple(ReleaseFile(**f) for f in data["files"])})


RELEASED = ("products", "products-parquet")
"""The downloads a release holds (data package resource names), beside the code lists."""


def releases_dir() -> Path:
    """Where releases are kept: ``HUB_RELEASES_DIR``, else ``<HUB_HOME>/releases``."""
    configured = os.environ.get("HUB_RELEASES_DIR")
    return Path(configured) if configured else load_settings().home / "releases"


def release_name(on: date, version: int) -> str:
    return f"ocop-hub_{on.isoformat()}_v{version}"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _write_chunks(path: Path, chunks: Iterator[str] | Iterator[bytes]) -> None:
    """A download's chunks to a file: bytes as they are, text in UTF-8."""
    with path.open("wb") as f:
        for chunk in chunks:
            f.write(chunk.encode() if isinstance(chunk, str) else chunk)


def write_release(engine: Engine, root: Path | None = None) -> tuple[Release, bool]:
    """Write today's release (or find it written already): (the release, whether it is new)."""
    root = root or releases_dir()
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ReleaseError(f"cannot create the releases directory {root}: {exc.strerror}") from exc
    for _ in range(ATTEMPTS):
        on, version = current_date(), read_version(engine)
        name = release_name(on, version)
        if (root / name / INDEX).is_file():
            return read_release(root, name), False
        work = root / f".{name}.{os.getpid()}.partial"
        try:
            release = _write_files(engine, work, name, on, version)
            if read_version(engine) != version:
                shutil.rmtree(work, ignore_errors=True)
                continue  # written while the store changed: again, at the new version
            try:
                work.rename(root / name)
            except OSError:  # written meanwhile by another process: theirs stands, ours goes
                if not (root / name / INDEX).is_file():
                    raise
                shutil.rmtree(work, ignore_errors=True)
                return read_release(root, name), False
            return release, True
        except BaseException:
            shutil.rmtree(work, ignore_errors=True)
            raise
    raise ReleaseError(f"the store changed while each of {ATTEMPTS} releases was written; try again when "
                       "the harvests are done")


def _write_files(engine: Engine, work: Path, name: str, on: date, version: int) -> Release:
    """The release's files in ``work`` (a hidden folder, renamed into place by the caller)."""
    shutil.rmtree(work, ignore_errors=True)
    (work / "codes").mkdir(parents=True)
    settings = load_settings()
    url = f"{settings.public_url.rstrip('/')}/export/releases/{name}/"
    d = Described(version=version, as_of=on, known_at=None, filters={}, modified=last_change(engine, None),
                  base_url=url)
    query = ExportQuery(filter=ProductFilter())
    _write_chunks(work / "products.csv", exports.products_csv(engine, query))
    metadata = parquet_metadata(settings, d) | {"ocop:datapackage": url + "datapackage.json"}
    _write_chunks(work / "products.parquet", exports.products_parquet(engine, query, metadata=metadata))
    for code_list in CODE_LISTS.values():
        _write_chunks(work / "codes" / f"{code_list.name}.csv",
                      exports.csv_stream([c.name for c in code_list.columns], code_list.rows(engine)))
    package = data_package(settings, d)
    package["resources"] = [r for r in package["resources"] if r["name"] in RELEASED or r["path"].startswith("codes/")]
    (work / "datapackage.json").write_text(json.dumps(package, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    files = tuple(ReleaseFile(path.relative_to(work).as_posix(), path.stat().st_size, _sha256(path),
                              _MEDIA_TYPES[path.suffix])
                  for path in sorted(work.rglob("*")) if path.is_file())
    release = Release(name=name, as_of=on.isoformat(), known_at=datetime.now(timezone.utc).isoformat(),
                      data_version=version, licence=settings.data_licence, citation=citation(settings, d), files=files)
    (work / CHECKSUMS).write_text("".join(f"{f.sha256}  {f.name}\n" for f in files), encoding="ascii")
    (work / INDEX).write_text(json.dumps(release.as_json(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return release


_MEDIA_TYPES = {".csv": "text/csv; charset=utf-8", ".parquet": "application/vnd.apache.parquet",
                ".json": "application/json"}


def read_release(root: Path, name: str) -> Release:
    """A release by name; ReleaseError for a name that is not one (nothing outside ``root`` is read)."""
    if not RELEASE_NAME.fullmatch(name):
        raise ReleaseError(f"{name!r} is not a release name (ocop-hub_YYYY-MM-DD_vN)")
    index = root / name / INDEX
    if not index.is_file():
        raise ReleaseError(f"no release {name!r}")
    return Release.from_json(json.loads(index.read_text(encoding="utf-8")))


def list_releases(root: Path | None = None) -> list[Release]:
    """Every release, newest first (by date, then data version)."""
    root = root or releases_dir()
    if not root.is_dir():
        return []
    found = [(m.group(1), int(m.group(2)), p.name) for p in root.iterdir()
             if (m := RELEASE_NAME.fullmatch(p.name)) and (p / INDEX).is_file()]
    return [read_release(root, name) for *_, name in sorted(found, reverse=True)]


def release_file(root: Path, name: str, file_name: str) -> tuple[Path, ReleaseFile]:
    """A file of a release, as its index lists it (no other path is ever served)."""
    release = read_release(root, name)
    listed = {f.name: f for f in release.files}
    listed[INDEX] = ReleaseFile(INDEX, (root / name / INDEX).stat().st_size, "", "application/json")
    listed[CHECKSUMS] = ReleaseFile(CHECKSUMS, (root / name / CHECKSUMS).stat().st_size, "", "text/plain")
    if file_name not in listed:
        raise ReleaseError(f"release {name!r} has no file {file_name!r}; it has {', '.join(sorted(listed))}")
    return root / name / file_name, listed[file_name]
