"""The language of each article's body: :class:`LanguageDetector` and :func:`detect_language`.

Arabic news sites carry Persian, Urdu, Pashto, Kurdish and Jawi pages, and Arabic pages full of
English or French names and quotes. The detector reads the first :data:`SAMPLE_CHARS` characters
of the body and decides in two steps:

1. **Script.** Count the letters that are Arabic-script, Latin and other
   (:func:`marsad.text.script.script_stats`). Fewer than :data:`MIN_LETTERS` letters: no language.
   The script with most letters is the dominant one; an "other" script (Cyrillic, Hebrew, Han ...)
   gives no language, since none of those is read here.
2. **Language within the script.**

   * Arabic script: the letters and words distinctive of Arabic, Persian, Urdu, Pashto, Sorani
     Kurdish and Malay in Jawi decide first (:func:`marsad.text.script.guess_from_stats`). When
     they are decisive (confidence >= :data:`DECISIVE`), or point to a language the model does not
     know (Pashto, Kurdish, Jawi), that is the answer and the model is not run: this is the case for
     nearly every Arabic news body, so the step stays fast. Otherwise lingua, limited to Arabic,
     Persian and Urdu, reads the Arabic-script words, and its confidence is combined with the
     letters' (a product of the two, renormalised).
   * Latin script: lingua, over the Latin-script languages of :data:`LINGUA_LANGUAGES`, reads the
     Latin-script words.

``lang_score`` is the confidence of step 2 times the dominant script's share of the letters: an
Arabic body that is a fifth English quotes scores at most 0.8. When the body gives no language
(empty, or too few letters) the title is read instead, and its score halved.

Codes are ISO 639-1: ar, fa, ur, ps, ku (Kurdish; the detector knows the Sorani, Arabic-script
variety, ISO 639-3 ckb), ms (Malay, in Jawi or Latin script), en, fr, id, tr, es, de.

lingua (``pip install lingua-language-detector``) is loaded once per process, on first use, in
low-accuracy mode (trigram models only), each language's model when a text first needs it: about
0.1 s and 25 MB for all ten languages, against 1.5 s and 250 MB in high-accuracy mode (1- to
5-gram models), with the same results on the benchmark, where lingua decides only the few texts
the letters leave open (docs/bench_language.md has the figures).
"""

from __future__ import annotations

import importlib.util
from functools import cache
from typing import TYPE_CHECKING

from ..article import Article
from ..errors import ConfigError
from ..pipeline import Map
from ..text.script import ScriptStats, guess_from_stats, keep_script, script_stats

if TYPE_CHECKING:
    from lingua import LanguageDetector as LinguaDetector

__all__ = ["LanguageDetector", "detect_language"]

#: Characters of the body read (the first ones: a news body states its language at once).
SAMPLE_CHARS = 2000
#: Fewer letters than this are too little evidence for any language.
MIN_LETTERS = 20
#: Confidence of the letter evidence above which the model is not consulted.
DECISIVE = 0.9
#: Factor on the score of a language read from the title because the body gave none.
TITLE_FACTOR = 0.5

#: The languages lingua is built for: the Arabic-script ones it knows, and the Latin-script ones
#: an Arabic news crawl meets. lingua knows neither Pashto nor Kurdish; its Malay is Latin-script.
LINGUA_LANGUAGES = ("ar", "fa", "ur", "en", "fr", "ms", "id", "tr", "es", "de")
_ARABIC_SCRIPT_MODELLED = ("ar", "fa", "ur")
_LATIN_MODELLED = tuple(code for code in LINGUA_LANGUAGES if code not in _ARABIC_SCRIPT_MODELLED)

#: lingua's low-accuracy mode reads trigrams only; its high-accuracy mode adds uni-, bi-, quadri-
#: and pentagrams, at over ten times the memory and load time, to gain on short texts.
LINGUA_LOW_ACCURACY = True

_INSTALL = "pip install lingua-language-detector"


@cache
def _lingua() -> LinguaDetector:
    """The lingua detector, built once per process on first use (it does not pickle)."""
    try:
        from lingua import IsoCode639_1, Language, LanguageDetectorBuilder
    except ImportError as exc:  # pragma: no cover - the step checks at construction
        raise ConfigError(f"language detection needs lingua: {_INSTALL}") from exc
    languages = [Language.from_iso_code_639_1(IsoCode639_1.from_str(code)) for code in LINGUA_LANGUAGES]
    builder = LanguageDetectorBuilder.from_languages(*languages)
    return (builder.with_low_accuracy_mode() if LINGUA_LOW_ACCURACY else builder).build()


def _lingua_scores(text: str, codes: tuple[str, ...]) -> dict[str, float]:
    """lingua's confidence for each of ``codes``, renormalised over them (empty if it has none)."""
    values = {
        cv.language.iso_code_639_1.name.lower(): cv.value for cv in _lingua().compute_language_confidence_values(text)
    }
    scores = {code: values.get(code, 0.0) for code in codes}
    total = sum(scores.values())
    return {code: value / total for code, value in scores.items()} if total > 0 else {}


def _arabic_script(sample: str, stats: ScriptStats) -> tuple[str | None, float, bool]:
    guess = guess_from_stats(stats)
    if guess is not None and (guess[1] >= DECISIVE or guess[0] not in _ARABIC_SCRIPT_MODELLED):
        return guess[0], guess[1], False
    # lingua may only pick a language whose marks the text shows: its n-gram odds are sure of
    # themselves on short or odd texts (Arabic with clitics split off reads as "fa" to it), while a
    # Persian text with not one Persian letter, shape or word, or Urdu without its letters, is not.
    evidence = stats.evidence()
    candidates = tuple(code for code in _ARABIC_SCRIPT_MODELLED if evidence[code]) or _ARABIC_SCRIPT_MODELLED
    if guess is not None and len(candidates) == 1:
        return guess[0], guess[1], False
    model = _lingua_scores(keep_script(sample, "arabic"), candidates)
    if not model:
        return (guess[0], guess[1], True) if guess else (None, 0.0, True)
    if guess is not None:
        # the letters' verdict as a prior: what they say, the rest shared among the others
        lang, confidence = guess
        rest = (1.0 - confidence) / (len(candidates) - 1)
        model = {code: p * (confidence if code == lang else rest) for code, p in model.items()}
        total = sum(model.values()) or 1.0
        model = {code: p / total for code, p in model.items()}
    best = max(model, key=model.__getitem__)
    return best, model[best], True


def _detect(text: str) -> tuple[str | None, float, bool]:
    """Language, score and whether lingua was consulted (see the module docstring)."""
    sample = text[:SAMPLE_CHARS]
    stats = script_stats(sample)
    if stats.letters < MIN_LETTERS:
        return None, 0.0, False
    if stats.arabic >= stats.latin and stats.arabic >= stats.other:
        lang, confidence, used = _arabic_script(sample, stats)
        share = stats.arabic_share
    elif stats.latin >= stats.other:
        model = _lingua_scores(keep_script(sample, "latin"), _LATIN_MODELLED)
        lang, confidence, used = None, 0.0, True
        if model:
            lang = max(model, key=model.__getitem__)
            confidence = model[lang]
        share = stats.latin_share
    else:
        return None, 0.0, False
    if lang is None:
        return None, 0.0, used
    return lang, round(confidence * share, 4), used


def detect_language(text: str) -> tuple[str | None, float]:
    """The language of ``text`` (ISO 639-1) and a confidence in 0..1; ``(None, 0.0)`` when the
    text is too short (fewer than :data:`MIN_LETTERS` letters) or in a script read here by no model.

    >>> detect_language("أعلنت وزارة الصحة في بيان صدر مساء الثلاثاء عن تسجيل انخفاض في عدد الإصابات.")[0]
    'ar'
    """
    lang, score, _ = _detect(text)
    return lang, score


class LanguageDetector(Map):
    """Sets ``article.lang`` and ``article.lang_score`` from the body (the title if it has none).

    Counts ``lang:<code>`` per language (``lang:none`` when none), ``from_title`` and ``lingua``
    (articles the model had to read). Holds no model: lingua is loaded once per process, on the
    first article that needs it, so the step pickles before and after use.
    """

    name = "language"

    def __init__(self) -> None:
        super().__init__()
        if importlib.util.find_spec("lingua") is None:
            raise ConfigError(f"the language step needs lingua: {_INSTALL}")

    def process(self, article: Article) -> Article:
        lang, score, used = _detect(article.text)
        if lang is None and article.title:
            # no body to speak of: the title (with what body there is) says less, so it scores less
            lang, score, used_title = _detect(f"{article.title}\n{article.text}")
            used = used or used_title
            if lang is not None:
                score = round(score * TITLE_FACTOR, 4)
                self.stats["from_title"] += 1
        if used:
            self.stats["lingua"] += 1
        article.lang = lang
        article.lang_score = score
        self.stats[f"lang:{lang or 'none'}"] += 1
        return article
