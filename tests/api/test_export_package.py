"""The data package (/export/datapackage.json) describes every download: each one, as served,
validates against it with the `frictionless` library (types, enum values, code patterns, foreign
keys to the code lists), and a researcher reading the CSV through its schema keeps "05443" and
"08" as text, in pandas and in pyarrow."""
from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
from frictionless import Checklist, Package, Resource, Schema

from hub.api.export_codes import CODE_LISTS
from hub.access.keys import create_key
from hub.store.engine import session_scope
from hub.store.models import ProductConflict
from hub.vocabulary import Role

ALL = "?status=active,expired,withdrawn"


@pytest.fixture(scope="module")
def package(client) -> dict[str, Any]:
    response = client.get("/export/datapackage.json")
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture(scope="module")
def ministry(engine) -> dict[str, str]:
    return {"Authorization": f"Bearer {create_key(engine, role=Role.MINISTRY, name='Package')[1]}"}


@pytest.fixture(scope="module")
def conflict(engine) -> None:
    """One conflict on a product of Thái Nguyên: the seeded store has none."""
    with session_scope(engine) as s:
        s.add(ProductConflict(product_id=2, province_code="19", field="group",
                              values=[{"source": "thai-nguyen-registry", "value": "FOOD"},
                                      {"source": "quang-ninh-push", "value": "BEVERAGE"}]))


def _resource(package: dict[str, Any], name: str) -> dict[str, Any]:
    [found] = [r for r in package["resources"] if r["name"] == name]
    return found


def _errors(report: Any) -> list[str]:
    return [f"{e.type}: {e.note}" for task in report.tasks for e in task.errors][:10]


def test_the_package_describes_every_download_and_code_list(package) -> None:
    names = {r["name"] for r in package["resources"]}
    assert names == {"products", "products-with-contacts", "products-parquet", "products-xlsx", "stats",
                     "conflicts", "rejected", *CODE_LISTS}
    report = Package.validate_descriptor(package)
    assert report.valid, _errors(report)
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    assert "data version" in package["ocop:citation"]
    products = {f["name"]: f for f in _resource(package, "products")["schema"]["fields"]}
    assert products["province_code"]["type"] == "string"
    assert products["province_code"]["constraints"]["pattern"] == r"^\d{2}$"
    assert products["status"]["constraints"]["enum"] == ["ACTIVE", "EXPIRED", "WITHDRAWN"]
    assert products["group"]["description"] and products["group"]["description_vi"].startswith("Nhóm")
    keys = {k["fields"]: k["reference"]["resource"] for k in _resource(package, "products")["schema"]["foreignKeys"]}
    assert keys == {"province_code": "provinces", "commune_code": "communes", "group": "groups",
                    "status": "statuses", "producer_type": "producer-types"}


def test_every_download_validates_against_its_package(client, package, ministry, conflict, tmp_path: Path) -> None:
    """The CSV downloads and code lists, laid out beside the package as its paths say, validate
    with their foreign keys; the rejected rows validate in the columns the package describes."""
    files = {"products.csv": client.get("/export/products.csv" + ALL),
             "products-keyed.csv": client.get("/export/products.csv" + ALL, headers=ministry),
             "conflicts.csv": client.get("/export/conflicts.csv"),
             "rejected.csv": client.get("/export/rejected.csv?source=thai-nguyen-registry"),
             **{f"codes/{name}.csv": client.get(f"/export/codes/{name}.csv") for name in CODE_LISTS}}
    for path, response in files.items():
        assert response.status_code == 200, (path, response.text)
        (tmp_path / path).parent.mkdir(exist_ok=True)
        (tmp_path / path).write_bytes(response.content)
    descriptor = json.loads(json.dumps(package))
    _resource(descriptor, "products-with-contacts")["path"] = "products-keyed.csv"
    descriptor["resources"] = [r for r in descriptor["resources"]  # stats: its own test, below (fields vary)
                               if r["format"] == "csv" and r["name"] != "stats"]
    checked = Package(descriptor, basepath=str(tmp_path))
    for resource in checked.resources:
        skip = ["extra-label", "extra-cell"] if resource.name == "rejected" else []  # the registry's own columns
        report = resource.validate(checklist=Checklist(skip_errors=skip))
        assert report.valid, (resource.name, _errors(report))
        assert report.tasks[0].stats["rows"] > 0, resource.name


def test_a_bad_download_fails_the_validation(client, package, tmp_path: Path) -> None:
    """The check can fail: a province code that lost its zero, an unknown status."""
    body = client.get("/export/products.csv").content.decode("utf-8-sig")
    (tmp_path / "products.csv").write_text(body.replace(",19,", ",019,", 1).replace(",ACTIVE,", ",active,", 1),
                                           encoding="utf-8")
    descriptor = json.loads(json.dumps(_resource(package, "products")))
    del descriptor["schema"]["foreignKeys"]  # alone, without the code lists
    report = Resource(descriptor, basepath=str(tmp_path)).validate()
    assert [(e.type, e.field_name) for task in report.tasks for e in task.errors] == [
        ("constraint-error", "status"), ("constraint-error", "province_code")]


def test_the_parquet_download_validates_against_the_same_schema(client, package) -> None:
    table = pq.read_table(io.BytesIO(client.get("/export/products.parquet" + ALL).content))
    schema = _resource(package, "products-parquet")["schema"]
    assert table.column_names == [f["name"] for f in schema["fields"]]
    rows = [list(r.values()) for r in table.to_pylist()]
    inline = {k: v for k, v in schema.items() if k != "foreignKeys"}  # the code lists are checked with the CSV
    report = Resource(data=[table.column_names, *rows], schema=Schema.from_descriptor(inline)).validate()
    assert report.valid, _errors(report)
    assert report.tasks[0].stats["rows"] == table.num_rows > 0


def test_the_excel_download_validates_against_the_same_schema(client, package, tmp_path: Path) -> None:
    """frictionless reads the workbook itself (its first sheet) through the package's schema."""
    (tmp_path / "products.xlsx").write_bytes(client.get("/export/products.xlsx" + ALL).content)
    descriptor = json.loads(json.dumps(_resource(package, "products-xlsx")))
    del descriptor["schema"]["foreignKeys"]  # the code lists are checked with the CSV
    report = Resource(descriptor, basepath=str(tmp_path)).validate()
    assert report.valid, _errors(report)
    assert report.tasks[0].stats["rows"] > 0


@pytest.mark.parametrize("group_by", ["PROVINCE,STARS", "GROUP,STATUS", "LEGACY_PROVINCE,YEAR,PRODUCER_TYPE"])
def test_a_stats_download_validates_against_its_fields_in_order(client, package, tmp_path: Path, group_by) -> None:
    """A stats file holds some of the resource's fields (as_of, the dimensions' in groupBy's order, the
    counts): validated with those."""
    (tmp_path / "stats.csv").write_bytes(client.get(f"/export/stats.csv?groupBy={group_by}").content)
    header = (tmp_path / "stats.csv").read_text(encoding="utf-8-sig").splitlines()[0].split(",")
    descriptor = json.loads(json.dumps(_resource(package, "stats")))
    by_name = {f["name"]: f for f in descriptor["schema"]["fields"]}
    assert set(header) <= set(by_name) and header[0] == "as_of" and header[-2:] == ["product_count", "producer_count"]
    descriptor["schema"]["fields"] = [by_name[name] for name in header]
    del descriptor["schema"]["foreignKeys"]
    report = Resource(descriptor, basepath=str(tmp_path)).validate()
    assert report.valid, _errors(report)
    assert report.tasks[0].stats["rows"] > 0


def _types(package: dict[str, Any], name: str) -> dict[str, str]:
    return {f["name"]: f["type"] for f in _resource(package, name)["schema"]["fields"]}


def test_codes_stay_text_in_pandas_and_pyarrow_read_through_the_schema(client, package) -> None:
    products = client.get("/export/products.csv" + ALL).content
    provinces = client.get("/export/codes/provinces.csv").content
    for body, name, column, code in [(products, "products", "commune_code", "05443"),
                                     (provinces, "provinces", "code", "08")]:
        text_columns = [n for n, t in _types(package, name).items() if t == "string"]
        frame = pd.read_csv(io.BytesIO(body), encoding="utf-8-sig", dtype={n: "string" for n in text_columns},
                            keep_default_na=False, na_values=[""])
        assert code in set(frame[column].dropna()), (name, column)
        table = pacsv.read_csv(io.BytesIO(body), convert_options=pacsv.ConvertOptions(
            column_types={n: pa.string() for n in text_columns}))
        assert code in set(table[column].to_pylist()), (name, column)
        guessed = pacsv.read_csv(io.BytesIO(body))  # without the schema: what the issue saw
        assert code not in set(guessed[column].to_pylist())
    frame = pd.read_csv(io.BytesIO(products), encoding="utf-8-sig", dtype={"commune_code": "string"},
                        parse_dates=["decision_date"])
    assert frame["proposed_five_star"].dtype == bool
