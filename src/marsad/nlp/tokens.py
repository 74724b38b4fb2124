"""Tokens of Arabic news text, with character offsets into the original string.

:func:`tokenize` never changes the text it reads: a token is a slice ``text[start:end]``, so an
entity found over tokens maps back to the article exactly as written (diacritics, tatweel, hamza
spelling and all). Words are runs of letters and the marks written on them; numbers keep their
decimal and thousands separators (``1.3``, ``١٫٥``); every other visible character is a token of
its own, as in ANERcorp. Invisible marks (LRM, ZWNJ, BOM, ...) separate tokens and belong to none:
copied text carries them around words, and a name must not start with one.

:func:`split_clitics` takes the proclitics off a word: the conjunction (و ف), one preposition
(ب ك ل) and the article (ال, and the ل of لل where the preposition ate the article's alef), giving
the stem and where it starts in the token. Arabic writes these clitics attached, so ``وبالمغرب`` is
"and in the Morocco"; the stem is ``مغرب`` and the name as written without its clitics is ``المغرب``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Clitics", "Token", "split_clitics", "tokenize"]

# Harakat, tanwin, shadda, sukun, superscript alef and the small marks above and below letters.
_MARKS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"
# Invisible format characters: direction marks, zero-width (non-)joiners, BOM, soft hyphen.
_INVISIBLE = "\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\u061c\u00ad"

_TOKEN_RE = re.compile(
    r"\d+(?:[.,٫٬]\d+)*"  # a number, with its separators: 1.3 and ١٫٥ are one token
    rf"|(?:[^\W\d_]|[{_MARKS}])+"  # a word: letters (tatweel is a letter to \w) and their marks
    rf"|[^\s{_INVISIBLE}]"  # any other visible character, one at a time
)


@dataclass(frozen=True, slots=True)
class Token:
    """One token: ``text == source[start:end]``."""

    text: str
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    """The tokens of ``text`` in order, with offsets into ``text`` as given (no normalisation)."""
    return [Token(m.group(), m.start(), m.end()) for m in _TOKEN_RE.finditer(text)]


def token_spans(text: str) -> list[tuple[str, int, int]]:
    """Same as :func:`tokenize` as plain tuples: the tagger's hot path makes no objects."""
    return [(m.group(), m.start(), m.end()) for m in _TOKEN_RE.finditer(text)]


@dataclass(frozen=True, slots=True)
class Clitics:
    """A word split into proclitics and stem: ``word[offset:] == stem``.

    ``article`` is True when the stem carried the article; for ``للمغرب`` the article's alef was
    dropped after ل, so the stem ``مغرب`` starts at offset 2 and :attr:`with_article` restores it.
    """

    conj: str
    prep: str
    article: bool
    stem: str
    offset: int

    @property
    def prefix(self) -> str:
        """The clitics as they would be written before an article-bearing stem (و، ب، ال ...)."""
        return self.conj + self.prep + ("ال" if self.article else "")

    @property
    def with_article(self) -> str:
        """The stem with its article, as the word is written standing alone: ``المغرب``."""
        return "ال" + self.stem if self.article else self.stem


# Conjunction, then preposition, then article; a diacritic may follow each clitic letter.
_M = f"[{_MARKS}]*"
_CLITIC_RE = re.compile(rf"(?P<conj>[وف]{_M})?(?P<prep>[بكل]{_M})?(?P<art>ال{_M}|ل{_M})?")
# A stem keeps at least this many letters: a shorter rest means the "clitic" was a root letter
# (ولد, بين, كان, لها), so the word is left whole.
MIN_STEM = 3


def split_clitics(word: str, *, min_stem: int = MIN_STEM) -> Clitics:
    """Split ``word`` (as written, not normalised) into proclitics and stem.

    The split is orthographic: a word whose first letters look like clitics is split whenever the
    rest is long enough (``لبنان`` → ل + ``بنان``). Callers that need the reading of a name weigh
    the split against a vocabulary (see :func:`marsad.nlp.ner.canonical_name`).
    """
    best = Clitics("", "", False, word, 0)
    m = _CLITIC_RE.match(word)
    if m is None or not m.group():
        return best
    conj, prep, art = m.group("conj") or "", m.group("prep") or "", m.group("art") or ""
    # A bare ل is the article only after the preposition ل, whose alef it lost (ل + المغرب = للمغرب).
    if art and not art.startswith("ا") and prep[:1] != "ل":
        art = ""
    # Try the longest split first, then give back clitics until the stem is long enough.
    for c, p, a in ((conj, prep, art), (conj, prep, ""), (conj, "", "")):
        if not (c or p or a):
            break
        offset = len(c) + len(p) + len(a)
        stem = word[offset:]
        if _letters(stem) >= min_stem:
            return Clitics(_base(c), _base(p), bool(a), stem, offset)
    return best


def _letters(text: str) -> int:
    return sum(1 for ch in text if ch.isalpha() and ch != "ـ")


def _base(clitic: str) -> str:
    return clitic[:1]
