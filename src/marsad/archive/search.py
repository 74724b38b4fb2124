"""Search the archive: the one query function behind the CLI, the HTTP API and the web page.

Query syntax: words (all must match), ``"an exact phrase"``, ``OR`` between two terms, ``-word`` to
exclude, ``word*`` for a prefix. A word matches its exact normalised form or its stem, so
``والاتحاد الاوروبى`` finds ``الاتحاد الأوروبي`` (but not a name the stemmer cuts to the same stem:
التين does not find بوتين, see :mod:`marsad.archive.names`); a phrase matches normalised words in order. The
query never reaches SQL as text: it is parsed here and every term is quoted, so a stray quote or
``NEAR`` is a word, and a query that cannot work (only exclusions, nothing left after analysis)
gets a :class:`~marsad.errors.ConfigError` that says why.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_left
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from typing import Any, Protocol

from ..errors import ArchiveError, ConfigError
from ..text.analysis import alternative, core_fold, stem, stem_core, strip_clitics, tokens
from ..text.arabic import normalize
from .connection import Connection
from .schema import ROWID_BITS, ROWID_MASK, day_range

#: BM25 weights of title_exact, title_stem, body_exact, body_stem, alt: the headline counts most
WEIGHTS = (6.0, 4.0, 1.5, 1.0, 1.0)
#: added to the score of an article whose headline holds every term of the query
TITLE_BONUS = 10.0
#: added to the score of an article holding a name in the spelling typed, when other spellings were
#: searched too: those articles rank as they did before names were folded, the added ones after them
TYPED_BONUS = 1000.0
MAX_QUERY_CHARS = 1000
MAX_TERMS = 32
_LEX = re.compile(r'"([^"]*)"?|(\S+)')


@dataclass(slots=True)
class Term:
    words: list[str]  # normalised words: one, or a phrase
    prefix: bool = False
    negated: bool = False
    quoted: bool = False
    #: a word that is a known name matches these written forms (its spellings with their proclitics),
    #: exactly; and its stem too only if ``stemmed`` (see :func:`fold_names`)
    names: tuple[str, ...] | None = None
    stemmed: bool = False
    #: the written forms of the spelling typed, among ``names``: a headline holding one of them earns
    #: the headline bonus, as the word typed would; one holding only another spelling does not
    own: tuple[str, ...] = ()
    #: a word that is no name, whose stem names searched as written share (التين: تين, as بوتين's):
    #: the written forms of that stem that are the word's, and the names' that are not (see
    #: :func:`~marsad.archive.names.word_forms`); it does not match by the ``shared`` stems (its
    #: stem, its second stem or both: ليده is ليد, which ليدي shares, and يده, which no name does)
    #: where only the latter stand
    forms: tuple[str, ...] = ()
    cut: tuple[str, ...] = ()
    shared: tuple[str, ...] = ()

    def as_word(self) -> Term:
        """The term as a word (a name searched by its stem: that part of its match)."""
        return Term(self.words, forms=self.forms, cut=self.cut, shared=self.shared)

    def guarded(self, root: str) -> bool:
        """A word matching by ``root`` does not where only the names that share it stand."""
        return bool(self.cut) and root in self.shared


def stem_branches(word: str) -> list[tuple[str, bool]]:
    """What a word matches by besides itself: its stem, in the stem columns and the second stems'
    (``alt``, True), and its own second stem in the stem columns only (بمصر typed: مصر is meant as
    much as بمصر)."""
    root = stem(word)
    branches = [(root, True)]
    other = alternative(word)
    if other and other != root:
        branches.append((other, False))
    return branches


@dataclass(slots=True)
class Query:
    groups: list[list[Term]] = field(default_factory=list)  # AND of ORs
    excluded: list[Term] = field(default_factory=list)
    #: the groups as typed, stop words included (اي فون is a name in two words)
    typed: list[list[Term]] = field(default_factory=list)


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
            terms = [Term(words, prefix=prefix, negated=negated, quoted=phrase is not None)]
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
    # stop words (في، بعد، التي ...) are left out of a query that has other words to find: they
    # add nothing to the ranking (their IDF is near zero) and their postings hold most articles
    query.typed = list(query.groups)
    query.groups = _content(query.groups)
    if sum(len(g) for g in query.groups) + len(query.excluded) > MAX_TERMS:
        raise ConfigError(f"too many terms in the query (at most {MAX_TERMS})")
    return query


#: function words (prepositions, conjunctions, particles, pronouns, demonstratives, relatives): the
#: short list, not the quality filter's 667 words, some of which carry meaning in a query (عام، أول)
FUNCTION_WORDS = frozenset(normalize(w) for w in """
في من على إلى الى عن مع ب ل ك و أو او ثم أم بل لكن حتى إذا اذا إن ان أن لن لم لا ما هل قد لقد كان كانت
هذا هذه ذلك تلك هؤلاء الذي التي الذين اللذين اللتين اللواتي هو هي هم هن نحن أنا انت أنت كما كل بين بعد قبل
عند منذ خلال حول ضد دون غير أي عبر لدى نحو فيه فيها منه منها عليه عليها إليه له لها لهم به بها وفي ومن
""".split())


def _content(groups: list[list[Term]]) -> list[list[Term]]:
    content = [g for g in groups if not all(_is_stop_word(t) for t in g)]
    return content or groups


def fold_names(db: Connection, query: Query, *, fold: bool = True) -> dict[str, list[str]]:
    """Make every query word that is a name of the archive's lexicon match as a name: by its stem, as
    any word, where the lexicon says its stem is its own or it is also a word (يمن finds اليمن as
    before), else by its written forms only (كاميرون is not read as ك + أمير, so it finds no prince
    and no camera); and, with ``fold`` and unless it was typed in quotes, every other spelling of
    the name too (see :func:`as_typed` for their order). The spellings added, by the word typed (what
    "also searched" shows)."""
    from .names import expand, expand_phrase, word_forms

    also: dict[str, list[str]] = {}
    if fold:  # two words typed that are a name written in two (بيونغ يانغ، اي فون): one term, every spelling
        joined: list[list[Term]] = []
        for group in query.typed or query.groups:
            prev = joined[-1] if joined else None
            if prev is not None and len(prev) == 1 and len(group) == 1 and _plain_word(prev[0]) and _plain_word(group[0]):
                found = expand_phrase(db, [prev[0].words[0], group[0].words[0]])
                if found is not None:
                    typed = f"{prev[0].words[0]} {group[0].words[0]}"
                    joined[-1] = [Term(typed.split(), names=found.surfaces, own=found.own)]
                    if found.added:
                        also[typed] = list(found.added)
                    continue
            joined.append(group)
        if len(joined) < len(query.typed or query.groups):
            query.groups = _content(joined)
    for term in [t for g in query.groups for t in g] + query.excluded:
        if term.names is not None:
            continue
        if len(term.words) != 1 or term.prefix:
            continue
        found = expand(db, term.words[0], fold=fold and not term.quoted)
        if found is not None:
            term.names = found.surfaces
            term.stemmed = found.stemmed
            term.own = found.own
            if found.added:
                also[term.words[0]] = list(found.added)
        if (found is None or found.stemmed) and (shared := word_forms(db, term.words[0])) is not None:
            term.forms, term.cut, term.shared = shared  # a word, or a name found by its stem (كين, Kane: not بكين, Beijing)
    return also


def _plain_word(term: Term) -> bool:
    return len(term.words) == 1 and not (term.prefix or term.negated or term.quoted)


def analyse(db: Connection, text: str, *, exact_names: bool = False) -> tuple[Query, dict[str, list[str]]]:
    """:func:`parse_query` and :func:`fold_names`: the query a search, a trend and the facets run."""
    query = parse_query(text)
    return query, fold_names(db, query, fold=not exact_names)


def _is_stop_word(term: Term) -> bool:
    return len(term.words) == 1 and not term.prefix and term.words[0] in FUNCTION_WORDS


def _quote(word: str) -> str:
    return '"' + word.replace('"', "") + '"'


def any_of(cols: str, words: Iterable[str]) -> str:
    """FTS5: any of ``words`` (each quoted: a word, or words in a row) in the columns ``cols``."""
    return f"{cols} : (" + " OR ".join(_quote(w) for w in words) + ")"


_ALL = ("{title_exact body_exact}", "{title_stem body_stem}", "{title_stem body_stem alt}")
_TITLE = ("{title_exact}", "{title_stem}", "{title_stem}")


def _term_expr(term: Term, cols: tuple[str, str, str] = _ALL) -> str:
    exact_cols, stem_cols, stem_alt_cols = cols
    if term.names:
        # the spelling typed matches as the word did before names were known, but where the stemmer
        # cuts the name up (كاميرون → امير) only in the articles holding the name itself; the other
        # spellings match exactly. BM25 then scores the typed spelling's articles as it did.
        if term.stemmed:
            as_word = _term_expr(term.as_word(), cols)
        else:
            own = any_of(exact_cols, term.own or term.names)
            as_word = f"({own} AND {_term_expr(Term(term.words), cols)})" if len(term.words) == 1 else f"({own})"
        others = [s for s in term.names if s not in term.own]
        if not others:
            return as_word
        return f"({as_word} OR {any_of(exact_cols, others)})"
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
    root = stem(word)
    if not root:
        return f"({exact})"
    # a text holding the word as typed holds its stem in the stemmed columns: matching the stem
    # alone finds the same articles, and each extra phrase costs FTS5 a pass over its postings
    found = []
    for s, with_alt in stem_branches(word):
        part = f"{stem_alt_cols if with_alt else stem_cols} : " + _quote(s)
        if term.guarded(s):  # a stem names share: not where only they have it (بوتين for التين, and
            # for لتين by its second stem); on the excluded side of a NOT, the forms add nothing to BM25
            only = f"({any_of(exact_cols, term.cut)} NOT {any_of(exact_cols, term.forms)})" if term.forms \
                else any_of(exact_cols, term.cut)
            part = f"({part} NOT {only})"
        found.append(part)
    return "(" + " OR ".join(found) + ")"


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
    #: the duplicate cluster (story) the article belongs to
    cluster: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "title": self.title, "url": self.url, "source": self.source,
            "published": self.published, "snippet": self.snippet, "score": self.score, "copies": self.copies,
            "cluster": self.cluster,
        }


@dataclass(slots=True)
class Results:
    #: distinct duplicate clusters matching; exact when ``total_exact``, else an estimate from the
    #: matches read (a search reads at most :data:`WINDOW` of them), capped at :data:`MAX_TOTAL`
    total: int
    results: list[Hit]
    total_exact: bool = True
    #: the spellings of names searched besides those typed, by the word typed
    also: dict[str, list[str]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"total": self.total, "total_exact": self.total_exact, "also_searched": self.also,
                "results": [h.to_dict() for h in self.results]}


#: a relevance search scores the ``WINDOW`` most recent matches (by publication day) with BM25,
#: and the ``TITLE_WINDOW`` most recent of the older ones whose headline matches; below that many
#: matches it ranks them all. FTS5 cannot rank a million matches within a page's time: this bounds it.
WINDOW = 3_000
TITLE_WINDOW = 1_000
#: with a source or language filter, at most this many matches are read to fill the window
MAX_SCAN = 10_000
#: totals above this are reported as this many (``total_exact`` false)
MAX_TOTAL = 10_000
_CHUNK = 1_000


def search(
    db: Connection,
    text: str,
    *,
    date_from: date | None = None,
    date_to: date | None = None,
    source: str | None = None,
    lang: str | None = None,
    entity: str | None = None,
    topic: str | None = None,
    sort: str = "relevance",
    limit: int = 10,
    offset: int = 0,
    exact_names: bool = False,
) -> Results:
    """Matching articles, one per duplicate cluster (its best match), with snippets and the total.

    ``entity`` keeps articles naming that entity (any of the names tagged for its referent:
    ``ترمب`` keeps those naming ``دونالد ترامب``); ``topic`` those of that topic (``sport``,
    ``economy``, ...). A query word that is a name also finds its other spellings, unless
    ``exact_names`` or typed in quotes (see :func:`fold_names`).
    """
    if sort not in ("relevance", "date"):
        raise ConfigError(f"sort must be 'relevance' or 'date', not {sort!r}")
    if not 0 < limit <= 1000 or offset < 0:
        raise ConfigError("limit must be 1-1000 and offset 0 or more")
    lo, hi = day_range(date_from, date_to)
    post = [(col, value) for col, value in (("source", source), ("lang", lang)) if value]
    need = offset + limit
    with _snapshot(db):  # every statement of one search sees the same archive, even if an ingest commits meanwhile
        query, also = analyse(db, text, exact_names=exact_names)
        match = Match(query, facet_terms(db, entity, topic))
        results = _search(db, query, match, lo, hi, post, sort, need, offset)
    results.also = also
    return results


@contextmanager
def _snapshot(db: Connection) -> Iterator[None]:
    """One read transaction around a search (none if the caller holds one already)."""
    if db.in_transaction:
        yield
        return
    db.execute("BEGIN")
    try:
        yield
    finally:
        db.execute("COMMIT")


def _search(db: Connection, query: Query, match: Match, lo: int, hi: int,
            post: list[tuple[str, str]], sort: str, need: int, offset: int) -> Results:
    try:
        prefix = any(t.prefix for g in query.groups for t in g)
        # date order needs no BM25, nor do prefixes (see fts5._score_sql)
        scan = text_index(db).scan(db, match, lo, hi, post, scored=sort == "relevance" and not prefix)
        try:
            if sort == "relevance":
                picked = _by_relevance(db, query, scan, need)
            else:
                picked = _by_date(scan, need)
            total, exact = _total(db, scan, lo, hi)
        finally:
            scan.close()
    except sqlite3.OperationalError as exc:
        raise ArchiveError(f"search failed: {exc}") from exc
    results = []
    seen: dict[str, bool] = {}
    for number, score in picked[offset:need]:
        row = db.execute(
            "SELECT a.id, a.title, a.url, a.source, a.published, a.text, coalesce(c.size, 1), coalesce(a.cluster, a.id)"
            " FROM articles a LEFT JOIN clusters c ON c.id = a.cluster WHERE a.rowid = ?",
            (number & ROWID_MASK,),
        ).fetchone()
        article_id, title, url, src, published, body, copies, cluster = row
        results.append(Hit(article_id, title, url, src, published, make_snippet(body, query, seen=seen), round(-score, 4) or 0.0, copies,
                           cluster))
    return Results(total=total, results=results, total_exact=exact)


#: a facet filter: the full-text column (``entities`` or ``topic``) and the written forms any of which it must hold
Facet = tuple[str, list[str]]


@dataclass(slots=True)
class Match:
    """What a search, a trend or the facets look for in the full-text index: a parsed query (None:
    every article) and the entity and topic filters. Each backend's text index turns it into its
    own expression (FTS5 MATCH, or PostgreSQL tsquery)."""
    query: Query | None
    facets: list[Facet] = field(default_factory=list)


def facet_terms(db: Connection, entity: str | None, topic: str | None) -> list[Facet]:
    """The full-text filters of an entity (any name of its referent) and a topic."""
    from .names import entity_names

    out: list[Facet] = []
    if entity is not None:
        if not tokens(entity):
            raise ConfigError(f"--entity {entity!r} has no words to look for")
        names = dict.fromkeys(" ".join(tokens(n)) for n in entity_names(db, entity))
        out.append(("entities", [n for n in names if n]))
    if topic is not None:
        name = re.sub(r"[^0-9A-Za-z]", "", topic).lower()
        if not name:
            raise ConfigError(f"--topic {topic!r} is not a topic name")
        out.append(("topic", [name]))
    return out


def facet_expr(db: Connection, entity: str | None, topic: str | None) -> str:
    """The FTS5 filters of an entity and a topic (see :func:`facet_terms`), to append to a MATCH expression."""
    from .fts5 import fts_facets

    return fts_facets(facet_terms(db, entity, topic))


class Scan(Protocol):
    """The matches of one :class:`Match`, newest first, read lazily by a backend's text index: each
    with its BM25 score (as FTS5 computes it) and duplicate cluster, source and language filters
    applied. ``read`` counts the matches read before filtering, ``oldest`` is the docno of the last
    one; ``done`` says every match was read."""

    rows: list[tuple[int, float, str]]
    read: int
    oldest: int
    done: bool
    scored: bool
    hi: int

    def more(self, n: int | None = None) -> bool:
        """Read up to ``n`` more matches (a chunk by default); False once there are none."""

    def headline_matches(self, below: int) -> list[tuple[int, float, str]]:
        """The :data:`TITLE_WINDOW` newest matches with the query in the headline older than docno
        ``below``, the same filters applied: (docno, score, cluster)."""

    def matching(self, query: Query, numbers: list[int]) -> dict[int, float]:
        """Those of ``numbers`` (docnos, among those read in order) that match ``query`` (no
        facets), with their BM25 score for it."""

    def count_older(self, budget: int) -> tuple[int, int, bool]:
        """Count up to ``budget`` matches older than :attr:`oldest`: (counted, the oldest docno
        counted, whether every match was counted)."""

    def close(self) -> None: ...


class TextIndex(Protocol):
    """A backend's full-text index, as search, the views and name learning read it."""

    def scan(self, db: Connection, match: Match, lo: int, hi: int, post: list[tuple[str, str]], *,
             scored: bool = True) -> Scan: ...

    def matching_days(self, db: Connection, match: Match, lo: int, hi: int, source: str | None,
                      lang: str | None) -> Iterable[tuple[int, str | None, int]]:
        """(day ordinal, source, articles) of the matches in the docno range."""

    def facet_rows(self, db: Connection, match: Match, lo: int, hi: int, source: str | None, lang: str | None,
                   cap: int) -> list[tuple[int, str, str | None, str | None, str | None]]:
        """The ``cap`` newest matches: (docno, cluster, source, language, topic)."""

    def vocabulary(self, db: Connection) -> tuple[dict[str, int], dict[str, int]]:
        """Articles holding each exact word (the larger of title and body counts), and each stem."""

    def sample_exact(self, db: Connection, forms: list[str], limit: int) -> list[int]:
        """Docnos of up to ``limit`` articles holding any of ``forms`` exactly, newest first."""

    def count_exact(self, db: Connection, *phrases: str) -> int:
        """Articles holding the words of one of ``phrases`` in a row, exactly."""


def text_index(db: Connection) -> TextIndex:
    """The full-text index of a connection: FTS5 for SQLite, else the one the connection carries."""
    own: TextIndex | None = getattr(db, "text_index", None)
    if own is not None:
        return own
    from .fts5 import FTS5

    return FTS5


def headline_test(query: Query) -> Callable[[str], bool]:
    """:func:`title_holds` for one query, made for many headlines: a headline that lacks, folded,
    every core (:func:`stem_core`) of a group of single words is ruled out before its words are
    analysed (most of a search's candidates)."""
    needs = []
    for group in query.groups:
        if all(len(t.words) == 1 and not t.names and not t.prefix for t in group):
            forms = {f for t in group for f in (t.words[0], stem(t.words[0]), alternative(t.words[0])) if f}
            needs.append(tuple({stem_core(f) for f in forms} - {""}))

    def test(title: str) -> bool:
        if needs:
            folded = core_fold(title)
            if not all(any(c in folded for c in cores) for cores in needs):
                return False
        return title_holds(query, title)
    return test


def title_holds(query: Query, title: str) -> bool:
    """Whether a headline holds every group of the query (as the title-only FTS expression would
    match it, but a name only in the spelling typed), judged in Python on the few candidates rather
    than by FTS5 over the whole index."""
    exact = tokens(title)
    # the headline's stems and its words' alternatives, worked out only if a term needs them
    stems: list[str] = []
    forms: set[str] = set()

    def analysed() -> tuple[list[str], set[str]]:
        if not forms:
            stems.extend(stem(w) for w in exact)
            forms.update(exact, stems, (a for a in (alternative(w) for w in exact) if a))
        return stems, forms

    def holds(term: Term) -> bool:
        if term.names:
            return any(_holds_phrase(exact, s.split()) for s in term.own) or (
                term.stemmed and holds(term.as_word()))
        if len(term.words) > 1:
            return _holds_phrase(exact, term.words) or _holds_phrase(analysed()[0], [stem(w) for w in term.words])
        (word,) = term.words
        if term.prefix:
            bare = strip_clitics(word)
            return any(w.startswith(word) for w in exact) or bool(bare) and any(s.startswith(bare) for s in analysed()[0])
        if word in exact:
            return True
        if not term.shared:
            other = alternative(word)
            every = analysed()[1]
            return word in every or stem(word) in every or (other is not None and other in every)
        # as the index matches it, branch by branch, but not by a shared stem through a name alone
        # (بوتين in a headline, التين typed)
        return any((s == root or with_alt and alternative(w) == root) and not (term.guarded(root) and w in term.cut)
                   for root, with_alt in stem_branches(word) for w, s in zip(exact, analysed()[0]))

    return all(any(holds(t) for t in group) for group in query.groups)


def _holds_phrase(words: list[str], phrase: list[str]) -> bool:
    if len(phrase) == 1:
        return phrase[0] in words
    n = len(phrase)
    return any(words[i : i + n] == phrase for i in range(len(words) - n + 1))


def _by_relevance(db: Connection, query: Query, scan: Scan, need: int) -> list[tuple[int, float]]:
    """The best ``need`` clusters: every match ranked when there are at most :data:`WINDOW`, else the
    most recent ones and the older matches with the query in their headline."""
    if not scan.scored:
        return _by_headline_then_date(scan, need)
    while len(scan.rows) < WINDOW and scan.read < MAX_SCAN and scan.more():
        pass
    candidates = {r: (s, c) for r, s, c in scan.rows}
    if not scan.done and scan.rows:
        for r, s, c in scan.headline_matches(below=min(candidates)):
            candidates.setdefault(r, (s, c))
    typed = as_typed(query)
    if typed is not None:  # the articles holding the spellings typed: their own score, and first
        own = scan.matching(typed, list(candidates))
        candidates = {r: ((own[r] - TYPED_BONUS) if r in own else s, c) for r, (s, c) in candidates.items()}
    ranked = sorted(candidates.items(), key=lambda item: item[1][0])
    pool = 100 + 10 * need
    in_headline = headline_test(query)
    while True:
        top = ranked[:pool]
        ids = ",".join(str(r & ROWID_MASK) for r, _ in top)
        titles = dict(db.execute(f"SELECT rowid, title FROM articles WHERE rowid IN ({ids})")) if top else {}
        scored = sorted(
            (s - (TITLE_BONUS if in_headline(titles.get(r & ROWID_MASK) or "") else 0.0), r, c)
            for r, (s, c) in top
        )
        best = _one_per_cluster(((r, s, c) for s, r, c in scored), need)
        if len(best) >= need or pool >= len(ranked):
            return best
        pool *= 4


def as_typed(query: Query) -> Query | None:
    """The query with each name in the spelling typed only (None when no spelling was added)."""
    if not any(t.names and set(t.names) - set(t.own) for g in query.groups for t in g):
        return None

    def typed(t: Term) -> Term:
        return replace(t, names=t.own) if t.names and t.own else t
    return Query([[typed(t) for t in g] for g in query.groups], query.excluded, query.typed)


def _by_headline_then_date(scan: Scan, need: int) -> list[tuple[int, float]]:
    """Unscored searches (prefixes): the newest matches with the query in their headline, then the
    newest of the others."""
    headline = [(r, -TITLE_BONUS, c) for r, _, c in scan.headline_matches(below=scan.hi + 1)]
    while True:
        best = _one_per_cluster([*headline, *scan.rows], need)
        if len(best) >= need or scan.read >= MAX_SCAN or not scan.more(max(200, 4 * need)):
            return best


def _by_date(scan: Scan, need: int) -> list[tuple[int, float]]:
    """The newest ``need`` clusters (their newest matching article each)."""
    while True:
        best = _one_per_cluster(scan.rows, need)
        if len(best) >= need or scan.read >= MAX_SCAN * 5 or not scan.more(max(200, 4 * need)):
            return best


def _one_per_cluster(rows: Iterable[tuple[int, float, str]], need: int) -> list[tuple[int, float]]:
    seen: set[str] = set()
    best = []
    for r, s, c in rows:
        if c not in seen:
            seen.add(c)
            best.append((r, s))
            if len(best) >= need:
                break
    return best


#: beyond the matches a search read, it counts at most this many more before it estimates its total
COUNT_MORE = 6_000


def _total(db: Connection, scan: Scan, lo: int, hi: int) -> tuple[int, bool]:
    """Distinct clusters matching: exact when every match was read; else the matches read and up to
    :data:`COUNT_MORE` older ones counted, and beyond those an extrapolation by the number of
    articles published in the days not reached; scaled by the share of distinct clusters (and of
    source and language filters) among the matches read."""
    while scan.read < WINDOW and scan.more():
        pass
    clusters = len({c for _, _, c in scan.rows})
    if scan.done:
        return min(clusters, MAX_TOTAL), clusters <= MAX_TOTAL
    more, oldest, complete = scan.count_older(COUNT_MORE)
    matches = float(scan.read + more)
    if not complete:  # the days not reached hold matches at the rate of the days counted
        days = "SELECT coalesce(sum(n), 0) FROM days WHERE day BETWEEN ? AND ?"
        (everything,) = db.execute(days, (lo >> ROWID_BITS, hi >> ROWID_BITS)).fetchone()
        (covered,) = db.execute(days, (oldest >> ROWID_BITS, hi >> ROWID_BITS)).fetchone()
        if covered:
            matches *= everything / covered
    return min(round(matches * clusters / scan.read), MAX_TOTAL), False




@lru_cache(maxsize=100_000)
def _forms(raw: str) -> tuple[tuple[str, str, str], ...]:
    """The normalised forms of one written word with their stems and clitic-free forms: a body's
    words repeat across the results of a search and across searches."""
    return tuple((f, stem(f), strip_clitics(f)) for f in tokens(raw))


def make_snippet(text: str, query: Query, *, width: int = 30, seen: dict[str, bool] | None = None) -> str:
    """About ``width`` words of ``text`` around the densest run of query words, each marked
    ``<mark>…</mark>`` (HTML-escaped otherwise): whole words, in the text's own order, so that
    right-to-left text reads right. Of several equally dense runs, the first."""
    words = text.split()
    if not words:
        return ""
    terms = [t for g in query.groups for t in g]
    names = {w for t in terms if t.names for s in t.names for w in s.split()}
    wanted_exact = {w for t in terms if not t.names or t.stemmed for w in t.words}
    wanted_stem = {stem(w) for w in wanted_exact}
    # a name that only shares the stem of a word typed is not marked (بوتين for التين)
    cut = {w for t in terms for w in t.cut}
    prefixes = tuple(t.words[0] for g in query.groups for t in g if t.prefix)
    # A word can be marked only if, folded, it holds one of these cores (stem_core): only the words
    # that hold one are judged in full, and each written form once per search (``seen``, given by
    # the caller for all its results) or per body.
    cores = frozenset({core_fold(w) for w in (*names, *wanted_exact, *prefixes)} | {stem_core(s) for s in wanted_stem}) - {""}
    if not cores:
        return _window(words, [], width)

    def marked(raw: str) -> bool:
        return any(
            form in names or form in wanted_exact or (stemmed in wanted_stem and form not in cut)
            or (prefixes and (form.startswith(prefixes) or bare.startswith(prefixes)))
            for form, stemmed, bare in _forms(raw)
        )

    seen = {} if seen is None else seen
    fresh = [w for w in dict.fromkeys(words) if w not in seen]
    if fresh:
        seen.update(dict.fromkeys(fresh, False))
        joined = core_fold("\n".join(fresh))
        folded = joined.split("\n")
        if len(folded) != len(fresh):  # a character folded to a line break: fold word by word
            folded = [core_fold(w) for w in fresh]
            joined = "\n".join(folded)
        holding = _lines_holding(cores)(joined)
        if holding:
            holding_set = set(holding)
            for raw, fold in zip(fresh, folded):
                if fold in holding_set:
                    seen[raw] = marked(raw)
    return _window(words, [i for i, w in enumerate(words) if seen[w]], width)


@lru_cache(maxsize=256)
def _lines_holding(cores: frozenset[str]) -> Callable[[str], list[str]]:
    """A function giving the lines of a text that hold one of ``cores``."""
    pattern = "|".join(map(re.escape, sorted(cores, key=lambda c: (-len(c), c))))
    return re.compile(f"^[^\n]*(?:{pattern})[^\n]*$", re.MULTILINE).findall


def _window(words: list[str], marked: list[int], width: int) -> str:
    """The first run of ``width`` of ``words`` that holds the most of the ``marked`` ones (their
    indexes, in order), those marked, all escaped, with an ellipsis where words were left out."""
    best = 0
    if marked:
        # the count of marked words in a window rises only where one enters it, at m - width + 1:
        # the first densest window starts at 0 or at one of those
        last = max(0, len(words) - width)
        best_count = bisect_left(marked, width)
        for m in marked:
            start = m - width + 1
            if 0 < start <= last:
                count = bisect_left(marked, start + width) - bisect_left(marked, start)
                if count > best_count:
                    best, best_count = start, count
    stop = min(len(words), best + width)
    out, at = [], best
    for i in marked[bisect_left(marked, best):bisect_left(marked, stop)]:
        out += [html.escape(" ".join(words[at:i])), f"<mark>{html.escape(words[i])}</mark>"] if i > at else [f"<mark>{html.escape(words[i])}</mark>"]
        at = i + 1
    if at < stop:
        out.append(html.escape(" ".join(words[at:stop])))
    snippet = " ".join(out)
    if best > 0:
        snippet = "… " + snippet
    if stop < len(words):
        snippet += " …"
    return snippet
