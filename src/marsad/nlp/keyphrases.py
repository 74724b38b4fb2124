"""Key phrases: the five to ten phrases of one to three words that best describe an article.

The approach is the unsupervised one of RAKE and YAKE, fitted to Arabic:

* **Candidates** are runs of content words between stop words, punctuation, numbers and line
  breaks; a phrase is any one to three consecutive words of a run, so it never has a stop word at
  either edge (nor inside). A word with a conjunction or preposition attached to its article
  (والتعاون، بالمغرب، للحكومة) opens a new run: in Arabic that clitic joins two phrases
  (الأمن والتنمية is two ideas). Tagged entities of one to three words are candidates too.
* **Variants merge**: a word's key is its :func:`marsad.normalize` form with teh marbuta folded
  and attached clitics and article taken off, so الحكومة، والحكومة، للحكومة، حكومة are one word.
  A phrase is shown in its most frequent written form, without an attached و/ف/ب/ل/ك (للحكومة
  shows as الحكومة) and without diacritics.
* **Score**: frequency times the mean IDF of its words (document frequencies from the ANT corpus,
  ``models/keyphrases/``), lifted by an early first mention, by spread over the article, by words
  of the headline and by being a tagged entity. A single word mostly seen inside a frequent longer
  phrase (الولايات in الولايات المتحدة) gives way to it; a phrase that contains or is contained
  in one already chosen is skipped.
"""

from __future__ import annotations

import gzip
import math
import re
from collections import Counter
from collections.abc import Sequence
from functools import cache
from importlib import resources

from marsad.article import Entity
from marsad.text.analysis import strip_clitics
from marsad.text.arabic import normalize, strip_diacritics, strip_tatweel
from marsad.text.quality import arabic_stop_words

__all__ = ["keyphrases", "word_key"]

# Anything that is not a word character, a space or an Arabic mark ends a run; so does a newline.
_BREAK_RE = re.compile(r"[^\w \t\u00a0\u0640\u064B-\u065F\u0670]+")
# News words that describe no article: reporting verbs, time words, generic nouns of the genre.
_EXTRA_STOPS = frozenset(normalize(w) for w in (
    "قال قالت وقال وقالت يقول تقول أضاف أضافت وأضاف وأضافت أكد أكدت وأكد وأكدت أوضح أوضحت وأوضح "
    "وأوضحت أشار أشارت وأشار وأشارت ذكر ذكرت وذكر وذكرت مضيفا مؤكدا مشيرا موضحا صرح وصرح تابع وتابع "
    "يذكر ويذكر الجاري العام الماضي المقبل الحالي الأسبوع الشهر السنة سنة الساعة الساعات اليوم أمس "
    "الأحد الإثنين الاثنين الثلاثاء الأربعاء الخميس الجمعة السبت يوم أيام شهر أشهر عاما أعوام "
    "وفق وفقا بحسب حسب نحو حوالي أكثر أقل أكبر أبرز عدد عددا بعض كافة جميع خلال منذ إطار إطارها "
    "وكان وكانت كانت يكون تكون أيضا كما حيث بينما إذ بشأن حول بعدما عقب لدى أمام جانب جهة "
    "الذي التي الذين ذلك هذه هذا تلك هناك قد لقد كل وهو وهي يمكن يجب ضمن مدى مساء صباح "
    "دائما دائماً مجددا حاليا سابقا لاحقا مؤخرا جدا فقط أبدا رسميا تقريبا خاصة عادة بالفعل "
    "cnn bbc afp the of and in to a for on".split()))
# Content words that the general stop list counts as stop words.
_NOT_STOPS = frozenset(normalize(w) for w in "زيارة قوة حبيب دولار دينار ريال يورو جنيه".split())
# Clitic + article at the start of a written word, and what it shows as: والحكومة → الحكومة.
_DISPLAY_PREFIXES = (("وبال", "ال"), ("فبال", "ال"), ("ولل", "ال"), ("فلل", "ال"), ("وال", "ال"),
                     ("فال", "ال"), ("بال", "ال"), ("كال", "ال"), ("لل", "ال"))
_MAX_WORDS = 3
_LENGTH_LIFT = (0.0, 1.0, 2 ** 0.5, 3 ** 0.5)  # longer phrases say more: sqrt of the word count


def word_key(norm: str) -> str:
    """The key of one normalised word: teh marbuta folded, clitics and article off."""
    if not norm[:1].isalpha() or norm.isascii():
        return norm.lower()
    return strip_clitics(norm.replace("ة", "ه"))


@cache
def _stops() -> frozenset[str]:
    return (arabic_stop_words() | _EXTRA_STOPS) - _NOT_STOPS


# word as written -> (key, shown form, opens a new run); "" key for a stop word or number
_WORDS: dict[str, tuple[str, str, bool]] = {}


def _word(surface: str) -> tuple[str, str, bool]:
    info = _WORDS.get(surface)
    if info is not None:
        return info
    if len(_WORDS) > 300_000:
        _WORDS.clear()
    norm = normalize(surface)
    stops = _stops()
    shown = strip_tatweel(strip_diacritics(surface))
    if (len(norm) < 2 or not norm[0].isalpha() or any(c.isdigit() for c in norm) or norm in stops
            or (norm[0] in "وفبلك" and norm[1:] in stops) or norm.lower() in stops):
        info = ("", shown, True)
    else:
        opens = False
        for prefix, replacement in _DISPLAY_PREFIXES:
            if normalize(shown[: len(prefix)]) == prefix and len(shown) - len(prefix) >= 2:
                shown = replacement + shown[len(prefix):]
                opens = True
                break
        else:
            clitic = _document_frequencies()[2]
            for _ in range(2):  # وبجهود → بجهود → جهود
                if normalize(shown) in clitic:
                    shown, opens = shown[1:], True
        info = (word_key(norm), shown, opens)
    _WORDS[surface] = info
    return info


@cache
def _document_frequencies() -> tuple[int, dict[str, int], frozenset[str]]:
    """(number of documents, document frequency by word key, written words whose first letter
    is a clitic), from the packaged ANT table (``bench/build_keyphrase_idf.py``)."""
    path = resources.files("marsad") / "models" / "keyphrases" / "df.tsv.gz"
    try:
        raw = gzip.decompress(path.read_bytes()).decode("utf-8")
    except FileNotFoundError:
        return 1, {}, frozenset()
    lines = raw.split("\n")
    docs = int(lines[0].split("\t")[1])
    table: dict[str, int] = {}
    clitic = []
    for line in lines[1:]:
        if line.startswith("+"):
            clitic.append(line[1:])
            continue
        key, _, count = line.partition("\t")
        if count:
            table[key] = int(count)
    return docs, table, frozenset(clitic)


def keyphrases(text: str, *, title: str | None = None, limit: int = 10,
               entities: Sequence[Entity] = ()) -> list[str]:
    """Up to ``limit`` key phrases of ``text``, best first, in a readable written form.

    Fewer for a short text, none for an empty one. ``title`` (the headline) lifts the phrases it
    shares; ``entities`` tagged over ``text`` are candidates and lifted too.
    """
    if limit <= 0 or not text or not text.strip():
        return []
    # Tokens with "|" where a run breaks; a word with a clitic on its article breaks the run too.
    surfaces = _BREAK_RE.sub(" | ", text.replace("_", " ")).split()
    known = _WORDS
    infos = [known.get(w) or _word(w) for w in surfaces]
    keys = [info[0] for info in infos]
    # a word's key when it continues the run of the word before it, else ""
    cont = [info[0] if not info[2] else "" for info in infos]
    total = max(len(keys), 1)
    grams: list[list[tuple[str, ...]]] = [
        [(k,) for k in keys],
        list(zip(keys, cont[1:], strict=False)),
        list(zip(keys, cont[1:], cont[2:], strict=False)),
    ]
    # Counting and positions by C-level builtins where possible: this is the hot path.
    counted = [Counter(sequence) for sequence in grams]
    repeated_grams = {g for counts in counted for g, c in counts.items() if c >= 2 and "" not in g}
    short = len(repeated_grams) < 2 * limit  # a short text: phrases seen once fill the list
    stats: dict[tuple[str, ...], tuple[int, int, int]] = {}
    occurrences: list[list[tuple[tuple[str, ...], int]]] = []
    for sequence, counts in zip(grams, counted, strict=True):
        wanted = counts.keys() if short else repeated_grams
        found = [(g, i) for i, g in enumerate(sequence) if g in wanted]
        occurrences.append(found)
        last_at = dict(found)
        first_at = dict(reversed(found))
        for gram, end in last_at.items():
            if "" not in gram:
                stats[gram] = (counts[gram], first_at[gram], end)
    if not stats and not entities:
        return []

    docs, table, _ = _document_frequencies()
    idf_cache: dict[str, float] = {}

    def idf(key: str) -> float:
        value = idf_cache.get(key)
        if value is None:
            value = idf_cache[key] = math.log((docs + 1) / (table.get(key, 1) + 0.5))
        return value

    title_keys = {k for k in (_word(w)[0] for w in _BREAK_RE.sub(" ", title or "").split()) if k}
    entity_phrases: dict[tuple[str, ...], tuple[int, str]] = {}
    entity_first: dict[tuple[str, ...], int] = {}
    for entity in entities:
        phrase = tuple(k for k in (_word(w)[0] for w in entity.canonical.split()) if k)
        if 0 < len(phrase) <= _MAX_WORDS and len(set(phrase)) == len(phrase):
            count, _ = entity_phrases.get(phrase, (0, ""))
            entity_phrases[phrase] = (count + 1, entity.canonical)
            entity_first.setdefault(phrase, int(entity.start / max(len(text), 1) * total))

    # how often each single word occurs inside a repeated longer phrase
    absorbed: dict[str, int] = {}
    repeated = list(stats.items())
    for phrase, (count, _, _) in repeated:
        if len(phrase) > 1:
            for key in phrase:
                if count > absorbed.get(key, 0):
                    absorbed[key] = count
    repeated += [(p, (0, entity_first[p], entity_first[p])) for p in entity_phrases if p not in stats]

    scored: list[tuple[float, tuple[str, ...]]] = []
    log = math.log
    for phrase, (seen, first, last) in repeated:
        n = len(phrase)
        if n > 1 and (phrase[0] == phrase[1] or phrase[0] == phrase[-1]):
            continue  # "كرة كرة": a repeated word, not a phrase
        entity_count = entity_phrases[phrase][0] if entity_phrases and phrase in entity_phrases else 0
        count = seen if seen > entity_count else entity_count
        in_title = sum(1 for k in phrase if k in title_keys) / n if title_keys else 0.0
        if in_title == 1 and n > 1:
            count += 1  # the headline is one more mention of the whole phrase
        weight = sum(map(idf, phrase)) / n
        score = ((1 + log(count)) * count ** 0.5 * weight * _LENGTH_LIFT[n]
                 * (1 + 0.6 / (1 + 8 * first / total))  # first mention early in the article
                 * (1 + 0.4 * (last - first) / total)  # spread over the article
                 * (1 + 0.8 * in_title))
        if entity_count:
            score *= 2.0  # a tagged name is a term by construction
        elif count < 2:
            score *= 0.3  # seen once: a chance sequence more often than a term
        if n == 1 and phrase[0] in absorbed:
            score *= 1 - 0.8 * min(absorbed[phrase[0]] / count, 1.0)
        scored.append((score, phrase))
    scored.sort(key=lambda item: (-item[0], item[1]))

    chosen: list[tuple[str, ...]] = []
    for _, phrase in scored:
        words = set(phrase)
        if any(words <= set(c) or set(c) <= words for c in chosen):
            continue
        chosen.append(phrase)
        if len(chosen) == limit:
            break
    chosen_set = set(chosen)
    where: dict[tuple[str, ...], list[int]] = {}
    for found in occurrences:
        for g, i in found:
            if g in chosen_set:
                where.setdefault(g, []).append(i)
    shown = [_shown(phrase, where.get(phrase, []), surfaces, entity_phrases) for phrase in chosen]
    out: list[str] = []
    for phrase_text in shown:  # two keys can show alike (حكومة / الحكومة): keep one
        if phrase_text and phrase_text not in out:
            out.append(phrase_text)
    return out


def _shown(phrase: tuple[str, ...], at: list[int], surfaces: list[str],
           entity_phrases: dict[tuple[str, ...], tuple[int, str]]) -> str:
    """The most frequent written form of ``phrase`` among its occurrences, clitics off."""
    forms: dict[str, int] = {}
    for start in at:
        words = [_word(surfaces[start])[1]]
        words += [strip_tatweel(strip_diacritics(w)) for w in surfaces[start + 1:start + len(phrase)]]
        form = " ".join(words)
        forms[form] = forms.get(form, 0) + 1
    if not forms:
        return entity_phrases.get(phrase, (0, ""))[1]
    # و/ف/ب/ل/ك left on a word (ومصر، لمصر) when the bare form also occurs: count it as the bare form
    for form in list(forms):
        if form[:1] in "وفبلك" and form[1:] in forms:
            forms[form[1:]] += forms.pop(form)
    return min(forms, key=lambda f: (-forms[f], len(f)))
