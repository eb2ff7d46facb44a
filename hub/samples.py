"""Generate the sample provincial registries for the demo and the tests.

``python -m hub.samples --out DIR [--seed 2026]`` writes ``DIR/sources.yaml``, ``DIR/registries/*``,
``DIR/manifest.json`` (per source: rows written, certified rows, bad rows and why) and ``DIR/README.md``.
Everything is combined from word lists and the real administrative unit names (the
``vietnamadminunits`` data set) by a seeded ``random.Random``: the same seed writes the same bytes.

The certified rows reproduce the press figures of the seed articles (Quảng Ninh 449 products of
175 producers; Bắc Kạn 2018 37 of 32; Trà Vinh 80 of 49 …); the bad rows are extra, on purpose.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import html
import io
import json
import random
import re
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Font

from hub.normalize.encodings import encode_legacy
from hub.normalize.fold import search_key

DEFAULT_SEED = 2026
_FIXED_TIME = (2026, 1, 1, 0, 0, 0)

# --- word lists -------------------------------------------------------------------------------

# (product, group key). Group keys are written in each registry's own words (see _GROUP_WORDS).
CATALOGUE: tuple[tuple[str, str], ...] = (
    ("Miến dong", "food"), ("Mật ong", "food"), ("Gạo nếp", "food"), ("Lạp sườn", "food"),
    ("Măng khô", "food"), ("Mộc nhĩ", "food"), ("Nấm hương", "food"), ("Chả mực", "food"),
    ("Nước mắm", "food"), ("Tôm khô", "food"), ("Sá sùng khô", "food"), ("Ruốc tôm", "food"),
    ("Bánh gai", "food"), ("Bánh chưng", "food"), ("Bún khô", "food"), ("Thịt lợn gác bếp", "food"),
    ("Thịt trâu sấy", "food"), ("Lạc nhân", "food"), ("Mơ sấy dẻo", "food"), ("Chuối sấy", "food"),
    ("Mứt gừng", "food"), ("Kẹo lạc", "food"), ("Bánh tráng", "food"), ("Cốm", "food"),
    ("Gà đồi", "food"), ("Trứng vịt muối", "food"), ("Cá khô", "food"), ("Tương ớt", "food"),
    ("Hạt dẻ", "food"), ("Bánh khảo", "food"), ("Chè Shan tuyết", "drink"), ("Trà hoa vàng", "drink"),
    ("Rượu ba kích", "drink"), ("Rượu mơ", "drink"), ("Rượu ngô men lá", "drink"),
    ("Trà túi lọc", "drink"), ("Nước cốt chanh leo", "drink"), ("Cà phê bột", "drink"),
    ("Trà xạ đen", "drink"), ("Rượu nếp cẩm", "drink"), ("Rượu sim", "drink"), ("Trà giảo cổ lam", "drink"),
    ("Cao ba kích", "herbal"), ("Tinh dầu quế", "herbal"), ("Tinh dầu sả", "herbal"),
    ("Cao chè vằng", "herbal"), ("Bột sắn dây", "herbal"), ("Dầu xoa bóp", "herbal"),
    ("Trà dây thìa canh", "herbal"), ("Cao sâm", "herbal"), ("Khăn thổ cẩm", "craft"),
    ("Giỏ mây tre", "craft"), ("Chiếu cói", "craft"), ("Tranh than đá", "craft"), ("Đũa tre", "craft"),
    ("Túi cói", "craft"), ("Nón lá", "craft"), ("Áo chàm", "textile"), ("Vải lanh", "textile"),
    ("Du lịch cộng đồng", "service"), ("Homestay", "service"),
)
REGIONAL: dict[str, tuple[tuple[str, str], ...]] = {
    "Trà Vinh": (
        ("Bánh tét", "food"), ("Dừa sáp", "food"), ("Kẹo dừa", "food"), ("Mắm ba khía", "food"),
        ("Bánh canh", "food"), ("Tôm khô", "food"), ("Rượu Xuân Thạnh", "drink"), ("Nước dừa", "drink"),
        ("Giỏ lục bình", "craft"),
    ),
    "Lâm Đồng": (
        ("Cà phê Robusta", "drink"), ("Cà phê Arabica", "drink"), ("Atiso", "herbal"),
        ("Mứt dâu tây", "food"), ("Trà Ô long", "drink"), ("Hạt mắc ca", "food"), ("Rượu vang", "drink"),
    ),
}
VARIANTS = (
    "đặc biệt", "truyền thống", "hảo hạng", "loại 1", "túi 500g", "hộp quà", "sấy lạnh", "nguyên chất",
    "thượng hạng", "hữu cơ", "gia truyền", "chai 500ml",
)
_GROUP_WORDS: dict[str, dict[str, Sequence[str]]] = {
    "1048": {  # the six branches of Decision 1048/QĐ-TTg (2019)
        "food": ("Thực phẩm",), "drink": ("Đồ uống",), "herbal": ("Thảo dược",),
        "textile": ("Vải và may mặc",), "craft": ("Lưu niệm - nội thất - trang trí",),
        "service": ("Dịch vụ du lịch nông thôn, bán hàng",),
    },
    "148": {  # the current national groups of Decision 148/QĐ-TTg (2023)
        "food": ("Thực phẩm",), "drink": ("Đồ uống",), "herbal": ("Dược liệu và sản phẩm từ dược liệu",),
        "textile": ("Hàng thủ công mỹ nghệ",), "craft": ("Hàng thủ công mỹ nghệ",),
        "service": ("Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch",),
    },
    "free": {  # what an office types by hand
        "food": ("nông sản chế biến", "thực phẩm", "Nông sản"), "drink": ("rượu", "đồ uống"),
        "herbal": ("dược liệu", "thảo dược"), "textile": ("dệt may",), "craft": ("thủ công mỹ nghệ",),
        "service": ("du lịch",),
    },
}
FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý",
          "Nông", "Hà", "Triệu", "Ma", "Lục", "Lâm", "Thạch", "Kim")
MIDDLE = ("Văn", "Thị", "Đức", "Minh", "Thanh", "Ngọc", "Hữu", "Quang", "Thu", "Xuân")
GIVEN = ("An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hoa", "Hùng", "Hương", "Lan", "Linh",
         "Long", "Mai", "Nam", "Phong", "Quân", "Sơn", "Tâm", "Thắng", "Thủy", "Trang", "Tuấn", "Vân", "Yến")
HTX_TRADES = ("Nông nghiệp", "Dịch vụ nông nghiệp", "Nông lâm nghiệp", "Chè", "Thủy sản", "Dược liệu",
              "Sản xuất và Dịch vụ", "Nông sản sạch")
BRAND_WORDS = ("Thực phẩm Xanh", "Nông sản Việt", "Thương mại và Dịch vụ", "Đặc sản", "Sinh thái",
               "Phát triển Nông nghiệp", "Xuất nhập khẩu", "Hương Quê", "Bốn Mùa", "Sao Mai")
PRODUCER_KINDS = ("htx", "company", "enterprise", "household", "group")


# --- administrative units ---------------------------------------------------------------------

@dataclass(frozen=True)
class Place:
    district: str  # "huyện Pác Nặm"; "" after the 2025 reform
    commune: str   # "xã Bộc Bố"
    short: str     # "Bộc Bố"


def legacy_places(province: str) -> list[Place]:
    """Pre-2025 districts and communes of an old province, as the registries of the time wrote them.

    Units whose name only its type tells apart ("huyện" / "thị xã Duyên Hải", "xã" / "thị trấn Đầm
    Hà") are left out: the data set marks them with a suffix ("Duyên Hải (Huyện)") no registry writes.
    """
    from vietnamadminunits.database import query  # the package's own read-only data set

    rows = query(
        "SELECT DISTINCT districtType, districtShort, wardType, wardShort, wardCode FROM admin_units_legacy "
        f"WHERE provinceShort = '{province}' AND districtShortDuplicated = 0 AND wardShortDuplicated = 0 "
        "ORDER BY wardCode"
    )
    return [
        Place(f"{r['districtType'].lower()} {r['districtShort']}", f"{r['wardType'].lower()} {r['wardShort']}",
              r["wardShort"])
        for r in rows
    ]


def current_places(province: str) -> list[Place]:
    """Communes of a province after 1 July 2025 (no districts)."""
    from vietnamadminunits.database import query

    rows = query(
        "SELECT DISTINCT wardType, wardShort, wardCode FROM admin_units "
        f"WHERE provinceShort = '{province}' AND wardShortKeyDuplicated = 0 ORDER BY wardCode"
    )
    return [Place("", f"{r['wardType']} {r['wardShort']}", r["wardShort"]) for r in rows]


# --- the generated registry -------------------------------------------------------------------

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


def _split(rng: random.Random, total: int, parts: int) -> list[int]:
    """``total`` items over ``parts`` owners, each at least one, seeded."""
    counts = [1] * parts
    for _ in range(total - parts):
        counts[rng.randrange(parts)] += 1
    return counts


def _decision(rng: random.Random, year: int, body: str) -> tuple[str, dt.date]:
    day = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(330))
    return f"{rng.randrange(100, 3999)}/QĐ-{body}", day


def _group_text(rng: random.Random, style: str, group: str) -> str:
    return rng.choice(_GROUP_WORDS[style][group])


# --- per-province generators ------------------------------------------------------------------

QN_PRODUCTS, QN_PRODUCERS = 449, 175
QN_PEARLS = ("Ngọc trai Southsea - ngọc trai Hạ Long", "Ngọc trai Akoya - ngọc trai Hạ Long",
             "Ngọc trai Tahiti - ngọc trai Hạ Long")
QN_PEARL_PRODUCER = "Công ty Cổ phần Ngọc trai Hạ Long"
QN_OIL_PRODUCER = "HTX Nông nghiệp Hải Yến"
QN_STARS = {5: 3, 4: 160, 3: 286}  # the three pearls are Quảng Ninh's only 5★ products (seed 003)


def quang_ninh(rng: random.Random) -> list[Product]:
    places = legacy_places("Quảng Ninh")
    names = Names(rng, places, CATALOGUE)
    ha_long = [p for p in places if p.district == "thành phố Hạ Long"]
    mong_cai = [p for p in places if p.district == "thành phố Móng Cái"]
    pearl = Producer(QN_PEARL_PRODUCER, "company", rng.choice(ha_long))
    oil = Producer(QN_OIL_PRODUCER, "htx", rng.choice(mong_cai))
    names.producers.update({producer_core(pearl.name), producer_core(oil.name)})
    kinds = rng.choices(PRODUCER_KINDS, weights=(30, 25, 5, 35, 5), k=QN_PRODUCERS - 2)
    producers = [names.producer(k) for k in kinds]
    counts = _split(rng, QN_PRODUCTS - 5, len(producers))
    stars = [5] * (QN_STARS[5] - 3) + [4] * QN_STARS[4] + [3] * (QN_STARS[3] - 2)
    rng.shuffle(stars)
    products: list[Product] = []
    for producer, count in zip(producers, counts):
        for _ in range(count):
            name, group = names.product(producer)
            products.append(_certified(rng, name, producer, stars.pop(), group, range(2019, 2025)))
    specials = [(n, pearl, 5, "food") for n in QN_PEARLS] + [
        ("Dầu lạc", oil, 3, "food"), ("Dầu vừng", oil, 3, "food")]
    for name, producer, star, group in specials:
        names.fixed_product(name)
        product = _certified(rng, name, producer, star, group, range(2019, 2025))
        if star == 5:  # rated by the central council on 30/06/2021
            product.year, product.decision_date = 2021, dt.date(2021, 6, 30)
        products.insert(rng.randrange(len(products) + 1) if producer is oil else 0, product)
    for producer in producers:
        producer.legacy_font = rng.random() < 0.05
    for product in products:
        product.legacy_font = product.name not in QN_PEARLS + ("Dầu lạc", "Dầu vừng") and rng.random() < 0.05
    return _grouped_by_producer(products)


BK_PRODUCTS, BK_PRODUCERS = 37, 32
BK_TURMERIC = ("Tinh bột nghệ nếp đỏ", "Tinh bột nghệ nếp đen")
BK_TURMERIC_PRODUCER = "HTX dịch vụ nông nghiệp Tân Thành"


def bac_kan(rng: random.Random) -> list[Product]:
    places = legacy_places("Bắc Kạn")
    names = Names(rng, places, CATALOGUE)
    tan_thanh = Producer(BK_TURMERIC_PRODUCER, "htx", rng.choice(places))
    names.producers.add(producer_core(tan_thanh.name))
    producers = [names.producer(k) for k in rng.choices(PRODUCER_KINDS, weights=(40, 20, 5, 30, 5), k=BK_PRODUCERS - 1)]
    counts = [1] * len(producers)
    for index in rng.sample(range(len(producers)), 4):  # 4 more producers with two products
        counts[index] = 2
    stars = [4] * 5 + [3] * (BK_PRODUCTS - 2 - 5)
    rng.shuffle(stars)
    products = [_certified(rng, names.fixed_product(n), tan_thanh, 3, "herbal", [2018]) for n in BK_TURMERIC]
    for producer, count in zip(producers, counts):
        for _ in range(count):
            name, group = names.product(producer)
            products.append(_certified(rng, name, producer, stars.pop(), group, [2018]))
    rng.shuffle(products)
    return _grouped_by_producer(products)


TV_KINDS = {"htx": 8, "company": 9, "enterprise": 2, "household": 30}
TV_STARS = {"potential": 5, 4: 9, 3: 66}
TV_PRODUCTS = 80


def tra_vinh(rng: random.Random) -> list[Product]:
    places = legacy_places("Trà Vinh")
    names = Names(rng, places, REGIONAL["Trà Vinh"] + CATALOGUE)
    kinds = [k for k, n in TV_KINDS.items() for _ in range(n)]
    rng.shuffle(kinds)
    producers = [names.producer(k) for k in kinds]
    counts = _split(rng, TV_PRODUCTS, len(producers))
    stars: list[int | str] = ["potential"] * TV_STARS["potential"] + [4] * TV_STARS[4] + [3] * TV_STARS[3]
    rng.shuffle(stars)
    products = []
    for producer, count in zip(producers, counts):
        for _ in range(count):
            name, group = names.product(producer)
            star = stars.pop()
            product = _certified(rng, name, producer, 4 if star == "potential" else int(star), group, range(2019, 2022))
            product.potential_five = star == "potential"
            products.append(product)
    return products


HG_PRODUCTS, HG_PRODUCERS = 62, 40


def ha_giang(rng: random.Random) -> list[Product]:
    places = legacy_places("Hà Giang")
    names = Names(rng, places, CATALOGUE)
    producers = [names.producer(k) for k in rng.choices(PRODUCER_KINDS, weights=(40, 20, 5, 30, 5), k=HG_PRODUCERS)]
    stars = rng.choices((3, 4, 5), weights=(70, 28, 2), k=HG_PRODUCTS)
    products = []
    for producer, count in zip(producers, _split(rng, HG_PRODUCTS, HG_PRODUCERS)):
        for _ in range(count):
            name, group = names.product(producer)
            products.append(_certified(rng, name, producer, stars[len(products)], group, range(2020, 2024)))
    return products


LD_PRODUCTS, LD_PRODUCERS = 45, 30


def lam_dong(rng: random.Random) -> list[Product]:
    places = current_places("Lâm Đồng")
    names = Names(rng, places, REGIONAL["Lâm Đồng"] + CATALOGUE)
    producers = [names.producer(k) for k in rng.choices(PRODUCER_KINDS, weights=(35, 30, 5, 25, 5), k=LD_PRODUCERS)]
    stars = rng.choices((3, 4), weights=(65, 35), k=LD_PRODUCTS)
    products = []
    for producer, count in zip(producers, _split(rng, LD_PRODUCTS, LD_PRODUCERS)):
        for _ in range(count):
            name, group = names.product(producer)
            product = _certified(rng, name, producer, stars[len(products)], group, [2025])
            product.decision_date = dt.date(2025, 7, 15) + dt.timedelta(days=rng.randrange(120))
            products.append(product)
    return products


def _certified(rng: random.Random, name: str, producer: Producer, stars: int, group: str,
               years: Sequence[int]) -> Product:
    year = rng.choice(list(years))
    number, day = _decision(rng, year, "BNN-VPĐP" if stars == 5 else "UBND")  # 5★: the central council
    return Product(name, producer, stars, group, year, number, day)


def _grouped_by_producer(products: list[Product]) -> list[Product]:
    """A producer's products are consecutive (so its "Chủ thể" cell can be merged), first-seen order."""
    order: dict[str, int] = {}
    for product in products:
        order.setdefault(product.producer.name, len(order))
    return sorted(products, key=lambda p: order[p.producer.name])


# --- writers ----------------------------------------------------------------------------------

@dataclass
class SourceOut:
    name: str
    province: str
    kind: str
    location: str
    encoding: str
    certified: int
    producers: int
    rows: int
    bad_rows: list[dict[str, object]]
    stars: dict[str, int]
    producer_types: dict[str, int]
    description: str


def _mojibake(text: str) -> str:
    """Text typed in a TCVN3 (.VnTime) font and stored in a workbook as Latin-1 characters."""
    return encode_legacy(text, "tcvn3").decode("latin-1")


def _star_counts(products: Sequence[Product]) -> dict[str, int]:
    counts = Counter("4 (tiềm năng 5)" if p.potential_five else str(p.stars) for p in products)
    return dict(sorted(counts.items()))


def _type_counts(products: Sequence[Product]) -> dict[str, int]:
    seen = {p.producer.name: p.producer.kind for p in products}
    return dict(sorted(Counter(seen.values()).items()))


def write_quang_ninh(rng: random.Random, products: list[Product], folder: Path) -> SourceOut:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Danh sách sản phẩm OCOP"
    width = 11
    ws.append(["UBND TỈNH QUẢNG NINH"])
    ws.append(["DANH SÁCH SẢN PHẨM OCOP TỈNH QUẢNG NINH (đến hết năm 2024)"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    ws.append(["STT", "Tên sản phẩm", "Chủ thể", "Loại hình", "Địa chỉ", None, "Nhóm sản phẩm", "Hạng sao",
               "Năm công nhận", "Số quyết định", "Ngày quyết định"])
    ws.append([None, None, None, None, "Huyện/TX/TP", "Xã/Phường", None, None, None, None, None])
    for col in (1, 2, 3, 4, 7, 8, 9, 10, 11):
        ws.merge_cells(start_row=3, start_column=col, end_row=4, end_column=col)
    ws.merge_cells(start_row=3, start_column=5, end_row=3, end_column=6)
    for row in ws.iter_rows(min_row=1, max_row=4):
        for cell in row:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    type_words = {"htx": "HTX", "company": "Doanh nghiệp", "enterprise": "Doanh nghiệp",
                  "household": "Hộ sản xuất", "group": "Tổ hợp tác"}
    row_number = 4
    start_of: dict[str, int] = {}
    end_of: dict[str, int] = {}
    for index, p in enumerate(products, start=1):
        row_number += 1
        name = _mojibake(p.name) if p.legacy_font else p.name
        producer = _mojibake(p.producer.name) if p.producer.legacy_font else p.producer.name
        first = p.producer.name not in start_of
        start_of.setdefault(p.producer.name, row_number)
        end_of[p.producer.name] = row_number
        ws.append([
            index, name, producer if first else None,
            (type_words[p.producer.kind] if rng.random() < 0.5 else None) if first else None,
            p.producer.place.district if first else None, p.producer.place.commune if first else None,
            _group_text(rng, "1048", p.group), f"{p.stars} sao", p.year, p.decision_number,
            dt.datetime.combine(p.decision_date, dt.time()),
        ])
        ws.cell(row=row_number, column=11).number_format = "dd/mm/yyyy"
    for producer, start in start_of.items():
        if end_of[producer] > start:
            for col in (3, 4, 5, 6):
                ws.merge_cells(start_row=start, start_column=col, end_row=end_of[producer], end_column=col)
    template = products[rng.randrange(len(products))]
    place = template.producer.place
    bad_specs = [
        ("missing product name", ["", "HTX Nông nghiệp Hoành Bồ", "HTX", place.district, place.commune,
                                   "Thực phẩm", "3 sao", 2023, "1200/QĐ-UBND", dt.datetime(2023, 6, 1)]),
        ("stars '7 sao' out of 1–5", ["Chả mực Hạ Long siêu hạng", "Hộ kinh doanh Trần Văn Mực", "Hộ sản xuất",
                                      place.district, place.commune, "Thực phẩm", "7 sao", 2023, "1201/QĐ-UBND",
                                      dt.datetime(2023, 6, 1)]),
        ("unknown group 'xyz'", ["Nước mắm Cái Rồng", "Doanh nghiệp tư nhân Vân Đồn Xanh", "Doanh nghiệp",
                                 place.district, place.commune, "xyz", "3 sao", 2022, "1202/QĐ-UBND",
                                 dt.datetime(2022, 5, 4)]),
    ]
    # an exact duplicate: the original row as the sheet shows it (producer cells come from the merge)
    dup_row = 4 + products.index(template) + 1
    first_row = start_of[template.producer.name]
    duplicate = [ws.cell(row=first_row if col in (3, 4, 5, 6) else dup_row, column=col).value
                 for col in range(2, width + 1)]
    bad_specs.append(("exact duplicate of row {dup}", duplicate))
    bad_rows = []
    for index, (why, values) in enumerate(bad_specs, start=len(products) + 1):
        row_number += 1
        ws.append([index] + values)
        bad_rows.append({"row": row_number, "why": why.format(dup=dup_row)})
    path = folder / "quang_ninh.xlsx"
    _save_workbook(wb, path)
    return SourceOut(
        name="quang-ninh", province="Quảng Ninh", kind="xlsx", location="registries/quang_ninh.xlsx",
        encoding="auto", certified=len(products), producers=len({p.producer.name for p in products}),
        rows=len(products) + len(bad_rows), bad_rows=bad_rows, stars=_star_counts(products),
        producer_types=_type_counts(products),
        description=(
            "Excel workbook, sheet \"Danh sách sản phẩm OCOP\": two merged title rows, a two-row header "
            "(\"Địa chỉ\" merged over \"Huyện/TX/TP\" | \"Xã/Phường\"), an STT column, a producer's "
            "\"Chủ thể\"/\"Loại hình\"/address cells merged down over its consecutive products, stars as "
            "\"3 sao\", 1048-era group names, pre-reform districts and communes, about 5% of product and "
            "producer cells typed in a TCVN3 (.VnTime) font (Latin-1 mojibake)."
        ),
    )


def write_quang_ninh_extra(rng: random.Random, products: list[Product], folder: Path) -> SourceOut:
    """A second Quảng Ninh list repeating products written differently: same products, no new ones."""
    chosen = [p for p in products if p.name in QN_PEARLS or p.name == "Dầu lạc"]
    others = [p for p in products if p not in chosen and not p.legacy_font and not p.producer.legacy_font]
    chosen += rng.sample(others, 21)
    header = ["Tên SP", "Tên chủ thể", "Xếp hạng", "Ngành hàng", "Huyện/TP", "Xã/Phường", "Năm"]
    rows = []
    for p in chosen:
        style = rng.randrange(4)
        name, producer = p.name, p.producer.name
        producer = producer.replace("Công ty Cổ phần", "Cty CP").replace("Công ty TNHH", "Cty TNHH")
        if style == 0:
            name, producer = _strip_marks(name), _strip_marks(producer)
        elif style == 1:
            name = name.upper()
        elif style == 2:
            name = "  " + name.replace(" ", "  ") + " "
        else:
            name, producer = name.lower(), producer.replace("HTX", "Hợp tác xã")
        rows.append([name, producer, f"{p.stars} sao", _group_text(rng, "148", p.group),
                     p.producer.place.district, p.producer.place.commune, str(p.year)])
    text = _csv_text([header] + rows, ",")
    (folder / "quang_ninh_bo_sung.csv").write_bytes(unicodedata.normalize("NFD", text).encode("utf-8"))
    return SourceOut(
        name="quang-ninh-bo-sung", province="Quảng Ninh", kind="csv", location="registries/quang_ninh_bo_sung.csv",
        encoding="auto", certified=0, producers=0, rows=len(rows), bad_rows=[], stars=_star_counts(chosen),
        producer_types=_type_counts(chosen),
        description=(
            f"CSV in UTF-8 NFD (decomposed marks), no title rows: {len(rows)} products that are ALREADY in "
            "quang_ninh.xlsx (the three Hạ Long pearls, \"Dầu lạc\" and 21 others), written differently: "
            "upper/lower case, without diacritics, doubled spaces, \"Cty CP\"/\"Cty TNHH\" for "
            "\"Công ty Cổ phần\"/\"Công ty TNHH\", \"Hợp tác xã\" for \"HTX\". They must not add to the count."
        ),
    )


def write_bac_kan(rng: random.Random, products: list[Product], folder: Path) -> SourceOut:
    header = ["STT", "Tên sản phẩm", "Chủ thể", "Xã", "Huyện", "Nhóm", "Số sao", "Năm", "Số QĐ", "Ngày QĐ"]
    rows = []
    for index, p in enumerate(products, start=1):
        rows.append([str(index), p.name, p.producer.name, p.producer.place.commune, p.producer.place.district,
                     _group_text(rng, "free", p.group), f"{p.stars}*", "2018", "1520/QĐ-UBND",
                     "15/08/2018"])
    place = products[0].producer.place
    bad = [
        ("unknown group 'xyz'", ["Bánh khảo Chợ Đồn", "Hộ kinh doanh Hoàng Văn Khảo", place.commune, place.district,
                                 "xyz", "3*", "2018", "1520/QĐ-UBND", "15/08/2018"]),
        ("unknown commune 'xã Hoàng Kim Long'", ["Miến dong Hoàng Kim", "HTX Miến dong Hoàng Kim",
                                                 "xã Hoàng Kim Long", "huyện Na Rì", "thực phẩm", "3*",
                                                 "2018", "1520/QĐ-UBND", "15/08/2018"]),
        ("decision date in the future (15/08/2099)", ["Rượu men lá Nà Phặc", "Hộ kinh doanh Ma Văn Rượu",
                                                      place.commune, place.district, "rượu", "3*", "2018",
                                                      "1520/QĐ-UBND", "15/08/2099"]),
    ]
    bad_rows = []
    for index, (why, values) in enumerate(bad, start=len(rows) + 1):
        rows.append([str(index)] + values)
        bad_rows.append({"row": index + 1, "why": why})  # header is row 1
    text = _csv_text([header] + rows, ",")
    (folder / "bac_kan_2018.csv").write_bytes(encode_legacy(text, "tcvn3"))
    return SourceOut(
        name="bac-kan-2018", province="Bắc Kạn", kind="csv", location="registries/bac_kan_2018.csv",
        encoding="tcvn3", certified=len(products), producers=len({p.producer.name for p in products}),
        rows=len(rows), bad_rows=bad_rows, stars=_star_counts(products), producer_types=_type_counts(products),
        description=(
            "CSV saved as TCVN3 (ABC) single-byte text, comma-separated, STT column, stars as \"3*\"/\"4*\", "
            "free-text groups (\"nông sản chế biến\", \"rượu\", \"dược liệu\"…), pre-reform communes and "
            "districts (\"huyện Pác Nặm\", \"huyện Na Rì\"…), all recognised in 2018 by Decision 1520/QĐ-UBND."
        ),
    )


def write_tra_vinh(rng: random.Random, products: list[Product], folder: Path) -> SourceOut:
    out = io.StringIO()
    out.write('<!DOCTYPE html>\n<html lang="vi">\n<head>\n<meta charset="utf-8">\n'
              "<title>Sở Nông nghiệp và PTNT tỉnh Trà Vinh - Sản phẩm OCOP</title>\n</head>\n<body>\n")
    out.write('<table class="menu"><tr><td><a href="/">Trang chủ</a></td><td><a href="/tin-tuc">Tin tức</a>'
              "</td></tr></table>\n<h1>Danh sách sản phẩm OCOP tỉnh Trà Vinh</h1>\n"
              "<p>Cập nhật đến hết năm 2021.&nbsp;Nguồn: Văn phòng Điều phối nông thôn mới tỉnh.</p>\n")
    out.write('<table border="1" class="ocop">\n<thead>\n'
              '<tr><th colspan="10">DANH SÁCH SẢN PHẨM OCOP TỈNH TRÀ VINH</th></tr>\n<tr>')
    for title in ("STT", "Tên sản phẩm", "Chủ thể", "Quận/Huyện", "Xã/Phường", "Nhóm sản phẩm", "Hạng sao",
                  "Năm công nhận", "Số quyết định", "Ngày công nhận"):
        out.write(f"<th>{html.escape(title)}</th>")
    out.write("</tr>\n</thead>\n<tbody>\n")
    span: dict[str, int] = Counter(p.producer.name for p in products)
    started: set[str] = set()
    row_number = 2
    for index, p in enumerate(products, start=1):
        row_number += 1
        star = "4 sao (tiềm năng 5 sao)" if p.potential_five else "★" * p.stars
        cells = [f"<td>{index}</td>", f"<td><b>{html.escape(p.name)}</b><br></td>"]
        if p.producer.name not in started:
            started.add(p.producer.name)
            rows = span[p.producer.name]
            attr = f' rowspan="{rows}"' if rows > 1 else ""
            cells.append(f"<td{attr}>{html.escape(p.producer.name)}</td>")
        cells += [f"<td>{html.escape(p.producer.place.district)}</td>",
                  f"<td>{html.escape(p.producer.place.commune)}</td>",
                  f"<td>{html.escape(_group_text(rng, '1048', p.group))}</td>", f"<td>{star}</td>",
                  f"<td>{p.year}</td>",
                  f"<td>{html.escape(p.decision_number)}</td>", f"<td>&nbsp;{p.decision_date:%d/%m/%Y}&nbsp;</td>"]
        out.write("<tr>" + "".join(cells) + "</tr>\n")
    place = products[-1].producer.place
    bad = [
        ("missing product name", ["", "Hộ kinh doanh Thạch Thị Dừa", place.district, place.commune, "Thực phẩm",
                                  "★★★", "2021", "2210/QĐ-UBND", "12/10/2021"]),
        ("seven stars '★★★★★★★'", ["Bánh tét lá cẩm Trà Cuôn", "Cơ sở Kim Thị Bánh", place.district,
                                    place.commune, "Thực phẩm", "★★★★★★★", "2021", "2210/QĐ-UBND", "12/10/2021"]),
        ("unknown commune 'xã Mỹ Ngọc Lan'", ["Kẹo dừa Mỹ Ngọc Lan", "HTX Dừa Mỹ Ngọc Lan", "huyện Càng Long",
                                              "xã Mỹ Ngọc Lan", "Thực phẩm", "★★★", "2020", "1833/QĐ-UBND", "05/08/2020"]),
    ]
    bad_rows = []
    for index, (why, values) in enumerate(bad, start=len(products) + 1):
        row_number += 1
        out.write("<tr><td>" + str(index) + "</td>" + "".join(f"<td>{html.escape(v)}</td>" for v in values)
                  + "</tr>\n")
        bad_rows.append({"row": row_number, "why": why})
    out.write("</tbody>\n</table>\n<p>&copy; Sở Nông nghiệp và PTNT Trà Vinh</p>\n</body>\n</html>\n")
    target = folder / "tra_vinh"
    target.mkdir(parents=True, exist_ok=True)
    (target / "index.html").write_bytes(out.getvalue().encode("utf-8"))
    return SourceOut(
        name="tra-vinh", province="Trà Vinh", kind="html", location="registries/tra_vinh/index.html",
        encoding="auto", certified=len(products), producers=len(span), rows=len(products) + len(bad_rows),
        bad_rows=bad_rows, stars=_star_counts(products), producer_types=_type_counts(products),
        description=(
            "HTML page (meta charset utf-8) with a navigation table first, then the registry table: a title "
            "row (th colspan=10), the header row, \"Chủ thể\" cells spanning a producer's products (rowspan), "
            "stars as \"★★★\", \"★★★★\" or \"4 sao (tiềm năng 5 sao)\", product names in <b>…</b><br>, "
            "dates padded with &nbsp;, pre-reform districts and communes, years 2019–2021."
            " Row numbers count the table's rows (title row = 1, header = 2)."
        ),
    )


def write_ha_giang(rng: random.Random, products: list[Product], folder: Path, page_size: int = 25) -> SourceOut:
    type_words = {"htx": "Hợp tác xã", "company": "Doanh nghiệp", "enterprise": "Doanh nghiệp",
                  "household": "Hộ kinh doanh", "group": "Tổ hợp tác"}
    people = Names(rng, [], CATALOGUE)
    records: list[dict[str, object]] = []
    for p in products:
        record: dict[str, object] = {
            "id": len(records) + 1, "product_name": p.name, "producer_name": p.producer.name,
            "producer_type": type_words[p.producer.kind], "stars": p.stars,
            "score": rng.randrange(70, 90) if p.stars == 4 else rng.randrange(90, 96) if p.stars == 5
            else rng.randrange(50, 70),
            "group": _group_text(rng, "148", p.group), "province": "Hà Giang",
            "district": p.producer.place.district, "commune": p.producer.place.commune,
            "year": p.year, "decision_number": p.decision_number, "decision_date": p.decision_date.isoformat(),
            "issuing_body": "Hội đồng Trung ương" if p.stars == 5 else "UBND tỉnh Hà Giang",
        }
        if rng.random() < 0.4:
            record["phone"] = f"09{rng.randrange(10**7, 10**8)}"
            record["contact_person"] = people.person()
        records.append(record)
    place = products[0].producer.place
    bad = [
        ("unknown province 'Tỉnh Tây Bắc'", {"product_name": "Chè Shan tuyết Tây Côn Lĩnh thượng hạng",
                                             "producer_name": "HTX Chè Tây Côn Lĩnh", "stars": 4,
                                             "group": "Đồ uống", "province": "Tỉnh Tây Bắc", "year": 2022}),
        ("stars 7", {"product_name": "Mật ong bạc hà Đồng Văn", "producer_name": "HTX Ong mật Đồng Văn",
                     "stars": 7, "group": "Thực phẩm", "province": "Hà Giang", "district": place.district,
                     "commune": place.commune, "year": 2022}),
        ("missing product name (null)", {"product_name": None, "producer_name": "Hộ kinh doanh Lù Văn Pó",
                                         "stars": 3, "group": "Thực phẩm", "province": "Hà Giang", "year": 2021}),
    ]
    bad_rows = []
    for why, record in bad:
        records.append({"id": len(records) + 1, **record})
        bad_rows.append({"row": len(records), "why": why})
    target = folder / "ha_giang_api"
    target.mkdir(parents=True, exist_ok=True)
    pages = [records[i:i + page_size] for i in range(0, len(records), page_size)]
    for number, items in enumerate(pages, start=1):
        document = {"page": number, "total": len(records), "items": items,
                    "next": f"page-{number + 1}.json" if number < len(pages) else None}
        (target / f"page-{number}.json").write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n",
                                                    encoding="utf-8")
    return SourceOut(
        name="ha-giang-api", province="Hà Giang", kind="json_api", location="registries/ha_giang_api/page-1.json",
        encoding="auto", certified=len(products), producers=len({p.producer.name for p in products}),
        rows=len(records), bad_rows=bad_rows, stars=_star_counts(products), producer_types=_type_counts(products),
        description=(
            f"A paginated JSON API kept as files: page-1.json … page-{len(pages)}.json, {page_size} records a page, "
            "{\"items\": [...], \"next\": \"page-2.json\"} (a relative next link, null on the last page), "
            "canonical English keys, stars as JSON numbers, 148 group names, pre-reform Hà Giang units "
            "(now Tuyên Quang), some personal contact data (phone, contact_person) that must never be "
            "published. Row numbers are record positions across pages."
        ),
    )


def write_lam_dong(rng: random.Random, products: list[Product], folder: Path) -> SourceOut:
    header = ["STT", "Tên sản phẩm", "Tên chủ thể", "Loại hình chủ thể", "Xã/Phường", "Tỉnh", "Nhóm sản phẩm",
              "Hạng sao", "Số quyết định", "Ngày công nhận", "Cơ quan công nhận"]
    type_words = {"htx": "Hợp tác xã", "company": "Doanh nghiệp", "enterprise": "Doanh nghiệp tư nhân",
                  "household": "Hộ kinh doanh", "group": "Tổ hợp tác"}
    rows = [["DANH SÁCH SẢN PHẨM OCOP ĐƯỢC CÔNG NHẬN NĂM 2025"], []]
    rows.append(header)
    for index, p in enumerate(products, start=1):
        rows.append([str(index), p.name, p.producer.name, type_words[p.producer.kind], p.producer.place.commune,
                     "Lâm Đồng", _group_text(rng, "148", p.group), f"{p.stars} sao", p.decision_number,
                     f"{p.decision_date:%d/%m/%Y}", "UBND tỉnh Lâm Đồng"])
    place = products[0].producer.place
    duplicate = rows[3 + rng.randrange(len(products))]
    bad = [
        ("decision date in the future (20/11/2031)", ["Cà phê Robusta Di Linh thượng hạng",
                                                      "Công ty TNHH Cà phê Di Linh Xanh", "Doanh nghiệp",
                                                      place.commune, "Lâm Đồng", "Đồ uống", "4 sao",
                                                      "3001/QĐ-UBND", "20/11/2031", "UBND tỉnh Lâm Đồng"]),
        ("unknown commune 'Phường Hoa Hồng Xanh'", ["Mứt dâu tây Hoa Hồng", "Hộ kinh doanh Lê Thị Dâu",
                                                    "Hộ kinh doanh", "Phường Hoa Hồng Xanh", "Lâm Đồng",
                                                    "Thực phẩm", "3 sao", "3002/QĐ-UBND", "20/09/2025",
                                                    "UBND tỉnh Lâm Đồng"]),
        ("missing product name", ["", "HTX Nông nghiệp Đạ Huoai", "Hợp tác xã", place.commune, "Lâm Đồng",
                                  "Thực phẩm", "3 sao", "3003/QĐ-UBND", "20/09/2025", "UBND tỉnh Lâm Đồng"]),
        ("exact duplicate of row {dup}", duplicate[1:]),
    ]
    dup_row = rows.index(duplicate) + 1
    bad_rows = []
    for index, (why, values) in enumerate(bad, start=len(products) + 1):
        rows.append([str(index)] + list(values))
        bad_rows.append({"row": len(rows), "why": why.format(dup=dup_row)})
    text = _csv_text(rows, ";")
    (folder / "lam_dong_2025.csv").write_bytes(encode_legacy(text, "vni"))
    return SourceOut(
        name="lam-dong-2025", province="Lâm Đồng", kind="csv", location="registries/lam_dong_2025.csv",
        encoding="vni", certified=len(products), producers=len({p.producer.name for p in products}),
        rows=len(products) + len(bad_rows), bad_rows=bad_rows, stars=_star_counts(products),
        producer_types=_type_counts(products),
        description=(
            "CSV saved as VNI (VNI-Times) single-byte text, semicolon-separated, a title row and an empty row "
            "above the header, post-reform (since 1 July 2025): province \"Lâm Đồng\", new commune names, no "
            "district column, 148 group names, recognised from July 2025 by the province."
        ),
    )


def _csv_text(rows: Sequence[Sequence[str]], delimiter: str) -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def _strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return bare.replace("đ", "d").replace("Đ", "D")


def _save_workbook(wb: openpyxl.Workbook, path: Path) -> None:
    """Save with fixed timestamps (zip entries and document properties) so the bytes are reproducible."""
    fixed = dt.datetime(*_FIXED_TIME)
    wb.properties.created = fixed
    wb.properties.creator = "ocop-hub samples"
    buffer = io.BytesIO()
    wb.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2026-01-01T00:00:00Z", data)
            entry = zipfile.ZipInfo(info.filename, date_time=_FIXED_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, data)
    path.write_bytes(out.getvalue())


# --- entry point ------------------------------------------------------------------------------

GENERATORS: tuple[tuple[Callable[[random.Random], list[Product]], tuple[Callable[..., SourceOut], ...]], ...] = (
    (quang_ninh, (write_quang_ninh, write_quang_ninh_extra)),
    (bac_kan, (write_bac_kan,)),
    (tra_vinh, (write_tra_vinh,)),
    (ha_giang, (write_ha_giang,)),
    (lam_dong, (write_lam_dong,)),
)


def generate(out: Path, seed: int = DEFAULT_SEED) -> list[SourceOut]:
    """Write every sample registry, sources.yaml, manifest.json and README.md under ``out``."""
    out = Path(out)
    folder = out / "registries"
    folder.mkdir(parents=True, exist_ok=True)
    sources: list[SourceOut] = []
    for index, (make, writers) in enumerate(GENERATORS):
        rng = random.Random(f"{seed}:{index}")  # one stream per province: editing one leaves the others
        products = make(rng)
        for writer in writers:
            sources.append(writer(rng, products, folder))
    _write_sources_yaml(out / "sources.yaml", sources)
    manifest = {"seed": seed, "sources": [vars(s) for s in sources]}
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (out / "README.md").write_text(_readme(seed, sources), encoding="utf-8")
    return sources


def _write_sources_yaml(path: Path, sources: Sequence[SourceOut]) -> None:
    lines = ["# Sample provincial registries, generated by `python -m hub.samples` (see README.md).", "sources:"]
    for s in sources:
        lines += [f"  - name: {s.name}", f'    province: "{s.province}"', f"    kind: {s.kind}",
                  f"    location: {s.location}", f"    encoding: {s.encoding}", '    schedule: "0 3 * * *"']
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _readme(seed: int, sources: Sequence[SourceOut]) -> str:
    parts = [
        "# Sample OCOP registries",
        "",
        f"Generated by `python -m hub.samples --out DIR --seed {seed}`: word lists and the real administrative",
        "unit names (`vietnamadminunits`) combined by a seeded random generator; the same seed writes the",
        "same bytes. Nothing here is a real registry. `manifest.json` has the same facts in machine form.",
        "",
        "Bad rows are EXTRA rows, beyond the certified counts, so that once ingest rejects them the",
        "figures are exact. Row numbers are as a person sees them (title and header rows counted; for the",
        "JSON API the record's position across pages).",
        "",
    ]
    for s in sources:
        stars = ", ".join(f"{k}★: {v}" for k, v in s.stars.items())
        types = ", ".join(f"{k}: {v}" for k, v in s.producer_types.items())
        parts += [
            f"## `{s.location}` (source `{s.name}`, {s.kind}, {s.province})",
            "",
            s.description,
            "",
            f"- rows written: {s.rows}; certified products: {s.certified} of {s.producers} producers"
            + (" (all repeats of another source)" if s.certified == 0 else ""),
            f"- stars: {stars}",
            f"- producer types (from the names): {types}",
        ]
        if s.bad_rows:
            parts.append("- bad rows on purpose:")
            parts += [f"  - row {b['row']}: {b['why']}" for b in s.bad_rows]
        else:
            parts.append("- bad rows on purpose: none")
        parts.append("")
    return "\n".join(parts)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m hub.samples", description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, type=Path, help="directory to write into")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    sources = generate(args.out, args.seed)
    for s in sources:
        print(f"{s.name:20} {s.kind:9} {s.rows:4} rows ({len(s.bad_rows)} bad)  {s.location}")


if __name__ == "__main__":
    main()
