"""Script statistics of a text, and which Arabic-script language its letters point to.

:func:`script_stats` counts, on a sample of at most ``limit`` characters, the letters that are
Arabic-script, Latin and other, the Arabic-script words, and the letters and words that tell the
Arabic-script languages apart:

========  ===========================================  ================================
group     letters                                      why
========  ===========================================  ================================
arabic    ة ى                                          Arabic spelling; Persian, Urdu,
                                                       Kurdish write ه/ت and ی instead
persian   پ چ ژ گ ۀ                                    sounds Arabic lacks (also in
                                                       Urdu, Kurdish; Iraqi dialect چ گ)
urdu      ٹ ڈ ڑ ں ے ۓ ہ ۃ                              retroflexes, nasal noon, bari ye,
                                                       heh goal: Urdu only
pashto    ټ ډ ړ ږ ښ ګ ڼ ۍ ې ځ څ                        Pashto only
kurdish   ڕ ڵ ێ ۆ ە                                    Sorani vowels and heavy r/l
jawi      ڠ ڽ ۏ ݢ ڬ                                    Malay nga, nya, va, ga
========  ===========================================  ================================

ڤ is Jawi's p, but also Kurdish v and, in Arabic, a foreign v or a Maghrebi g: it is counted on
its own and weighs half a Jawi letter. ھ (Urdu aspirates, Kurdish h) is left out. The letter
*shapes* ي ك (Arabic, Jawi) against ی ک (Persian, Urdu, Pashto, Kurdish) are counted too, but weigh
little: a Persian keyboard gives an Arabic writer ی ک, and older Persian sites were typed on
Arabic keyboards.

Besides letters: words beginning with the Arabic article (ال, وال, بال, لل ...), frequent
function words of Arabic (في، على، إلى، التي ...) and of Persian (است، این، که، را، می ...), and
the zero-width non-joiner that Persian, Urdu, Pashto and Kurdish type inside words.

No Python loop runs over characters: one ``str.translate`` maps each character of the sample to
a class letter (a 64K-entry list, built at import), ``str.count`` counts the classes, one regex
splits the Arabic-script words and set lookups count the function words. About 0.15 ms for a
2,000-character news body.

:func:`arabic_script_guess` turns the counts into a language (ISO 639-1: ar, fa, ur, ps, ku for
Sorani Kurdish, ms for Malay in Jawi) and a confidence, or None when the letters say nothing.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from itertools import chain
from operator import methodcaller

__all__ = [
    "ScriptStats",
    "arabic_script_guess",
    "guess_from_stats",
    "keep_script",
    "script_stats",
]

#: How many characters of a text :func:`script_stats` looks at by default.
SAMPLE_CHARS = 5000

ARABIC_ONLY = "ةى"
ARABIC_SHAPES = "يك"
PERSIAN = "پچژگۀ"
PERSIAN_SHAPES = "یک"
URDU = "ٹڈڑںےۓہۃ"
PASHTO = "ټډړږښګڼۍېځڅ"
KURDISH = "ڕڵێۆە"
JAWI = "ڠڽۏݢڬ"
VEH = "ڤ"

#: The languages whose letters no other language here uses, and their letters.
EXCLUSIVE = {"ur": URDU, "ps": PASHTO, "ku": KURDISH, "ms": JAWI}

_ZWNJ = "\u200c"
_TATWEEL = "ـ"

# Class letters of the translated sample. Every BMP code point gets an entry, so a class letter
# in the output always stands for its class (an "l" in the input becomes "L", Latin).
_GENERIC, _AR, _AR_SHAPE, _FA, _FA_SHAPE, _VEH = "a", "r", "k", "p", "q", "v"
_CLASS_OF_GROUP = {"ur": "u", "ps": "s", "ku": "c", "ms": "j"}
_LATIN, _OTHER, _GAP = "L", "O", " "
_ARABIC_CLASSES = _GENERIC + _AR + _AR_SHAPE + _FA + _FA_SHAPE + _VEH + "".join(_CLASS_OF_GROUP.values())

_ARABIC_BLOCKS = (
    range(0x0600, 0x0700),  # Arabic
    range(0x0750, 0x0780),  # Arabic Supplement
    range(0x0870, 0x0900),  # Arabic Extended-B and -A
    range(0xFB50, 0xFE00),  # Arabic Presentation Forms-A
    range(0xFE70, 0xFF00),  # Arabic Presentation Forms-B
)
_PRESENTATION = (range(0xFB50, 0xFE00), range(0xFE70, 0xFF00))


_LATIN_BLOCKS = (
    range(0x0041, 0x0250),  # Basic Latin to Latin Extended-B
    range(0x1E00, 0x1F00),  # Latin Extended Additional (Vietnamese, transliteration)
    range(0xFB00, 0xFB07),  # Latin ligatures ﬀ-ﬆ
)


def _class_of_category(category: str) -> str | None:
    """The class letter of a character by its Unicode category; None deletes it."""
    if category in ("Mn", "Me", "Cf"):
        return None  # vowel marks and invisible marks sit inside a word: drop them, don't split
    return _OTHER if category[0] == "L" else _GAP


def _presentation_folds() -> dict[int, str]:
    """Arabic presentation forms (old PDFs, some CMSs) folded to their letters by NFKC."""
    folds = {}
    for cp in chain(*_PRESENTATION):
        folded = unicodedata.normalize("NFKC", chr(cp)).strip()
        if folded != chr(cp) and folded:
            folds[cp] = folded
    return folds


def _build_table() -> list[str | None]:
    by_category = {cat: _class_of_category(cat) for cat in {unicodedata.category(chr(cp)) for cp in range(0x10000)}}
    table = [by_category[unicodedata.category(chr(cp))] for cp in range(0x10000)]
    for cls, blocks in ((_LATIN, _LATIN_BLOCKS), (_GENERIC, _ARABIC_BLOCKS)):
        for cp in chain(*blocks):
            if table[cp] == _OTHER:  # a letter
                table[cp] = cls
    table[ord(_TATWEEL)] = None  # a letter to Unicode, but it only stretches a word
    table[ord(_ZWNJ)] = _GAP  # ends a word (Persian می‌شود is two words to us)
    groups = {_AR: ARABIC_ONLY, _AR_SHAPE: ARABIC_SHAPES, _FA: PERSIAN, _FA_SHAPE: PERSIAN_SHAPES, _VEH: VEH}
    groups.update({_CLASS_OF_GROUP[lang]: letters for lang, letters in EXCLUSIVE.items()})
    for cls, letters in groups.items():
        for ch in letters:
            table[ord(ch)] = cls
    for cp, folded in _PRESENTATION_FOLDS.items():
        # a presentation form counts as the letters it stands for (ﻻ is two letters, ﺓ is ة)
        table[cp] = "".join(c for c in (table[ord(x)] for x in folded) if c and c != _GAP) or None
    return table


_PRESENTATION_FOLDS = _presentation_folds()
_TABLE = _build_table()

# An Arabic-script letter, as a regex class; a run of them is a word.
_AL = "\u0620-\u064a\u066e-\u06d3\u06d5\u06ee\u06ef\u06fa-\u06ff\u0750-\u077f\u08a0-\u08c9"
_WORD_RE = re.compile(f"[{_AL}]+")
# Words of one script, marks and tatweel included, for handing a model only the script it reads.
_SCRIPT_WORD_RE = {
    "arabic": re.compile(f"[{_AL}\u064b-\u065f\u0670\u0640\u200c]+"),
    "latin": re.compile("[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff'’-]+"),
}
_ARABIC_RUN_RE = re.compile(f"[{_ARABIC_CLASSES}]+")
_PRESENTATION_RE = re.compile("[\ufb50-\ufdff\ufe70-\ufeff]")

# The Arabic article, with the conjunctions and prepositions written onto it.
_HAS_ARTICLE = methodcaller("startswith", ("ال", "وال", "فال", "بال", "كال", "لل", "ولل"))
# Frequent Arabic words that Persian, Urdu and Kurdish do not use as words (not من, ما, هم, بعد:
# Persian has them too), also with the conjunction و or ف written onto them.
_AR_WORDS = "في على إلى عن التي الذي الذين هذا هذه ذلك تلك كان كانت قد أن إن لم لن حيث منذ خلال أو ثم لكن قال"
# Frequent Persian words, in Persian and in Arabic letter shapes (older sites typed Persian on
# Arabic keyboards); ZWNJ ends a word, so می and ها of می‌شود and کتاب‌ها are words too.
_FA_WORDS = "است این را که از در با برای شد شود کرد بود یک آن خود نیز باید شده های ها می اند"
_AR_WORD_SET = frozenset(chain.from_iterable((w, "و" + w, "ف" + w) for w in _AR_WORDS.split()))
_FA_WORD_SET = frozenset(
    chain.from_iterable((w, w.replace("ی", "ي").replace("ک", "ك")) for w in _FA_WORDS.split())
)


@dataclass(frozen=True, slots=True)
class ScriptStats:
    """Counts over a sample of a text (see the module docstring for the letter groups)."""

    #: letters of any script (not digits, marks or tatweel), and how many are Arabic-script, Latin
    letters: int = 0
    arabic: int = 0
    latin: int = 0
    #: Arabic-script words, and those that begin with the Arabic article
    words: int = 0
    article: int = 0
    #: frequent Arabic and Persian function words
    arabic_words: int = 0
    persian_words: int = 0
    #: distinctive letters, by group
    arabic_only: int = 0
    arabic_shapes: int = 0
    persian: int = 0
    persian_shapes: int = 0
    urdu: int = 0
    pashto: int = 0
    kurdish: int = 0
    jawi: int = 0
    veh: int = 0
    #: zero-width non-joiners (the Persian "half space" inside words)
    zwnj: int = 0

    @property
    def other(self) -> int:
        """Letters of other scripts (Cyrillic, Hebrew, Han ...)."""
        return self.letters - self.arabic - self.latin

    @property
    def arabic_share(self) -> float:
        return self.arabic / self.letters if self.letters else 0.0

    @property
    def latin_share(self) -> float:
        return self.latin / self.letters if self.letters else 0.0

    @property
    def other_share(self) -> float:
        return self.other / self.letters if self.letters else 0.0

    def evidence(self) -> dict[str, float]:
        """Marks of each Arabic-script language (ar, fa, ur, ps, ku, ms) found in the sample.

        A mark is a distinctive letter, or a word with the Arabic article or from a language's
        function-word list. Letter shapes (ي ك against ی ک) weigh a tenth: keyboards, not
        languages, decide them.
        """
        return {
            "ar": self.arabic_only + self.article + self.arabic_words + 0.1 * self.arabic_shapes,
            "fa": self.persian + self.persian_words + 0.5 * self.zwnj + 0.1 * self.persian_shapes,
            "ur": self.urdu,
            "ps": self.pashto,
            "ku": self.kurdish,
            "ms": self.jawi + 0.5 * self.veh,
        }


def script_stats(text: str, *, limit: int = SAMPLE_CHARS) -> ScriptStats:
    """Script statistics of the first ``limit`` characters of ``text``."""
    sample = text[:limit]
    classes = sample.translate(_TABLE)
    count = classes.count
    arabic = sum(map(count, _ARABIC_CLASSES))
    latin = count(_LATIN)
    if not arabic:  # nothing Arabic to look at: skip the word scans
        return ScriptStats(letters=arabic + latin + count(_OTHER), latin=latin)
    if _PRESENTATION_RE.search(sample):
        sample = sample.translate(_PRESENTATION_FOLDS)
    words = _WORD_RE.findall(sample)
    return ScriptStats(
        letters=arabic + latin + count(_OTHER),
        arabic=arabic,
        latin=latin,
        words=len(_ARABIC_RUN_RE.findall(classes)),
        article=sum(map(_HAS_ARTICLE, words)),
        arabic_words=sum(map(_AR_WORD_SET.__contains__, words)),
        persian_words=sum(map(_FA_WORD_SET.__contains__, words)),
        arabic_only=count(_AR),
        arabic_shapes=count(_AR_SHAPE),
        persian=count(_FA),
        persian_shapes=count(_FA_SHAPE),
        urdu=count(_CLASS_OF_GROUP["ur"]),
        pashto=count(_CLASS_OF_GROUP["ps"]),
        kurdish=count(_CLASS_OF_GROUP["ku"]),
        jawi=count(_CLASS_OF_GROUP["ms"]),
        veh=count(_VEH),
        zwnj=sample.count(_ZWNJ),
    )


# Marks per Arabic-script word in plain text of each language: the median over news paragraphs
# (ar: 2,000 ANT bodies, 0.67; the others: bench/lang_set). A text showing a language's marks at
# this rate is all that language; at half the rate, about half of it is.
TYPICAL_RATE = {"ar": 0.65, "fa": 0.35, "ur": 0.5, "ps": 0.4, "ku": 1.0, "ms": 0.25}

# Below this share of their typical rate, Urdu, Pashto, Kurdish or Jawi letters in a text that
# also has Arabic or Persian marks are a quoted name, not the text's language.
_MIN_SHARE = 0.15
# How sure the marks make us grows with how many words' worth of them there are (marks over the
# typical rate): 1 - exp(-words / _WORDS_SCALE) is 0.63 for five words, 0.95 for fifteen.
_WORDS_SCALE = 5.0
_MAX_CONFIDENCE = 0.99


def guess_from_stats(stats: ScriptStats) -> tuple[str, float] | None:
    """:func:`arabic_script_guess` on counts already taken."""
    evidence = stats.evidence()
    if not stats.words or not any(evidence.values()):
        return None
    share = {lang: min(1.0, marks / stats.words / TYPICAL_RATE[lang]) for lang, marks in evidence.items()}
    exclusive = max(EXCLUSIVE, key=share.__getitem__)
    if share[exclusive] >= share["ar"] and (share[exclusive] >= _MIN_SHARE or not share["fa"]):
        # Urdu, Pashto, Kurdish and Jawi texts also carry the Persian letters and shapes: their
        # own letters outrank those, so Persian does not compete with them.
        best, rivals = exclusive, ["ar", *EXCLUSIVE]
    else:
        best, rivals = max(("ar", "fa"), key=share.__getitem__), list(share)
    dominance = share[best] / sum(share[lang] for lang in rivals)
    words_worth = evidence[best] / TYPICAL_RATE[best]
    confidence = dominance * (1.0 - math.exp(-words_worth / _WORDS_SCALE))
    return best, round(min(confidence, _MAX_CONFIDENCE), 4)


def arabic_script_guess(text: str) -> tuple[str, float] | None:
    """Which Arabic-script language the distinctive letters and words of ``text`` point to.

    Returns an ISO 639-1 code (ar, fa, ur, ps, ku for Sorani Kurdish, ms for Malay in Jawi) and a
    confidence in 0..0.99, or None when the text has no such marks (no Arabic-script words, or only
    letters every language here shares). The confidence is the language's share of the marks
    found, each language's marks counted against its usual rate, damped when there are few marks:
    one Arabic article in a short line is a weak "ar", a paragraph of them a sure one.
    Only the first :data:`SAMPLE_CHARS` characters are read.
    """
    return guess_from_stats(script_stats(text))


def keep_script(text: str, script: str) -> str:
    """The words of ``text`` written in ``script`` ("arabic" or "latin"), joined by spaces."""
    return " ".join(_SCRIPT_WORD_RE[script].findall(text))
