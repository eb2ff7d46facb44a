"""UnitResolver: administrative units as registries write them → current units (pure, no DB)."""
from __future__ import annotations

import unicodedata

import pytest

from hub.normalize.problem import Problem
from hub.units.resolver import ResolvedUnit, UnitResolver, split_prefix, unit_key

PRE, POST = "pre2025", "post2025"


@pytest.fixture(scope="module")
def resolver() -> UnitResolver:
    return UnitResolver.from_packages()


# (province text, current code, current name, legacy province, unit_code, version)
PROVINCES = [
    ("Bắc Kạn", "19", "Thái Nguyên", "Bắc Kạn", "06", PRE),
    ("tỉnh Trà Vinh", "86", "Vĩnh Long", "Trà Vinh", "84", PRE),
    ("Hà Giang", "08", "Tuyên Quang", "Hà Giang", "02", PRE),
    ("Bình Định", "52", "Gia Lai", "Bình Định", "52", PRE),
    ("Gia Lai", "52", "Gia Lai", "Gia Lai", "52", POST),
    ("Quảng Ninh", "22", "Quảng Ninh", "Quảng Ninh", "22", POST),
    ("Tỉnh Quảng Ninh", "22", "Quảng Ninh", "Quảng Ninh", "22", POST),
    ("bac kan", "19", "Thái Nguyên", "Bắc Kạn", "06", PRE),
    ("BẮC KẠN", "19", "Thái Nguyên", "Bắc Kạn", "06", PRE),
    ("  tỉnh   Bắc   Kạn ", "19", "Thái Nguyên", "Bắc Kạn", "06", PRE),
    ("Bắc Cạn", "19", "Thái Nguyên", "Bắc Kạn", "06", PRE),
    ("TP. Hà Nội", "01", "Hà Nội", "Hà Nội", "01", POST),
    ("Thành phố Hà Nội", "01", "Hà Nội", "Hà Nội", "01", POST),
    ("T.P Hà Nội", "01", "Hà Nội", "Hà Nội", "01", POST),
    ("ha noi", "01", "Hà Nội", "Hà Nội", "01", POST),
    ("Thanh Hoá", "38", "Thanh Hóa", "Thanh Hóa", "38", POST),
    ("Thanh Hóa", "38", "Thanh Hóa", "Thanh Hóa", "38", POST),
    ("Khánh Hoà", "56", "Khánh Hòa", "Khánh Hòa", "56", POST),
    ("Đắk Lắk", "66", "Đắk Lắk", "Đắk Lắk", "66", POST),
    ("Đắc Lắc", "66", "Đắk Lắk", "Đắk Lắk", "66", POST),
    ("Dak Lak", "66", "Đắk Lắk", "Đắk Lắk", "66", POST),
    ("Phú Yên", "66", "Đắk Lắk", "Phú Yên", "54", PRE),
    ("TP HCM", "79", "Hồ Chí Minh", "Hồ Chí Minh", "79", POST),
    ("TP.HCM", "79", "Hồ Chí Minh", "Hồ Chí Minh", "79", POST),
    ("Thành phố Hồ Chí Minh", "79", "Hồ Chí Minh", "Hồ Chí Minh", "79", POST),
    ("Bình Dương", "79", "Hồ Chí Minh", "Bình Dương", "74", PRE),
    ("Bà Rịa - Vũng Tàu", "79", "Hồ Chí Minh", "Bà Rịa - Vũng Tàu", "77", PRE),
    ("Thừa Thiên Huế", "46", "Huế", "Huế", "46", PRE),
    ("Yên Bái", "15", "Lào Cai", "Yên Bái", "15", PRE),
    ("Lào Cai", "15", "Lào Cai", "Lào Cai", "15", POST),
    ("Kiên Giang", "91", "An Giang", "Kiên Giang", "91", PRE),
    ("Long An", "80", "Tây Ninh", "Long An", "80", PRE),
    ("Tiền Giang", "82", "Đồng Tháp", "Tiền Giang", "82", PRE),
    ("Quảng Bình", "44", "Quảng Trị", "Quảng Bình", "44", PRE),
    ("Bắc Giang", "24", "Bắc Ninh", "Bắc Giang", "24", PRE),
]


@pytest.mark.parametrize("text,code,name,legacy,unit_code,version", PROVINCES)
def test_province(resolver, text, code, name, legacy, unit_code, version):
    r = resolver.resolve(text)
    assert isinstance(r, ResolvedUnit), r
    assert (r.province_code, r.legacy_province, r.unit_code, r.unit_code_version) == (code, legacy, unit_code, version)
    assert r.commune_code is None
    assert r.text == " ".join(text.split())
    assert resolver.province_name(code) == name
    assert resolver.resolve_province_code(text) == code


def test_nfd_input_is_the_same_as_nfc(resolver):
    nfd = unicodedata.normalize("NFD", "Tỉnh Bắc Kạn")
    assert resolver.resolve(nfd).province_code == "19"


@pytest.mark.parametrize("code,version,name", [
    ("52", PRE, "Bình Định"), ("52", POST, "Gia Lai"),
    ("15", PRE, "Yên Bái"), ("15", POST, "Lào Cai"),
    ("10", PRE, "Lào Cai"), ("10", POST, None),
    ("01864", PRE, "Xã Bộc Bố"), ("01864", POST, "Xã Bằng Thành"),
    ("00187", PRE, "Phường Láng Thượng"), ("00187", POST, "Phường Láng"),
])
def test_code_version_distinguishes_reused_codes(resolver, code, version, name):
    assert resolver.unit_name(code, version) == name


def test_binh_dinh_and_gia_lai_share_52_but_not_the_version(resolver):
    bd, gl = resolver.resolve("Bình Định"), resolver.resolve("Gia Lai")
    assert bd.province_code == gl.province_code == "52"
    assert (bd.unit_code, bd.unit_code_version) == ("52", PRE)
    assert (gl.unit_code, gl.unit_code_version) == ("52", POST)
    assert resolver.unit_name(bd.unit_code, bd.unit_code_version) == "Bình Định"
    assert resolver.unit_name(gl.unit_code, gl.unit_code_version) == "Gia Lai"


def test_seven_province_codes_were_reused(resolver):
    """DESIGN.md: current codes 15, 24, 44, 52, 80, 82, 91 meant another province before."""
    reused = {c for c in resolver.province_codes()
              if resolver.unit_name(c, PRE) not in (None, resolver.province_name(c))}
    assert reused == {"15", "24", "44", "52", "80", "82", "91"}


# (province, district, commune, province_code, commune_code, legacy, unit_code, version)
UNITS = [
    # old district inside its old province
    ("Bắc Kạn", "huyện Pác Nặm", None, "19", None, "Bắc Kạn", "060", PRE),
    ("Bắc Kạn", "H. Pác Nặm", None, "19", None, "Bắc Kạn", "060", PRE),
    ("bac kan", "pac nam", None, "19", None, "Bắc Kạn", "060", PRE),
    # an old district under the new province still tells the old province
    ("Thái Nguyên", "huyện Pác Nặm", None, "19", None, "Bắc Kạn", "060", PRE),
    # old commune → its current commune (Nhạn Môn went into Bằng Thành, code 01864)
    ("Bắc Kạn", "huyện Pác Nặm", "Xã Nhạn Môn", "19", "01864", "Bắc Kạn", "01861", PRE),
    ("Bắc Kạn", "huyện Pác Nặm", "xa nhan mon", "19", "01864", "Bắc Kạn", "01861", PRE),
    ("Bắc Kạn", None, "Nhạn Môn", "19", "01864", "Bắc Kạn", "01861", PRE),
    # the old code 01864 was Bộc Bố; the current 01864 is Bằng Thành
    ("Bắc Kạn", "Pác Nặm", "X. Bộc Bố", "19", "01864", "Bắc Kạn", "01864", PRE),
    # a current commune under the new province: its origin tells the legacy province
    ("Thái Nguyên", None, "Xã Bằng Thành", "19", "01864", "Bắc Kạn", "01864", POST),
    # Hồ Chí Minh: district and ward abbreviations; the new Phường Sài Gòn
    ("TP. Hồ Chí Minh", "Q.1", "P. Bến Nghé", "79", "26740", "Hồ Chí Minh", "26740", PRE),
    ("Hồ Chí Minh", "Quận 1", "Phường Bến Nghé", "79", "26740", "Hồ Chí Minh", "26740", PRE),
    ("Hồ Chí Minh", None, "Phường Sài Gòn", "79", "26740", "Hồ Chí Minh", "26740", POST),
    # Hà Nội: old Láng Thượng (Đống Đa) → the current Phường Láng
    ("Hà Nội", "Quận Đống Đa", "Phường Láng Thượng", "01", "00187", "Hà Nội", "00187", PRE),
    # an island district became a special zone (đặc khu)
    ("Bà Rịa - Vũng Tàu", "huyện Côn Đảo", None, "79", "26732", "Bà Rịa - Vũng Tàu", "755", PRE),
    ("Hồ Chí Minh", None, "Đặc khu Côn Đảo", "79", "26732", "Bà Rịa - Vũng Tàu", "26732", POST),
    # same name in two districts of Hà Giang with different successors: the district decides,
    ("Hà Giang", "huyện Mèo Vạc", "xã Tả Lủng", "08", "00769", "Hà Giang", "00796", PRE),
    ("Hà Giang", "huyện Đồng Văn", "xã Tả Lủng", "08", "00721", "Hà Giang", "00742", PRE),
    # ... without it the commune stays unknown (never guessed)
    ("Hà Giang", None, "xã Tả Lủng", "08", None, "Hà Giang", "02", PRE),
    # a split ward: the package's default successor (Cam Giá → Phường Gia Sàng)
    ("Thái Nguyên", "Thành phố Thái Nguyên", "Phường Cam Giá", "19", "05467", "Thái Nguyên", None, PRE),
]


@pytest.mark.parametrize("province,district,commune,pcode,ccode,legacy,unit_code,version", UNITS)
def test_units(resolver, province, district, commune, pcode, ccode, legacy, unit_code, version):
    r = resolver.resolve(province, district, commune)
    assert isinstance(r, ResolvedUnit), r
    got = (r.province_code, r.commune_code, r.legacy_province, r.unit_code if unit_code else None,
           r.unit_code_version)
    assert got == (pcode, ccode, legacy, unit_code, version)
    assert r.text == ", ".join(x for x in (commune, district, province) if x)


def test_split_ward_default_successor(resolver):
    r = resolver.resolve("Thái Nguyên", "Thành phố Thái Nguyên", "Phường Cam Giá")
    assert resolver.unit_name(r.commune_code, POST) == "Phường Gia Sàng"
    assert resolver.unit_name(r.unit_code, PRE) == "Phường Cam Giá"


def test_tone_variants_of_same_fold_are_told_apart(resolver):
    """'Tân Thạnh' and 'Tân Thành' fold to the same key; diacritics, when written, decide."""
    a = resolver.resolve("Long An", "Huyện Tân Thạnh", "Thị trấn Tân Thạnh")
    assert (a.commune_code, a.unit_code) == ("27826", "27826")
    assert resolver.unit_name("27826", POST) == "Xã Tân Thạnh"


def test_default_province(resolver):
    r = resolver.resolve(None, None, "Xã Nhạn Môn", default_province="Bắc Kạn")
    assert (r.province_code, r.commune_code, r.legacy_province) == ("19", "01864", "Bắc Kạn")
    assert r.text == "Xã Nhạn Môn"
    only = resolver.resolve(None, default_province="Tỉnh Bắc Kạn")
    assert (only.province_code, only.text) == ("19", "Tỉnh Bắc Kạn")
    # a written province wins over the source's default
    assert resolver.resolve("Cao Bằng", default_province="Bắc Kạn").province_code == "04"


ADDRESSES = [
    ("Xã Nhạn Môn, huyện Pác Nặm, tỉnh Bắc Kạn", None, "19", "01864", "Bắc Kạn", "01861", PRE),
    ("Thôn Nà Làng, xã Bộc Bố, Pác Nặm, Bắc Kạn, Việt Nam", None, "19", "01864", "Bắc Kạn", "01864", PRE),
    ("Xã Bằng Thành, tỉnh Thái Nguyên", None, "19", "01864", "Bắc Kạn", "01864", POST),
    ("Số 12 Lê Lợi; P. Bến Nghé; Q.1; TP.HCM", None, "79", "26740", "Hồ Chí Minh", "26740", PRE),
    ("huyện Pác Nặm - Bắc Kạn", None, "19", None, "Bắc Kạn", "060", PRE),
    ("xã Bộc Bố, huyện Pác Nặm", "Bắc Kạn", "19", "01864", "Bắc Kạn", "01864", PRE),
]


@pytest.mark.parametrize("address,default,pcode,ccode,legacy,unit_code,version", ADDRESSES)
def test_address(resolver, address, default, pcode, ccode, legacy, unit_code, version):
    r = resolver.resolve(None, address=address, default_province=default)
    assert isinstance(r, ResolvedUnit), r
    assert (r.province_code, r.commune_code, r.legacy_province, r.unit_code, r.unit_code_version) == (
        pcode, ccode, legacy, unit_code, version)
    assert r.text == address


def test_address_with_structured_province(resolver):
    r = resolver.resolve("Bắc Kạn", address="Thôn 3, xã Bộc Bố, huyện Pác Nặm")
    assert (r.province_code, r.commune_code) == ("19", "01864")
    assert r.text == "Thôn 3, xã Bộc Bố, huyện Pác Nặm, Bắc Kạn"


PROBLEMS = [
    (("Hà Tây Mới",), {}, "province", "unknown province 'Hà Tây Mới'"),
    ((None,), {}, "province", "no province given"),
    (("Bắc Kạn", "huyện Không Có"), {}, "district", "unknown district 'huyện Không Có'"),
    # never across provinces: Bộc Bố is in Bắc Kạn, not Cao Bằng
    (("Cao Bằng", None, "Xã Bộc Bố"), {}, "commune", "unknown commune 'Xã Bộc Bố'"),
    # Pác Nặm had no Tân Thành (Thái Nguyên's Tân Thành is elsewhere): not guessed
    ((None,), {"address": "Xã Tân Thành, huyện Pác Nặm, tỉnh Bắc Kạn"}, "address", "unknown commune 'Xã Tân Thành'"),
    ((None,), {"address": "Thôn 5, Hà Tây Mới"}, "address", "no known province in address"),
    ((None,), {"default_province": "Hà Tây"}, "province", "unknown province 'Hà Tây'"),
]


@pytest.mark.parametrize("args,kwargs,field,message", PROBLEMS)
def test_problems(resolver, args, kwargs, field, message):
    p = resolver.resolve(*args, **kwargs)
    assert isinstance(p, Problem), p
    assert p.code == "UNKNOWN_UNIT"
    assert p.field == field
    assert message in p.message


def test_lenient_mode_keeps_the_level_that_matched(resolver):
    r = resolver.resolve("Bắc Kạn", "huyện Pác Nặm", "Xã Tân Thành", strict=False)
    assert (r.province_code, r.commune_code, r.unit_code, r.legacy_province) == ("19", None, "060", "Bắc Kạn")


@pytest.mark.parametrize("text,typ,key", [
    ("Xã Tân Thành", "xa", "tanthanh"),
    ("xa tan thanh", "xa", "tanthanh"),
    ("Xá Lượng", None, "xaluong"),       # 'Xá' is a name, not the prefix 'xã'
    ("TP.HCM", "tp", "hcm"),
    ("T.P Hà Nội", "tp", "hanoi"),
    ("Q1", "quan", "1"),
    ("Phường 01", "phuong", "1"),
    ("P.12", "phuong", "12"),
    ("TX. Sơn Tây", "thixa", "sontay"),
    ("thị trấn Phong Thổ", "thitran", "phongtho"),
    ("TT. Phong Thổ", "thitran", "phongtho"),
    ("Đặc khu Côn Đảo", "dackhu", "condao"),
    ("Tỉnh", None, "tinh"),              # a prefix alone is not stripped
])
def test_unit_key(text, typ, key):
    assert unit_key(text) == (typ, key)


def test_split_prefix_keeps_the_name_as_written():
    assert split_prefix("  huyện   Pác Nặm ") == ("huyen", "Pác Nặm")


def test_keys_do_not_collide(resolver):
    """No two old provinces, and no two current ones, share a key (variants included)."""
    from hub.units.reference import build_reference

    ref = build_reference()
    olds = [unit_key(r["name"])[1] for r in ref.legacy if r["level"] == "province"]
    news = [unit_key(r["name"])[1] for r in ref.provinces]
    assert len(set(olds)) == 63 and len(set(news)) == 34


def test_resolve_is_fast(resolver):
    """Cached look-ups: the ingest loop resolves tens of thousands of rows per second."""
    import time

    rows = [("Bắc Kạn", "huyện Pác Nặm", "Xã Nhạn Môn"), ("Hà Nội", None, None), ("Trà Vinh", None, None)]
    start = time.perf_counter()
    for _ in range(10_000):
        for row in rows:
            resolver.resolve(*row)
    assert time.perf_counter() - start < 1.0


@pytest.mark.parametrize("district,commune,ccode,unit_code,version", [
    # no district: pre-2025 addresses always had one, so the current commune is read
    (None, "Phường Ngọc Hà", "00008", "00008", POST),
    # with the old district, the old ward (split; the package's default successor is Ba Đình)
    ("Quận Ba Đình", "Phường Ngọc Hà", "00004", "00016", PRE),
    # several old Quang Trung wards and no current one: not guessed
    (None, "Phường Quang Trung", None, "01", POST),
])
def test_unchanged_province_name_without_district_reads_current_communes(resolver, district, commune, ccode,
                                                                         unit_code, version):
    r = resolver.resolve("Hà Nội", district, commune)
    assert (r.commune_code, r.unit_code, r.unit_code_version) == (ccode, unit_code, version)


def test_every_current_commune_resolves_within_its_province(resolver):
    from hub.units.reference import build_reference

    misses = []
    for c in build_reference().communes:
        r = resolver.resolve(resolver.province_name(c["province_code"]), None, c["name"])
        if not isinstance(r, ResolvedUnit) or (r.commune_code, r.unit_code) != (c["code"], c["code"]):
            misses.append((c["name"], c["province_code"], r))
    assert misses == []


def test_every_old_commune_resolves_with_its_district_and_province(resolver):
    from hub.units.reference import build_reference

    legacy = build_reference().legacy
    names = {(u["level"], u["code"]): u["name"] for u in legacy}
    misses = []
    for u in legacy:
        if u["level"] != "commune":
            continue
        r = resolver.resolve(names[("province", u["legacy_province_code"])],
                             names[("district", u["legacy_district_code"])], u["name"])
        if not isinstance(r, ResolvedUnit) or (r.province_code, r.commune_code, r.unit_code) != (
                u["current_province_code"], u["current_commune_code"], u["code"]):
            misses.append((u["name"], r))
    assert misses == []


@pytest.mark.parametrize("text", ["Bắc Kạn (cũ)", "tỉnh Bắc Kạn cũ", "Bac Kan (cu)"])
def test_old_marker_is_ignored(resolver, text):
    r = resolver.resolve(text)
    assert (r.province_code, r.legacy_province, r.text) == ("19", "Bắc Kạn", text)


@pytest.mark.parametrize(("address", "unit_code"), [
    ("Tổ 3, phường Chiềng Lề, Thành phố Sơn La", "03646"),  # the ward of the capital city
    ("Thành phố Sơn La, tỉnh Sơn La", "116"),  # the capital city (a pre-2025 district), not the province
    ("Thành phố Sơn La", "116"),
])
def test_a_provinces_name_with_a_city_type_is_its_capital_city(resolver, address, unit_code):
    unit = resolver.resolve(None, address=address, default_province="Sơn La")
    assert (unit.province_code, unit.unit_code, unit.unit_code_version) == ("14", unit_code, "pre2025")


def test_a_centrally_run_citys_name_is_still_the_province(resolver):
    unit = resolver.resolve(None, address="Phường Hoàn Kiếm, Thành phố Hà Nội", default_province=None)
    assert unit.province_code == "01"
