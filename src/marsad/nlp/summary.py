"""Extractive summary: one to three sentences of the article, verbatim, in article order.

How sentences are chosen, and why:

* News puts the gist first, and summarisation research keeps finding the lead hard to beat
  (Lead-3 is the baseline every CNN/DailyMail paper reports). So each sentence gets a strong
  lead prior, and centrality (LexRank-style similarity of its stemmed content words to the
  rest of the article) and headline overlap decide among the lead candidates and lift a later
  sentence only when it is clearly more central.
* Some lines are never a summary: bylines, datelines alone, photo captions, "read also" links
  and the short unpunctuated headlines of related stories that crawled pages keep in the body.
* A wire dateline opening the lead (``دبي، الإمارات العربية المتحدة (CNN)-- ``) is left out: the
  sentence after it is still verbatim text of the article.

:func:`split_sentences` is the Arabic sentence splitter the quotation finder uses too: it splits
at . ؟ ? ! ؛ … and newlines, not at decimal points and numeric dates (``3.5``, ``3.3.2023``),
abbreviations and initials (``د.``, ``أ.د.``, ``J.``) or terminators inside a quotation that
closes on the same line.
"""

from __future__ import annotations

import math
import re
from functools import cache, lru_cache

from marsad.text.analysis import stem
from marsad.text.arabic import normalize
from marsad.text.quality import arabic_stop_words

__all__ = ["split_sentences", "sentences", "summarize"]

_TERMINATORS = ".؟?!؛…"
# A terminator run, then any closing quotes or brackets that belong to the sentence it ends.
_END_RE = re.compile(r"[.؟?!؛…]+[»”\"’')\]]*")
# Words before a dot that make it an abbreviation, not a sentence end: Arabic titles and
# initials (د. for doctor, م. for engineer, أ. for professor, ص./ق./هـ. in dates and pages) and
# common Latin ones. Any single letter before a dot is an initial too.
_ABBREVIATIONS = frozenset(
    {"د", "أ", "م", "ج", "ص", "ق", "هـ", "ه", "ت", "ش", "س", "ع", "ك", "ب", "إ", "ط", "خ", "ن", "ص.ب",
     "Dr", "Mr", "Mrs", "Ms", "Prof", "St", "Jr", "Sr", "No", "vs", "etc", "Inc", "Co", "Ltd", "U.S"}
)
# How far a quotation may run on one line and still hold its terminators inside it.
_MAX_QUOTE = 600


# A quotation or bracket that closes on the same line, within _MAX_QUOTE characters.
_PROTECTED_RE = re.compile(
    r"«[^»\n]{0,%d}»|[“”„][^“”\n]{0,%d}[“”]|\"[^\"\n]{0,%d}\"|\([^()\n]{0,%d}\)" % ((_MAX_QUOTE,) * 4)
)


def _protected(line: str) -> list[tuple[int, int]]:
    """Spans of ``line`` inside quotation marks or brackets that close on the same line."""
    return [m.span() for m in _PROTECTED_RE.finditer(line)]


def _is_abbreviation(line: str, dot: int) -> bool:
    """True when the dot at ``line[dot]`` closes an abbreviation or initial, or sits in a number."""
    if dot + 1 < len(line) and line[dot + 1].isdigit() and dot > 0 and line[dot - 1].isdigit():
        return True  # 3.5, 3.3.2023 (normally caught by the space rule; kept for "3.5" at line end)
    start = dot
    while start > 0 and not line[start - 1].isspace() and line[start - 1] not in "(«\"“":
        start -= 1
    word = line[start:dot]
    if not word:
        return False
    if len(word) == 1 and word.isalpha():
        return True
    # "أ.د" (professor doctor), "U.S": dotted initials
    if "." in word and all(len(part) <= 2 for part in word.split(".")):
        return True
    return word in _ABBREVIATIONS


def _split_line(line: str, offset: int, out: list[tuple[int, int]]) -> None:
    if not _END_RE.search(line):
        _emit(line, offset, 0, len(line), out)
        return
    protected = _protected(line)
    start = 0
    for match in _END_RE.finditer(line):
        end = match.end()
        if end < len(line) and not line[end].isspace():
            continue  # "3.5", "2.0", "CNN.com": a terminator inside a token ends nothing
        if protected and any(a < match.start() < b for a, b in protected):
            continue
        if match.group()[0] == "." and len(match.group().rstrip("»”\"’')]")) == 1 \
                and _is_abbreviation(line, match.start()):
            continue
        _emit(line, offset, start, end, out)
        start = end
    _emit(line, offset, start, len(line), out)


def _emit(line: str, offset: int, start: int, end: int, out: list[tuple[int, int]]) -> None:
    while start < end and line[start].isspace():
        start += 1
    while end > start and line[end - 1].isspace():
        end -= 1
    if start < end:
        out.append((offset + start, offset + end))


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans of ``text`` as (start, end) offsets, end exclusive, whitespace trimmed."""
    return list(_split_cached(text))


@lru_cache(maxsize=4)
def _split_cached(text: str) -> tuple[tuple[int, int], ...]:
    # Summary and quotations split the same article one after the other: split it once.
    out: list[tuple[int, int]] = []
    offset = 0
    for line in text.split("\n"):
        _split_line(line, offset, out)
        offset += len(line) + 1
    return tuple(out)


def sentences(text: str) -> list[str]:
    """The sentences of ``text``, verbatim."""
    return [text[a:b] for a, b in split_sentences(text)]


# Lines that are never a summary sentence.
_JUNK_RE = re.compile(
    r"^\W*(?:(?:اقرأ|إقرأ|اقرا|إقرا|طالع|شاهد|اطلع|تابع|للمزيد|لمزيد|المزيد)\s*(?:أيضا|أيضاً|ايضا|ايضاً|المزيد|:)"
    r"|(?:مواضيع|أخبار|اخبار|موضوعات)\s+(?:ذات صلة|متعلقة|مرتبطة)"
    r"|(?:صورة|الصورة|مصدر الصورة|حقوق الصورة|التعليق على الصورة|بالفيديو|بالصور|Getty|AFP|Reuters|EPA)\b"
    r"|(?:بقلم|كتب|كتبت|تحرير|إعداد|اعداد|تصوير|المصدر|شارك)\s*[:：\-–]"
    r"|(?:بقلم)\b)",
)
# A wire dateline that opens a lead: "القاهرة - ", "دبي، الإمارات العربية المتحدة (CNN)-- ",
# "واشنطن (رويترز) - ". Up to six words before the dash, so a clause with a dash survives.
_DATELINE_RE = re.compile(
    r"^(?:[^\s.؟!،,]+[،,]?\s+){0,5}?[^\s.؟!،,]*\s*(?:\([^()\n]{1,30}\))?\s*[-–—]+\s*"
)
_WORD_RE = re.compile(r"[^\W\d_]+")


@cache
def _stops() -> frozenset[str]:
    return arabic_stop_words()


# normalised word -> its stem, or "" for a stop word; one dict lookup per word on the hot path
_STEMS: dict[str, str] = {}


def _stem_or_stop(word: str) -> str:
    if len(_STEMS) > 300_000:
        _STEMS.clear()
    _STEMS[word] = value = "" if len(word) < 2 or word in _stops() else stem(word)
    return value


def _content_stems(sentence: str) -> list[str]:
    known = _STEMS
    return [s for w in _WORD_RE.findall(normalize(sentence)) if (s := known.get(w)) or
            (s is None and (s := _stem_or_stop(w)))]


def _usable(sentence: str, n_words: int) -> bool:
    if n_words < 6 or _JUNK_RE.search(sentence):
        return False
    # Related-story headlines sit in crawled bodies as short lines without final punctuation.
    return not (n_words < 16 and sentence[-1] not in _TERMINATORS + "»”\"')")


def _trim_dateline(text: str, start: int, end: int) -> int:
    """Start of the sentence ``text[start:end]`` once an opening wire dateline is left out."""
    match = _DATELINE_RE.match(text, start, end)
    if match and (match.group().count("(") or len(match.group().split()) <= 4):
        rest = text[match.end():end]
        if len(rest.split()) >= 6:
            return match.end()
    return start


def _cut(sentence: str, max_chars: int) -> str:
    """``sentence`` cut at the last word boundary that fits ``max_chars`` with an ellipsis."""
    if len(sentence) <= max_chars:
        return sentence
    room = max(max_chars - 1, 1)
    cut = sentence[:room]
    space = cut.rfind(" ")
    if space > 0 and not sentence[room].isspace():
        cut = cut[:space]
    return cut.rstrip(" ،,؛;:-–—") + "…"


def summarize(text: str, *, title: str | None = None, max_sentences: int = 3, max_chars: int = 600) -> str:
    """One to ``max_sentences`` sentences of ``text`` that best summarise it, verbatim, in order.

    Their total length stays within ``max_chars``; one sentence longer than that on its own is cut
    at a word boundary and ends with "…". Empty text (or text with no usable sentence) gives "".
    """
    if max_sentences < 1 or max_chars < 2:
        return ""
    spans = split_sentences(text)
    candidates: list[tuple[int, int, list[str]]] = []
    for start, end in spans[:40]:  # centrality past the 40th sentence never beats the lead
        sentence = text[start:end]
        if not _usable(sentence, sentence.count(" ") + 1):
            continue
        if not candidates:
            start = _trim_dateline(text, start, end)
        candidates.append((start, end, _content_stems(text[start:end])))
    if not candidates:
        for start, end in spans:  # a short text: its first line that has words is the summary
            if _WORD_RE.search(text, start, end):
                return _cut(text[start:end], max_chars)
        return ""

    # Centrality: each sentence's similarity to the whole article (a centroid, as in MEAD and
    # one LexRank iteration), over stems, with log length in the denominator as TextRank does.
    doc: dict[str, int] = {}
    for _, _, words in candidates:
        for w in set(words):
            doc[w] = doc.get(w, 0) + 1
    title_words = set(_content_stems(title)) if title else set()
    scores = []
    for index, (_, _, words) in enumerate(candidates):
        unique = set(words)
        if unique:
            shared = sum(doc[w] - 1 for w in unique)  # how many other sentences share each word
            centrality = shared / (len(candidates) * (1.0 + math.log(1 + len(unique))))
        else:
            centrality = 0.0
        headline = len(unique & title_words) / (len(title_words) or 1)
        lead = 1.0 / (1.0 + index) ** 0.7
        scores.append(2.0 * lead + centrality + 0.5 * headline)

    ranked = sorted(range(len(candidates)), key=lambda i: (-scores[i], i))
    chosen: list[int] = []
    used = 0
    for index in ranked:
        start, end, _ = candidates[index]
        length = end - start + (1 if chosen else 0)
        if used + length > max_chars:
            if not chosen and index == ranked[0]:
                return _cut(text[start:end], max_chars)
            continue
        chosen.append(index)
        used += length
        if len(chosen) == max_sentences:
            break
    chosen.sort()
    return " ".join(text[candidates[i][0]:candidates[i][1]] for i in chosen)
