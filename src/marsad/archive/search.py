"""Search the archive: the one query function behind the CLI, the HTTP API and the web page.

Query syntax: words (all must match), ``"an exact phrase"``, ``OR`` between two terms, ``-word`` to
exclude, ``word*`` for a prefix. A word matches its exact normalised form or its stem, so
``والاتحاد الاوروبى`` finds ``الاتحاد الأوروبي``; a phrase matches normalised words in order. The
query never reaches SQL as text: it is parsed here and every term is quoted, so a stray quote or
``NEAR`` is a word, and a query that cannot work (only exclusions, nothing left after analysis)
gets a :class:`~marsad.errors.ConfigError` that says why.
"""

from __future__ import annotations

import html
import re
import sqlite3
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..errors import ArchiveError, ConfigError
from ..text.analysis import alternative, stem, strip_clitics, tokens

#: BM25 weights of title_exact, title_stem, body_exact, body_stem, alt: the headline counts most
WEIGHTS = (6.0, 4.0, 1.5, 1.0, 1.0)
#: added to the score of an article whose headline holds every term of the query
TITLE_BONUS = 10.0
MAX_QUERY_CHARS = 1000
MAX_TERMS = 32
_LEX = re.compile(r'"([^"]*)"?|(\S+)')


@dataclass(slots=True)
class Term:
    words: list[str]  # normalised words: one, or a phrase
    prefix: bool = False
    negated: bool = False


@dataclass(slots=True)
class Query:
    groups: list[list[Term]] = field(default_factory=list)  # AND of ORs
    excluded: list[Term] = field(default_factory=list)


def parse_query(text: str) -> Query:
    """Parse the user's query; :class:`ConfigError` for one that can match nothing."""
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS]
    query = Query()
    pending_or = False
    for m in _LEX.finditer(text):
        phrase, word = m.group(1), m.group(2)
        if word == "OR":
            pending_or = bool(query.groups)
            continue
        negated = False
        prefix = False
        if word is not None:
            if word.startswith("-") and len(word) > 1:
                negated, word = True, word[1:]
            if word.endswith("*"):
                prefix, word = True, word.rstrip("*")
            words = tokens(word)
        else:
            words = tokens(phrase)
        if not words:
            continue
        if phrase is None and len(words) > 1:  # "الاتحاد/الأوروبي" typed as one: each word a term
            terms = [Term([w], prefix=prefix and i == len(words) - 1, negated=negated) for i, w in enumerate(words)]
        else:
            terms = [Term(words, prefix=prefix, negated=negated)]
        for term in terms:
            if term.negated:
                query.excluded.append(term)
            elif pending_or:
                query.groups[-1].append(term)
                pending_or = False
            else:
                query.groups.append([term])
    if not query.groups:
        if query.excluded:
            raise ConfigError("a query needs at least one word to find, not only words to exclude")
        raise ConfigError("the query has no words to search for")
    if sum(len(g) for g in query.groups) + len(query.excluded) > MAX_TERMS:
        raise ConfigError(f"too many terms in the query (at most {MAX_TERMS})")
    return query


def _quote(word: str) -> str:
    return '"' + word.replace('"', "") + '"'


_ALL = ("{title_exact body_exact}", "{title_stem body_stem}", "{title_stem body_stem alt}")
_TITLE = ("{title_exact}", "{title_stem}", "{title_stem}")


def _term_expr(term: Term, cols: tuple[str, str, str] = _ALL) -> str:
    exact_cols, stem_cols, stem_alt_cols = cols
    if len(term.words) > 1:  # a phrase: its words in order, exact or each with clitics and endings
        exact = f"{exact_cols} : " + _quote(" ".join(term.words))
        stemmed = f"{stem_cols} : " + _quote(" ".join(stem(w) for w in term.words))
        return f"({exact} OR {stemmed})"
    (word,) = term.words
    if term.prefix:
        exact = f"{exact_cols} : " + _quote(word) + " *"
        bare = strip_clitics(word)
        return f"({exact} OR {stem_cols} : " + _quote(bare) + " *)" if bare else exact
    exact = f"{exact_cols} : " + _quote(word)
    stemmed = f"{stem_alt_cols} : " + _quote(stem(word))
    other = alternative(word)
    if other:  # بمصر typed: مصر is meant as much as بمصر
        stemmed += f" OR {stem_cols} : " + _quote(other)
    return f"({exact} OR {stemmed})"


def to_fts(query: Query, *, title_only: bool = False) -> str:
    """The FTS5 MATCH expression of a parsed query (every term quoted: no user text is syntax);
    ``title_only`` for the headline alone."""
    cols = _TITLE if title_only else _ALL
    parts = ["(" + " OR ".join(_term_expr(t, cols) for t in group) + ")" for group in query.groups]
    expr = " AND ".join(parts)
    for term in query.excluded:
        expr = f"({expr}) NOT {_term_expr(term)}"
    return expr


@dataclass(slots=True)
class Hit:
    id: str
    title: str | None
    url: str | None
    source: str | None
    published: str | None
    snippet: str
    score: float
    copies: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "title": self.title, "url": self.url, "source": self.source,
            "published": self.published, "snippet": self.snippet, "score": self.score, "copies": self.copies,
        }


@dataclass(slots=True)
class Results:
    total: int
    results: list[Hit]

    def to_dict(self) -> dict[str, Any]:
        return {"total": self.total, "results": [h.to_dict() for h in self.results]}


def search(
    db: sqlite3.Connection,
    text: str,
    *,
    date_from: date | None = None,
    date_to: date | None = None,
    source: str | None = None,
    lang: str | None = None,
    sort: str = "relevance",
    limit: int = 10,
    offset: int = 0,
) -> Results:
    """Matching articles, one per duplicate cluster (its best match), with snippets and the total."""
    if sort not in ("relevance", "date"):
        raise ConfigError(f"sort must be 'relevance' or 'date', not {sort!r}")
    if not 0 < limit <= 1000 or offset < 0:
        raise ConfigError("limit must be 1-1000 and offset 0 or more")
    query = parse_query(text)
    expr, title_expr = to_fts(query), to_fts(query, title_only=True)
    filters: list[str] = []
    values: list[Any] = []
    for clause, value in (("a.day >= ?", date_from), ("a.day <= ?", date_to), ("a.source = ?", source), ("a.lang = ?", lang)):
        if value is not None and value != "":
            filters.append(clause)
            values.append(value.isoformat() if isinstance(value, date) else value)
    try:
        rows = _ranked(db, query, expr, filters, values, offset + limit) if sort == "relevance" else None
        if rows is None:
            rows = _everything(db, expr, title_expr, filters, values, sort)
        total = _total(db, expr, filters, values)
    except sqlite3.OperationalError as exc:
        raise ArchiveError(f"search failed: {exc}") from exc
    rows = rows[offset : offset + limit]
    results = []
    for rid, score in rows:
        row = db.execute(
            "SELECT a.id, a.title, a.url, a.source, a.published, a.text, coalesce(c.size, 1) FROM articles a"
            " LEFT JOIN clusters c ON c.id = a.cluster WHERE a.rowid = ?",
            (rid,),
        ).fetchone()
        article_id, title, url, src, published, body, copies = row
        results.append(Hit(article_id, title, url, src, published, make_snippet(body, query), round(-score, 4), copies))
    return Results(total=total, results=results)


#: at most this many distinct clusters are counted for ``total``; more is reported as this many
MAX_TOTAL = 10_000
#: a relevance search ranks at most this many best matches (FTS5's BM25), then groups and filters them
MAX_CANDIDATES = 5_000


def _filtered(filters: list[str]) -> str:
    return "".join(f" AND {f}" for f in filters)


def title_holds(query: Query, title: str) -> bool:
    """Whether a headline holds every group of the query (as the title-only FTS expression would
    match it), judged in Python on the few candidates rather than by FTS5 over the whole index."""
    exact = tokens(title)
    stems = [stem(w) for w in exact]
    forms = set(exact) | set(stems) | {a for a in (alternative(w) for w in exact) if a}

    def holds(term: Term) -> bool:
        if len(term.words) > 1:
            want_e, want_s = term.words, [stem(w) for w in term.words]
            n = len(want_e)
            return any(exact[i : i + n] == want_e or stems[i : i + n] == want_s for i in range(len(exact) - n + 1))
        (word,) = term.words
        if term.prefix:
            bare = strip_clitics(word)
            return any(w.startswith(word) for w in exact) or bool(bare) and any(s.startswith(bare) for s in stems)
        other = alternative(word)
        return word in forms or stem(word) in forms or (other is not None and other in forms)

    return all(any(holds(t) for t in group) for group in query.groups)


def _ranked(db: sqlite3.Connection, query: Query, expr: str, filters: list[str], values: list[Any],
            need: int) -> list[tuple[int, float]] | None:
    """The best ``need`` clusters by relevance, from the top matches by BM25 alone (cheap: no join
    over every match); ``None`` when filters leave too few of them to fill the page."""
    weights = ", ".join(str(w) for w in WEIGHTS)
    pool = min(MAX_CANDIDATES, 100 + 10 * need) * (4 if filters else 1)
    top = db.execute(f"SELECT rowid, bm25(fts, {weights}) AS s FROM fts WHERE fts MATCH ? ORDER BY s LIMIT ?",
                     (expr, pool)).fetchall()
    if not top:
        return []
    ids = ",".join(str(r) for r, _ in top)
    meta = {r: (cl, title) for r, cl, title in db.execute(
        f"SELECT a.rowid, coalesce(a.cluster, a.id), a.title FROM articles a WHERE a.rowid IN ({ids}){_filtered(filters)}",
        values)}
    scored = sorted((s - (TITLE_BONUS if title_holds(query, meta[r][1] or "") else 0.0), r) for r, s in top if r in meta)
    seen: set[str] = set()
    best = []
    for score, r in scored:
        if meta[r][0] not in seen:
            seen.add(meta[r][0])
            best.append((r, score))
    if len(best) < need and len(top) == pool:
        return None  # the pool was cut short: rank everything instead
    return best


def _everything(db: sqlite3.Connection, expr: str, title_expr: str, filters: list[str], values: list[Any],
                sort: str) -> list[tuple[int, float]]:
    """Every match ranked and grouped by cluster in SQL (for date order, and for filtered relevance
    searches whose best matches lie beyond the candidate pool)."""
    weights = ", ".join(str(w) for w in WEIGHTS)
    order = "score, day DESC" if sort == "relevance" else "day DESC, score"
    sql = (
        "WITH hits AS (SELECT a.rowid AS rid, coalesce(a.cluster, a.id) AS cl, a.day AS day,"
        f" bm25(fts, {weights}) - (CASE WHEN a.rowid IN (SELECT rowid FROM fts WHERE fts MATCH ?)"
        f" THEN {TITLE_BONUS} ELSE 0 END) AS score"
        f" FROM fts JOIN articles a ON a.rowid = fts.rowid WHERE fts MATCH ?{_filtered(filters)}),"
        " best AS (SELECT rid, day, score, row_number() OVER (PARTITION BY cl ORDER BY score, rid) AS rn FROM hits)"
        f" SELECT rid, score FROM best WHERE rn = 1 ORDER BY {order} LIMIT {MAX_CANDIDATES}"
    )
    return [(r, s) for r, s in db.execute(sql, (title_expr, expr, *values))]


def _total(db: sqlite3.Connection, expr: str, filters: list[str], values: list[Any]) -> int:
    """Distinct clusters matching, counted up to :data:`MAX_TOTAL`."""
    sql = (
        "SELECT count(*) FROM (SELECT DISTINCT coalesce(a.cluster, a.id) FROM fts JOIN articles a"
        f" ON a.rowid = fts.rowid WHERE fts MATCH ?{_filtered(filters)} LIMIT {MAX_TOTAL})"
    )
    return int(db.execute(sql, (expr, *values)).fetchone()[0])


_WORDS = re.compile(r"\S+")


def make_snippet(text: str, query: Query, *, width: int = 30) -> str:
    """About ``width`` words of ``text`` around the densest run of query words, each marked
    ``<mark>…</mark>`` (HTML-escaped otherwise): whole words, in the text's own order, so that
    right-to-left text reads right."""
    words = [(m.start(), m.end()) for m in _WORDS.finditer(text)]
    if not words:
        return ""
    wanted_exact = {w for g in query.groups for t in g for w in t.words}
    wanted_stem = {stem(w) for w in wanted_exact}
    prefixes = [t.words[0] for g in query.groups for t in g if t.prefix]
    marks = []
    for start, end in words:
        forms = tokens(text[start:end])
        marks.append(any(
            f in wanted_exact or stem(f) in wanted_stem or any(f.startswith(p) or strip_clitics(f).startswith(p) for p in prefixes)
            for f in forms
        ))
    best, best_count = 0, -1
    for i in range(0, max(1, len(words) - width + 1)):
        count = sum(marks[i : i + width])
        if count > best_count:
            best, best_count = i, count
    window = range(best, min(len(words), best + width))
    out = []
    for i in window:
        start, end = words[i]
        piece = html.escape(text[start:end])
        out.append(f"<mark>{piece}</mark>" if marks[i] else piece)
    snippet = " ".join(out)
    if best > 0:
        snippet = "… " + snippet
    if window.stop < len(words):
        snippet += " …"
    return snippet
