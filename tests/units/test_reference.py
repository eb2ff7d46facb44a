"""load_reference into a SQLite store, and UnitResolver.from_session against from_packages."""
from __future__ import annotations

import time
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlmodel import Session, SQLModel

import hub.store.models  # noqa: F401  (registers the tables)
from hub.store.engine import make_engine
from hub.store.models import Commune, LegacyUnit, Province
from hub.units.reference import build_reference, load_reference
from hub.units.resolver import UnitResolver

from .test_units import ADDRESSES, PROBLEMS, PROVINCES, UNITS

COUNTS = {"province": 34, "commune": 3321, "legacy_province": 63, "legacy_district": 696,
          "legacy_commune": 10035}


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory):
    # TODO: switch to the shared store fixture of tests/conftest.py once it exists
    path: Path = tmp_path_factory.mktemp("units") / "x.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    SQLModel.metadata.create_all(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def loaded(engine):
    timings = []
    results = []
    for _ in range(2):
        start = time.perf_counter()
        with Session(engine) as session:
            results.append(load_reference(session))
            session.commit()
        timings.append(time.perf_counter() - start)
    return results, timings


def test_load_reference_counts_and_idempotence(engine, loaded):
    (first, second), _ = loaded
    assert {k: first[k] for k in COUNTS} == COUNTS
    assert first["inserted"] == sum(COUNTS.values()) and first["updated"] == 0
    assert {k: second[k] for k in COUNTS} == COUNTS
    assert second["inserted"] == 0 and second["updated"] == 0
    with Session(engine) as s:
        assert s.execute(select(func.count()).select_from(Province)).scalar_one() == 34
        assert s.execute(select(func.count()).select_from(Commune)).scalar_one() == 3321
        by_level = dict(s.execute(select(LegacyUnit.level, func.count()).group_by(LegacyUnit.level)).all())
        assert by_level == {"province": 63, "district": 696, "commune": 10035}
        assert s.execute(select(func.count()).select_from(LegacyUnit)
                         .where(LegacyUnit.code_version != "pre2025")).scalar_one() == 0


def test_load_reference_is_fast(loaded):
    _, timings = loaded
    assert max(timings) < 5.0, timings


def test_load_reference_repairs_a_changed_row(engine, loaded):
    with Session(engine) as s:
        s.get(Province, "19").name = "Thai Nguyen (edited)"
        s.commit()
    with Session(engine) as s:
        result = load_reference(s)
        s.commit()
        assert result["updated"] == 1 and result["inserted"] == 0
        assert s.get(Province, "19").name == "Thái Nguyên"


def test_stored_codes_and_names(engine, loaded):
    with Session(engine) as s:
        codes = {p.code: (p.name, p.full_name) for p in s.execute(select(Province)).scalars()}
        assert codes["01"] == ("Hà Nội", "Thành phố Hà Nội")
        assert codes["08"] == ("Tuyên Quang", "Tỉnh Tuyên Quang")
        assert codes["19"][0] == "Thái Nguyên" and codes["22"][0] == "Quảng Ninh"
        assert codes["52"][0] == "Gia Lai" and codes["86"][0] == "Vĩnh Long"
        assert all(len(c) == 2 and c.isdigit() for c in codes)
        assert all(len(c) == 5 and c.isdigit() for c in s.execute(select(Commune.code)).scalars())
        old = {(u.code): (u.name, u.current_province_code) for u in s.execute(
            select(LegacyUnit).where(LegacyUnit.level == "province")).scalars()}
        assert old["06"] == ("Bắc Kạn", "19")
        assert old["84"] == ("Trà Vinh", "86")
        assert old["02"] == ("Hà Giang", "08")
        assert old["52"] == ("Bình Định", "52")
        assert old["22"] == ("Quảng Ninh", "22")
        assert old["64"] == ("Gia Lai", "52")
        commune = s.execute(select(LegacyUnit).where(LegacyUnit.level == "commune",
                                                     LegacyUnit.code == "01861")).scalar_one()
        assert (commune.name, commune.legacy_province_code,
                commune.current_province_code, commune.current_commune_code) == (
            "Xã Nhạn Môn", "06", "19", "01864")
        # every old commune has a current successor (the default one when it was split)
        assert s.execute(select(func.count()).select_from(LegacyUnit).where(
            LegacyUnit.level == "commune", LegacyUnit.current_commune_code.is_(None))).scalar_one() == 0


def test_package_names_are_cleaned():
    ref = build_reference()
    assert not [c["name"] for c in ref.communes if "  " in c["name"] or c["name"] != c["name"].strip()]
    assert not ref.findings["current_communes_not_joined"]


def _all_cases():
    for text, *_ in PROVINCES:
        yield (text,), {}
    for province, district, commune, *_ in UNITS:
        yield (province, district, commune), {}
    for address, default, *_ in ADDRESSES:
        yield (None,), {"address": address, "default_province": default}
    for args, kwargs, *_ in PROBLEMS:
        yield args, kwargs


def test_from_session_answers_like_from_packages(engine, loaded):
    with Session(engine) as s:
        from_db = UnitResolver.from_session(s)
    from_pkg = UnitResolver.from_packages()
    for args, kwargs in _all_cases():
        assert from_db.resolve(*args, **kwargs) == from_pkg.resolve(*args, **kwargs), (args, kwargs)
    assert from_db.province_codes() == from_pkg.province_codes()
    for code in from_pkg.province_codes():
        assert from_db.province_name(code) == from_pkg.province_name(code)


def test_from_session_refuses_an_empty_store(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path}/empty.sqlite3")
    SQLModel.metadata.create_all(engine)
    with Session(engine) as s, pytest.raises(LookupError, match="load_reference"):
        UnitResolver.from_session(s)
    engine.dispose()
