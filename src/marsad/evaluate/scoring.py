"""How ``marsad eval extraction`` scores one extraction against one gold page.

Main text, in the way of the suite the gold comes from:

* **snippets** (trafilatura's evaluation): a ``with`` snippet found in the text (white space
  squeezed) is a true positive, one missed a false negative; a ``without`` snippet found is a false
  positive. Totals are micro: counts summed over all pages, then precision, recall and F1.
* **body** (the Zyte benchmark's ``evaluate.py``, re-implemented): the gold body and the text become
  4-gram shingles of ``\\w+`` tokens (a text of fewer tokens is one shingle of all of them); shared
  shingles (with multiplicity) are true positives, extra ones false positives, missing ones false
  negatives, the three normalised to sum 1 so a long article weighs no more than a short one.
  Precision is the mean over pages with ``tp + fp > 0``, recall the mean over pages with
  ``tp + fn > 0``, and F1 is computed from those two means.

A page's own precision and recall follow the benchmark's conventions in both forms: nothing wrong
(``fp == fn == 0``) is 1; nothing right on that side (``tp == fp == 0`` for precision,
``tp == fn == 0`` for recall) is 0. The page F1 comes from those two.

Metadata is scored only where the gold has a value (a page without a gold date says nothing about
a date), the same rule for every system, after :func:`fold` (Unicode NFKC, case, Latin accents,
Arabic letter variants, harakat and digits through :func:`marsad.normalize`, punctuation as space,
white space squeezed):

* title: equal;
* author: the answer names every gold author (each as a run of whole words), with at most two other
  words or as many as the names have (a byline with a role or a second credit is right; "View all
  posts by NAME" or a sentence that contains the name is not). The gold authors are its list, or its
  string cut at ``;`` ``,`` ``&`` ``|`` ``/`` ``،`` and the words for "and"; a byline word that opens
  a name or the answer (by, von, بقلم ...) is not counted;
* date: the same ISO day.
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence

from ..text.arabic import normalize

__all__ = [
    "body_totals",
    "f1_of",
    "fold",
    "gold_authors",
    "names_authors",
    "page_f1",
    "page_precision",
    "page_recall",
    "micro_totals",
    "same_day",
    "same_title",
    "shingle_counts",
    "snippet_counts",
    "squash",
]

SHINGLE = 4

_TOKEN = re.compile(r"\w+")
_PUNCT = re.compile(r"[^\w\s]|_")
# "and" between names, in the suites' languages and Arabic (و as a word of its own only).
_AUTHOR_SPLIT = re.compile(r"\s*(?:[;,&|/،؛]|\s(?:and|und|et|y|e|en|i|و)\s)\s*", re.IGNORECASE)
# Byline words a name may open with; they name no one.
_BYLINE_WORDS = frozenset("by von par por di da door przez av af بقلم كتب كتبت اعداد".split())
# An answer may add this many words to the gold names (a role, a place, "Redaktion"), or as many as
# the names have, and still name them; more, and it is a sentence that mentions them.
_SLACK = 2


def squash(text: str) -> str:
    return " ".join(text.split())


def snippet_counts(text: str, with_: Iterable[str], without: Iterable[str]) -> tuple[list[str], list[str], list[str], list[str]]:
    """The ``with`` snippets found and missed, and the ``without`` snippets leaked and kept out."""
    haystack = squash(text)
    found: list[str] = []
    missed: list[str] = []
    leaked: list[str] = []
    kept_out: list[str] = []
    for snippet in with_:
        (found if squash(snippet) in haystack else missed).append(snippet)
    for snippet in without:
        (leaked if squash(snippet) in haystack else kept_out).append(snippet)
    return found, missed, leaked, kept_out


def _shingles(text: str, n: int) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text or "")
    if not tokens:
        return Counter()
    return Counter(tuple(tokens[i:i + n]) for i in range(max(1, len(tokens) - n + 1)))


def shingle_counts(true: str, pred: str, n: int = SHINGLE) -> tuple[float, float, float]:
    """``(tp, fp, fn)`` over the shingles of the gold body and the prediction, summing to 1 (or all 0)."""
    gold, got = _shingles(true, n), _shingles(pred, n)
    tp = float(sum((gold & got).values()))
    fp = float(sum((got - gold).values()))
    fn = float(sum((gold - got).values()))
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def page_precision(tp: float, fp: float, fn: float) -> float:
    if fp == 0 and fn == 0:
        return 1.0
    if tp == 0 and fp == 0:
        return 0.0
    return tp / (tp + fp)


def page_recall(tp: float, fp: float, fn: float) -> float:
    if fp == 0 and fn == 0:
        return 1.0
    if tp == 0 and fn == 0:
        return 0.0
    return tp / (tp + fn)


def f1_of(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def page_f1(tp: float, fp: float, fn: float) -> float:
    return f1_of(page_precision(tp, fp, fn), page_recall(tp, fp, fn))


def body_totals(counts: Sequence[tuple[float, float, float]]) -> tuple[float, float, float]:
    """Precision, recall and F1 of a body-form suite from each page's ``(tp, fp, fn)``."""
    precisions = [page_precision(tp, fp, fn) for tp, fp, fn in counts if tp + fp > 0]
    recalls = [page_recall(tp, fp, fn) for tp, fp, fn in counts if tp + fn > 0]
    precision = statistics.fmean(precisions) if precisions else 0.0
    recall = statistics.fmean(recalls) if recalls else 0.0
    return precision, recall, f1_of(precision, recall)


def micro_totals(tp: float, fp: float, fn: float) -> tuple[float, float, float]:
    """Precision, recall and F1 of a snippet-form suite from its summed counts."""
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return precision, recall, f1_of(precision, recall)


# ---------------------------------------------------------------- metadata


def fold(text: str) -> str:
    """``text`` for comparing metadata: NFKC, case, Arabic variants, punctuation and spacing folded."""
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
    # Latin accents go as Arabic harakat do (normalize): a name typed without them is the same name.
    text = normalize("".join(c for c in text if not unicodedata.combining(c)))
    return unicodedata.normalize("NFC", " ".join(_PUNCT.sub(" ", text).split()))


def same_title(found: str | None, gold: str) -> bool:
    return bool(found) and fold(found or "") == fold(gold)


def gold_authors(gold: str | Sequence[str]) -> list[list[str]]:
    """The gold's author names, each as its folded words (byline words that open a name dropped)."""
    names = [gold] if isinstance(gold, str) else list(gold)
    parts = [part for name in names for part in _AUTHOR_SPLIT.split(name)] if isinstance(gold, str) else names
    out = []
    for part in parts:
        words = fold(part).split()
        while words and words[0] in _BYLINE_WORDS:
            words = words[1:]
        if words:
            out.append(words)
    return out


def _contains(words: list[str], run: list[str]) -> bool:
    n = len(run)
    return any(words[i:i + n] == run for i in range(len(words) - n + 1))


def names_authors(found: str | None, gold: str | Sequence[str]) -> bool:
    """Whether the answer names every gold author, with few other words."""
    names = gold_authors(gold)
    if not found or not names:
        return False
    words = fold(found).split()
    if words and words[0] in _BYLINE_WORDS:
        words = words[1:]
    gold_words = sum(len(name) for name in names)
    if len(words) - gold_words > max(_SLACK, gold_words):
        return False
    return all(_contains(words, name) for name in names)


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def same_day(found: str | None, gold: str) -> bool:
    """Whether the answer (``YYYY-MM-DD...``) is the gold's day."""
    if not found:
        return False
    got = _ISO_DAY.match(found.strip())
    want = _ISO_DAY.match(gold.strip())
    if got and want:
        return got.group() == want.group()
    return found.strip() == gold.strip()
