"""HTML tables: the first table whose header maps, spans, entities, nested tags, encodings."""
from __future__ import annotations

import pytest

from hub.normalize.encodings import encode_legacy
from hub.registries import RegistryError, read_rows
from hub.registries.html_table import read_html

from .helpers import spec

PAGE = """<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>OCOP Trà Vinh</title><style>td {{ color: red }}</style><script>var t = "<table>";</script></head>
<body>
<table class="layout"><tr><td><a href="/">Trang chủ</a></td><td>Liên hệ</td></tr></table>
<table border=1>
 <tr><th colspan="6">DANH SÁCH SẢN PHẨM OCOP TỈNH TRÀ VINH</th></tr>
 <tr><th rowspan=2>STT<th rowspan="2">Tên sản phẩm<th rowspan="2">Chủ thể<th colspan="2">Địa chỉ<th rowspan="2">Hạng sao</tr>
 <tr><th>Huyện</th><th>Xã</th></tr>
 <tr><td>1</td><td><b>Bánh tét</b>&nbsp;lá&nbsp;cẩm<br></td><td rowspan="2"><span>Hộ kinh doanh<br>Thạch Thị Dừa</span></td>
     <td>huyện Cầu Kè</td><td>xã Hòa Ân</td><td>&#9733;&#9733;&#x2605;</td></tr>
 <tr><td>2<td>Kẹo dừa &amp; đậu phộng<td>huyện Cầu Kè<td>xã Hòa Ân<td>4 sao (tiềm năng 5 sao)
 <tr><td colspan="6">Huyện Càng Long</td></tr>
 <tr><td>3</td><td>Mắm ba khía</td><td>HTX Nông nghiệp Đại Phước</td><td>huyện Càng Long</td><td>xã Đại Phước</td><td>&#9733;&#9733;&#9733;&#9733;</td></tr>
</table>
<table><tr><td>Tên sản phẩm</td><td>Chủ thể</td><td>Hạng sao</td></tr><tr><td>khác</td><td>x</td><td>3</td></tr></table>
</body></html>
"""


@pytest.mark.parametrize("charset", ["utf-8", "windows-1258", "iso-8859-1-but-wrong"])
def test_registry_table(charset):
    text = PAGE.format(charset=charset)
    data = encode_legacy(text, "cp1258") if charset == "windows-1258" else text.encode("utf-8")
    rows = list(read_html(data, spec("tv.html", "html")))
    assert [r.row_number for r in rows] == [4, 5, 7]  # row 6 is a section title, not a product
    assert rows[0].values == {"product_name": "Bánh tét lá cẩm", "producer_name": "Hộ kinh doanh Thạch Thị Dừa",
                              "district": "huyện Cầu Kè", "commune": "xã Hòa Ân", "stars": "★★★"}
    assert rows[1].values["product_name"] == "Kẹo dừa & đậu phộng"
    assert rows[1].values["producer_name"] == "Hộ kinh doanh Thạch Thị Dừa"  # rowspan carried down
    assert rows[1].values["stars"] == "4 sao (tiềm năng 5 sao)"
    assert rows[2].values["stars"] == "★★★★" and "Địa chỉ / Huyện" in rows[2].raw
    assert rows[2].values["district"] == "huyện Càng Long" and rows[2].raw["(section)"] == "Huyện Càng Long"


def test_served_over_http(server):
    server.routes["/ocop.html"] = lambda h, q: h.send(200, PAGE.format(charset="utf-8").encode(), "text/html")
    rows = list(read_rows(spec(server.url("/ocop.html"), "html")))
    assert len(rows) == 3


def test_no_registry_table():
    with pytest.raises(RegistryError, match=r"tv.html: no <table> with a header row among 1 table"):
        list(read_html(b"<html><table><tr><td>a</td></tr></table></html>", spec("tv.html", "html")))
    with pytest.raises(RegistryError, match="among 0 table"):
        list(read_html(b"<html><p>Trang \xc4\x91ang b\xe1\xba\xa3o tr\xc3\xac</p></html>", spec("tv.html", "html")))
    with pytest.raises(RegistryError, match="tv.html: cannot decode the page"):
        list(read_html(b"\x00\x01garbage\xff\xfe\x81", spec("tv.html", "html")))
