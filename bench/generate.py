"""Seeded synthetic national OCOP data set for the benchmarks.

``python -m bench.generate --out DIR [--products 200000] [--seed 2026]`` writes provincial registry
files in every format the harvest reads (CSV in UTF-8 NFC/NFD, TCVN3, VNI and Windows-1258; Excel
workbooks; HTML tables; paginated JSON APIs kept as files) plus ``DIR/sources.yaml`` and
``DIR/manifest.json``.

The 34 current provinces each publish one registry written after the July 2025 reform (current
province and commune names, no district). Eight pre-reform provinces also publish their own old
registry (old province, district and commune names, the "legacy unit names" the resolver maps to
their successors). About 0.4 producers per product (80,000 at 200,000), stars mostly 3★, groups in
the words of Decision 1048, Decision 148 or free text, years 2018–2026, about 5% of Excel cells typed
in a TCVN3 font (mojibake), about 0.3% bad rows (missing name, 7 stars, unknown group) on purpose.

The word lists, administrative units and encoders are those of ``hub.samples``; only the scale
and the uniqueness strategy (a suffix instead of rejection sampling) differ.
"""
from __future__ import annotations

import argparse
import datetime as dt
import html
import json
import random
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import openpyxl

from hub.normalize.encodings import encode_legacy
from hub.normalize.fold import search_key
from hub.samples import (BRAND_WORDS, CATALOGUE, FAMILY, GIVEN, HTX_TRADES, MIDDLE, PRODUCER_KINDS,
                         REGIONAL, VARIANTS, Place, _csv_text, _group_text, _mojibake, current_places,
                         legacy_places, producer_core)

DEFAULT_PRODUCTS = 200_000
DEFAULT_SEED = 2026
PRODUCERS_PER_PRODUCT = 0.4
TODAY = dt.date(2026, 11, 1)  # decision dates stay before this, so none is "in the future"

# Pre-reform provinces that still publish their own old registry (now merged into another).
LEGACY_SOURCES = ("Hà Giang", "Bắc Kạn", "Trà Vinh", "Quảng Bình", "Kon Tum", "Hải Dương", "Long An", "Bình Định")
# Registry formats in rotation: (kind, encoding the file is written in, encoding in sources.yaml).
FORMATS = (
    ("csv", "utf-8", "auto"), ("xlsx", None, "auto"), ("csv", "tcvn3", "tcvn3"), ("json_api", None, "auto"),
    ("csv", "vni", "vni"), ("html", None, "auto"), ("csv", "utf-8-nfd", "auto"), ("csv", "cp1258", "cp1258"),
)
JSON_PAGE_SIZE = 500
STARS_WEIGHTS = ((3, 72), (4, 25), (5, 2))
PRODUCER_WEIGHTS = (30, 25, 5, 35, 5)
TYPE_WORDS = {"htx": "Hợp tác xã", "company": "Doanh nghiệp", "enterprise": "Doanh nghiệp tư nhân",
              "household": "Hộ kinh doanh", "group": "Tổ hợp tác"}
HEADER = ["STT", "Tên sản phẩm", "Chủ thể", "Loại hình", "Tỉnh", "Huyện", "Xã/Phường", "Nhóm sản phẩm",
          "Hạng sao", "Điểm", "Năm công nhận", "Số quyết định", "Ngày quyết định", "Cơ quan công nhận"]


@dataclass
class Row:
    product: str
    producer: str
    kind: str
    place: Place
    group: str
    stars: int
    potential: bool
    score: int | None
    year: int
    number: str
    date: dt.date
    bad: str | None = None


@dataclass
class SourcePlan:
    name: str
    province: str
    legacy: bool
    kind: str
    file_encoding: str | None
    yaml_encoding: str
    products: int


def current_provinces() -> list[str]:
    from vietnamadminunits.database import query

    return sorted(r["provinceShort"] for r in query("SELECT DISTINCT provinceShort FROM admin_units"))


def _slug(text: str) -> str:
    return search_key(text).replace(" ", "-")


def plan_sources(products: int, seed: int) -> list[SourcePlan]:
    """42 sources, sizes from seeded weights (old registries are smaller), formats in rotation."""
    rng = random.Random(f"{seed}:plan")
    provinces = [(p, False) for p in current_provinces()] + [(p, True) for p in LEGACY_SOURCES]
    weights = [rng.uniform(0.4, 0.9) if legacy else rng.uniform(0.6, 1.6) for _, legacy in provinces]
    total = sum(weights)
    sizes = [max(5, int(products * w / total)) for w in weights]
    sizes[0] += products - sum(sizes)
    plans = []
    for index, ((province, legacy), size) in enumerate(zip(provinces, sizes)):
        kind, file_enc, yaml_enc = FORMATS[index % len(FORMATS)]
        name = _slug(province) + ("-cu" if legacy else "")
        plans.append(SourcePlan(name, province, legacy, kind, file_enc, yaml_enc, size))
    return plans


class UniqueNames:
    """Producer and product names unique within a registry; a collision gets a suffix instead of a
    retry, so millions of names cost linear time."""

    def __init__(self, rng: random.Random, places: list[Place]):
        self.rng, self.places = rng, places
        self.cores: set[str] = set()

    def person(self) -> str:
        r = self.rng
        return f"{r.choice(FAMILY)} {r.choice(MIDDLE)} {r.choice(GIVEN)}"

    def producer(self, kind: str) -> tuple[str, Place]:
        r, place = self.rng, self.rng.choice(self.places)
        if kind == "htx":
            name = f"{r.choice(('HTX', 'Hợp tác xã'))} {r.choice(HTX_TRADES)} {place.short}"
        elif kind == "company":
            form = r.choice(("Công ty TNHH", "Công ty Cổ phần", "Công ty TNHH MTV"))
            name = f"{form} {r.choice(BRAND_WORDS)} {r.choice((place.short, self.person().split()[-1]))}"
        elif kind == "enterprise":
            name = f"Doanh nghiệp tư nhân {self.person()}"
        elif kind == "household":
            name = f"{r.choice(('Hộ kinh doanh', 'Cơ sở'))} {self.person()}"
        else:
            name = f"Tổ hợp tác {r.choice(HTX_TRADES).lower()} {place.short}"
        base, n = name, 1
        while producer_core(name) in self.cores:
            n += 1
            name = f"{base} {n}" if n > 3 else f"{base} {r.choice(GIVEN)}"
        self.cores.add(producer_core(name))
        return name, place


def _star_pick(rng: random.Random) -> tuple[int, bool]:
    stars = rng.choices([s for s, _ in STARS_WEIGHTS], weights=[w for _, w in STARS_WEIGHTS])[0]
    return stars, stars == 4 and rng.random() < 0.04


def make_rows(plan: SourcePlan, producers: int, seed: int) -> list[Row]:
    rng = random.Random(f"{seed}:{plan.name}")
    places = legacy_places(plan.province) if plan.legacy else current_places(plan.province)
    names = UniqueNames(rng, places)
    catalogue = list(REGIONAL.get(plan.province, ())) + list(CATALOGUE)
    kinds = rng.choices(PRODUCER_KINDS, weights=PRODUCER_WEIGHTS, k=producers)
    makers = [(*names.producer(k), k) for k in kinds]
    counts = [1] * producers
    for _ in range(plan.products - producers):  # skewed: a few producers have many products
        counts[min(int(rng.paretovariate(1.3)) - 1, producers - 1) if rng.random() < 0.3
               else rng.randrange(producers)] += 1
    years = range(2018, 2025) if plan.legacy else range(2018, 2027)
    rows: list[Row] = []
    for (producer, place, kind), count in zip(makers, counts):
        seen: set[str] = set()
        for i in range(count):
            base, group = rng.choice(catalogue)
            name = f"{base} {place.short}"
            if search_key(name) in seen:
                name = f"{name} {rng.choice(VARIANTS)}"
            while search_key(name) in seen:
                name = f"{name} {rng.choice(VARIANTS)} {i}"
            seen.add(search_key(name))
            stars, potential = _star_pick(rng)
            year = rng.choice(years)
            last = (TODAY - dt.date(year, 1, 1)).days if year == TODAY.year else 364
            day = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(last))
            score = (rng.randrange(50, 70) if stars == 3 else rng.randrange(70, 90) if stars == 4
                     else rng.randrange(90, 100))
            body = "BNN-VPĐP" if stars == 5 else "UBND"
            rows.append(Row(name, producer, kind, place, group, stars, potential,
                            score if rng.random() < 0.3 else None, year,
                            f"{rng.randrange(100, 3999)}/QĐ-{body}", day))
    rng.shuffle(rows)
    for row in rng.sample(rows, max(1, len(rows) * 3 // 1000)):  # bad rows on purpose
        row.bad = rng.choice(("missing product name", "stars 7", "unknown group"))
    return rows


def _cells(row: Row, plan: SourcePlan, rng: random.Random, style: str, mojibake: bool = False) -> list[str]:
    legacy_bytes = plan.file_encoding in ("tcvn3", "vni", "cp1258")  # no "★" in those code pages
    """One row's cells under HEADER (minus STT), written as this province's office writes them."""
    product, producer = row.product, row.producer
    if mojibake and rng.random() < 0.05:
        product = _mojibake(product)
    if mojibake and rng.random() < 0.05:
        producer = _mojibake(producer)
    if row.potential:
        stars = "4 sao (tiềm năng 5 sao)"
    elif style == "1048":
        stars = f"{row.stars} sao"
    elif style == "free":
        stars = f"{row.stars}*"
    else:
        stars = rng.choice((f"{row.stars} sao", str(row.stars)) if legacy_bytes
                           else (f"{row.stars} sao", "★" * row.stars, str(row.stars)))
    group = _group_text(rng, style, row.group)
    if row.bad == "missing product name":
        product = ""
    elif row.bad == "stars 7":
        stars = "7 sao"
    elif row.bad == "unknown group":
        group = "xyz"
    body = "Hội đồng Trung ương" if row.stars == 5 else f"UBND tỉnh {plan.province}"
    return [product, producer, TYPE_WORDS[row.kind] if rng.random() < 0.6 else "", plan.province,
            row.place.district, row.place.commune, group, stars, "" if row.score is None else str(row.score),
            str(row.year), row.number, f"{row.date:%d/%m/%Y}", body]


def write_source(plan: SourcePlan, rows: list[Row], folder: Path, seed: int) -> str:
    """Write one registry; returns its location relative to the sources file."""
    rng = random.Random(f"{seed}:{plan.name}:write")
    style = "1048" if plan.legacy else rng.choice(("148", "148", "free"))
    header = HEADER if plan.legacy else [h for h in HEADER if h != "Huyện"]

    def cells(index: int, row: Row, mojibake: bool = False) -> list[str]:
        values = _cells(row, plan, rng, style, mojibake)
        if not plan.legacy:
            del values[4]  # no district after the reform
        return [str(index)] + values

    title = [f"DANH SÁCH SẢN PHẨM OCOP TỈNH {plan.province.upper()}"]
    if plan.kind == "csv":
        table = [title, []] + [header] + [cells(i, r) for i, r in enumerate(rows, 1)]
        text = _csv_text(table, "," if plan.file_encoding in ("utf-8", "tcvn3") else ";")
        if plan.file_encoding == "utf-8":
            data = text.encode("utf-8")
        elif plan.file_encoding == "utf-8-nfd":
            data = unicodedata.normalize("NFD", text).encode("utf-8")
        else:
            data = encode_legacy(text, plan.file_encoding)
        path = f"registries/{plan.name}.csv"
        (folder / path).write_bytes(data)
    elif plan.kind == "xlsx":
        wb = openpyxl.Workbook(write_only=True)
        ws = wb.create_sheet("Danh sách sản phẩm OCOP")
        ws.append(title)
        ws.append(header)
        for i, r in enumerate(rows, 1):
            values: list[object] = cells(i, r, mojibake=True)
            values[0] = i
            values[-4] = r.year
            ws.append(values)
        path = f"registries/{plan.name}.xlsx"
        wb.save(folder / path)
    elif plan.kind == "html":
        out = ['<!DOCTYPE html>\n<html lang="vi"><head><meta charset="utf-8"><title>Sản phẩm OCOP</title>'
               f"</head><body>\n<h1>{html.escape(title[0])}</h1>\n<table border=\"1\">\n<thead><tr>"]
        out += [f"<th>{html.escape(h)}</th>" for h in header]
        out.append("</tr></thead>\n<tbody>\n")
        for i, r in enumerate(rows, 1):
            out.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells(i, r)) + "</tr>\n")
        out.append("</tbody></table></body></html>\n")
        path = f"registries/{plan.name}.html"
        (folder / path).write_text("".join(out), encoding="utf-8")
    else:  # json_api: canonical English keys, numbers as numbers, pages linked by "next"
        keys = ["product_name", "producer_name", "producer_type", "province", "district", "commune", "group",
                "stars", "score", "year", "decision_number", "decision_date", "issuing_body"]
        if not plan.legacy:
            keys.remove("district")
        records = []
        for i, r in enumerate(rows, 1):
            record: dict[str, object] = {"id": i, **dict(zip(keys, cells(i, r)[1:]))}
            if not r.potential and r.bad != "stars 7":
                record["stars"] = r.stars
            record["year"] = r.year
            if rng.random() < 0.3:
                record["phone"] = f"09{rng.randrange(10**7, 10**8)}"
            records.append(record)
        target = folder / "registries" / plan.name
        target.mkdir(parents=True, exist_ok=True)
        pages = [records[i:i + JSON_PAGE_SIZE] for i in range(0, len(records), JSON_PAGE_SIZE)] or [[]]
        for number, items in enumerate(pages, 1):
            document = {"page": number, "total": len(records), "items": items,
                        "next": f"page-{number + 1}.json" if number < len(pages) else None}
            (target / f"page-{number}.json").write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
        path = f"registries/{plan.name}/page-1.json"
    return path


def generate(out: Path, products: int = DEFAULT_PRODUCTS, seed: int = DEFAULT_SEED) -> dict[str, object]:
    """Write every registry, sources.yaml and manifest.json under ``out``; returns the manifest."""
    started = time.perf_counter()
    out = Path(out)
    (out / "registries").mkdir(parents=True, exist_ok=True)
    plans = plan_sources(products, seed)
    sources = []
    stars: Counter[str] = Counter()
    for plan in plans:
        producers = max(1, round(plan.products * PRODUCERS_PER_PRODUCT))
        rows = make_rows(plan, producers, seed)
        location = write_source(plan, rows, out, seed)
        stars.update(str(r.stars) for r in rows if not r.bad)
        sources.append({"name": plan.name, "province": plan.province, "kind": plan.kind,
                        "location": location, "encoding": plan.yaml_encoding,
                        "file_encoding": plan.file_encoding or "utf-8", "legacy": plan.legacy,
                        "rows": len(rows), "producers": producers,
                        "bad_rows": sum(1 for r in rows if r.bad)})
    lines = ["# Synthetic national OCOP registries, generated by `python -m bench.generate`.", "sources:"]
    for s in sources:
        lines += [f"  - name: {s['name']}", f'    province: "{s["province"]}"', f"    kind: {s['kind']}",
                  f"    location: {s['location']}", f"    encoding: {s['encoding']}"]
    (out / "sources.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    manifest = {
        "seed": seed, "products": products, "rows": sum(s["rows"] for s in sources),
        "producers": sum(s["producers"] for s in sources), "bad_rows": sum(s["bad_rows"] for s in sources),
        "stars": dict(sorted(stars.items())), "kinds": dict(Counter(s["kind"] for s in sources)),
        "seconds": round(time.perf_counter() - started, 1), "sources": sources,
    }
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return manifest


def ensure(out: Path, products: int, seed: int = DEFAULT_SEED) -> dict[str, object]:
    """Reuse a data set already generated with the same size and seed (the generator is deterministic)."""
    manifest = out / "manifest.json"
    if manifest.exists():
        data = json.loads(manifest.read_text(encoding="utf-8"))
        if data.get("products") == products and data.get("seed") == seed:
            return data
    return generate(out, products, seed)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(".ocop-hub/bench/data"))
    parser.add_argument("--products", type=int, default=DEFAULT_PRODUCTS)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    m = generate(args.out, args.products, args.seed)
    print(f"{m['rows']} rows ({m['bad_rows']} bad) of {m['producers']} producers in {len(m['sources'])} "
          f"registries {m['kinds']} under {args.out} in {m['seconds']} s; stars {m['stars']}")


if __name__ == "__main__":
    main()
