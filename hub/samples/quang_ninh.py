"""Quảng Ninh: 449 products of 175 producers, three 5★ Hạ Long pearls (seed 003), as an Excel
workbook, and a second list repeating some of them written differently."""
from __future__ import annotations

import datetime as dt
import random
import unicodedata
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Font

from hub.samples.files import (SourceOut, bad_row, csv_text, mojibake, save_workbook, star_counts, strip_marks,
                                type_counts, warned_row)
from hub.samples.names import Names, Producer, Product, certified, grouped_by_producer, producer_core, split
from hub.samples.places import legacy_places
from hub.samples.words import CATALOGUE, PRODUCER_KINDS, group_text

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
    counts = split(rng, QN_PRODUCTS - 5, len(producers))
    stars = [5] * (QN_STARS[5] - 3) + [4] * QN_STARS[4] + [3] * (QN_STARS[3] - 2)
    rng.shuffle(stars)
    products: list[Product] = []
    for producer, count in zip(producers, counts):
        for _ in range(count):
            name, group = names.product(producer)
            products.append(certified(rng, name, producer, stars.pop(), group, range(2019, 2025)))
    specials = [(n, pearl, 5, "food") for n in QN_PEARLS] + [
        ("Dầu lạc", oil, 3, "food"), ("Dầu vừng", oil, 3, "food")]
    for name, producer, star, group in specials:
        names.fixed_product(name)
        product = certified(rng, name, producer, star, group, range(2019, 2025))
        if star == 5:  # rated by the central council on 30/06/2021
            product.year, product.decision_date = 2021, dt.date(2021, 6, 30)
        products.insert(rng.randrange(len(products) + 1) if producer is oil else 0, product)
    for producer in producers:
        producer.legacy_font = rng.random() < 0.05
    for product in products:
        product.legacy_font = product.name not in QN_PEARLS + ("Dầu lạc", "Dầu vừng") and rng.random() < 0.05
    return grouped_by_producer(products)


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
    # A certified product typed with the group "xyz": its name says the group (GROUP_INFERRED).
    no_group = next(p for p in products if p.name.startswith("Rượu") and not p.legacy_font)
    warned_rows = []
    row_number = 4
    start_of: dict[str, int] = {}
    end_of: dict[str, int] = {}
    for index, p in enumerate(products, start=1):
        row_number += 1
        name = mojibake(p.name) if p.legacy_font else p.name
        producer = mojibake(p.producer.name) if p.producer.legacy_font else p.producer.name
        first = p.producer.name not in start_of
        start_of.setdefault(p.producer.name, row_number)
        end_of[p.producer.name] = row_number
        ws.append([
            index, name, producer if first else None,
            (type_words[p.producer.kind] if rng.random() < 0.5 else None) if first else None,
            p.producer.place.district if first else None, p.producer.place.commune if first else None,
            "xyz" if p is no_group else group_text(rng, "1048", p.group), f"{p.stars} sao", p.year,
            p.decision_number,
            dt.datetime.combine(p.decision_date, dt.time()),
        ])
        ws.cell(row=row_number, column=11).number_format = "dd/mm/yyyy"
        if p is no_group:
            group_text(rng, "1048", p.group)  # drawn all the same: the other rows keep their words
            warned_rows.append(warned_row(row_number, "GROUP_INFERRED",
                                          f"group 'xyz' for {p.name!r}, whose name says Đồ uống"))
    for producer, start in start_of.items():
        if end_of[producer] > start:
            for col in (3, 4, 5, 6):
                ws.merge_cells(start_row=start, start_column=col, end_row=end_of[producer], end_column=col)
    template = products[rng.randrange(len(products))]
    place = template.producer.place
    bad_specs = [
        ("MISSING_FIELD", "missing product name",
         ["", "HTX Nông nghiệp Hoành Bồ", "HTX", place.district, place.commune, "Thực phẩm", "3 sao", 2023,
          "1200/QĐ-UBND", dt.datetime(2023, 6, 1)]),
        ("BAD_STARS", "stars '7 sao' out of 1–5",
         ["Chả mực Hạ Long siêu hạng", "Hộ kinh doanh Trần Văn Mực", "Hộ sản xuất", place.district,
          place.commune, "Thực phẩm", "7 sao", 2023, "1201/QĐ-UBND", dt.datetime(2023, 6, 1)]),
    ]
    # an exact duplicate: the original row as the sheet shows it (producer cells come from the merge)
    dup_row = 4 + products.index(template) + 1
    first_row = start_of[template.producer.name]
    duplicate = [ws.cell(row=first_row if col in (3, 4, 5, 6) else dup_row, column=col).value
                 for col in range(2, width + 1)]
    bad_specs.append(("DUPLICATE_RECORD", f"exact duplicate of row {dup_row}", duplicate))
    bad_rows = []
    for index, (error, why, values) in enumerate(bad_specs, start=len(products) + 1):
        row_number += 1
        ws.append([index] + values)
        bad_rows.append(bad_row(row_number, error, why))
    path = folder / "quang_ninh.xlsx"
    save_workbook(wb, path)
    return SourceOut(
        name="quang-ninh", province="Quảng Ninh", kind="xlsx", location="registries/quang_ninh.xlsx",
        encoding="auto", certified=len(products), producers=len({p.producer.name for p in products}),
        rows=len(products) + len(bad_rows), bad_rows=bad_rows, warned_rows=warned_rows,
        stars=star_counts(products), producer_types=type_counts(products),
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
            name, producer = strip_marks(name), strip_marks(producer)
        elif style == 1:
            name = name.upper()
        elif style == 2:
            name = "  " + name.replace(" ", "  ") + " "
        else:
            name, producer = name.lower(), producer.replace("HTX", "Hợp tác xã")
        rows.append([name, producer, f"{p.stars} sao", group_text(rng, "148", p.group),
                     p.producer.place.district, p.producer.place.commune, str(p.year)])
    text = csv_text([header] + rows, ",")
    (folder / "quang_ninh_bo_sung.csv").write_bytes(unicodedata.normalize("NFD", text).encode("utf-8"))
    return SourceOut(
        name="quang-ninh-bo-sung", province="Quảng Ninh", kind="csv", location="registries/quang_ninh_bo_sung.csv",
        encoding="auto", certified=0, producers=0, rows=len(rows), bad_rows=[], stars=star_counts(chosen),
        producer_types=type_counts(chosen),
        description=(
            f"CSV in UTF-8 NFD (decomposed marks), no title rows: {len(rows)} products that are ALREADY in "
            "quang_ninh.xlsx (the three Hạ Long pearls, \"Dầu lạc\" and 21 others), written differently: "
            "upper/lower case, without diacritics, doubled spaces, \"Cty CP\"/\"Cty TNHH\" for "
            "\"Công ty Cổ phần\"/\"Công ty TNHH\", \"Hợp tác xã\" for \"HTX\". They must not add to the count."
        ),
    )
