"""What kind of story an article is: a linear classifier over TF-IDF of stemmed words and word pairs.

Six labels, those of the ANT corpus (:data:`LABELS`). Publishers draw the line between
``middleEast`` and ``internationalNews`` differently (Al Arabiya has no Middle East section at
all), so :func:`merged_topic` folds both into ``world`` for callers that need a label which holds
across sources.

Training (scikit-learn) and inference (numpy only) are apart: :func:`train_topic` exports the
fitted model as plain arrays in ``topic.npz`` (vocabulary, idf, a float16 weight matrix,
intercepts, class names, analyzer settings, score temperature), and :class:`TopicClassifier`
scores with a sparse dot product written by hand, so no pickle is ever loaded. The held-out-source
protocol lives in :mod:`marsad.nlp.topic_eval`.

Public API: :class:`TopicClassifier` (``predict``, ``predict_many``), :func:`merged_topic`,
:func:`train_topic`, :func:`evaluate_topic`, :class:`TopicOptions`, :class:`TopicReport`.
"""

from __future__ import annotations

import gzip
import json
import logging
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from marsad.errors import ConfigError, ModelError
from marsad.text.analysis import stem, tokens

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix

    from marsad.nlp.topic_eval import TopicReport

__all__ = [
    "LABELS",
    "MERGED",
    "TopicClassifier",
    "TopicModel",
    "TopicOptions",
    "analyze",
    "evaluate_topic",
    "merged_topic",
    "read_articles",
    "train_topic",
]

log = logging.getLogger(__name__)

MODEL_DIR = Path(__file__).resolve().parents[1] / "models" / "topic"
MODEL_FILE = "topic.npz"
LABELS = ("culture", "economy", "internationalNews", "middleEast", "sport", "technology")
#: The merged view: the two world-news labels become one.
MERGED = {"internationalNews": "world", "middleEast": "world"}
# Bumped when the file layout or the analyzer changes, so an old file fails loudly.
FORMAT = 1


def merged_topic(label: str) -> str:
    """``label`` in the merged view: ``middleEast`` and ``internationalNews`` → ``world``."""
    return MERGED.get(label, label)


# ---------------------------------------------------------------- options and features


@dataclass(frozen=True, slots=True)
class TopicOptions:
    """How features are built and the model trained; one place for every knob."""

    #: "stem" (normalise, clitics off, Snowball) or "exact" (normalised words)
    words: str = "stem"
    #: 1 for words, 2 for words and adjacent word pairs
    ngrams: int = 2
    #: how many times the title's words are added to the body's (0: body only)
    title_weight: int = 1
    #: features in fewer training articles than this are dropped
    min_df: int = 2
    #: log(1 + tf) instead of raw counts
    sublinear_tf: bool = True
    #: "svc" (linear SVM), "lr" (logistic regression) or "cnb" (complement naive Bayes)
    model: str = "svc"
    C: float = 1.0
    #: weigh classes inversely to their frequency
    balanced: bool = True
    #: one-vs-rest where a label's negatives come only from publishers that have that label
    source_aware: bool = True
    #: "six" or "merged": the labels the model learns
    labels: str = "six"
    #: keep at most this many features (the largest weights) in the exported model; 0 keeps all
    max_features: int = 100_000
    #: fit the score temperature on out-of-source margins (costs one fit per publisher)
    calibrate: bool = True

    def __post_init__(self) -> None:
        if self.words not in ("stem", "exact"):
            raise ConfigError(f"topic: words must be 'stem' or 'exact', not {self.words!r}")
        if self.ngrams not in (1, 2):
            raise ConfigError(f"topic: ngrams must be 1 or 2, not {self.ngrams!r}")
        if self.model not in ("svc", "lr", "cnb"):
            raise ConfigError(f"topic: model must be 'svc', 'lr' or 'cnb', not {self.model!r}")
        if self.labels not in ("six", "merged"):
            raise ConfigError(f"topic: labels must be 'six' or 'merged', not {self.labels!r}")

    @classmethod
    def from_kwargs(cls, options: dict[str, object]) -> TopicOptions:
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(options) - known)
        if unknown:
            raise ConfigError(f"topic: unknown option(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
        return cls(**options)  # type: ignore[arg-type]


def analyze(title: str | None, text: str, *, words: str = "stem", ngrams: int = 2,
            title_weight: int = 1) -> list[str]:
    """The features of one article, repeated as often as they count.

    The title's features are added ``title_weight`` times to the body's: a headline names the
    story's subject in few words, where the body also carries background from other fields.
    """
    def feats(s: str) -> list[str]:
        ws = tokens(s)
        if words == "stem":
            ws = [stem(w) for w in ws]
        if ngrams == 2:
            ws = ws + [f"{a} {b}" for a, b in zip(ws, ws[1:])]
        return ws

    out = feats(text)
    if title and title_weight:
        out.extend(feats(title) * title_weight)
    return out


# ---------------------------------------------------------------- the exported model


@dataclass(slots=True)
class TopicModel:
    """A trained model as plain arrays: what ``topic.npz`` holds, scored with numpy."""

    vocabulary: dict[str, int]
    idf: np.ndarray  # (features,) float32
    weights: np.ndarray  # (features, classes) float16: one column per class
    intercepts: np.ndarray  # (classes,) float32
    classes: tuple[str, ...]
    words: str
    ngrams: int
    title_weight: int
    sublinear_tf: bool
    #: margins are divided by this before the softmax that gives the score
    temperature: float = 1.0

    def features(self, title: str | None, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Column indices and L2-normalised TF-IDF values of one article's known features."""
        return self.features_of(analyze(title, text, words=self.words, ngrams=self.ngrams,
                                        title_weight=self.title_weight))

    def features_of(self, analyzed: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`features` of an article already run through :func:`analyze`."""
        counts = Counter(analyzed)
        vocab = self.vocabulary
        pairs = [(vocab[f], n) for f, n in counts.items() if f in vocab]
        if not pairs:
            return np.zeros(0, np.int64), np.zeros(0, np.float32)
        idx = np.fromiter((i for i, _ in pairs), np.int64, len(pairs))
        tf = np.fromiter((n for _, n in pairs), np.float32, len(pairs))
        if self.sublinear_tf:
            tf = np.log(tf) + np.float32(1.0)
        values = (tf * self.idf[idx]).astype(np.float32)
        return idx, values / np.sqrt(float(values @ values))

    def margins(self, title: str | None, text: str) -> np.ndarray:
        idx, values = self.features(title, text)
        return values @ self.weights[idx].astype(np.float32) + self.intercepts

    def scores(self, margins: np.ndarray) -> np.ndarray:
        """Softmax of margins / temperature: 0..1, summing to one over the classes."""
        z = margins / self.temperature
        z = np.exp(z - z.max(axis=-1, keepdims=True))
        return z / z.sum(axis=-1, keepdims=True)

    def save(self, path: Path) -> None:
        terms = "\n".join(sorted(self.vocabulary, key=self.vocabulary.__getitem__))
        meta = {"format": FORMAT, "classes": list(self.classes), "words": self.words,
                "ngrams": self.ngrams, "title_weight": self.title_weight,
                "sublinear_tf": self.sublinear_tf, "temperature": self.temperature}
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as fh:
            np.savez_compressed(
                fh,
                terms=np.frombuffer(terms.encode("utf-8"), dtype=np.uint8),
                idf=self.idf.astype(np.float32),
                weights=self.weights.astype(np.float16),
                intercepts=self.intercepts.astype(np.float32),
                meta=np.frombuffer(json.dumps(meta).encode("utf-8"), dtype=np.uint8),
            )

    @classmethod
    def load(cls, path: Path) -> TopicModel:
        try:
            with np.load(path, allow_pickle=False) as npz:
                meta = json.loads(npz["meta"].tobytes().decode("utf-8"))
                terms = npz["terms"].tobytes().decode("utf-8").split("\n")
                idf, weights, intercepts = npz["idf"], npz["weights"], npz["intercepts"]
        except (OSError, KeyError, ValueError) as exc:
            raise ModelError(f"topic model {path} cannot be read: {exc}") from exc
        if meta.get("format") != FORMAT:
            raise ModelError(f"topic model {path} has format {meta.get('format')}, expected {FORMAT}")
        return cls(vocabulary={t: i for i, t in enumerate(terms)}, idf=idf, weights=weights,
                   intercepts=intercepts, classes=tuple(meta["classes"]), words=meta["words"],
                   ngrams=meta["ngrams"], title_weight=meta["title_weight"],
                   sublinear_tf=meta["sublinear_tf"], temperature=meta["temperature"])


class TopicClassifier:
    """The topic of an article and its score (0..1), from the committed model by default.

    Nothing is read in ``__init__``: the model loads on first use, once per process, and the
    classifier pickles without it (runner workers load their own).
    """

    def __init__(self, *, model_path: Path | None = None) -> None:
        self.model_path = model_path or MODEL_DIR / MODEL_FILE
        self._model: TopicModel | None = None

    def __getstate__(self) -> dict[str, object]:
        return {"model_path": self.model_path}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.model_path = Path(str(state["model_path"]))
        self._model = None

    @property
    def model(self) -> TopicModel:
        if self._model is None:
            if not self.model_path.is_file():
                raise ModelError(f"topic model not found: {self.model_path} (train one with `marsad train topic`)")
            self._model = TopicModel.load(self.model_path)
        return self._model

    @property
    def labels(self) -> tuple[str, ...]:
        return self.model.classes

    def predict(self, title: str | None, text: str) -> tuple[str, float]:
        """The most likely label and its score; an article with no known word gets the prior."""
        model = self.model
        probs = model.scores(model.margins(title, text))
        best = int(probs.argmax())
        return model.classes[best], float(probs[best])

    def predict_many(self, items: Iterable[tuple[str | None, str]]) -> list[tuple[str, float]]:
        """:meth:`predict` over (title, text) pairs, scored as one matrix product."""
        model = self.model
        rows = [model.features(title, text) for title, text in items]
        if not rows:
            return []
        margins = _sparse_dot(rows, model.weights) + model.intercepts
        probs = model.scores(margins)
        best = probs.argmax(axis=1)
        return [(model.classes[b], float(p[b])) for b, p in zip(best, probs)]


def _sparse_dot(rows: Sequence[tuple[np.ndarray, np.ndarray]], weights: np.ndarray) -> np.ndarray:
    """rows (as CSR pieces) @ weights, in numpy: gather the weight rows, weigh, sum per article."""
    lengths = np.fromiter((len(i) for i, _ in rows), np.int64, len(rows))
    out = np.zeros((len(rows), weights.shape[1]), np.float32)
    if not lengths.sum():
        return out
    idx = np.concatenate([i for i, _ in rows])
    values = np.concatenate([v for _, v in rows]).astype(np.float32)
    gathered = weights[idx].astype(np.float32) * values[:, None]
    owner = np.repeat(np.arange(len(rows)), lengths)
    # bincount per class: a sum per article that copes with articles without known features
    for k in range(weights.shape[1]):
        out[:, k] = np.bincount(owner, weights=gathered[:, k], minlength=len(rows))
    return out


# ---------------------------------------------------------------- data and training


@dataclass(frozen=True, slots=True)
class LabelledArticle:
    title: str | None
    text: str
    source: str
    label: str


def read_articles(path: Path) -> list[LabelledArticle]:
    """ANT-style JSON lines (``title``, ``text``, ``source``, ``category``), gzipped or not."""
    opener = gzip.open if path.suffix == ".gz" else open
    out: list[LabelledArticle] = []
    try:
        with opener(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                row = json.loads(line)
                out.append(LabelledArticle(row.get("title"), row.get("text") or "",
                                           row.get("source") or "", row["category"]))
    except (OSError, ValueError, KeyError) as exc:
        raise ConfigError(f"topic: cannot read training data {path}: {exc}") from exc
    return out


def _identity(doc: list[str]) -> list[str]:
    return doc


@dataclass(slots=True)
class _Fitted:
    """A model fitted by scikit-learn: the vectorizer and one weight column per class."""

    vectorizer: object  # TfidfVectorizer
    classes: tuple[str, ...]
    coef: np.ndarray  # (classes, features)
    intercept: np.ndarray  # (classes,)

    def margins(self, docs: Sequence[list[str]]) -> np.ndarray:
        """scikit-learn's own margins (float64 sparse algebra): the reference for the export."""
        x: csr_matrix = self.vectorizer.transform(docs)  # type: ignore[attr-defined]
        return np.asarray(x @ self.coef.T) + self.intercept

    def export(self, opts: TopicOptions, temperature: float = 1.0) -> TopicModel:
        vec = self.vectorizer
        return TopicModel(
            vocabulary=dict(vec.vocabulary_),  # type: ignore[attr-defined]
            idf=vec.idf_.astype(np.float32),  # type: ignore[attr-defined]
            weights=self.coef.T.astype(np.float16), intercepts=self.intercept.astype(np.float32),
            classes=self.classes, words=opts.words, ngrams=opts.ngrams,
            title_weight=opts.title_weight, sublinear_tf=opts.sublinear_tf, temperature=temperature)


def _docs(articles: Sequence[LabelledArticle], opts: TopicOptions) -> list[list[str]]:
    return [analyze(a.title, a.text, words=opts.words, ngrams=opts.ngrams,
                    title_weight=opts.title_weight) for a in articles]


def _labels(articles: Sequence[LabelledArticle], opts: TopicOptions) -> np.ndarray:
    return np.array([merged_topic(a.label) if opts.labels == "merged" else a.label for a in articles])


def _fit(docs: Sequence[list[str]], y: np.ndarray, sources: np.ndarray, opts: TopicOptions,
         vocabulary: Sequence[str] | None = None) -> _Fitted:
    from sklearn.feature_extraction.text import TfidfVectorizer

    vec = TfidfVectorizer(analyzer=_identity, min_df=1 if vocabulary is not None else opts.min_df,
                          sublinear_tf=opts.sublinear_tf, vocabulary=vocabulary, lowercase=False,
                          dtype=np.float64)
    x = vec.fit_transform(docs)
    classes = tuple(sorted(set(y.tolist())))
    if opts.model == "cnb" or (opts.model == "lr" and not opts.source_aware):
        clf = _classifier(opts, binary=False).fit(x, y)
        if opts.model == "lr":
            coef, intercept = np.asarray(clf.coef_), np.asarray(clf.intercept_)  # type: ignore[attr-defined]
        else:  # ComplementNB decides by the feature log-probabilities alone
            coef = np.asarray(clf.feature_log_prob_)  # type: ignore[attr-defined]
            intercept = np.zeros(len(classes))
    else:
        coef = np.zeros((len(classes), x.shape[1]))
        intercept = np.zeros(len(classes))
        for k, label in enumerate(classes):
            # A publisher without this section files such stories under another label: its
            # articles would teach the model wrong negatives, so only publishers that have the
            # label supply them.
            rows = np.isin(sources, sorted(set(sources[y == label]))) if opts.source_aware else \
                np.ones(len(y), bool)
            clf = _classifier(opts, binary=True).fit(x[rows], (y[rows] == label).astype(int))  # type: ignore[attr-defined]
            coef[k] = np.ravel(clf.coef_)  # type: ignore[attr-defined]
            intercept[k] = float(np.ravel(clf.intercept_)[0])  # type: ignore[attr-defined]
    return _Fitted(vec, classes, coef, intercept)


def _classifier(opts: TopicOptions, *, binary: bool) -> Any:
    from sklearn.linear_model import LogisticRegression
    from sklearn.naive_bayes import ComplementNB
    from sklearn.svm import LinearSVC

    weight = "balanced" if opts.balanced else None
    if opts.model == "svc":
        return LinearSVC(C=opts.C, class_weight=weight)
    if opts.model == "lr":
        return LogisticRegression(C=opts.C, class_weight=weight, max_iter=500)
    return ComplementNB(alpha=0.3)


def fit_model(articles: Sequence[LabelledArticle], opts: TopicOptions,
              docs: Sequence[list[str]] | None = None) -> _Fitted:
    """Fit on ``articles``; past ``max_features`` features, refit on the strongest ones so that
    the exported (pruned) model is exactly the model scikit-learn scores."""
    docs = _docs(articles, opts) if docs is None else docs
    y = _labels(articles, opts)
    sources = np.array([a.source for a in articles])
    fitted = _fit(docs, y, sources, opts)
    if opts.max_features and fitted.coef.shape[1] > opts.max_features:
        strength = np.abs(fitted.coef).max(axis=0)
        keep = np.sort(np.argsort(-strength, kind="stable")[: opts.max_features])
        terms = fitted.vectorizer.get_feature_names_out()  # type: ignore[attr-defined]
        fitted = _fit(docs, y, sources, opts, vocabulary=[str(t) for t in terms[keep]])
    return fitted


def fit_temperature(margins: np.ndarray, gold: Sequence[int] | np.ndarray) -> float:
    """The temperature whose softmax of ``margins`` gives the gold labels the best log-likelihood."""
    gold_idx = np.asarray(gold)
    best, best_nll = 1.0, math.inf
    for t in np.exp(np.linspace(math.log(0.02), math.log(5.0), 80)):
        z = margins / t
        z = z - z.max(axis=1, keepdims=True)
        nll = float(np.mean(np.log(np.exp(z).sum(axis=1)) - z[np.arange(len(z)), gold_idx]))
        if nll < best_nll:
            best, best_nll = float(t), nll
    return best


def train_topic(data: Path, out_dir: Path, **options: object) -> dict[str, object]:
    """Train on every article of ``data`` and write ``out_dir/topic.npz``; returns a summary.

    With ``calibrate`` (the default) the score temperature is fitted on out-of-source margins,
    one fit per publisher, so that scores mean what they say on a publisher never seen.
    """
    import time

    from marsad.nlp.topic_eval import held_out_margins

    opts = TopicOptions.from_kwargs(options)
    started = time.perf_counter()
    articles = read_articles(data)
    docs = _docs(articles, opts)
    temperature = 1.0
    if opts.calibrate:
        margins, gold, _ = held_out_margins(articles, docs, opts)
        temperature = fit_temperature(margins, gold)
    fitted = fit_model(articles, opts, docs)
    model = fitted.export(opts, temperature)
    path = Path(out_dir) / MODEL_FILE
    model.save(path)
    summary: dict[str, object] = {
        "path": str(path), "articles": len(articles), "features": len(model.vocabulary),
        "classes": list(model.classes), "temperature": round(temperature, 4),
        "bytes": path.stat().st_size, "seconds": round(time.perf_counter() - started, 1),
        "options": asdict(opts)}
    log.info("topic model: %s", summary)
    return summary


def evaluate_topic(data: Path, **options: object) -> TopicReport:
    """Train with ``options`` on all publishers but one, test on that one, for each publisher;
    plus a random 80/20 split with duplicate texts on one side. See :mod:`marsad.nlp.topic_eval`."""
    from marsad.nlp.topic_eval import evaluate_articles

    return evaluate_articles(read_articles(data), TopicOptions.from_kwargs(options))
