"""SQLite's full-text index: the FTS5 parts of :class:`~marsad.archive.schema.Partitions`, read by
search (:class:`_Scan`), the views (trends, facets) and name learning (vocabulary, samples) through
:class:`Fts5Index`, the SQLite :class:`~marsad.archive.search.TextIndex`."""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterable

from .connection import Connection
from .schema import ROWID_BITS, ROWID_MASK, partitions
from . import search
from .search import WEIGHTS, Facet, Match, Query, _quote, any_of, to_fts


def fts_facets(facets: list[Facet]) -> str:
    """The FTS5 filters of :func:`~marsad.archive.search.facet_terms`, to append to an expression."""
    out = ""
    for column, forms in facets:
        if column == "entities":
            out += " AND " + any_of("{entities}", forms)
        else:
            out += " AND {" + column + "} : " + _quote(forms[0])
    return out


def expression(match: Match, *, title_only: bool = False) -> str | None:
    """The FTS5 MATCH expression of a :class:`Match` (None: every article)."""
    facets = fts_facets(match.facets)
    if match.query is not None:
        return to_fts(match.query, title_only=title_only) + facets
    return facets[len(" AND "):] if facets else None


def _score_sql(table: str, scored: bool) -> str:
    # BM25 first counts, for each phrase of the query, every article holding it (its IDF): for a
    # prefix, every article holding any word that starts so, which at 1M articles takes seconds.
    # Prefix searches are ranked without it: headline matches first, then the most recent.
    return f"bm25({table}, {', '.join(str(w) for w in WEIGHTS)})" if scored else "0.0"


class _Scan:
    """The matches of one FTS expression, newest first, read lazily in chunks from one part of the
    full-text index after another (see :class:`~marsad.archive.schema.Partitions`): each with its
    BM25 score and duplicate cluster, source and language filters applied (a
    :class:`~marsad.archive.search.Scan`).

    BM25 statistics (how rare a word is, how long an article is) are those of each part, as a
    search engine's shards keep their own (every part of a large archive holds 100,000 to 200,000
    articles): the parts a search never reaches cost nothing."""

    def __init__(self, db: Connection, expr: str, title_expr: str, lo: int, hi: int, post: list[tuple[str, str]],
                 *, scored: bool = True) -> None:
        self.db = db
        self.expr = expr
        self.title_expr = title_expr
        self.scored = scored
        self.lo, self.hi = lo, hi
        self.filters = [v for _, v in post]
        self.where = "".join(f" AND d.{col} = ?" for col, _ in post)
        self.keep = f"({self.where[5:]})" if post else "1"
        self.parts = partitions(db, lo, hi)
        self.waiting = [name for name, _, _ in self.parts]
        self.cursor: sqlite3.Cursor | None = None
        self.rows: list[tuple[int, float, str]] = []
        self.read = 0
        self.oldest = hi
        self.done = not self.parts

    def more(self, n: int | None = None) -> bool:
        want = n or search._CHUNK  # read at run time: tests bound it
        got = 0
        while got < want and not self.done:
            if self.cursor is None:
                table = self.waiting.pop(0)
                # a join keeps FTS5 the outer loop, so its own rowid order is used and no match is sorted
                self.cursor = self.db.execute(
                    f"SELECT f.rowid, {_score_sql(table, self.scored)}, d.cluster, {self.keep} FROM {table} f"
                    f" JOIN docs d ON d.docno = f.rowid WHERE {table} MATCH ? AND f.rowid BETWEEN ? AND ?"
                    " ORDER BY f.rowid DESC",
                    (*self.filters, self.expr, self.lo, self.hi),
                )
            assert self.cursor is not None
            chunk = self.cursor.fetchmany(want - got)
            if len(chunk) < want - got:
                self.cursor.close()
                self.cursor = None
                self.done = not self.waiting
            if chunk:
                got += len(chunk)
                self.oldest = chunk[-1][0]
                self.rows.extend((r, s, c) for r, s, c, keep in chunk if keep)
        self.read += got
        return got > 0

    def headline_matches(self, below: int) -> list[tuple[int, float, str]]:
        found: list[tuple[int, float, str]] = []
        for table, first, _ in self.parts:
            if len(found) >= search.TITLE_WINDOW:
                break
            if first >= below:
                continue
            found += self.db.execute(
                f"SELECT f.rowid, {_score_sql(table, self.scored)}, d.cluster FROM {table} f JOIN docs d ON d.docno = f.rowid"
                f" WHERE {table} MATCH ? AND f.rowid BETWEEN ? AND ?{self.where} ORDER BY f.rowid DESC"
                f" LIMIT {search.TITLE_WINDOW - len(found)}",
                (self.title_expr, self.lo, below - 1, *self.filters),
            ).fetchall()
        return found

    def matching(self, query: Query, numbers: list[int]) -> dict[int, float]:
        """For a query whose names matched other spellings too, the articles holding the spellings
        typed keep the score they had before names were folded. Only the docnos the scan read in
        order (its newest matches) are judged: the query's matches are streamed newest first over
        that range, as the scan itself reads (asking FTS5 for a list of rowids instead costs
        seconds at a million articles)."""
        found: dict[int, float] = {}
        if not numbers:
            return found
        expr = to_fts(query)
        lo, hi = max(min(numbers), self.oldest), max(numbers)
        want = set(numbers)
        for table, first, last in self.parts:
            if last >= lo and first <= hi:
                for r, score in self.db.execute(f"SELECT rowid, {_score_sql(table, True)} FROM {table} WHERE {table} MATCH ?"
                                                " AND rowid BETWEEN ? AND ? ORDER BY rowid DESC", (expr, lo, hi)):
                    if r in want:
                        found[r] = score
        return found

    def count_older(self, budget: int) -> tuple[int, int, bool]:
        counted, oldest = 0, self.oldest
        for table, first, _ in self.parts:
            if first >= self.oldest:
                continue
            left = budget - counted
            n, last = self.db.execute(
                f"SELECT count(*), min(rowid) FROM (SELECT rowid FROM {table} WHERE {table} MATCH ? AND rowid BETWEEN ? AND ?"
                f" ORDER BY rowid DESC LIMIT {left})",
                (self.expr, self.lo, self.oldest - 1),
            ).fetchone()
            counted += n
            if n >= left:  # the budget ran out in this part
                return counted, last, False
        return counted, oldest, True

    def close(self) -> None:
        if self.cursor is not None:
            self.cursor.close()


class Fts5Index:
    """The :class:`~marsad.archive.search.TextIndex` of a SQLite archive."""

    def scan(self, db: Connection, match: Match, lo: int, hi: int, post: list[tuple[str, str]], *,
             scored: bool = True) -> _Scan:
        expr, title_expr = expression(match), expression(match, title_only=True)
        assert expr is not None and title_expr is not None
        return _Scan(db, expr, title_expr, lo, hi, post, scored=scored)

    def matching_days(self, db: Connection, match: Match, lo: int, hi: int, source: str | None,
                      lang: str | None) -> Iterable[tuple[int, str | None, int]]:
        where, params = _doc_filters(source, lang)
        expr = expression(match)
        for table, _, _ in partitions(db, lo, hi):
            yield from db.execute(
                f"SELECT f.rowid >> {ROWID_BITS}, d.source, count(*) FROM {table} f JOIN docs d ON d.docno = f.rowid"
                f" WHERE {table} MATCH ? AND f.rowid BETWEEN ? AND ?{where} GROUP BY 1, 2",
                (expr, lo, hi, *params))

    def facet_rows(self, db: Connection, match: Match, lo: int, hi: int, source: str | None, lang: str | None,
                   cap: int) -> list[tuple[int, str, str | None, str | None, str | None]]:
        where, params = _doc_filters(source, lang)
        expr = expression(match)
        rows: list[tuple[int, str, str | None, str | None, str | None]] = []
        for table, _, _ in partitions(db, lo, hi):
            left = cap - len(rows)
            if left <= 0:
                break
            rows += db.execute(
                f"SELECT f.rowid, d.cluster, d.source, d.lang, a.topic FROM {table} f JOIN docs d ON d.docno = f.rowid"
                f" JOIN articles a ON a.rowid = f.rowid & {ROWID_MASK}"
                f" WHERE {table} MATCH ? AND f.rowid BETWEEN ? AND ?{where} ORDER BY f.rowid DESC LIMIT {left}",
                (expr, lo, hi, *params)).fetchall()
        return rows

    def vocabulary(self, db: Connection) -> tuple[dict[str, int], dict[str, int]]:
        """Read from FTS5's own vocabulary, summed over the parts of the index."""
        df: Counter[str] = Counter()
        stem_df: Counter[str] = Counter()
        parts = [name for (name,) in db.execute("SELECT name FROM parts ORDER BY name")]
        for part in parts:
            db.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{part}_vocab USING fts5vocab('main', '{part}', 'col')")
            best: dict[str, int] = {}
            stems: dict[str, int] = {}
            for term, col, n in db.execute(f"SELECT term, col, doc FROM temp.{part}_vocab"
                                           " WHERE col IN ('title_exact', 'body_exact', 'title_stem', 'body_stem')"):
                into = best if col.endswith("exact") else stems
                if n > into.get(term, 0):
                    into[term] = n
            df.update(best)
            stem_df.update(stems)
            db.execute(f"DROP TABLE temp.{part}_vocab")
        return df, stem_df

    def sample_exact(self, db: Connection, forms: list[str], limit: int) -> list[int]:
        expr = "{title_exact body_exact} : (" + " OR ".join('"' + s + '"' for s in forms) + ")"
        got: list[int] = []
        for (part,) in db.execute("SELECT name FROM parts ORDER BY lo DESC").fetchall():
            left = limit - len(got)
            if left <= 0:
                break
            got += [r for (r,) in db.execute(
                f"SELECT rowid FROM {part} WHERE {part} MATCH ? ORDER BY rowid DESC LIMIT {left}", (expr,))]
        return got

    def count_exact(self, db: Connection, *phrases: str) -> int:
        expr = "{title_exact body_exact} : (" + " OR ".join('"' + p + '"' for p in phrases) + ")"
        return sum(db.execute(f"SELECT count(*) FROM {part} WHERE {part} MATCH ?", (expr,)).fetchone()[0]
                   for (part,) in db.execute("SELECT name FROM parts ORDER BY lo DESC").fetchall())


def _doc_filters(source: str | None, lang: str | None) -> tuple[str, list[str]]:
    """The SQL condition on ``docs d`` (and its parameters) of a source and a language filter."""
    given = [(col, v) for col, v in (("source", source), ("lang", lang)) if v]
    return "".join(f" AND d.{col} = ?" for col, _ in given), [v for _, v in given]


FTS5 = Fts5Index()
