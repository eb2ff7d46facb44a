"""CSV registries: encodings, delimiters, title rows, STT."""
from __future__ import annotations

import unicodedata

import pytest

from hub.normalize.encodings import encode_legacy
from hub.registries import RegistryError, read_rows
from hub.registries.csv_reader import read_csv, sniff_delimiter

from .helpers import spec

TEXT = (
    "DANH SÁCH SẢN PHẨM OCOP NĂM 2018\r\n"
    "\r\n"
    "STT,Tên sản phẩm,Chủ thể,Xã,Huyện,Số sao,Năm\r\n"
    '1,Tinh bột nghệ nếp đỏ,HTX dịch vụ nông nghiệp Tân Thành,xã Bằng Thành,huyện Pác Nặm,3*,2018\r\n'
    '2,"Miến dong, loại 1",Hộ kinh doanh Đặng Thị Ưng,xã Côn Minh,huyện Na Rì,4*,2018\r\n'
)
EXPECTED_FIRST = {
    "product_name": "Tinh bột nghệ nếp đỏ", "producer_name": "HTX dịch vụ nông nghiệp Tân Thành",
    "commune": "xã Bằng Thành", "district": "huyện Pác Nặm", "stars": "3*", "year": "2018",
}


@pytest.mark.parametrize(
    ("encoding", "data"),
    [
        ("utf-8", TEXT.encode("utf-8")),
        ("utf-8-sig", TEXT.encode("utf-8-sig")),
        ("utf-8", unicodedata.normalize("NFD", TEXT).encode("utf-8")),
        ("cp1258", encode_legacy(TEXT, "cp1258")),
        ("tcvn3", encode_legacy(TEXT, "tcvn3")),
        ("vni", encode_legacy(TEXT, "vni")),
    ],
    ids=["utf-8", "utf-8-sig", "utf-8-nfd", "cp1258", "tcvn3", "vni"],
)
@pytest.mark.parametrize("declared", ["declared", "auto"])
def test_encodings(tmp_path, encoding, data, declared):
    path = tmp_path / "bac_kan.csv"
    path.write_bytes(data)
    rows = list(read_rows(spec(path, "csv", encoding=encoding if declared == "declared" else "auto")))
    assert [r.row_number for r in rows] == [4, 5]
    assert rows[0].values == EXPECTED_FIRST
    assert rows[1].values["product_name"] == "Miến dong, loại 1"
    assert rows[1].values["producer_name"] == "Hộ kinh doanh Đặng Thị Ưng"
    assert "STT" not in rows[0].raw


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_delimiters(delimiter):
    text = TEXT.replace(",", delimiter) if delimiter != "," else TEXT
    text = text.replace('"Miến dong' + delimiter + ' loại 1"', '"Miến dong, loại 1"')
    assert sniff_delimiter(text) == delimiter
    rows = list(read_csv(text.encode(), spec("x.csv", "csv")))
    assert rows[0].values == EXPECTED_FIRST


def test_semicolon_with_commas_in_values():
    text = "Tên SP;Tên chủ thể;Xếp hạng;Địa chỉ\nChè, túi lọc;HTX A, B;4 sao;xã X, huyện Y\n"
    (row,) = read_csv(text.encode(), spec("x.csv", "csv"))
    assert row.values == {"product_name": "Chè, túi lọc", "producer_name": "HTX A, B", "stars": "4 sao",
                          "address": "xã X, huyện Y"}
    assert row.row_number == 2


def test_columns_override():
    text = "Tên hàng hoá,Đơn vị chủ quản,Hạng sao\nChè,HTX A,3\n"
    (row,) = read_csv(text.encode(), spec("x.csv", "csv", columns={"Tên hàng hoá": "product_name",
                                                                 "Đơn vị chủ quản": "producer_name"}))
    assert row.values == {"product_name": "Chè", "producer_name": "HTX A", "stars": "3"}


def test_row_oddities_pass_through():
    text = "Tên sản phẩm,Chủ thể,Hạng sao\n,HTX A,7 sao\nChè,HTX B\n"
    rows = list(read_csv(text.encode(), spec("x.csv", "csv")))
    assert rows[0].values == {"product_name": "", "producer_name": "HTX A", "stars": "7 sao"}
    assert rows[1].values == {"product_name": "Chè", "producer_name": "HTX B", "stars": ""}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the file is empty"),
        (b"a,b,c\n1,2,3\n", "no header row found"),
        (b"\xff\xfe\x00\xd8garbage\x00\x00" * 5, "x.csv"),
    ],
)
def test_file_level_errors(data, message):
    with pytest.raises(RegistryError, match=message):
        list(read_csv(data, spec("x.csv", "csv")))


def test_undecodable_for_declared_encoding():
    with pytest.raises(RegistryError, match="x.csv: cannot decode"):
        list(read_csv("Tên sản phẩm,Chủ thể,Hạng sao\n".encode("utf-8") + b"\xff\xfe\xfa\n", spec("x.csv", "csv", encoding="utf-8")))
