"""provinces, coverage and rejectedRecords."""
from __future__ import annotations

from sqlalchemy import text


def test_provinces_with_predecessors_and_counts(data, engine):
    provinces = data("{ provinces { code name fullName legacyPredecessors productCount } }")["provinces"]
    assert [p["code"] for p in provinces] == ["08", "19", "22", "86"]
    by_code = {p["code"]: p for p in provinces}
    assert by_code["19"]["legacyPredecessors"] == sorted(["Bắc Kạn", "Thái Nguyên"])
    assert by_code["86"]["legacyPredecessors"] == sorted(["Bến Tre", "Trà Vinh", "Vĩnh Long"])
    with engine.connect() as conn:
        counts = dict(conn.execute(text("SELECT province_code, COUNT(*) FROM product "
                                        "WHERE status IN ('active','expired') GROUP BY province_code")).all())
    assert {c: p["productCount"] for c, p in by_code.items()} == {"08": 0, **counts}


COVERAGE = """query($d: Int!) { coverage(staleAfterDays: $d) {
  province { code } productCount rejectedCount lastSuccessAt stale
  sources { name kind lastSuccessAt recordCount rejectedCount stale latestBatch { status rejected } }
} }"""


def test_coverage(data, engine):
    coverage = {c["province"]["code"]: c for c in data(COVERAGE, {"d": 45})["coverage"]}
    assert set(coverage) == {"08", "19", "22", "86"}
    assert coverage["08"]["sources"] == [] and coverage["08"]["stale"] is True
    assert coverage["19"]["stale"] is False and coverage["19"]["rejectedCount"] == 700
    assert coverage["22"]["stale"] is False  # last success from its succeeded push batch
    vinh_long = coverage["86"]
    assert vinh_long["stale"] is True  # last harvest failed; last success 200 days ago
    assert vinh_long["sources"][0]["latestBatch"]["status"] == "failed"
    assert vinh_long["rejectedCount"] == 1
    with engine.connect() as conn:
        present = conn.execute(text("SELECT COUNT(*) FROM source_record sr JOIN source s ON s.id = sr.source_id "
                                    "WHERE s.name = 'thai-nguyen-registry' AND sr.present")).scalar()
        products = conn.execute(text("SELECT COUNT(*) FROM product WHERE province_code = '19' "
                                     "AND status IN ('active','expired')")).scalar()
    assert coverage["19"]["sources"][0]["recordCount"] == present
    assert coverage["19"]["productCount"] == products
    stricter = {c["province"]["code"]: c for c in data(COVERAGE, {"d": 1})["coverage"]}
    assert stricter["19"]["stale"] is True


REJECTED = """query($s: String!, $a: String, $n: Int) { rejectedRecords(source: $s, first: $n, after: $a) {
  totalCount batch { id status }
  edges { cursor node { rowNumber raw errors { code field message value } } }
  pageInfo { hasNextPage endCursor }
} }"""


def test_rejected_records_are_complete(data):
    first = data(REJECTED, {"s": "thai-nguyen-registry"})["rejectedRecords"]
    assert first["totalCount"] == 700 and len(first["edges"]) == 500 and first["pageInfo"]["hasNextPage"]
    rest = data(REJECTED, {"s": "thai-nguyen-registry", "a": first["pageInfo"]["endCursor"]})["rejectedRecords"]
    rows = [e["node"]["rowNumber"] for e in first["edges"] + rest["edges"]]
    assert rows == list(range(2, 702)) and not rest["pageInfo"]["hasNextPage"]
    node = first["edges"][0]["node"]
    assert node["raw"] == {"Tên sản phẩm": "=bad 0", "Số sao": "sáu"}
    assert node["errors"] == [
        {"code": "STARS_INVALID", "field": "stars", "message": "'sáu' is not a star rating (row 2)", "value": "sáu"},
        {"code": "GROUP_UNKNOWN", "field": "group", "message": "unknown group", "value": None}]


def test_rejected_records_of_a_source_without_rejects(data):
    body = data(REJECTED, {"s": "quang-ninh-push"})["rejectedRecords"]
    assert body["totalCount"] == 0 and body["edges"] == [] and body["batch"]["status"] == "succeeded"
