"""Revocation lists (SQLite and PostgreSQL): a province's 2023 list, its 2024 list, then its list of
revoked certificates; figures at dates around the revocation, as known before and after it; a
revert; a registry that still lists the revoked product; a later decision that certifies it again.
Then the same list harvested from a workbook whose title names the revocation decision, and pushed."""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from sqlalchemy import select
from sqlmodel import Session
from starlette.testclient import TestClient

from hub.server import create_app
from hub.api.stats_check import check_as_of
from hub.audit.history import revert_batch
from hub.access.keys import create_key, verify_token
from hub.sources.harvest import harvest_source
from hub.ingest import ingest_rows
from hub.store.models import ImportBatch, Product, Source, utcnow
from hub.vocabulary import Role
from hub.push.submission import PushRefused, push_records
from hub.records import RawRow
from hub.registries.sources_file import SourcesFileError, load_sources
from tests.ingest.test_as_of_timeline import LIST_2023, LIST_2024, harvest, row

STATS = """query($asOf: Date, $knownAt: DateTime) {
  stats(groupBy: [STARS], asOf: $asOf, knownAt: $knownAt) { key { stars } count } }"""
CERTIFICATES = """{ products(filter: {search: "Trà hoa vàng", status: [ACTIVE, EXPIRED, WITHDRAWN]}) {
  edges { node { status certificates { stars validFrom validTo ended decisionDate } } } } }"""


def revocation_row(n: int, name: str, **more: str) -> RawRow:
    values = {"product_name": name, "producer_name": f"HTX {name}", "commune": "Xã Ba Chẽ", **more}
    return RawRow(row_number=n, values=values, raw=dict(values))


REVOKED = [revocation_row(1, "Trà hoa vàng", decision_number="45/QĐ-UBND", decision_date="15/03/2025"),
           revocation_row(2, "Nấm linh chi", decision_date="15/03/2025"),           # no such product
           revocation_row(3, "Chả mực Hạ Long"),                                     # no date
           revocation_row(4, "Mật ong Ba Chẽ", decision_date="01/03/2024"),         # its own decision's day
           revocation_row(5, "Miến dong Bình Liêu", producer_name="", decision_date="15/03/2025", stars="3")]


def revoke(store, rows: list[RawRow], today: date = date(2025, 4, 1)) -> Any:
    return ingest_rows(store, source_name="quang-ninh-thu-hoi", source_kind="xlsx", province="Quảng Ninh",
                       rows=rows, today=today, list_kind="revocation")


def test_a_revocation_list_ends_certificates_on_its_date(store) -> None:
    harvest(store, LIST_2023, date(2024, 1, 15))
    harvest(store, LIST_2024, date(2025, 1, 10))
    before_revocation = utcnow()
    summary = revoke(store, REVOKED)
    after_revocation = utcnow()
    assert summary.status == "succeeded"
    assert (summary.rows_read, summary.withdrawn, summary.rejected) == (5, 2, 3)
    assert {r.row_number: [e["code"] for e in r.errors] for r in summary.rejections} == {
        2: ["REVOCATION_NO_MATCH"], 3: ["REVOCATION_WITHOUT_DATE"], 4: ["REVOCATION_BEFORE_CERTIFICATE"]}
    assert "no product 'Nấm linh chi'" in next(r for r in summary.rejections if r.row_number == 2).errors[0]["message"]
    with Session(store) as s:  # a revocation list withdraws only what it lists
        assert s.execute(select(Product.name).where(Product.status == "withdrawn")
                         .order_by(Product.name)).scalars().all() == ["Ba kích tím", "Miến dong Bình Liêu",
                                                                      "Trà hoa vàng"]
        revoked = s.execute(select(Product).where(Product.name == "Trà hoa vàng")).scalar_one()
        assert (revoked.revoked_on, revoked.revocation_decision) == (date(2025, 3, 15), "45/QĐ-UBND")

    with TestClient(create_app(store)) as client:
        def stats(**args: Any) -> dict[int, int]:
            body = client.post("/graphql", json={"query": STATS, "variables": args}).json()
            assert not body.get("errors"), body
            return {b["key"]["stars"]: b["count"] for b in body["data"]["stats"]}

        assert stats(asOf="2025-03-14") == {3: 2, 4: 3}   # the day before the revocation
        assert stats(asOf="2025-03-15") == {3: 1, 4: 2}   # from its date: Trà hoa vàng and Miến dong are out
        assert stats(asOf="2025-03-15", knownAt=before_revocation.isoformat()) == {3: 2, 4: 3}
        assert stats(asOf="2025-03-15", knownAt=after_revocation.isoformat()) == {3: 1, 4: 2}
        assert stats(asOf="2024-12-31") == {3: 2, 4: 3}   # earlier dates keep the certificate
        [node] = [e["node"] for e in client.post("/graphql", json={"query": CERTIFICATES}).json()
                  ["data"]["products"]["edges"]]
        assert node["status"] == "WITHDRAWN"
        assert [(c["stars"], c["validFrom"], c["validTo"], c["ended"]) for c in node["certificates"]] == [
            (3, "2022-07-01", "2024-05-31", "SUPERSEDED"), (4, "2024-06-01", "2025-03-14", "REVOKED")]

        # The same list again changes nothing; its batch reverted, the products are certified again.
        again = revoke(store, REVOKED)
        assert (again.withdrawn, again.unchanged, again.rejected) == (0, 2, 3)
        ministry = verify_token(store, create_key(store, role=Role.MINISTRY, name="Văn phòng OCOP")[1])
        revert_batch(store, ministry, summary.batch_id)  # type: ignore[arg-type]
        assert stats(asOf="2025-03-15") == {3: 2, 4: 3}
        assert stats(asOf="2025-03-15", knownAt=after_revocation.isoformat()) == {3: 1, 4: 2}  # as answered then

        # Revoked again; the registry still listing it (a changed row) does not bring it back…
        revoke(store, REVOKED[:1])
        relisted = [r if r.values["product_name"] != "Trà hoa vàng" else row(2, "Trà hoa vàng", "4 sao",
                    decision_date="01/06/2024", phone="0203 3888 123") for r in LIST_2024]
        assert harvest_rows(store, relisted).updated == 0
        assert stats(asOf="2025-06-01") == {3: 2, 4: 2}
        # …a later decision does: a new certificate from its date, the revoked one kept.
        recertified = [r if r.values["product_name"] != "Trà hoa vàng" else row(2, "Trà hoa vàng", "5 sao",
                       decision_date="01/09/2025") for r in LIST_2024]
        assert harvest_rows(store, recertified).updated == 1
        assert stats(asOf="2025-06-01") == {3: 2, 4: 2} and stats(asOf="2025-09-01") == {3: 2, 4: 2, 5: 1}
        [node] = [e["node"] for e in client.post("/graphql", json={"query": CERTIFICATES}).json()
                  ["data"]["products"]["edges"]]
        assert [(c["stars"], c["ended"]) for c in node["certificates"]] == [
            (3, "SUPERSEDED"), (4, "REVOKED"), (5, None)] and node["status"] == "ACTIVE"
    assert check_as_of(store).mismatches == []


def harvest_rows(store, rows: list[RawRow]) -> Any:
    summary = ingest_rows(store, source_name="quang-ninh", source_kind="xlsx", province="Quảng Ninh", rows=rows,
                          today=date(2025, 10, 1))
    assert summary.status == "succeeded" and summary.rejected == 0, summary.rejections
    return summary


def revocation_workbook(path: Path) -> Path:
    """As provinces publish them: a title naming the revocation decision, the rating the
    certificate had, no decision column of the rows' own."""
    book = Workbook()
    sheet = book.active
    sheet.append(["UBND TỈNH QUẢNG NINH"])
    sheet.append(["DANH SÁCH SẢN PHẨM BỊ THU HỒI GIẤY CHỨNG NHẬN SẢN PHẨM OCOP"])
    sheet.append(["(Kèm theo Quyết định số 45/QĐ-UBND ngày 15/3/2025 của UBND tỉnh Quảng Ninh)"])
    sheet.append(["STT", "Tên sản phẩm", "Chủ thể", "Địa chỉ", "Hạng sao", "Lý do thu hồi"])
    sheet.append([1, "Trà hoa vàng", "HTX Trà hoa vàng", "Xã Ba Chẽ", "4 sao", "Không duy trì chất lượng"])
    sheet.append([2, "Ba kích tím", "HTX Ba kích tím", "Xã Ba Chẽ", "4 sao", "Chủ thể giải thể"])
    book.save(path)
    return path


def test_a_sources_file_declares_a_revocation_list_and_its_title_gives_the_date(store, tmp_path: Path) -> None:
    harvest(store, LIST_2023, date(2024, 1, 15))
    workbook = revocation_workbook(tmp_path / "thu-hoi.xlsx")
    (tmp_path / "sources.yaml").write_text(
        f"sources:\n  - name: qn-thu-hoi\n    province: Quảng Ninh\n    kind: xlsx\n    list: revocation\n"
        f"    location: {workbook}\n", encoding="utf-8")
    [spec] = load_sources(tmp_path / "sources.yaml")
    summary = harvest_source(store, spec)
    assert (summary.status, summary.withdrawn, summary.rejected) == ("succeeded", 2, 0), summary.rejections
    with Session(store) as s:
        assert set(s.execute(select(Product.name, Product.revoked_on).where(Product.revoked_on.is_not(None)))) == {
            ("Trà hoa vàng", date(2025, 3, 15)), ("Ba kích tím", date(2025, 3, 15))}
        assert s.execute(select(Source.list_kind).where(Source.name == "qn-thu-hoi")).scalar_one() == "revocation"
    with TestClient(create_app(store)) as client:
        body = client.post("/graphql", json={"query": "{ coverage { province { code } sources { name listKind } } }"})
        [qn] = [p for p in body.json()["data"]["coverage"] if p["province"]["code"] == "22"]
        assert {(s["name"], s["listKind"]) for s in qn["sources"]} == {("quang-ninh", "products"),
                                                                        ("qn-thu-hoi", "revocation")}
    # A source keeps its kind of list; an unknown one is named.
    spec_as_registry = spec.__class__(**{**spec.__dict__, "list": "products"})
    refused = harvest_source(store, spec_as_registry)
    assert refused.status == "failed" and "is a list of revocation" in (refused.error or "")
    (tmp_path / "bad.yaml").write_text(f"sources:\n  - name: x\n    province: Quảng Ninh\n    kind: xlsx\n"
                                       f"    list: thu-hoi\n    location: {workbook}\n", encoding="utf-8")
    with pytest.raises(SourcesFileError, match="key 'list': unknown list 'thu-hoi'"):
        load_sources(tmp_path / "bad.yaml")


def revocation_workbook_with_decisions(path: Path, title: str, rows: list[list[Any]]) -> Path:
    """A title naming the revocation decision over rows whose decision column holds, as many
    provinces' do, each product's certification (or, for one, its own revocation)."""
    book = Workbook()
    sheet = book.active
    sheet.append(["DANH SÁCH SẢN PHẨM BỊ THU HỒI GIẤY CHỨNG NHẬN SẢN PHẨM OCOP"])
    sheet.append([title])
    sheet.append(["STT", "Tên sản phẩm", "Chủ thể", "Địa chỉ", "Số, ngày quyết định", "Lý do thu hồi"])
    for n, values in enumerate(rows, start=1):
        sheet.append([n, *values])
    book.save(path)
    return path


def harvest_revocations(store, path: Path, name: str) -> Any:
    (path.parent / f"{name}.yaml").write_text(
        f"sources:\n  - name: {name}\n    province: Quảng Ninh\n    kind: xlsx\n    list: revocation\n"
        f"    location: {path}\n", encoding="utf-8")
    [spec] = load_sources(path.parent / f"{name}.yaml")
    return harvest_source(store, spec)


def test_a_rows_certification_decision_under_a_title_naming_the_revocation(store, tmp_path: Path) -> None:
    """The row's decision column is each product's certification (on or before its certificate's
    start): the title's decision is the revocation. A row's own later decision is its revocation."""
    harvest(store, LIST_2023, date(2024, 1, 15))
    harvest(store, LIST_2024, date(2025, 1, 10))
    title = "(Kèm theo Quyết định số 45/QĐ-UBND ngày 15/3/2025 của UBND tỉnh Quảng Ninh về việc thu hồi …)"
    workbook = revocation_workbook_with_decisions(tmp_path / "thu-hoi.xlsx", title, [
        ["Trà hoa vàng", "HTX Trà hoa vàng", "Xã Ba Chẽ", "1234/QĐ-UBND ngày 01/6/2024", "Không duy trì"],  # its certificate's
        ["Chả mực Hạ Long", "HTX Chả mực Hạ Long", "Xã Ba Chẽ", "88/QĐ-UBND ngày 10/5/2021", "Giải thể"],  # an older one's
        ["Mật ong Ba Chẽ", "HTX Mật ong Ba Chẽ", "Xã Ba Chẽ", "50/QĐ-UBND ngày 20/4/2025", "Giải thể"],  # its own revocation
    ])
    summary = harvest_revocations(store, workbook, "qn-thu-hoi")
    assert (summary.status, summary.withdrawn, summary.rejected) == ("succeeded", 3, 0), summary.rejections
    with Session(store) as s:
        assert set(s.execute(select(Product.name, Product.revoked_on, Product.revocation_decision)
                             .where(Product.revoked_on.is_not(None)))) == {
            ("Trà hoa vàng", date(2025, 3, 15), "45/QĐ-UBND"), ("Chả mực Hạ Long", date(2025, 3, 15), "45/QĐ-UBND"),
            ("Mật ong Ba Chẽ", date(2025, 4, 20), "50/QĐ-UBND")}
    again = harvest_revocations(store, workbook, "qn-thu-hoi")
    assert (again.withdrawn, again.unchanged, again.rejected) == (0, 3, 0)
    with TestClient(create_app(store)) as client:
        def stats(**args: Any) -> dict[int, int]:
            body = client.post("/graphql", json={"query": STATS, "variables": args}).json()
            assert not body.get("errors"), body
            return {b["key"]["stars"]: b["count"] for b in body["data"]["stats"]}

        assert stats(asOf="2025-03-14") == {3: 2, 4: 3}
        assert stats(asOf="2025-03-15") == {3: 1, 4: 2}  # Trà hoa vàng and Chả mực out on the title's day
        assert stats(asOf="2025-04-20") == {3: 1, 4: 1}  # Mật ong on its own revocation's day
    assert check_as_of(store).mismatches == []


def test_a_row_with_no_revocation_date_anywhere_is_still_rejected(store, tmp_path: Path) -> None:
    """A title naming a decision without its date gives no day: a row with no decision of its own
    has none (REVOCATION_WITHOUT_DATE); one with only its certification's date has none after its
    certificate's start (REVOCATION_BEFORE_CERTIFICATE). Nothing is revoked."""
    harvest(store, LIST_2023, date(2024, 1, 15))
    harvest(store, LIST_2024, date(2025, 1, 10))
    workbook = revocation_workbook_with_decisions(tmp_path / "thu-hoi.xlsx", "(Kèm theo Quyết định số 45/QĐ-UBND)", [
        ["Trà hoa vàng", "HTX Trà hoa vàng", "Xã Ba Chẽ", "", "Không duy trì"],
        ["Mật ong Ba Chẽ", "HTX Mật ong Ba Chẽ", "Xã Ba Chẽ", "12/QĐ-UBND ngày 01/3/2024", "Giải thể"],
    ])
    summary = harvest_revocations(store, workbook, "qn-thu-hoi")
    assert (summary.status, summary.withdrawn, summary.rejected) == ("succeeded", 0, 2)
    assert [[e["code"] for e in r.errors] for r in summary.rejections] == [
        ["REVOCATION_WITHOUT_DATE"], ["REVOCATION_BEFORE_CERTIFICATE"]]
    with Session(store) as s:
        assert s.execute(select(Product.name).where(Product.revoked_on.is_not(None))).all() == []


def test_a_province_pushes_its_revocations_and_only_its_own(store) -> None:
    harvest(store, LIST_2023, date(2024, 1, 15))
    own = verify_token(store, create_key(store, role=Role.PROVINCE, name="Sở NN Quảng Ninh", province_code="22")[1])
    other = verify_token(store, create_key(store, role=Role.PROVINCE, name="Sở NN Bắc Ninh", province_code="24")[1])
    record = {"product_name": "Trà hoa vàng", "producer_name": "HTX Trà hoa vàng", "stars": "3 sao",
              "commune": "Xã Ba Chẽ", "decision_date": "15/03/2025"}
    with pytest.raises(PushRefused) as refused:
        push_records(store, own, province="22", records=[record], mode="REPLACE_ALL", list_kind="revocation")
    assert refused.value.code == "BAD_MODE"
    with pytest.raises(PushRefused) as refused:
        push_records(store, other, province="22", records=[record], list_kind="revocation")
    assert refused.value.code == "NOT_YOUR_PROVINCE"
    dry = push_records(store, own, province="22", records=[record], list_kind="revocation", dry_run=True)
    assert (dry.withdrawn, dry.status) == (1, "dry_run")
    summary = push_records(store, own, province="22", records=[record], list_kind="revocation")
    assert (summary.source, summary.withdrawn) == ("push-22-revocation", 1)
    with Session(store) as s:
        assert s.execute(select(Product.status).where(Product.name == "Trà hoa vàng")).scalar_one() == "withdrawn"
        assert s.get(ImportBatch, summary.batch_id).kind == "push"  # type: ignore[union-attr]
