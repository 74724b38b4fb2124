"""Arabic normalisation for matching and search, never for display.

:func:`normalize` folds the spelling variation of real Arabic news text so that two spellings
of one word compare equal: presentation-form glyphs, hamza and alef variants, Persian/Urdu
letter shapes, diacritics, tatweel, Arabic-Indic digits, Arabic punctuation, invisible
direction marks and whitespace runs. Its output is for index keys, dedup fingerprints and
query matching; it loses information (offsets, vowels, hamza), so never show it to a reader.

How it is built, and why that makes it fast and idempotent:

* Every rule is a single-code-point rule, so all of them are folded at import into one
  ``str.translate`` table indexed by code point. Each table entry is the *final* result of
  the whole chain for that code point (``ﻷ`` -> NFKC ``لأ`` -> alef folding ``لا``), and every
  character an entry produces maps to itself, so a second pass changes nothing.
* Whitespace is collapsed last (``" ".join(s.split())``, same Unicode whitespace as ``\\s``),
  after deletions, so removing a mark between two spaces cannot leave a double space behind.
* NFKC is applied only to the Arabic presentation blocks (U+FB50-FDFF, U+FE70-FEFF), and
  precomputed per code point. Full NFKC over the text was rejected: it also rewrites Latin,
  maths and CJK (``²`` -> ``2``, ``ﬁ`` -> ``fi``, fullwidth ``Ａ`` -> ``A``), which is not
  this module's decision to make, it costs an extra pass, and it composes across characters:
  after we delete a ZWNJ in ``e\\u200c\\u0301`` a second NFKC pass would compose ``é``, so
  NFKC followed by deletions is not idempotent. Per-character presentation folding is.

Choices a caller may need to know:

* Hamza carriers fold to their bare letter (أ إ آ ٱ -> ا, ؤ -> و, ئ -> ي) and alef maqsura ى
  to ي. This is search-oriented folding, as in Lucene's ArabicNormalizer and common Arabic
  IR practice: news writers drop or misplace hamzas freely. Standalone hamza ء is kept.
* Teh marbuta ة stays unless ``teh_marbuta=True`` (ة -> ه): the final-heh spelling is common
  in informal text, but folding it also merges real pairs (e.g. a feminine noun and a word
  ending in heh), so it is the caller's call.
* Punctuation with an ASCII twin becomes ASCII (، -> ``,``, ؟ -> ``?``, « » “ ” -> ``"`` ...),
  so ``١٥٫٥`` and ``15.5`` match and ASCII tokenisers split Arabic text; the Arabic comma and
  the Arabic thousands separator both become ``,``.
* Invisible marks are deleted, not turned into spaces: ZWNJ/ZWJ, RLM and the like sit inside
  words (a Persian half-space, a bidi mark pasted into a name), so ``ال\u200cعربية`` matches
  ``العربية``. The Persian half-space word ``می\u200cخواهم`` becomes one word too.
* Ligatures expand to what they stand for, several words if need be: ﷺ -> ``صلي الله عليه وسلم``.
* Latin letters are left alone (no case folding): that is a separate, language-neutral step.
"""

import re
import unicodedata
from functools import cache
from itertools import chain

__all__ = [
    "ARABIC_LETTERS",
    "arabic_letter_share",
    "is_arabic_letter",
    "normalize",
    "normalize_alef",
    "normalize_digits",
    "strip_diacritics",
    "strip_tatweel",
]


def _span(first: int, last: int) -> str:
    return "".join(map(chr, range(first, last + 1)))


_TATWEEL = "ـ"

# Vowel marks and other marks that sit on a letter: harakat, tanwin, shadda, sukun, hamza
# above/below (U+064B-065F), superscript alef, honorifics (U+0610-061A), Quranic annotation
# (U+06D6-06ED) and the marks of Arabic Extended-A/B, which appear in Quranic and Qur'an-style text.
_DIACRITICS = (
    _span(0x064B, 0x065F)
    + "\u0670"
    + _span(0x0610, 0x061A)
    + _span(0x06D6, 0x06ED)
    + _span(0x0898, 0x089F)
    + _span(0x08CA, 0x08FF)
)

# Invisible characters that web text carries between letters and that would split a word
# in two: zero-width space/joiners, LRM/RLM, bidi embeddings and isolates, the Arabic letter
# mark, the BOM, the word joiner and the soft hyphen.
_INVISIBLE = (
    _span(0x200B, 0x200F)
    + _span(0x202A, 0x202E)
    + _span(0x2066, 0x2069)
    + "\u2060\u061c\ufeff\u00ad"
)

_ALEF_FOLDS = dict.fromkeys("أإآٱٲٳٵ", "ا")

_DIGIT_FOLDS = {
    **{chr(0x0660 + d): str(d) for d in range(10)},  # Arabic-Indic ٠-٩
    **{chr(0x06F0 + d): str(d) for d in range(10)},  # Extended Arabic-Indic (Persian, Urdu) ۰-۹
}

_LETTER_FOLDS = {
    **_ALEF_FOLDS,
    "ؤ": "و",
    "ٶ": "و",
    "ئ": "ي",
    "ٸ": "ي",
    "ى": "ي",  # alef maqsura: often written for final yeh and vice versa (Egyptian usage)
    "ی": "ي",  # Farsi yeh: Persian keyboards type it for every yeh
    "ۍ": "ي",
    "ې": "ي",
    "ک": "ك",  # keheh: the Persian/Urdu kaf
    "ڪ": "ك",
    "ۀ": "ه",  # Persian/Urdu heh shapes (heh with yeh, heh goal, doachashmee, ae)
    "ہ": "ه",
    "ۂ": "ه",
    "ھ": "ه",
    "ە": "ه",
}

_PUNCTUATION_FOLDS = {
    "،": ",",
    "؛": ";",
    "؟": "?",
    "٪": "%",
    "٫": ".",  # Arabic decimal separator
    "٬": ",",  # Arabic thousands separator
    "۔": ".",  # Urdu full stop
    "«": '"',
    "»": '"',
    "“": '"',
    "”": '"',
    "„": '"',
    "‟": '"',
    "‘": "'",
    "’": "'",
    "‚": "'",
    "‛": "'",
}

_PRESENTATION_BLOCKS = (range(0xFB50, 0xFE00), range(0xFE70, 0xFF00))

# Entries at or above this code point are looked up as "missing", i.e. left as they are.
_TABLE_SIZE = 0x10000


def _base_folds(*, teh_marbuta: bool, fold_digits: bool) -> dict[str, str]:
    folds = dict.fromkeys(_DIACRITICS + _TATWEEL + _INVISIBLE, "")
    folds.update(_LETTER_FOLDS)
    folds.update(_PUNCTUATION_FOLDS)
    if fold_digits:
        folds.update(_DIGIT_FOLDS)
    if teh_marbuta:
        folds["ة"] = "ه"
    return folds


def _presentation_folds() -> dict[str, str]:
    """NFKC of each Arabic presentation form that has a compatibility decomposition."""
    folds = {}
    for cp in chain(*_PRESENTATION_BLOCKS):
        glyph = chr(cp)
        expanded = unicodedata.normalize("NFKC", glyph)
        if expanded == glyph:
            continue  # unassigned, or no decomposition (﴾ ﴿ ﷽)
        # Spacing forms of harakat (U+FE70 "ﹰ" = " ً") are diacritics: drop the carrier space too.
        if expanded[0] == " " and all(unicodedata.combining(c) for c in expanded[1:]):
            expanded = expanded[1:]
        folds[glyph] = expanded
    return folds


_PRESENTATION_FOLDS = _presentation_folds()
_IDENTITY: list[int | str | None] = list(range(_TABLE_SIZE))


@cache
def _table(*, teh_marbuta: bool, fold_digits: bool) -> list[int | str | None]:
    """The translate table for one flag combination: code point -> final output of every rule.

    A list rather than a dict: ``str.translate`` then finds every character by index, and
    unmapped BMP characters (the bulk of any text) cost no failed dict lookup.
    """
    base = _base_folds(teh_marbuta=teh_marbuta, fold_digits=fold_digits)
    table = _IDENTITY.copy()
    for glyph, expanded in chain(base.items(), _PRESENTATION_FOLDS.items()):
        # Presentation forms expand to base letters, which the base rules then fold (ﻷ -> لأ -> لا).
        table[ord(glyph)] = "".join(base.get(c, c) for c in expanded)
    return table


_table(teh_marbuta=False, fold_digits=True)  # build the default table at import, not on first use


def fold_table() -> list[int | str | None]:
    """The ``str.translate`` table of :func:`normalize` with its default flags (whitespace aside)."""
    return _table(teh_marbuta=False, fold_digits=True)


def normalize(text: str, *, teh_marbuta: bool = False, keep_digits_as_is: bool = False) -> str:
    """Fold ``text`` for matching and search: same word, same string.

    Idempotent: ``normalize(normalize(s)) == normalize(s)`` for every string and flag set.
    Whitespace runs (any Unicode whitespace, including newlines and no-break spaces) become one
    ASCII space and the ends are stripped, so character offsets do not survive.

    ``teh_marbuta=True`` also folds ة -> ه. ``keep_digits_as_is=True`` leaves ٠-٩ and ۰-۹ alone
    (for callers that must tell Arabic-Indic from Western digits); by default they become 0-9.
    """
    table = _table(teh_marbuta=teh_marbuta, fold_digits=not keep_digits_as_is)
    return " ".join(text.translate(table).split())


# The helpers below touch few characters, so a regex that skips the rest in C beats translate.
_DIACRITICS_RE = re.compile(f"[{_DIACRITICS}]+")
_ALEF_RE = re.compile(f"[{''.join(_ALEF_FOLDS)}]")
_DIGITS_RE = re.compile(f"[{''.join(_DIGIT_FOLDS)}]+")
_DIGIT_TABLE = str.maketrans(_DIGIT_FOLDS)


def _fold_digit_run(match: re.Match[str]) -> str:
    return match.group().translate(_DIGIT_TABLE)


def strip_diacritics(text: str) -> str:
    """Remove harakat, tanwin, shadda, sukun, hamza marks, superscript alef and Quranic marks."""
    return _DIACRITICS_RE.sub("", text)


def strip_tatweel(text: str) -> str:
    """Remove tatweel (kashida, ـ), the typographic stretch in ``الـــعربية``."""
    return text.replace(_TATWEEL, "")


def normalize_alef(text: str) -> str:
    """Fold hamza/madda/wasla alef forms (أ إ آ ٱ ٲ ٳ ٵ) to bare alef ا; keeps length and offsets."""
    return _ALEF_RE.sub("ا", text)


def normalize_digits(text: str) -> str:
    """Turn Arabic-Indic ٠-٩ and Persian ۰-۹ digits into 0-9, nothing else; keeps length and offsets."""
    return _DIGITS_RE.sub(_fold_digit_run, text)


_ARABIC_BLOCKS = (
    range(0x0600, 0x0700),  # Arabic
    range(0x0750, 0x0780),  # Arabic Supplement
    range(0x0870, 0x08A0),  # Arabic Extended-B
    range(0x08A0, 0x0900),  # Arabic Extended-A
    range(0xFB50, 0xFE00),  # Arabic Presentation Forms-A
    range(0xFE70, 0xFF00),  # Arabic Presentation Forms-B
)

# A letter is a Unicode letter (category L*); tatweel is Lm but only stretches a line.
_ARABIC_LETTER_SET = frozenset(
    chr(cp) for cp in chain(*_ARABIC_BLOCKS) if unicodedata.category(chr(cp))[0] == "L" and chr(cp) != _TATWEEL
)


def _char_class(chars: frozenset[str]) -> str:
    points = sorted(map(ord, chars))
    parts = []
    start = prev = points[0]
    for cp in [*points[1:], -1]:
        if cp != prev + 1:
            parts.append(chr(start) if start == prev else f"{chr(start)}-{chr(prev)}")
            start = cp
        prev = cp
    return "[" + "".join(parts) + "]"


#: Regex character class (brackets included) of Arabic-script letters, presentation forms too.
ARABIC_LETTERS = _char_class(_ARABIC_LETTER_SET)

_ARABIC_RUN_RE = re.compile(ARABIC_LETTERS + "+")
# Letters of any script: word characters that are not digits or underscore (nor tatweel).
_LETTER_RUN_RE = re.compile(rf"[^\W\d_{_TATWEEL}]+")


def is_arabic_letter(ch: str) -> bool:
    """True for one Arabic-script letter (any Arabic block, presentation forms included)."""
    return ch in _ARABIC_LETTER_SET


def arabic_letter_share(text: str) -> float:
    """Share of the letters in ``text`` that are Arabic-script: 0.0 when it has no letters.

    Digits, punctuation, spaces, diacritics and tatweel are not letters and do not count.
    """
    # Cut the Arabic letters out first: the slow Unicode letter test then runs on the rest only.
    rest = _ARABIC_RUN_RE.sub("", text)
    arabic = len(text) - len(rest)
    if not arabic:
        return 0.0
    return arabic / (arabic + sum(map(len, _LETTER_RUN_RE.findall(rest))))
