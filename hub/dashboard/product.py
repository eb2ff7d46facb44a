"""GET /product/{id}: one product with its producer, provenance, warnings and history, rendered as
the request's caller may see it (the API's `product(id:)`); the page's script swaps in the keyed
view (region ``#chi-tiet``) when the reader entered a key."""
from __future__ import annotations

from typing import Any, Optional

from sqlalchemy.engine import Engine

from hub.access.keys import Principal
from hub.dashboard import data
from hub.dashboard.format import (BATCH_KIND_LABELS, KIND_LABELS, group_label, producer_type_label, stars_label,
                                  status_label, vn_date, vn_datetime, vn_number)
from hub.dashboard.day import Day
from hub.dashboard.html import e, table
from hub.dashboard.queries import PRODUCT_DETAIL, Figure

ACTION_LABELS = {"created": "Tạo mới", "updated": "Cập nhật", "linked": "Thêm nguồn", "unlisted": "Một nguồn bỏ",
                 "withdrawn": "Thu hồi", "revoked": "Thu hồi giấy chứng nhận", "restored": "Khôi phục"}


def _facts(pairs: list[tuple[str, Any]]) -> str:
    items = "".join(f"<dt>{e(k)}</dt><dd>{e(v if v not in (None, '') else '—')}</dd>" for k, v in pairs)
    return f'<dl class="facts">{items}</dl>'


END_LABELS = {"EXPIRED": "Hết hạn", "SUPERSEDED": "Được thay bằng chứng nhận sau", "REVOKED": "Bị thu hồi",
              "WITHDRAWN": "Rút khỏi danh sách"}


def _in_force_on(cert: dict[str, Any], on: str) -> bool:
    """Does the API's interval of ``cert`` (validFrom through validTo, open without an end) hold ``on``?"""
    return cert["validFrom"] <= on and (cert["validTo"] is None or on <= cert["validTo"])


def certificates_table(certificates: list[dict[str, Any]], day: Day) -> str:
    """The product's certificates over time (``Product.certificates``), the one in force at the
    page's day marked; a page dated before its first certificate, or between two, says so."""
    on = day.on.isoformat()
    rows = [(e(stars_label(c["stars"])), e(c["decisionNumber"] or "—"), e(vn_date(c["decisionDate"])),
             e(vn_date(c["validFrom"])), e(vn_date(c["validTo"])),
             e(END_LABELS.get(c["ended"], c["ended"]) if c["ended"] else "Còn hiệu lực"), e(c["source"]),
             f"<strong>Có hiệu lực tại {day.label}</strong>" if _in_force_on(c, on) else "")
            for c in certificates]
    held = any(_in_force_on(c, on) for c in certificates)
    note = "" if held else f'<p class="muted">Tại ngày {day.label}, sản phẩm không có chứng nhận nào còn hiệu lực.</p>'
    return note + table("Các chứng nhận của sản phẩm", ["Hạng sao", "Số quyết định", "Ngày quyết định",
                                                         "Hiệu lực từ", "Đến hết", "Kết thúc", "Nguồn",
                                                         f"Tại {day.label}"], rows, raw=True)


async def product_detail(engine: Engine, principal: Optional[Principal], product_id: int,
                         day: Day) -> Optional[tuple[str, str, Optional[dict[str, Any]]]]:
    """(title, the ``#chi-tiet`` section, the product's province) or None when the id is unknown.
    Its facts are as the product stands now; its certificates over time show which held at ``day``."""
    figure = Figure(PRODUCT_DETAIL, {"id": product_id})
    p = (await data.run(engine, principal, figure))["product"]
    if p is None:
        return None
    province = p.get("province")
    producer = p.get("producer")
    product_facts = _facts([
        ("Hạng sao", stars_label(p["stars"]) + (" (tiềm năng 5 sao)" if p["proposedFiveStar"] else "")),
        ("Điểm", p["score"]), ("Nhóm sản phẩm", group_label(p["group"])), ("Nhóm (như danh sách ghi)", p["groupText"]),
        ("Phân nhóm", p["subgroup"]), ("Trạng thái", status_label(p["status"])),
        ("Số quyết định", p["decisionNumber"]), ("Ngày quyết định", vn_date(p["decisionDate"])),
        ("Cơ quan ban hành (như ghi)", p["issuingBody"]), ("Năm công nhận", p["certifiedYear"]),
        ("Ngày hết hạn", vn_date(p["expiryDate"])), ("Tỉnh, thành phố", province["name"] if province else None),
        ("Xã, phường", (p.get("commune") or {}).get("name")), ("Tỉnh cũ (như ghi)", p["legacyProvince"]),
        ("Địa bàn (như ghi)", p["unitText"]),
        ("Mã đơn vị (như ghi)", f'{p["unitCode"]} ({p["unitCodeVersion"]})' if p["unitCode"] else None),
        ("Vào hệ thống lúc", vn_datetime(p["createdAt"])), ("Cập nhật lúc", vn_datetime(p["updatedAt"])),
    ])
    if producer:
        producer_html = _facts([
            ("Tên", producer["name"]), ("Loại chủ thể", producer_type_label(producer["producerType"])),
            ("Địa chỉ", producer["address"]), ("Xã, phường", (producer.get("commune") or {}).get("name")),
            ("Điện thoại", producer["phone"]), ("Thư điện tử", producer["email"]),
            ("Người liên hệ", producer["contactPerson"]),
        ]) + ('<p class="muted">Thông tin liên hệ là dữ liệu cá nhân: chỉ Bộ và tỉnh của chủ thể thấy (nhập khóa API).</p>'
              if producer["phone"] is None and producer["email"] is None and producer["contactPerson"] is None else "")
    else:
        producer_html = '<p class="muted">Danh sách không ghi chủ thể của sản phẩm này.</p>'
    provenance = table("Nguồn của sản phẩm", ["Nguồn", "Loại", "Dòng", "Lần thấy gần nhất", "Còn trong danh sách"],
                       [(s["sourceName"], KIND_LABELS.get(s["sourceKind"], s["sourceKind"]), vn_number(s["rowNumber"]),
                         vn_datetime(s["lastSeenAt"]), "Có" if s["present"] else "Không") for s in p["provenance"]], (2,))
    warnings = table("Giá trị không đọc được (sản phẩm vẫn được lưu)", ["Mã", "Trường", "Giá trị như ghi", "Giải thích"],
                     [(w["code"], w["field"] or "—", w["rawValue"] or "—", w["message"]) for w in p["warnings"]],
                     empty="Mọi giá trị đều đọc được.")
    history = table("Lịch sử thay đổi", ["Lô nhập", "Loại", "Người/công cụ", "Thay đổi", "Lúc"],
                    [(f'#{h["batchId"]}', BATCH_KIND_LABELS.get(h["batchKind"], h["batchKind"]), h["actor"],
                      ACTION_LABELS.get(h["action"], h["action"]), vn_datetime(h["at"])) for h in p["history"]])
    section = (f'<div id="chi-tiet" data-keyed><div class="grid">'
               f'<section class="card" aria-labelledby="sp-h"><h2 id="sp-h">Sản phẩm{" (hiện nay)" if day.as_of else ""}</h2>{product_facts}</section>'
               f'<section class="card" aria-labelledby="ct-h"><h2 id="ct-h">Chủ thể</h2>{producer_html}</section>'
               f'<section class="card wide" id="chung-nhan" aria-labelledby="cn-h"><h2 id="cn-h">Chứng nhận qua thời gian'
               f'</h2><div class="scroll">{certificates_table(p.get("certificates") or [], day)}</div></section>'
               f'<section class="card wide" aria-labelledby="ng-h"><h2 id="ng-h">Nguồn gốc dữ liệu</h2>'
               f'<div class="scroll">{provenance}</div><div class="scroll">{warnings}</div></section>'
               f'<section class="card wide" aria-labelledby="ls-h"><h2 id="ls-h">Lịch sử</h2>'
               f'<div class="scroll">{history}</div></section></div>'
               f'<p class="links"><a href="{e(figure.graphiql_url())}">Xem truy vấn</a></p></div>')
    return p["name"], section, province
