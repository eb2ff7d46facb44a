"""Lâm Đồng 2025: a post-reform list (new communes, no districts) saved as VNI CSV."""
from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from hub.normalize.encodings import encode_legacy
from hub.samples.files import SourceOut, bad_row, csv_text, star_counts, type_counts, warned_row
from hub.samples.names import Names, Product, certified, split
from hub.samples.places import current_places
from hub.samples.words import CATALOGUE, PRODUCER_KINDS, REGIONAL, group_text

LD_PRODUCTS, LD_PRODUCERS = 45, 30
LD_UNKNOWN_COMMUNE = "Phường Hoa Hồng Xanh"


def lam_dong(rng: random.Random) -> list[Product]:
    places = current_places("Lâm Đồng")
    names = Names(rng, places, REGIONAL["Lâm Đồng"] + CATALOGUE)
    producers = [names.producer(k) for k in rng.choices(PRODUCER_KINDS, weights=(35, 30, 5, 25, 5), k=LD_PRODUCERS)]
    stars = rng.choices((3, 4), weights=(65, 35), k=LD_PRODUCTS)
    products = []
    for producer, count in zip(producers, split(rng, LD_PRODUCTS, LD_PRODUCERS)):
        for _ in range(count):
            name, group = names.product(producer)
            product = certified(rng, name, producer, stars[len(products)], group, [2025])
            product.decision_date = dt.date(2025, 7, 15) + dt.timedelta(days=rng.randrange(120))
            products.append(product)
    return products


def write_lam_dong(rng: random.Random, products: list[Product], folder: Path) -> SourceOut:
    header = ["STT", "Tên sản phẩm", "Tên chủ thể", "Loại hình chủ thể", "Xã/Phường", "Tỉnh", "Nhóm sản phẩm",
              "Hạng sao", "Số quyết định", "Ngày công nhận", "Cơ quan công nhận"]
    type_words = {"htx": "Hợp tác xã", "company": "Doanh nghiệp", "enterprise": "Doanh nghiệp tư nhân",
                  "household": "Hộ kinh doanh", "group": "Tổ hợp tác"}
    rows = [["DANH SÁCH SẢN PHẨM OCOP ĐƯỢC CÔNG NHẬN NĂM 2025"], []]
    rows.append(header)
    # Two certified products typed messily, stored with a warning: a date typed "2052" for "2025"
    # and a commune no list names.
    future, lost_commune = products[5], products[-5]
    warned_rows = []
    for index, p in enumerate(products, start=1):
        commune = LD_UNKNOWN_COMMUNE if p is lost_commune else p.producer.place.commune
        day = f"{p.decision_date:%d/%m}/2052" if p is future else f"{p.decision_date:%d/%m/%Y}"
        rows.append([str(index), p.name, p.producer.name, type_words[p.producer.kind], commune,
                     "Lâm Đồng", group_text(rng, "148", p.group), f"{p.stars} sao", p.decision_number,
                     day, "UBND tỉnh Lâm Đồng"])
        if p is future:
            warned_rows.append(warned_row(len(rows), "FUTURE_DATE", f"decision date {day} (for 2025)"))
        if p is lost_commune:
            warned_rows.append(warned_row(len(rows), "UNRESOLVED_UNIT", f"unknown commune {commune!r}"))
    place = products[0].producer.place
    elsewhere = current_places("Khánh Hòa")[0]
    duplicate = rows[3 + rng.randrange(len(products))]
    dup_row = rows.index(duplicate) + 1
    bad = [
        ("MISSING_FIELD", "missing product name",
         ["", "HTX Nông nghiệp Đạ Huoai", "Hợp tác xã", place.commune, "Lâm Đồng", "Thực phẩm", "3 sao",
          "3003/QĐ-UBND", "20/09/2025", "UBND tỉnh Lâm Đồng"]),
        ("BELOW_CERTIFICATION", "'2 sao': below 3★, not an OCOP product",
         ["Mứt dâu tây Hoa Hồng", "Hộ kinh doanh Lê Thị Dâu", "Hộ kinh doanh", place.commune, "Lâm Đồng",
          "Thực phẩm", "2 sao", "3002/QĐ-UBND", "20/09/2025", "UBND tỉnh Lâm Đồng"]),
        ("WRONG_PROVINCE", f"a Khánh Hòa product ({elsewhere.commune})",
         [f"Nước mắm {elsewhere.short}", f"Công ty TNHH Hải sản {elsewhere.short}", "Doanh nghiệp",
          elsewhere.commune, "Khánh Hòa", "Thực phẩm", "4 sao", "3001/QĐ-UBND", "20/09/2025",
          "UBND tỉnh Khánh Hòa"]),
        ("DUPLICATE_RECORD", f"exact duplicate of row {dup_row}", duplicate[1:]),
    ]
    bad_rows = []
    for index, (error, why, values) in enumerate(bad, start=len(products) + 1):
        rows.append([str(index)] + list(values))
        bad_rows.append(bad_row(len(rows), error, why))
    text = csv_text(rows, ";")
    (folder / "lam_dong_2025.csv").write_bytes(encode_legacy(text, "vni"))
    return SourceOut(
        name="lam-dong-2025", province="Lâm Đồng", kind="csv", location="registries/lam_dong_2025.csv",
        encoding="vni", certified=len(products), producers=len({p.producer.name for p in products}),
        rows=len(products) + len(bad_rows), bad_rows=bad_rows, warned_rows=warned_rows, stars=star_counts(products),
        producer_types=type_counts(products),
        description=(
            "CSV saved as VNI (VNI-Times) single-byte text, semicolon-separated, a title row and an empty row "
            "above the header, post-reform (since 1 July 2025): province \"Lâm Đồng\", new commune names, no "
            "district column, 148 group names, recognised from July 2025 by the province."
        ),
    )


