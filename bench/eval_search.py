"""Known-item search: can a reader find an article again by typing a few words of its headline?

    python bench/eval_search.py [--archive build/ant.db] [--n 1000] [--seed 1] [--doc docs/bench_search_quality.md]

1. The archive of ANT (../shared/data/ant_multisource/articles.jsonl.gz) is built with
   ``marsad.jobs.ingest_files`` if it is missing (about 90 s). The archive keys articles by canonical
   URL, so ANT's same-URL records collapse into one row: the items are the archive's own rows
   (``id, title, text, cluster``), and the gold of a query is every row that holds its headline
   (the drawn row, and the rare other row with the same title), widened to their duplicate clusters,
   since search returns one row per cluster.
2. For each of ``--n`` rows drawn with ``--seed``, a query is written from the headline as people type
   it: 3-5 of its content words in order (stop words dropped), then two or three kinds of spelling
   change, each recorded with the query (see :data:`KINDS`).
3. Both systems answer every query in the same run:
   * marsad: ``Archive(path).search(query, limit=10)``; a result hits when its id or its cluster is gold;
   * baseline: a plain SQLite FTS5 table of the same rows (raw title and text, the default
     ``unicode61`` tokenizer, no Arabic analysis), BM25 with marsad's exact title and body weights,
     the raw query words each quoted and ANDed.
   Scores: MRR@10, recall@10, the share of queries with no result at all, overall and by kind.
4. The table, the queries on which the two systems differ, and the misses of marsad (with the kind of
   change that alone breaks each) are printed; the figures and the command go to ``--doc``.

tests/test_search_known_item.py imports this file for its query maker and scorer.
"""

from __future__ import annotations

import argparse
import random
import re
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))

from marsad.archive.search import WEIGHTS  # noqa: E402
from marsad.archive.store import Archive  # noqa: E402
from marsad.errors import ConfigError  # noqa: E402

ANT = ROOT.parent / "shared" / "data" / "ant_multisource" / "articles.jsonl.gz"
DEFAULT_ARCHIVE = ROOT / "build" / "ant.db"
DEFAULT_DOC = ROOT / "docs" / "bench_search_quality.md"
K = 10
SHOW = 30
#: the line in --doc after which hand-written notes start (kept when the figures are rewritten)
NOTES = "<!-- notes: written by hand, kept when bench/eval_search.py rewrites the figures above -->"

# ---------------------------------------------------------------------------------------- queries

HARAKAT = "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652"  # tanwin, short vowels, shadda, sukun
_VOWELS = "\u064e\u064f\u0650"  # fatha, damma, kasra
_TATWEEL = "ـ"
_WORD = re.compile(r"[^\W_]+")  # letters and digits

# Function words a reader leaves out of a query, in folded spelling (see fold): prepositions,
# conjunctions, pronouns, demonstratives, relatives, particles, auxiliaries. Written for this bench.
# Folded على is علي, so the name Ali is dropped too: a query keeps other words of that headline.
STOP_WORDS = frozenset(
    """
    في من الي علي عن مع منذ حتي عند لدي بين خلال حول ضد دون نحو عبر امام وراء فوق تحت وسط قبل بعد
    ان انه انها انهم اذا اذ لو لولا كي لكي لان لكن بل او ام ثم اما الا سوي غير مثل كما بينما حيث
    هو هي هم هن هما انت انا نحن انتم هذا هذه هذان هاتان هؤلاء ذلك تلك اولئك هنا هناك
    الذي التي الذين اللذان اللتان اللاتي اللواتي ما ماذا من متي اين كيف كم لماذا هل اي ايه
    لا لم لن ليس ليست قد لقد كان كانت كانوا يكون تكون يكونون سوف سيكون ستكون
    كل بعض جميع كلا كلتا اكثر اقل اخري اخر عدة نفس ذات تم يتم ايضا فقط جدا الان اليوم امس
    به بها بهم له لها لهم لنا لكم عليه عليها عليهم علينا منه منها منهم منا فيه فيها فيهم فينا عنه عنها عنا
    معه معها معنا بنا
    و ف ب ل ك يا
    """.split()
)

_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", _TATWEEL: None,
                       **{h: None for h in HARAKAT + "\u0670"}})


def fold(word: str) -> str:
    """A loose spelling of ``word`` for stop-word lookup only (not marsad's normaliser, on purpose)."""
    return word.translate(_FOLD)


def is_stop_word(word: str) -> bool:
    f = fold(word)
    # a conjunction on a function word is still a function word: وفي، ولكن، فقد
    return f in STOP_WORDS or (len(f) > 2 and f[0] in "وف" and f[1:] in STOP_WORDS) or len(f) < 2


def headline_words(title: str) -> list[str]:
    """The words of a headline as a reader would retype them: no punctuation, no tatweel."""
    # keep harakat inside words: \w does not cover combining marks, so join them back first
    text = title.replace(_TATWEEL, "")
    return [m.group(0) for m in re.finditer(r"(?:[^\W_]|[" + HARAKAT + "\u0670])+", text)]


def content_words(title: str) -> list[str]:
    return [w for w in headline_words(title) if not is_stop_word(w)]


def _some(rng: random.Random, candidates: list[int], p: float) -> list[int]:
    """Each candidate with probability ``p``, at least one (people are not consistent)."""
    chosen = [i for i in candidates if rng.random() < p]
    return chosen or [rng.choice(candidates)]


#: a kind of change: (words, rng, the archive's folded words) -> changed words, or None if none applies
Variation = Callable[[list[str], random.Random, set[str]], list[str] | None]


def vary_hamza_strip(words: list[str], rng: random.Random, vocab: set[str]) -> list[str] | None:
    """أ إ آ typed as bare alef, the commonest keyboard shortcut."""
    cands = [i for i, w in enumerate(words) if any(c in w for c in "أإآ")]
    if not cands:
        return None
    out = list(words)
    for i in _some(rng, cands, 0.8):
        out[i] = re.sub("[أإآ]", "ا", out[i])
    return out


def vary_hamza_add(words: list[str], rng: random.Random, vocab: set[str]) -> list[str] | None:
    """A hamza put on a bare initial alef, also after the article (الإنتخابات): hypercorrection."""
    cands = [i for i, w in enumerate(words) if (w.startswith("ا") and not w.startswith("ال") and len(w) > 2)
             or (w.startswith("الا") and len(w) > 4)]
    if not cands:
        return None
    out = list(words)
    for i in _some(rng, cands, 0.7):
        w = out[i]
        at = 2 if w.startswith("الا") else 0
        out[i] = w[:at] + rng.choice("أإ") + w[at + 1 :]
    return out


def vary_yeh(words: list[str], rng: random.Random, vocab: set[str]) -> list[str] | None:
    """Final ى and ي swapped (Egyptian print writes ى for both)."""
    cands = [i for i, w in enumerate(words) if len(w) > 2 and w[-1] in "يى"]
    if not cands:
        return None
    out = list(words)
    for i in _some(rng, cands, 0.8):
        out[i] = out[i][:-1] + ("ي" if out[i][-1] == "ى" else "ى")
    return out


def vary_teh(words: list[str], rng: random.Random, vocab: set[str]) -> list[str] | None:
    """Final ة typed as ه (it looks the same without dots), and the odd ه typed as ة."""
    cands = [i for i, w in enumerate(words) if len(w) > 2 and w[-1] in "ةه"]
    if not cands:
        return None
    out = list(words)
    for i in _some(rng, cands, 0.8):
        out[i] = out[i][:-1] + ("ه" if out[i][-1] == "ة" else "ة")
    return out


def vary_diacritics(words: list[str], rng: random.Random, vocab: set[str]) -> list[str] | None:
    """Harakat added at random (or removed, when the headline has some)."""
    if any(c in HARAKAT for w in words for c in w):
        return [re.sub("[" + HARAKAT + "]", "", w) for w in words]
    cands = [i for i, w in enumerate(words) if any("\u0621" <= c <= "\u064a" for c in w)]
    if not cands:
        return None
    out = list(words)
    for i in _some(rng, cands, 0.5):
        letters = []
        for j, c in enumerate(out[i]):
            letters.append(c)
            if not "\u0621" <= c <= "\u064a" or rng.random() < 0.5:
                continue
            last = j == len(out[i]) - 1
            r = rng.random()
            if last and r < 0.2:
                letters.append(rng.choice("\u064b\u064c\u064d"))  # tanwin
            elif r < 0.15:
                letters.append("\u0651" + rng.choice(_VOWELS))  # shadda and a vowel
            elif r < 0.3:
                letters.append("\u0652")  # sukun
            else:
                letters.append(rng.choice(_VOWELS))
        out[i] = "".join(letters)
    return out


def vary_clitic_add(words: list[str], rng: random.Random, vocab: set[str]) -> list[str] | None:
    """A conjunction, preposition or article attached where the headline has none (و ب ل ال), as
    long as the form is a word of the archive (``vocab``, folded): nobody types ال on a verb."""
    cands = []
    for i, w in enumerate(words):
        # not on two-letter words (آل، مو، دي): a clitic on those reads as another word
        if not "\u0621" <= w[0] <= "\u064a" or len(fold(w)) < 3 or _has_clitic(w, vocab):
            continue
        forms: tuple[str, ...]
        if w.startswith("ال"):
            forms = ("و" + w, "ب" + w, "ل" + w[1:], "وب" + w)  # والـ، بالـ، للـ، وبالـ
        else:
            forms = ("ال" + w, "و" + w, "ب" + w, "ل" + w, "وال" + w, "بال" + w)
        forms = tuple(f for f in forms if fold(f) in vocab)
        if forms:
            cands.append((i, forms))
    if not cands:
        return None
    out = list(words)
    for i, forms in (cands[j] for j in _some(rng, list(range(len(cands))), 0.4)):
        out[i] = rng.choice(forms)
    return out


def _has_clitic(word: str, vocab: set[str]) -> bool:
    """Whether ``word`` seems to carry a conjunction or preposition already (ومؤلف، بفرض، للمعارضة)."""
    if word.startswith(("وال", "فال", "بال", "كال", "لل")):
        return True
    return len(word) > 3 and word[0] in "وفبل" and fold(word[1:]) in vocab


def vary_clitic_remove(words: list[str], rng: random.Random, vocab: set[str]) -> list[str] | None:
    """Attached clitics dropped: والاتحاد → الاتحاد, للمرة → المرة, الاتحاد → اتحاد.

    Only clitics anchored on the article are taken off, and only when what is left is a word of the
    archive (``vocab``, folded): the letters may be part of the word (والدا، فالنسيا، بالي، المانيا)."""
    out = list(words)
    cands = []
    for i, w in enumerate(words):
        m = _CLITIC_HEAD.match(w)
        if m is None or len(w) - len(m.group(0)) < 3:
            continue
        rest = w[len(m.group(0)) :]
        forms = [f for f in ([rest] if m.group(0) == "ال" else ["ال" + rest, rest]) if fold(f) in vocab]
        if forms:
            cands.append((i, forms))
    if not cands:
        return None
    for i, forms in (cands[j] for j in _some(rng, list(range(len(cands))), 0.8)):
        out[i] = rng.choice(forms)
    return out


# conjunction, preposition and article, or conjunction and lam-lam (للمرة = ل + المرة)
_CLITIC_HEAD = re.compile(r"^(?:[وف]?[ب]?ال|[وف]?لل)")


#: kind name -> how it changes the words; two or three kinds per query, applied in this order
KINDS: dict[str, Variation] = {
    "clitic_remove": vary_clitic_remove,
    "clitic_add": vary_clitic_add,
    "hamza_strip": vary_hamza_strip,
    "hamza_add": vary_hamza_add,
    "yeh": vary_yeh,
    "teh": vary_teh,
    "diacritics": vary_diacritics,
}


@dataclass(slots=True)
class KnownItem:
    query: str
    item: str  # the drawn row's id
    title: str
    plain: list[str]  # the chosen content words, as the headline spells them
    kinds: list[str]  # spelling changes applied, in order
    gold: frozenset[str] = frozenset()  # clusters that count as the item


def _kind_rng(seed: int, item: str, kind: str) -> random.Random:
    return random.Random(f"{seed}:{item}:{kind}")


def make_query(title: str, item: str, seed: int, vocab: set[str]) -> KnownItem | None:
    """A query for the headline ``title``, or ``None`` when it has fewer than three content words."""
    words = content_words(title)
    if len(words) < 3:
        return None
    rng = random.Random(f"{seed}:{item}")
    k = min(len(words), rng.randint(3, 5))
    plain = [words[i] for i in sorted(rng.sample(range(len(words)), k))]
    wanted = rng.choice((2, 3))
    drawn: list[str] = []
    for kind in rng.sample(list(KINDS), len(KINDS)):  # kinds that change something, in random order
        if KINDS[kind](plain, _kind_rng(seed, item, kind), vocab) not in (None, plain):
            drawn.append(kind)
            if len(drawn) == wanted:
                break
    kinds: list[str] = []
    out = plain
    for kind, vary in KINDS.items():  # applied in this order: clitics before letters, harakat last
        if kind in drawn:
            changed = vary(out, _kind_rng(seed, item, kind), vocab)
            if changed is not None and changed != out:
                out = changed
                kinds.append(kind)
    return KnownItem(query=" ".join(out), item=item, title=title, plain=plain, kinds=kinds)


def one_kind(known: KnownItem, kind: str | None, seed: int, vocab: set[str]) -> str:
    """The query with only ``kind`` applied to its plain words (``None``: no change at all)."""
    if kind is None:
        return " ".join(known.plain)
    changed = KINDS[kind](known.plain, _kind_rng(seed, known.item, kind), vocab)
    return " ".join(changed or known.plain)


# ------------------------------------------------------------------------------------ items, gold

@dataclass(slots=True)
class Pool:
    rows: list[tuple[int, str, str, str, str]]  # rowid, id, title, text, cluster
    cluster_of: dict[str, str] = field(default_factory=dict)  # id -> cluster
    clusters_by_title: dict[str, set[str]] = field(default_factory=dict)
    vocab: set[str] = field(default_factory=set)  # folded words of every title and text


def load_pool(archive: Path) -> Pool:
    db = sqlite3.connect(archive)
    try:
        rows = [(r, i, t or "", x or "", c or i) for r, i, t, x, c in
                db.execute("SELECT rowid, id, title, text, cluster FROM articles ORDER BY rowid")]
    finally:
        db.close()
    pool = Pool(rows)
    for _, article_id, title, text, cluster in rows:
        pool.cluster_of[article_id] = cluster
        pool.clusters_by_title.setdefault(" ".join(title.split()), set()).add(cluster)
        pool.vocab.update(_WORD.findall(fold(title)), _WORD.findall(fold(text)))
    return pool


def draw_queries(pool: Pool, n: int, seed: int) -> tuple[list[KnownItem], int]:
    """``n`` known items drawn with ``seed`` among rows with three content words or more; also how
    many rows had fewer (they cannot make a 3-word query)."""
    eligible: list[KnownItem] = []
    short = 0
    for _, article_id, title, _, cluster in pool.rows:
        known = make_query(title, article_id, seed, pool.vocab)
        if known is None:
            short += 1
            continue
        known.gold = frozenset(pool.clusters_by_title[" ".join(title.split())] | {cluster})
        eligible.append(known)
    rng = random.Random(seed)
    return rng.sample(eligible, min(n, len(eligible))), short


# -------------------------------------------------------------------------------------- baseline

class Baseline:
    """Plain SQLite FTS5 over raw title and text: default ``unicode61`` tokenizer, BM25."""

    def __init__(self, pool: Pool) -> None:
        self.db = sqlite3.connect(":memory:")
        self.db.execute("CREATE VIRTUAL TABLE plain USING fts5(title, text)")
        with self.db:
            self.db.executemany("INSERT INTO plain (rowid, title, text) VALUES (?, ?, ?)",
                                ((r, t, x) for r, _, t, x, _ in pool.rows))
        self.id_of = {r: i for r, i, _, _, _ in pool.rows}
        # marsad's weights of its exact title and exact body fields: the same title weight
        self.weights = f"{WEIGHTS[0]}, {WEIGHTS[2]}"

    def search(self, query: str, limit: int = K) -> list[str]:
        words = ['"' + w.replace('"', "") + '"' for w in query.split() if w.replace('"', "")]
        if not words:
            return []
        sql = f"SELECT rowid FROM plain WHERE plain MATCH ? ORDER BY bm25(plain, {self.weights}) LIMIT ?"
        return [self.id_of[r] for (r,) in self.db.execute(sql, (" AND ".join(words), limit))]


# ---------------------------------------------------------------------------------------- scoring

@dataclass(slots=True)
class Outcome:
    rank: int | None  # 1-based rank of the first gold result within K, else None
    empty: bool  # no result at all


def first_gold(ids: Sequence[str], gold: frozenset[str], cluster_of: dict[str, str]) -> int | None:
    for rank, article_id in enumerate(ids[:K], 1):
        if cluster_of.get(article_id, article_id) in gold:
            return rank
    return None


def run_marsad(archive: Archive, query: str, gold: frozenset[str], cluster_of: dict[str, str]) -> Outcome:
    try:
        results = archive.search(query, limit=K)
    except ConfigError:  # nothing left to search for after analysis: no result, not a broken archive
        return Outcome(None, True)
    ids = [h.id for h in results.results]
    return Outcome(first_gold(ids, gold, cluster_of), not ids)


def run_baseline(baseline: Baseline, query: str, gold: frozenset[str], cluster_of: dict[str, str]) -> Outcome:
    ids = baseline.search(query)
    return Outcome(first_gold(ids, gold, cluster_of), not ids)


@dataclass(slots=True)
class Score:
    n: int = 0
    rr: float = 0.0
    found: int = 0
    empty: int = 0

    def add(self, o: Outcome) -> None:
        self.n += 1
        self.rr += 1 / o.rank if o.rank else 0.0
        self.found += o.rank is not None
        self.empty += o.empty

    @property
    def mrr(self) -> float:
        return self.rr / self.n if self.n else 0.0

    @property
    def recall(self) -> float:
        return self.found / self.n if self.n else 0.0

    @property
    def zero(self) -> float:
        return self.empty / self.n if self.n else 0.0


@dataclass(slots=True)
class Evaluation:
    queries: list[KnownItem]
    marsad: list[Outcome]
    baseline: list[Outcome]
    seconds: dict[str, float]
    # the same systems on the plain words (no spelling change): what ranking alone reaches
    marsad_plain: list[Outcome] = field(default_factory=list)
    baseline_plain: list[Outcome] = field(default_factory=list)

    def score(self, which: str, kind: str | None = None) -> Score:
        s = Score()
        for q, o in zip(self.queries, getattr(self, which)):
            if kind is None or kind in q.kinds:
                s.add(o)
        return s


def evaluate(archive_path: Path, pool: Pool, queries: list[KnownItem], *, plain: bool = True) -> Evaluation:
    """Both systems on every query (and, with ``plain``, on its unchanged words too)."""
    t0 = time.perf_counter()
    baseline = Baseline(pool)
    seconds = {"baseline_build": time.perf_counter() - t0}
    with Archive(archive_path, create=False) as archive:
        t0 = time.perf_counter()
        marsad = [run_marsad(archive, q.query, q.gold, pool.cluster_of) for q in queries]
        seconds["marsad"] = time.perf_counter() - t0
        if plain:
            t0 = time.perf_counter()
            marsad_plain = [run_marsad(archive, " ".join(q.plain), q.gold, pool.cluster_of) for q in queries]
            seconds["marsad_plain"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    base = [run_baseline(baseline, q.query, q.gold, pool.cluster_of) for q in queries]
    seconds["baseline"] = time.perf_counter() - t0
    ev = Evaluation(queries, marsad, base, seconds)
    if plain:
        ev.marsad_plain = marsad_plain
        t0 = time.perf_counter()
        ev.baseline_plain = [run_baseline(baseline, " ".join(q.plain), q.gold, pool.cluster_of) for q in queries]
        seconds["baseline_plain"] = time.perf_counter() - t0
    baseline.db.close()
    return ev


Single = dict[str, tuple[Score, Score, Score]]


def single_kinds(archive_path: Path, pool: Pool, ev: Evaluation, seed: int) -> Single:
    """Each kind alone on the plain words of every query it can change: (marsad, baseline, marsad on
    the same queries' plain words) scores."""
    baseline = Baseline(pool)
    out: Single = {}
    with Archive(archive_path, create=False) as archive:
        for kind in KINDS:
            m, b, ref = Score(), Score(), Score()
            for i, q in enumerate(ev.queries):
                text = one_kind(q, kind, seed, pool.vocab)
                if text == " ".join(q.plain):
                    continue  # this kind has nothing to change in these words
                m.add(run_marsad(archive, text, q.gold, pool.cluster_of))
                b.add(run_baseline(baseline, text, q.gold, pool.cluster_of))
                ref.add(ev.marsad_plain[i])
            out[kind] = (m, b, ref)
    baseline.db.close()
    return out


def attribute_misses(archive_path: Path, pool: Pool, ev: Evaluation, seed: int) -> list[tuple[KnownItem, Outcome, list[str]]]:
    """For each query marsad misses (not at rank 1), the kinds that alone already lose the item;
    ``plain`` when even the unchanged words do (ranking, not spelling)."""
    out = []
    with Archive(archive_path, create=False) as archive:
        for q, o in zip(ev.queries, ev.marsad):
            if o.rank == 1:
                continue
            blame = []
            if run_marsad(archive, one_kind(q, None, seed, pool.vocab), q.gold, pool.cluster_of).rank != 1:
                blame.append("plain")
            else:
                for kind in q.kinds:
                    if run_marsad(archive, one_kind(q, kind, seed, pool.vocab), q.gold, pool.cluster_of).rank != 1:
                        blame.append(kind)
            out.append((q, o, blame))
    return out


# ----------------------------------------------------------------------------------------- output

def _rank(o: Outcome) -> str:
    return str(o.rank) if o.rank else ("none" if o.empty else ">10")


def table(ev: Evaluation) -> list[str]:
    lines = ["| system | queries | MRR@10 | recall@10 | zero results | ms/query |", "|---|---:|---:|---:|---:|---:|"]
    rows = [("marsad", "marsad `Archive.search`"), ("baseline", "FTS5 unicode61, raw words")]
    if ev.marsad_plain:
        rows += [("marsad_plain", "*reference*: marsad, plain words"), ("baseline_plain", "*reference*: FTS5, plain words")]
    for which, label in rows:
        s = ev.score(which)
        ms = 1000 * ev.seconds[which] / max(1, s.n)
        lines.append(f"| {label} | {s.n} | **{s.mrr:.3f}** | {s.recall:.3f} | {s.zero:.1%} | {ms:.1f} |")
    return lines


def kind_table(ev: Evaluation) -> list[str]:
    lines = ["| kind (queries that have it) | n | marsad MRR | marsad zero | baseline MRR | baseline zero |",
             "|---|---:|---:|---:|---:|---:|"]
    for kind in KINDS:
        m, b = ev.score("marsad", kind), ev.score("baseline", kind)
        lines.append(f"| {kind} | {m.n} | {m.mrr:.3f} | {m.zero:.1%} | {b.mrr:.3f} | {b.zero:.1%} |")
    return lines


def single_table(singles: Single) -> list[str]:
    lines = ["| kind alone | n | marsad MRR | marsad MRR, plain words | marsad recall | marsad zero | baseline MRR | baseline zero |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for kind, (m, b, ref) in singles.items():
        lines.append(f"| {kind} | {m.n} | {m.mrr:.3f} | {ref.mrr:.3f} | {m.recall:.3f} | {m.zero:.1%} | {b.mrr:.3f} | {b.zero:.1%} |")
    return lines


Differing = list[tuple[KnownItem, Outcome, Outcome]]


def differing(ev: Evaluation, *, plain: bool = False) -> tuple[Differing, Differing]:
    """Queries where marsad ranks the item better, and worse, than the baseline (``plain``: on the
    unchanged words, where the query shown is the plain one)."""
    better: Differing = []
    worse: Differing = []
    if plain:
        queries = [KnownItem(" ".join(q.plain), q.item, q.title, q.plain, [], q.gold) for q in ev.queries]
        pairs = zip(queries, ev.marsad_plain, ev.baseline_plain)
    else:
        pairs = zip(ev.queries, ev.marsad, ev.baseline)
    for q, m, b in pairs:
        mr, br = m.rank or K + 1, b.rank or K + 1
        if mr < br:
            better.append((q, m, b))
        elif mr > br:
            worse.append((q, m, b))
    return better, worse


def diff_lines(rows: Differing, limit: int = SHOW) -> list[str]:
    if not rows:
        return ["(none)"]
    lines = ["| query | kinds | item title | marsad | baseline |", "|---|---|---|---:|---:|"]
    for q, m, b in rows[:limit]:
        lines.append(f"| {q.query} | {', '.join(q.kinds)} | {q.title} | {_rank(m)} | {_rank(b)} |")
    return lines


def miss_lines(misses: list[tuple[KnownItem, Outcome, list[str]]], limit: int = SHOW) -> list[str]:
    lines = ["| query | kinds | blamed | item title | marsad |", "|---|---|---|---|---:|"]
    for q, o, blame in misses[:limit]:
        lines.append(f"| {q.query} | {', '.join(q.kinds)} | {', '.join(blame) or '(only together)'} | {q.title} | {_rank(o)} |")
    return lines


def unmatched_words(archive_path: Path, pool: Pool, queries: list[KnownItem]) -> list[tuple[KnownItem, str, str, str]]:
    """Query words that cannot meet their own item (no row of its gold matches the word alone):
    (query, headline word, typed word, marsad's stem of it). Such a word makes the item unreachable,
    since every query word must match. Asked of the archive's own index with marsad's own query
    builder, so it follows any change to the analysis."""
    from marsad.archive.schema import docno, partitions
    from marsad.archive.search import parse_query, to_fts
    from marsad.text.analysis import stem, tokens

    out = []
    db = sqlite3.connect(archive_path)
    try:
        number = {r: docno(day, r) for r, day in db.execute("SELECT rowid, day FROM articles")}  # the index's rowids
        rowids: dict[str, list[int]] = {}
        for rowid, _, _, _, cluster in pool.rows:
            rowids.setdefault(cluster, []).append(number[rowid])
        for q in queries:
            gold = [r for c in q.gold for r in rowids.get(c, [])]
            marks = ",".join("?" * len(gold))
            for orig, typed in zip(q.plain, q.query.split()):
                try:
                    expr = to_fts(parse_query(typed))
                except ConfigError:
                    continue
                sqls = [f"SELECT 1 FROM {t} WHERE {t} MATCH ? AND rowid IN ({marks}) LIMIT 1" for t, _, _ in partitions(db)]
                if not any(db.execute(sql, (expr, *gold)).fetchone() for sql in sqls):
                    out.append((q, orig, typed, " ".join(stem(w) for w in tokens(typed))))
    finally:
        db.close()
    return out


def write_doc(path: Path, command: str, ev: Evaluation, singles: Single,
              misses: list[tuple[KnownItem, Outcome, list[str]]], unmatched: list[tuple[KnownItem, str, str, str]],
              *, articles: int, short: int, seed: int, version: str) -> None:
    notes = ""
    if path.exists():  # hand-written findings below the marker survive a rewrite
        old = path.read_text(encoding="utf-8")
        if NOTES in old:
            notes = old[old.index(NOTES) :]
    better, worse = differing(ev)
    plain_better, plain_worse = differing(ev, plain=True)
    blame = Counter(b for _, _, bl in misses for b in (bl or ["(only together)"]))
    kinds_per_query = Counter(len(q.kinds) for q in ev.queries)
    words_per_query = Counter(len(q.plain) for q in ev.queries)
    multi_gold = sum(len(q.gold) > 1 for q in ev.queries)
    m, b = ev.score("marsad"), ev.score("baseline")
    met = m.mrr >= 0.95 and m.mrr > b.mrr
    lines = [
        "# Known-item search: marsad vs plain SQLite FTS5",
        "",
        "Can a reader find an article again by typing a few words of its headline, spelt the way people",
        "type? Written by `bench/eval_search.py` (run it again to refresh every figure here); the floor",
        "test is `tests/test_search_known_item.py`.",
        "",
        "```sh",
        command,
        "```",
        "",
        f"Measured on marsad at {version}. The archive is built once and reused: after a change to the",
        "analysis or the index, run with `--rebuild`.",
        "",
        "**Archive**: ANT v2.1 (`../shared/data/ant_multisource/articles.jsonl.gz`) ingested with",
        f"`marsad.jobs.ingest_files`: {articles:,} rows (same-URL records collapse into one row). Items are",
        f"the archive's rows; {short:,} rows whose headline has fewer than three content words cannot make a",
        "query and are not drawn. The gold of a query is the row's duplicate cluster (search returns one",
        f"row per cluster), widened to the cluster of any other row with the same headline ({multi_gold} of",
        f"{len(ev.queries)} queries).",
        "",
        f"**Queries** (seed {seed}): 3-5 of the headline's content words in their order, stop words dropped",
        f"(words per query: {dict(sorted(words_per_query.items()))}), then two or three kinds of change",
        f"(kinds per query: {dict(sorted(kinds_per_query.items()))}; 1 when only one kind applies):",
        "",
        "- `clitic_remove`: وال، بال، للـ → ال, or the article off too (الاتحاد → اتحاد); `clitic_add`:",
        "  و ب ل ال (or وال، بال، للـ) attached to a word of three letters or more that carries none;",
        "  both only when the form typed is a word of the archive (no ال on a verb, no بنان for لبنان);",
        "- `hamza_strip`: أ إ آ typed as ا; `hamza_add`: a hamza put on a bare initial alef, also after",
        "  the article (الانتخابات → الإنتخابات);",
        "- `yeh`: final ى ↔ ي; `teh`: final ة ↔ ه;",
        "- `diacritics`: random harakat added (removed when the headline has some).",
        "",
        "**Systems**, same queries, same run: marsad's `Archive(path).search(query, limit=10)`; the",
        "baseline is an FTS5 table of the same rows' raw title and text with the default `unicode61`",
        f"tokenizer, `bm25(plain, {WEIGHTS[0]}, {WEIGHTS[2]})` (marsad's exact title and body weights), the raw query",
        "words each quoted and ANDed. A result hits when it is in the gold (the baseline's copies of one",
        "story each count). Zero results: the query matched nothing. The *reference* rows run the chosen",
        "words as the headline spells them, before any change: what ranking alone reaches.",
        "",
        *table(ev),
        "",
        "Goal: marsad MRR@10 ≥ 0.95 and above the baseline: " + ("**met**." if met else "**not met**."),
        *(["", "What the misses have in common, and what would mend them: **Findings**, at the end."] if notes else []),
        "",
        "## By kind of change",
        "",
        "Each kind alone on the plain words (queries whose words it can change), beside marsad on the",
        "same queries' plain words: the gap is what the change costs.",
        "",
        *single_table(singles),
        "",
        "In the evaluated queries (two or three kinds each, so a query counts in two or three rows):",
        "",
        *kind_table(ev),
        "",
        "## Why marsad misses",
        "",
        f"{len(unmatched)} typed words cannot meet their own item: searched alone, the word does not match",
        "the item (nor its duplicates), which loses the item, since every word must match:",
        "",
        "| headline word | typed | stem of typed | query | kinds |",
        "|---|---|---|---|---|",
        *[f"| {o} | {t} | {st} | {q.query} | {', '.join(q.kinds)} |" for q, o, t, st in unmatched[:SHOW]],
        "",
        f"{len(misses)} queries do not find the item at rank 1. Each is run again with only one of its",
        "changes on the plain words: `blamed` lists the changes that alone lose rank 1 (`plain`: the",
        "unchanged words already do, so ranking or word choice, not spelling, is at fault).",
        "",
        "| blamed | queries |",
        "|---|---:|",
        *[f"| {k} | {v} |" for k, v in blame.most_common()],
        "",
        *miss_lines(misses),
        "",
        f"## Where the two differ ({len(better)} queries better in marsad, {len(worse)} better in the baseline)",
        "",
        f"Better in marsad (first {SHOW}):",
        "",
        *diff_lines(better),
        "",
        f"Better in the baseline (first {SHOW}):",
        "",
        *diff_lines(worse),
        "",
        f"On the plain words (no spelling change): {len(plain_better)} queries better in marsad,",
        f"{len(plain_worse)} better in the baseline (first {SHOW}):",
        "",
        *diff_lines(plain_worse),
        "",
    ]
    path.write_text("\n".join(lines) + ("\n" + notes if notes else ""), encoding="utf-8")


def marsad_version() -> str:
    """The commit measured, and whether src/ differs from it."""
    try:
        head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--", "src"], capture_output=True,
                               text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "an unknown commit"
    return f"commit {head}" + (" with uncommitted changes in src/" if dirty else " (src/ as committed)")


def ensure_archive(path: Path, *, rebuild: bool = False) -> None:
    if rebuild:
        for part in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            part.unlink(missing_ok=True)
    if path.exists():
        return
    from marsad.jobs import ingest_files

    if not ANT.exists():
        sys.exit(f"{ANT} is absent: cannot build the archive")
    path.parent.mkdir(parents=True, exist_ok=True)
    print(f"building {path} from {ANT} (about 90 s) ...", file=sys.stderr)
    ingest_files([str(ANT)], path)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--archive", type=Path, default=DEFAULT_ARCHIVE)
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--doc", type=Path, default=DEFAULT_DOC, help="where to write the figures ('-' for nowhere)")
    ap.add_argument("--rebuild", action="store_true", help="build the archive again (after a change to the analysis)")
    args = ap.parse_args(argv)

    ensure_archive(args.archive, rebuild=args.rebuild)
    pool = load_pool(args.archive)
    queries, short = draw_queries(pool, args.n, args.seed)
    ev = evaluate(args.archive, pool, queries)
    singles = single_kinds(args.archive, pool, ev, args.seed)
    misses = attribute_misses(args.archive, pool, ev, args.seed)
    unmatched = unmatched_words(args.archive, pool, queries)
    better, worse = differing(ev)

    print(f"marsad at {marsad_version()}; {len(pool.rows):,} archive rows, {len(queries)} queries (seed {args.seed}),"
          f" {short} rows too short to query\n")
    print("\n".join(table(ev)), "\n")
    print("\n".join(single_table(singles)), "\n")
    print("\n".join(kind_table(ev)), "\n")
    print(f"better in marsad: {len(better)}")
    print("\n".join(diff_lines(better)), "\n")
    print(f"better in the baseline: {len(worse)}")
    print("\n".join(diff_lines(worse)), "\n")
    plain_better, plain_worse = differing(ev, plain=True)
    print(f"plain words: better in marsad {len(plain_better)}, better in the baseline {len(plain_worse)}")
    print("\n".join(diff_lines(plain_worse)), "\n")
    print(f"marsad misses (not rank 1): {len(misses)}")
    print("\n".join(miss_lines(misses)), "\n")
    print(f"typed words marsad cannot meet in their item: {len(unmatched)}")
    for q, orig, typed, st in unmatched[:SHOW]:
        print(f"  {orig} -> {typed} (stem {st})    [{q.query}]")

    if str(args.doc) != "-":
        command = "python bench/eval_search.py"
        if args.archive != DEFAULT_ARCHIVE:
            command += f" --archive {args.archive}"
        command += f" --n {args.n} --seed {args.seed}"
        write_doc(args.doc, command, ev, singles, misses, unmatched, articles=len(pool.rows), short=short,
                  seed=args.seed, version=marsad_version())
        print(f"\nwrote {args.doc}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
