"""Dated releases (SQLite and PostgreSQL): `ocop-hub release` writes an immutable folder of the
public downloads with checksums; /export/releases/ lists it and serves each file byte for byte,
later, after the store has changed; a second release of an unchanged store is the same release."""
from __future__ import annotations

import csv
import hashlib
import io
import json
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from frictionless import Package
from starlette.testclient import TestClient

from hub.server import create_app
from hub.api.releases import ReleaseError, list_releases, read_release, release_file, write_release
from tests.ingest.test_as_of_timeline import LIST_2023, LIST_2024, harvest


def test_a_release_is_written_whole_listed_and_served_byte_for_byte_after_the_store_changes(
        store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HUB_TODAY", "2024-06-30")
    monkeypatch.setenv("HUB_RELEASES_DIR", str(tmp_path / "releases"))
    harvest(store, LIST_2023, date(2024, 1, 15))
    first, new = write_release(store)
    assert new and first.as_of == "2024-06-30" and first.name.startswith("ocop-hub_2024-06-30_v")
    folder = tmp_path / "releases" / first.name
    assert sorted(p.name for p in folder.iterdir()) == ["SHA256SUMS", "codes", "datapackage.json", "products.csv",
                                                       "products.parquet", "release.json"]
    assert {f.name for f in first.files} >= {"products.csv", "products.parquet", "datapackage.json",
                                            "codes/provinces.csv", "codes/statuses.csv"}
    for f in first.files:  # the index's checksums are the files'
        assert hashlib.sha256((folder / f.name).read_bytes()).hexdigest() == f.sha256
        assert f"{f.sha256}  {f.name}\n" in (folder / "SHA256SUMS").read_text()
    rows = list(csv.DictReader(io.StringIO((folder / "products.csv").read_text(encoding="utf-8-sig"))))
    assert len(rows) == len(LIST_2023) and pq.read_table(folder / "products.parquet").num_rows == len(LIST_2023)
    assert all(r["province_code"] == "22" for r in rows)
    assert "producer_phone" not in rows[0]  # a release is the anonymous download

    # The release describes itself: its package validates with the files beside it, foreign keys to
    # the code lists included; the Parquet says its licence and citation, as release.json does.
    package = Package(json.loads((folder / "datapackage.json").read_text(encoding="utf-8")), basepath=str(folder))
    assert {r.name for r in package.resources} >= {"products", "products-parquet", "provinces", "statuses"}
    assert not {r.path for r in package.resources} - {f.name for f in first.files}, "it describes only its files"
    for resource in package.resources:
        if resource.format == "csv":
            report = resource.validate()
            assert report.valid, (resource.name, report.flatten(["type", "message"])[:5])
    metadata = pq.read_schema(folder / "products.parquet").metadata
    assert metadata[b"ocop:data_version"] == str(first.data_version).encode()
    assert metadata[b"ocop:licence"].decode() == first.licence == "CC-BY-4.0"
    assert metadata[b"ocop:datapackage"].decode().endswith(f"/export/releases/{first.name}/datapackage.json")
    assert f"/export/releases/{first.name}/" in first.citation and "2024-06-30" in first.citation

    again, new = write_release(store)  # the same day and data version: the same release, not rewritten
    assert not new and again == first
    assert [p.name for p in (tmp_path / "releases").iterdir()] == [first.name]  # no partial folder left

    with TestClient(create_app(store)) as client:
        before = {f.name: client.get(f"/export/releases/{first.name}/{f.name}").content for f in first.files}
        assert client.get(f"/export/releases/{first.name}/codes/provinces.csv").status_code == 200
        harvest(store, LIST_2024, date(2024, 5, 1))  # the store changes; the release does not
        second, new = write_release(store)
        assert new and second.name != first.name and second.data_version > first.data_version
        listed = client.get("/export/releases/").json()["releases"]
        assert [r["name"] for r in listed] == [second.name, first.name]  # newest first
        assert listed[1]["files"][0]["url"].endswith(f"/export/releases/{first.name}/{listed[1]['files'][0]['name']}")
        for f in first.files:
            got = client.get(f"/export/releases/{first.name}/{f.name}")
            assert got.status_code == 200 and got.content == before[f.name]
            assert hashlib.sha256(got.content).hexdigest() == f.sha256
            assert got.headers["etag"] == f'"{f.sha256}"' and "immutable" in got.headers["cache-control"]
            assert first.name in got.headers["content-disposition"]
            assert client.get(f"/export/releases/{first.name}/{f.name}",
                              headers={"If-None-Match": got.headers["etag"]}).status_code == 304
        index = client.get(f"/export/releases/{first.name}/release.json")
        assert json.loads(index.content)["data_version"] == first.data_version
        one = client.get(f"/export/releases/{first.name}/").json()
        assert one["name"] == first.name and {f["name"] for f in one["files"]} == {f.name for f in first.files}
        # Nothing but a release's own files is served; each refusal names what is there.
        for path, says in [(f"/export/releases/{first.name}/other.csv", "has no file 'other.csv'; it has"),
                           ("/export/releases/ocop-hub_2024-06-30_v999999/products.csv", "no release"),
                           ("/export/releases/ocop-hub..2024/products.csv", "is not a release name"),
                           ("/export/releases/nope/", "no release 'nope'")]:
            refused = client.get(path)
            assert refused.status_code == 404 and says in refused.json()["error"], (path, refused.text)
        for path in [f"/export/releases/{first.name}/..%2F..%2Fhub.sqlite3", "/export/releases/..%2F..%2F/x"]:
            assert client.get(path).status_code == 404  # decoded to another path: no route, nothing read


def test_reading_releases_refuses_what_is_not_one(tmp_path: Path) -> None:
    assert list_releases(tmp_path / "none") == []
    (tmp_path / "ocop-hub_2024-06-30_v3").mkdir()  # a folder without its index (a crash before the rename
    (tmp_path / ".ocop-hub_2024-06-30_v4.123.partial").mkdir()  # cannot leave one; a partial folder is hidden)
    assert list_releases(tmp_path) == []
    with pytest.raises(ReleaseError, match="no release 'ocop-hub_2024-06-30_v3'"):
        read_release(tmp_path, "ocop-hub_2024-06-30_v3")
    with pytest.raises(ReleaseError, match="not a release name"):
        release_file(tmp_path, "../etc", "passwd")


def test_the_release_command_writes_then_finds_the_release(store, store_url: str, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from hub.cli.main import app

    monkeypatch.setenv("HUB_DATABASE_URL", store_url)
    monkeypatch.setenv("HUB_TODAY", "2024-06-30")
    harvest(store, LIST_2023, date(2024, 1, 15))
    out = tmp_path / "out"
    first = CliRunner().invoke(app, ["release", "--out", str(out)])
    assert first.exit_code == 0, first.output
    [release] = list_releases(out)
    assert f"wrote {release.name} (as of 2024-06-30" in " ".join(first.output.split())
    assert all(f.sha256 in first.output for f in release.files)
    again = CliRunner().invoke(app, ["release", "--out", str(out)])
    assert again.exit_code == 0 and f"already written, unchanged: {release.name}" in " ".join(again.output.split())
    blocked = tmp_path / "a-file"
    blocked.write_text("not a directory")
    refused = CliRunner().invoke(app, ["release", "--out", str(blocked / "releases")])
    assert refused.exit_code == 2 and "cannot create the releases directory" in " ".join(refused.output.split())
