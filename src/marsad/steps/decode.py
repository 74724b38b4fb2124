"""Bytes to text: BOMs, declared charsets (checked), UTF-8, Arabic code pages, then detection.

Arabic sites and old archives still serve windows-1256; a wrong guess gives mojibake that looks like
text, so an Arabic code page is accepted only if the result reads as Arabic words. Pages in other
legacy code pages (windows-1252 and its Latin kin, Cyrillic, CJK ...) are read by detection
(charset-normalizer) once UTF-8 and Arabic have failed. Only binary data is refused.
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
_ARABIC = re.compile(r"[\u0600-\u06ff]")
_MIXED = re.compile(r"[A-Za-z\u00c0-\u024f][\u0621-\u064a]|[\u0621-\u064a][A-Za-z\u00c0-\u024f]")
# A Latin letter followed by an Arabic letter or vowel sign, or the reverse: a Latin word read in an
# Arabic code page (für → für but Straße → Straكe, información → informaciَn).
_MIXED_WORD = re.compile(r"[A-Za-z\u00c0-\u024f][\u0621-\u06d3]|[\u0621-\u06d3][A-Za-z\u00c0-\u024f]")
_ARABIC_WORD = re.compile(r"[\u0621-\u064a\u0671-\u06d3]{2,}")


def _count(text: str, table: dict[int, None]) -> int:
    """How many characters of ``text`` are in ``table`` (counted in C, by deleting them)."""
    return len(text) - len(text.translate(table))


# C0 controls other than tab/newline/CR, DEL and C1 controls: never in real text.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_ARABIC_LETTERS = dict.fromkeys([*range(0x0621, 0x064B), *range(0x0671, 0x06D4)])
_LATIN_LETTERS = dict.fromkeys([*range(0x41, 0x5B), *range(0x61, 0x7B), *range(0xC0, 0x250)])
_ACCENTED_LETTERS = dict.fromkeys(c for c in range(0xC0, 0x250) if c not in (0xD7, 0xF7))
# letters a wrong code page produces besides Arabic and Latin: modifier letters, Greek, Cyrillic
_OTHER_LETTERS = dict.fromkeys([*range(0x02B0, 0x0300), *range(0x0370, 0x0530)])


def _no_controls(text: str) -> bool:
    # a regex finds the (rare) controls of a whole page in C, far faster than str.translate
    return len(_CONTROLS.findall(text)) <= max(2, len(text) // 1000)


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


def _reads_arabic(text: str) -> bool:
    """An Arabic code page's decoding gives Arabic: plausible text whose non-ASCII letters are
    mostly Arabic, in words of their own. Latin text read as windows-1256 fails here (its few
    Arabic letters sit inside Latin words), so it goes on to detection."""
    if not _plausible(text):
        return False
    sample = text[:400_000]
    arabic = _count(sample, _ARABIC_LETTERS)
    if arabic < 3 or arabic <= _count(sample, _ACCENTED_LETTERS):
        return False
    return len(_MIXED_WORD.findall(sample)) <= 0.1 * len(_ARABIC_WORD.findall(sample))


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
    decoding it as windows-1256 instead would turn every Arabic letter into two (ط§ظ„). But the
    good sequences must outnumber the bad: a Latin-1 page with a few umlauts and no UTF-8 at all
    is not UTF-8 with a few bad bytes."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count(b"\xef\xbf\xbd")
    if bad > max(2, len(data) // 5000):
        return None
    good = len(text) - len(data.decode("ascii", errors="ignore")) - bad
    return text if good >= 2 * bad else None


def _looks_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM: every other byte of Arabic text is 0x06 (or 0x00 for ASCII)."""
    sample = data[:4000]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even, odd = sample[0::2], sample[1::2]
    high = lambda b: (b.count(0) + b.count(6)) / len(b)  # noqa: E731
    if high(odd) > 0.9 and high(even) < 0.5:
        return "utf-16-le"
    if high(even) > 0.9 and high(odd) < 0.5:
        return "utf-16-be"
    return None


def _from_bom(data: bytes, name: str) -> str | None:
    """``data`` decoded by its BOM; None without one. Raises ``undecodable`` when the bytes after
    the BOM are not what it announces."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as exc:
                raise InputError(f"{name}: invalid {encoding} after its BOM: {exc.reason}", reason="undecodable") from exc
    return None


# windows-1252 as browsers decode it (WHATWG): the five bytes it leaves undefined stay C1 controls.
_CP1252 = {b: bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in range(0x80, 0xA0)}


def _decode_cp1252(data: bytes) -> str:
    """windows-1252 that never fails (what a browser shows for ISO-8859-1 and undeclared Latin)."""
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1").translate(_CP1252)


# What windows-1252 turns bytes into: letters, and the symbols that a wrong code page puts inside
# words (dziesiątej → dziesi¹tej, für in DOS → f³r); soft hyphen, apostrophes, dashes and the
# middle dot (l·l) belong inside words and are left out.
_CP1252_ACCENTED = "\u00aa\u00b5\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192"
_CP1252_LETTER = "A-Za-z" + _CP1252_ACCENTED
_CP1252_SYMBOL = "\u0080-\u009f\u00a1-\u00a9\u00ab\u00ac\u00ae-\u00b3\u00b6\u00b8\u00b9\u00bb-\u00bf\u00d7\u00f7\u2020\u2021\u2030"
_SYMBOL_IN_WORD = re.compile(f"[{_CP1252_LETTER}][{_CP1252_SYMBOL}][{_CP1252_LETTER}]")
_ACCENTED_WORD = re.compile(f"[{_CP1252_LETTER}]*[{_CP1252_ACCENTED}][{_CP1252_LETTER}]*")
# ð and þ are Icelandic, but in most pages they are Turkish ğ ş or Croatian đ read as windows-1252.
_ICELANDIC = dict.fromkeys(map(ord, "ðþÐÞ"))


def _reads_latin(text: str) -> bool:
    """A windows-1252 decoding gives Western European text: accented letters a minority inside
    words (Cyrillic, Greek, Hebrew or CJK read as windows-1252 make words of nothing else:
    Ìèíèñòåðñòâî), no symbols inside words (Polish in windows-1252), few Icelandic letters."""
    if not _no_controls(text):
        return False
    sample = text[:400_000]
    words = _ACCENTED_WORD.findall(sample)
    if not words:
        return True
    long = [w for w in words if len(w) >= 4]
    heavy = sum(1 for w in long if 2 * (len(w) - len(w.encode("ascii", "ignore"))) > len(w))
    if heavy > 0.2 * len(long):
        return False
    tolerance = max(2, len(words) // 50)
    return len(_SYMBOL_IN_WORD.findall(sample)) <= tolerance and _count(sample, _ICELANDIC) <= tolerance


# What detection chooses among: the legacy code pages of the web (WHATWG Encoding), without the
# DOS and Mac pages that charset-normalizer otherwise picks for pages with few non-ASCII letters.
_WEB_CODE_PAGES = [
    "cp1252", "cp1250", "cp1251", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp1258", "cp874",
    "iso8859_2", "iso8859_5", "iso8859_6", "iso8859_7", "iso8859_8", "iso8859_13", "iso8859_15", "koi8_r", "koi8_u",
    "gb18030", "big5hkscs", "euc_jp", "iso2022_jp", "cp932", "cp949",
]


def _guess_code_page(data: bytes) -> str | None:
    """Bytes that are neither UTF-8 nor Arabic: windows-1252 (the web's Latin default) when it
    reads as Western European text, else charset-normalizer's best reading among the web's code
    pages (Central European, Cyrillic, Greek, Hebrew, Thai, CJK ...). None when nothing reads."""
    latin = _decode_cp1252(data)
    if _reads_latin(latin):
        return latin
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=_WEB_CODE_PAGES).best()
    if best is None:
        return None
    return latin if "cp1252" in best.could_be_from_charset else str(best)


def _binary(name: str) -> InputError:
    return InputError(f"{name}: binary data, not text", reason="binary")


def _detect(data: bytes, name: str) -> str:
    """Undeclared (or wrongly declared) bytes: UTF-16 by its shape, UTF-8, the Arabic code pages
    when they read as Arabic, then detection among every other code page."""
    utf16 = _looks_utf16(data)
    if utf16:
        try:
            text = data.decode(utf16)
        except UnicodeDecodeError:
            text = None
        if text is not None and _no_controls(text):
            return text
    if b"\x00" in data[:8192]:
        raise _binary(name)
    text = _try_decode(data, "utf-8")
    if text is None:
        for encoding in ("cp1256", "iso-8859-6"):
            try:
                arabic = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            if _reads_arabic(arabic):
                return arabic
        text = _guess_code_page(data)
        if text is None:
            text = _decode_cp1252(data)
    if not _no_controls(text):
        raise _binary(name)
    return text


def decode_bytes(data: bytes, name: str, *, declared: str | None = None) -> str:
    """Decode ``data`` (from ``name``) trusting, in order: the BOM, ``declared``, UTF-8, then guesses
    (windows-1256 and ISO-8859-6 when they read as Arabic, then any other code page).

    Raises :class:`InputError` (reason ``empty``, ``binary`` or ``undecodable``) naming the file.
    """
    if not data.strip():
        raise InputError(f"{name}: empty input", reason="empty")
    text = _from_bom(data, name)
    if text is None and declared:
        text = _decode_declared(data, declared)
    if text is not None:
        if not _no_controls(text):
            raise _binary(name)
        return text
    return _detect(data, name)


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.IGNORECASE)
# Labels that browsers (and so Arabic sites that lie about their bytes) treat as windows-1252.
_LATIN_LABELS = {"iso-8859-1", "latin1", "latin-1", "l1", "windows-1252", "cp1252", "us-ascii", "ascii", "iso8859-1",
                 "iso_8859-1", "x-cp1252", "cp819", "ibm819", "iso-ir-100"}
# Other labels that browsers read as a superset of the codec Python would give them (WHATWG Encoding).
_SUPERSETS = {
    "gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "csgb2312": "gb18030", "gb_2312-80": "gb18030",
    "euc-kr": "cp949", "ks_c_5601-1987": "cp949", "windows-949": "cp949",
    "shift_jis": "cp932", "shift-jis": "cp932", "sjis": "cp932", "x-sjis": "cp932", "ms_kanji": "cp932",
    "big5": "big5hkscs", "x-x-big5": "big5hkscs",
    "iso-8859-9": "cp1254", "latin5": "cp1254", "iso8859-9": "cp1254",
    "tis-620": "cp874", "iso-8859-11": "cp874",
    "iso-8859-6-i": "iso8859-6", "iso-8859-6-e": "iso8859-6", "iso-8859-8-i": "iso8859-8",
    "x-mac-roman": "mac-roman",
}
# Python codecs that are not character sets a page can be written in.
_NOT_CHARSETS = {"unicode_escape", "raw_unicode_escape", "idna", "punycode", "undefined", "palmos"}


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
        info = codecs.lookup(_SUPERSETS.get(label, label))
    except LookupError:
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_CHARSETS:
        return None
    return info.name


# 8-bit code pages: valid UTF-8 under one of these labels is UTF-8 (see _is_utf8_not_ascii).
_SINGLE_BYTE = {
    codecs.lookup(c).name
    for c in ("cp1250", "cp1251", "cp1252", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp1258", "cp874",
              "iso8859-2", "iso8859-3", "iso8859-4", "iso8859-5", "iso8859-6", "iso8859-7", "iso8859-8", "iso8859-9",
              "iso8859-10", "iso8859-13", "iso8859-14", "iso8859-15", "iso8859-16", "koi8-r", "koi8-u", "mac-roman",
              "cp437", "cp850", "cp866")
}


def _meta_charset(data: bytes) -> str | None:
    """The ``<meta charset>`` (or ``http-equiv`` Content-Type) label in the page's head. Browsers
    look in the first 1,024 bytes, but real pages put scripts and styles first and the meta after
    them (58 KB in, on one shop page), so the first 64 KB are searched (after the first 4 KB, where
    it usually is). A label found there is still checked (:func:`_decode_declared`)."""
    m = _META_CHARSET.search(data, 0, 4096)
    if (m is None or m.end() == 4096) and len(data) > 4096:
        m = _META_CHARSET.search(data, 0, 65536)
    return m.group(1).decode("ascii", "replace") if m else None


def _is_utf8_not_ascii(data: bytes) -> bool:
    """Valid UTF-8 with some non-ASCII: text in an 8-bit code page almost never forms valid UTF-8
    sequences (é after Ã, say), so such a page is UTF-8 whatever it declares."""
    if data.isascii():
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _arabic_in_disguise(data: bytes) -> str | None:
    """A page declared Latin whose letters are really windows-1256 Arabic (ÇáÃÎÈÇÑ)."""
    try:
        arabic = data.decode("cp1256")
    except UnicodeDecodeError:
        return None
    return arabic if _reads_arabic(arabic) else None


def _decode_declared(data: bytes, label: str, *, in_page: bool = False) -> str | None:
    """``data`` in the charset ``label`` declares, or None when the label is unknown or wrong: bytes
    it cannot decode, UTF-8 under an 8-bit label, Arabic under a Latin one. ``in_page``: the label
    comes from the page itself, where UTF-16 can only mean UTF-8 (the page was read as ASCII)."""
    codec = _codec(label)
    if codec is None:
        return None
    if in_page and codec.startswith(("utf-16", "utf-32")):
        codec = "utf-8"
    if codec.startswith("utf-"):
        return _try_decode(data, codec)
    if codec in _SINGLE_BYTE and _is_utf8_not_ascii(data):
        return None  # detection reads it as UTF-8
    if codec == "cp1252":
        return _arabic_in_disguise(data) or _decode_cp1252(data)
    return _try_decode(data, codec)


def decode_html(data: bytes, name: str, *, http_charset: str | None = None) -> str:
    """Decode an HTML page trusting, in order: the HTTP header, the BOM, ``<meta charset>``, then
    detection. A declared charset is checked: bytes it cannot decode, UTF-8 under an 8-bit label,
    or Arabic pages that declare a Latin charset (common on older Arabic sites) fall through to
    the next clue.
    """
    if not data.strip():
        raise InputError(f"{name}: empty page", reason="empty")
    head = data[:4096]
    bom = any(data.startswith(bom) for bom, _ in _BOMS)
    if b"\x00" in head and not bom and not _looks_utf16(data):
        raise InputError(f"{name}: binary data, not HTML", reason="binary")
    if http_charset:
        text = _decode_declared(data, http_charset)
        if text is not None:
            return text
    if bom:
        try:
            text = _from_bom(data, name)
        except InputError:
            text = None
        if text is not None:
            return text
    meta = _meta_charset(data)
    if meta:
        text = _decode_declared(data, meta, in_page=True)
        if text is not None:
            return text
    return _detect(data, name)
