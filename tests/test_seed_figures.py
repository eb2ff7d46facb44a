"""The demo harvest reproduces the press figures of the seed articles (../shared/seeds/).

Figures are typed here from the articles, not read from the generator, so a generator or
ingest bug cannot make this test agree with itself.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from hub.sources.harvest import harvest_source
from hub.store.models import Producer, Product
from hub.registries.sources_file import load_sources


@pytest.fixture
def harvested(store, samples_dir: Path):
    specs = load_sources(samples_dir / "sources.yaml")  # the session's samples, read only
    summaries = [harvest_source(store, spec) for spec in specs]
    assert [(s.source, s.error) for s in summaries if s.failed] == []
    return store, summaries, specs


def stars_of(engine, *where) -> dict[int, int]:
    with Session(engine) as s:
        rows = s.execute(select(Product.stars, func.count()).where(*where).group_by(Product.stars)).all()
    return dict(rows)


def producers_of(engine, *where) -> dict[str | None, int]:
    with Session(engine) as s:
        rows = s.execute(
            select(Producer.producer_type, func.count(func.distinct(Producer.id)))
            .join(Product, Product.producer_id == Producer.id).where(*where)
            .group_by(Producer.producer_type)
        ).all()
    return dict(rows)


def test_bac_kan_2018(harvested) -> None:
    """Bắc Kạn 2018: 37 products of 32 producers, 32 three-star and 5 four-star (seed 001)."""
    engine, _, _ = harvested
    where = (Product.legacy_province == "Bắc Kạn",)
    assert stars_of(engine, *where) == {3: 32, 4: 5}
    assert sum(producers_of(engine, *where).values()) == 32
    with Session(engine) as s:
        assert set(s.execute(select(Product.province_code).where(*where)).scalars()) == {"19"}  # Thái Nguyên
    # By certification year too: the workbook's typo ("15/8/2081") is left empty, and the date the
    # decision's PDF and Word annexes state (15/8/2018) is taken from them (survivorship).
    assert stars_of(engine, *where, Product.certified_year == 2018) == {3: 32, 4: 5}


def test_tra_vinh(harvested) -> None:
    """Trà Vinh: 80 products, 5 proposed for five stars, 9 four-star, 66 three-star, from 49
    producers: 8 cooperatives, 9 companies + 2 enterprises, 30 households (seed 002)."""
    engine, _, _ = harvested
    where = (Product.legacy_province == "Trà Vinh",)
    assert stars_of(engine, *where) == {3: 66, 4: 14}
    with Session(engine) as s:
        proposed = s.execute(select(func.count()).select_from(Product)
                             .where(*where, Product.proposed_five_star.is_(True))).scalar_one()
        assert set(s.execute(select(Product.province_code).where(*where)).scalars()) == {"86"}  # Vĩnh Long
    assert proposed == 5
    assert producers_of(engine, *where) == {"cooperative": 8, "enterprise": 11, "household": 30}


def test_quang_ninh(harvested) -> None:
    """Quảng Ninh: 449 products of 175 organisations, three 5★ pearls of Công ty Cổ phần Ngọc
    trai Hạ Long (seed 003); the second Quảng Ninh source adds no product."""
    engine, _, _ = harvested
    where = (Product.province_code == "22",)
    assert sum(stars_of(engine, *where).values()) == 449
    assert sum(producers_of(engine, *where).values()) == 175
    with Session(engine) as s:
        five = s.execute(select(Product.name, Producer.name).join(Producer)
                         .where(*where, Product.stars == 5)).all()
    assert sorted(n for n, _ in five) == [
        "Ngọc trai Akoya - ngọc trai Hạ Long", "Ngọc trai Southsea - ngọc trai Hạ Long",
        "Ngọc trai Tahiti - ngọc trai Hạ Long"]
    assert {p for _, p in five} == {"Công ty Cổ phần Ngọc trai Hạ Long"}


def test_reharvest_of_the_samples_changes_nothing(harvested) -> None:
    engine, first, specs = harvested
    assert sum(s.created for s in first) > 0 and sum(s.rejected for s in first) > 0
    again = [harvest_source(engine, spec) for spec in specs]
    assert [(s.created, s.updated, s.withdrawn) for s in again] == [(0, 0, 0)] * len(specs)
    assert [s.rejected for s in again] == [s.rejected for s in first]
