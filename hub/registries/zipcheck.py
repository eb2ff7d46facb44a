"""Zip containers (xlsx workbooks, docx documents) opened only after their central directory says
they are not zip bombs: nothing is inflated before the sizes and ratios are checked."""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from hub.registries.errors import RegistryError

MAX_UNCOMPRESSED_BYTES = 1024 * 1024 * 1024
"""Total size of the unpacked archive; a real registry or annex is a few MB."""
MAX_COMPRESSION_RATIO = 100
"""Office XML compresses 5–30×; far more than this on a large member is a zip bomb."""
RATIO_CHECK_MIN_BYTES = 8 * 1024 * 1024
MAX_MEMBERS = 10_000


@dataclass(frozen=True)
class ZipLimits:
    """The caps, passed at each call so that a reader's own module constants are the ones in force."""

    uncompressed: int = MAX_UNCOMPRESSED_BYTES
    ratio: int = MAX_COMPRESSION_RATIO
    ratio_min_bytes: int = RATIO_CHECK_MIN_BYTES
    members: int = MAX_MEMBERS


def open_checked_zip(data: bytes, where: str, kind: str, required: str,
                     limits: ZipLimits = ZipLimits()) -> zipfile.ZipFile:
    """Open the archive and refuse a zip bomb from its central directory, before anything inflates.

    ``kind`` names the format in messages ("xlsx", "docx"); ``required`` is the member every such
    file has ("xl/workbook.xml", "word/document.xml").
    """
    named = f"{'an' if kind[0] in 'aeiosx' else 'a'} {kind} file"
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise RegistryError(f"{where}: not {named} (not a zip archive: {exc})") from exc
    members = archive.infolist()
    if len(members) > limits.members:
        raise RegistryError(f"{where}: refused: the archive has {len(members)} members (limit {limits.members})")
    total = sum(m.file_size for m in members)
    if total > limits.uncompressed:
        raise RegistryError(
            f"{where}: refused as a possible zip bomb: {total} bytes uncompressed "
            f"(limit {limits.uncompressed})"
        )
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > limits.ratio_min_bytes and ratio > limits.ratio:
            raise RegistryError(
                f"{where}: refused as a possible zip bomb: {member.filename} expands {ratio:.0f}× "
                f"to {member.file_size} bytes (limit {limits.ratio}×)"
            )
    if required not in archive.namelist():
        raise RegistryError(f"{where}: not {named} (a zip archive without {required})")
    return archive
