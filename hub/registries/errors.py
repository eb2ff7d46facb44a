"""The one error every reader raises, and what the upload page's messages recognise in a refusal,
in a module of its own so that neither needs the readers (or openpyxl, pdfplumber, python-docx)."""
from __future__ import annotations


class RegistryError(Exception):
    """A whole registry cannot be read (unreachable, undecodable, no header row, not an xlsx…).

    Raised per source, so the harvest fails only that source; the message names the file or URL.
    """


OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""The first bytes of an old binary Office file (.doc, .xls) or an encrypted one: refused by the readers."""
NO_TEXT = ("no text layer: this looks like a scan; OCR is not supported; "
           "ask the province for the Word or Excel file")
"""Why a PDF without a text layer is refused."""
