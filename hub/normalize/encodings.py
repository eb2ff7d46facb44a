"""Legacy Vietnamese encodings: decode files, encode test data, repair mojibake cells.

Old provincial spreadsheets and CSV exports arrive as UTF-8 (sometimes NFD-decomposed or with a
BOM), Windows-1258 (base letter + a *combining* tone byte), TCVN3 / ABC (single byte, ``.VnTime``
fonts) or VNI Windows (base letter + separate mark byte, ``VNI-Times`` fonts). Everything leaves
this module as NFC.

The TCVN3 and VNI tables are viparse's (``viparse.normalize.tcvn3`` / ``.vni``), used as they are
and patched only where they are incomplete or wrong (checked against glibc iconv ``TCVN5712-1``
and the VNI Windows layout):

* TCVN3: viparse carries the 70 ABC (VN3) codes and agrees with iconv on every one of them. VN3
  has no code for an upper-case *toned* vowel (a ``.VnTimeH`` font draws the lower-case codes as
  capitals), so a faithful encoder cannot round-trip "Ấ" with viparse's table alone. We add the
  65 TCVN 5712:1993 (VN1) codes for those capitals and for the five combining tone bytes
  0xB0–0xB4, generated from glibc iconv (``_TCVN3_VN1_EXTRA``).
* VNI: viparse has no "ẳ" / "Ẳ" (``aú`` / ``AÚ``) and reads "ỵ" / "Ỵ" as ``yï`` / ``YÏ``
  ("derived" in its table) where VNI writes the single bytes 0xEE / 0xCE (``î`` / ``Î``), so a real
  VNI "Mỵ" came out as "Mî". It also writes "Ì" / "Í" as ``IØ`` / ``IÙ`` where VNI has the single
  bytes 0xCC / 0xCD. We add the missing sequences and encode with the single bytes; viparse's
  derived sequences are still read.

Auto-detection does not use ``viparse.detect_text_encoding``: it knows nothing of Windows-1258,
declines on short strings (a cell, a file name) and looks at letter frequencies, while we can
ask a sharper question of every candidate decoding: do its non-ASCII words spell valid
Vietnamese syllables?
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from viparse.normalize.tables import build_charmap, convert
from viparse.normalize.tcvn3 import TCVN3
from viparse.normalize.vni import VNI

from hub.normalize.problem import Problem

__all__ = ["ENCODINGS", "LEGACY_ENCODINGS", "decode_bytes", "encode_legacy", "repair_text"]

#: Encodings decode_bytes accepts by name (plus "auto").
ENCODINGS = ("utf-8", "utf-8-sig", "cp1258", "tcvn3", "vni")
#: Encodings encode_legacy writes.
LEGACY_ENCODINGS = ("tcvn3", "vni", "cp1258")

_FIELD = "encoding"

# TCVN 5712:1993 (VN1) codes missing from viparse's VN3 table, generated with
# `iconv -f TCVN5712-1 -t UTF-8` over every byte (glibc 2.x); tests re-check against iconv.
_TCVN3_VN1_EXTRA: dict[int, str] = {
    0x01: "Ú", 0x02: "Ụ", 0x04: "Ừ", 0x05: "Ử", 0x06: "Ữ", 0x11: "Ứ", 0x12: "Ự", 0x13: "Ỳ",
    0x14: "Ỷ", 0x15: "Ỹ", 0x16: "Ý", 0x17: "Ỵ", 0x80: "À", 0x81: "Ả", 0x82: "Ã", 0x83: "Á",
    0x84: "Ạ", 0x85: "Ặ", 0x86: "Ậ", 0x87: "È", 0x88: "Ẻ", 0x89: "Ẽ", 0x8A: "É", 0x8B: "Ẹ",
    0x8C: "Ệ", 0x8D: "Ì", 0x8E: "Ỉ", 0x8F: "Ĩ", 0x90: "Í", 0x91: "Ị", 0x92: "Ò", 0x93: "Ỏ",
    0x94: "Õ", 0x95: "Ó", 0x96: "Ọ", 0x97: "Ộ", 0x98: "Ờ", 0x99: "Ở", 0x9A: "Ỡ", 0x9B: "Ớ",
    0x9C: "Ợ", 0x9D: "Ù", 0x9E: "Ủ", 0x9F: "Ũ", 0xAF: "Ằ", 0xB0: "\u0300", 0xB1: "\u0309",
    0xB2: "\u0303", 0xB3: "\u0301", 0xB4: "\u0323", 0xBA: "Ẳ", 0xBF: "Ẵ", 0xC0: "Ắ", 0xC1: "Ầ",
    0xC2: "Ẩ", 0xC3: "Ẫ", 0xC4: "Ấ", 0xC5: "Ề", 0xCD: "Ể", 0xD9: "Ễ", 0xDA: "Ế", 0xDB: "Ồ",
    0xE0: "Ổ", 0xF0: "Ỗ", 0xFF: "Ố",
}

# VNI letters viparse lacks: breve + hook above (mark byte 0xFA / 0xDA) and y + dot below, which
# VNI writes as the single byte 0xEE / 0xCE ("î" / "Î"), not as the "yï" / "YÏ" viparse derived.
_VNI_EXTRA = (("aú", "ẳ"), ("AÚ", "Ẳ"), ("î", "ỵ"), ("Î", "Ỵ"))
# How VNI writes these letters; viparse's table has ("IØ", "Ì"), ("IÙ", "Í"), ("iø", "ì"),
# ("iù", "í"), ("yï", "ỵ"), ("YÏ", "Ỵ") instead (still read, never written). Ì Í ì í are the
# single bytes 0xCC 0xCD 0xEC 0xED and decode by passing through unchanged.
_VNI_ENCODE_OVERRIDES = {"Ì": "Ì", "Í": "Í", "ì": "ì", "í": "í", "ỵ": "î", "Ỵ": "Î"}

_VNI_FULL = build_charmap("vni", list(VNI.pairs) + list(_VNI_EXTRA))

_TONES = "\u0300\u0301\u0303\u0309\u0323"


# --- decoding tables ---------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _tcvn3_decode_table() -> dict[int, str]:
    table = {ord(src): dst for src, dst in TCVN3.pairs}
    table.update(_TCVN3_VN1_EXTRA)
    return table


@lru_cache(maxsize=1)
def _tcvn3_encode_table() -> dict[str, int]:
    return {dst: code for code, dst in _tcvn3_decode_table().items() if dst not in _TONES}


@lru_cache(maxsize=1)
def _vni_encode_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for src, dst in _VNI_FULL.pairs:
        table.setdefault(dst, src)
    table.update(_VNI_ENCODE_OVERRIDES)
    return table


def _decode_tcvn3(data: bytes) -> str:
    # latin-1 maps every byte to the code point of the same value, which is the surface form
    # viparse's table is keyed on.
    return unicodedata.normalize("NFC", data.decode("latin-1").translate(_tcvn3_decode_table()))


def _decode_vni(data: bytes) -> str:
    return convert(data.decode("latin-1"), _VNI_FULL, "NFC")


def _decode_cp1258(data: bytes, errors: str = "strict") -> str:
    return unicodedata.normalize("NFC", data.decode("cp1258", errors=errors))


# --- encoding ----------------------------------------------------------------------------------

def _encode_cp1258_char(ch: str) -> bytes:
    try:
        return ch.encode("cp1258")
    except UnicodeEncodeError:
        pass
    # Windows-1258 has the vowel-marked letters (â ă ê ô ơ ư) but only a few toned ones: write
    # the rest as the marked base letter followed by a combining tone byte, as Windows does.
    decomposed = unicodedata.normalize("NFD", ch)
    tones = "".join(c for c in decomposed if c in _TONES)
    base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
    try:
        return base.encode("cp1258") + tones.encode("cp1258")
    except UnicodeEncodeError:
        return b"?"


def encode_legacy(text: str, encoding: str) -> bytes:
    """Write NFC/NFD Vietnamese text as "tcvn3", "vni" or "cp1258" bytes, the exact inverse of
    ``decode_bytes(…, encoding)``; used to produce legacy test files and sample registries.

    Characters the encoding cannot represent become "?". An unsupported encoding name is a
    programming error and raises ``ValueError``.
    """
    text = unicodedata.normalize("NFC", text)
    if encoding == "tcvn3":
        table = _tcvn3_encode_table()
        out = bytearray()
        for ch in text:
            if ch in table:
                out.append(table[ch])
            elif ord(ch) < 0x80 and ord(ch) not in _tcvn3_decode_table():
                out.append(ord(ch))
            else:
                out.append(ord("?"))
        return bytes(out)
    if encoding == "vni":
        vni = _vni_encode_table()
        parts = []
        for ch in text:
            if ch in vni:
                parts.append(vni[ch].encode("latin-1"))
            elif ord(ch) < 0x80:
                parts.append(ch.encode("ascii"))
            else:
                parts.append(b"?")
        return b"".join(parts)
    if encoding == "cp1258":
        return b"".join(_encode_cp1258_char(ch) for ch in text)
    raise ValueError(f"encode_legacy: unsupported encoding {encoding!r}; use one of {LEGACY_ENCODINGS}")


# --- plausibility: does a decoding spell Vietnamese? ---------------------------------------------

_ONSET = r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnpqrstvx])?"
# Vowel nuclei by what may follow them: a coda is required, forbidden, or optional.
_NEEDS_CODA = r"(?:uyê|iê|yê|uô|ươ|oă|uâ|oo|ă|â)"
_NO_CODA = r"(?:iêu|yêu|oai|oay|oeo|oao|uây|uôi|ươi|ươu|uya|uyu|ai|ao|au|ay|âu|ây|eo|êu|ia|iu|oi|ôi|ơi|ua|ui|uơ|ưa|ưi|ưu|y)"
_ANY_CODA = r"(?:oa|oe|uê|uy|a|e|ê|i|o|ô|ơ|u|ư)"
_CODA = r"(?:ch|ng|nh|[cmnptk])"  # k: Tây Nguyên names (Đắk Lắk)
_SYLLABLE = re.compile(f"{_ONSET}(?:{_NEEDS_CODA}{_CODA}|{_NO_CODA}|{_ANY_CODA}{_CODA}?)")
_STOP_CODA = re.compile(r"(?:c|ch|p|t|k)$")
_STOP_TONES = frozenset("\u0301\u0323")  # a syllable closed by c/ch/p/t takes sắc or nặng only


@lru_cache(maxsize=65536)
def _is_syllable(word: str) -> bool:
    """A lower-case NFC word is one Vietnamese syllable: onset, vowel nucleus, coda, ≤ 1 tone."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = [c for c in decomposed if c in _TONES]
    if len(tones) > 1:
        return False
    bare = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
    if _STOP_CODA.search(bare) and not (tones and tones[0] in _STOP_TONES):
        return False
    return _SYLLABLE.fullmatch(bare) is not None


_NON_ASCII_WORD = re.compile(r"[^\W\d_]*[^\x00-\x7f][^\W\d_]*")
_NON_ASCII_CHAR = re.compile(r"[^\x00-\x7f]")
_EDGE_NON_LETTERS = re.compile(r"^[\W\d_]+|[\W\d_]+$")
_CONTROL_CHAR = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


@lru_cache(maxsize=4096)
def _is_junk(ch: str) -> bool:
    return ch == "\ufffd" or unicodedata.category(ch)[0] in "SMC"


def _is_letter(ch: str) -> bool:
    r"""``[^\W\d_]`` of ``re``: alphanumeric (str.isalnum) but no decimal digit and no underscore."""
    return ch.isalnum() and not ch.isdecimal()


def _non_ascii_words(text: str) -> list[str]:
    """``_NON_ASCII_WORD.findall(text)`` in linear time.

    The regex backtracks over every start inside a long run of ASCII letters (a 100,000-character
    cell took minutes); this scan finds the same matches: from the first non-ASCII character
    after the previous match, back to the start of its letter run, forward greedily over the
    letters, back to the last non-ASCII character of that run (or the one ending it), then
    forward over the letters that follow.
    """
    words: list[str] = []
    n = len(text)
    m = 0
    while m < n:
        found = _NON_ASCII_CHAR.search(text, m)
        if found is None:
            break
        start = found.start()
        while start > m and _is_letter(text[start - 1]):
            start -= 1
        run_end = start
        while run_end < n and _is_letter(text[run_end]):
            run_end += 1
        pivot = min(run_end, n - 1)
        while text[pivot].isascii():
            pivot -= 1
        end = pivot + 1
        while end < n and _is_letter(text[end]):
            end += 1
        words.append(text[start:end])
        m = end
    return words


def _plausibility(text: str) -> tuple[int, int]:
    """(valid, invalid) counts over the words that contain non-ASCII characters.

    ASCII words read the same in every candidate decoding, so only the others carry evidence.
    Leftover symbols (µ, ¸, §, combining marks, U+FFFD, control codes) count as invalid.
    """
    valid = invalid = 0
    for match in _non_ascii_words(text):  # _NON_ASCII_WORD.findall, in linear time
        word = _EDGE_NON_LETTERS.sub("", match)  # "“Hải" → "Hải"; "t¸c" stays "t¸c"
        if word.isascii():
            continue
        if word.isalpha() and (_is_syllable(word) or _is_abbreviation(word)):
            valid += 1
        else:
            invalid += 1
    invalid += sum(1 for ch in _NON_ASCII_CHAR.findall(text) if _is_junk(ch))
    invalid += len(_CONTROL_CHAR.findall(text))
    return valid, invalid


_ABBREVIATION = re.compile(r"[A-ZĐ]{2,6}")


def _is_abbreviation(word: str) -> bool:
    """An upper-case abbreviation with "Đ" (QĐ, HĐND, BCĐ, SĐT): not a syllable, yet Vietnamese,
    and never what a legacy byte read as cp1252 looks like (TCVN3's Đ reads as "§")."""
    return "Đ" in word and _ABBREVIATION.fullmatch(word) is not None


def _plainly_vietnamese(text: str) -> bool:
    """True when ``_plausibility(text)`` would find nothing invalid, decided cheaply for the
    common case: every space-separated word with a non-ASCII character is, edge punctuation
    aside, letters forming one syllable, and no character is junk or a control code. False
    means "not sure" (the full scan decides), never "mojibake"."""
    if _CONTROL_CHAR.search(text) or any(_is_junk(ch) for ch in _NON_ASCII_CHAR.findall(text)):
        return False
    for word in text.split(" "):
        if word.isascii():
            continue
        core = _EDGE_NON_LETTERS.sub("", word)
        if not (core.isalpha() and _is_syllable(core)):
            return False
    return True


def _score(text: str) -> int:
    valid, invalid = _plausibility(text)
    return valid - 2 * invalid


# --- decode_bytes --------------------------------------------------------------------------------

_SAMPLE_BYTES = 128 * 1024
_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


def decode_bytes(data: bytes, encoding: str = "auto") -> tuple[str, str] | Problem:
    """Decode a file's bytes to NFC text; returns ``(text, encoding used)`` or a Problem.

    ``encoding="auto"`` honours a BOM, then takes valid UTF-8 (NFC or NFD) as UTF-8, and
    otherwise picks whichever of TCVN3, VNI and Windows-1258 yields valid Vietnamese syllables.
    """
    if encoding == "auto":
        return _decode_auto(data)
    try:
        if encoding in ("utf-8", "utf-8-sig"):
            used = "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else encoding
            text = data.decode("utf-8-sig")
            return unicodedata.normalize("NFC", text), used
        if encoding == "cp1258":
            return _decode_cp1258(data), "cp1258"
    except UnicodeDecodeError as exc:
        return Problem(
            "UNDECODABLE_BYTES", _FIELD, f"bytes are not valid {encoding}: {exc.reason} at {exc.start}",
            data[max(0, exc.start - 10):exc.start + 10].decode("latin-1"),
        )
    if encoding == "tcvn3":
        return _decode_tcvn3(data), "tcvn3"
    if encoding == "vni":
        return _decode_vni(data), "vni"
    return Problem("UNKNOWN_ENCODING", _FIELD, f"unsupported encoding {encoding!r}", encoding)


def _decode_auto(data: bytes) -> tuple[str, str] | Problem:
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return unicodedata.normalize("NFC", data.decode(name)), name
            except UnicodeDecodeError:
                break
    try:
        return unicodedata.normalize("NFC", data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    # Judge a large file by its head and tail (a few thousand words is plenty), decode it once.
    sample = data if len(data) <= 2 * _SAMPLE_BYTES else data[:_SAMPLE_BYTES] + b"\n" + data[-_SAMPLE_BYTES:]
    decoders = {
        "tcvn3": _decode_tcvn3,
        "vni": _decode_vni,
        "cp1258": lambda raw: _decode_cp1258(raw, errors="replace"),
    }
    candidates = {name: decode(sample) for name, decode in decoders.items()}
    # max() keeps the first of equal scores: TCVN3, then VNI, by how common they are.
    best = max(candidates, key=lambda name: _score(candidates[name]))
    valid, invalid = _plausibility(candidates[best])
    if invalid > valid:
        return Problem(
            "UNDETECTED_ENCODING", _FIELD,
            "bytes are not UTF-8 and read as Vietnamese in none of TCVN3, VNI, Windows-1258",
            candidates[best][:60],
        )
    return (candidates[best] if sample is data else decoders[best](data)), best


# --- repair_text ---------------------------------------------------------------------------------

def _surface_bytes(s: str) -> bytes | None:
    """The bytes a legacy string was read from, assuming cp1252 (or latin-1) decoding."""
    out = bytearray()
    for ch in s:
        try:
            out += ch.encode("cp1252")
        except UnicodeEncodeError:
            if ord(ch) < 0x100:
                out.append(ord(ch))
            else:
                return None
    return bytes(out)


def repair_text(s: str) -> str:
    """Undo legacy mojibake in one string; leave good text alone (returned NFC).

    An .xlsx cell typed in a .VnTime (TCVN3) or VNI-Times font holds the legacy bytes read as
    cp1252: "Hîp t¸c x· N«ng nghiÖp H¶i YÕn". Text is rewritten only when it currently has
    non-Vietnamese words and a re-decoding (TCVN3, VNI, or UTF-8 read as cp1252) has none, so
    real Vietnamese, ASCII and other languages pass through.
    """
    text = unicodedata.normalize("NFC", s)
    if text.isascii() or _plainly_vietnamese(text):
        return text
    valid, invalid = _plausibility(text)
    if invalid == 0:
        return text
    raw = _surface_bytes(text)
    if raw is None:
        return text
    candidates = [_decode_tcvn3(raw), _decode_vni(raw)]
    try:
        candidates.insert(0, unicodedata.normalize("NFC", raw.decode("utf-8")))
    except UnicodeDecodeError:
        pass
    best_text, best_score = text, _score(text)
    for candidate in candidates:
        c_valid, c_invalid = _plausibility(candidate)
        if c_invalid == 0 and c_valid > 0 and _score(candidate) > best_score:
            best_text, best_score = candidate, _score(candidate)
    return best_text
