"""Hà Giang (now part of Tuyên Quang): a paginated JSON API kept as files."""
from __future__ import annotations

import json
import random
from collections import Counter
from pathlib import Path

from hub.samples.files import SourceOut, bad_row, star_counts, type_counts, warned_row
from hub.samples.names import Names, Product, certified, split
from hub.samples.places import legacy_places
from hub.samples.words import CATALOGUE, PRODUCER_KINDS, group_text

HG_PRODUCTS, HG_PRODUCERS = 62, 40


def ha_giang(rng: random.Random) -> list[Product]:
    places = legacy_places("Hà Giang")
    names = Names(rng, places, CATALOGUE)
    producers = [names.producer(k) for k in rng.choices(PRODUCER_KINDS, weights=(40, 20, 5, 30, 5), k=HG_PRODUCERS)]
    stars = rng.choices((3, 4, 5), weights=(70, 28, 2), k=HG_PRODUCTS)
    products = []
    for producer, count in zip(producers, split(rng, HG_PRODUCTS, HG_PRODUCERS)):
        for _ in range(count):
            name, group = names.product(producer)
            products.append(certified(rng, name, producer, stars[len(products)], group, range(2020, 2024)))
    return products


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
            "group": group_text(rng, "148", p.group), "province": "Hà Giang",
            "district": p.producer.place.district, "commune": p.producer.place.commune,
            "year": p.year, "decision_number": p.decision_number, "decision_date": p.decision_date.isoformat(),
            "issuing_body": "Hội đồng Trung ương" if p.stars == 5 else "UBND tỉnh Hà Giang",
        }
        if rng.random() < 0.4:
            record["phone"] = f"09{rng.randrange(10**7, 10**8)}"
            record["contact_person"] = people.person()
        records.append(record)
    warned_rows = _messy_records(products, records)
    place = products[0].producer.place
    elsewhere = legacy_places("Lào Cai")[0]
    bad = [
        ("BAD_STARS", "stars 7",
         {"product_name": "Mật ong bạc hà Đồng Văn", "producer_name": "HTX Ong mật Đồng Văn", "stars": 7,
          "group": "Thực phẩm", "province": "Hà Giang", "district": place.district, "commune": place.commune,
          "year": 2022}),
        ("MISSING_FIELD", "missing product name (null)",
         {"product_name": None, "producer_name": "Hộ kinh doanh Lù Văn Pó", "stars": 3, "group": "Thực phẩm",
          "province": "Hà Giang", "year": 2021}),
        ("WRONG_PROVINCE", f"a Lào Cai product ({elsewhere.commune}, {elsewhere.district})",
         {"product_name": f"Chè Shan tuyết {elsewhere.short}", "producer_name": f"HTX Chè {elsewhere.short}",
          "producer_type": "Hợp tác xã", "stars": 3, "group": "Đồ uống", "province": "Lào Cai",
          "district": elsewhere.district, "commune": elsewhere.commune, "year": 2022}),
    ]
    bad_rows = []
    for error, why, record in bad:
        records.append({"id": len(records) + 1, **record})
        bad_rows.append(bad_row(len(records), error, why))
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
        rows=len(records), bad_rows=bad_rows, warned_rows=warned_rows, stars=star_counts(products),
        producer_types=type_counts(products),
        description=(
            f"A paginated JSON API kept as files: page-1.json … page-{len(pages)}.json, {page_size} records a page, "
            "{\"items\": [...], \"next\": \"page-2.json\"} (a relative next link, null on the last page), "
            "canonical English keys, stars as JSON numbers, 148 group names, pre-reform Hà Giang units "
            "(now Tuyên Quang), some personal contact data (phone, contact_person) that must never be "
            "published. Row numbers are record positions across pages."
        ),
    )


def _messy_records(products: list[Product], records: list[dict[str, object]]) -> list[dict[str, object]]:
    """Three certified records written messily, each stored with a warning: an unknown province
    (the source's stands for it), no producer (of a producer with other products, so the producer
    count holds), and a producer type that is none of the four. Rows are positions (ids)."""
    per_producer = Counter(p.producer.name for p in products)
    unknown_province = 10
    no_producer = next(i for i, p in enumerate(products)
                       if per_producer[p.producer.name] > 1 and i != unknown_province)
    other_type = next(i for i in range(20, len(products)) if records[i]["producer_type"] == "Hợp tác xã")
    records[unknown_province]["province"] = "Tỉnh Tây Bắc"
    records[no_producer]["producer_name"] = None
    records[other_type]["producer_type"] = "Khác"
    return [
        warned_row(unknown_province + 1, "UNRESOLVED_UNIT", "unknown province 'Tỉnh Tây Bắc': stored under Hà Giang"),
        warned_row(no_producer + 1, "PRODUCER_MISSING", "producer_name null"),
        warned_row(other_type + 1, "TYPE_UNKNOWN", "producer type 'Khác'"),
    ]
