"""How well the topic model carries to a publisher it has never seen.

Each publisher of the data is held out in turn: the model is trained on the others and tested on
it, on the six labels and with ``middleEast``/``internationalNews`` merged (:func:`merged_topic`).
A random 80/20 split is reported too, with verbatim duplicates kept on one side, since ANT files
about 1,500 texts twice (often under two sections of the same publisher).

Duplicates never cross publishers in ANT, so they cannot leak between the four training sources
and the held-out one; but a text a publisher filed under two sections can only be right once.
The report therefore gives two numbers per source: ``all`` counts every article (the strict
figure, whose ceiling is below 1: 0.92 merged for France 24), and ``dedup`` counts each distinct
text once and accepts any section its publisher filed it under.
"""

from __future__ import annotations

import hashlib
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from marsad.nlp.topic import (
    LabelledArticle,
    TopicOptions,
    _docs,
    _sparse_dot,
    fit_model,
    fit_temperature,
    merged_topic,
)
from marsad.text.arabic import normalize

__all__ = ["SourceScore", "TopicReport", "evaluate_articles", "held_out_margins"]

RANDOM_SEED = 20240601
TEST_SHARE = 0.2


@dataclass(frozen=True, slots=True)
class SourceScore:
    """Accuracy on one test set (a held-out publisher, or the random split)."""

    source: str
    articles: int
    six: float
    merged: float
    six_dedup: float
    merged_dedup: float


@dataclass(slots=True)
class TopicReport:
    """Held-out-source accuracies, the random-split accuracy and the score calibration."""

    options: TopicOptions
    sources: list[SourceScore] = field(default_factory=list)
    random_split: SourceScore | None = None
    #: expected calibration error of the (temperature-scaled) scores on held-out sources
    calibration_error: float | None = None
    temperature: float = 1.0
    seconds: float = 0.0

    def mean(self, attr: str) -> float:
        return float(np.mean([getattr(s, attr) for s in self.sources])) if self.sources else 0.0

    @property
    def six(self) -> float:
        return self.mean("six")

    @property
    def merged(self) -> float:
        return self.mean("merged")

    def to_dict(self) -> dict[str, object]:
        return {
            "sources": [vars_of(s) for s in self.sources],
            "mean": {a: round(self.mean(a), 4) for a in ("six", "merged", "six_dedup", "merged_dedup")},
            "random_split": vars_of(self.random_split) if self.random_split else None,
            "calibration_error": self.calibration_error, "temperature": self.temperature,
            "seconds": round(self.seconds, 1),
        }

    def format(self) -> str:
        head = f"{'held out':<14}{'articles':>9}{'six':>8}{'merged':>8}{'six*':>8}{'merged*':>9}"
        lines = [head, "-" * len(head)]

        def row(s: SourceScore) -> str:
            return (f"{s.source:<14}{s.articles:>9}{s.six:>8.3f}{s.merged:>8.3f}"
                    f"{s.six_dedup:>8.3f}{s.merged_dedup:>9.3f}")

        lines += [row(s) for s in self.sources]
        lines.append("-" * len(head))
        lines.append(f"{'mean':<14}{sum(s.articles for s in self.sources):>9}{self.six:>8.3f}"
                     f"{self.merged:>8.3f}{self.mean('six_dedup'):>8.3f}{self.mean('merged_dedup'):>9.3f}")
        if self.random_split:
            lines.append(row(self.random_split))
        lines.append("* each distinct text once, any section its publisher filed it under counts")
        if self.calibration_error is not None:
            lines.append(f"score calibration error (held out): {self.calibration_error:.3f}, "
                         f"temperature {self.temperature:.3f}")
        return "\n".join(lines)


def vars_of(score: SourceScore) -> dict[str, object]:
    return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in
            zip(SourceScore.__slots__, (getattr(score, k) for k in SourceScore.__slots__))}


def text_groups(articles: Sequence[LabelledArticle]) -> np.ndarray:
    """One group id per article: equal for articles whose normalised texts are equal."""
    ids: dict[bytes, int] = {}
    return np.array([ids.setdefault(hashlib.blake2b(normalize(a.text).encode(), digest_size=12).digest(),
                                    len(ids)) for a in articles])


def score_predictions(name: str, articles: Sequence[LabelledArticle], groups: np.ndarray,
                      predicted: Sequence[str]) -> SourceScore:
    """Accuracies of ``predicted`` (six-label or merged names) against ``articles``' labels."""
    gold = [a.label for a in articles]
    six = np.mean([p == g for p, g in zip(predicted, gold)])
    merged = np.mean([merged_topic(p) == merged_topic(g) for p, g in zip(predicted, gold)])
    filed: dict[int, set[str]] = defaultdict(set)
    for g, label in zip(groups.tolist(), gold):
        filed[g].add(label)
    first: dict[int, str] = {}
    for g, p in zip(groups.tolist(), predicted):
        first.setdefault(g, p)
    six_d = np.mean([p in filed[g] for g, p in first.items()])
    merged_d = np.mean([merged_topic(p) in {merged_topic(x) for x in filed[g]} for g, p in first.items()])
    return SourceScore(name, len(articles), float(six), float(merged), float(six_d), float(merged_d))


def held_out_margins(articles: Sequence[LabelledArticle], docs: Sequence[list[str]],
                     opts: TopicOptions) -> tuple[np.ndarray, list[int], dict[str, list[str]]]:
    """Margins of every article from a model trained without its publisher (exported, numpy).

    Returns the margins, the index of each article's gold class among the model's classes (for
    calibration; -1 when the class is unknown to the fold) and the predictions per source.
    """
    sources = np.array([a.source for a in articles])
    classes: tuple[str, ...] | None = None
    margins = np.zeros((len(articles), 0))
    predictions: dict[str, list[str]] = {}
    for source in sorted(set(sources.tolist())):
        train = np.flatnonzero(sources != source).tolist()
        test = np.flatnonzero(sources == source).tolist()
        fitted = fit_model([articles[i] for i in train], opts, [docs[i] for i in train])
        model = fitted.export(opts)
        if classes is None:
            classes = model.classes
            margins = np.zeros((len(articles), len(classes)))
        if model.classes != classes:  # every publisher has world news; a fold missing a label is not
            raise ValueError(f"topic: fold without {source} lacks labels {set(classes) - set(model.classes)}")
        rows = [model.features_of(docs[i]) for i in test]
        margins[test] = _sparse_dot(rows, model.weights) + model.intercepts
        predictions[source] = [classes[k] for k in margins[test].argmax(axis=1)]
    assert classes is not None
    index = {c: k for k, c in enumerate(classes)}
    gold = [index.get(merged_topic(a.label) if opts.labels == "merged" else a.label, -1) for a in articles]
    return margins, gold, predictions


def calibration_error(probs: np.ndarray, correct: np.ndarray, bins: int = 10) -> float:
    """Expected calibration error: |confidence - accuracy| averaged over confidence bins."""
    confidence = probs.max(axis=1)
    which = np.minimum((confidence * bins).astype(int), bins - 1)
    total = 0.0
    for b in range(bins):
        mask = which == b
        if mask.any():
            total += mask.sum() * abs(confidence[mask].mean() - correct[mask].mean())
    return total / len(probs)


def evaluate_articles(articles: Sequence[LabelledArticle], opts: TopicOptions, *,
                      random_split: bool = True) -> TopicReport:
    """The held-out-source protocol (and a grouped random split) over labelled articles."""
    started = time.perf_counter()
    docs = _docs(articles, opts)
    groups = text_groups(articles)
    report = TopicReport(options=opts)
    margins, gold, predictions = held_out_margins(articles, docs, opts)
    sources = [a.source for a in articles]
    for source, predicted in predictions.items():
        idx = [i for i, s in enumerate(sources) if s == source]
        report.sources.append(score_predictions(source, [articles[i] for i in idx], groups[idx], predicted))
    known = np.array(gold) >= 0
    report.temperature = fit_temperature(margins[known], np.array(gold)[known])
    z = margins[known] / report.temperature
    probs = np.exp(z - z.max(axis=1, keepdims=True))
    probs /= probs.sum(axis=1, keepdims=True)
    report.calibration_error = round(float(calibration_error(probs, probs.argmax(axis=1) == np.array(gold)[known])), 4)
    if random_split:
        report.random_split = _random_split(articles, docs, groups, opts)
    report.seconds = time.perf_counter() - started
    return report


def _random_split(articles: Sequence[LabelledArticle], docs: Sequence[list[str]], groups: np.ndarray,
                  opts: TopicOptions) -> SourceScore:
    """80/20 by text group: copies of one text are all on the same side."""
    rng = np.random.default_rng(RANDOM_SEED)
    test_groups = rng.random(int(groups.max()) + 1) < TEST_SHARE
    is_test = test_groups[groups]
    train, test = np.flatnonzero(~is_test).tolist(), np.flatnonzero(is_test).tolist()
    model = fit_model([articles[i] for i in train], opts, [docs[i] for i in train]).export(opts)
    margins = _sparse_dot([model.features_of(docs[i]) for i in test], model.weights) + model.intercepts
    predicted = [model.classes[k] for k in margins.argmax(axis=1)]
    return score_predictions("random 80/20", [articles[i] for i in test], groups[test], predicted)
