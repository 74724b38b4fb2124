"""The PostgreSQL archive's full-text index: marsad's own analysis stored as ``tsvector`` columns.

Each article has one row in ``fts`` holding the seven columns SQLite's FTS5 parts hold
(:func:`~marsad.archive.store.fts_values`: exact and stemmed words of title and body, second stems,
entity names, topic), each made with ``to_tsvector('simple', ...)`` over words marsad has already
normalised and stemmed, so PostgreSQL adds nothing of its own (no stemming, no stop words), each
with a GIN index; and the article's number of words, as FTS5 counts them, for BM25.

A query is the same :class:`~marsad.archive.search.Query` the SQLite search runs, compiled here into
the same tree of phrases as :func:`~marsad.archive.search.to_fts` writes for FTS5 (a phrase is words
in a row, ``<->``, in a set of columns), and ranked with FTS5's own BM25 (same weights, same
statistics: articles, average length, articles holding each phrase; the frequency of a phrase in an
article counted from the positions the ``tsvector`` keeps), so that both backends give the same
order. PostgreSQL's ``ts_rank`` is not BM25 and is not used.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ..text.analysis import stem, strip_clitics
from . import search
from .connection import Connection
from .schema import ROWID_BITS, ROWID_MASK
from .search import WEIGHTS, Match, Query, Term, stem_branches

#: the full-text columns, in FTS5's order (BM25 weights are given for the first five; the others weigh 1)
COLUMNS = ("title_exact", "title_stem", "body_exact", "body_stem", "alt", "entities", "topic")
_WEIGHT = {c: (WEIGHTS[i] if i < len(WEIGHTS) else 1.0) for i, c in enumerate(COLUMNS)}
_ALL = (("title_exact", "body_exact"), ("title_stem", "body_stem"), ("title_stem", "body_stem", "alt"))
_TITLE = (("title_exact",), ("title_stem",), ("title_stem",))
#: FTS5's bm25 constants
K1, B = 1.2, 0.75
#: a word as FTS5's unicode61 tokenizer reads a quoted string: letters and digits, case folded
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True, slots=True)
class Phrase:
    """Words in a row (or a word's prefix) in any of some columns: one quoted string of FTS5."""
    columns: tuple[str, ...]
    words: tuple[str, ...]
    prefix: bool = False


@dataclass(frozen=True, slots=True)
class Node:
    """``and``/``or`` of its items, or ``not``: the first item without the second."""
    op: str
    items: tuple[Phrase | Node, ...]


Expr = Phrase | Node


def _phrase(columns: tuple[str, ...], text: str, prefix: bool = False) -> Phrase:
    return Phrase(columns, tuple(_WORD.findall(text.replace('"', "").lower())), prefix)


def _any(items: Iterable[Expr]) -> Node:
    return Node("or", tuple(items))


def term_expr(term: Term, cols: tuple[tuple[str, ...], ...] = _ALL) -> Expr:
    """A query term as phrases: :func:`marsad.archive.search._term_expr`, phrase for phrase."""
    exact_cols, stem_cols, stem_alt_cols = cols
    if term.names:
        if term.stemmed:
            as_word = term_expr(term.as_word(), cols)
        else:
            own = _any(_phrase(exact_cols, s) for s in term.own or term.names)
            as_word = Node("and", (own, term_expr(Term(term.words), cols))) if len(term.words) == 1 else own
        others = [s for s in term.names if s not in term.own]
        if not others:
            return as_word
        return _any((as_word, _any(_phrase(exact_cols, s) for s in others)))
    if len(term.words) > 1:
        return _any((_phrase(exact_cols, " ".join(term.words)), _phrase(stem_cols, " ".join(stem(w) for w in term.words))))
    (word,) = term.words
    if term.prefix:
        exact = _phrase(exact_cols, word, prefix=True)
        bare = strip_clitics(word)
        return _any((exact, _phrase(stem_cols, bare, prefix=True))) if bare else exact
    root = stem(word)
    if not root:
        return _phrase(exact_cols, word)
    found: list[Expr] = []
    for s, with_alt in stem_branches(word):
        part: Expr = _phrase(stem_alt_cols if with_alt else stem_cols, s)
        if term.guarded(s):  # a stem names share: not where only they have it (بوتين for التين, and لتين)
            cut = Node("not", (_any(_phrase(exact_cols, f) for f in term.cut), _any(_phrase(exact_cols, f) for f in term.forms)))
            part = Node("not", (part, cut))
        found.append(part)
    return _any(found)


def compile_match(match: Match, *, title_only: bool = False) -> Expr | None:
    """The phrase tree of a :class:`Match` (None: every article), as :func:`~marsad.archive.fts5.expression`."""
    facets: list[Expr] = []
    for column, forms in match.facets:
        facets.append(_any(_phrase((column,), f) for f in forms))
    if match.query is None:
        return Node("and", tuple(facets)) if facets else None
    return Node("and", (query_expr(match.query, title_only=title_only), *facets))


def query_expr(query: Query, *, title_only: bool = False) -> Expr:
    cols = _TITLE if title_only else _ALL
    expr: Expr = Node("and", tuple(_any(term_expr(t, cols) for t in group) for group in query.groups))
    for term in query.excluded:
        expr = Node("not", (expr, term_expr(term)))
    return expr


def phrases(expr: Expr, *, excluded: bool = False) -> list[tuple[Phrase, bool]]:
    """Every phrase of the tree, each time it occurs, and whether it is on the excluded side of a
    NOT: FTS5's BM25 sums over them all, but an excluded phrase is never read at a row that
    matches (FTS5 moves the excluded side past it), so its frequency there is 0."""
    if isinstance(expr, Phrase):
        return [(expr, excluded)]
    if expr.op == "not":
        return phrases(expr.items[0], excluded=excluded) + phrases(expr.items[1], excluded=True)
    return [p for item in expr.items for p in phrases(item, excluded=excluded)]


def _lexeme(word: str) -> str:
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def tsquery(p: Phrase) -> str:
    """The tsquery of a phrase: its words in a row (``<->``), or a prefix (``:*``)."""
    if not p.words:
        return ""
    if p.prefix:
        return " <-> ".join(_lexeme(w) for w in p.words[:-1]) + (" <-> " if len(p.words) > 1 else "") \
            + _lexeme(p.words[-1]) + ":*"
    return " <-> ".join(_lexeme(w) for w in p.words)


def to_sql(expr: Expr, alias: str = "f") -> tuple[str, list[str]]:
    """The SQL condition of a phrase tree over the ``fts`` row ``alias``, and its parameters (the
    tsqueries: user text reaches SQL only as a parameter)."""
    if isinstance(expr, Phrase):
        query = tsquery(expr)
        if not query:
            return "FALSE", []
        return "(" + " OR ".join(f"{alias}.{c} @@ ?::tsquery" for c in expr.columns) + ")", [query] * len(expr.columns)
    parts = [to_sql(item, alias) for item in expr.items]
    params = [p for _, ps in parts for p in ps]
    if expr.op == "not":
        return f"({parts[0][0]} AND NOT {parts[1][0]})", params
    if not parts:
        return ("TRUE" if expr.op == "and" else "FALSE"), []
    return "(" + f" {expr.op.upper()} ".join(sql for sql, _ in parts) + ")", params


#: (database, generation) -> the index's articles and words: a count over the whole index is the
#: slowest part of a search, and it only changes when a write is committed (the generation grows)
_TOTALS: dict[tuple[str, str, int], tuple[int, int]] = {}


def index_totals(db: Connection) -> tuple[int, int]:
    """How many articles the index holds and how many words in all (BM25's N and mean length)."""
    where, generation = getattr(db, "where", ""), db.execute(
        "SELECT current_database(), CASE WHEN is_called THEN last_value ELSE 0 END FROM marsad_generation").fetchone()
    key = (str(where), str(generation[0]), int(generation[1]))
    got = _TOTALS.get(key)
    if got is None:
        rows, words = db.execute("SELECT count(*), coalesce(sum(size), 0) FROM fts").fetchone()
        got = int(rows), int(words)
        if len(_TOTALS) > 64:
            _TOTALS.clear()
        _TOTALS[key] = got
    return got


class Ranker:
    """FTS5's ``bm25()`` over the phrases of one expression: the statistics of the whole index
    (articles, words, articles holding each phrase) read once, then scores for any articles."""

    def __init__(self, db: Connection, listed: list[tuple[Phrase, bool]], totals: tuple[int, int]) -> None:
        self.db = db
        ranked = [p for p, _ in listed]
        self.phrases = ranked
        self.excluded = [x for _, x in listed]
        rows, words = totals
        self.avgdl = (words / rows) if rows else 1.0
        self.idf = []
        for p, excluded in listed:
            if excluded:  # its frequency at a matching article is 0: its weight is never used
                self.idf.append(0.0)
                continue
            cond, params = to_sql(p)
            (hits,) = db.execute(f"SELECT count(*) FROM fts f WHERE {cond}", params).fetchone()
            idf = math.log((rows - hits + 0.5) / (hits + 0.5)) if rows else 0.0
            self.idf.append(idf if idf > 0 else 1e-6)
        self.wanted: dict[str, list[str]] = defaultdict(list)  # the words to read per column
        for p, excluded in listed:
            if not (p.prefix or excluded):  # a prefix ranks only in an excluded term
                for c in p.columns:
                    self.wanted[c] += [w for w in p.words if w not in self.wanted[c]]

    def scores(self, numbers: list[int]) -> dict[int, float]:
        """BM25 of each docno, negated as FTS5 gives it (lower is better)."""
        if not numbers:
            return {}
        sizes = dict(self.db.execute("SELECT docno, size FROM fts WHERE docno = ANY(?)", (numbers,)).fetchall())
        positions: dict[int, dict[str, dict[str, set[int]]]] = defaultdict(lambda: defaultdict(dict))
        if self.wanted:
            # each column keeps only the query's words (setweight marks them, ts_filter keeps the marked)
            values = ", ".join(f"('{c}', ts_filter(setweight(f.{c}, 'A', ?::text[]), '{{a}}'))" for c in self.wanted)
            for number, column, word, at in self.db.execute(
                    f"SELECT f.docno, c.col, u.lexeme, u.positions FROM fts f CROSS JOIN LATERAL (VALUES {values}) c(col, v)"
                    " CROSS JOIN LATERAL unnest(c.v) u WHERE f.docno = ANY(?)", (*self.wanted.values(), numbers)):
                positions[number][column][word] = set(at)
        out = {}
        for number in numbers:
            held = positions.get(number, {})
            score = 0.0
            for p, excluded, idf in zip(self.phrases, self.excluded, self.idf):
                freq = 0.0 if p.prefix or excluded else sum(_WEIGHT[c] * _instances(held.get(c, {}), p.words) for c in p.columns)
                score += idf * (freq * (K1 + 1.0)) / (freq + K1 * (1 - B + B * sizes.get(number, 0) / self.avgdl))
            out[number] = -score
        return out


def _instances(held: dict[str, set[int]], words: tuple[str, ...]) -> int:
    """How many times the words stand in a row in a column (their positions given)."""
    if not words or any(w not in held for w in words):
        return 0
    first = held[words[0]]
    if len(words) == 1:
        return len(first)
    return sum(1 for p in first if all(p + k in held[w] for k, w in enumerate(words[1:], start=1)))


class PgScan:
    """The matches of a :class:`Match` in the PostgreSQL index, newest first, in chunks (a
    :class:`~marsad.archive.search.Scan`), ranked with :class:`Ranker` when ``scored``."""

    def __init__(self, db: Connection, match: Match, lo: int, hi: int, post: list[tuple[str, str]], *,
                 scored: bool = True) -> None:
        self.db = db
        self.totals = index_totals(db)  # before prefer_index: a sequence is read by a scan of it
        prefer_index(db)
        self.expr = compile_match(match)
        self.title_expr = compile_match(match, title_only=True)
        assert self.expr is not None and self.title_expr is not None
        self.cond, self.params = to_sql(self.expr)
        self.scored = scored
        self.lo, self.hi = lo, hi
        self.filters = [v for _, v in post]
        self.where = "".join(f" AND d.{col} = ?" for col, _ in post)
        self.keep = f"({self.where[5:]})" if post else "TRUE"
        self.rows: list[tuple[int, float, str]] = []
        self.read = 0
        self.oldest = hi
        self.done = False
        self._ranker: Ranker | None = None

    def ranker(self) -> Ranker:
        if self._ranker is None:
            assert self.expr is not None
            self._ranker = Ranker(self.db, phrases(self.expr), self.totals)
        return self._ranker

    def more(self, n: int | None = None) -> bool:
        want = n or search._CHUNK
        if self.done:
            return False
        upper = self.hi if self.read == 0 else self.oldest - 1
        chunk = self.db.execute(
            f"SELECT f.docno, d.cluster, {self.keep} FROM fts f JOIN docs d ON d.docno = f.docno"
            f" WHERE {self.cond} AND f.docno BETWEEN ? AND ? ORDER BY f.docno DESC LIMIT {int(want)}",
            (*self.filters, *self.params, self.lo, upper)).fetchall()
        if len(chunk) < want:
            self.done = True
        if not chunk:
            return False
        self.read += len(chunk)
        self.oldest = chunk[-1][0]
        kept = [(r, c) for r, c, keep in chunk if keep]
        scores = self.ranker().scores([r for r, _ in kept]) if self.scored else {}
        self.rows.extend((r, scores.get(r, 0.0), c) for r, c in kept)
        return True

    def headline_matches(self, below: int) -> list[tuple[int, float, str]]:
        assert self.title_expr is not None
        cond, params = to_sql(self.title_expr)
        found = self.db.execute(
            f"SELECT f.docno, d.cluster FROM fts f JOIN docs d ON d.docno = f.docno WHERE {cond}"
            f" AND f.docno BETWEEN ? AND ?{self.where} ORDER BY f.docno DESC LIMIT {int(search.TITLE_WINDOW)}",
            (*params, self.lo, below - 1, *self.filters)).fetchall()
        scores = Ranker(self.db, phrases(self.title_expr), self.totals).scores([r for r, _ in found]) if self.scored and found else {}
        return [(r, scores.get(r, 0.0), c) for r, c in found]

    def matching(self, query: Query, numbers: list[int]) -> dict[int, float]:
        if not numbers:
            return {}
        lo, hi = max(min(numbers), self.oldest), max(numbers)
        expr = query_expr(query)
        cond, params = to_sql(expr)
        inside = [n for n in numbers if lo <= n <= hi]
        got = [r for (r,) in self.db.execute(f"SELECT f.docno FROM fts f WHERE {cond} AND f.docno = ANY(?)",
                                             (*params, inside))]
        return Ranker(self.db, phrases(expr), self.totals).scores(got)

    def count_older(self, budget: int) -> tuple[int, int, bool]:
        n, last = self.db.execute(
            f"SELECT count(*), min(docno) FROM (SELECT f.docno FROM fts f WHERE {self.cond} AND f.docno BETWEEN ? AND ?"
            f" ORDER BY f.docno DESC LIMIT {int(budget)}) s", (*self.params, self.lo, self.oldest - 1)).fetchone()
        if n >= budget:
            return n, last, False
        return n, self.oldest, True

    def close(self) -> None:
        pass


def _doc_filters(source: str | None, lang: str | None) -> tuple[str, list[str]]:
    given = [(col, v) for col, v in (("source", source), ("lang", lang)) if v]
    return "".join(f" AND d.{col} = ?" for col, _ in given), [v for _, v in given]


def prefer_index(db: Connection) -> None:
    """Let the rest of this read transaction use the GIN indexes through bitmaps: the planner, costing
    neither the detoasting of every tsvector nor a phrase's recheck, takes a scan of the whole index
    table for an ``OR`` of columns (19 ms against 3.4 ms on 5,000 ANT articles), and for the newest
    thousand matches a walk back along the primary key that detoasts every row it passes (27 ms
    against 8.7 ms for ترامب on ANT)."""
    if db.in_transaction:
        db.execute("SET LOCAL enable_seqscan = off")
        db.execute("SET LOCAL enable_indexscan = off")


class PgIndex:
    """The :class:`~marsad.archive.search.TextIndex` of a PostgreSQL archive."""

    def scan(self, db: Connection, match: Match, lo: int, hi: int, post: list[tuple[str, str]], *,
             scored: bool = True) -> PgScan:
        return PgScan(db, match, lo, hi, post, scored=scored)

    def _where(self, match: Match) -> tuple[str, list[str]]:
        expr = compile_match(match)
        return to_sql(expr) if expr is not None else ("TRUE", [])

    def matching_days(self, db: Connection, match: Match, lo: int, hi: int, source: str | None,
                      lang: str | None) -> Iterator[tuple[int, str | None, int]]:
        cond, params = self._where(match)
        where, filters = _doc_filters(source, lang)
        prefer_index(db)
        yield from db.execute(
            f"SELECT f.docno >> {ROWID_BITS}, d.source, count(*) FROM fts f JOIN docs d ON d.docno = f.docno"
            f" WHERE {cond} AND f.docno BETWEEN ? AND ?{where} GROUP BY 1, 2", (*params, lo, hi, *filters)).fetchall()

    def facet_rows(self, db: Connection, match: Match, lo: int, hi: int, source: str | None, lang: str | None,
                   cap: int) -> list[tuple[int, str, str | None, str | None, str | None]]:
        cond, params = self._where(match)
        where, filters = _doc_filters(source, lang)
        prefer_index(db)
        return db.execute(  # type: ignore[no-any-return]
            f"SELECT f.docno, d.cluster, d.source, d.lang, a.topic FROM fts f JOIN docs d ON d.docno = f.docno"
            f" JOIN articles a ON a.rowid = f.docno & {ROWID_MASK} WHERE {cond} AND f.docno BETWEEN ? AND ?{where}"
            f" ORDER BY f.docno DESC LIMIT {int(cap)}", (*params, lo, hi, *filters)).fetchall()

    def vocabulary(self, db: Connection) -> tuple[dict[str, int], dict[str, int]]:
        """From ``ts_stat``: an exact word's articles are the larger of its title and body counts, as FTS5's vocabulary gives them."""
        out = []
        for a, b in (("title_exact", "body_exact"), ("title_stem", "body_stem")):
            out.append({w: int(n) for w, n in db.execute(
                f"SELECT word, max(ndoc) FROM (SELECT word, ndoc FROM ts_stat('SELECT {a} FROM fts') UNION ALL"
                f" SELECT word, ndoc FROM ts_stat('SELECT {b} FROM fts')) s GROUP BY word")})
        return out[0], out[1]

    def sample_exact(self, db: Connection, forms: list[str], limit: int) -> list[int]:
        cond, params = to_sql(_any(_phrase(_ALL[0], f) for f in forms))
        return [r for (r,) in db.execute(f"SELECT f.docno FROM fts f WHERE {cond} ORDER BY f.docno DESC LIMIT {int(limit)}",
                                         params)]

    def count_exact(self, db: Connection, *phrases: str) -> int:
        cond, params = to_sql(_any(_phrase(_ALL[0], p) for p in phrases))
        return int(db.execute(f"SELECT count(*) FROM fts f WHERE {cond}", params).fetchone()[0])


PG_INDEX = PgIndex()
