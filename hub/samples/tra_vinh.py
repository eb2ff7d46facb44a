"""Trà Vinh: 80 products of 49 producers, 5 proposed for five stars (seed 002), as an HTML page."""
from __future__ import annotations

import html
import io
import random
from collections import Counter
from pathlib import Path

from hub.samples.files import SourceOut, bad_row, star_counts, type_counts, warned_row
from hub.samples.names import Names, Product, certified, split
from hub.samples.places import legacy_places
from hub.samples.words import CATALOGUE, REGIONAL, group_text

TV_KINDS = {"htx": 8, "company": 9, "enterprise": 2, "household": 30}
TV_STARS = {"potential": 5, 4: 9, 3: 66}
TV_PRODUCTS = 80
TV_UNKNOWN_COMMUNE = "xã Mỹ Ngọc Lan"


def tra_vinh(rng: random.Random) -> list[Product]:
    places = legacy_places("Trà Vinh")
    names = Names(rng, places, REGIONAL["Trà Vinh"] + CATALOGUE)
    kinds = [k for k, n in TV_KINDS.items() for _ in range(n)]
    rng.shuffle(kinds)
    producers = [names.producer(k) for k in kinds]
    counts = split(rng, TV_PRODUCTS, len(producers))
    stars: list[int | str] = ["potential"] * TV_STARS["potential"] + [4] * TV_STARS[4] + [3] * TV_STARS[3]
    rng.shuffle(stars)
    products = []
    for producer, count in zip(producers, counts):
        for _ in range(count):
            name, group = names.product(producer)
            star = stars.pop()
            product = certified(rng, name, producer, 4 if star == "potential" else int(star), group, range(2019, 2022))
            product.potential_five = star == "potential"
            products.append(product)
    return products


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
    lost_commune = products[len(products) // 2]  # its commune typed as no commune is named
    warned_rows = []
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
                  f"<td>{html.escape(TV_UNKNOWN_COMMUNE if p is lost_commune else p.producer.place.commune)}</td>",
                  f"<td>{html.escape(group_text(rng, '1048', p.group))}</td>", f"<td>{star}</td>",
                  f"<td>{p.year}</td>",
                  f"<td>{html.escape(p.decision_number)}</td>", f"<td>&nbsp;{p.decision_date:%d/%m/%Y}&nbsp;</td>"]
        out.write("<tr>" + "".join(cells) + "</tr>\n")
        if p is lost_commune:
            warned_rows.append(warned_row(row_number, "UNRESOLVED_UNIT", f"unknown commune {TV_UNKNOWN_COMMUNE!r}"))
    place = products[-1].producer.place
    bad = [
        ("MISSING_FIELD", "missing product name",
         ["", "Hộ kinh doanh Thạch Thị Dừa", place.district, place.commune, "Thực phẩm", "★★★", "2021",
          "2210/QĐ-UBND", "12/10/2021"]),
        ("BAD_STARS", "seven stars '★★★★★★★'",
         ["Bánh tét lá cẩm Trà Cuôn", "Cơ sở Kim Thị Bánh", place.district, place.commune, "Thực phẩm",
          "★★★★★★★", "2021", "2210/QĐ-UBND", "12/10/2021"]),
    ]
    bad_rows = []
    for index, (error, why, values) in enumerate(bad, start=len(products) + 1):
        row_number += 1
        out.write("<tr><td>" + str(index) + "</td>" + "".join(f"<td>{html.escape(v)}</td>" for v in values)
                  + "</tr>\n")
        bad_rows.append(bad_row(row_number, error, why))
    out.write("</tbody>\n</table>\n<p>&copy; Sở Nông nghiệp và PTNT Trà Vinh</p>\n</body>\n</html>\n")
    target = folder / "tra_vinh"
    target.mkdir(parents=True, exist_ok=True)
    (target / "index.html").write_bytes(out.getvalue().encode("utf-8"))
    return SourceOut(
        name="tra-vinh", province="Trà Vinh", kind="html", location="registries/tra_vinh/index.html",
        encoding="auto", certified=len(products), producers=len(span), rows=len(products) + len(bad_rows),
        bad_rows=bad_rows, warned_rows=warned_rows, stars=star_counts(products), producer_types=type_counts(products),
        description=(
            "HTML page (meta charset utf-8) with a navigation table first, then the registry table: a title "
            "row (th colspan=10), the header row, \"Chủ thể\" cells spanning a producer's products (rowspan), "
            "stars as \"★★★\", \"★★★★\" or \"4 sao (tiềm năng 5 sao)\", product names in <b>…</b><br>, "
            "dates padded with &nbsp;, pre-reform districts and communes, years 2019–2021."
            " Row numbers count the table's rows (title row = 1, header = 2)."
        ),
    )


