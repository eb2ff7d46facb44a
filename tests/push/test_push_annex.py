"""A province pushes its decision annex as a Word file or a PDF (``push_file``): read as the harvest
reads it, rejected rows kept with their place in the document, unreadable files refused whole
(SQLite and PostgreSQL)."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlmodel import Session
from starlette.testclient import TestClient

from hub.server import create_app
from hub.access.keys import create_key, verify_token
from hub.store.models import Product, RejectedRecord
from hub.vocabulary import Role
from hub.push.submission import PushRefused, push_file
from hub.records import LOCATION_KEY
from hub.registries.docx_reader import OLE2_MAGIC
from hub.samples.annex_files import AnnexDocument, annex_pdf
from tests.registries import annex_samples as annex

PROVENANCE = """{ products(first: 500) { edges { node { name
  provenance { sourceName sourceKind rowNumber location } } } } }"""
REJECTED = """query ($source: String!) { rejectedRecords(source: $source) { edges { node { rowNumber raw } } } }"""


@pytest.fixture
def bac_kan(store):
    """The office of Thái Nguyên (19), which Bắc Kạn joined in July 2025."""
    return verify_token(store, create_key(store, role=Role.PROVINCE, name="Sở NN Thái Nguyên", province_code="19")[1])


def test_a_word_annex_is_pushed_and_a_rejected_row_says_where_it_is(store, bac_kan) -> None:
    data = annex.docx_with_a_nameless_row()
    summary = push_file(store, bac_kan, province="Bắc Kạn", filename="phu-luc.docx", data=data)
    assert summary.created == annex.FOURS + annex.THREES and summary.rejected == 1
    with Session(store) as s:
        (raw,) = s.execute(select(RejectedRecord.raw)).scalars()
        assert raw[LOCATION_KEY] == f"table 3, row {annex.THREES + 3}"
        assert s.execute(select(func.count()).select_from(Product)).scalar_one() == annex.FOURS + annex.THREES


def test_a_printed_annex_is_pushed(store, bac_kan, tmp_path) -> None:
    if not annex.CHROMIUM.exists():
        pytest.skip("chromium not installed (/usr/bin/chromium): apt-get install chromium")
    data = annex.print_pdf(annex.annex_html(), tmp_path / "print")
    summary = push_file(store, bac_kan, province="Bắc Kạn", filename="phu-luc.pdf", data=data, dry_run=True)
    assert summary.created == annex.FOURS + annex.THREES and summary.rejected == 0


@pytest.mark.parametrize(("filename", "data", "message"), [
    ("phu-luc.doc", OLE2_MAGIC + b"\x00" * 600 + "WordDocument".encode("utf-16-le"),
     "phu-luc.doc: an old binary Word .doc file (OLE2)"),
    ("phu-luc.docx", OLE2_MAGIC + b"\x00" * 600 + "EncryptedPackage".encode("utf-16-le"),
     "phu-luc.docx: password-protected"),
    ("phu-luc.pdf", b"%PDF-1.4\n" + b"x" * 100, "phu-luc.pdf: not a readable PDF"),
    ("phu-luc.odt", b"PK", "phu-luc.odt: only .csv, .xlsx, .pdf and .docx files can be pushed"),
])
def test_files_that_cannot_be_read_are_refused_whole(store, bac_kan, filename, data, message) -> None:
    with pytest.raises(PushRefused) as refused:
        push_file(store, bac_kan, province="Bắc Kạn", filename=filename, data=data)
    assert refused.value.code == "BAD_FILE" and refused.value.message.startswith(message)
    with Session(store) as s:
        assert s.execute(select(func.count()).select_from(Product)).scalar_one() == 0


def fpdf_annex() -> bytes:
    """The sample list as a PDF written by fpdf2 (no browser): 33 rows on page 1, 27 on page 2.
    The long note is left out: fpdf2 will not draw a row taller than a page."""
    body: list[list[str] | str] = []
    for title, part in annex.sections():
        body += [title, *(annex.cells(item)[:-1] + [""] for item in part)]
    body.append(f"Tổng cộng: {annex.FOURS + annex.THREES} sản phẩm")
    return annex_pdf(AnnexDocument(annex.TITLE, annex.HEADER, body, widths=[8, 42, 48, 52, 18],
                                   signature=annex.SIGNATURE))


def graphql(client: TestClient, query: str, token: str | None = None, **variables: str) -> dict:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    answer = client.post("/graphql", json={"query": query, "variables": variables}, headers=headers).json()
    assert "errors" not in answer, answer
    return answer["data"]


@pytest.mark.parametrize(("filename", "data", "first", "last"), [
    ("phu-luc.docx", annex.docx_annex(), "table 2, row 2", f"table 3, row {annex.THREES + 1}"),
    ("phu-luc.pdf", fpdf_annex(), "page 1", "page 2"),
], ids=["docx", "pdf"])
def test_graphql_provenance_says_where_a_pushed_annex_has_the_product(store, filename, data, first, last) -> None:
    """The first product is the first row under the header of the 4★ table (docx: table 1 is the
    "UBND | CỘNG HÒA" block) or on page 1; the last is the 3★ table's last row, or on page 2."""
    token = create_key(store, role=Role.PROVINCE, name="Sở NN Thái Nguyên", province_code="19")[1]
    summary = push_file(store, verify_token(store, token), province="Bắc Kạn", filename=filename, data=data)
    assert summary.created == annex.FOURS + annex.THREES and summary.rejected == 0
    with TestClient(create_app(store)) as client:
        nodes = [e["node"] for e in graphql(client, PROVENANCE)["products"]["edges"]]
    location = {n["name"]: n["provenance"][0]["location"] for n in nodes}
    kinds = {(p["sourceName"], p["sourceKind"]) for n in nodes for p in n["provenance"]}
    every = annex.items()
    assert kinds == {("push-19", "push")} and len(nodes) == len(every)  # a push channel, whatever the file
    assert location[every[0].name] == first and location[every[-1].name] == last
    assert all(location.values())


def test_graphql_rejected_records_say_where_the_row_is(store) -> None:
    token = create_key(store, role=Role.PROVINCE, name="Sở NN Thái Nguyên", province_code="19")[1]
    push_file(store, verify_token(store, token), province="Bắc Kạn", filename="phu-luc.docx",
              data=annex.docx_with_a_nameless_row())
    with TestClient(create_app(store)) as client:
        edges = graphql(client, REJECTED, token, source="push-19")["rejectedRecords"]["edges"]
    assert [e["node"]["raw"][LOCATION_KEY] for e in edges] == [f"table 3, row {annex.THREES + 3}"]
