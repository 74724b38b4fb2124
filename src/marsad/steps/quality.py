"""Quality: annotate each article with its quality signals and flags, and drop by rules.

:class:`QualityAnnotator` measures the body (:func:`marsad.text.quality.quality_signals`) and
records the thresholds it fails; it never drops. :class:`FlagFilter` is where a user decides what
to drop, from rules such as ``["low_quality", "lang!=ar", "near_duplicate"]``.

Thresholds default to FineWeb-2's Arabic settings (:data:`~marsad.text.quality.FINEWEB2_ARB`);
:func:`load_thresholds` reads overrides from a TOML or JSON file of ``name = value`` pairs::

    # quality.toml
    min_words = 30
    min_alpha_word_frac = false   # turn the check off
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path

from ..article import Article
from ..errors import ConfigError
from ..pipeline import Filter, Map
from ..text.quality import FINEWEB2_ARB, QUALITY_FLAGS, QualityThresholds, quality_flags, quality_signals

__all__ = ["FlagFilter", "QualityAnnotator", "load_thresholds", "thresholds_from"]

#: What :class:`QualityAnnotator` accepts as thresholds: the dataclass, a mapping of overrides to
#: the preset, a TOML/JSON file, or ``None`` for the preset itself.
ThresholdsLike = QualityThresholds | Mapping[str, object] | str | os.PathLike[str] | None


def load_thresholds(path: str | os.PathLike[str], *, base: QualityThresholds = FINEWEB2_ARB) -> QualityThresholds:
    """``base`` with the overrides in a ``.toml`` or ``.json`` file; a ``[quality]`` table is read if present.

    Raises :class:`ConfigError` for a missing or malformed file, an unknown key or a bad value.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".toml", ".json"):
        raise ConfigError(f"{path}: quality thresholds must be a .toml or .json file")
    try:
        raw = path.read_bytes()
        data = tomllib.loads(raw.decode("utf-8")) if suffix == ".toml" else json.loads(raw)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read quality thresholds: {exc.strerror or exc}") from exc
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, json.JSONDecodeError) as exc:
        raise ConfigError(f"{path}: not valid {suffix[1:].upper()}: {exc}") from exc
    if isinstance(data, dict) and isinstance(data.get("quality"), dict) and len(data) == 1:
        data = data["quality"]
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: quality thresholds must be a table of name = value pairs")
    return thresholds_from(data, base=base, where=str(path))


def thresholds_from(value: ThresholdsLike, *, base: QualityThresholds = FINEWEB2_ARB, where: str = "") -> QualityThresholds:
    """Thresholds from a :class:`QualityThresholds`, a mapping of overrides to ``base``, a file path,
    or ``None`` (``base`` itself).

    Raises :class:`ConfigError` (where ``QualityThresholds.from_mapping`` raises ``ValueError``,
    ``text/`` knowing nothing of marsad's errors) for unknown keys and bad values.
    """
    if value is None:
        return base
    if isinstance(value, QualityThresholds):
        return value
    if isinstance(value, str | os.PathLike):
        return load_thresholds(value, base=base)
    if isinstance(value, Mapping):
        try:
            return QualityThresholds.from_mapping(value, base=base)
        except ValueError as exc:
            raise ConfigError(f"{where}: {exc}" if where else str(exc)) from exc
    raise ConfigError(f"quality thresholds must be QualityThresholds, a mapping or a file path, not {type(value).__name__}")


class QualityAnnotator(Map):
    """Sets ``article.quality`` (the signals of the body) and ``article.quality_flags`` (what it fails).

    Counts each flag as ``stats["flag:<name>"]`` and articles with any flag as ``stats["flagged"]``.
    """

    name = "quality"

    def __init__(self, *, thresholds: ThresholdsLike = FINEWEB2_ARB) -> None:
        super().__init__()
        self.thresholds = thresholds_from(thresholds)

    def process(self, article: Article) -> Article:
        signals = quality_signals(article.text)
        flags = quality_flags(signals, self.thresholds)
        article.quality = signals
        article.quality_flags = flags
        if flags:
            self.stats["flagged"] += 1
            for flag in flags:
                self.stats[f"flag:{flag}"] += 1
        return article


# The values Article.duplicate_of takes; each is also a rule dropping just that kind of copy.
_DUPLICATE_KINDS = ("same_url", "same_text", "near_duplicate")
_LANG_RULE = re.compile(r"lang\s*(!=|=)\s*(\S*)")
_LANG_CODE = re.compile(r"[a-z]{2,3}")


class FlagFilter(Filter):
    """Drops articles by rules, checked in order; the first rule that matches names the reason.

    ==================  =============================================  ============================
    rule                drops an article ...                           reason
    ==================  =============================================  ============================
    ``low_quality``     with any quality flag                          ``low_quality``
    a flag name         with that flag (``too_few_words``, ...)        the flag name
    ``lang!=ar``        whose language is not ``ar`` (or unknown)      ``not_ar``
    ``lang=en``         whose language is ``en``                       ``lang_en``
    ``duplicate``       that is a copy of another (``duplicate_of``)   ``duplicate``
    ``near_duplicate``  that is that kind of copy (also ``same_text``,  the kind
                        ``same_url``)
    ==================  =============================================  ============================

    ``rules`` is a list, or one comma-separated string (``"low_quality,lang!=ar"``). A rule that does
    not parse raises :class:`ConfigError` when the filter is built.
    """

    name = "drop"

    def __init__(self, rules: Iterable[str] | str) -> None:
        super().__init__()
        if isinstance(rules, str):
            rules = rules.split(",")
        self.rules: tuple[str, ...] = tuple(dict.fromkeys(_parse_rule(rule) for rule in rules))
        if not self.rules:
            raise ConfigError("drop rules: give at least one rule (e.g. low_quality, lang!=ar, duplicate)")

    def reject(self, article: Article) -> str | None:
        for rule in self.rules:
            reason = _match(rule, article)
            if reason is not None:
                return reason
        return None


def split_rules(rules: Iterable[str]) -> tuple[list[str], list[str]]:
    """The rules on the article itself (flags, language) and those on its copies (``duplicate`` and
    its kinds), which only a run's end can judge once every copy has been seen."""
    rules = [_parse_rule(r) for r in rules]
    copies = [r for r in rules if r == "duplicate" or r in _DUPLICATE_KINDS]
    return [r for r in rules if r not in copies], copies


def _parse_rule(rule: object) -> str:
    """The canonical form of one rule (``lang != AR`` -> ``lang!=ar``), or a ConfigError."""
    if not isinstance(rule, str):
        raise ConfigError(f"drop rule must be a string, not {type(rule).__name__}: {rule!r}")
    text = rule.strip()
    if not text:
        raise ConfigError("drop rule is empty")
    if text.startswith("lang"):
        m = _LANG_RULE.fullmatch(text)
        if m is None:
            raise ConfigError(f"drop rule {rule!r}: write lang=xx or lang!=xx")
        op, code = m.group(1), m.group(2).lower()
        if not _LANG_CODE.fullmatch(code):
            raise ConfigError(f"drop rule {rule!r}: {code!r} is not a 2- or 3-letter language code")
        return f"lang{op}{code}"
    if text in ("low_quality", "duplicate", *_DUPLICATE_KINDS, *QUALITY_FLAGS):
        return text
    known = ", ".join(["low_quality", "duplicate", *_DUPLICATE_KINDS, *QUALITY_FLAGS])
    raise ConfigError(f"unknown drop rule {rule!r}; rules are lang=xx, lang!=xx or one of: {known}")


def _match(rule: str, article: Article) -> str | None:
    """The reason ``rule`` gives for dropping ``article``, or None when it keeps it."""
    if rule.startswith("lang!="):
        code = rule[6:]
        return None if article.lang == code else f"not_{code}"
    if rule.startswith("lang="):
        code = rule[5:]
        return f"lang_{code}" if article.lang == code else None
    if rule == "low_quality":
        return rule if article.quality_flags else None
    if rule == "duplicate":
        return rule if article.duplicate_of is not None else None
    if rule in _DUPLICATE_KINDS:
        return rule if article.duplicate_of == rule else None
    return rule if rule in article.quality_flags else None
