"""Text helpers for the HTML gold generator: cleaning ANT text, folding it into legacy charsets,
writing dates the way Arabic news sites show them, and reading a page's visible text back.

No markup lives here; the site templates are in ``gold_sites/``.
"""

from __future__ import annotations

import html
import re
import unicodedata
from datetime import datetime

import lxml.html
from hijridate import Gregorian

# Invisible controls that crawlers leave in ANT text; a snippet must not depend on them.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_PRESENTATION_FORMS = re.compile("[\ufb50-\ufdff\ufe70-\ufefe]")


def clean_text(text: str) -> str:
    """One line of ANT text with invisible controls dropped and whitespace collapsed."""
    return " ".join(_INVISIBLE.sub("", text).replace("\u2029", " ").split())


def has_presentation_forms(text: str) -> bool:
    """Text pasted from a PDF (glyph forms instead of letters): it would not survive a legacy charset."""
    return bool(_PRESENTATION_FORMS.search(text))


def normalize_ws(text: str) -> str:
    return " ".join(text.split())


# ---------------------------------------------------------------- legacy charsets

# Letters and signs windows-1256 and ISO-8859-6 lack, and what a legacy CMS would have stored instead.
_FOLD_ARABIC = {
    **{chr(0x0660 + d): str(d) for d in range(10)},
    **{chr(0x06F0 + d): str(d) for d in range(10)},
    "٪": "%", "٬": ",", "٫": ".", "ی": "ي", "ک": "ك", "ھ": "ه", "ڤ": "ف", "پ": "ب", "گ": "ك",
    "چ": "ج", "ژ": "ز", "ٳ": "إ", "ٲ": "أ", "ٱ": "ا",
}
# ISO-8859-6 is ASCII plus bare Arabic letters: no typographic punctuation at all.
_FOLD_ISO_8859_6 = {
    "–": "-", "—": "-", "«": '"', "»": '"', "“": '"', "”": '"', "„": '"', "‘": "'", "’": "'",
    "…": "...", "•": "-", "·": "-", "×": "x", "±": "+/-", "®": "", "©": "(c)", "°": " ", "\u00a0": " ",
    "é": "e", "è": "e", "ê": "e", "à": "a", "ç": "c", "ô": "o", "ü": "u", "ö": "o", "ï": "i", "î": "i",
    "£": "GBP", "€": "EUR", "¼": "1/4", "½": "1/2",
}

CODEC_LABEL = {"utf-8": "utf-8", "cp1256": "windows-1256", "iso-8859-6": "iso-8859-6"}


def fold_text(text: str, codec: str) -> str:
    """``text`` with every character ``codec`` cannot write replaced as a legacy CMS would have it.

    Raises ``ValueError`` for a character with no replacement: the page would be invalid.
    """
    if codec == "utf-8":
        return text
    out = []
    for ch in text:
        try:
            ch.encode(codec)
            out.append(ch)
            continue
        except UnicodeEncodeError:
            pass
        rep = _FOLD_ARABIC.get(ch)
        if rep is None and codec == "iso-8859-6":
            rep = _FOLD_ISO_8859_6.get(ch)
        if rep is None:
            base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
            try:
                base.encode(codec)
                rep = base
            except UnicodeEncodeError:
                rep = None
        if rep is None:
            raise ValueError(f"no {codec} replacement for {ch!r} (U+{ord(ch):04X})")
        out.append(rep)
    return "".join(out)


# ---------------------------------------------------------------- Arabic dates

WEEKDAYS = ["الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"]  # Monday first
MONTHS = {
    # Egypt and the Gulf: transliterated names.
    "eg": ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر",
           "نوفمبر", "ديسمبر"],
    # Levant and Iraq: Syriac names.
    "levant": ["كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب", "أيلول",
               "تشرين الأول", "تشرين الثاني", "كانون الأول"],
    # Tunisia and Algeria: names taken from French.
    "tn": ["جانفي", "فيفري", "مارس", "أفريل", "ماي", "جوان", "جويلية", "أوت", "سبتمبر", "أكتوبر", "نوفمبر",
           "ديسمبر"],
    # Morocco.
    "ma": ["يناير", "فبراير", "مارس", "أبريل", "ماي", "يونيو", "يوليوز", "غشت", "شتنبر", "أكتوبر", "نونبر",
           "دجنبر"],
}
_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def format_clock(moment: datetime, clock: str) -> str:
    """The time of day as sites print it: ``10:30 ص`` / ``02:15 م`` (12h) or ``14:15`` (24h)."""
    if clock == "12h":
        hour = moment.hour % 12 or 12
        return f"{hour:02d}:{moment.minute:02d} {'ص' if moment.hour < 12 else 'م'}"
    return f"{moment.hour:02d}:{moment.minute:02d}"


def format_date(moment: datetime, style: str, *, weekday: bool = False, clock: str | None = None,
                indic: bool = False) -> str:
    """The day of ``moment`` (in its own UTC offset) written in one of the conventions Arabic sites use.

    Styles: ``eg`` (14 مارس 2018), ``levant`` (14 آذار 2018), ``dual`` (14 آذار/مارس 2018),
    ``tn`` (14 مارس 2018 with جانفي, فيفري ...), ``ma`` (Moroccan ماي, يوليوز, غشت ...),
    ``numeric`` (14/03/2018, day first), ``numeric_hijri`` (26/6/1439هـ - 14/03/2018),
    ``hijri`` (26 جمادى الآخرة 1439 هـ الموافق 14 مارس 2018 م).
    """
    d, m, y = moment.day, moment.month, moment.year
    if style == "dual":
        text = f"{d} {MONTHS['levant'][m - 1]}/{MONTHS['eg'][m - 1]} {y}"
    elif style == "numeric":
        text = f"{d:02d}/{m:02d}/{y}"
    elif style == "numeric_hijri":
        text = f"{format_hijri_numeric(moment)} - {d:02d}/{m:02d}/{y}"
    elif style == "hijri":
        h = Gregorian(y, m, d).to_hijri()
        text = f"{h.day} {h.month_name('ar')} {h.year} هـ الموافق {d} {MONTHS['eg'][m - 1]} {y} م"
    else:
        text = f"{d} {MONTHS[style][m - 1]} {y}"
    if weekday:
        text = f"{WEEKDAYS[moment.weekday()]} {text}"
    if clock:
        text = f"{text} - {format_clock(moment, clock)}"
    return text.translate(_INDIC) if indic else text


def format_hijri_numeric(moment: datetime) -> str:
    """``26/6/1439هـ``: the short Hijri form Gulf sites print beside a numeric Gregorian date."""
    h = Gregorian(moment.year, moment.month, moment.day).to_hijri()
    return f"{h.day}/{h.month}/{h.year}هـ"


# ---------------------------------------------------------------- markup and page text

def esc(text: str) -> str:
    return html.escape(text, quote=False)


def attr(text: str) -> str:
    return html.escape(text, quote=True)


def page_text(raw: bytes, codec: str) -> str:
    """The visible text of a page's ``<body>``, entities decoded and whitespace collapsed."""
    doc = lxml.html.document_fromstring(raw.decode(codec))
    for node in doc.xpath("//script|//style|//template|//noscript"):
        node.drop_tree()
    body = doc.find("body")
    return normalize_ws((body if body is not None else doc).text_content())
