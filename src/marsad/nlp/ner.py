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
import shutil
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from marsad.article import Entity
from marsad.nlp.ner_features import FeatureSet, Featurizer, Lexicon, stacked
from marsad.nlp.tokens import split_clitics, token_spans
from marsad.text.arabic import normalize

__all__ = [
    "EntityTagger",
    "NerReport",
    "canonical_name",
    "entities",
    "evaluate_ner",
    "propagate",
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
    #: WikiFANE file whose names become a lexicon (``features.names``); None for
    #: ``../wikifane/WikiFANE_Gold_2014_500K.txt`` beside the first training file's folder
    wikifane: Path | None = None
    #: the training data's own names are a lexicon too; each training sentence sees only the
    #: names of the other folds (contiguous blocks), as a test sentence sees only train's names
    name_folds: int = 5
    #: > 1: train a second CRF on the first one's labels (:func:`stacked` features), those of each
    #: training sentence from a first-stage model trained without its fold; 0 for one stage
    stack_folds: int = 0
    #: sentences per document when training the second stage (ANERcorp marks no documents)
    stack_window: int = 30
    #: processes for the fold models (each is a single-threaded CRF)
    jobs: int = 1


class EntityTagger:
    """Tags named entities in Arabic text. Loads its model on first use, so it pickles cheaply."""

    def __init__(self, *, model_path: Path | None = None, propagate: bool = True) -> None:
        self.model_path = Path(model_path) if model_path is not None else MODEL_DIR
        #: give every name found once to its other mentions in the same text (see :func:`propagate`)
        self.propagate = propagate
        self._tagger: object | None = None
        self._tagger2: object | None = None
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
            lexicon = Lexicon.load(folder / "clusters.tsv.gz", folder / "gazetteer.tsv.gz",
                                   folder / "names.tsv.gz")
            tagger = pycrfsuite.Tagger()
            tagger.open(str(model))
            if (folder / "model2.crfsuite").is_file():
                second = pycrfsuite.Tagger()
                second.open(str(folder / "model2.crfsuite"))
                self._tagger2 = second
            known = None
            if (folder / "attributes.txt.gz").is_file():
                with gzip.open(folder / "attributes.txt.gz", "rt", encoding="utf-8") as fh:
                    known = frozenset(fh.read().split("\n"))
            # a feature group the model's meta does not name is one it was trained without
            groups = dict.fromkeys(FeatureSet.__dataclass_fields__, False) | meta["features"]
            self._featurizer = Featurizer(lexicon, FeatureSet(**groups), known)
            self._counts = lexicon.counts
            self._tagger = tagger
        return self._tagger, self._featurizer

    def tag_tokens(self, sentence: Sequence[str]) -> list[str]:
        """BIO labels of one sentence of tokens (read as a document of its own)."""
        return self.label_document([sentence], propagate=False)[0]

    def label_document(self, words: Sequence[Sequence[str]], *, propagate: bool) -> list[list[str]]:
        """BIO labels of the sentences of one document: the CRF, the second-stage CRF over the
        first one's labels where the model has one, then names propagated if asked, and
        :func:`ministries`."""
        tagger, featurizer = self._load()
        feats = [featurizer.sentence(w) if w else [] for w in words]
        labels = [tagger.tag(f) if f else [] for f in feats]  # type: ignore[attr-defined]
        if self._tagger2 is not None:
            keys = [[featurizer.word(t).bare for t in w] for w in words]
            extra = stacked(keys, labels, _propagate(words, labels))
            labels = [self._tagger2.tag([a + b for a, b in zip(f, e)])  # type: ignore[attr-defined]
                      if f else [] for f, e in zip(feats, extra)]
        if propagate:
            labels = _propagate(words, labels)
        return [ministries(w, y) for w, y in zip(words, labels)]

    def tag(self, text: str) -> list[Entity]:
        """The entities of ``text``, with offsets into ``text`` exactly as given."""
        return self.tag_many([text])[0]

    def tag_many(self, texts: Iterable[str]) -> list[list[Entity]]:
        self._load()
        out = []
        for text in texts:
            found = []
            tokens = token_spans(text)
            ranges = list(_sentences(text, tokens))
            words = [[t for t, _, _ in tokens[lo:hi]] for lo, hi in ranges]
            labels = self.label_document(words, propagate=self.propagate)
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


# propagation looks up every token of an article; news repeats its words, so both are cached
@lru_cache(maxsize=1 << 16)
def _key(token: str) -> str:
    return split_clitics(normalize(token)).with_article


@lru_cache(maxsize=1 << 16)
def _norm(token: str) -> str:
    return normalize(token)


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
            types.setdefault((_key(w[a]), *map(_norm, w[a + 1 : b])), set()).add(kind)
            if kind == "PER" and b - a > 1:
                for x in w[a + 1 : b]:
                    types.setdefault((_key(x),), set()).add(kind)
    names = {n: next(iter(k)) for n, k in types.items() if len(k) == 1 and sum(map(len, n)) >= 3}
    longest = max(map(len, names), default=0)
    firsts = {n[0] for n in names}
    out = []
    for w, sentence in zip(words, labels):
        new = list(sentence)
        out.append(new)
        if not names or "O" not in new:
            continue
        keys = [_key(x) for x in w]
        norms = [_norm(x) for x in w]
        i = 0
        while i < len(w):
            if keys[i] not in firsts:  # most words start no name: one lookup, not one per length
                i += 1
                continue
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


_propagate = propagate
_shared: EntityTagger | None = None


def shared_tagger() -> EntityTagger:
    """The process's tagger of the committed model: its model loads once, whoever asks."""
    global _shared
    if _shared is None:
        _shared = EntityTagger()
    return _shared


def entities(text: str) -> list[Entity]:
    """Entities of ``text`` by the tagger shared in the process (the committed model)."""
    return shared_tagger().tag(text)


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
    names_out = out_dir / "names.tsv.gz"
    fold_of = [0] * len(train) + [-1] * len(more)
    if opts.features.names:
        keyer = Featurizer(lexicon, opts.features)
        wikifane = opts.wikifane or (Path(train_files[0]).resolve().parent.parent / "wikifane"
                                     / "WikiFANE_Gold_2014_500K.txt")
        if Path(wikifane).is_file():
            lexicon.names["w"] = name_lexicon(read_conll(Path(wikifane)), keyer)
        else:
            log.warning("no WikiFANE at %s: training without its names", wikifane)
        k = max(opts.name_folds, 2)
        size = -(-len(train) // k)
        fold_of = [i // size for i in range(len(train))] + [-1] * len(more)
        lexicon.names["t"] = name_lexicon(train, keyer)
        with open(names_out, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
            for source, table in sorted(lexicon.names.items()):
                for key, label in sorted(table.items()):
                    gz.write(f"{source}\t{label}\t{' '.join(key)}\n".encode())
        # one featurizer per fold: its lexicon holds the names of the other folds only
        featurizers = {f: Featurizer(replace(lexicon, names={**lexicon.names, "t": name_lexicon(
            [s for s, g in zip(train, fold_of) if g != f], keyer)}), opts.features)
            for f in sorted(set(fold_of))}
    else:
        if names_out.exists():
            names_out.unlink()
        featurizers = {f: Featurizer(lexicon, opts.features) for f in set(fold_of)}
    data = [*train, *more]
    xs = [featurizers[fold].sentence([t for t, _ in s]) for s, fold in zip(data, fold_of)]
    ys = [[y for _, y in s] for s in data]
    params: dict[str, object] = {"c1": opts.c1, "c2": opts.c2, "max_iterations": opts.max_iterations,
              "feature.possible_transitions": True}
    model2 = out_dir / "model2.crfsuite"
    if model2.exists():
        model2.unlink()
    if opts.stack_folds > 1:
        k = opts.stack_folds
        size = -(-len(train) // k)
        stack_fold = [i // size for i in range(len(train))] + [-1] * len(more)
        jobs = [(str(out_dir / f"fold{f}.crfsuite"), [i for i, g in enumerate(stack_fold) if g != f])
                for f in range(k)]
        jobs.append((str(out_dir / "model.crfsuite"), list(range(len(data)))))
        _fit_all(xs, ys, params, jobs, opts.jobs)
        first = [[] for _ in data]  # type: list[list[str]]
        tagger = pycrfsuite.Tagger()
        for f in range(k):
            tagger.open(str(out_dir / f"fold{f}.crfsuite"))
            for i, g in enumerate(stack_fold):
                if g == f:
                    first[i] = tagger.tag(xs[i])
            tagger.close()
            (out_dir / f"fold{f}.crfsuite").unlink()
        tagger.open(str(out_dir / "model.crfsuite"))
        for i, g in enumerate(stack_fold):
            if g < 0:
                first[i] = tagger.tag(xs[i])
        tagger.close()
        keyer = Featurizer(lexicon, opts.features)
        words = [[t for t, _ in s] for s in data]
        xs2: list[list[list[str]]] = []
        w = max(opts.stack_window, 1)
        for a in range(0, len(data), w):
            doc = words[a : a + w]
            keys = [[keyer.word(t).bare for t in s] for s in doc]
            second = stacked(keys, first[a : a + w], propagate(doc, first[a : a + w]))
            xs2 += [[u + v for u, v in zip(x, e)] for x, e in zip(xs[a : a + w], second)]
        _fit_all(xs2, ys, params, [(str(model2), list(range(len(data))))], 1)
    else:
        _fit_all(xs, ys, params, [(str(out_dir / "model.crfsuite"), list(range(len(data))))], 1)
    # the attributes with weights, so that the tagger passes the CRF only those
    known: set[str] = set()
    for model in (out_dir / "model.crfsuite", model2):
        if model.exists():
            reader = pycrfsuite.Tagger()
            reader.open(str(model))
            known.update(a for a, _ in reader.info().state_features)
            reader.close()
    with open(out_dir / "attributes.txt.gz", "wb") as raw, \
            gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
        gz.write("\n".join(sorted(known)).encode())
    features = {f: getattr(opts.features, f) for f in FeatureSet.__dataclass_fields__}
    summary: dict[str, object] = {
        "train_files": [str(p) for p in train_files],
        "extra": [str(p) for p in extra],
        "sentences": len(train) + len(more),
        "tokens": sum(map(len, train)) + sum(map(len, more)),
        "c1": opts.c1, "c2": opts.c2, "max_iterations": opts.max_iterations,
        "extra_weight": opts.extra_weight,
        "stack_folds": opts.stack_folds,
        "stack_window": opts.stack_window,
        "features": features,
        "gazetteer_entries": len(set(gazetteer)),
        "names": {source: len(table) for source, table in lexicon.names.items()},
        "cluster_words": len(lexicon.clusters),
        "seconds": round(time.perf_counter() - t0, 1),
    }
    (out_dir / "meta.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n",
                                       encoding="utf-8")
    return summary


_FIT: tuple[list[list[list[str]]], list[list[str]], dict[str, object]] | None = None


def _fit(job: tuple[str, list[int]]) -> str:
    import pycrfsuite

    assert _FIT is not None
    xs, ys, params = _FIT
    path, rows = job
    trainer = pycrfsuite.Trainer(verbose=False)
    for i in rows:
        trainer.append(xs[i], ys[i])
    trainer.set_params(params)
    trainer.train(path)
    return path


def _fit_all(xs: list[list[list[str]]], ys: list[list[str]], params: dict[str, object],
             jobs: list[tuple[str, list[int]]], processes: int) -> None:
    """Train one CRF per (path, sentence indices) job, in ``processes`` forked workers."""
    global _FIT
    _FIT = (xs, ys, params)
    try:
        if processes > 1 and len(jobs) > 1:
            import multiprocessing

            with multiprocessing.get_context("fork").Pool(processes) as pool:
                pool.map(_fit, jobs, chunksize=1)
        else:
            for job in jobs:
                _fit(job)
    finally:
        _FIT = None


def name_lexicon(sentences: Iterable[Sentence], keyer: Featurizer) -> dict[tuple[str, ...], str]:
    """The names tagged in ``sentences`` as lexicon keys (first word without proclitics, the
    others normalised) with their most frequent type."""
    seen: dict[tuple[str, ...], dict[str, int]] = {}
    for sentence in sentences:
        words = [t for t, _ in sentence]
        for kind, a, b in spans([y for _, y in sentence]):
            key = (keyer.word(words[a]).bare, *(keyer.word(w).norm for w in words[a + 1 : b]))
            # one or two letters are clitics or initials, not names worth matching
            if sum(map(len, key)) >= 3:
                by_type = seen.setdefault(key, {})
                by_type[kind] = by_type.get(kind, 0) + 1
    return {key: max(by_type, key=lambda k: (by_type[k], k)) for key, by_type in seen.items()}


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
    if window > 0:
        predicted = [y for i in range(0, len(words), window)
                     for y in tagger.label_document(words[i : i + window], propagate=True)]
    else:
        predicted = [tagger.tag_tokens(w) for w in words]
    seconds = time.perf_counter() - t0
    gold = [[y for _, y in s] for s in sentences]
    return NerReport(str(path), score_spans(gold, predicted), sum(map(len, words)), seconds)
