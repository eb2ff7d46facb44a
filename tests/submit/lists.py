"""Lists a provincial officer sends, built in memory: a Quảng Ninh workbook with good, bad and
foreign rows, the bad files of the issue (a scan, a .doc, a password-protected file…)."""
from __future__ import annotations

import io

import openpyxl
from fpdf import FPDF
from PIL import Image

from hub.registries.docx_reader import OLE2_MAGIC

HEADER = ["STT", "Tên sản phẩm", "Chủ thể", "Hạng sao", "Nhóm sản phẩm", "Địa chỉ", "Ngày quyết định"]
GOOD = [
    ["1", "Chè Shan tuyết Bình Liêu", "HTX Chè Bình Liêu", "4 sao", "Đồ uống", "Bình Liêu, Quảng Ninh", "12/05/2024"],
    ["2", "Miến dong Bình Liêu", "Công ty TNHH Miến dong Bình Liêu", "3", "Thực phẩm", "Bình Liêu, Quảng Ninh",
     "12/05/2024"],
]
BAD_STARS = ["3", "Sá sùng khô", "HTX Thủy sản Vân Đồn", "bảy", "Thực phẩm", "Vân Đồn, Quảng Ninh", "12/05/2024"]
FOREIGN = ["4", "Gốm Phù Lãng", "HTX Gốm Phù Lãng", "4 sao", "Hàng thủ công mỹ nghệ", "xã Phù Lãng, tỉnh Bắc Ninh",
           "12/05/2024"]


def workbook(*sheets: tuple[str, list[list[str]]], title: str = "DANH SÁCH SẢN PHẨM OCOP TỈNH QUẢNG NINH") -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets:
        sheet = book.create_sheet(name)
        if title:
            sheet.append([title])
        sheet.append(HEADER)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def quang_ninh_list() -> bytes:
    """Two good rows, one unreadable rating, one row of Bắc Ninh."""
    return workbook(("Danh sách", [*GOOD, BAD_STARS, FOREIGN]))


def not_a_list() -> bytes:
    book = openpyxl.Workbook()
    book.active.append(["Báo cáo tháng 3"])
    book.active.append(["Thu", "Chi", "Tồn"])
    book.active.append(["100", "50", "50"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def scan_pdf() -> bytes:
    """A page holding only a picture: what a scanner gives (no text layer)."""
    picture = Image.new("RGB", (600, 400), "white")
    for x in range(50, 550):
        for y in (100, 200, 300):
            picture.putpixel((x, y), (0, 0, 0))
    pdf = FPDF()
    pdf.add_page()
    pdf.image(picture, x=10, y=10, w=180)
    return bytes(pdf.output())


def old_doc() -> bytes:
    return OLE2_MAGIC + b"\x00" * 600 + "WordDocument".encode("utf-16-le")


def password_xlsx() -> bytes:
    """An encrypted Office file: an OLE2 container whose directory names the EncryptedPackage."""
    return OLE2_MAGIC + b"\x00" * 600 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 600
