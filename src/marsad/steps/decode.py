"""Bytes to text for Arabic input: BOMs, UTF-8, UTF-16, windows-1256 and ISO-8859-6, checked.

Arabic sites and old archives still serve windows-1256; a wrong guess gives mojibake that looks like
text, so every fallback decoding is accepted only if the result reads as Arabic or plain Latin text.
"""

from __future__ import annotations

import codecs
import re

from ..errors import InputError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# C0 controls other than tab/newline/CR, DEL and C1 controls: never in real text.
_ARABIC = re.compile(r"[\u0600-\u06ff]")
_MIXED = re.compile(r"[A-Za-z\u00c0-\u024f][\u0621-\u064a]|[\u0621-\u064a][A-Za-z\u00c0-\u024f]")


def _count(text: str, table: dict[int, None]) -> int:
    """How many characters of ``text`` are in ``table`` (counted in C, by deleting them)."""
    return len(text) - len(text.translate(table))


_CONTROLS = dict.fromkeys([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0)])
_ARABIC_LETTERS = dict.fromkeys([*range(0x0621, 0x064B), *range(0x0671, 0x06D4)])
_LATIN_LETTERS = dict.fromkeys([*range(0x41, 0x5B), *range(0x61, 0x7B), *range(0xC0, 0x250)])
# letters a wrong code page produces besides Arabic and Latin: modifier letters, Greek, Cyrillic
_OTHER_LETTERS = dict.fromkeys([*range(0x02B0, 0x0300), *range(0x0370, 0x0530)])


def _no_controls(text: str) -> bool:
    return _count(text, _CONTROLS) <= max(2, len(text) // 1000)


def _plausible(text: str) -> bool:
    """A legacy 8-bit decoding reads as text: no control characters, letters Arabic or Latin,
    and no word mixing the two scripts (the mark of a wrong code page: ministère → ministوre).
    Judged on a sample: a wrong code page shows in the first pages of text as well as in all."""
    if len(text) > 8_000:
        middle = len(text) // 2
        text = text[:2_000] + " " + text[middle : middle + 6_000]
    if not _no_controls(text):
        return False
    arabic = _count(text, _ARABIC_LETTERS)
    latin = _count(text, _LATIN_LETTERS)
    letters = arabic + latin + _count(text, _OTHER_LETTERS)
    if not letters:
        return True
    if (arabic + latin) / letters < 0.9:
        return False
    # UTF-8 Arabic read as windows-1256: each letter becomes ط or ظ plus another (ط§ظ„), so those
    # two, rare in real Arabic (about 1%), make up half the letters.
    if arabic and (text.count("ط") + text.count("ظ")) > 0.2 * arabic:
        return False
    mixed = len(_MIXED.findall(text))
    return mixed <= len(text.split()) // 100


def _try_decode(data: bytes, encoding: str) -> str | None:
    """``data`` decoded, or None when it cannot be: UTF-8 forgives a few bad bytes, and an Arabic
    code page must give text that reads (:func:`_plausible`)."""
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return _mostly_utf8(data) if codecs.lookup(encoding).name == "utf-8" else None
    except LookupError:
        return None
    if codecs.lookup(encoding).name in ("cp1256", "iso8859-6") and not _plausible(text):
        return None
    return text


def _mostly_utf8(data: bytes) -> str | None:
    """UTF-8 with a handful of bad bytes (a page cut mid-character, a stray byte) is still UTF-8;
    decoding it as windows-1256 instead would turn every Arabic letter into two (ط§ظ„)."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count(b"\xef\xbf\xbd")
    return text if bad <= max(2, len(data) // 5000) else None


def _looks_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM: every other byte of Arabic text is 0x06 (or 0x00 for ASCII)."""
    sample = data[:4000]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even, odd = sample[0::2], sample[1::2]
    high = lambda b: sum(1 for x in b if x in (0, 6)) / len(b)  # noqa: E731
    if high(odd) > 0.9 and high(even) < 0.5:
        return "utf-16-le"
    if high(even) > 0.9 and high(odd) < 0.5:
        return "utf-16-be"
    return None


def decode_bytes(data: bytes, name: str, *, declared: str | None = None) -> str:
    """Decode ``data`` (from ``name``) trusting, in order: the BOM, ``declared``, UTF-8, then guesses.

    Raises :class:`InputError` (reason ``empty``, ``binary`` or ``undecodable``) naming the file.
    """
    if not data.strip():
        raise InputError(f"{name}: empty input", reason="empty")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as exc:
                raise InputError(f"{name}: invalid {encoding} after its BOM: {exc.reason}", reason="undecodable") from exc
    candidates = [declared] if declared else []
    candidates.append("utf-8")
    utf16 = _looks_utf16(data)
    if utf16:
        candidates.insert(0, utf16)
    elif b"\x00" in data[:8192]:
        raise InputError(f"{name}: binary data, not text", reason="binary")
    candidates += ["cp1256", "iso-8859-6"]
    for encoding in candidates:
        text = _try_decode(data, encoding)
        if text is None:
            continue
        if not _no_controls(text):
            raise InputError(f"{name}: binary data, not text", reason="binary")
        return text
    raise InputError(f"{name}: cannot decode as UTF-8, UTF-16, windows-1256 or ISO-8859-6", reason="undecodable")


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.IGNORECASE)
# Labels that browsers (and so Arabic sites that lie about their bytes) treat as windows-1252.
_LATIN_LABELS = {"iso-8859-1", "latin1", "latin-1", "l1", "windows-1252", "cp1252", "us-ascii", "ascii", "iso8859-1"}
_LATIN1_SUPPLEMENT = dict.fromkeys(range(0xC0, 0x100))


def charset_from_content_type(value: str | None) -> str | None:
    """The charset parameter of an HTTP ``Content-Type`` header."""
    if not value:
        return None
    m = _HEADER_CHARSET.search(value)
    return m.group(1).strip().lower() if m else None


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    if label in _LATIN_LABELS:
        return "cp1252"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _arabic_in_disguise(text: str, data: bytes) -> str | None:
    """A page declared Latin whose letters are really windows-1256 Arabic (ÇáÃÎÈÇÑ)."""
    sample = text[:20000]
    letters = _count(sample, _LATIN_LETTERS)
    if not letters or _count(sample, _LATIN1_SUPPLEMENT) < 0.3 * letters:
        return None
    try:
        arabic = data.decode("cp1256")
    except UnicodeDecodeError:
        return None
    return arabic if _plausible(arabic) and _ARABIC.search(arabic) else None


def decode_html(data: bytes, name: str, *, http_charset: str | None = None) -> str:
    """Decode an HTML page trusting, in order: the HTTP header, the BOM, ``<meta charset>``, then
    detection. A declared charset is checked: bytes it cannot decode, or Arabic pages that declare
    a Latin charset (common on older Arabic sites), fall through to the next clue.
    """
    if not data.strip():
        raise InputError(f"{name}: empty page", reason="empty")
    head = data[:4096]
    if b"\x00" in head and not any(data.startswith(bom) for bom, _ in _BOMS) and not _looks_utf16(data):
        raise InputError(f"{name}: binary data, not HTML", reason="binary")
    meta = _META_CHARSET.search(head)
    for label in (http_charset, None, meta.group(1).decode("ascii", "replace") if meta else None):
        if label is None:  # the BOM's turn
            for bom, encoding in _BOMS:
                if data.startswith(bom):
                    try:
                        return data[len(bom) :].decode(encoding)
                    except UnicodeDecodeError:
                        break
            continue
        codec = _codec(label)
        if codec is None:
            continue
        if codec == "cp1252":
            latin = _try_decode(data, codec)
            if latin is not None:
                return _arabic_in_disguise(latin, data) or latin
            continue
        text = _try_decode(data, codec)
        if text is None:
            continue
        return text
    return decode_bytes(data, name)
