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
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))

from marsad.archive.search import WEIGHTS  # noqa: E402
from marsad.archive.store import Archive  # noqa: E402
from marsad.errors import MarsadError  # noqa: E402

ANT = ROOT.parent / "shared" / "data" / "ant_multisource" / "articles.jsonl.gz"
DEFAULT_ARCHIVE = ROOT / "build" / "ant.db"
DEFAULT_DOC = ROOT / "docs" / "bench_search_quality.md"
K = 10
SHOW = 30

# ---------------------------------------------------------------------------------------- queries

HARAKAT = "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652"  # tanwin, short vowels, shadda, sukun
_VOWELS = "\u064e\u064f\u0650"  # fatha, damma, kasra
_TATWEEL = "ـ"
_WORD = re.compile(r"[^\W_]+", re.UNICODE)  # letters and digits; harakat (Mn) are not \w, see _words

# Function words a reader leaves out of a query, in folded spelling (see fold): prepositions,
# conjunctions, pronouns, demonstratives, relatives, particles, auxiliaries. Written for this bench.
STOP_WORDS = frozenset(
    """
    في من الي علي عن مع منذ حتي عند لدي لدى بين خلال حول ضد دون نحو عبر امام وراء فوق تحت وسط قبل بعد
    ان انه انها انهم اذا اذ لو لولا كي لكي لان لكن بل او ام ثم اما اما الا سوي غير مثل كما بينما حيث
    هو هي هم هن هما انت انا نحن انتم هذا هذه هذان هاتان هؤلاء ذلك تلك اولئك هنا هناك
    الذي التي الذين اللذان اللتان اللاتي اللواتي ما ماذا من متي اين كيف كم لماذا هل اي ايه
    لا لم لن ليس ليست قد لقد كان كانت كانوا يكون تكون يكونون سوف سيكون ستكون
    كل بعض جميع كلا كلتا اكثر اقل اخري اخر عدة نفس ذات تم يتم ايضا فقط جدا الان اليوم امس
    به بها بهم له لها لهم عليه عليها عليهم منه منها منهم فيه فيها فيهم عنه عنها معه معها الذى
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


Variation = Callable[[list[str], random.Random], list[str] | None]


def vary_hamza_strip(words: list[str], rng: random.Random) -> list[str] | None:
    """أ إ آ typed as bare alef, the commonest keyboard shortcut."""
    cands = [i for i, w in enumerate(words) if any(c in w for c in "أإآ")]
    if not cands:
        return None
    out = list(words)
    for i in _some(rng, cands, 0.8):
        out[i] = re.sub("[أإآ]", "ا", out[i])
    return out


def vary_hamza_add(words: list[str], rng: random.Random) -> list[str] | None:
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


def vary_yeh(words: list[str], rng: random.Random) -> list[str] | None:
    """Final ى and ي swapped (Egyptian print writes ى for both)."""
    cands = [i for i, w in enumerate(words) if len(w) > 2 and w[-1] in "يى"]
    if not cands:
        return None
    out = list(words)
    for i in _some(rng, cands, 0.8):
        out[i] = out[i][:-1] + ("ي" if out[i][-1] == "ى" else "ى")
    return out


def vary_teh(words: list[str], rng: random.Random) -> list[str] | None:
    """Final ة typed as ه (it looks the same without dots), and the odd ه typed as ة."""
    cands = [i for i, w in enumerate(words) if len(w) > 2 and w[-1] in "ةه"]
    if not cands:
        return None
    out = list(words)
    for i in _some(rng, cands, 0.8):
        out[i] = out[i][:-1] + ("ه" if out[i][-1] == "ة" else "ة")
    return out


def vary_diacritics(words: list[str], rng: random.Random) -> list[str] | None:
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


def vary_clitic_add(words: list[str], rng: random.Random) -> list[str] | None:
    """A conjunction, preposition or article attached where the headline has none (و ب ل ال)."""
    cands = [i for i, w in enumerate(words) if len(w) > 1 and "\u0621" <= w[0] <= "\u064a"]
    if not cands:
        return None
    out = list(words)
    for i in _some(rng, cands, 0.4):
        w = out[i]
        if w.startswith("ال"):
            out[i] = rng.choice(("و" + w, "ب" + w, "ل" + w[1:], "وب" + w))  # والـ، بالـ، للـ
        else:
            out[i] = rng.choice(("ال", "و", "ب", "ل", "وال", "بال")) + w
    return out


def vary_clitic_remove(words: list[str], rng: random.Random) -> list[str] | None:
    """Attached clitics dropped: والاتحاد → الاتحاد, للمرة → المرة, الاتحاد → اتحاد.

    Only clitics anchored on the article are taken off: a lone و ب ل may be a root letter (وزير،
    بريطانيا، لبنان), which no reader would drop."""
    cands = [i for i, w in enumerate(words) if re.match(r"^(?:[وف]?[بكل]?ال|[وف]?لل)..(?:.)", w)]
    if not cands:
        return None
    out = list(words)
    for i in _some(rng, cands, 0.8):
        w = out[i]
        m = re.match(r"^([وف]?[بك]?)(ال)|^([وف]?)(لل)", w)
        assert m is not None
        head = len(m.group(0))
        rest = w[head:]
        if rng.random() < 0.5 and len(rest) >= 3:
            out[i] = rest  # article off too
        else:
            out[i] = "ال" + rest
        if out[i] == w:
            out[i] = rest
    return out


#: kind name -> how it changes the words (applied in the order drawn, two or three per query)
KINDS: dict[str, Variation] = {
    "hamza_strip": vary_hamza_strip,
    "hamza_add": vary_hamza_add,
    "yeh": vary_yeh,
    "teh": vary_teh,
    "diacritics": vary_diacritics,
    "clitic_add": vary_clitic_add,
    "clitic_remove": vary_clitic_remove,
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


def make_query(title: str, item: str, seed: int) -> KnownItem | None:
    """A query for the headline ``title``, or ``None`` when it has fewer than three content words."""
    words = content_words(title)
    if len(words) < 3:
        return None
    rng = random.Random(f"{seed}:{item}")
    k = min(len(words), rng.randint(3, 5))
    plain = [words[i] for i in sorted(rng.sample(range(len(words)), k))]
    wanted = rng.choice((2, 3))
    kinds: list[str] = []
    out = plain
    for kind in rng.sample(list(KINDS), len(KINDS)):
        changed = KINDS[kind](out, _kind_rng(seed, item, kind))
        if changed is not None and changed != out:
            out = changed
            kinds.append(kind)
            if len(kinds) == wanted:
                break
    return KnownItem(query=" ".join(out), item=item, title=title, plain=plain, kinds=kinds)


def one_kind(known: KnownItem, kind: str | None, seed: int) -> str:
    """The query with only ``kind`` applied to its plain words (``None``: no change at all)."""
    if kind is None:
        return " ".join(known.plain)
    changed = KINDS[kind](known.plain, _kind_rng(seed, known.item, kind))
    return " ".join(changed or known.plain)


# ------------------------------------------------------------------------------------ items, gold

@dataclass(slots=True)
class Pool:
    rows: list[tuple[int, str, str, str, str]]  # rowid, id, title, text, cluster
    cluster_of: dict[str, str] = field(default_factory=dict)  # id -> cluster
    clusters_by_title: dict[str, set[str]] = field(default_factory=dict)


def load_pool(archive: Path) -> Pool:
    db = sqlite3.connect(archive)
    try:
        rows = [(r, i, t or "", x or "", c or i) for r, i, t, x, c in
                db.execute("SELECT rowid, id, title, text, cluster FROM articles ORDER BY rowid")]
    finally:
        db.close()
    pool = Pool(rows)
    for _, article_id, title, _, cluster in rows:
        pool.cluster_of[article_id] = cluster
        pool.clusters_by_title.setdefault(" ".join(title.split()), set()).add(cluster)
    return pool


def draw_queries(pool: Pool, n: int, seed: int) -> tuple[list[KnownItem], int]:
    """``n`` known items drawn with ``seed`` among rows with three content words or more; also how
    many rows had fewer (they cannot make a 3-word query)."""
    eligible: list[KnownItem] = []
    short = 0
    for _, article_id, title, _, cluster in pool.rows:
        known = make_query(title, article_id, seed)
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
    except MarsadError:
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

    def score(self, which: str, kind: str | None = None) -> Score:
        s = Score()
        for q, o in zip(self.queries, getattr(self, which)):
            if kind is None or kind in q.kinds:
                s.add(o)
        return s


def evaluate(archive_path: Path, pool: Pool, queries: list[KnownItem]) -> Evaluation:
    t0 = time.perf_counter()
    baseline = Baseline(pool)
    seconds = {"baseline_build": time.perf_counter() - t0}
    with Archive(archive_path, create=False) as archive:
        t0 = time.perf_counter()
        marsad = [run_marsad(archive, q.query, q.gold, pool.cluster_of) for q in queries]
        seconds["marsad"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    base = [run_baseline(baseline, q.query, q.gold, pool.cluster_of) for q in queries]
    seconds["baseline"] = time.perf_counter() - t0
    baseline.db.close()
    return Evaluation(queries, marsad, base, seconds)


def attribute_misses(archive_path: Path, pool: Pool, ev: Evaluation, seed: int) -> list[tuple[KnownItem, Outcome, list[str]]]:
    """For each query marsad misses (not at rank 1), the kinds that alone already lose the item;
    ``plain`` when even the unchanged words do (ranking, not spelling)."""
    out = []
    with Archive(archive_path, create=False) as archive:
        for q, o in zip(ev.queries, ev.marsad):
            if o.rank == 1:
                continue
            blame = []
            if run_marsad(archive, one_kind(q, None, seed), q.gold, pool.cluster_of).rank != 1:
                blame.append("plain")
            else:
                for kind in q.kinds:
                    if run_marsad(archive, one_kind(q, kind, seed), q.gold, pool.cluster_of).rank != 1:
                        blame.append(kind)
            out.append((q, o, blame))
    return out


# ----------------------------------------------------------------------------------------- output

def _rank(o: Outcome) -> str:
    return str(o.rank) if o.rank else ("none" if o.empty else ">10")


def table(ev: Evaluation) -> list[str]:
    lines = ["| system | queries | MRR@10 | recall@10 | zero results | ms/query |", "|---|---:|---:|---:|---:|---:|"]
    for which, label in (("marsad", "marsad `Archive.search`"), ("baseline", "FTS5 unicode61, raw words")):
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


def differing(ev: Evaluation) -> tuple[list[tuple[KnownItem, Outcome, Outcome]], list[tuple[KnownItem, Outcome, Outcome]]]:
    better, worse = [], []
    for q, m, b in zip(ev.queries, ev.marsad, ev.baseline):
        mr, br = m.rank or K + 1, b.rank or K + 1
        if mr < br:
            better.append((q, m, b))
        elif mr > br:
            worse.append((q, m, b))
    return better, worse


def diff_lines(rows: Iterable[tuple[KnownItem, Outcome, Outcome]], limit: int = SHOW) -> list[str]:
    lines = ["| query | kinds | item title | marsad | baseline |", "|---|---|---|---:|---:|"]
    for q, m, b in list(rows)[:limit]:
        lines.append(f"| {q.query} | {', '.join(q.kinds)} | {q.title} | {_rank(m)} | {_rank(b)} |")
    return lines


def miss_lines(misses: list[tuple[KnownItem, Outcome, list[str]]], limit: int = SHOW) -> list[str]:
    lines = ["| query | kinds | blamed | item title | marsad |", "|---|---|---|---|---:|"]
    for q, o, blame in misses[:limit]:
        lines.append(f"| {q.query} | {', '.join(q.kinds)} | {', '.join(blame) or '(only together)'} | {q.title} | {_rank(o)} |")
    return lines


def write_doc(path: Path, command: str, ev: Evaluation, misses: list[tuple[KnownItem, Outcome, list[str]]],
              *, articles: int, short: int, seed: int) -> None:
    better, worse = differing(ev)
    blame = Counter(b for _, _, bl in misses for b in (bl or ["(only together)"]))
    kinds_per_query = Counter(len(q.kinds) for q in ev.queries)
    words_per_query = Counter(len(q.plain) for q in ev.queries)
    multi_gold = sum(len(q.gold) > 1 for q in ev.queries)
    m = ev.score("marsad")
    lines = [
        "# Known-item search: marsad vs plain SQLite FTS5",
        "",
        "Can a reader find an article again by typing a few words of its headline, spelt the way people",
        "type? Written by `bench/eval_search.py`; run it again to refresh these figures.",
        "",
        "```sh",
        command,
        "```",
        "",
        f"**Archive**: ANT v2.1 (`../shared/data/ant_multisource/articles.jsonl.gz`) ingested with",
        f"`marsad.jobs.ingest_files`: {articles:,} rows (same-URL records collapse into one row). Items are",
        f"the archive's rows; {short:,} rows whose headline has fewer than three content words cannot make a",
        "query and are not drawn. The gold of a query is the row's duplicate cluster (search returns one",
        f"row per cluster), widened to the cluster of any other row with the same headline ({multi_gold} of",
        f"{len(ev.queries)} queries).",
        "",
        f"**Queries** (seed {seed}): 3-5 of the headline's content words in their order, stop words dropped",
        f"(words: {dict(sorted(words_per_query.items()))}), then two or three kinds of change",
        f"(kinds per query: {dict(sorted(kinds_per_query.items()))}):",
        "",
        "- `hamza_strip`: أ إ آ typed as ا; `hamza_add`: a hamza put on a bare initial alef, also after",
        "  the article (الانتخابات → الإنتخابات);",
        "- `yeh`: final ى ↔ ي; `teh`: final ة ↔ ه;",
        "- `diacritics`: random harakat added (removed when the headline has some);",
        "- `clitic_add`: و ب ل ال (or وال، بال، للـ) attached to a word; `clitic_remove`: وال، بال، للـ → ال,",
        "  or the article off too (الاتحاد → اتحاد).",
        "",
        "**Systems**, same queries, same run: marsad's `Archive(path).search(query, limit=10)`; the",
        "baseline is an FTS5 table of the same rows' raw title and text with the default `unicode61`",
        f"tokenizer, `bm25(plain, {WEIGHTS[0]}, {WEIGHTS[2]})` (marsad's exact title and body weights), the raw query",
        "words each quoted and ANDed. A result hits when it is in the gold (the baseline's copies of one",
        "story each count). Zero results: the query matched nothing.",
        "",
        *table(ev),
        "",
        f"Goal: marsad MRR@10 ≥ 0.95 and above the baseline: "
        + ("**met**." if m.mrr >= 0.95 and m.mrr > ev.score("baseline").mrr else "**not met**."),
        "",
        "## By kind of change",
        "",
        "A query has two or three kinds, so it counts in two or three rows.",
        "",
        *kind_table(ev),
        "",
        "## marsad's misses",
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
        *(diff_lines(worse) if worse else ["(none)"]),
        "",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")


def ensure_archive(path: Path) -> None:
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
    args = ap.parse_args(argv)

    ensure_archive(args.archive)
    pool = load_pool(args.archive)
    queries, short = draw_queries(pool, args.n, args.seed)
    ev = evaluate(args.archive, pool, queries)
    misses = attribute_misses(args.archive, pool, ev, args.seed)
    better, worse = differing(ev)

    print(f"{len(pool.rows):,} archive rows, {len(queries)} queries (seed {args.seed}), {short} rows too short to query\n")
    print("\n".join(table(ev)), "\n")
    print("\n".join(kind_table(ev)), "\n")
    print(f"better in marsad: {len(better)}")
    print("\n".join(diff_lines(better)), "\n")
    print(f"better in the baseline: {len(worse)}")
    print("\n".join(diff_lines(worse)), "\n")
    print(f"marsad misses (not rank 1): {len(misses)}")
    print("\n".join(miss_lines(misses)))

    if str(args.doc) != "-":
        command = "python bench/eval_search.py"
        if args.archive != DEFAULT_ARCHIVE:
            command += f" --archive {args.archive}"
        command += f" --n {args.n} --seed {args.seed}"
        write_doc(args.doc, command, ev, misses, articles=len(pool.rows), short=short, seed=args.seed)
        print(f"\nwrote {args.doc}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
