"""Analysis of Arabic text for search: the same for what is indexed and what is typed.

Two forms per word: *exact* (normalised: hamza and alef forms, alef maqsura, diacritics, tatweel,
digits folded) keeps names and phrases precise; *stem* also folds teh marbuta, takes attached
clitics off (و ف ب ك ل and the article: والمغرب، بالمغرب، للمغرب → مغرب) and applies the Snowball
Arabic stemmer, so that inflected and clitic-attached forms meet. Snowball alone does not take the
conjunction and prepositions off (والتعاون → والتعا, التعاون → تعا), hence the clitic step first.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .arabic import fold_table, normalize

_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
# Proclitic sequences, longest first: conjunction (و ف), preposition (ب ك ل), article (ال).
_PREFIXES = tuple(
    sorted(
        {c + p + a for c in ("", "و", "ف") for p in ("", "ب", "ك", "ل") for a in ("", "ال")} - {""} | {"لل", "ولل", "فلل"},
        key=len,
        reverse=True,
    )
)
# A stem keeps at least this many letters: shorter, the "clitic" was part of the word.
_MIN_STEM = {1: 4, 2: 3, 3: 3, 4: 3}


def tokens(text: str) -> list[str]:
    """The words of ``text``, normalised (the exact form)."""
    return _TOKEN.findall(normalize(text))


def strip_clitics(word: str) -> str:
    """``word`` (normalised) without attached conjunction, preposition and article."""
    for _ in range(2):  # "بلبنان" -> "لبنان" -> "بنان": index and query reach the same form
        for prefix in _PREFIXES:
            if word.startswith(prefix) and len(word) - len(prefix) >= _MIN_STEM[len(prefix)]:
                word = word[len(prefix) :]
                break
        else:
            break
    return word


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The stem of one normalised word (clitics off, teh marbuta folded, Snowball Arabic)."""
    word = strip_clitics(word.replace("ة", "ه"))
    if not word or not ("\u0621" <= word[0] <= "\u064a"):
        return word.lower()
    return _stemmer().stemWord(word)


@lru_cache(maxsize=1)
def _stemmer():  # type: ignore[no-untyped-def]
    import Stemmer  # PyStemmer

    return Stemmer.Stemmer("arabic")


def alternative(word: str) -> str | None:
    """A second stem for a word whose first letter may be a clitic the stem step had to keep:
    بمصر keeps its ب (مصر is too short to tell it from a root letter, as in بلد), so it is also
    indexed and searched as مصر; ``None`` when there is no such doubt."""
    word = word.replace("ة", "ه")
    if len(word) == 4 and word[0] in "وفبكل" and "\u0621" <= word[1] <= "\u064a":
        return stem(word[1:])
    return None


def alt_field(text: str) -> str:
    """Text of the alternatives field: the second stems of the words that have one."""
    return " ".join(a for a in (alternative(w) for w in tokens(text)) if a)


def exact_field(text: str) -> str:
    """Text of the exact index field: normalised words, space separated."""
    return " ".join(tokens(text))


def stem_field(text: str) -> str:
    """Text of the stemmed index field."""
    return " ".join(stem(w) for w in tokens(text))


# A cheap test that a written word may have a given stem, for highlighting: the stem's *core* is
# inside the word once both are folded the same way (normalised, lower case, hamza seats, alef
# maqsura and teh marbuta folded). Snowball only takes affixes off, except that it writes a verb's
# يست/تست/نست as است, so a core starts after that alef. Checked on every written word of ANT.
_CORE_FOLDS = str.maketrans("أإآؤئىة", "اااوييه")


@lru_cache(maxsize=1)
def core_table() -> list[int | str | None]:
    """``str.translate`` table of :func:`core_fold`."""
    table: list[int | str | None] = []
    for code, out in enumerate(fold_table()):
        text = chr(out) if isinstance(out, int) else (out or "")
        table.append(text.lower().translate(_CORE_FOLDS))
    return table


def core_fold(text: str) -> str:
    """``text`` folded for :func:`stem_core` (character by character: a word's fold is a substring
    of its text's)."""
    return text.translate(core_table())


def stem_core(word_stem: str) -> str:
    """What every word with the stem ``word_stem`` holds once folded by :func:`core_fold`."""
    core = core_fold(word_stem)
    at = core.find("است")
    return core[at + 1:] if at >= 0 else core
