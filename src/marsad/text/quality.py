"""Quality signals of an article body, and the thresholds that turn them into flags.

:func:`quality_signals` measures a body (paragraphs separated by newlines, blank or not) the way
FineWeb-2 measured Common Crawl text with datatrove's ``GopherRepetitionFilter``,
``FineWebQualityFilter`` and ``GopherQualityFilter``, so that FineWeb-2's published thresholds for
Standard Arabic (``arb_Arab``) mean the same thing here. :func:`quality_flags` compares the signals
with a :class:`QualityThresholds` and names every threshold the body fails; nothing is dropped here.

Sources (read for this module; no code was copied):

* thresholds: ``huggingface/fineweb-2`` ``configs/arb_Arab.yml`` (the revision that also ships
  ``misc/precision_filtering``, i.e. the configs of the paper, arXiv 2506.20920) and the
  pipeline ``huggingface/fineweb-2`` ``fineweb-2-pipeline.py`` (global values such as
  ``char_duplicates_ratio=0.1``, ``min_stop_words=2``, disabled filters);
* definitions and the defaults FineWeb-2 left untouched: ``huggingface/datatrove``
  ``src/datatrove/pipeline/filters/{gopher_repetition_filter,fineweb_quality_filter,
  gopher_quality_filter}.py`` and ``src/datatrove/utils/text.py``.

How the measuring differs from datatrove, and why:

* Tokens: datatrove tokenises Arabic with spaCy's blank ``ar`` tokenizer (words and punctuation
  marks as separate tokens). Here a token is a run of word characters, a number with its decimal
  or thousands separators, a run of dots or dashes (an ellipsis, a ``-----`` rule), or one other
  non-space character, found on the
  :func:`~marsad.text.arabic.normalize`-d text (diacritics and tatweel gone, so ``مُحَمَّد`` is one
  token, hamza and alef maqsura folded so stop words match every spelling). A *word* is a token
  with a letter or digit in it; datatrove calls these "non-symbol words".
* Lines are the non-empty lines, stripped. marsad bodies put a blank line between paragraphs where
  trafilatura's output (what FineWeb-2 measured) put a single newline, so ``new_line_ratio``
  counts the breaks between non-empty lines rather than newline characters.
* Character fractions of n-grams are taken over the length of the normalised text (numerator and
  denominator from the same string); datatrove divides by the raw length. The difference is the
  diacritics and whitespace runs, well under a percent on news text.
* ``lines_end_punct`` accepts the closers that end an Arabic news paragraph: ``. ! ? ؟ … ؛ :``
  and closing quotes/brackets ``» ” " ' )``. datatrove's default is Unicode sentence terminals only
  (``. ! ? ؟ ۔`` ...); a paragraph ending in a quotation (``..."``) or introducing one (``:``)
  is a complete paragraph, not menu text, so this is more lenient, and the threshold is low anyway.
* ``top_{n}gram_frac`` is 0 when no n-gram repeats (datatrove counts a lone occurrence too, which
  only tells on texts too short to judge).
* ``non_arabic_word_frac`` has no FineWeb-2 counterpart (FineWeb-2 relies on a GlotLID score);
  see :data:`FINEWEB2_ARB`.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, fields
from functools import cache
from importlib import resources
from itertools import accumulate, compress, islice

from .arabic import ARABIC_LETTERS, normalize

__all__ = [
    "FINEWEB2_ARB",
    "QUALITY_FLAGS",
    "SIGNALS",
    "QualityThresholds",
    "arabic_stop_words",
    "quality_flags",
    "quality_signals",
    "tokenize",
]

#: Lines at most this long count as short (datatrove ``FineWebQualityFilter.short_line_length``).
SHORT_LINE_CHARS = 30

# Paragraph closers: sentence ends, Arabic semicolon (closes a clause-paragraph in news), colon
# (a paragraph that introduces a quote), and closing quotes/brackets (a paragraph ending on a quote).
# The text is not normalised for this test, so Arabic and ASCII forms are both listed.
_END_PUNCT = tuple(".!?؟…؛;:»”\"')’۔")
# datatrove counts lines starting with "•" or "-"; the other glyphs are the same role in web text.
_BULLETS = tuple("•-●▪■◦‣*")
_ELLIPSES = ("...", "…")
# Stripped from both ends of a line: whitespace, and the invisible direction marks and zero-width
# characters that crawled Arabic pages leave after the final full stop.
_LINE_STRIP = "".join(c for c in map(chr, range(0x3001)) if c.isspace() and c != "\n") + (
    "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c\ufeff"
)

# A number keeps its separators (15.5, 1,000) as spaCy keeps it; a run of dots, dashes, equals
# signs, stars or tildes is one token (an ellipsis, a "-----" rule), as spaCy leaves them; any other
# non-space, non-word character is a token of its own.
_TOKEN_RE = re.compile(r"\d+(?:[.,]\d+)+|\w+|\.+|-+|=+|\*+|~+|[^\w\s]")
_LETTER_RE = re.compile(r"[^\W\d_]")
_ARABIC_LETTER_SET = frozenset(
    re.findall(ARABIC_LETTERS, "".join(map(chr, [*range(0x0600, 0x0900), *range(0xFB50, 0xFF00)])))
)

_TOP_NS = (2, 3, 4)
_DUP_NS = (5, 6, 7, 8, 9, 10)

#: Names of the signals :func:`quality_signals` returns, in order.
SIGNALS: tuple[str, ...] = (
    "words",
    "lines",
    "mean_word_length",
    "stop_words",
    "stopword_ratio",
    "alpha_word_frac",
    "non_arabic_word_frac",
    "symbol_word_ratio",
    "lines_end_punct",
    "bullet_lines_frac",
    "ellipsis_lines_frac",
    "short_line_frac",
    "new_line_ratio",
    "dup_line_frac",
    "dup_line_char_frac",
    "char_dup_ratio",
    *(f"top_{n}gram_frac" for n in _TOP_NS),
    *(f"dup_{n}gram_frac" for n in _DUP_NS),
)


@cache
def arabic_stop_words() -> frozenset[str]:
    """The packaged Arabic stop words (``marsad/data/stopwords_ar.txt``), already normalised."""
    path = resources.files("marsad") / "data" / "stopwords_ar.txt"
    text = path.read_text(encoding="utf-8")
    return frozenset(
        normalize(line) for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")
    )


def tokenize(text: str) -> list[str]:
    """Word and punctuation tokens of the normalised ``text`` (see the module notes)."""
    return _TOKEN_RE.findall(normalize(text))


def _ratio(part: float, whole: float) -> float:
    return part / whole if whole else 0.0


def _top_ngram(tokens: list[str], n: int) -> tuple[int, int]:
    """The most frequent n-gram's characters (words joined by spaces) x its count, and that count.

    The characters are 0 when no n-gram repeats: datatrove would still count the one occurrence,
    which only matters for texts too short for the check to mean anything (a 4-gram is 20% of a
    20-word text).
    """
    counts = Counter(zip(*(islice(tokens, i, None) for i in range(n))))
    if not counts:
        return 0, 0
    gram, count = counts.most_common(1)[0]
    return ((sum(map(len, gram)) + n - 1) * count if count > 1 else 0), count


def _dup_ngram_chars(tokens: list[str], cum: list[int], n: int) -> int | None:
    """Characters in repeated n-grams, Gopher-style: a repeat is counted, then skipped over whole.

    An n-gram's characters are its words' characters without spaces (as datatrove counts them);
    ``cum`` holds the running sum of token lengths. ``None`` when no n-gram occurs twice, so that
    no longer one can either.
    """
    grams = list(zip(*(islice(tokens, i, None) for i in range(n))))
    counts = Counter(grams)
    if len(counts) == len(grams):
        return None
    repeated = {gram for gram, count in counts.items() if count > 1}
    # Gopher walks every position; one whose n-gram occurs once only ever adds it to the seen set,
    # where nothing will look for it, so walking the positions of repeated n-grams gives the same sum.
    seen: set[tuple[str, ...]] = set()
    chars = 0
    free = 0  # the first position not inside a repeat already counted
    for pos in compress(range(len(grams)), map(repeated.__contains__, grams)):
        if pos < free:
            continue
        gram = grams[pos]
        if gram in seen:
            chars += cum[pos + n] - cum[pos]
            free = pos + n
        else:
            seen.add(gram)
    return chars


def quality_signals(text: str, *, stop_words: frozenset[str] | None = None) -> dict[str, float]:
    """Measure ``text`` (an article body): the signals named in :data:`SIGNALS`, all finite floats.

    ``stop_words`` must be normalised; the packaged list (:func:`arabic_stop_words`) by default.
    Never raises; an empty body gives zeros.
    """
    stops = arabic_stop_words() if stop_words is None else stop_words
    lines = [s for line in text.split("\n") if (s := line.strip(_LINE_STRIP))]
    n_lines = len(lines)
    norm = normalize(text)
    tokens: list[str] = _TOKEN_RE.findall(norm)
    n_tokens = len(tokens)

    # Per token type rather than per token: the same checks, once for each distinct token.
    n_words = word_chars = n_lettered = non_arabic = n_stop = 0
    for token, count in Counter(tokens).items():
        first = token[0]
        if not (first.isalnum() or first == "_"):
            continue  # punctuation
        n_words += count
        word_chars += len(token) * count
        if token in stops:
            n_stop += count
        # isalpha answers the common all-letter word in C before the regex is needed
        if token.isalpha() or _LETTER_RE.search(token):
            n_lettered += count
            if _ARABIC_LETTER_SET.isdisjoint(token):
                non_arabic += count

    # Line statistics: duplicates count every occurrence after the first (datatrove find_duplicates).
    line_counts = Counter(lines)
    dup_lines = n_lines - len(line_counts)
    dup_line_chars = sum(len(line) * (c - 1) for line, c in line_counts.items() if c > 1)
    line_chars = sum(map(len, lines))

    signals: dict[str, float] = {
        "words": float(n_words),
        "lines": float(n_lines),
        "mean_word_length": _ratio(word_chars, n_words),
        "stop_words": float(n_stop),
        "stopword_ratio": _ratio(n_stop, n_words),
        # Over all tokens, punctuation included, as datatrove's alpha check (FineWeb-2's 0.787 assumes it).
        "alpha_word_frac": _ratio(n_lettered, n_tokens),
        # Over words with a letter: numbers say nothing about the language.
        "non_arabic_word_frac": _ratio(non_arabic, n_lettered),
        # Gopher checks '#' and ellipses per token separately against one threshold: keep the worse.
        "symbol_word_ratio": _ratio(max(text.count("#"), text.count("...") + text.count("…")), n_tokens),
        "lines_end_punct": _ratio(sum(1 for line in lines if line.endswith(_END_PUNCT)), n_lines),
        "bullet_lines_frac": _ratio(sum(1 for line in lines if line.startswith(_BULLETS)), n_lines),
        "ellipsis_lines_frac": _ratio(sum(1 for line in lines if line.endswith(_ELLIPSES)), n_lines),
        "short_line_frac": _ratio(sum(1 for line in lines if len(line) <= SHORT_LINE_CHARS), n_lines),
        "new_line_ratio": _ratio(max(n_lines - 1, 0), n_tokens),
        "dup_line_frac": _ratio(dup_lines, n_lines),
        # Gopher divides by the text with its newlines, FineWeb's char_dup_ratio without them.
        "dup_line_char_frac": _ratio(dup_line_chars, line_chars + max(n_lines - 1, 0)),
        "char_dup_ratio": _ratio(dup_line_chars, line_chars),
    }

    n_chars = len(norm)
    top_count = 2
    for n in _TOP_NS:
        # An n-gram can only repeat where its (n-1)-gram prefix does.
        chars, top_count = _top_ngram(tokens, n) if top_count > 1 else (0, 0)
        signals[f"top_{n}gram_frac"] = _ratio(chars, n_chars)

    dup_fracs = dict.fromkeys(_DUP_NS, 0.0)
    if top_count > 1:  # some 4-gram repeats, so a 5-gram may
        cum = list(accumulate(map(len, tokens), initial=0))
        for n in _DUP_NS:
            dup_chars = _dup_ngram_chars(tokens, cum, n) if n_tokens > n else None
            if dup_chars is None:
                break  # no repeated n-gram: no repeated longer one either
            dup_fracs[n] = _ratio(dup_chars, n_chars)
    for n, frac in dup_fracs.items():
        signals[f"dup_{n}gram_frac"] = frac
    return signals


@dataclass(frozen=True, slots=True)
class QualityThresholds:
    """Limits on :func:`quality_signals`; a field set to ``None`` turns its check off.

    ``min_*`` fails when the signal is below the limit, ``max_*`` when it is above (strictly, as
    datatrove compares). The defaults are :data:`FINEWEB2_ARB`; see ``docs/bench_quality.md`` for
    where each number comes from.
    """

    # GopherQualityFilter
    min_words: float | None = 50
    max_words: float | None = 100_000
    min_mean_word_length: float | None = 2
    max_mean_word_length: float | None = 9
    max_symbol_word_ratio: float | None = 0.1
    max_bullet_lines_frac: float | None = 0.9
    max_ellipsis_lines_frac: float | None = 0.3
    min_alpha_word_frac: float | None = 0.787
    min_stop_words: float | None = 2
    min_stopword_ratio: float | None = None
    # FineWebQualityFilter
    min_lines_end_punct: float | None = 0.143
    max_short_line_frac: float | None = None
    max_char_dup_ratio: float | None = 0.1
    max_new_line_ratio: float | None = 0.189
    # GopherRepetitionFilter
    max_dup_line_frac: float | None = 0.304
    max_dup_line_char_frac: float | None = None
    max_top_2gram_frac: float | None = 0.197
    max_top_3gram_frac: float | None = 0.172
    max_top_4gram_frac: float | None = 0.146
    max_dup_5gram_frac: float | None = 0.165
    max_dup_6gram_frac: float | None = 0.153
    max_dup_7gram_frac: float | None = 0.142
    max_dup_8gram_frac: float | None = 0.131
    max_dup_9gram_frac: float | None = 0.12
    max_dup_10gram_frac: float | None = 0.109
    # marsad's own: no FineWeb-2 counterpart
    max_non_arabic_word_frac: float | None = 0.5

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
                raise ValueError(f"quality threshold {f.name} must be a finite number >= 0 or None, not {value!r}")

    @classmethod
    def from_mapping(cls, mapping: Mapping[str, object], *, base: QualityThresholds | None = None) -> QualityThresholds:
        """``base`` (default :data:`FINEWEB2_ARB`) with the values in ``mapping`` replaced.

        A value of ``None`` or ``False`` turns a check off (TOML has no null). Raises ``ValueError``
        naming the key for an unknown key or a value that is not a finite number >= 0.
        """
        names = {f.name for f in fields(cls)}
        unknown = sorted(set(mapping) - names)
        if unknown:
            raise ValueError(f"unknown quality threshold(s): {', '.join(map(str, unknown))}; known: {', '.join(sorted(names))}")
        start = base if base is not None else FINEWEB2_ARB
        values: dict[str, object] = {name: getattr(start, name) for name in names}
        for key, value in mapping.items():
            values[key] = None if value is False else value
        return cls(**values)  # type: ignore[arg-type]  # each value is checked in __post_init__

    def to_dict(self) -> dict[str, float | None]:
        """Field name -> limit (``None`` where the check is off)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


#: FineWeb-2's filter settings for Standard Arabic (arb_Arab), as published:
#: per-language values from ``configs/arb_Arab.yml``, global ones from ``fineweb-2-pipeline.py``
#: (``char_duplicates_ratio=0.1``, ``min_stop_words=2``; short-line and line-character checks off),
#: datatrove's defaults where FineWeb-2 kept them (``min_doc_words=50``, ``max_doc_words=100000``,
#: ``max_symbol_word_ratio=0.1``, bullet 0.9, ellipsis 0.3). One addition of marsad's own,
#: ``max_non_arabic_word_frac=0.5``, stands in for FineWeb-2's GlotLID ``language_score >= 0.711``,
#: which needs a model this module does not have.
FINEWEB2_ARB = QualityThresholds()

# Flag name, then the signal and threshold field of each check, in reporting order.
_CHECKS: tuple[tuple[str, str, str], ...] = (
    ("too_few_words", "words", "min_words"),
    ("too_many_words", "words", "max_words"),
    ("avg_word_length", "mean_word_length", "min_mean_word_length"),
    ("avg_word_length", "mean_word_length", "max_mean_word_length"),
    ("too_many_symbols", "symbol_word_ratio", "max_symbol_word_ratio"),
    ("bullet_lines", "bullet_lines_frac", "max_bullet_lines_frac"),
    ("ellipsis_lines", "ellipsis_lines_frac", "max_ellipsis_lines_frac"),
    ("non_alpha_words", "alpha_word_frac", "min_alpha_word_frac"),
    ("too_few_stop_words", "stop_words", "min_stop_words"),
    ("low_stopword_ratio", "stopword_ratio", "min_stopword_ratio"),
    ("non_arabic_words", "non_arabic_word_frac", "max_non_arabic_word_frac"),
    ("low_punct_lines", "lines_end_punct", "min_lines_end_punct"),
    ("too_many_short_lines", "short_line_frac", "max_short_line_frac"),
    ("dup_chars", "char_dup_ratio", "max_char_dup_ratio"),
    ("list_like", "new_line_ratio", "max_new_line_ratio"),
    ("dup_lines", "dup_line_frac", "max_dup_line_frac"),
    ("dup_line_chars", "dup_line_char_frac", "max_dup_line_char_frac"),
    *(("top_ngram", f"top_{n}gram_frac", f"max_top_{n}gram_frac") for n in _TOP_NS),
    *(("dup_ngrams", f"dup_{n}gram_frac", f"max_dup_{n}gram_frac") for n in _DUP_NS),
)

#: Every flag name :func:`quality_flags` can return.
QUALITY_FLAGS: tuple[str, ...] = tuple(dict.fromkeys(flag for flag, _, _ in _CHECKS))


def quality_flags(signals: Mapping[str, float], thresholds: QualityThresholds = FINEWEB2_ARB) -> list[str]:
    """Names of the thresholds ``signals`` fail, each once, in :data:`QUALITY_FLAGS` order.

    A signal missing from ``signals`` is not checked.
    """
    failed: list[str] = []
    for flag, signal, field_name in _CHECKS:
        limit = getattr(thresholds, field_name)
        value = signals.get(signal)
        if limit is None or value is None or flag in failed:
            continue
        if value < limit if field_name.startswith("min_") else value > limit:
            failed.append(flag)
    return failed
