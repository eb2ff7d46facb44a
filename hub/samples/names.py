"""The generated registry's people: producers and their products, with seeded names no resolver can merge."""
from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass

from hub.normalize.fold import search_key
from hub.samples.places import Place
from hub.samples.words import BRAND_WORDS, FAMILY, GIVEN, HTX_TRADES, MIDDLE, VARIANTS


@dataclass
class Producer:
    name: str
    kind: str
    place: Place
    legacy_font: bool = False  # the producer cell is typed in a TCVN3 font (mojibake)


@dataclass
class Product:
    name: str
    producer: Producer
    stars: int
    group: str
    year: int
    decision_number: str
    decision_date: dt.date
    potential_five: bool = False
    legacy_font: bool = False  # the product name cell is typed in a TCVN3 font (mojibake)


_LEGAL_FORMS = re.compile(
    r"^(hop tac xa|htx|cong ty (co phan|tnhh( mtv)?)|cty (cp|tnhh)|cong ty|cty|doanh nghiep tu nhan|dntn"
    r"|ho (san xuat )?kinh doanh|co so( san xuat)?|to hop tac) "
)


def producer_core(name: str) -> str:
    """A producer's name without its legal form, folded: two sample producers never share one, so no
    resolver can merge them ("HTX Chè X" / "Hợp tác xã Chè X", "Hộ kinh doanh A" / "Cơ sở A")."""
    return _LEGAL_FORMS.sub("", search_key(name))


class Names:
    """Seeded names for one province, unique even without diacritics ("Đồng Sơn" / "Đông Sơn")."""

    def __init__(self, rng: random.Random, places: list[Place], catalogue: Sequence[tuple[str, str]]):
        self.rng = rng
        self.places = places
        self.catalogue = list(catalogue)
        self.products: set[str] = set()
        self.producers: set[str] = set()

    def person(self) -> str:
        r = self.rng
        return f"{r.choice(FAMILY)} {r.choice(MIDDLE)} {r.choice(GIVEN)}"

    def producer(self, kind: str, place: Place | None = None) -> Producer:
        place = place or self.rng.choice(self.places)
        for _ in range(1000):
            r = self.rng
            if kind == "htx":
                name = f"{r.choice(('HTX', 'Hợp tác xã'))} {r.choice(HTX_TRADES)} {place.short}"
            elif kind == "company":
                form = r.choice(("Công ty TNHH", "Công ty Cổ phần", "Công ty TNHH MTV"))
                name = f"{form} {r.choice(BRAND_WORDS)} {r.choice((place.short, self.person().split()[-1]))}"
            elif kind == "enterprise":
                name = f"Doanh nghiệp tư nhân {r.choice((self.person(), r.choice(BRAND_WORDS) + ' ' + place.short))}"
            elif kind == "household":
                name = f"{r.choice(('Hộ kinh doanh', 'Cơ sở'))} {self.person()}"
            else:
                name = f"Tổ hợp tác {r.choice(HTX_TRADES).lower()} {place.short}"
            if producer_core(name) not in self.producers:
                self.producers.add(producer_core(name))
                return Producer(name, kind, place)
            place = self.rng.choice(self.places)
        raise RuntimeError("word lists too small for unique producer names")

    def product(self, producer: Producer) -> tuple[str, str]:
        for attempt in range(1000):
            base, group = self.rng.choice(self.catalogue)
            name = f"{base} {producer.place.short}"
            if attempt > 3 or search_key(name) in self.products:
                name = f"{name} {self.rng.choice(VARIANTS)}"
            if search_key(name) not in self.products:
                self.products.add(search_key(name))
                return name, group
        raise RuntimeError("word lists too small for unique product names")

    def fixed_product(self, name: str) -> str:
        self.products.add(search_key(name))
        return name


def split(rng: random.Random, total: int, parts: int) -> list[int]:
    """``total`` items over ``parts`` owners, each at least one, seeded."""
    counts = [1] * parts
    for _ in range(total - parts):
        counts[rng.randrange(parts)] += 1
    return counts


def certified(rng: random.Random, name: str, producer: Producer, stars: int, group: str,
              years: Sequence[int]) -> Product:
    """A certified product with a decision of one of ``years`` (5★: the central council's)."""
    year = rng.choice(list(years))
    body = "BNN-VPĐP" if stars == 5 else "UBND"
    day = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(330))
    return Product(name, producer, stars, group, year, f"{rng.randrange(100, 3999)}/QĐ-{body}", day)


def grouped_by_producer(products: list[Product]) -> list[Product]:
    """A producer's products are consecutive (so its "Chủ thể" cell can be merged), first-seen order."""
    order: dict[str, int] = {}
    for product in products:
        order.setdefault(product.producer.name, len(order))
    return sorted(products, key=lambda p: order[p.producer.name])
