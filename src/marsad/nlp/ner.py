"""Named entities in Arabic news: a CRF over rich word features (python-crfsuite).

Labels are PER, ORG, LOC and MISC in BIO form over the tokens of :mod:`marsad.nlp.tokens`. An
entity keeps the clitics glued to its first word in its span (ANERcorp tags ``وألمانيا`` whole),
so offsets always cut the text as written; :func:`canonical_name` then takes them off. The model
files live in ``marsad/models/ner/`` (see its CARD.md): ``model.crfsuite``, word clusters learned
from unlabelled news (bench/ner_clusters.py) and a gazetteer derived from ANERGazet.

Public API: :class:`EntityTagger` (``tag``, ``tag_many``), :func:`entities`, :func:`train_ner`,
:func:`evaluate_ner` and :class:`NerReport`; :func:`score_spans` is the CoNLL exact-span scorer.
"""

from __future__ import annotations

import gzip
import json
import logging
import re
import shutil
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from marsad.article import Entity
from marsad.nlp.ner_features import FeatureSet, Featurizer, Lexicon
from marsad.nlp.tokens import split_clitics, token_spans
from marsad.text.arabic import normalize

__all__ = [
    "EntityTagger",
    "propagate",
    "NerReport",
    "canonical_name",
    "entities",
    "evaluate_ner",
    "read_conll",
    "score_spans",
    "train_ner",
]

log = logging.getLogger(__name__)

MODEL_DIR = Path(__file__).resolve().parents[1] / "models" / "ner"
LABELS = ("PER", "ORG", "LOC", "MISC")

# ANERcorp spells PER as PERS.
_COARSE = {"PERS": "PER", "PER": "PER", "ORG": "ORG", "LOC": "LOC", "MISC": "MISC"}
# WikiFANE's fine classes (ACE-style) to ANERcorp's types. GPE and natural locations are LOC as
# in ANERcorp; facilities, vehicles, weapons and products have no ANERcorp type, so they are O
# rather than noise in MISC (MISC in ANERcorp is mostly currencies, events and languages).
_WIKIFANE = {
    **dict.fromkeys(["Politician", "Religious_PER", "Artist", "Other_PER", "Scientist", "Athlete",
                     "Businessperson", "Engineer", "Lawyer", "Police"], "PER"),
    **dict.fromkeys(["Commercial", "Non-Governmental", "Government", "Educational", "Media",
                     "Sports", "Religious_ORG", "Medical-Science", "Entertainment"], "ORG"),
    **dict.fromkeys(["Population-Center", "Nation", "State-or-Province", "County-or-District",
                     "GPE-Cluster", "Continent", "Water-Body", "Land-Region-Natural"], "LOC"),
}
# WikiFANE splits clitics off as tokens; ANERcorp (and our tokenizer) keeps them attached.
_PROCLITIC_TOKENS = frozenset("وفبلك")
_ENCLITIC_TOKENS = frozenset(["ه", "ها", "هم", "هما", "هن", "كم", "كما", "نا"])
_INVISIBLE = str.maketrans("", "", "\ufeff\u200e\u200f")

Sentence = list[tuple[str, str]]


# ---------------------------------------------------------------- data


def read_conll(path: Path) -> list[Sentence]:
    """Sentences of (token, BIO label) from a CoNLL file, labels mapped to PER/ORG/LOC/MISC.

    Reads ANERcorp (``token TAG``) and WikiFANE (BOM, CRLF, U+200E before tokens, fine classes,
    clitics as separate tokens: re-attached here so the tokens look like ANERcorp's).
    """
    sentences: list[Sentence] = []
    current: Sentence = []
    fine = False
    with open(path, encoding="utf-8-sig") as fh:
        for line in fh:
            parts = line.translate(_INVISIBLE).split()
            if len(parts) < 2:
                if current:
                    sentences.append(current)
                    current = []
                continue
            token, tag = parts[0], parts[-1]
            if tag != "O":
                kind = tag[2:]
                if kind not in _COARSE:
                    fine = True
                    coarse = _WIKIFANE.get(kind)
                    tag = f"{tag[:2]}{coarse}" if coarse else "O"
                else:
                    tag = f"{tag[:2]}{_COARSE[kind]}"
            current.append((token, tag))
    if current:
        sentences.append(current)
    if fine:
        sentences = [_attach_clitics(s) for s in sentences]
    return [_repair_bio(s) for s in sentences]


def _attach_clitics(sentence: Sentence) -> Sentence:
    out: Sentence = []
    pending = ""
    for token, tag in sentence:
        if token in _PROCLITIC_TOKENS:
            pending += token
            continue
        if token in _ENCLITIC_TOKENS and out and not pending:
            prev, prev_tag = out[-1]
            out[-1] = (prev + token, prev_tag)
            continue
        out.append((pending + token, tag))
        pending = ""
    if pending:
        out.append((pending, "O"))
    return out


def _repair_bio(sentence: Sentence) -> Sentence:
    """I-X after O or another type becomes B-X (the conlleval reading), so training sees valid BIO."""
    out: Sentence = []
    prev = "O"
    for token, tag in sentence:
        if tag.startswith("I-") and prev[2:] != tag[2:]:
            tag = "B-" + tag[2:]
        out.append((token, tag))
        prev = tag
    return out


def read_anergazet(folder: Path) -> list[tuple[str, str]]:
    """(type, name) entries of ANERGazet's Aligned{Loc,Org,Pers}Gazetteer.txt."""
    entries = []
    for label, name in (("LOC", "Loc"), ("ORG", "Org"), ("PER", "Pers")):
        path = folder / f"Aligned{name}Gazetteer.txt"
        if not path.is_file():
            continue
        for line in path.read_text(encoding="utf-8-sig", errors="replace").splitlines():
            line = line.strip()
            # section markers (==== continents, **** countries) and mojibake are not names
            if not line or line[0] in "=*" or "\ufffd" in line:
                continue
            entries.append((label, line))
    return entries


# ---------------------------------------------------------------- scoring


def spans(labels: Sequence[str]) -> list[tuple[str, int, int]]:
    """Entity spans (type, first, end exclusive) of a BIO sequence, read as conlleval reads it:
    an I- tag that does not continue an entity of its type starts one."""
    out = []
    kind, start = "", -1
    for i, tag in enumerate([*labels, "O"]):
        if tag.startswith("I-") and tag[2:] == kind:
            continue
        if kind:
            out.append((kind, start, i))
        kind, start = (tag[2:], i) if tag != "O" else ("", -1)
    return out


@dataclass(slots=True)
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score_spans(gold: Iterable[Sequence[str]], predicted: Iterable[Sequence[str]]) -> dict[str, Counts]:
    """Exact-span counts per type and ``"ALL"``: a predicted entity is right when its type, first
    and last token all equal a gold entity's (CoNLL)."""
    counts = {kind: Counts() for kind in (*LABELS, "ALL")}
    for g_seq, p_seq in zip(gold, predicted, strict=True):
        g, p = set(spans(g_seq)), set(spans(p_seq))
        for kind, *_ in g & p:
            counts.setdefault(kind, Counts()).tp += 1
            counts["ALL"].tp += 1
        for kind, *_ in p - g:
            counts.setdefault(kind, Counts()).fp += 1
            counts["ALL"].fp += 1
        for kind, *_ in g - p:
            counts.setdefault(kind, Counts()).fn += 1
            counts["ALL"].fn += 1
    return counts


@dataclass(slots=True)
class NerReport:
    """Scores of a tagger on a CoNLL file: exact-span counts per type and overall, and speed."""

    path: str
    counts: dict[str, Counts]
    tokens: int
    seconds: float

    @property
    def f1(self) -> float:
        return self.counts["ALL"].f1

    @property
    def tokens_per_second(self) -> float:
        return self.tokens / self.seconds if self.seconds else 0.0

    def to_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "tokens": self.tokens,
            "tokens_per_second": round(self.tokens_per_second),
            "scores": {k: {"precision": round(c.precision, 4), "recall": round(c.recall, 4),
                           "f1": round(c.f1, 4), "gold": c.tp + c.fn, "predicted": c.tp + c.fp}
                       for k, c in self.counts.items()},
        }

    def format(self) -> str:
        rows = [f"{'type':<6} {'precision':>9} {'recall':>7} {'F1':>7} {'gold':>6} {'found':>6}"]
        for kind, c in self.counts.items():
            rows.append(f"{kind:<6} {c.precision:>9.3f} {c.recall:>7.3f} {c.f1:>7.3f} "
                        f"{c.tp + c.fn:>6} {c.tp + c.fp:>6}")
        rows.append(f"{self.tokens:,} tokens, {self.tokens_per_second:,.0f} tokens/s "
                    f"(features and CRF, one core)")
        return "\n".join(rows)


# ---------------------------------------------------------------- the tagger


@dataclass(frozen=True, slots=True)
class NerOptions:
    """Training options: CRF regularisation and iterations, feature groups, where resources are."""

    c1: float = 0.05
    c2: float = 0.05
    max_iterations: int = 200
    features: FeatureSet = field(default_factory=FeatureSet)
    clusters: Path | None = MODEL_DIR / "clusters.tsv.gz"
    #: ANERGazet folder; None for the ``gazetteers`` folder beside the first training file
    gazetteers: Path | None = None
    #: how many times each sentence of the ``extra`` files is used (0.5 keeps every other one)
    extra_weight: float = 1.0


class EntityTagger:
    """Tags named entities in Arabic text. Loads its model on first use, so it pickles cheaply."""

    def __init__(self, *, model_path: Path | None = None, propagate: bool = True) -> None:
        self.model_path = Path(model_path) if model_path is not None else MODEL_DIR
        #: give every name found once to its other mentions in the same text (see :func:`propagate`)
        self.propagate = propagate
        self._tagger: object | None = None
        self._featurizer: Featurizer | None = None
        self._counts: dict[str, int] = {}

    def __getstate__(self) -> dict[str, object]:
        return {"model_path": self.model_path, "propagate": self.propagate}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__init__(**state)  # type: ignore[misc, arg-type]

    def _load(self) -> tuple[object, Featurizer]:
        if self._tagger is None or self._featurizer is None:
            import pycrfsuite

            from marsad.errors import ModelError

            folder = self.model_path if self.model_path.is_dir() else self.model_path.parent
            model = folder / "model.crfsuite"
            if not model.is_file():
                raise ModelError(f"no NER model at {model} (train one with train_ner)")
            meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
            lexicon = Lexicon.load(folder / "clusters.tsv.gz", folder / "gazetteer.tsv.gz")
            tagger = pycrfsuite.Tagger()
            tagger.open(str(model))
            self._featurizer = Featurizer(lexicon, FeatureSet(**meta["features"]))
            self._counts = lexicon.counts
            self._tagger = tagger
        return self._tagger, self._featurizer

    def tag_tokens(self, sentence: Sequence[str]) -> list[str]:
        """BIO labels of one sentence of tokens."""
        tagger, featurizer = self._load()
        if not sentence:
            return []
        return tagger.tag(featurizer.sentence(sentence))  # type: ignore[attr-defined, no-any-return]

    def tag(self, text: str) -> list[Entity]:
        """The entities of ``text``, with offsets into ``text`` exactly as given."""
        return self.tag_many([text])[0]

    def tag_many(self, texts: Iterable[str]) -> list[list[Entity]]:
        tagger, featurizer = self._load()
        out = []
        for text in texts:
            found = []
            tokens = token_spans(text)
            ranges = list(_sentences(text, tokens))
            words = [[t for t, _, _ in tokens[lo:hi]] for lo, hi in ranges]
            labels = [tagger.tag(featurizer.sentence(w)) for w in words]  # type: ignore[attr-defined]
            if self.propagate:
                labels = propagate(words, labels)
            labels = [ministries(w, y) for w, y in zip(words, labels)]
            for (lo, _), sentence_labels in zip(ranges, labels):
                for kind, a, b in spans(sentence_labels):
                    start, end = tokens[lo + a][1], tokens[lo + b - 1][2]
                    found.append(Entity(text[start:end], kind, start, end,
                                        canonical_name(text[start:end], self._counts)))
            out.append(found)
        return out


# ANERcorp never tags a ministry (وزارة الخارجية is O in all of its 33 mentions), while marsad's
# users want ministries as organisations like every other institution; the CRF cannot learn what
# its data never shows, so this one rule adds them: the head noun, then the definite words after it.
_MINISTRY = "وزارة"
_MAX_MINISTRY = 4


def ministries(words: Sequence[str], labels: Sequence[str]) -> list[str]:
    """``labels`` with ministries (وزارة + up to three definite words: وزارة الخارجية الأمريكية)
    tagged ORG where the tagger left them O."""
    out = list(labels)
    for i, word in enumerate(words):
        if out[i] != "O" or _MINISTRY not in word:
            continue
        head = normalize(word)
        # وزارة itself starts with a letter that looks like و "and": compare the word, not its split
        if not head.endswith(_MINISTRY) or head[: -len(_MINISTRY)].strip("وفبلك"):
            continue
        j = i + 1
        while (j < len(words) and j - i < _MAX_MINISTRY and out[j] == "O"
               and normalize(words[j]).startswith("ال") and len(words[j]) > 3):
            j += 1
        if j > i + 1:
            out[i:j] = ["B-ORG"] + ["I-ORG"] * (j - i - 1)
    return out


def _key(token: str) -> str:
    return split_clitics(normalize(token)).with_article


def propagate(words: Sequence[Sequence[str]], labels: Sequence[Sequence[str]]) -> list[list[str]]:
    """Labels of one document with every name the tagger found once given to its other mentions.

    A news story names someone in full once (سلفادور دالي) and then by one name (دالي), often in
    sentences with no context telling a name; the CRF sees one sentence at a time and misses them.
    So each entity string found (first word without clitics) tags its untagged repeats, and a
    person's later names tag that name alone. A string found with two types is left alone.
    """
    types: dict[tuple[str, ...], set[str]] = {}
    for w, sentence in zip(words, labels):
        for kind, a, b in spans(sentence):
            types.setdefault((_key(w[a]), *map(normalize, w[a + 1 : b])), set()).add(kind)
            if kind == "PER" and b - a > 1:
                for x in w[a + 1 : b]:
                    types.setdefault((_key(x),), set()).add(kind)
    names = {n: next(iter(k)) for n, k in types.items() if len(k) == 1 and sum(map(len, n)) >= 3}
    longest = max(map(len, names), default=0)
    out = []
    for w, sentence in zip(words, labels):
        new = list(sentence)
        out.append(new)
        if not names or "O" not in new:
            continue
        keys = [_key(x) for x in w]
        norms = [normalize(x) for x in w]
        i = 0
        while i < len(w):
            for n in range(min(longest, len(w) - i), 0, -1):
                found = names.get((keys[i], *norms[i + 1 : i + n]))
                if (found and all(y == "O" for y in new[i : i + n])
                        and (i + n == len(w) or not new[i + n].startswith("I-"))):
                    new[i : i + n] = [f"B-{found}"] + [f"I-{found}"] * (n - 1)
                    i += n
                    break
            else:
                i += 1
    return out


_shared: EntityTagger | None = None


def entities(text: str) -> list[Entity]:
    """Entities of ``text`` by a tagger shared in the process (the committed model)."""
    global _shared
    if _shared is None:
        _shared = EntityTagger()
    return _shared.tag(text)


_END = frozenset(".!?؟…")
_SOFT = frozenset("،,؛;:")
#: CRF cost grows with length only linearly, but a run-on "sentence" (a list, a table) gains
#: nothing from long context: cut at a comma past this many tokens, and hard at twice it.
MAX_SENTENCE = 80


def _sentences(text: str, tokens: Sequence[tuple[str, int, int]]) -> Iterator[tuple[int, int]]:
    """Token ranges of the sentences: ends at . ! ? ؟ …, at line breaks, and long ones cut."""
    start = 0
    for i, (tok, s, _) in enumerate(tokens):
        if i > start and "\n" in text[tokens[i - 1][2] : s]:
            yield start, i
            start = i
        length = i + 1 - start
        if tok in _END or (length >= MAX_SENTENCE and tok in _SOFT) or length >= 2 * MAX_SENTENCE:
            yield start, i + 1
            start = i + 1
    if start < len(tokens):
        yield start, len(tokens)


def canonical_name(name: str, counts: dict[str, int] | None = None) -> str:
    """``name`` without the clitics glued to its first word, its own article kept.

    ``وبالمغرب`` → ``المغرب``, ``لوزارة الخارجية`` → ``وزارة الخارجية``, ``للمغرب`` → ``المغرب``.
    A first letter that looks like a clitic may be the name's own (``لبنان``, ``وزارة``,
    ``فلسطين``): with word counts from a corpus, the reading whose word is more frequent wins;
    without counts, only a split that leaves an article-bearing word is taken (``والرباط``).
    """
    first, sep, rest = name.partition(" ")
    cl = split_clitics(first)
    if not (cl.conj or cl.prep):
        return name
    art = len(cl.prefix) - len(cl.conj) - len(cl.prep)  # 2 for ال, 0 for none
    # readings as written: whole, conjunction off, conjunction and preposition off
    readings = [first]
    if cl.conj and cl.prep:
        readings.append(first[len(cl.conj) :])
    body = first[cl.offset :]
    if cl.article and first[cl.offset - 2 : cl.offset] != "ال":
        readings.append("ال" + body)  # للمغرب: the preposition ate the article's alef
    else:
        readings.append(first[cl.offset - art :] if cl.article else body)
    if counts:
        # the whole word wins ties: a name is more often written whole than misread
        best = max(readings, key=lambda r: (counts.get(normalize(r), 0), -readings.index(r)))
        if counts.get(normalize(best), 0) == 0:
            best = readings[-1] if cl.article else first
    else:
        best = readings[-1] if cl.article else first
    return best + sep + rest


# ---------------------------------------------------------------- training and evaluation


def train_ner(train_files: Sequence[Path], out_dir: Path, *, extra: Sequence[Path] = (),
              **options: object) -> dict[str, object]:
    """Train a model on CoNLL ``train_files`` (plus ``extra`` ones, e.g. WikiFANE) into ``out_dir``.

    ``options`` are the fields of :class:`NerOptions` (``c1``, ``c2``, ``max_iterations``,
    ``features``, ``clusters``, ``gazetteers``, ``extra_weight``). Writes ``model.crfsuite``,
    ``meta.json``, ``gazetteer.tsv.gz`` and a copy of the clusters; returns a summary.
    """
    import pycrfsuite

    from marsad.errors import ConfigError

    try:
        opts = NerOptions(**options)  # type: ignore[arg-type]
    except TypeError as exc:
        raise ConfigError(f"unknown NER training option: {exc}") from exc
    t0 = time.perf_counter()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    train = [s for path in train_files for s in read_conll(Path(path))]
    more = [s for path in extra for s in read_conll(Path(path))]
    if opts.extra_weight < 1:
        step = round(1 / opts.extra_weight) if opts.extra_weight > 0 else 0
        more = more[::step] if step else []
    gaz_dir = opts.gazetteers or (Path(train_files[0]).parent / "gazetteers")
    gazetteer = read_anergazet(gaz_dir) if opts.features.gazetteer else []
    with open(out_dir / "gazetteer.tsv.gz", "wb") as raw, \
            gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
        for label, name in sorted(set(gazetteer)):
            gz.write(f"{label}\t{normalize(name)}\n".encode())
    clusters_out = out_dir / "clusters.tsv.gz"
    if opts.features.clusters and opts.clusters is not None:
        if Path(opts.clusters).resolve() != clusters_out.resolve():
            shutil.copyfile(opts.clusters, clusters_out)
    elif clusters_out.exists():
        clusters_out.unlink()
    lexicon = Lexicon.load(clusters_out, out_dir / "gazetteer.tsv.gz")
    featurizer = Featurizer(lexicon, opts.features)
    trainer = pycrfsuite.Trainer(verbose=False)
    for sentence in [*train, *more]:
        trainer.append(featurizer.sentence([t for t, _ in sentence]), [y for _, y in sentence])
    trainer.set_params({"c1": opts.c1, "c2": opts.c2, "max_iterations": opts.max_iterations,
                        "feature.possible_transitions": True})
    trainer.train(str(out_dir / "model.crfsuite"))
    features = {f: getattr(opts.features, f) for f in FeatureSet.__dataclass_fields__}
    summary: dict[str, object] = {
        "train_files": [str(p) for p in train_files],
        "extra": [str(p) for p in extra],
        "sentences": len(train) + len(more),
        "tokens": sum(map(len, train)) + sum(map(len, more)),
        "c1": opts.c1, "c2": opts.c2, "max_iterations": opts.max_iterations,
        "extra_weight": opts.extra_weight,
        "features": features,
        "gazetteer_entries": len(set(gazetteer)),
        "cluster_words": len(lexicon.clusters),
        "seconds": round(time.perf_counter() - t0, 1),
    }
    (out_dir / "meta.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n",
                                       encoding="utf-8")
    return summary


def evaluate_ner(path: Path, *, model_path: Path | None = None, window: int = 0) -> NerReport:
    """Tag the sentences of CoNLL file ``path`` and score exact spans per type and overall.

    ``window`` > 0 reads every ``window`` consecutive sentences as one document for
    :func:`propagate` (a CoNLL file has no document boundaries; ANERcorp's sentences follow each
    other within a story); 0 tags each sentence alone. Speed is tokens per second of feature
    extraction, CRF decoding (and propagation) together, from a cold feature cache, on one core.
    """
    sentences = read_conll(Path(path))
    tagger = EntityTagger(model_path=model_path)
    tagger._load()
    words = [[t for t, _ in s] for s in sentences]
    t0 = time.perf_counter()
    predicted = [tagger.tag_tokens(w) for w in words]
    if window > 0:
        predicted = [y for i in range(0, len(words), window)
                     for y in propagate(words[i : i + window], predicted[i : i + window])]
    predicted = [ministries(w, y) for w, y in zip(words, predicted)]
    seconds = time.perf_counter() - t0
    gold = [[y for _, y in s] for s in sentences]
    return NerReport(str(path), score_spans(gold, predicted), sum(map(len, words)), seconds)
